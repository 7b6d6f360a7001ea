//! The heatmap `docs/matrix.md` opens with (`docs/matrix/heatmap.svg`): one row per adapter,
//! one column per category, algorithm group and preset, each cell coloured by the gravest impact
//! class of the adapter's failures there and linked to them on its page.
//!
//! A plain SVG 1.1 file with no script, style sheet or font of its own, so that GitHub renders
//! it as an image and a browser opens its links. Every coordinate is an integer computed from
//! the reports and the corpus alone: regeneration is byte-identical, and `matrix --check` keeps
//! it fresh like the pages.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::groups::{self, Slice};
use crate::impact::Impact;
use crate::judge::TestResult;
use crate::report::Report;
use crate::report::page::page_name;
use crate::set::Corpus;
use crate::vector::Severity;

/// The file, relative to the pages' folder.
pub const PATH: &str = "matrix/heatmap.svg";

/// What `matrix.md` says under the picture.
pub const CAPTION: &str = "The heatmap colours each adapter's cell (a category, an algorithm \
     group or a preset) by the gravest impact class among its failures there, a full square \
     when a `must` vector failed and a small one when only `profile` vectors did; green when \
     every vector run there conformed, blank when none ran. Opened on its own, each cell links \
     to the failures on the adapter's page.\n\n";

/// Side of a cell, and the gap between the three blocks of columns.
const CELL: usize = 16;
const GAP: usize = 10;
/// Width of a character of the labels, generously (11 px sans-serif).
const CHAR: usize = 7;
const MARGIN: usize = 10;

/// Colour of a cell whose gravest failure is of this class.
fn colour(impact: Impact) -> &'static str {
    match impact {
        Impact::Forgery => "#67000d",
        Impact::PolicyBypass => "#d7301f",
        Impact::ParserLaxity => "#fc8d59",
        Impact::FetchAbuse => "#8c6bb1",
        Impact::DenialOfService => "#3f007d",
        Impact::FalseReject => "#2b8cbe",
        Impact::LateFailure => "#7fcdbb",
        Impact::ReasonMismatch => "#fed976",
        Impact::AdapterError => "#737373",
    }
}

const CONFORMS: &str = "#a1d99b";
const NOT_RUN: &str = "#ffffff";
const GRID: &str = "#d0d0d0";

/// One cell: how many vectors ran, failed, and the gravest class of the `must` and of the
/// `profile` failures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cell {
    run: usize,
    fail: usize,
    must: Option<Impact>,
    profile: Option<Impact>,
}

impl Cell {
    fn add(&mut self, result: TestResult, severity: Severity, impact: Option<Impact>) {
        if result == TestResult::Skip {
            return;
        }
        self.run += 1;
        if result != TestResult::Fail {
            return;
        }
        self.fail += 1;
        let impact = impact.unwrap_or(Impact::AdapterError);
        let gravest = match severity {
            Severity::Must => &mut self.must,
            Severity::Profile => &mut self.profile,
        };
        *gravest = Some(gravest.map_or(impact, |g| g.min(impact)));
    }
}

/// The columns: every category of the corpus, then the algorithm groups, then the presets.
fn columns(corpus: &Corpus) -> Vec<Slice> {
    let categories: BTreeSet<&str> = corpus.vectors.iter().map(|v| v.category.as_str()).collect();
    categories
        .into_iter()
        .map(|c| Slice::Category(c.to_owned()))
        .chain(Slice::algorithms_and_presets())
        .collect()
}

/// The cells of one adapter, by column.
fn cells(
    report: &Report,
    vectors: &BTreeMap<&str, &crate::vector::Vector>,
) -> BTreeMap<Slice, Cell> {
    let mut cells: BTreeMap<Slice, Cell> = BTreeMap::new();
    for r in &report.results {
        let Some(v) = vectors.get(r.id.as_str()) else {
            continue;
        };
        let slices = std::iter::once(Slice::Category(v.category.clone()))
            .chain(groups::groups_of(v).into_iter().map(Slice::Algorithm))
            .chain(std::iter::once(Slice::Preset(v.profile.preset)));
        for slice in slices {
            cells
                .entry(slice)
                .or_default()
                .add(r.result, r.severity, r.impact);
        }
    }
    cells
}

