//! What a resolver reads from the request's context: the database (the replica for reads
//! when one is configured), the catalogue, the caller, the loaders. The HTTP and WebSocket
//! handlers put them there (see `crate::http::graphql`); a schema executed without them (the
//! tests, `stocktaking schema`) still has the database and the catalogue.

use std::sync::{Arc, LazyLock};

use async_graphql::Context;
use sea_orm::{Condition, DatabaseConnection};

use crate::caller::Caller;
use crate::catalog::Catalog;
use crate::domain::changes::ChangeSignal;
use crate::domain::write::Writer;
use crate::graphql::loaders::Loaders;
use crate::store::visibility;

/// The request's database connection.
pub fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// The reference catalogue.
pub fn catalog<'a>(ctx: &Context<'a>) -> &'a Catalog {
    ctx.data_unchecked::<Arc<Catalog>>()
}

/// The request's loaders.
pub fn loaders<'a>(ctx: &Context<'a>) -> &'a Loaders {
    ctx.data_unchecked::<Loaders>()
}

/// The caller; anonymous when the request carries none.
pub fn caller<'a>(ctx: &Context<'a>) -> &'a Caller {
    static ANONYMOUS: LazyLock<Caller> = LazyLock::new(Caller::anonymous);
    ctx.data_opt::<Caller>().unwrap_or(&ANONYMOUS)
}

/// The entries the caller may see, as a condition.
pub fn visible(ctx: &Context<'_>) -> Condition {
    visibility::visible(caller(ctx), catalog(ctx))
}

/// The caller's write session (the write workflows of [`crate::domain::write`]).
pub fn writer<'a>(ctx: &Context<'a>) -> Writer<'a> {
    Writer {
        db: db(ctx),
        cat: catalog(ctx),
        caller: caller(ctx),
        signal: ctx.data_opt::<ChangeSignal>(),
    }
}
