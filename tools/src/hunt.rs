//! `hunt-to-vector`: a reviewed draft of `conformance hunt` becomes a row of the `hunt` generator
//! family (`tools/src/generate/families/hunt.json`), which `generate` renders as
//! `vectors/hunt/<name>.json`, so `generate --check` keeps it fresh like every other family.
//!
//! A draft is a single-step vector without `severity` and `basis` (a reviewer's), with the ID
//! `hunt/<16 hex of SHA-256 of the token, key set and profile>`, category `hunt`, the flag `hunt_draft`, provenance in
//! `refs` and the reference verifier's verdict as `expected`. The row keeps the draft's world,
//! token, verdict, provenance and notes, and adds the review: severity and basis (the same rule as
//! `crash-to-vector`: `profile` on the catalogue rule of the expected reason unless a `must`
//! cites a binding clause or documented attack of `docs/normative.md`, checked), acceptable
//! outcomes, a one-line description and a name. The flag becomes `hunt_finding`.
//!
//! A row is matched to its draft by the draft's ID, so converting a draft again updates its row
//! (keeping an earlier review unless given again) and writes byte-identical files.

use std::path::Path;

use corpus::vector::{
    Acceptable, Expected, Feature, KeySourceSpec, Severity, Step, Vector, to_file_json,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use verifier::{ConfigCode, Profile, Reason};

use crate::generate::{Draft, Expect, Family, Row, custom};

/// The category, and the prefix of every draft's and vector's ID.
pub const CATEGORY: &str = "hunt";
/// The flag a draft carries.
pub const DRAFT_FLAG: &str = "hunt_draft";
/// The flag a reviewed vector carries instead.
pub const FINDING_FLAG: &str = "hunt_finding";

/// One row of the `hunt` family's data file: a reviewed draft. Its vector is `hunt/<name>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HuntRow {
    /// The vector's name within `hunt/`.
    pub name: String,
    /// The draft's ID (`hunt/<hex>`): what a rerun matches its row by.
    pub draft: String,
    pub description: String,
    pub severity: Severity,
    pub basis: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    pub features: Vec<Feature>,
    pub profile: Profile,
    pub jwks: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_base64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_source: Option<KeySourceSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// `now`, the token, `expected` and `acceptable`, as a vector writes them.
    #[serde(flatten)]
    pub step: Step,
}

impl HuntRow {
    /// The generator row that renders this row's vector.
    fn row(&self) -> Result<Row, String> {
        if !self.step.actions.is_empty() || self.step.requests.is_some() {
            return Err(format!(
                "{}: a hunt row is one step without store actions or request bounds",
                self.name
            ));
        }
        let expect = match &self.step.expected {
            Expected::Accept { .. } => Expect::Accept,
            Expected::Reject { reason, .. } => Expect::Reject(*reason),
            Expected::ConfigError { error } => Expect::Config(*error),
        };
        let (profile, jwks, key_source, now) = (
            self.profile.clone(),
            self.jwks.clone(),
            self.key_source.clone(),
            self.step.now,
        );
        let jwks_raw = match &self.jwks_base64 {
            Some(text) => Some(
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text)
                    .map_err(|_| format!("{}: jwks_base64 is not standard base64", self.name))?,
            ),
            None => None,
        };
        let token = self.step.token.clone();
        // An accepting step's expected claims come from the draft's payload bytes.
        let payload = match &self.step.expected {
            Expected::Accept { claims } => Some(serde_json::to_vec(claims).unwrap_or_default()),
            _ => None,
        };
        let world = custom(move |d: &mut Draft| {
            d.profile = profile.clone();
            d.jwks = jwks.clone();
            d.jwks_raw = jwks_raw.clone();
            d.key_source = key_source.clone();
            d.now = now;
            d.token = Some(token.clone());
            d.payload_raw = payload.clone();
        });
        let mut row = Row::new(
            self.name.clone(),
            self.description.clone(),
            world,
            expect,
            self.severity,
            &[],
        )
        .acceptable(&self.step.acceptable)
        .features(&self.features);
        row.basis = self.basis.clone();
        row.refs = self.refs.clone();
        row.flags = self.flags.clone();
        row.notes = self.notes.clone();
        row.rationale = self.rationale.clone();
        Ok(row)
    }
}

