//! What a request's document holds, read in one linear pass over the parsed document before
//! async-graphql validates it, and the request limits: aliases, directives, fragment nesting,
//! the selection count once fragments are expanded, depth and complexity (both leaving out
//! real introspection, which has bounds of its own, as graphql-js's `MaxIntrospectionDepthRule`
//! and Apollo Router's `introspection_max_depth` do). The [`DocumentLimits`] extension holds
//! every operation to them, over HTTP and WebSocket alike.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

use crate::config::Limits;

/// What a request's document holds, counted over the whole document (fragments included: no
/// operation is exempt by its name or by hiding in a fragment).
pub struct Shape {
    pub kind: OperationType,
    /// Aliased fields, as written (a fragment's count once).
    pub aliases: usize,
    /// Directives, as written.
    pub directives: usize,
    /// What the document expands to; `None` when fragments spread each other in a cycle.
    pub measure: Option<Measure>,
    /// Whether the document selects `__schema` or `__type` anywhere.
    pub introspects: bool,
    /// The operation's own name.
    pub name: Option<String>,
}

/// What a document expands to once every fragment spread is replaced by its fragment. Each
/// fragment is measured once (memoised over the fragment graph), so measuring is linear in the
/// document however far its fragments fan out; every count saturates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measure {
    /// Fields selected (ten spreads of a fragment count its fields ten times).
    pub selections: usize,
    /// Deepest nesting of fields, outside introspection: a real `__schema` or `__type` field
    /// (matched by field, never by operation, alias or fragment name) counts as one level, and
    /// what is under it is bounded by `introspection_lists` and `of_type` instead.
    pub depth: usize,
    /// Fields inside introspection subtrees, the `__schema`/`__type` fields included: left out
    /// of the complexity.
    pub introspection: usize,
    /// Most of `fields`, `inputFields`, `interfaces` and `possibleTypes` nested on one path
    /// inside an introspection subtree (the standard introspection query nests one).
    pub introspection_lists: usize,
    /// Longest `ofType` chain inside an introspection subtree (graphql-js asks for 9).
    pub of_type: usize,
    /// Longest chain of fragment spreads.
    pub fragment_depth: usize,
}

/// The introspection fields that list types or fields: nesting them multiplies the answer.
const LIST_FIELDS: [&str; 4] = ["fields", "inputFields", "interfaces", "possibleTypes"];

/// A selection set's measure, with what a parent needs to measure introspection above it.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    m: Measure,
    /// List fields nested on one path, and the `ofType` chain, counted everywhere (they count
    /// once a `__schema` or `__type` field above is reached).
    lists: usize,
    of_type: usize,
}

impl Acc {
    /// Adds selections made side by side.
    fn beside(&mut self, o: Acc) {
        let (a, b) = (&mut self.m, o.m);
        a.selections = a.selections.saturating_add(b.selections);
        a.depth = a.depth.max(b.depth);
        a.introspection = a.introspection.saturating_add(b.introspection);
        a.introspection_lists = a.introspection_lists.max(b.introspection_lists);
        a.of_type = a.of_type.max(b.of_type);
        a.fragment_depth = a.fragment_depth.max(b.fragment_depth);
        self.lists = self.lists.max(o.lists);
        self.of_type = self.of_type.max(o.of_type);
    }

    /// The measure of a field named `name` selecting `child`.
    fn field(name: &str, child: Acc) -> Acc {
        let size = child.m.selections.saturating_add(1);
        let list = usize::from(LIST_FIELDS.contains(&name));
        let of_type = usize::from(name == "ofType");
        let mut m = Measure {
            selections: size,
            fragment_depth: child.m.fragment_depth,
            ..Measure::default()
        };
        if name == "__schema" || name == "__type" {
            m.depth = 1;
            m.introspection = size;
            m.introspection_lists = child.lists;
            m.of_type = child.of_type;
        } else {
            m.depth = child.m.depth.saturating_add(1);
            m.introspection = child.m.introspection;
            m.introspection_lists = child.m.introspection_lists;
            m.of_type = child.m.of_type;
        }
        Acc {
            m,
            lists: child.lists + list,
            of_type: child.of_type + of_type,
        }
    }
}

/// Fragments were found to spread each other in a cycle.
struct Cycle;

/// Walks a document once, measuring each fragment once.
struct Walker<'a> {
    doc: &'a ExecutableDocument,
    /// Fragments measured (`None`: being measured, so met again on its own path: a cycle).
    memo: HashMap<&'a str, Option<Acc>>,
    aliases: usize,
    directives: usize,
    introspects: bool,
}

impl<'a> Walker<'a> {
    fn set(&mut self, set: &'a SelectionSet) -> Result<Acc, Cycle> {
        let mut acc = Acc::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    self.aliases += usize::from(f.node.alias.is_some());
                    self.directives += f.node.directives.len();
                    let name = f.node.name.node.as_str();
                    self.introspects |= name == "__schema" || name == "__type";
                    let child = self.set(&f.node.selection_set.node)?;
                    acc.beside(Acc::field(name, child));
                }
                Selection::InlineFragment(f) => {
                    self.directives += f.node.directives.len();
                    let child = self.set(&f.node.selection_set.node)?;
                    acc.beside(child);
                }
                Selection::FragmentSpread(f) => {
                    self.directives += f.node.directives.len();
                    let child = self.fragment(f.node.fragment_name.node.as_str())?;
                    acc.beside(child);
                }
            }
        }
        Ok(acc)
    }

    fn fragment(&mut self, name: &'a str) -> Result<Acc, Cycle> {
        match self.memo.get(name) {
            Some(Some(done)) => return Ok(*done),
            Some(None) => return Err(Cycle),
            None => {}
        }
        // An unknown fragment measures nothing here; validation refuses it.
        let Some((key, fragment)) = self.doc.fragments.get_key_value(name) else {
            return Ok(Acc::default());
        };
        let key = key.as_str();
        self.memo.insert(key, None);
        self.directives += fragment.node.directives.len();
        let mut acc = self.set(&fragment.node.selection_set.node)?;
        acc.m.fragment_depth = acc.m.fragment_depth.saturating_add(1);
        self.memo.insert(key, Some(acc));
        Ok(acc)
    }
}

