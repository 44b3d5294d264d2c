//! The Global Digital Compact (A/RES/79/1, 2024): its five objectives as reference data, with
//! the entries linked to each, and the objective facets of `entryStats`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::gdc_objective;

use crate::error::GqlResult;
use crate::graphql::linked::Linked;
use crate::graphql::reference::{ActionLine, GdcObjectiveCode, catalog, known};
use crate::graphql::stats::EntryStats;
use crate::ids::{self, Kind};
use crate::store::entries::Scope;
use crate::store::facets::Facet;

/// One of the Global Digital Compact's five objectives.
#[derive(Clone)]
pub struct GdcObjective(pub Arc<gdc_objective::Model>);

/// One of the Global Digital Compact's five objectives (annexed to the Pact for the Future,
/// UN General Assembly resolution A/RES/79/1, September 2024).
#[Object]
impl GdcObjective {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::GdcObjective, &self.0.code)
    }
    /// The code, `GDC1` to `GDC5`, in the Compact's order.
    async fn code(&self) -> GqlResult<GdcObjectiveCode> {
        known(GdcObjectiveCode::from_code(&self.0.code), "Compact objective")
    }
    /// The objective as the Compact words it.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Where the objective is set out.
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// The entries linked to this objective (`entries`, `entryCount`).
    #[graphql(flatten)]
    async fn linked(&self) -> Linked {
        Linked::new(
            Scope::GdcObjective(self.0.code.clone()),
            Facet::GdcObjective,
            self.0.code.clone(),
        )
    }
}

/// Queries over the Global Digital Compact.
#[derive(Default)]
pub struct CompactQuery;

/// Queries over the Global Digital Compact.
#[Object]
impl CompactQuery {
    /// The Global Digital Compact's five objectives, in order.
    async fn gdc_objectives(&self, ctx: &Context<'_>) -> Vec<GdcObjective> {
        catalog(ctx).gdc_objectives.iter().cloned().map(GdcObjective).collect()
    }
    /// One objective by code.
    async fn gdc_objective(&self, ctx: &Context<'_>, code: GdcObjectiveCode) -> Option<GdcObjective> {
        catalog(ctx).gdc_objective(code.code()).cloned().map(GdcObjective)
    }
}

/// Entries per Global Digital Compact objective.
#[derive(SimpleObject)]
pub struct GdcObjectiveCount {
    /// The objective.
    pub objective: GdcObjective,
    /// How many matching entries are linked to it.
    pub count: i64,
}

/// Entries tagged with both a category and a Global Digital Compact objective.
#[derive(SimpleObject)]
pub struct GdcMatrixCell {
    /// The category (Action Line or C7 sub-line).
    pub category: ActionLine,
    /// The objective.
    pub objective: GdcObjective,
    /// How many matching entries are tagged with both.
    pub count: i64,
}

/// `entryStats.byGdcObjective`: per objective, in the Compact's order.
pub async fn by_objective(stats: &EntryStats, ctx: &Context<'_>) -> GqlResult<Vec<GdcObjectiveCount>> {
    let counts = stats.facet(ctx, Facet::GdcObjective).await?;
    let cat = catalog(ctx);
    let mut out: Vec<GdcObjectiveCount> = counts
        .into_iter()
        .filter_map(|(k, count)| {
            cat.gdc_objective(&k).map(|o| GdcObjectiveCount {
                objective: GdcObjective(o.clone()),
                count,
            })
        })
        .collect();
    out.sort_by_key(|c| c.objective.0.position);
    Ok(out)
}

/// `entryStats.gdcMatrix`: category × objective, for every pair that has entries.
pub async fn matrix(stats: &EntryStats, ctx: &Context<'_>) -> GqlResult<Vec<GdcMatrixCell>> {
    let counts = stats.facet(ctx, Facet::GdcMatrix).await?;
    let cat = catalog(ctx);
    let mut out: Vec<GdcMatrixCell> = counts
        .into_iter()
        .filter_map(|(k, count)| {
            let (category, objective) = k.split_once('|')?;
            Some(GdcMatrixCell {
                category: ActionLine(cat.action_line(category)?.clone()),
                objective: GdcObjective(cat.gdc_objective(objective)?.clone()),
                count,
            })
        })
        .collect();
    out.sort_by_key(|c| (c.category.0.idx, c.objective.0.position));
    Ok(out)
}
