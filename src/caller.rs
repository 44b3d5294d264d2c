//! Who is asking: the plain types that the domain's rules and the store's visibility
//! conditions both speak. A request's caller comes from its API key
//! ([`crate::domain::keys::authenticate`]); without one it is anonymous.

use chrono::Utc;

/// What a caller may do, by the role of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// No key: published entries and public fields only.
    Anonymous,
    /// ITU staff: everything.
    Admin,
    /// A partner organisation (by id): its own entries in every state.
    Partner(i64),
    /// A regional commission or ITU-D region (by region code): the entries of its region.
    Commission(String),
    /// A repository integration (by source name): upserts its entries by external id.
    Integration(String),
}

/// The caller of one request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The key's id and label, when a key was given.
    pub key: Option<(i64, Option<String>)>,
    pub access: Access,
    /// The key may run only registered operations.
    pub registered_only: bool,
    /// When the key last wrote.
    pub last_write: Option<chrono::DateTime<Utc>>,
}

impl Caller {
    /// The anonymous caller.
    pub fn anonymous() -> Caller {
        Caller {
            key: None,
            access: Access::Anonymous,
            registered_only: false,
            last_write: None,
        }
    }

    /// Whether the caller's key wrote within `window` (its reads then go to the primary).
    pub fn wrote_within(&self, window: std::time::Duration) -> bool {
        self.last_write.is_some_and(|at| {
            Utc::now()
                .signed_duration_since(at)
                .to_std()
                .map_or(true, |ago| ago < window)
        })
    }

    /// Who made a change, as the change log records it: `key:<id>`.
    pub fn actor(&self) -> String {
        match &self.key {
            Some((id, _)) => format!("key:{id}"),
            None => "anonymous".to_owned(),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.access == Access::Admin
    }

    pub fn is_anonymous(&self) -> bool {
        self.access == Access::Anonymous
    }
}