/// Reads a data file's rows.
pub fn parse_rows(text: &str) -> Result<Vec<HuntRow>, String> {
    serde_json::from_str(text).map_err(|e| format!("hunt rows: {e}"))
}

/// The data file's form: pretty JSON sorted by name, with a trailing newline.
pub fn rows_json(rows: &[HuntRow]) -> String {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    text.push('\n');
    text
}

/// The `hunt` family of a data file's text (the generator's is compiled in).
pub fn family(text: &str) -> Result<Family, String> {
    let rows = parse_rows(text)?;
    let mut names = std::collections::BTreeSet::new();
    for r in &rows {
        check_name(&r.name)?;
        if !names.insert(r.name.as_str()) {
            return Err(format!("hunt rows: the name {} is used twice", r.name));
        }
    }
    Ok(Family::table(
        CATEGORY,
        rows.iter().map(HuntRow::row).collect::<Result<_, _>>()?,
    ))
}

/// A reviewer's verdict on a draft (`None`: what the existing row says, else the default).
#[derive(Clone, Debug, Default)]
pub struct Review {
    pub severity: Option<Severity>,
    pub basis: Option<Vec<String>>,
    pub acceptable: Option<Vec<Acceptable>>,
    pub description: Option<String>,
    pub name: Option<String>,
}

