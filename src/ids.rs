//! Opaque global ids (`node(id:)`): URL-safe base64 of `Type:key`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::AppError;

/// The kinds of object a global id can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Entry,
    Organisation,
    Country,
    Region,
    ActionLine,
    Sdg,
    GdcObjective,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Entry => "Entry",
            Kind::Organisation => "Organisation",
            Kind::Country => "Country",
            Kind::Region => "Region",
            Kind::ActionLine => "ActionLine",
            Kind::Sdg => "Sdg",
            Kind::GdcObjective => "GdcObjective",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "Entry" => Kind::Entry,
            "Organisation" => Kind::Organisation,
            "Country" => Kind::Country,
            "Region" => Kind::Region,
            "ActionLine" => Kind::ActionLine,
            "Sdg" => Kind::Sdg,
            "GdcObjective" => Kind::GdcObjective,
            _ => return None,
        })
    }
}

/// Encodes a global id.
pub fn encode(kind: Kind, key: impl std::fmt::Display) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{}:{key}", kind.as_str())))
}

/// Decodes a global id into its kind and key; `None` for anything malformed.
pub fn decode(id: &str) -> Option<(Kind, String)> {
    let raw = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((Kind::parse(kind)?, key.to_owned()))
}

/// Decodes a global id that must name a `kind` with an integer key (entries, organisations).
pub fn decode_int(id: &str, kind: Kind, field: &str) -> Result<i64, AppError> {
    match decode(id) {
        Some((k, key)) if k == kind => key
            .parse()
            .map_err(|_| AppError::bad_input(field, format!("`{id}` is not a valid {} id", kind.as_str()))),
        _ => Err(AppError::bad_input(
            field,
            format!("`{id}` is not a valid {} id", kind.as_str()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects_garbage() {
        let id = encode(Kind::Entry, 42);
        assert_eq!(decode(&id), Some((Kind::Entry, "42".to_owned())));
        assert_eq!(decode("not base64 !"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("Nope:1")), None);
        assert!(decode_int(&encode(Kind::Country, "FR"), Kind::Entry, "id").is_err());
    }
}
