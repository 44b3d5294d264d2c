//! Full-text search terms: user text becomes words, and words become an FTS5 expression
//! (SQLite) or a `tsquery` (PostgreSQL), always bound as a parameter, never spliced into SQL.

use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DbBackend};

use entity::entry;

/// At most this many words are searched for.
const MAX_WORDS: usize = 16;

/// The words of a search, lower-cased; the last one also matches as a prefix ("tele" finds
/// "telemedicine"), as people typing in a search box expect.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    words: Vec<String>,
}

impl Search {
    /// Splits any user text into words (letters and digits in any script); quotes, operators,
    /// punctuation and emoji only separate words. `None` when the text has no word at all.
    pub fn parse(text: &str) -> Option<Search> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(str::to_lowercase)
            .collect();
        (!words.is_empty()).then_some(Search { words })
    }

    /// The words, lower-cased, in order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// An FTS5 query: every word as a quoted string (so FTS5 operators in user text are just
    /// words), the last one with a prefix star.
    fn fts5(&self) -> String {
        let last = self.words.len() - 1;
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A `tsquery` in PostgreSQL's syntax: words contain only letters and digits, so they cannot
    /// be operators.
    fn tsquery(&self) -> String {
        let last = self.words.len() - 1;
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("{w}:*") } else { w.clone() })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// The entries matching every word.
    pub fn condition(&self, backend: DbBackend) -> Condition {
        match backend {
            DbBackend::Postgres => Condition::all().add(Expr::cust_with_values(
                "entries.search_vector @@ to_tsquery('simple', $1)",
                [self.tsquery()],
            )),
            _ => Condition::all().add(
                entry::Column::Id.in_subquery(
                    Query::select()
                        .expr(Expr::cust("rowid"))
                        .from(sea_orm::sea_query::Alias::new("entries_fts"))
                        .and_where(Expr::cust_with_values("entries_fts MATCH ?", [self.fts5()]))
                        .to_owned(),
                ),
            ),
        }
    }

    /// Relevance of an entry (higher is more relevant), as a `float8` SQL expression. On SQLite
    /// it reads the `fts_rank` subquery (its column is not called `rank`: that is FTS5's own hidden column) of [`Search::rank_source`], joined by the page query.
    pub fn rank(&self, backend: DbBackend) -> SimpleExpr {
        match backend {
            DbBackend::Postgres => Expr::cust_with_values(
                "ts_rank_cd(entries.search_vector, to_tsquery('simple', $1))::float8",
                [self.tsquery()],
            ),
            _ => Expr::cust("fts_rank.score"),
        }
    }

    /// On SQLite, the subquery that [`Search::rank`] reads: `(fts_id, rank)` of the matches,
    /// title weighted above organisation name above description.
    pub fn rank_source(&self) -> sea_orm::sea_query::SelectStatement {
        Query::select()
            .expr_as(Expr::cust("rowid"), sea_orm::sea_query::Alias::new("fts_id"))
            .expr_as(
                Expr::cust("-bm25(entries_fts, 10.0, 1.0, 3.0)"),
                sea_orm::sea_query::Alias::new("score"),
            )
            .from(sea_orm::sea_query::Alias::new("entries_fts"))
            .and_where(Expr::cust_with_values("entries_fts MATCH ?", [self.fts5()]))
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_becomes_plain_words() {
        let s = Search::parse(r#"Télé-médecine "OR" NEAR(x) -- ' ; DROP 🚀 صحة здоровье 远程医疗"#);
        let s = s.expect("words");
        assert_eq!(
            s.words,
            [
                "télé",
                "médecine",
                "or",
                "near",
                "x",
                "drop",
                "صحة",
                "здоровье",
                "远程医疗"
            ]
        );
        assert_eq!(Search::parse("tele").map(|s| s.fts5()).as_deref(), Some("\"tele\"*"));
        assert_eq!(
            Search::parse("rural tele").map(|s| s.tsquery()).as_deref(),
            Some("rural & tele:*")
        );
        assert_eq!(Search::parse(" 🚀 !!! "), None);
    }
}
