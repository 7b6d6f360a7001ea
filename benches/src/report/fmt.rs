//! Number, time and name formatting of the report's cells.

use std::time::SystemTime;

use crate::*;

/// A duration in nanoseconds, with three significant figures.
pub fn fmt_ns(ns: f64) -> String {
    if !ns.is_finite() {
        return "–".to_owned();
    }
    let (value, unit) = match ns {
        n if n < 1e3 => (n, "ns"),
        n if n < 1e6 => (n / 1e3, "µs"),
        n if n < 1e9 => (n / 1e6, "ms"),
        n => (n / 1e9, "s"),
    };
    let digits = match value {
        v if v < 10.0 => 2,
        v if v < 100.0 => 1,
        _ => 0,
    };
    format!("{value:.digits$} {unit}")
}

/// A ratio such as `1.02×`.
pub fn fmt_ratio(r: f64) -> String {
    match r {
        r if !r.is_finite() => "–".to_owned(),
        r if r < 0.001 => format!("{r:.5}×"),
        r if r < 0.1 => format!("{r:.4}×"),
        r if r < 100.0 => format!("{r:.2}×"),
        r => format!("{r:.0}×"),
    }
}

pub(crate) fn cell(ns: Option<f64>) -> String {
    ns.map_or_else(|| "not run".to_owned(), fmt_ns)
}

pub(crate) fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

pub(crate) fn ratio_cell(a: Option<f64>, b: Option<f64>) -> String {
    ratio(a, b).map_or_else(|| "–".to_owned(), fmt_ratio)
}

/// UTC `YYYY-MM-DD HH:MM`.
pub(crate) fn fmt_time(t: SystemTime) -> String {
    let stamp = humantime::format_rfc3339_seconds(t).to_string();
    format!("{} {} UTC", &stamp[..10], &stamp[11..16])
}

pub(crate) fn label(name: &str) -> String {
    match name {
        FLOOR => "raw p256 (floor)".to_owned(),
        AWS_LC_FLOOR => "raw aws-lc-rs (floor)".to_owned(),
        RING_FLOOR => "raw ring (floor)".to_owned(),
        REFERENCE => "**reference verifier** (p256)".to_owned(),
        REFERENCE_AWS_LC => "**reference verifier** (aws-lc-rs)".to_owned(),
        REFERENCE_RING => "**reference verifier** (ring)".to_owned(),
        JSONWEBTOKEN => "jsonwebtoken (rust_crypto)".to_owned(),
        JSONWEBTOKEN_AWS_LC => "jsonwebtoken (aws_lc_rs)".to_owned(),
        JOSEKIT => "josekit (OpenSSL)".to_owned(),
        other => other.to_owned(),
    }
}

/// The crate under a contender.
pub(crate) fn backend_of(name: &str) -> &'static str {
    match floor_of(name) {
        AWS_LC_FLOOR if name == JOSEKIT => "OpenSSL",
        AWS_LC_FLOOR => "aws-lc-rs",
        RING_FLOOR => "ring",
        _ => "p256",
    }
}

/// A contender's column heading in the per-algorithm table.
pub(crate) fn short_label(name: &str) -> String {
    match name {
        REFERENCE => "**reference** (RustCrypto)".to_owned(),
        REFERENCE_AWS_LC => "**reference** (aws-lc-rs)".to_owned(),
        REFERENCE_RING => "**reference** (ring)".to_owned(),
        other => label(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_ns(4.321), "4.32 ns");
        assert_eq!(fmt_ns(612.4), "612 ns");
        assert_eq!(fmt_ns(1_234.0), "1.23 µs");
        assert_eq!(fmt_ns(155_000.0), "155 µs");
        assert_eq!(fmt_ns(2_310_000.0), "2.31 ms");
        assert_eq!(fmt_ratio(1.0234), "1.02×");
        assert_eq!(fmt_ratio(0.00005), "0.00005×");
        assert_eq!(fmt_time(std::time::UNIX_EPOCH), "1970-01-01 00:00 UTC");
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(fmt_time(t), "2023-11-14 22:13 UTC");
    }
}
