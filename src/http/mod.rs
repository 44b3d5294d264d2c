//! The HTTP surface: the router ([`router`]), its handlers and extractors.

pub mod caller;
pub mod execute;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod report;
pub mod respond;
pub mod router;
pub mod ws;
