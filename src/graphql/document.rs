//! What a request's document holds, read in one linear pass over the parsed document before
//! async-graphql validates it, and the limits async-graphql does not enforce itself: aliases,
//! directives, fragment nesting and the selection count once fragments are expanded. The
//! [`DocumentLimits`] extension holds every operation to them, over HTTP and WebSocket alike.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Variables};

use crate::config::Limits;

/// What a request's document holds, for the limits async-graphql does not enforce itself:
/// aliases, directives, fragment nesting and the expanded selection count, counted over the
/// whole document (fragments included: no operation is exempt by its name or by hiding in a
/// fragment).
pub struct Shape {
    pub kind: OperationType,
    pub aliases: usize,
    pub directives: usize,
    /// Longest chain of fragment spreads and the selections the document expands to (every
    /// spread replaced by its fragment); `None` when fragments spread each other in a cycle.
    pub fragments: Option<Expansion>,
    /// Whether the document selects `__schema` or `__type` anywhere.
    pub introspects: bool,
    /// The operation's own name.
    pub name: Option<String>,
}

/// What the fragment graph expands to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expansion {
    /// Longest chain of fragment spreads.
    pub depth: usize,
    /// Fields the document selects once every spread is replaced by its fragment (saturating:
    /// ten spreads of ten spreads eight deep is 10^8, not an overflow).
    pub selections: usize,
}

/// One selection set's own fields and the fragments it spreads (with repetition: spreading a
/// fragment twice selects its fields twice).
#[derive(Default)]
struct Local {
    fields: usize,
    spreads: Vec<String>,
}

pub fn inspect(doc: &ExecutableDocument, operation: Option<&str>) -> Option<Shape> {
    #[derive(Default)]
    struct Counts {
        aliases: usize,
        directives: usize,
        introspects: bool,
    }
    fn walk(set: &SelectionSet, n: &mut Counts, local: &mut Local) {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    local.fields += 1;
                    n.aliases += usize::from(f.node.alias.is_some());
                    n.directives += f.node.directives.len();
                    let name = f.node.name.node.as_str();
                    n.introspects |= name == "__schema" || name == "__type";
                    walk(&f.node.selection_set.node, n, local);
                }
                Selection::InlineFragment(f) => {
                    n.directives += f.node.directives.len();
                    walk(&f.node.selection_set.node, n, local);
                }
                Selection::FragmentSpread(f) => {
                    n.directives += f.node.directives.len();
                    local.spreads.push(f.node.fragment_name.node.to_string());
                }
            }
        }
    }
    let mut n = Counts::default();
    let mut roots = Local::default();
    for (_, op) in doc.operations.iter() {
        n.directives += op.node.directives.len();
        walk(&op.node.selection_set.node, &mut n, &mut roots);
    }
    let mut graph = HashMap::new();
    for (name, fragment) in &doc.fragments {
        let mut local = Local::default();
        n.directives += fragment.node.directives.len();
        walk(&fragment.node.selection_set.node, &mut n, &mut local);
        graph.insert(name.to_string(), local);
    }
    let (kind, name) = match (&doc.operations, operation) {
        (DocumentOperations::Single(op), _) => (op.node.ty, None),
        (DocumentOperations::Multiple(ops), Some(name)) => (ops.get(name).map(|op| op.node.ty)?, Some(name.to_owned())),
        (DocumentOperations::Multiple(ops), None) => {
            let (name, op) = ops.iter().next()?;
            (op.node.ty, Some(name.to_string()))
        }
    };
    Some(Shape {
        kind,
        aliases: n.aliases,
        directives: n.directives,
        fragments: expand(&graph, &roots),
        introspects: n.introspects,
        name,
    })
}

