//! The report as CSV (RFC 4180: CRLF line ends, quoted where needed, UTF-8 with a byte-order
//! mark so that spreadsheets read accents right). One section after another, a blank line
//! between them; each section opens with a header row whose first cell is `section`, and
//! every row of it names the section in its first cell.

use crate::catalog::Catalog;
use crate::domain::report::{Listed, Report};
use crate::report as doc;

struct Sheet {
    done: Vec<u8>,
    /// The section being written.
    out: csv::Writer<Vec<u8>>,
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

impl Sheet {
    /// Ends the section being written (if any) and its blank line, and starts another.
    fn section(&mut self, header: &[&str]) -> csv::Result<()> {
        let written = std::mem::replace(&mut self.out, writer())
            .into_inner()
            .map_err(|e| e.into_error())?;
        if !written.is_empty() {
            self.done.extend_from_slice(&written);
            self.done.extend_from_slice(b"\r\n");
        }
        self.out
            .write_record(std::iter::once("section").chain(header.iter().copied()))
    }

    fn finish(mut self) -> csv::Result<Vec<u8>> {
        let written = self.out.into_inner().map_err(|e| e.into_error())?;
        self.done.extend_from_slice(&written);
        Ok(self.done)
    }

    fn row(&mut self, section: &str, cells: &[String]) -> csv::Result<()> {
        self.out
            .write_record(std::iter::once(section).chain(cells.iter().map(String::as_str)))
    }

    fn entries(&mut self, section: &str, rows: &[Listed]) -> csv::Result<()> {
        self.section(&["number", "title", "organisation", "countries", "updated_at", "id"])?;
        for e in rows {
            let (id, _) = doc::graphql_link(e);
            self.row(
                section,
                &[
                    e.entry.number.to_string(),
                    e.entry.title.clone(),
                    e.organisation.clone(),
                    e.countries.join(" "),
                    e.entry.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    id,
                ],
            )?;
        }
        Ok(())
    }
}

/// The report's numbers and lists as CSV.
pub fn render(cat: &Catalog, r: &Report) -> csv::Result<Vec<u8>> {
    let mut s = Sheet {
        done: Vec::from("\u{feff}".as_bytes()),
        out: writer(),
    };
    let c = &r.counts;
    let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
    s.section(&["region", "name", "scheme", "from", "to", "entries"])?;
    s.row(
        "report",
        &[
            r.region.code.clone(),
            r.region.name.clone(),
            r.region.scheme.clone(),
            year(r.from),
            year(r.to),
            c.total.to_string(),
        ],
    )?;
    s.section(&["year", "entries"])?;
    for (y, n) in &c.by_year {
        s.row("by_year", &[y.to_string(), n.to_string()])?;
    }
    s.section(&["category", "name", "entries"])?;
    for (a, n) in &c.by_category {
        s.row("by_category", &[a.code.clone(), a.name.clone(), n.to_string()])?;
    }
    s.section(&["sdg", "title", "entries"])?;
    for (g, n) in &c.by_sdg {
        s.row("by_sdg", &[g.number.to_string(), g.short_title.clone(), n.to_string()])?;
    }
    s.section(&["category", "sdg", "entries"])?;
    for a in &cat.action_lines {
        for (g, _) in &c.by_sdg {
            if let Some(n) = c.matrix.get(&(a.code.clone(), g.number)) {
                s.row("matrix", &[a.code.clone(), g.number.to_string(), n.to_string()])?;
            }
        }
    }
    s.section(&["country", "name", "entries"])?;
    for (k, n) in &c.by_country {
        s.row("by_country", &[k.alpha2.clone(), k.name.clone(), n.to_string()])?;
    }
    s.section(&["stakeholder_type", "entries", "share"])?;
    for (t, n) in &c.by_stakeholder_type {
        s.row(
            "by_stakeholder_type",
            &[t.as_str().to_owned(), n.to_string(), doc::share(*n, c.total)],
        )?;
    }
    s.section(&["year", "result", "category", "number", "title", "organisation", "id"])?;
    for a in &r.prizes {
        let (id, _) = doc::graphql_link(&a.entry);
        s.row(
            "prizes",
            &[
                a.prize.year.to_string(),
                a.prize.result.as_str().to_owned(),
                a.prize.category.clone(),
                a.entry.entry.number.to_string(),
                a.entry.entry.title.clone(),
                a.entry.organisation.clone(),
                id,
            ],
        )?;
    }
    s.entries("recent", &r.recent)?;
    if let Some(p) = &r.pending {
        s.section(&["entries_waiting"])?;
        s.row("pending_total", &[p.total.to_string()])?;
        s.entries("pending", &p.entries)?;
    }
    s.finish()
}