/// Parses `--acceptable` items: `accept`, `reject`, `config_error` (any reason or code), a reason
/// ID or configuration-error code, or `reject:ID` / `config_error:CODE`; `none` or an empty
/// item lists nothing (to clear an earlier review's list).
pub fn parse_acceptable(items: &[String]) -> Result<Vec<Acceptable>, String> {
    let mut out = Vec::new();
    for item in items.iter().map(|s| s.trim()) {
        let reason = |id: &str| {
            Reason::from_id(id)
                .map(|r| Acceptable::Reject(Some(r)))
                .ok_or_else(|| format!("--acceptable: unknown reason ID `{id}`"))
        };
        let code = |id: &str| {
            ConfigCode::from_id(id)
                .map(|c| Acceptable::ConfigError(Some(c)))
                .ok_or_else(|| format!("--acceptable: unknown configuration-error code `{id}`"))
        };
        let outcome = match item {
            "" | "none" => continue,
            "accept" => Acceptable::Accept,
            "reject" => Acceptable::Reject(None),
            "config_error" => Acceptable::ConfigError(None),
            _ => match item.split_once(':') {
                Some(("reject", id)) => reason(id)?,
                Some(("config_error", id)) => code(id)?,
                Some(_) => return Err(format!("--acceptable: cannot read `{item}`")),
                None => match (Reason::from_id(item), ConfigCode::from_id(item)) {
                    (Some(r), None) => Acceptable::Reject(Some(r)),
                    (None, Some(c)) => Acceptable::ConfigError(Some(c)),
                    (Some(_), Some(_)) => {
                        return Err(format!(
                            "--acceptable: `{item}` is a reason and a code: write \
                             reject:{item} or config_error:{item}"
                        ));
                    }
                    (None, None) => {
                        return Err(format!(
                            "--acceptable: `{item}` is neither accept, reject, config_error, a \
                             reason ID nor a configuration-error code"
                        ));
                    }
                },
            },
        };
        out.push(outcome);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// `hunt-to-vector`: writes (or updates) the draft's row in `data` and its vector under
/// `vectors/hunt/`, after checking the severity rule and the reference verifier's verdict.
pub fn run(draft: &Path, data: &Path, vectors: &Path, review: &Review) -> Result<(), String> {
    let draft = read_draft(draft)?;
    let text = std::fs::read_to_string(data).map_err(|e| {
        format!(
            "{}: {e} (run from the workspace root, or pass --data)",
            data.display()
        )
    })?;
    let mut rows = parse_rows(&text).map_err(|e| format!("{}: {e}", data.display()))?;
    let old = rows
        .iter()
        .position(|r| r.draft == draft.id)
        .map(|i| rows.remove(i));
    let row = reviewed_row(&draft, old.as_ref(), review)?;
    if let Some(other) = rows.iter().find(|r| r.name == row.name) {
        return Err(format!(
            "the name {} is taken by the row of {}: pass another --name",
            row.name, other.draft
        ));
    }
    let vector = render(&row)?;
    corpus::normative::table().check(&vector)?;
    corpus::reference::check(&vector).map_err(|e| {
        format!("the reference verifier does not give the draft's expected result: {e}")
    })?;
    rows.push(row.clone());
    let new_text = rows_json(&rows);
    if new_text != text {
        std::fs::write(data, &new_text).map_err(|e| format!("{}: {e}", data.display()))?;
    }
    let dir = vectors.join(CATEGORY);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if let Some(old) = old.filter(|o| o.name != row.name) {
        let stale = dir.join(format!("{}.json", old.name));
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
        }
    }
    let path = dir.join(format!("{}.json", row.name));
    let file = to_file_json(&vector);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(file.as_str()) {
        std::fs::write(&path, &file).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "{}: {}, {} on {} (row in {})",
        path.display(),
        corpus::reference::describe(&vector.steps()[0].expected),
        match vector.severity {
            Severity::Must => "must",
            Severity::Profile => "profile",
        },
        vector.basis.join(", "),
        data.display()
    );
    Ok(())
}

/// The vector a row renders as, exactly as `generate` writes it.
pub fn render(row: &HuntRow) -> Result<Vector, String> {
    Ok(row.row()?.render(CATEGORY, Draft::default))
}

/// Reads a draft, refusing what is not one: a reviewed vector (severity or basis present), a
/// sequence, another category or a file without the draft flag.
fn read_draft(path: &Path) -> Result<Vector, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let Ok(Value::Object(mut members)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(format!("{}: not a JSON object", path.display()));
    };
    let reviewed: Vec<&str> = ["severity", "basis"]
        .into_iter()
        .filter(|m| members.contains_key(*m))
        .collect();
    if !reviewed.is_empty() {
        return Err(format!(
            "{}: a draft carries no {}: they are the reviewer's, given with --severity and \
             --basis (is this already a vector?)",
            path.display(),
            reviewed.join(" or ")
        ));
    }
    if members.contains_key("steps") {
        return Err(format!(
            "{}: a hunt draft is a single step, and this one has `steps`",
            path.display()
        ));
    }
    let id = members.get("id").and_then(Value::as_str).unwrap_or("");
    let is_draft = id.starts_with("hunt/")
        && members.get("category").and_then(Value::as_str) == Some(CATEGORY)
        && members
            .get("flags")
            .and_then(Value::as_array)
            .is_some_and(|f| f.iter().any(|f| f.as_str() == Some(DRAFT_FLAG)));
    if !is_draft {
        return Err(format!(
            "{}: not a hunt draft (ID hunt/…, category hunt and the flag {DRAFT_FLAG})",
            path.display()
        ));
    }
    // Stand-ins so the corpus loader reads (and checks) the rest; the review replaces them.
    members.insert("severity".into(), "profile".into());
    members.insert("basis".into(), serde_json::json!(["PROFILE-JSON"]));
    let bytes = serde_json::to_vec(&members).map_err(|e| e.to_string())?;
    let vector = corpus::load::parse_vector(path, &bytes).map_err(|e| e.to_string())?;
    let step = &vector.steps()[0];
    if !step.actions.is_empty() || step.requests.is_some() {
        return Err(format!(
            "{}: a hunt draft is one step without store actions or request bounds",
            path.display()
        ));
    }
    Ok(vector)
}