/// The longest chain of spreads and the expanded selection count of the operations (`roots`);
/// `None` on a cycle. Each fragment's depth and size are computed once (memoised over the
/// fragment graph), so this is linear in the document however far the fragments fan out.
fn expand(graph: &HashMap<String, Local>, roots: &Local) -> Option<Expansion> {
    fn visit<'a>(
        name: &'a str,
        graph: &'a HashMap<String, Local>,
        memo: &mut HashMap<&'a str, Option<Expansion>>,
    ) -> Option<Expansion> {
        if let Some(done) = memo.get(name) {
            // A fragment still being visited (None) is on the current path: a cycle.
            return *done;
        }
        // An unknown fragment expands to nothing here; validation refuses it.
        let Some(local) = graph.get(name) else {
            return Some(Expansion::default());
        };
        memo.insert(name, None);
        let mut below = Expansion {
            depth: 0,
            selections: local.fields,
        };
        for child in &local.spreads {
            let c = visit(child, graph, memo)?;
            below.depth = below.depth.max(c.depth);
            below.selections = below.selections.saturating_add(c.selections);
        }
        let this = Expansion {
            depth: below.depth + 1,
            selections: below.selections,
        };
        memo.insert(name, Some(this));
        Some(this)
    }
    let mut memo = HashMap::new();
    let mut total = Expansion {
        depth: 0,
        selections: roots.fields,
    };
    for root in &roots.spreads {
        let c = visit(root, graph, &mut memo)?;
        total.depth = total.depth.max(c.depth);
        total.selections = total.selections.saturating_add(c.selections);
    }
    // Fragments no operation uses are still checked for cycles (validation would refuse them,
    // but only after walking them).
    for name in graph.keys() {
        visit(name, graph, &mut memo)?;
    }
    Some(total)
}

/// `QUERY_TOO_COMPLEX` naming the limit.
pub fn too_complex(limit: &str, message: String, max: usize) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "QUERY_TOO_COMPLEX");
    ext.set("limit", limit);
    ext.set("max", max);
    err.extensions = Some(ext);
    err
}

/// Holds a document's shape to `limits`.
pub fn check(shape: &Shape, limits: &Limits) -> Result<(), ServerError> {
    if shape.aliases > limits.aliases {
        let message = format!(
            "the request uses {} aliases; the limit is {}",
            shape.aliases, limits.aliases
        );
        return Err(too_complex("aliases", message, limits.aliases));
    }
    if shape.directives > limits.directives {
        let message = format!(
            "the request uses {} directives; the limit is {}",
            shape.directives, limits.directives
        );
        return Err(too_complex("directives", message, limits.directives));
    }
    match shape.fragments {
        None => {
            let message = "fragments spread each other in a cycle".to_owned();
            Err(too_complex("fragmentDepth", message, limits.fragment_depth))
        }
        Some(e) if e.depth > limits.fragment_depth => {
            let message = format!(
                "fragments nest {} deep; the limit is {}",
                e.depth, limits.fragment_depth
            );
            Err(too_complex("fragmentDepth", message, limits.fragment_depth))
        }
        Some(e) if e.selections > limits.selections => {
            let message = format!(
                "the request selects {} fields once its fragments are expanded; the limit is {}",
                e.selections, limits.selections
            );
            Err(too_complex("selections", message, limits.selections))
        }
        Some(_) => Ok(()),
    }
}

/// In a request's data: its document has been held to the limits already (by the HTTP layer,
/// which parses it first).
pub struct Checked;

/// The schema extension that holds every parsed document to the [`Limits`] before it is
/// validated: validation walks every expanded selection, so a document that fans out must be
/// refused first.
pub struct DocumentLimits(pub Limits);

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentLimitsExtension(self.0))
    }
}

struct DocumentLimitsExtension(Limits);

#[async_trait::async_trait]
impl Extension for DocumentLimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        // async-graphql's own parse step already walks every expanded selection (its
        // recursion-depth check), so the document is read and held to the limits before it:
        // parsed once more here unless the HTTP layer has checked it already.
        if ctx.data_opt::<Checked>().is_none() {
            let doc = async_graphql::parser::parse_query(query)?;
            // Which operation runs does not matter here: the whole document is held to them.
            if let Some(shape) = inspect(&doc, None) {
                check(&shape, &self.0)?;
            }
        }
        next.run(ctx, query, variables).await
    }
}
