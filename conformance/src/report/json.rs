//! JSON: one report is an object `{header, summary, results}`; several are `{"reports": […]}`.

use serde_json::json;

use crate::report::Report;

/// Pretty JSON with a trailing newline.
pub fn render(reports: &[Report]) -> String {
    let value = match reports {
        [one] => serde_json::to_value(one),
        many => serde_json::to_value(many).map(|r| json!({ "reports": r })),
    };
    let mut text = value
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialize the report: {e}\"}}"));
    text.push('\n');
    text
}
