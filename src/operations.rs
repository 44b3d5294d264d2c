//! Persisted operations: automatic persisted queries (APQ, the Apollo protocol: a client sends
//! `extensions.persistedQuery.sha256Hash` alone, and the query with it when the server does not
//! know the hash yet), and registered operations loaded from `OPERATIONS_FILE`, which are
//! callable by id and are the only operations an allow-listed key may run.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Queries remembered from APQ registrations (per process; a client whose hash is not known
/// simply sends the query again).
const APQ_CAPACITY: usize = 4096;

pub struct Operations {
    /// Registered operations by id and by the SHA-256 of their text.
    registered: HashMap<String, Arc<str>>,
    apq: Mutex<LruCache<String, Arc<str>>>,
}

/// The lower-case hex SHA-256 of a query's text (APQ's hash).
pub fn sha256_hex(query: &str) -> String {
    Sha256::digest(query.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Operations {
    /// With no file: APQ only, and no registered operations.
    pub fn new() -> Operations {
        Operations {
            registered: HashMap::new(),
            apq: Mutex::new(LruCache::new(
                NonZeroUsize::new(APQ_CAPACITY).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// Loads registered operations: an Apollo persisted-query manifest (`{"format":
    /// "apollo-persisted-query-manifest", "operations": [{"id", "body", …}]}`) or a JSON object
    /// of id → query text (Relay's `persisted_queries.json`).
    pub fn load(path: Option<&Path>) -> anyhow::Result<Operations> {
        let mut ops = Operations::new();
        let Some(path) = path else { return Ok(ops) };
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
        let pairs: Vec<(String, String)> = match json.get("operations").and_then(|o| o.as_array()) {
            Some(list) => list
                .iter()
                .map(|op| {
                    let body = op.get("body").and_then(|b| b.as_str());
                    let id = op.get("id").and_then(|b| b.as_str());
                    match (id, body) {
                        (Some(id), Some(body)) => Ok((id.to_owned(), body.to_owned())),
                        _ => anyhow::bail!("{}: each operation needs an `id` and a `body`", path.display()),
                    }
                })
                .collect::<anyhow::Result<_>>()?,
            None => json
                .as_object()
                .with_context(|| format!("{}: expected a manifest or an object of id → query", path.display()))?
                .iter()
                .map(|(id, body)| {
                    body.as_str()
                        .map(|b| (id.clone(), b.to_owned()))
                        .with_context(|| format!("{}: operation {id} is not a string", path.display()))
                })
                .collect::<anyhow::Result<_>>()?,
        };
        for (id, body) in pairs {
            if let Err(e) = async_graphql::parser::parse_query(&body) {
                anyhow::bail!("{}: operation {id} does not parse: {e}", path.display());
            }
            let body: Arc<str> = body.into();
            ops.registered.insert(sha256_hex(&body), body.clone());
            ops.registered.insert(id, body);
        }
        Ok(ops)
    }

    /// How many registered operations there are.
    pub fn registered(&self) -> usize {
        self.registered
            .values()
            .map(|q| sha256_hex(q))
            .collect::<std::collections::HashSet<_>>()
            .len()
    }

    /// Fills in the query of a request that names a persisted or registered operation, stores
    /// an APQ registration, and, for an allow-listed caller, refuses anything unregistered.
    pub fn resolve(&self, req: &mut async_graphql::Request, registered_only: bool) -> Result<(), AppError> {
        let hash = req
            .extensions
            .get("persistedQuery")
            .and_then(|p| match p {
                async_graphql::Value::Object(o) => o.get("sha256Hash").cloned(),
                _ => None,
            })
            .map(|h| match h {
                async_graphql::Value::String(s) => Ok(s),
                _ => Err(AppError::bad_input(
                    "extensions.persistedQuery",
                    "sha256Hash must be a string",
                )),
            })
            .transpose()?;
        match (&hash, req.query.is_empty()) {
            (Some(hash), true) => {
                let known = self
                    .registered
                    .get(hash)
                    .cloned()
                    .or_else(|| self.apq.lock().unwrap_or_else(|e| e.into_inner()).get(hash).cloned());
                // Apollo clients recognise this exact message, and then send the query.
                let query =
                    known.ok_or_else(|| AppError::bad_input("extensions.persistedQuery", "PersistedQueryNotFound"))?;
                req.query = query.to_string();
            }
            (Some(hash), false) => {
                if sha256_hex(&req.query) != *hash {
                    return Err(AppError::bad_input(
                        "extensions.persistedQuery",
                        "provided sha256Hash does not match the query",
                    ));
                }
                if !self.registered.contains_key(hash) {
                    self.apq
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .put(hash.clone(), req.query.as_str().into());
                }
            }
            (None, _) => {}
        }
        if registered_only {
            let id = hash.unwrap_or_else(|| sha256_hex(&req.query));
            let registered = self.registered.get(&id).is_some_and(|q| **q == *req.query);
            if !registered {
                return Err(AppError::Forbidden(
                    "this API key may run only registered operations: send one by its id in extensions.persistedQuery.sha256Hash".into(),
                ));
            }
        }
        Ok(())
    }
}

impl Default for Operations {
    fn default() -> Self {
        Operations::new()
    }
}
