//! `GET /`: GraphiQL, self-contained. Its production assets (GraphiQL 4, React 18) are embedded
//! in the binary (assets/graphiql/, with their licences) and served from
//! `/assets/<hash>/<file>` with a year's immutable caching; the page loads nothing from any
//! other origin, so it works behind proxies and offline. It opens on an example query, with
//! subscriptions over the same origin's WebSocket.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The embedded files: name, media type, bytes.
const FILES: [(&str, &str, &[u8]); 6] = [
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "LICENSE-graphiql",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/graphiql/LICENSE-graphiql"),
    ),
    (
        "LICENSE-react",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/graphiql/LICENSE-react"),
    ),
];

/// The query GraphiQL opens with: the README's first query.
pub const EXAMPLE_QUERY: &str =
    "# The WSIS Stocktaking API. Press the run button (or Ctrl-Enter); the docs are on the left.
{
  entries(filter: {regions: [AFRICA], actionLines: [C7_E_HEALTH]}, first: 5) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes {
      number title year
      organisation { name stakeholderType }
      countries { code name }
      actionLines { code }
      sdgs { number title }
      prizes { year result category { code } }
    }
  }
}
";

/// The assets' path prefix, `/assets/<hash>`: the hash of every embedded file, so a new build
/// with other assets gets other URLs and the long cache never serves stale ones.
pub fn prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let mut h = Sha256::new();
        for (name, _, bytes) in FILES {
            h.update(name.as_bytes());
            h.update(bytes);
        }
        let digest = h.finalize();
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        format!("/assets/{hex}")
    })
}

/// A small favicon of our own, inline (a data URL is no request to another host).
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23009cd6'/%3E%3Ctext x='8' y='12' font-size='10' text-anchor='middle' fill='white' font-family='sans-serif'%3EW%3C/text%3E%3C/svg%3E";

pub async fn page() -> Html<String> {
    let p = prefix();
    // The example query as a JavaScript string literal (JSON is one), with `<` escaped so that
    // nothing in it can close the script element.
    let query = serde_json::to_string(EXAMPLE_QUERY)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c");
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>WSIS Stocktaking API</title>
    <link rel="icon" href="{FAVICON}">
    <link rel="stylesheet" href="{p}/graphiql.min.css">
    <style>body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }} #graphiql {{ height: 100vh; }}</style>
    <script src="{p}/react.production.min.js"></script>
    <script src="{p}/react-dom.production.min.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="{p}/graphiql.min.js"></script>
    <script>
      const here = (path, ws) => {{
        const url = new URL(path, window.location.href);
        if (ws) url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        return url.toString();
      }};
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {{
          fetcher: GraphiQL.createFetcher({{
            url: here('graphql'),
            subscriptionUrl: here('graphql', true),
          }}),
          defaultQuery: {query},
          defaultEditorToolsVisibility: true,
        }})
      );
    </script>
  </body>
</html>
"#
    ))
}

/// `GET /assets/{hash}/{file}`: an embedded file, cached for a year (its URL changes with its
/// content).
pub async fn asset(Path((hash, file)): Path<(String, String)>) -> Response {
    let found = FILES.iter().find(|(name, _, _)| *name == file);
    match found {
        Some((_, media, bytes)) if prefix().strip_prefix("/assets/") == Some(hash.as_str()) => {
            let mut res = axum::body::Body::from(axum::body::Bytes::from_static(bytes)).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            res
        }
        _ => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
