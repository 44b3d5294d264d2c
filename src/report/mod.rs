//! The regional report as a document: an HTML page with server-drawn SVG charts
//! ([`html`], [`charts`]) and a CSV of the same numbers ([`csv`]), both from one
//! [`crate::domain::report::Report`]. `GET /reports/regions/{code}` serves them
//! (in `src/http/report.rs`); GraphQL's `regionalReport` gives the same report as data.

pub mod charts;
pub mod csv;
pub mod html;

use entity::enums::StakeholderType;

use crate::catalog::ActionLine;
use crate::domain::report::Listed;
use crate::ids::{self, Kind};

/// The years a report covers, in words: `2019–2024`, `from 2019`, `up to 2024`, `all years`.
pub fn period(from: Option<i32>, to: Option<i32>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f == t => f.to_string(),
        (Some(f), Some(t)) => format!("{f}–{t}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (None, None) => "all years".to_owned(),
    }
}

/// The report's path (`ext` `""` for the page, `".csv"` for the data).
pub fn path(code: &str, from: Option<i32>, to: Option<i32>, ext: &str) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(f) = from {
        query.append_pair("from", &f.to_string());
    }
    if let Some(t) = to {
        query.append_pair("to", &t.to_string());
    }
    let query = query.finish();
    let sep = if query.is_empty() { "" } else { "?" };
    format!(
        "/reports/regions/{}{ext}{sep}{query}",
        code.to_ascii_lowercase().replace('_', "-")
    )
}

/// A region scheme's name.
pub fn scheme(code: &str) -> &'static str {
    match code {
        "ITU_D" => "ITU-D region",
        "UN_REGIONAL_COMMISSION" => "UN Regional Commission",
        "ITU_ADMINISTRATIVE" => "ITU administrative region",
        _ => "region",
    }
}

/// A stakeholder type's name.
pub fn stakeholder(t: StakeholderType) -> &'static str {
    match t {
        StakeholderType::Government => "Government",
        StakeholderType::PrivateSector => "Private sector",
        StakeholderType::CivilSociety => "Civil society",
        StakeholderType::Academia => "Academia",
        StakeholderType::InternationalOrganisation => "International organisation",
        StakeholderType::Other => "Other",
    }
}

/// A category's short label: `C2 Infrastructure`, `C7 E-health`.
pub fn category(a: &ActionLine) -> String {
    let code = a.parent.as_deref().unwrap_or(&a.code);
    format!("{code} {}", a.short_name)
}

/// The entry's public id and a link that opens it in GraphQL (`GET /graphql`).
pub fn graphql_link(entry: &Listed) -> (String, String) {
    let id = ids::encode(Kind::Entry, entry.entry.number).to_string();
    let query = format!(
        "{{ node(id: \"{id}\") {{ ... on Entry {{ number title description status year updatedAt \
         organisation {{ name }} countries {{ name }} actionLines {{ code name }} sdgs {{ number title }} }} }} }}"
    );
    let link = format!(
        "/graphql?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", &query)
            .finish()
    );
    (id, link)
}

/// A link that runs this report's `regionalReport` query (`GET /graphql`).
pub fn report_query_link(code: &str, from: Option<i32>, to: Option<i32>) -> String {
    let mut args = format!("region: {code}");
    for (name, year) in [("from", from), ("to", to)] {
        if let Some(y) = year {
            args.push_str(&format!(", {name}: {y}"));
        }
    }
    let query = format!(
        "{{ regionalReport({args}) {{ region {{ code name }} total byYear {{ year count }} \
         byCategory {{ actionLine {{ code }} count }} bySdg {{ sdg {{ number }} count }} \
         topCountries {{ country {{ code }} count }} byStakeholderType {{ stakeholderType count }} }} }}"
    );
    format!(
        "/graphql?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", &query)
            .finish()
    )
}

/// An integer with thin thousands separators: `12 500`.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(d);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// `part` of `whole` as a percentage with one decimal.
pub fn share(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "0%".to_owned();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_periods_and_paths() {
        assert_eq!(number(12_500), "12\u{202f}500");
        assert_eq!(number(999), "999");
        assert_eq!(number(1_000_000), "1\u{202f}000\u{202f}000");
        assert_eq!(share(1, 3), "33.3%");
        assert_eq!(period(Some(2019), Some(2024)), "2019–2024");
        assert_eq!(period(None, None), "all years");
        assert_eq!(
            path("ASIA_PACIFIC", Some(2019), None, ".csv"),
            "/reports/regions/asia-pacific.csv?from=2019"
        );
        assert_eq!(path("AFRICA", None, None, ""), "/reports/regions/africa");
    }
}