/// Escapes text for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The heatmap of `reports` over `corpus`, as an SVG document.
pub fn svg(reports: &[Report], corpus: &Corpus) -> String {
    let vectors = groups::index(corpus);
    let columns = columns(corpus);
    let longest_row = reports
        .iter()
        .map(|r| r.header.adapter.chars().count())
        .max()
        .unwrap_or(0);
    let longest_column = columns
        .iter()
        .map(|c| c.label().chars().count())
        .max()
        .unwrap_or(0);
    let left = MARGIN + longest_row * CHAR + 8;
    let title_height = 44;
    let top = title_height + longest_column * CHAR + 8;
    // x of each column: a gap before the algorithm groups and before the presets.
    let mut xs = Vec::with_capacity(columns.len());
    let mut x = left;
    for (i, column) in columns.iter().enumerate() {
        if i > 0 && columns[i - 1].kind() != column.kind() {
            x += GAP;
        }
        xs.push(x);
        x += CELL;
    }
    let grid_right = x;
    let grid_bottom = top + reports.len() * CELL;
    let legend = legend_entries();
    let legend_top = grid_bottom + 18;
    let legend_columns = 3;
    let legend_rows = legend.len().div_ceil(legend_columns);
    let height = legend_top + legend_rows * 20 + MARGIN;
    let width = (grid_right + MARGIN).max(MARGIN + legend_columns * 230);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">"
    );
    out.push_str(
        "<title>jwt-conformance: the gravest impact class of each adapter's failures, by \
         category, algorithm group and preset</title>\n",
    );
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">Gravest impact class \
         of each adapter's failures</text>"
    );
    // Block titles over the first column of each block.
    for (i, column) in columns.iter().enumerate() {
        if i == 0 || columns[i - 1].kind() != column.kind() {
            let title = match column {
                Slice::Category(_) => "by category",
                Slice::Algorithm(_) => "by algorithm",
                Slice::Preset(_) => "by preset",
            };
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"36\" font-style=\"italic\" fill=\"#444444\">{title}</text>",
                xs[i]
            );
        }
    }
    // Column labels, read bottom to top.
    for (column, x) in columns.iter().zip(&xs) {
        let cx = x + CELL / 2 + 4;
        let y = top - 6;
        let _ = writeln!(
            out,
            "<text transform=\"translate({cx},{y}) rotate(-90)\">{}</text>",
            xml(column.label())
        );
    }
    // Rows.
    for (row, report) in reports.iter().enumerate() {
        let y = top + row * CELL;
        let name = &report.header.adapter;
        let page = format!("{}.md", page_name(name));
        let _ = writeln!(
            out,
            "<a href=\"{page}\" xlink:href=\"{page}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></a>",
            left - 6,
            y + CELL - 4,
            xml(name)
        );
        let cells = cells(report, &vectors);
        for (column, x) in columns.iter().zip(&xs) {
            let cell = cells.get(column).copied().unwrap_or_default();
            cell_svg(&mut out, name, &page, column, &cell, *x, y);
        }
    }
    // The grid's frame per block.
    let mut start = 0;
    for i in 1..=columns.len() {
        if i == columns.len() || columns[i - 1].kind() != columns[i].kind() {
            let x0 = xs[start];
            let x1 = xs[i - 1] + CELL;
            let _ = writeln!(
                out,
                "<rect x=\"{x0}\" y=\"{top}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999999\"/>",
                x1 - x0,
                grid_bottom - top
            );
            start = i;
        }
    }
    // Legend.
    for (i, (fill, small, label)) in legend.iter().enumerate() {
        let x = MARGIN + (i % legend_columns) * 230;
        let y = legend_top + (i / legend_columns) * 20;
        swatch(&mut out, x, y, fill, *small);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            x + CELL + 6,
            y + CELL - 4,
            xml(label)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The legend: each impact class, then the small square, conformance and nothing run.
fn legend_entries() -> Vec<(&'static str, bool, String)> {
    let mut entries: Vec<(&'static str, bool, String)> = Impact::CLASSES
        .iter()
        .chain(std::iter::once(&Impact::AdapterError))
        .map(|i| (colour(*i), false, i.name().to_owned()))
        .collect();
    entries.push((
        colour(Impact::PolicyBypass),
        true,
        "small square: profile failures only".to_owned(),
    ));
    entries.push((CONFORMS, false, "every vector run conformed".to_owned()));
    entries.push((NOT_RUN, false, "no vector run".to_owned()));
    entries
}

/// A square of the legend (full, or small in a blank cell).
fn swatch(out: &mut String, x: usize, y: usize, fill: &str, small: bool) {
    if small {
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"{NOT_RUN}\" stroke=\"{GRID}\"/>\
             <rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{fill}\"/>",
            x + 4,
            y + 4
        );
    } else {
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"{fill}\" stroke=\"{GRID}\"/>"
        );
    }
}

/// One cell: its square, its tooltip and its link.
fn cell_svg(
    out: &mut String,
    adapter: &str,
    page: &str,
    column: &Slice,
    cell: &Cell,
    x: usize,
    y: usize,
) {
    let (fill, small) = match (cell.must, cell.profile) {
        (Some(impact), _) => (colour(impact), false),
        (None, Some(impact)) => (colour(impact), true),
        (None, None) if cell.run > 0 => (CONFORMS, false),
        (None, None) => (NOT_RUN, false),
    };
    let href = if cell.fail > 0 {
        format!("{page}#{}", column.anchor())
    } else {
        page.to_owned()
    };
    let gravest = |i: Option<Impact>| i.map_or("none", Impact::name);
    let tooltip = format!(
        "{adapter}, {}: {} run, {} failed (gravest must: {}; profile: {})",
        column.heading(),
        cell.run,
        cell.fail,
        gravest(cell.must),
        gravest(cell.profile)
    );
    let _ = write!(
        out,
        "<a href=\"{href}\" xlink:href=\"{href}\"><title>{}</title>",
        xml(&tooltip)
    );
    swatch(out, x, y, fill, small);
    out.push_str("</a>\n");
}
