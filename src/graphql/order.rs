//! The response in the order of its selection: async-graphql builds each object in the order
//! its fields finish resolving, so the HTTP layer writes `data` in this order instead, as the
//! spec asks.

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet};

/// The order of a response's fields: for each response key of a selection set (alias or name,
/// in the order the fields appear once fragments are expanded), the order below it. async-graphql
/// builds each object in the order its fields finish resolving, so the HTTP layer writes the
/// response in this order instead, as the spec asks.
#[derive(Debug, Default)]
pub struct Order {
    keys: Vec<(String, Order)>,
}

impl Order {
    /// The order of `operation` (or the document's only operation); empty when there is none.
    pub fn of(doc: &ExecutableDocument, operation: Option<&str>) -> Order {
        let set = match (&doc.operations, operation) {
            (DocumentOperations::Single(op), _) => Some(&op.node.selection_set.node),
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node.selection_set.node),
            (DocumentOperations::Multiple(ops), None) => ops.iter().next().map(|(_, op)| &op.node.selection_set.node),
        };
        set.map_or_else(Order::default, |s| Order::merged(doc, &[s]))
    }

    /// The order of several selection sets selected at one place (fields merged by key).
    fn merged(doc: &ExecutableDocument, sets: &[&SelectionSet]) -> Order {
        let mut keys: Vec<(String, Vec<&SelectionSet>)> = Vec::new();
        for set in sets {
            collect(doc, set, &mut keys, 0);
        }
        Order {
            keys: keys
                .into_iter()
                .map(|(key, children)| {
                    let below = if children.iter().all(|c| c.items.is_empty()) {
                        Order::default()
                    } else {
                        Order::merged(doc, &children)
                    };
                    (key, below)
                })
                .collect(),
        }
    }

    /// `data` written in this order.
    pub fn apply<'a>(&'a self, data: &'a async_graphql::Value) -> Ordered<'a> {
        Ordered(data, self)
    }
}

/// The response keys of `set` in order, each with the selection sets under it.
fn collect<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    keys: &mut Vec<(String, Vec<&'a SelectionSet>)>,
    depth: usize,
) {
    // Fragments nest at most LIMIT_FRAGMENT_DEPTH deep by the time a document runs; the bound
    // here only keeps a document that never ran from recursing for ever.
    if depth > 64 {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let key = f.node.response_key().node.as_str();
                let child = &f.node.selection_set.node;
                match keys.iter_mut().find(|(k, _)| k == key) {
                    Some((_, children)) => children.push(child),
                    None => keys.push((key.to_owned(), vec![child])),
                }
            }
            Selection::InlineFragment(f) => collect(doc, &f.node.selection_set.node, keys, depth + 1),
            Selection::FragmentSpread(f) => {
                if let Some(fragment) = doc.fragments.get(&f.node.fragment_name.node) {
                    collect(doc, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
        }
    }
}

/// A response value written in an [`Order`].
pub struct Ordered<'a>(&'a async_graphql::Value, &'a Order);

impl serde::Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            async_graphql::Value::Object(map) if !self.1.keys.is_empty() => {
                let mut out = s.serialize_map(Some(map.len()))?;
                let mut written = 0;
                for (key, below) in &self.1.keys {
                    if let Some(v) = map.get(key.as_str()) {
                        out.serialize_entry(key, &Ordered(v, below))?;
                        written += 1;
                    }
                }
                // Keys the selection does not name (none expected) keep async-graphql's order.
                if written < map.len() {
                    for (k, v) in map {
                        if !self.1.keys.iter().any(|(key, _)| key == k.as_str()) {
                            out.serialize_entry(k.as_str(), v)?;
                        }
                    }
                }
                out.end()
            }
            async_graphql::Value::List(items) if !self.1.keys.is_empty() => {
                let mut out = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&Ordered(item, self.1))?;
                }
                out.end()
            }
            other => other.serialize(s),
        }
    }
}
