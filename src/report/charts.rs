//! The report's charts, drawn by the server with `plotters` into SVG strings that the page
//! inlines: no script, no font or image from anywhere. Each returns `None` when it has no
//! data to draw (the page then says so in words). plotters escapes every text and attribute
//! it writes; the labels are reference data (category, SDG and country names) in any case.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// The chart's width in SVG units; the page scales it to the column (and to A4 in print).
const WIDTH: u32 = 900;
/// Bars and lines in the house blue.
const BLUE: RGBColor = RGBColor(0x00, 0x5E, 0xA5);
const FONT: &str = "sans-serif";

/// Draws into a `width` × `height` SVG; `None` if drawing failed (logged).
fn svg(height: u32, draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Drawn) -> Option<String> {
    let mut out = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(Into::into))
    };
    match drawn {
        Ok(()) => Some(out),
        Err(e) => {
            tracing::error!(error = %e, "drawing a report chart failed");
            None
        }
    }
}

/// `#RRGGBB` as a colour (the house blue for anything else).
pub fn colour(hex: &str) -> RGBColor {
    let hex = hex.trim_start_matches('#');
    let part = |i: usize| hex.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok());
    match (hex.len(), part(0), part(2), part(4)) {
        (6, Some(r), Some(g), Some(b)) => RGBColor(r, g, b),
        _ => BLUE,
    }
}

/// A value axis from 0 with a little room above the largest value.
fn headroom(max: i64) -> i64 {
    (max + max / 10).max(max + 1)
}

/// Entries per year as a line, years without entries drawn at zero.
pub fn per_year(points: &[(i32, i64)]) -> Option<String> {
    let first = points.first()?.0;
    let last = points.last()?.0;
    let filled: Vec<(i32, i64)> = (first..=last)
        .map(|y| (y, points.iter().find(|p| p.0 == y).map_or(0, |p| p.1)))
        .collect();
    let max = filled.iter().map(|p| p.1).max().unwrap_or(0);
    svg(300, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(first - 1..last + 1, 0..headroom(max))?;
        let years = usize::try_from(last - first + 3).unwrap_or(1).min(16);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(years)
            .x_label_formatter(&|y| y.to_string())
            .y_desc("entries")
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 13))
            .draw()?;
        chart.draw_series(LineSeries::new(filled.iter().copied(), BLUE.stroke_width(3)))?;
        chart.draw_series(filled.iter().map(|&p| Circle::new(p, 4, BLUE.filled())))?;
        Ok(())
    })
}

/// Vertical bars, one per label, each in its own colour (the SDGs).
pub fn columns(bars: &[(String, i64, RGBColor)]) -> Option<String> {
    let max = bars.iter().map(|b| b.1).max().filter(|&m| m > 0)?;
    let n = u32::try_from(bars.len()).ok()?;
    svg(320, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d((0..last(n)).into_segmented(), 0..headroom(max))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len())
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => bars.get(*i as usize).map(|b| b.0.clone()).unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc("entries")
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 13))
            .draw()?;
        chart.draw_series(bars.iter().zip(0..).map(|((_, v, c), i)| {
            let mut bar = Rectangle::new(
                [(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), *v)],
                c.filled(),
            );
            bar.set_margin(0, 0, 4, 4);
            bar
        }))?;
        Ok(())
    })
}

/// Horizontal bars, labels on the left, largest wherever it is in `bars` (given order kept,
/// top to bottom), each with its value (and `suffix`) at its end.
pub fn rows(bars: &[(String, i64)], suffix: &dyn Fn(i64) -> String) -> Option<String> {
    let max = bars.iter().map(|b| b.1).max().filter(|&m| m > 0)?;
    let n = u32::try_from(bars.len()).ok()?;
    let height = 40 + 26 * n;
    svg(height, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(24)
            .y_label_area_size(260)
            .build_cartesian_2d(0..headroom(max) + max / 5, (0..last(n)).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(bars.len())
            .y_label_formatter(&|v| match v {
                // Row 0 at the top: the segment index counts from the bottom.
                SegmentValue::CenterOf(i) => flip(n, *i)
                    .and_then(|row| bars.get(row))
                    .map(|b| shorten(&b.0, 38))
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 13))
            .draw()?;
        chart.draw_series(bars.iter().zip(0..).map(|((_, v), row)| {
            let i = n - 1 - row;
            let mut bar = Rectangle::new(
                [(0, SegmentValue::Exact(i)), (*v, SegmentValue::Exact(i + 1))],
                BLUE.filled(),
            );
            bar.set_margin(3, 3, 0, 0);
            bar
        }))?;
        chart.draw_series(bars.iter().zip(0..).map(|((_, v), row)| {
            let i = n - 1 - row;
            Text::new(
                format!(" {}", suffix(*v)),
                (*v, SegmentValue::CenterOf(i)),
                (FONT, 12).into_font().color(&BLACK).pos(text_anchor::Pos::new(
                    text_anchor::HPos::Left,
                    text_anchor::VPos::Center,
                )),
            )
        }))?;
        Ok(())
    })
}

