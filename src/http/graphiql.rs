//! `GET /`: GraphiQL.

use async_graphql::http::GraphiQLSource;
use axum::response::Html;

pub async fn page() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("WSIS Stocktaking API")
            .finish(),
    )
}
