//! Apollo Federation v2: entity resolvers for `_entities`, so that a UN agency's gateway can
//! join its own types to ours. They exist in the schema only when the server runs with
//! `--federation` (which also adds `_service { sdl }`); otherwise the schema is unchanged.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use sea_orm::DatabaseConnection;

use crate::error::{GqlResult, GqlResultExt};
use crate::graphql::entry::Entry;
use crate::graphql::organisation::Organisation;
use crate::graphql::reference::{ActionLine, ActionLineCode, Country, Sdg, catalog};
use crate::ids::{self, Kind};
use crate::store;

/// The entity resolvers (`@key` fields: `Entry.number`, `Organisation.id`, `Country.code`,
/// `ActionLine.code`, `Sdg.number`).
#[derive(Default)]
pub struct FederationQuery;

#[Object]
impl FederationQuery {
    /// An entry by its public number, if the caller may see it.
    #[graphql(entity)]
    async fn find_entry_by_number(&self, ctx: &Context<'_>, number: i32) -> GqlResult<Option<Entry>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = store::entries::by_numbers(db, &[i64::from(number)], &crate::graphql::context::visible(ctx))
            .await
            .gql()?;
        Ok(rows.into_iter().next().map(|e| Entry(Arc::new(e))))
    }

    /// An organisation by its global id.
    #[graphql(entity)]
    async fn find_organisation_by_id(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Organisation>> {
        let Ok(org) = ids::decode_int(&id, Kind::Organisation, "id") else {
            return Ok(None);
        };
        crate::graphql::organisation::load(ctx, org).await
    }

    /// A country by ISO alpha-2 (or alpha-3) code.
    #[graphql(entity)]
    async fn find_country_by_code(&self, ctx: &Context<'_>, code: String) -> Option<Country> {
        catalog(ctx).country(&code).cloned().map(Country)
    }

    /// An Action Line or category by code.
    #[graphql(entity)]
    async fn find_action_line_by_code(&self, ctx: &Context<'_>, code: ActionLineCode) -> Option<ActionLine> {
        catalog(ctx).action_line(code.code()).cloned().map(ActionLine)
    }

    /// A Sustainable Development Goal by number.
    #[graphql(entity)]
    async fn find_sdg_by_number(&self, ctx: &Context<'_>, number: i32) -> Option<Sdg> {
        catalog(ctx).sdg(number).cloned().map(Sdg)
    }
}