/// The row of a draft under a review, an earlier row's review filling what is not given.
fn reviewed_row(draft: &Vector, old: Option<&HuntRow>, review: &Review) -> Result<HuntRow, String> {
    let step = draft.steps()[0].clone();
    let name = match (&review.name, old) {
        (Some(name), _) => name.clone(),
        (None, Some(old)) => old.name.clone(),
        (None, None) => draft.id.trim_start_matches("hunt/").to_owned(),
    };
    check_name(&name)?;
    let description = match (&review.description, old) {
        (Some(d), _) => d.trim().to_owned(),
        (None, Some(old)) => old.description.clone(),
        (None, None) => draft.description.clone(),
    };
    if description.is_empty() || description.contains('\n') {
        return Err(
            "the description must be one non-empty line: pass --description with what the \
             vector checks"
                .into(),
        );
    }
    let severity = review
        .severity
        .or(old.map(|o| o.severity))
        .unwrap_or(Severity::Profile);
    let basis = match (&review.basis, old) {
        (Some(b), _) => b.iter().map(|s| s.trim().to_owned()).collect(),
        (None, Some(old)) => old.basis.clone(),
        (None, None) => vec![default_basis(&step.expected).to_owned()],
    };
    let mut acceptable = match (&review.acceptable, old) {
        (Some(a), _) => a.clone(),
        (None, Some(old)) => old.step.acceptable.clone(),
        (None, None) => step.acceptable.clone(),
    };
    acceptable.sort();
    acceptable.dedup();
    let expected = match &step.expected {
        Expected::Accept { .. } => Acceptable::Accept,
        Expected::Reject { reason, .. } => Acceptable::Reject(Some(*reason)),
        Expected::ConfigError { error } => Acceptable::ConfigError(Some(*error)),
    };
    if acceptable.contains(&expected) {
        return Err(format!(
            "--acceptable lists the expected outcome ({})",
            corpus::reference::describe(&step.expected)
        ));
    }
    let mut flags: Vec<String> = Vec::new();
    for flag in &draft.flags {
        let flag = if flag == DRAFT_FLAG {
            FINDING_FLAG
        } else {
            flag.as_str()
        };
        if !flags.iter().any(|f| f == flag) {
            flags.push(flag.to_owned());
        }
    }
    Ok(HuntRow {
        name,
        draft: draft.id.clone(),
        description,
        severity,
        basis,
        refs: draft.refs.clone(),
        flags,
        features: draft.features.clone(),
        profile: draft.profile.clone(),
        jwks: draft.jwks.clone(),
        jwks_base64: draft.jwks_base64.clone(),
        key_source: draft.key_source.clone(),
        notes: draft.notes.clone(),
        rationale: draft.rationale.clone(),
        step: Step { acceptable, ..step },
    })
}

/// A name the vector schema admits in an ID (`[A-Za-z0-9._-]+`), and one that is not a path.
fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the name {name:?} is not one of letters, digits, `.`, `_` and `-` (not starting \
             with `.`)"
        ))
    }
}

