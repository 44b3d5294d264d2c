//! The link tables an entry's lists are written to, and replacing one list.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr, Value};

use crate::store::bulk::Rows;

/// A link table and its columns (the entry's id, then the value).
pub(crate) type LinkTable = (&'static str, &'static [&'static str]);
pub(crate) const COUNTRIES: LinkTable = ("entry_countries", &["entry_id", "country"]);
pub(crate) const REGIONS: LinkTable = ("entry_regions", &["entry_id", "region"]);
pub(crate) const CATEGORIES: LinkTable = ("entry_categories", &["entry_id", "action_line"]);
pub(crate) const SDGS: LinkTable = ("entry_sdgs", &["entry_id", "sdg"]);
pub(crate) const GDC_OBJECTIVES: LinkTable = ("entry_gdc_objectives", &["entry_id", "objective"]);

/// Replaces an entry's rows of one link table by `values`: a DELETE (not for a new entry) and
/// one multi-row INSERT.
pub(crate) async fn replace_list(
    txn: &impl ConnectionTrait,
    id: i64,
    (table, columns): LinkTable,
    values: Vec<Value>,
    fresh: bool,
) -> Result<(), DbErr> {
    if !fresh {
        let delete = Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new("entry_id")).eq(id))
            .to_owned();
        txn.execute(&delete).await?;
    }
    let mut rows = Rows::new(table, columns);
    for v in values {
        rows.push(vec![id.into(), v]);
    }
    rows.flush(txn).await
}
