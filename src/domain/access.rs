//! Who may see and do what: the one answer every surface (GraphQL, the export, the write
//! workflows) asks.
//!
//! - **See**: everyone sees published entries and their public fields. A partner also sees its
//!   own organisation's entries in every state, a commission its region's (through the entry's
//!   countries or its regional tags), an integration its source's; admins see everything. As a
//!   condition on `entries`: [`crate::store::visibility::visible`].
//! - **Private fields** (contact, moderation note): the entry's own partner, the commission of
//!   its region, admins ([`sees_private`]).
//! - **Write**: every write needs a key ([`keyed`]). Partners create and change their own
//!   entries, admins any; commissions review their region's, admins any; admins record prizes;
//!   integrations upsert their source's entries.

use crate::caller::{Access, Caller};
use crate::catalog::Catalog;
use crate::error::AppError;

/// Writes need a key.
pub fn keyed(caller: &Caller) -> Result<(), AppError> {
    if caller.key.is_none() {
        return Err(AppError::Unauthenticated(
            "mutations need an API key: send `Authorization: Bearer <key>`".into(),
        ));
    }
    Ok(())
}

/// Whether an entry lies in this commission's region, given its countries and tags.
pub fn region_covers(caller: &Caller, cat: &Catalog, countries: &[String], tags: &[String]) -> bool {
    let Access::Commission(region) = &caller.access else {
        return false;
    };
    tags.iter().any(|t| t == region)
        || cat
            .region(region)
            .is_some_and(|r| countries.iter().any(|c| r.countries.contains(c)))
}

/// Whether the caller may see an entry's private fields: its own organisation's partner, the
/// commission of its region, admins. `links` gives the entry's countries and regional tags
/// (asked only for a commission).
pub async fn sees_private<F, E>(caller: &Caller, cat: &Catalog, organisation_id: i64, links: F) -> Result<bool, E>
where
    F: AsyncFnOnce() -> Result<(Vec<String>, Vec<String>), E>,
{
    Ok(match &caller.access {
        Access::Admin => true,
        Access::Partner(org) => *org == organisation_id,
        Access::Commission(_) => {
            let (countries, tags) = links().await?;
            region_covers(caller, cat, &countries, &tags)
        }
        Access::Anonymous | Access::Integration(_) => false,
    })
}

/// Whether the caller may see the private fields of any entry at all (a key of a role that
/// sees some: partners, commissions, admins), so that a page need not read them otherwise.
pub fn may_see_private(caller: &Caller) -> bool {
    !matches!(caller.access, Access::Anonymous | Access::Integration(_))
}

/// Whether the caller may change an entry of `organisation_id`: its organisation's partner,
/// or an admin.
pub fn may_edit(caller: &Caller, organisation_id: i64) -> Result<(), AppError> {
    match &caller.access {
        Access::Admin => Ok(()),
        Access::Partner(org) if *org == organisation_id => Ok(()),
        Access::Partner(_) => Err(AppError::Forbidden(
            "only the entry's own organisation may change it".into(),
        )),
        _ => Err(AppError::Forbidden("this key's role cannot change entries".into())),
    }
}

/// Whether the caller may review an entry with these countries and regional tags: admins, and
/// the commission of its region.
pub fn may_review(caller: &Caller, cat: &Catalog, countries: &[String], tags: &[String]) -> Result<(), AppError> {
    match &caller.access {
        Access::Admin => Ok(()),
        Access::Commission(_) if region_covers(caller, cat, countries, tags) => Ok(()),
        Access::Commission(_) => Err(AppError::Forbidden(
            "a commission reviews the entries of its own region only".into(),
        )),
        _ => Err(AppError::Forbidden("only admins and commissions review entries".into())),
    }
}

/// Who a new entry (`createEntry`) belongs to: a partner's own organisation (naming another
/// is refused), or the organisation an admin names (which the workflow checks exists).
pub fn submitter(caller: &Caller, named: Option<i64>) -> Result<i64, AppError> {
    match (&caller.access, named) {
        (Access::Partner(own), None) => Ok(*own),
        (Access::Partner(own), Some(named)) if named == *own => Ok(named),
        (Access::Partner(_), Some(_)) => Err(AppError::Forbidden(
            "a partner key submits entries for its own organisation only".into(),
        )),
        (Access::Admin, Some(named)) => Ok(named),
        (Access::Admin, None) => Err(AppError::bad_input(
            "input.organisation",
            "name the organisation the entry belongs to",
        )),
        (Access::Integration(_), _) => Err(AppError::Forbidden(
            "integration keys submit entries with `upsertEntries`".into(),
        )),
        _ => Err(AppError::Forbidden("this key's role cannot submit entries".into())),
    }
}

/// Moving an entry to another organisation: admins only.
pub fn may_move(caller: &Caller) -> Result<(), AppError> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only admins move entries between organisations".into(),
        ))
    }
}

/// Recording prizes: admins only.
pub fn may_record_prizes(caller: &Caller) -> Result<(), AppError> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden("only admins record prizes".into()))
    }
}

/// Upserting by external id: integration keys only; returns their source.
pub fn integration_source(caller: &Caller) -> Result<&str, AppError> {
    match &caller.access {
        Access::Integration(source) => Ok(source),
        _ => Err(AppError::Forbidden("only integration keys upsert entries".into())),
    }
}