/// The default basis: the catalogue rule of the expected reason, as `crash-to-vector` cites it
/// (`crate::crash::catalogue_basis` for a rejection).
fn default_basis(expected: &Expected) -> &'static str {
    match expected {
        Expected::Accept { .. } => "RFC9068-4-signature",
        Expected::ConfigError { .. } => "PROFILE-KEYSET",
        Expected::Reject { reason, .. } => crate::crash::catalogue_basis(*reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The fixture: vectors/typ/jwt.json made a draft as `conformance hunt` writes one.
    const FIXTURE: &str = include_str!("../tests/fixtures/hunt-draft.json");
    const HEX: &str = "6da5b977e4afef3e";

    /// A temp folder with an empty data file and the fixture (optionally edited) as a draft.
    struct Tmp {
        dir: PathBuf,
    }

    impl Tmp {
        fn new(name: &str, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Tmp {
            let dir =
                std::env::temp_dir().join(format!("hunt-to-vector-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("hunt.json"), "[]\n").unwrap();
            let mut draft: serde_json::Map<String, Value> = serde_json::from_str(FIXTURE).unwrap();
            edit(&mut draft);
            std::fs::write(dir.join("draft.json"), serde_json::to_vec(&draft).unwrap()).unwrap();
            Tmp { dir }
        }

        fn run(&self, review: &Review) -> Result<(), String> {
            run(
                &self.dir.join("draft.json"),
                &self.dir.join("hunt.json"),
                &self.dir.join("vectors"),
                review,
            )
        }

        fn data(&self) -> String {
            std::fs::read_to_string(self.dir.join("hunt.json")).unwrap()
        }

        fn vector_path(&self, name: &str) -> PathBuf {
            self.dir.join(format!("vectors/hunt/{name}.json"))
        }

        /// Every file under the temp folder with its bytes.
        fn snapshot(&self) -> Vec<(PathBuf, String)> {
            let mut out = vec![(PathBuf::from("hunt.json"), self.data())];
            let dir = self.dir.join("vectors/hunt");
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
                files.sort();
                out.extend(
                    files
                        .into_iter()
                        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap())),
                );
            }
            out
        }
    }

    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn review(severity: Severity, basis: &[&str]) -> Review {
        Review {
            severity: Some(severity),
            basis: Some(basis.iter().map(|b| (*b).to_owned()).collect()),
            ..Review::default()
        }
    }

    #[test]
    fn a_draft_becomes_a_profile_row_whose_vector_generate_writes_identically() {
        let t = Tmp::new("row", |_| {});
        t.run(&Review::default()).unwrap();
        let rows = parse_rows(&t.data()).unwrap();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(
            (row.name.as_str(), row.draft.as_str()),
            (HEX, "hunt/6da5b977e4afef3e")
        );
        assert_eq!(row.severity, Severity::Profile, "a reviewer promotes");
        assert_eq!(row.basis, ["M13"], "the catalogue rule of typ_mismatch");
        assert_eq!(row.flags, [FINDING_FLAG]);
        assert!(row.refs.iter().any(|r| r == "hunt:seed=7"));

        let path = t.vector_path(HEX);
        let vector = corpus::load::load_vector(&path).unwrap();
        assert_eq!(vector.id, format!("hunt/{HEX}"));
        assert_eq!(vector.category, CATEGORY);
        assert_eq!(vector.flags, [FINDING_FLAG]);
        assert_eq!(vector.features, [Feature::Typ]);
        assert_eq!(
            vector.steps()[0].expected.reason(),
            Some(Reason::TypMismatch)
        );
        corpus::reference::check(&vector).unwrap();
        corpus::normative::table().check(&vector).unwrap();
        // What `generate` renders from the data file is the file the command wrote.
        let generated = family(&t.data()).unwrap().vectors();
        assert_eq!(generated.len(), 1);
        assert_eq!(
            to_file_json(&generated[0]),
            std::fs::read_to_string(&path).unwrap()
        );
    }

    #[test]
    fn rerunning_is_idempotent_and_keeps_an_earlier_review() {
        let t = Tmp::new("idempotent", |_| {});
        t.run(&Review::default()).unwrap();
        let first = t.snapshot();
        t.run(&Review::default()).unwrap();
        assert_eq!(t.snapshot(), first, "byte-identical");

        let promoted = Review {
            acceptable: Some(vec![Acceptable::Accept]),
            description: Some("typ JWT where at+jwt is required".into()),
            ..review(Severity::Must, &["RFC9068-4-typ", "M13"])
        };
        t.run(&promoted).unwrap();
        let reviewed = t.snapshot();
        t.run(&Review::default()).unwrap();
        assert_eq!(t.snapshot(), reviewed, "an earlier review is kept");
        let v = corpus::load::load_vector(&t.vector_path(HEX)).unwrap();
        assert_eq!(v.severity, Severity::Must);
        assert_eq!(v.basis, ["RFC9068-4-typ", "M13"]);
        assert_eq!(v.description, "typ JWT where at+jwt is required");
        assert_eq!(v.steps()[0].acceptable, [Acceptable::Accept]);
    }

    #[test]
    fn must_without_a_binding_basis_is_refused_and_writes_nothing() {
        for (severity, basis) in [
            (Some(Severity::Must), None),
            (Some(Severity::Must), Some(vec!["M13".to_owned()])),
            (None, Some(vec!["NOT-A-CLAUSE".to_owned()])),
        ] {
            let t = Tmp::new("must", |_| {});
            let err = t
                .run(&Review {
                    severity,
                    basis: basis.clone(),
                    ..Review::default()
                })
                .unwrap_err();
            assert!(
                err.contains("no basis is a binding clause")
                    || err.contains("not in docs/normative.md"),
                "{severity:?} {basis:?}: {err}"
            );
            assert_eq!(
                t.snapshot(),
                [(PathBuf::from("hunt.json"), "[]\n".to_owned())]
            );
        }
        let t = Tmp::new("must-ok", |_| {});
        t.run(&review(Severity::Must, &["RFC9068-4-typ"])).unwrap();
    }

    #[test]
    fn what_is_not_a_reviewable_draft_is_refused() {
        type Edit = fn(&mut serde_json::Map<String, Value>);
        let cases: [(&str, Edit, &str); 7] = [
            (
                "severity",
                |d| {
                    d.insert("severity".into(), "must".into());
                },
                "carries no severity",
            ),
            (
                "basis",
                |d| {
                    d.insert("basis".into(), serde_json::json!(["M13"]));
                },
                "carries no basis",
            ),
            (
                "steps",
                |d| {
                    d.insert("steps".into(), serde_json::json!([]));
                },
                "single step",
            ),
            (
                "flag",
                |d| {
                    d.insert("flags".into(), serde_json::json!(["fuzz_regression"]));
                },
                "not a hunt draft",
            ),
            (
                "category",
                |d| {
                    d.insert("category".into(), "typ".into());
                },
                "not a hunt draft",
            ),
            (
                "verdict",
                |d| {
                    d.insert(
                        "expected".into(),
                        serde_json::json!({"verdict": "accept", "claims": {}}),
                    );
                },
                "does not give the draft's expected result",
            ),
            (
                "actions",
                |d| {
                    d.insert(
                        "actions".into(),
                        serde_json::json!([{"op": "replay_store", "available": false}]),
                    );
                },
                "without store actions",
            ),
        ];
        for (name, edit, wanted) in cases {
            let t = Tmp::new(name, edit);
            let err = t.run(&Review::default()).unwrap_err();
            assert!(err.contains(wanted), "{name}: {err}");
            assert_eq!(t.data(), "[]\n", "{name}");
        }
    }

    #[test]
    fn a_review_can_rename_and_the_old_file_goes() {
        let t = Tmp::new("rename", |_| {});
        t.run(&Review::default()).unwrap();
        let renamed = Review {
            name: Some("typ-jwt".into()),
            ..Review::default()
        };
        t.run(&renamed).unwrap();
        assert!(!t.vector_path(HEX).exists());
        assert!(t.vector_path("typ-jwt").exists());
        assert_eq!(parse_rows(&t.data()).unwrap()[0].name, "typ-jwt");
        for bad in ["", "../x", ".hidden", "a b"] {
            let err = t
                .run(&Review {
                    name: Some(bad.into()),
                    ..Review::default()
                })
                .unwrap_err();
            assert!(err.contains("is not one of letters"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn acceptable_items_read_like_the_corpus_s_acceptable_type() {
        let items = |s: &[&str]| s.iter().map(|i| (*i).to_owned()).collect::<Vec<_>>();
        let ok = [
            (&["accept"][..], vec![Acceptable::Accept]),
            (
                &["reject", "expired"],
                vec![
                    Acceptable::Reject(None),
                    Acceptable::Reject(Some(Reason::Expired)),
                ],
            ),
            (
                &["reject:expired", "expired"],
                vec![Acceptable::Reject(Some(Reason::Expired))],
            ),
            (&["config_error"], vec![Acceptable::ConfigError(None)]),
            (&["none"], vec![]),
            (&[""], vec![]),
        ];
        for (input, want) in ok {
            assert_eq!(parse_acceptable(&items(input)).unwrap(), want, "{input:?}");
        }
        let code = ConfigCode::ALL[0];
        assert_eq!(
            parse_acceptable(&items(&[code.id()])).unwrap(),
            [Acceptable::ConfigError(Some(code))]
        );
        for bad in ["maybe", "reject:nope", "config_error:expired", "x:y"] {
            assert!(parse_acceptable(&items(&[bad])).is_err(), "{bad}");
        }
        let t = Tmp::new("acceptable", |_| {});
        let err = t
            .run(&Review {
                acceptable: Some(vec![Acceptable::Reject(Some(Reason::TypMismatch))]),
                ..Review::default()
            })
            .unwrap_err();
        assert!(err.contains("lists the expected outcome"), "{err}");
    }

    #[test]
    fn the_committed_rows_render() {
        let rows = include_str!("generate/families/hunt.json");
        assert_eq!(
            rows,
            rows_json(&parse_rows(rows).unwrap()),
            "canonical form"
        );
        family(rows).unwrap();
    }
}
