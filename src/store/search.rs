//! Full-text search: user text becomes folded terms ([`crate::fold`]), and terms become an FTS5
//! expression (SQLite) or a `tsquery` (PostgreSQL), always bound as a parameter, never spliced
//! into SQL. The index (`entries_fts` on SQLite, `entry_search` on PostgreSQL) holds each
//! entry's folded title, description and organisation name, written here after every write.

use sea_orm::sea_query::{Alias, Expr, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};

use crate::fold::{self, Term};
use entity::entry;

/// At most this many words are searched for.
const MAX_WORDS: usize = 16;

/// Entries indexed per statement.
const INDEX_BATCH: usize = 1_000;

/// The terms of a search; the last word also matches as a prefix ("tele" finds
/// "telemedicine"), as people typing in a search box expect.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    terms: Vec<Term>,
}

impl Search {
    /// Folds any user text into terms (letters and digits in any script); quotes, operators,
    /// punctuation and emoji only separate words. `None` when the text has no word at all.
    pub fn parse(text: &str) -> Option<Search> {
        let terms = fold::terms(text, MAX_WORDS);
        (!terms.is_empty()).then_some(Search { terms })
    }

    /// The folded terms, in order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// An FTS5 query: every word as a quoted string (so FTS5 operators in user text are just
    /// words), a run of ideographs as the phrase of its pairs, the last word with a prefix star.
    fn fts5(&self) -> String {
        let last = self.terms.len() - 1;
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| match t {
                Term::Word(w) if i == last => format!("\"{w}\"*"),
                Term::Word(w) => format!("\"{w}\""),
                Term::Phrase(pairs) => format!("\"{}\"", pairs.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A `tsquery` in PostgreSQL's syntax: words hold only letters and digits, so they cannot
    /// be operators; a phrase's pairs are joined by `<->` (next to each other).
    fn tsquery(&self) -> String {
        let last = self.terms.len() - 1;
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| match t {
                Term::Word(w) if i == last => format!("{w}:*"),
                Term::Word(w) => w.clone(),
                Term::Phrase(pairs) => format!("({})", pairs.join(" <-> ")),
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// The matches' `(fts_id, score)`, title weighted above organisation name above
    /// description; [`Search::condition`] and [`Search::rank_source`] read it.
    fn matches(&self, backend: DbBackend, scored: bool) -> sea_orm::sea_query::SelectStatement {
        match backend {
            DbBackend::Postgres => {
                let q = self.tsquery();
                let mut s = Query::select();
                s.expr_as(Expr::cust("entry_id"), Alias::new("fts_id"));
                if scored {
                    s.expr_as(
                        Expr::cust_with_values("ts_rank_cd(document, to_tsquery('simple', $1))::float8", [q.clone()]),
                        Alias::new("score"),
                    );
                }
                s.from(Alias::new("entry_search"))
                    .and_where(Expr::cust_with_values("document @@ to_tsquery('simple', $1)", [q]))
                    .to_owned()
            }
            _ => {
                let mut s = Query::select();
                s.expr_as(Expr::cust("rowid"), Alias::new("fts_id"));
                if scored {
                    s.expr_as(Expr::cust("-bm25(entries_fts, 10.0, 1.0, 3.0)"), Alias::new("score"));
                }
                s.from(Alias::new("entries_fts"))
                    .and_where(Expr::cust_with_values("entries_fts MATCH ?", [self.fts5()]))
                    .to_owned()
            }
        }
    }

    /// The entries matching every term.
    pub fn condition(&self, backend: DbBackend) -> Condition {
        Condition::all().add(entry::Column::Id.in_subquery(self.matches(backend, false)))
    }

    /// Relevance of an entry (higher is more relevant): the `fts_rank` subquery's score, the
    /// page query joining [`Search::rank_source`] as `fts_rank`.
    pub fn rank(&self) -> SimpleExpr {
        Expr::cust("fts_rank.score")
    }

    /// The subquery that [`Search::rank`] reads: `(fts_id, score)` of the matches.
    pub fn rank_source(&self, backend: DbBackend) -> sea_orm::sea_query::SelectStatement {
        self.matches(backend, true)
    }
}

#[derive(FromQueryResult)]
struct Text {
    id: i64,
    title: String,
    description: String,
    organisation: String,
}

/// (Re)writes the index for these entries from their stored title, description and
/// organisation name: in the write's own transaction, so a search never sees half a write.
pub async fn index(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for chunk in ids.chunks(INDEX_BATCH) {
        let select = Query::select()
            .expr_as(Expr::cust("entries.id"), Alias::new("id"))
            .expr_as(Expr::cust("entries.title"), Alias::new("title"))
            .expr_as(Expr::cust("entries.description"), Alias::new("description"))
            .expr_as(Expr::cust("organisations.name"), Alias::new("organisation"))
            .from(Alias::new("entries"))
            .inner_join(
                Alias::new("organisations"),
                Expr::cust("organisations.id = entries.organisation_id"),
            )
            .and_where(entry::Column::Id.is_in(chunk.iter().copied()))
            .to_owned();
        let texts = Text::find_by_statement(backend.build(&select)).all(db).await?;
        if texts.is_empty() {
            continue;
        }
        let mut values: Vec<Value> = Vec::with_capacity(texts.len() * 4);
        let mut rows = Vec::with_capacity(texts.len());
        for (i, t) in texts.iter().enumerate() {
            values.extend([
                t.id.into(),
                fold::document(&t.title).into(),
                fold::document(&t.description).into(),
                fold::document(&t.organisation).into(),
            ]);
            rows.push(match backend {
                DbBackend::Postgres => {
                    let n = i * 4;
                    format!(
                        "(${}, setweight(to_tsvector('simple', ${}), 'A') || setweight(to_tsvector('simple', ${}), 'B') || setweight(to_tsvector('simple', ${}), 'C'))",
                        n + 1,
                        n + 2,
                        n + 3,
                        n + 4
                    )
                }
                _ => "(?, ?, ?, ?)".to_owned(),
            });
        }
        let rows = rows.join(", ");
        if backend == DbBackend::Postgres {
            let sql = format!(
                "INSERT INTO entry_search (entry_id, document) VALUES {rows} ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document"
            );
            db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        } else {
            let ids: Vec<Value> = texts.iter().map(|t| t.id.into()).collect();
            let marks = vec!["?"; ids.len()].join(", ");
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                format!("DELETE FROM entries_fts WHERE rowid IN ({marks})"),
                ids,
            ))
            .await?;
            let sql = format!("INSERT INTO entries_fts (rowid, title, description, organisation) VALUES {rows}");
            db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
    }
    Ok(())
}

/// The entries the index lacks.
async fn missing(db: &impl ConnectionTrait) -> Result<Vec<i64>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT e.id FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entry_search s WHERE s.entry_id = e.id) ORDER BY e.id"
        }
        _ => "SELECT id FROM entries WHERE id NOT IN (SELECT rowid FROM entries_fts) ORDER BY id",
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await?
        .iter()
        .map(|r| r.try_get_by_index::<i64>(0))
        .collect()
}

/// Indexes every entry the index lacks, under the write lock (replicas starting together do
/// not race, and no write lands half-indexed): at start, after the migration that emptied the
/// index, and after a restore. Returns how many were indexed.
pub async fn ensure_index(db: &sea_orm::DatabaseConnection) -> Result<usize, DbErr> {
    if missing(db).await?.is_empty() {
        return Ok(0);
    }
    let txn = crate::store::begin(db).await?;
    let ids = missing(&txn).await?;
    index(&txn, &ids).await?;
    txn.commit().await?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_become_fts5_and_tsquery_expressions() {
        let s = Search::parse(r#"Télé-médecine "OR" NEAR(x) 远程医疗 صحة"#).expect("terms");
        assert_eq!(s.fts5(), r#""tele" "medecine" "or" "near" "x" "远程 程医 医疗" "صحه"*"#);
        assert_eq!(
            s.tsquery(),
            "tele & medecine & or & near & x & (远程 <-> 程医 <-> 医疗) & صحه:*"
        );
        assert_eq!(Search::parse("tele").map(|s| s.fts5()).as_deref(), Some("\"tele\"*"));
        assert_eq!(Search::parse(" 🚀 !!! "), None);
    }
}
