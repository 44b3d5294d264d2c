//! A page of a Relay connection: `EntryConnection` and `OrganisationConnection` are one
//! definition, each counting its own `totalCount`.

use async_graphql::{Context, Object, OutputType};
use sea_orm::Condition;

use crate::error::{GqlResult, GqlResultExt};
use crate::graphql::{context, share};
use crate::store::{entries, facets, organisations};

use crate::graphql::entries::EntryEdge;
use crate::graphql::entry::Entry;
use crate::graphql::organisation::{Organisation, OrganisationEdge};
use crate::graphql::pagination::{PageInfo, Window};

/// An edge of a connection: one node with its cursor.
pub trait Edge: OutputType + Send + Sync {
    type Node: OutputType + Clone + Send + Sync;
    fn node(&self) -> &Self::Node;
    fn cursor(&self) -> &String;
}

impl Edge for EntryEdge {
    type Node = Entry;
    fn node(&self) -> &Entry {
        &self.node
    }
    fn cursor(&self) -> &String {
        &self.cursor
    }
}

impl Edge for OrganisationEdge {
    type Node = Organisation;
    fn node(&self) -> &Organisation {
        &self.node
    }
    fn cursor(&self) -> &String {
        &self.cursor
    }
}

/// How a connection counts `totalCount`, when asked.
pub enum Total {
    /// The entries matching `condition`; from the facet summary's row `(scope, facet, key)`
    /// when the filter is one the summary answers.
    Entries {
        condition: Condition,
        summary: Option<(String, &'static str, String)>,
    },
    /// The organisations matching `condition`.
    Organisations(Condition),
}

/// A page of a Relay connection, and what `totalCount` counts.
pub struct Connection<E> {
    pub edges: Vec<E>,
    pub page_info: PageInfo,
    pub total: Total,
}

impl<E: Edge> Connection<E> {
    /// The page of `edges` read through `window`: `more` rows lie beyond it, and it started from
    /// a cursor when `had_cursor`.
    pub fn new(edges: Vec<E>, window: &Window, more: bool, had_cursor: bool, total: Total) -> Self {
        let (start, end) = (edges.first().map(E::cursor), edges.last().map(E::cursor));
        let page_info = window.page_info(more, had_cursor, start, end);
        Connection {
            edges,
            page_info,
            total,
        }
    }
}

/// A page of a Relay connection (entries or organisations).
#[Object(
    concrete(name = "EntryConnection", params(EntryEdge)),
    concrete(name = "OrganisationConnection", params(OrganisationEdge))
)]
impl<E: Edge> Connection<E> {
    /// This page's nodes, each with its cursor (an opaque position to page from).
    async fn edges(&self) -> &[E] {
        &self.edges
    }
    /// This page's nodes, without cursors.
    async fn nodes(&self) -> Vec<E::Node> {
        self.edges.iter().map(|e| e.node().clone()).collect()
    }
    /// Where this page stands.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many match the filter in all (counted only when asked for).
    async fn total_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        let db = context::db(ctx);
        match &self.total {
            Total::Entries { condition, summary } => {
                let _permit = share::held(ctx).await;
                if let Some((scope, facet, key)) = summary {
                    return facets::summary_value(db, scope, facet, key).await.gql();
                }
                Ok(entries::count(db, condition).await.gql()? as i64)
            }
            Total::Organisations(condition) => Ok(organisations::count(db, condition).await.gql()? as i64),
        }
    }
}
