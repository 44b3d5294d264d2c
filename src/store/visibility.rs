//! Which entries a caller may see, as conditions on `entries`. The rule itself (published
//! entries for everyone; a partner's own, a commission's region's, an integration's source's
//! in every state; everything for admins) is written out in `src/domain/access.rs`.

use entity::enums::Moderation;
use entity::{entry, external_ref};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};

use crate::caller::{Access, Caller};
use crate::catalog::Catalog;
use crate::store::entries::in_regions;

/// Published entries: what everyone may see.
pub fn published() -> Condition {
    Condition::all().add(entry::Column::Moderation.eq(Moderation::Published))
}

/// No restriction: every entry, in every state (for internal look-ups, never a caller's read).
pub fn everything() -> Condition {
    Condition::all()
}

/// The entries this caller may see: published ones, plus what it owns.
pub fn visible(caller: &Caller, cat: &Catalog) -> Condition {
    match (&caller.access, owned(caller, cat)) {
        (Access::Admin, _) => Condition::all(),
        (_, Some(own)) => Condition::any().add(published()).add(own),
        (_, None) => published(),
    }
}

/// The entries this caller may see in every moderation state (beyond published ones);
/// `None` for anonymous callers.
pub fn owned(caller: &Caller, cat: &Catalog) -> Option<Condition> {
    match &caller.access {
        Access::Anonymous => None,
        Access::Admin => Some(Condition::all()),
        Access::Partner(org) => Some(Condition::all().add(entry::Column::OrganisationId.eq(*org))),
        Access::Commission(region) => {
            let countries = cat.region(region).map(|r| r.countries.clone()).unwrap_or_default();
            Some(in_regions(std::slice::from_ref(region), &countries))
        }
        Access::Integration(source) => Some(
            Condition::all().add(Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(external_ref::Entity)
                    .and_where(
                        Expr::col((external_ref::Entity, external_ref::Column::EntryId))
                            .equals((entry::Entity, entry::Column::Id)),
                    )
                    .and_where(Expr::col((external_ref::Entity, external_ref::Column::Source)).eq(source.as_str()))
                    .to_owned(),
            )),
        ),
    }
}

/// [`owned`], within `condition`.
pub fn owned_within(caller: &Caller, cat: &Catalog, condition: &Condition) -> Option<Condition> {
    owned(caller, cat).map(|own| condition.clone().add(own))
}

/// [`visible`], with a condition that every entry be published added to it (for a
/// partner, a commission or an integration that widens, rather than narrows, what `visible`
/// admits: their `visible` is a disjunction).
pub fn visible_or_published(caller: &Caller, cat: &Catalog) -> Condition {
    visible(caller, cat).add(entry::Column::Moderation.eq(Moderation::Published))
}
