//! All database access: plain async functions over `&impl ConnectionTrait`, one module per domain.

pub mod changes;
pub mod entries;
pub mod facets;
pub mod links;
pub mod organisations;
pub mod page;
pub mod search;
pub mod writes;
