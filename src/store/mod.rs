//! All database access: plain async functions over `&impl ConnectionTrait`, one module per domain.

pub mod backup;
pub mod bulk;
pub mod changes;
pub mod entries;
pub mod export;
pub mod facets;
pub mod import;
pub mod keys;
pub mod links;
pub mod organisations;
pub mod page;
pub mod search;
pub mod visibility;
pub mod writes;
