//! Every quote in `docs/normative.md` is the RFC's own words, in the section the row names.
//!
//! The RFCs' plain texts are in `docs/rfc/` (origin and licence in its README). A row of kind
//! `binding`, `permits` or `issuer` whose source is `RFC N §S` (or `§S–T`, a run of sections)
//! quotes: its clause cell is `"…"`, and each fragment between the "…" elisions occurs in the
//! text of section S alone, from its heading to the next heading of any level, so a quote from a
//! subsection must name the subsection. Kinds `attack`, `threat` and `profile` are not quotes;
//! the other rows whose source is not an RFC are listed in [`NOT_QUOTES`].
//!
//! Only layout is normalized, the same way on both sides: page headers and footers, runs of
//! whitespace, a line break after a hyphen, list bullets (`o`, `*`) and table rules and bars.

use std::collections::BTreeMap;
use std::path::Path;

use corpus::normative::{Clause, Kind, table};

/// Rows of a quoting kind whose source is not an RFC, with why they are not checked.
const NOT_QUOTES: &[(&str, &str)] = &[(
    "RFC6979-malleability",
    "a summary of FIPS 186-4 and SEC 1, which are not RFCs",
)];

/// One RFC's text, page furniture and layout removed, one entry per line.
struct Rfc {
    number: u32,
    lines: Vec<String>,
}

impl Rfc {
    fn load(number: u32) -> Result<Rfc, String> {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../docs/rfc/rfc{number}.txt"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("docs/rfc/rfc{number}.txt: {e}"))?;
        Ok(Rfc::parse(number, &text))
    }

    fn parse(number: u32, text: &str) -> Rfc {
        let header = format!("RFC {number} ");
        let lines = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|l| l.replace('\u{c}', ""))
            // Page headers (`RFC 7519   JSON Web Token (JWT)   May 2015`) and footers
            // (`Jones, et al.   Standards Track   [Page 8]`) start in the first column.
            .filter(|l| {
                let footer = l.contains("[Page ") && l.trim_end().ends_with(']');
                !l.starts_with(&header) && (l.starts_with(' ') || !footer)
            })
            .filter(|l| {
                let t = l.trim();
                !(t.starts_with("+-") && t.chars().all(|c| c == '+' || c == '-'))
            })
            .map(|l| {
                let t = l.trim();
                if t.len() > 1 && t.starts_with('|') && t.ends_with('|') {
                    return l.replace('|', " ");
                }
                for bullet in ["o  ", "*  "] {
                    if let Some(rest) = t.strip_prefix(bullet) {
                        let indent = &l[..l.len() - l.trim_start().len()];
                        return format!("{indent}{rest}");
                    }
                }
                l
            })
            .collect();
        Rfc { number, lines }
    }

    /// The line that opens section `number`: unindented, `4.1.4.  Title`.
    fn heading(&self, number: &str) -> Option<usize> {
        let prefix = format!("{number}.");
        self.lines.iter().position(|l| {
            l.strip_prefix(&prefix)
                .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        })
    }

    /// The end (exclusive) of the section opened at `start`: the next unindented line.
    fn end(&self, start: usize) -> usize {
        (start + 1..self.lines.len())
            .find(|&i| self.lines[i].starts_with(|c: char| !c.is_whitespace()))
            .unwrap_or(self.lines.len())
    }

    /// The normalized text of sections `first` through `last`, without their subsections'.
    fn section(&self, first: &str, last: &str) -> Option<String> {
        let start = self.heading(first)?;
        let last = self.heading(last)?;
        (last >= start).then(|| normalize(&self.lines[start..self.end(last)].join("\n")))
    }

    /// The numbers of every section whose own text holds `fragment` (for the error message).
    fn sections_holding(&self, fragment: &str) -> Vec<String> {
        (0..self.lines.len())
            .filter(|&i| self.lines[i].starts_with(|c: char| c.is_ascii_digit()))
            .filter(|&i| normalize(&self.lines[i..self.end(i)].join("\n")).contains(fragment))
            .filter_map(|i| self.lines[i].split_whitespace().next())
            .map(|n| n.trim_end_matches('.').to_owned())
            .collect()
    }
}

