//! Report formats: text for people, JSON (x509-limbo style, per vector `{id, basis, expected,
//! actual, result, impact, detail}` under a header naming adapter, library version and corpus
//! version), JUnit XML for CI systems, and Markdown. Every format shows the four results (exact
//! `pass`, `acceptable`, `fail`, `skip`), the impact class of each failure and the cause of
//! each skip.
//!
//! Layout: [`model`] is what every format reads (the runner fills it; nothing here calls an
//! adapter), then one module per format, the published pages ([`matrix`], one module per page)
//! and the disputes page ([`disputes`]), and what the pages share ([`page`]).

pub mod disputes;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod matrix;
pub mod model;
pub mod page;
pub mod text;

pub use model::{ExpectedSummary, Observed, Report, ReportHeader, StepResult, VectorResult};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
    Markdown,
}

/// Renders one or more reports (one per adapter) in `format`.
pub fn render(reports: &[Report], format: Format) -> String {
    match format {
        Format::Text => reports
            .iter()
            .map(text::render)
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => json::render(reports),
        Format::Junit => junit::render(reports),
        Format::Markdown => reports
            .iter()
            .map(markdown::render)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// `95.0%`, or `-` when there is nothing to measure.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}%"))
}