/// Reads a document's shape in one linear pass; `operation` picks the operation whose kind
/// and name are reported. `None` when the document has no such operation.
pub fn inspect(doc: &ExecutableDocument, operation: Option<&str>) -> Option<Shape> {
    let mut w = Walker {
        doc,
        memo: HashMap::new(),
        aliases: 0,
        directives: 0,
        introspects: false,
    };
    let mut total = Acc::default();
    let mut cycle = false;
    for (_, op) in doc.operations.iter() {
        w.directives += op.node.directives.len();
        match w.set(&op.node.selection_set.node) {
            Ok(acc) => total.beside(acc),
            Err(Cycle) => cycle = true,
        }
    }
    // Fragments no operation uses are still read (validation would refuse them, but only
    // after walking them): their cycles and directives count.
    for name in doc.fragments.keys() {
        if w.fragment(name.as_str()).is_err() {
            cycle = true;
        }
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
        aliases: w.aliases,
        directives: w.directives,
        measure: (!cycle).then_some(total.m),
        introspects: w.introspects,
        name,
    })
}

/// Most list fields (`fields`, `inputFields`, `interfaces`, `possibleTypes`) nested inside
/// introspection, as graphql-js's `MaxIntrospectionDepthRule` allows.
pub const INTROSPECTION_LISTS: usize = 2;
/// Longest `ofType` chain inside introspection: graphql-js's standard query asks for 9 (our
/// types need 3: `[T!]!`), plus one.
pub const INTROSPECTION_OF_TYPE: usize = 10;

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
    /// `QUERY_TOO_COMPLEX` for `limit` when `used` is over `max`; `says` tells what was used.
    fn within(limit: &str, used: usize, max: usize, says: impl Fn(usize) -> String) -> Result<(), ServerError> {
        if used <= max {
            return Ok(());
        }
        Err(too_complex(limit, format!("{}; the limit is {max}", says(used)), max))
    }
    within("aliases", shape.aliases, limits.aliases, |n| {
        format!("the request uses {n} aliases")
    })?;
    within("directives", shape.directives, limits.directives, |n| {
        format!("the request uses {n} directives")
    })?;
    let Some(m) = shape.measure else {
        let message = "fragments spread each other in a cycle".to_owned();
        return Err(too_complex("fragmentDepth", message, limits.fragment_depth));
    };
    within("fragmentDepth", m.fragment_depth, limits.fragment_depth, |n| {
        format!("fragments nest {n} deep")
    })?;
    within("selections", m.selections, limits.selections, |n| {
        format!("the request selects {n} fields once its fragments are expanded")
    })?;
    within("depth", m.depth, limits.depth, |n| {
        format!("the request nests fields {n} deep")
    })?;
    within("introspection", m.introspection_lists, INTROSPECTION_LISTS, |n| {
        format!("introspection nests fields, inputFields, interfaces or possibleTypes {n} deep")
    })?;
    within("introspection", m.of_type, INTROSPECTION_OF_TYPE, |n| {
        format!("introspection nests ofType {n} deep")
    })
}

/// In a request's data: its document's measure, held to the limits already (by the HTTP
/// layer, which parses the document first).
pub struct Checked(pub Measure);

/// The schema extension that holds every document to the [`Limits`]: before it is validated
/// (validation, and async-graphql's own parse step, walk every expanded selection, so a
/// document that fans out must be refused first), then the complexity that validation
/// computes, less the introspection fields. Register it after the rate limiter's `Metering`,
/// which then charges that complexity.
pub struct DocumentLimits(pub Limits);

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentLimitsExtension {
            limits: self.0,
            measure: Mutex::new(None),
        })
    }
}

/// One request's.
struct DocumentLimitsExtension {
    limits: Limits,
    measure: Mutex<Option<Measure>>,
}

#[async_trait::async_trait]
impl Extension for DocumentLimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let measure = match ctx.data_opt::<Checked>() {
            Some(Checked(m)) => Some(*m),
            None => {
                // Parsed once more here: the parse step that follows expands fragments.
                let doc = async_graphql::parser::parse_query(query)?;
                // Which operation runs does not matter: the whole document is held to them.
                match inspect(&doc, None) {
                    Some(shape) => {
                        check(&shape, &self.limits)?;
                        shape.measure
                    }
                    None => None,
                }
            }
        };
        *self.measure.lock().unwrap_or_else(|e| e.into_inner()) = measure;
        next.run(ctx, query, variables).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let mut result = next.run(ctx).await?;
        let measure = *self.measure.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = measure {
            // Introspection is bounded by its own limits, not by depth and complexity.
            result.complexity = result.complexity.saturating_sub(m.introspection);
            result.depth = m.depth;
        }
        if result.complexity > self.limits.complexity {
            let message = format!(
                "the request's complexity is {}; the limit is {}",
                result.complexity, self.limits.complexity
            );
            return Err(vec![too_complex("complexity", message, self.limits.complexity)]);
        }
        Ok(result)
    }
}
