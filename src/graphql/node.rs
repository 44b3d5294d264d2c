//! The `Node` interface: `node(id:)` and `nodes(ids:)` over opaque global ids.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, ID, Interface, Object};
use sea_orm::DatabaseConnection;

use crate::error::{AppError, GqlResult, GqlResultExt};
use crate::graphql::compact::GdcObjective;
use crate::graphql::entry::Entry;
use crate::graphql::loaders::{Loaders, OrgId};
use crate::graphql::organisation::Organisation;
use crate::graphql::reference::{ActionLine, Country, Region, Sdg, catalog};
use crate::ids::{self, Kind};
use crate::store;

/// An object with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global id."))]
pub enum Node {
    Entry(Entry),
    Organisation(Organisation),
    Country(Country),
    Region(Region),
    ActionLine(ActionLine),
    Sdg(Sdg),
    GdcObjective(GdcObjective),
}

/// At most this many ids per `nodes` call.
const MAX_NODES: usize = 100;

async fn resolve_many(ctx: &Context<'_>, ids_in: &[ID]) -> Result<Vec<Option<Node>>, AppError> {
    let decoded: Vec<Option<(Kind, String)>> = ids_in.iter().map(|id| ids::decode(id)).collect();
    let numbers: Vec<i64> = decoded
        .iter()
        .flatten()
        .filter(|(k, _)| *k == Kind::Entry)
        .filter_map(|(_, key)| key.parse().ok())
        .collect();
    let entries: HashMap<i64, Arc<entity::entry::Model>> = if numbers.is_empty() {
        HashMap::new()
    } else {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        store::entries::by_numbers(db, &numbers, &crate::graphql::context::visible(ctx))
            .await?
            .into_iter()
            .map(|e| (e.number, Arc::new(e)))
            .collect()
    };
    let org_ids: Vec<OrgId> = decoded
        .iter()
        .flatten()
        .filter(|(k, _)| *k == Kind::Organisation)
        .filter_map(|(_, key)| key.parse().ok().map(OrgId))
        .collect();
    let orgs = ctx
        .data_unchecked::<Loaders>()
        .load_many(org_ids)
        .await
        .map_err(AppError::from)?;
    let cat = catalog(ctx);
    Ok(decoded
        .into_iter()
        .map(|d| {
            let (kind, key) = d?;
            match kind {
                Kind::Entry => key
                    .parse()
                    .ok()
                    .and_then(|n: i64| entries.get(&n))
                    .cloned()
                    .map(|e| Node::Entry(Entry(e))),
                Kind::Organisation => key
                    .parse()
                    .ok()
                    .and_then(|id| orgs.get(&OrgId(id)))
                    .cloned()
                    .map(|o| Node::Organisation(Organisation(o))),
                Kind::Country => cat.country(&key).cloned().map(|c| Node::Country(Country(c))),
                Kind::Region => cat.region(&key).cloned().map(|r| Node::Region(Region(r))),
                Kind::ActionLine => cat.action_line(&key).cloned().map(|a| Node::ActionLine(ActionLine(a))),
                Kind::Sdg => key
                    .parse()
                    .ok()
                    .and_then(|n| cat.sdg(n))
                    .cloned()
                    .map(|s| Node::Sdg(Sdg(s))),
                Kind::GdcObjective => cat
                    .gdc_objective(&key)
                    .cloned()
                    .map(|o| Node::GdcObjective(GdcObjective(o))),
            }
        })
        .collect())
}

/// Lookups by global id.
#[derive(Default)]
pub struct NodeQuery;

/// Lookups by global id.
#[Object]
impl NodeQuery {
    /// The object with this global id; null if there is none the caller may see (or the id is
    /// not one of ours).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Node>> {
        Ok(resolve_many(ctx, &[id]).await.gql()?.pop().flatten())
    }

    /// The objects with these global ids, in the same order (null where not found); at most 100.
    #[graphql(complexity = "ids.len().max(1) * child_complexity")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> GqlResult<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(AppError::bad_input("ids", format!("at most {MAX_NODES} ids per call"))).gql();
        }
        resolve_many(ctx, &ids).await.gql()
    }
}