/// A heat map: `rows` × `columns` cells shaded by their counts (`cell(row, column)`), with the
/// count written in each cell that has any.
pub fn heat_map(rows: &[String], columns: &[String], cell: &dyn Fn(usize, usize) -> i64) -> Option<String> {
    let (nr, nc) = (u32::try_from(rows.len()).ok()?, u32::try_from(columns.len()).ok()?);
    let max = (0..rows.len())
        .flat_map(|r| (0..columns.len()).map(move |c| (r, c)))
        .map(|(r, c)| cell(r, c))
        .max()
        .filter(|&m| m > 0)?;
    svg(60 + 24 * nr, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(24)
            .y_label_area_size(230)
            .build_cartesian_2d((0..last(nc)).into_segmented(), (0..last(nr)).into_segmented())?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(columns.len())
            .y_labels(rows.len())
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => columns.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => flip(nr, *i)
                    .and_then(|row| rows.get(row))
                    .map(|r| shorten(r, 36))
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 12))
            .draw()?;
        let cells: Vec<(u32, u32, i64)> = (0..nr)
            .flat_map(|r| (0..nc).map(move |c| (r, c)))
            .map(|(r, c)| (r, c, cell(r as usize, c as usize)))
            .collect();
        chart.draw_series(cells.iter().map(|&(r, c, v)| {
            let y = nr - 1 - r;
            let shade = if v == 0 {
                0.04
            } else {
                0.15 + 0.85 * v as f64 / max as f64
            };
            let mut rect = Rectangle::new(
                [
                    (SegmentValue::Exact(c), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(c + 1), SegmentValue::Exact(y + 1)),
                ],
                BLUE.mix(shade).filled(),
            );
            rect.set_margin(1, 1, 1, 1);
            rect
        }))?;
        chart.draw_series(cells.iter().filter(|c| c.2 > 0).map(|&(r, c, v)| {
            let y = nr - 1 - r;
            let ink = if v as f64 / max as f64 > 0.5 { WHITE } else { BLACK };
            Text::new(
                v.to_string(),
                (SegmentValue::CenterOf(c), SegmentValue::CenterOf(y)),
                (FONT, 11).into_font().color(&ink).pos(text_anchor::Pos::new(
                    text_anchor::HPos::Center,
                    text_anchor::VPos::Center,
                )),
            )
        }))?;
        Ok(())
    })
}

/// The end of a segmented axis of `n` segments (plotters' segments run from its start to its
/// end inclusive; a single one needs a range that is not empty, so it gets a spare).
fn last(n: u32) -> u32 {
    n.saturating_sub(1).max(1)
}

/// The row (counted from the top) of the segment `i` (counted from the bottom) of `n`; `None`
/// for the axis' end.
fn flip(n: u32, i: u32) -> Option<usize> {
    n.checked_sub(i + 1).map(|r| r as usize)
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_fall_back() {
        assert_eq!(colour("#E5243B"), RGBColor(0xE5, 0x24, 0x3B));
        assert_eq!(colour("teal"), BLUE);
    }

    #[test]
    fn charts_draw_their_data_and_nothing_without_it() {
        let line = per_year(&[(2019, 3), (2021, 5)]).expect("a line");
        assert!(line.starts_with("<svg") && line.contains("<polyline"), "{line}");
        assert!(
            line.contains("2020\n</text>") || line.contains(">2020<"),
            "the year between is on the axis: {line}"
        );
        assert!(per_year(&[]).is_none());
        assert!(rows(&[("Kenya".into(), 0)], &|v| v.to_string()).is_none());
        let bars = rows(&[("Bosnia & Herzegovina".into(), 4)], &|v| format!("{v} entries")).expect("bars");
        assert!(
            bars.contains("Bosnia &amp; Herzegovina") && bars.contains("4 entries"),
            "{bars}"
        );
    }
}