/// Layout-blind form of a text: one space for each run of whitespace, none after a hyphen that
/// ends a word (a line broken at a hyphen), straight quotes.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let glued = out.ends_with('-')
            && out[..out.len() - 1]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.replace(['\u{201c}', '\u{201d}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'")
}

/// `RFC 7519 §4.1.4` → (7519, "4.1.4", "4.1.4"); `RFC 7518 §6.2.1.2–6.2.1.3` → a run.
fn parse_source(source: &str) -> Option<(u32, String, String)> {
    let (rfc, section) = source.strip_prefix("RFC ")?.split_once(" §")?;
    let number = rfc.parse().ok()?;
    let (first, last) = section.split_once('–').unwrap_or((section, section));
    let is_number = |s: &str| {
        !s.is_empty()
            && s.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    (is_number(first) && is_number(last)).then(|| (number, first.to_owned(), last.to_owned()))
}

/// Why a clause is not checked, or `None` when it must be.
fn exemption(clause: &Clause) -> Option<&'static str> {
    match clause.kind {
        Kind::Attack | Kind::Threat => Some("an attack is described, not quoted"),
        Kind::Profile => Some("a rule of this project, not a quote"),
        Kind::Binding | Kind::Permits | Kind::Issuer => NOT_QUOTES
            .iter()
            .find(|(id, _)| *id == clause.id)
            .map(|(_, why)| *why),
    }
}

/// Checks one quoting row against its RFC: `Err` names each fragment that is not in the named
/// section, with the sections that do hold it (none: a misquote; some: a wrong section).
fn check(clause: &Clause, rfcs: &mut BTreeMap<u32, Result<Rfc, String>>) -> Result<(), String> {
    let fail = |why: String| Err(format!("{} ({}): {why}", clause.id, clause.source));
    let Some((number, first, last)) = parse_source(&clause.source) else {
        return fail(
            "the source is not `RFC N §S` (list the row in NOT_QUOTES if it is no quote)".into(),
        );
    };
    let quote = clause.text.trim();
    let Some(inner) = quote.strip_prefix('"').and_then(|q| q.strip_suffix('"')) else {
        return fail("the clause is not a quotation in double quotes".into());
    };
    let rfc = match rfcs.entry(number).or_insert_with(|| Rfc::load(number)) {
        Ok(rfc) => rfc,
        Err(e) => return fail(e.clone()),
    };
    let Some(text) = rfc.section(&first, &last) else {
        return fail(format!("RFC {} has no section {first}", rfc.number));
    };
    let missing: Vec<String> = inner
        .split('…')
        .map(normalize)
        .filter(|f| !f.is_empty() && !text.contains(f.as_str()))
        .map(|f| match rfc.sections_holding(&f).as_slice() {
            [] => format!("not in RFC {number} at all: «{f}»"),
            found => format!("in §{} instead: «{f}»", found.join(", §")),
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        fail(missing.join("; "))
    }
}

#[test]
fn every_quote_is_in_the_section_it_names() {
    let mut rfcs = BTreeMap::new();
    let mut checked = 0;
    let problems: Vec<String> = table()
        .clauses
        .values()
        .filter(|c| exemption(c).is_none())
        .inspect(|_| checked += 1)
        .filter_map(|c| check(c, &mut rfcs).err())
        .collect();
    assert!(checked > 60, "only {checked} rows checked");
    assert!(
        problems.is_empty(),
        "{} of {checked} quotes are not the RFC's words in the named section:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_exemption_names_a_row_that_is_not_an_rfc_quote() {
    for (id, _) in NOT_QUOTES {
        let clause = table()
            .get(id)
            .unwrap_or_else(|| panic!("{id} is not in the table"));
        assert!(
            parse_source(&clause.source).is_none(),
            "{id} cites an RFC section: check its quote instead of exempting it"
        );
    }
}

#[test]
fn every_rfc_file_is_the_rfc_its_name_says() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rfc"))
        .expect("docs/rfc")
    {
        let path = entry.expect("entry").path();
        let Some(number) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("rfc")?.strip_suffix(".txt"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(
            text.contains(&format!("Request for Comments: {number}")),
            "{}",
            path.display()
        );
    }
}

/// The checker refuses what it must: a changed word, a wrong section (a parent section included),
/// an unknown section, a summary that is not a quote, and a source that is not an RFC.
#[test]
fn the_checker_catches_misquotes_and_wrong_sections() {
    let mut rfcs = BTreeMap::new();
    let clause = |source: &str, text: &str| Clause {
        id: "TEST".into(),
        kind: Kind::Permits,
        source: source.into(),
        text: text.into(),
    };
    let substitution = "\"There are attacks in which one recipient will be given a JWT that was \
                        intended for it and will attempt to use it at a different recipient for \
                        which that JWT was not intended.\"";
    assert!(check(&clause("RFC 8725 §2.7", substitution), &mut rfcs).is_ok());
    let wrong = check(&clause("RFC 8725 §2.8", substitution), &mut rfcs).unwrap_err();
    assert!(wrong.contains("in §2.7 instead"), "{wrong}");
    let changed = substitution.replace("different", "second");
    let misquote = check(&clause("RFC 8725 §2.7", &changed), &mut rfcs).unwrap_err();
    assert!(misquote.contains("not in RFC 8725 at all"), "{misquote}");
    assert!(check(&clause("RFC 8725 §9.9", substitution), &mut rfcs).is_err());
    assert!(check(&clause("RFC 8725 §2.7", "Attacks exist."), &mut rfcs).is_err());
    assert!(check(&clause("FIPS 186-4 §6.4", substitution), &mut rfcs).is_err());
    // A subsection's text is not its parent's: RFC 7519 §4 does not hold §4.1.7.
    let jti = "\"The \"jti\" value is a case-sensitive string.\"";
    assert!(check(&clause("RFC 7519 §4.1.7", jti), &mut rfcs).is_ok());
    assert!(check(&clause("RFC 7519 §4", jti), &mut rfcs).is_err());
}

#[test]
fn page_furniture_and_layout_are_not_text() {
    let page = "   the first half of a sen-\n   tence ends on this page\n\nJones, et al.   \
                Standards Track   [Page 7]\n\u{c}\nRFC 7519   JSON Web Token (JWT)   May 2015\n\n   \
                and goes on here.\n   o  a bullet\n   | ES256 | ECDSA |\n   +-----+-----+\n";
    let rfc = Rfc::parse(7519, page);
    let text = normalize(&rfc.lines.join("\n"));
    assert_eq!(
        text,
        "the first half of a sen-tence ends on this page and goes on here. a bullet ES256 ECDSA"
    );
    assert_eq!(normalize("case-\n   sensitive"), "case-sensitive");
    assert_eq!(normalize("URL- and filename-safe"), "URL-and filename-safe");
}
