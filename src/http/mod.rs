//! HTTP handlers other than the router itself.

pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod health;
