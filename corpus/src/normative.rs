//! The normative basis of verdicts: the clause table of `docs/normative.md`, and the rule that a
//! `must` vector cites a clause binding the recipient or a documented attack (a CVE or a
//! published advisory). A threat this project describes itself is never enough.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::vector::{Severity, Vector};

/// `docs/normative.md`, compiled in so every reader checks against the same table.
pub const NORMATIVE_MD: &str = include_str!("../../docs/normative.md");

/// What a clause can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An RFC MUST, MUST NOT or REQUIRED that binds the recipient.
    Binding,
    /// A documented attack: a CVE or a published advisory.
    Attack,
    /// A threat this project describes itself (its own write-up of an attack class on top of RFC
    /// text): it explains a vector but cannot make it `must`, since nothing outside the project
    /// says a recipient has to defend against it.
    Threat,
    /// A clause that lets a recipient choose, or a definition without a recipient requirement.
    Permits,
    /// A requirement on the producer of a token or key set.
    Issuer,
    /// A rule of this project's strict profile (catalogue M-IDs).
    Profile,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "binding" => Kind::Binding,
            "attack" => Kind::Attack,
            "threat" => Kind::Threat,
            "permits" => Kind::Permits,
            "issuer" => Kind::Issuer,
            "profile" => Kind::Profile,
            _ => return None,
        })
    }

    /// Whether a clause of this kind can make a vector `must`.
    pub fn can_bind(self) -> bool {
        matches!(self, Kind::Binding | Kind::Attack)
    }
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    pub id: String,
    pub kind: Kind,
    /// Where it comes from, e.g. `RFC 7519 §4.1.4`.
    pub source: String,
    /// The quoted clause (Markdown, as in the table).
    pub text: String,
}

/// The clause table, by ID.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub clauses: BTreeMap<String, Clause>,
}

impl Table {
    /// Parses every table row of the form ``| `ID` | kind | source | clause |``.
    pub fn parse(markdown: &str) -> Result<Table, String> {
        let mut clauses = BTreeMap::new();
        for (n, line) in markdown.lines().enumerate() {
            let Some(rest) = line.strip_prefix("| `") else {
                continue;
            };
            let cells = split_row(rest);
            let [id, kind, source, text] = cells.as_slice() else {
                return Err(format!("line {}: expected 4 cells", n + 1));
            };
            let id = id.trim_end_matches('`').to_owned();
            let kind = Kind::parse(kind).ok_or_else(|| format!("line {}: kind {kind:?}", n + 1))?;
            let clause = Clause {
                id: id.clone(),
                kind,
                source: source.clone(),
                text: text.clone(),
            };
            if clauses.insert(id.clone(), clause).is_some() {
                return Err(format!("line {}: duplicate ID {id}", n + 1));
            }
        }
        Ok(Table { clauses })
    }

    /// The clause with this ID.
    pub fn get(&self, id: &str) -> Option<&Clause> {
        self.clauses.get(id)
    }

    /// Checks a vector's `basis` against the severity rule: every ID exists, the list is not
    /// empty, and a `must` vector cites at least one binding clause or attack (a threat row does
    /// not count).
    pub fn check(&self, vector: &Vector) -> Result<(), String> {
        if vector.basis.is_empty() {
            return Err(format!("{}: empty basis", vector.id));
        }
        let mut binds = false;
        for id in &vector.basis {
            let clause = self
                .get(id)
                .ok_or_else(|| format!("{}: basis {id} is not in docs/normative.md", vector.id))?;
            binds |= clause.kind.can_bind();
        }
        if vector.severity == Severity::Must && !binds {
            return Err(format!(
                "{}: must, but no basis is a binding clause or an attack ({})",
                vector.id,
                vector.basis.join(", ")
            ));
        }
        Ok(())
    }
}

/// The cells of a table row after its opening ``| ` ``, honouring `\|` escapes.
fn split_row(rest: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => cells.push(String::new()),
            _ => {
                let escaped_bar = c == '\\' && chars.peek() == Some(&'|');
                if let Some(s) = cells.last_mut() {
                    s.push(if escaped_bar { '|' } else { c });
                }
                if escaped_bar {
                    chars.next();
                }
            }
        }
    }
    if cells.last().is_some_and(|s| s.trim().is_empty()) {
        cells.pop();
    }
    cells.into_iter().map(|s| s.trim().to_owned()).collect()
}

/// The table of `docs/normative.md`, parsed once.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::parse(NORMATIVE_MD).expect("docs/normative.md parses"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_with_every_kind() {
        let t = table();
        assert!(t.clauses.len() > 80, "{} clauses", t.clauses.len());
        let kind = |id: &str| t.get(id).map(|c| c.kind);
        assert_eq!(kind("RFC9068-4-typ"), Some(Kind::Binding));
        assert_eq!(kind("CVE-2022-21449"), Some(Kind::Attack));
        assert_eq!(kind("ADV-2015-JWT-LIBS"), Some(Kind::Attack));
        assert_eq!(kind("ADV-REPLAY"), Some(Kind::Threat));
        assert_eq!(kind("RFC7519-2-numericdate"), Some(Kind::Permits));
        assert_eq!(kind("RFC9068-2.2-claims"), Some(Kind::Issuer));
        assert_eq!(kind("M13"), Some(Kind::Profile));
        let crit = t.get("RFC7515-4.1.11-crit").expect("crit");
        assert_eq!(crit.source, "RFC 7515 §4.1.11");
        assert!(crit.text.contains("the JWS is invalid"));
        let compact = t.get("RFC7515-3-compact").expect("compact");
        assert!(compact.text.contains("|| '.' ||"), "{}", compact.text);
    }

    #[test]
    fn only_binding_clauses_and_external_attacks_can_bind() {
        let binds: Vec<Kind> = [
            Kind::Binding,
            Kind::Attack,
            Kind::Threat,
            Kind::Permits,
            Kind::Issuer,
            Kind::Profile,
        ]
        .into_iter()
        .filter(|k| k.can_bind())
        .collect();
        assert_eq!(binds, [Kind::Binding, Kind::Attack]);
        assert_eq!(
            Table::parse("| `ADV-X` | threat | s | c |").map(|t| t.get("ADV-X").map(|c| c.kind)),
            Ok(Some(Kind::Threat))
        );
    }

    #[test]
    fn rows_that_are_not_clauses_are_refused() {
        assert!(Table::parse("| `X` | binding | two cells |").is_err());
        assert!(Table::parse("| `X` | sometimes | s | c |").is_err());
        assert!(Table::parse("| `X` | binding | s | c |\n| `X` | permits | s | c |").is_err());
        assert_eq!(
            Table::parse("| ID | kind |\n|---|---|").map(|t| t.clauses.len()),
            Ok(0)
        );
    }
}
