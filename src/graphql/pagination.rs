//! Relay pagination arguments and opaque keyset cursors.

use async_graphql::SimpleObject;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::store::page::{Seek, SortKey, SortValue};

/// The largest page a connection serves.
pub const MAX_PAGE: i32 = 100;
/// The page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: i32 = 20;

/// Relay's page information.
#[derive(SimpleObject, Debug, Clone, Default)]
pub struct PageInfo {
    /// Whether more items follow this page in the ordering.
    pub has_next_page: bool,
    /// Whether items precede this page in the ordering.
    pub has_previous_page: bool,
    /// Cursor of the first item of the page.
    pub start_cursor: Option<String>,
    /// Cursor of the last item of the page; pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

/// Validated `first/after/last/before`.
#[derive(Debug, Clone)]
pub struct Window {
    pub size: u64,
    pub backward: bool,
    pub cursor: Option<String>,
}

impl Window {
    /// The argument a cursor of this window came in (`after` or `before`), for errors.
    pub fn cursor_field(&self) -> &'static str {
        if self.backward { "before" } else { "after" }
    }

    /// Settles the rows read for this window (`size + 1` at most, in the direction of
    /// travel): drops the extra row, puts a backward page back in order, and says whether
    /// there were more.
    pub fn settle<T>(&self, rows: &mut Vec<T>) -> bool {
        let more = rows.len() as u64 > self.size;
        rows.truncate(self.size as usize);
        if self.backward {
            rows.reverse();
        }
        more
    }

    /// The page's information: `more` rows beyond it in the direction of travel, a cursor it
    /// started from, and the cursors of its first and last items.
    pub fn page_info(&self, more: bool, had_cursor: bool, start: Option<&String>, end: Option<&String>) -> PageInfo {
        PageInfo {
            has_next_page: if self.backward { had_cursor } else { more },
            has_previous_page: if self.backward { more } else { had_cursor },
            start_cursor: start.cloned(),
            end_cursor: end.cloned(),
        }
    }
}

/// Checks the Relay arguments: `first` and `last` are 1–100 and not both given; `after` goes with
/// `first`, `before` with `last`.
pub fn window(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<Window, AppError> {
    let check = |n: i32, field: &str| {
        if (1..=MAX_PAGE).contains(&n) {
            Ok(n as u64)
        } else {
            Err(AppError::bad_input(
                field,
                format!("`{field}` must be between 1 and {MAX_PAGE}, got {n}"),
            ))
        }
    };
    match (first, last) {
        (Some(_), Some(_)) => Err(AppError::bad_input("last", "pass either `first` or `last`, not both")),
        (_, Some(n)) => {
            if after.is_some() {
                return Err(AppError::bad_input(
                    "after",
                    "`after` goes with `first`; use `before` with `last`",
                ));
            }
            Ok(Window {
                size: check(n, "last")?,
                backward: true,
                cursor: before,
            })
        }
        (n, None) => {
            if before.is_some() {
                return Err(AppError::bad_input(
                    "before",
                    "`before` goes with `last`; use `after` with `first`",
                ));
            }
            Ok(Window {
                size: check(n.unwrap_or(DEFAULT_PAGE), "first")?,
                backward: false,
                cursor: after,
            })
        }
    }
}

#[derive(Serialize, Deserialize)]
struct RawCursor {
    /// Sort key name.
    k: String,
    /// Integer value (NUMBER).
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<i64>,
    /// Text value (TITLE).
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<String>,
    /// Time value (UPDATED_AT), RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<DateTime<Utc>>,
    /// Date value (START_DATE).
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<NaiveDate>,
    /// Float value (RELEVANCE), as its IEEE 754 bits: a decimal round trip through JSON is not
    /// guaranteed to be exact, and a keyset compares for equality.
    #[serde(skip_serializing_if = "Option::is_none")]
    f: Option<u64>,
    /// Entry id (the tie-breaker).
    i: i64,
}

fn key_name(key: SortKey) -> &'static str {
    match key {
        SortKey::Number => "NUMBER",
        SortKey::Title => "TITLE",
        SortKey::UpdatedAt => "UPDATED_AT",
        SortKey::StartDate => "START_DATE",
        SortKey::Relevance => "RELEVANCE",
    }
}

/// The ordering a cursor belongs to: the key, and ` DESC` when descending (a position in one
/// direction means nothing in the other).
fn ordering_name(key: SortKey, descending: bool) -> String {
    if descending {
        format!("{} DESC", key_name(key))
    } else {
        key_name(key).to_owned()
    }
}

/// Encodes a keyset position in an ordering (key and direction) as an opaque cursor.
pub fn encode_cursor(key: SortKey, descending: bool, seek: &Seek) -> String {
    encode_named(&ordering_name(key, descending), seek)
}

