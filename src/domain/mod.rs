//! The rules, with no transport and no SQL of their own: who may see and do what
//! ([`access`]), API keys ([`keys`]), the one validator of what is written ([`validate`]),
//! the moderation state machine ([`moderation`]), the write workflows ([`mod@write`],
//! [`upsert`]) and the change signal ([`changes`]). Every surface (GraphQL, HTTP, the CLI,
//! the importer) comes through here; the statements are in [`crate::store`].

pub mod access;
pub mod changes;
pub mod filter;
pub mod keys;
pub mod moderation;
pub mod report;
pub mod upsert;
pub mod validate;
pub mod write;
