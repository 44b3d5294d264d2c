//! HTTP handlers other than the router itself.

pub mod graphiql;
pub mod graphql;
pub mod health;
