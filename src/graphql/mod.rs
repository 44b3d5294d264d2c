//! The GraphQL API: one module per domain, with shared pagination and ids.

pub mod changes;
pub mod compact;
pub mod context;
pub mod document;
pub mod entries;
pub mod entry;
pub mod federation;
pub mod geography;
pub mod inputs;
pub mod linked;
pub mod loaders;
pub mod mutation;
pub mod node;
pub mod order;
pub mod organisation;
pub mod page;
pub mod pagination;
pub mod reference;
pub mod report;
pub mod scalars;
pub mod schema;
pub mod share;
pub mod stats;
pub mod viewer;
