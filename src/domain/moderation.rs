//! The moderation state machine. An entry is created `SUBMITTED` (or `DRAFT`); a reviewer
//! publishes or rejects it; its organisation may withdraw it at any time, and a withdrawn
//! entry never changes again. Every move is one row of the change log, whose kind says what
//! the move did to the published register.
//!
//! ```text
//!   new ──▶ DRAFT ⇄ SUBMITTED ──publish──▶ PUBLISHED ──reject──▶ REJECTED
//!                       └────reject──▶ REJECTED ──publish──▶ PUBLISHED
//!   REJECTED ──changed──▶ SUBMITTED          any state ──withdraw──▶ WITHDRAWN (final)
//! ```

use entity::enums::{ChangeKind, Moderation as M};

use crate::error::AppError;

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Publish the entry.
    Publish,
    /// Reject it (a published entry is withdrawn from public view).
    Reject,
}

/// A new entry's state: submitted for review, or kept as a draft.
pub fn initial(draft: Option<bool>) -> M {
    if draft == Some(true) { M::Draft } else { M::Submitted }
}

/// The state after an update (`draft` as the update gives it): a changed rejected entry is
/// submitted again; `Err` is the problem with `draft`.
pub fn after_update(current: M, draft: Option<bool>) -> Result<M, &'static str> {
    match (current, draft) {
        (M::Draft, Some(false)) | (M::Rejected, _) | (M::Submitted, None | Some(false)) => Ok(M::Submitted),
        (M::Draft | M::Submitted, Some(true)) | (M::Draft, None) => Ok(M::Draft),
        (M::Published, Some(true)) => Err("a published entry cannot go back to draft: withdraw it instead"),
        (m, _) => Ok(m),
    }
}

/// Whether an entry in this state may still change.
pub fn changeable(current: M) -> Result<(), AppError> {
    if current == M::Withdrawn {
        Err(AppError::bad_input("id", "a withdrawn entry cannot be changed"))
    } else {
        Ok(())
    }
}

/// The state after a withdrawal.
pub fn after_withdrawal(current: M) -> Result<M, AppError> {
    if current == M::Withdrawn {
        Err(AppError::bad_input("id", "the entry is already withdrawn"))
    } else {
        Ok(M::Withdrawn)
    }
}

/// The state after a review: submitted and rejected entries can be published, submitted and
/// published ones rejected.
pub fn after_review(decision: Decision, current: M) -> Result<M, AppError> {
    match (decision, current) {
        (Decision::Publish, M::Submitted | M::Rejected) => Ok(M::Published),
        (Decision::Reject, M::Submitted | M::Published) => Ok(M::Rejected),
        (_, m) => {
            let state = format!("{m:?}").to_uppercase();
            let verb = match decision {
                Decision::Publish => "published",
                Decision::Reject => "rejected",
            };
            Err(AppError::bad_input(
                "decision",
                format!("a {state} entry cannot be {verb}"),
            ))
        }
    }
}

/// What a move did to the published register, as the change log records it.
pub fn change_kind(before: Option<M>, after: M) -> ChangeKind {
    match before {
        None => ChangeKind::Created,
        Some(b) if b != M::Published && after == M::Published => ChangeKind::Published,
        Some(M::Published) if after != M::Published => ChangeKind::Removed,
        Some(_) => ChangeKind::Updated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_says_what_a_move_did_to_the_register() {
        assert_eq!(change_kind(None, M::Submitted), ChangeKind::Created);
        assert_eq!(change_kind(Some(M::Rejected), M::Published), ChangeKind::Published);
        assert_eq!(change_kind(Some(M::Published), M::Withdrawn), ChangeKind::Removed);
        assert_eq!(change_kind(Some(M::Published), M::Published), ChangeKind::Updated);
        assert_eq!(change_kind(Some(M::Submitted), M::Rejected), ChangeKind::Updated);
    }

    #[test]
    fn a_withdrawn_entry_stays_withdrawn() {
        assert!(after_withdrawal(M::Withdrawn).is_err());
        assert!(changeable(M::Withdrawn).is_err());
        assert!(after_review(Decision::Publish, M::Withdrawn).is_err());
        assert_eq!(after_update(M::Rejected, Some(true)), Ok(M::Submitted));
    }
}