/// Encodes a keyset position in the ordering named `ordering` (another connection's, such as
/// `organisations`').
pub fn encode_named(ordering: &str, seek: &Seek) -> String {
    let mut raw = RawCursor {
        k: ordering.to_owned(),
        n: None,
        s: None,
        t: None,
        d: None,
        f: None,
        i: seek.id,
    };
    match &seek.value {
        SortValue::Int(v) => raw.n = Some(*v),
        SortValue::Text(v) => raw.s = Some(v.clone()),
        SortValue::Time(v) => raw.t = Some(*v),
        SortValue::Date(v) => raw.d = Some(*v),
        SortValue::Float(v) => raw.f = Some(v.to_bits()),
    }
    // Serialising this plain struct cannot fail.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&raw).unwrap_or_default())
}

/// Decodes a cursor made by [`encode_cursor`] for the same ordering, direction included;
/// anything else (garbage, a cursor from another ordering, the other direction or another
/// connection) is a `BAD_USER_INPUT` on `field`.
pub fn decode_cursor(cursor: &str, key: SortKey, descending: bool, field: &str) -> Result<Seek, AppError> {
    let kind = match key {
        SortKey::Number => ValueKind::Int,
        SortKey::Title => ValueKind::Text,
        SortKey::UpdatedAt => ValueKind::Time,
        SortKey::StartDate => ValueKind::Date,
        SortKey::Relevance => ValueKind::Float,
    };
    decode_named(cursor, &ordering_name(key, descending), kind, field)
}

/// The kind of value a cursor's ordering sorts by.
#[derive(Debug, Clone, Copy)]
pub enum ValueKind {
    Int,
    Text,
    Time,
    Date,
    Float,
}

/// Decodes a cursor made by [`encode_named`] for `ordering`, whose values are of `kind`.
pub fn decode_named(cursor: &str, ordering: &str, kind: ValueKind, field: &str) -> Result<Seek, AppError> {
    let bad = || AppError::bad_input(field, format!("`{field}` is not a valid cursor for this ordering"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let raw: RawCursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if raw.k != ordering {
        return Err(bad());
    }
    let value = match kind {
        ValueKind::Int => SortValue::Int(raw.n.ok_or_else(bad)?),
        ValueKind::Text => SortValue::Text(raw.s.ok_or_else(bad)?),
        ValueKind::Time => SortValue::Time(raw.t.ok_or_else(bad)?),
        ValueKind::Date => SortValue::Date(raw.d.ok_or_else(bad)?),
        ValueKind::Float => SortValue::Float(raw.f.map(f64::from_bits).filter(|f| f.is_finite()).ok_or_else(bad)?),
    };
    Ok(Seek { value, id: raw.i })
}

/// The complexity of a connection: its page size (`first` or `last`, default 20, at most
/// [`MAX_PAGE`]) times the complexity of what each item selects.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let size = first.or(last).unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE) as usize;
    size.saturating_mul(child.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_ordering() {
        let seek = Seek {
            value: SortValue::Text("Télémédecine".into()),
            id: 7,
        };
        let c = encode_cursor(SortKey::Title, false, &seek);
        assert_eq!(
            decode_cursor(&c, SortKey::Title, false, "after").ok(),
            Some(seek.clone())
        );
        assert!(
            decode_cursor(&c, SortKey::Title, true, "after").is_err(),
            "the other direction"
        );
        assert!(decode_cursor(&c, SortKey::Number, false, "after").is_err());
        assert!(decode_cursor("garbage!", SortKey::Number, false, "after").is_err());
        let desc = encode_cursor(SortKey::Title, true, &seek);
        assert_eq!(decode_cursor(&desc, SortKey::Title, true, "after").ok(), Some(seek));
        assert!(decode_cursor(&desc, SortKey::Title, false, "after").is_err());
    }

    #[test]
    fn relevance_cursors_keep_every_bit_of_the_score() {
        // A bm25 score whose decimal form serde_json parses 1 ulp off: a keyset compares for
        // equality, so such a cursor would repeat entries across pages.
        let score = f64::from_bits(0x3ec0_dda1_a50b_3dc9);
        let seek = Seek {
            value: SortValue::Float(score),
            id: 18,
        };
        let decoded = decode_cursor(
            &encode_cursor(SortKey::Relevance, true, &seek),
            SortKey::Relevance,
            true,
            "after",
        );
        match decoded.map(|s| s.value) {
            Ok(SortValue::Float(f)) => assert_eq!(f.to_bits(), score.to_bits()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn window_limits() {
        assert!(window(Some(101), None, None, None).is_err());
        assert!(window(Some(0), None, None, None).is_err());
        assert!(window(Some(1), None, Some(1), None).is_err());
        assert_eq!(window(None, None, None, None).map(|w| w.size).ok(), Some(20));
        assert!(window(None, None, Some(5), None).map(|w| w.backward).unwrap_or(false));
    }
}
