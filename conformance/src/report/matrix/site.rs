//! A self-contained pages folder (`matrix --docs DIR` anywhere but the project's `docs/`): every
//! file the generated pages link to is copied in beside them, so that the folder can be
//! published on its own and no link leads out of it.
//!
//! The documents come from the binary (the project's `docs/` and `vectors/README.md` as they
//! were when it was built: an installed runner has no checkout to copy from), the vector files
//! from the corpus the pages were made from.

use std::collections::{BTreeMap, BTreeSet};

use crate::set::Corpus;

/// The documents a page may link to, by path in a self-contained folder, as the binary
/// carries them. Copied verbatim: their own links into the project's source are not followed.
pub const DOCUMENTS: [(&str, &str); 6] = [
    ("normative.md", corpus::normative::NORMATIVE_MD),
    // Quoted clauses link to it (`PROFILE-OIDC-AUD`: its text is not stored there).
    (
        "rfc/README.md",
        include_str!("../../../../docs/rfc/README.md"),
    ),
    ("adapters.md", include_str!("../../../../docs/adapters.md")),
    ("profile.md", include_str!("../../../../docs/profile.md")),
    ("reasons.md", include_str!("../../../../docs/reasons.md")),
    (
        "vectors/README.md",
        include_str!("../../../../vectors/README.md"),
    ),
];

/// Adds to `files` (pages by path in the folder) every file they link to that is not one of
/// them: a document of [`DOCUMENTS`], or `vectors/ID.json` as `vector(ID)` gives it. Links to
/// `siblings` are left alone: pages another command writes into the same folder (`disputes`
/// rewrites its one page of a folder `matrix` wrote, and links to `matrix.md` there). The error
/// names every other link that leads nowhere (out of the folder, or to a file there is no copy
/// of).
pub fn bundle(
    files: &mut BTreeMap<String, String>,
    siblings: &[&str],
    vector: impl Fn(&str) -> Option<String>,
) -> Result<(), String> {
    let mut wanted = BTreeSet::new();
    for (page, text) in files.iter() {
        for target in links(page, text) {
            if !files.contains_key(&target) {
                wanted.insert((target, page.clone()));
            }
        }
    }
    let mut nowhere = Vec::new();
    for (target, page) in wanted {
        if files.contains_key(&target) || siblings.contains(&target.as_str()) {
            continue;
        }
        let copy = DOCUMENTS
            .iter()
            .find(|(path, _)| *path == target)
            .map(|(_, text)| (*text).to_owned())
            .or_else(|| {
                target
                    .strip_prefix("vectors/")
                    .and_then(|file| file.strip_suffix(".json"))
                    .and_then(&vector)
            });
        match copy {
            Some(text) => {
                files.insert(target, text);
            }
            None => nowhere.push(format!("{target} (linked from {page})")),
        }
    }
    if nowhere.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} link(s) of the pages lead nowhere: {}",
            nowhere.len(),
            nowhere.join(", ")
        ))
    }
}

/// The vector files of `corpus` by ID, as read: from its folder, or from the binary's copy
/// when it is the embedded corpus.
pub fn vector_files(corpus: &Corpus) -> impl Fn(&str) -> Option<String> + '_ {
    let embedded: Option<BTreeMap<&str, &[u8]>> = (corpus.dir.as_os_str()
        == crate::embedded::LABEL)
        .then(|| crate::embedded::files().iter().copied().collect());
    move |id| {
        let name = format!("{id}.json");
        match &embedded {
            Some(files) => files
                .get(name.as_str())
                .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok()),
            None => std::fs::read_to_string(corpus.dir.join(name)).ok(),
        }
    }
}

/// The relative link targets of the Markdown page at `page` (a path in the folder), resolved
/// to paths in the folder, anchors dropped: links with a scheme and links within the page are
/// left out, and so is anything inside a code span. A target that climbs out of the folder
/// keeps its leading `../`.
pub fn links(page: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            // A code span: skip to the closing run of as many backticks (or past the run alone).
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            let fence = &bytes[i..i + run];
            i += run;
            if let Some(end) = bytes[i..].windows(run).position(|w| w == fence) {
                i += end + run;
            }
            continue;
        }
        if bytes[i..].starts_with(b"](") {
            let start = i + 2;
            let end = bytes[start..]
                .iter()
                .position(|b| matches!(b, b')' | b' ' | b'\n'))
                .map_or(bytes.len(), |e| start + e);
            // Both ends are ASCII delimiters (or the end), so these are char boundaries.
            let target = text[start..end].split('#').next().unwrap_or_default();
            if !target.is_empty() && !target.contains(':') {
                out.push(resolve(page, target));
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// `target`, relative to the folder of `page`, as a path in the pages' folder.
fn resolve(page: &str, target: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let mut climbed = 0;
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    climbed += 1;
                }
            }
            part => parts.push(part),
        }
    }
    format!("{}{}", "../".repeat(climbed), parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_from_the_page_and_skip_urls_anchors_and_code() {
        let text = "[a](x.md) [b](../vectors/c/d.json#top) [e](https://e.example/f) [g](#h) \
                    `[i](j.md)` ``[k](`l.md`)`` [m](../../out.md)";
        assert_eq!(
            links("matrix/p.md", text),
            ["matrix/x.md", "vectors/c/d.json", "../out.md"]
        );
    }

    #[test]
    fn bundle_copies_documents_and_vectors_and_names_what_it_cannot() {
        let mut files = BTreeMap::from([(
            "findings.md".to_owned(),
            "[n](normative.md) [v](vectors/a/b.json) [r](vectors/README.md)".to_owned(),
        )]);
        bundle(&mut files, &[], |id| (id == "a/b").then(|| "{}".to_owned())).unwrap();
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            [
                "findings.md",
                "normative.md",
                "vectors/README.md",
                "vectors/a/b.json"
            ]
        );
        let mut broken = BTreeMap::from([(
            "p.md".to_owned(),
            "[x](vectors/gone.json) [y](../../adapters/a/repro.py)".to_owned(),
        )]);
        let error = bundle(&mut broken, &[], |_| None).unwrap_err();
        assert!(
            error.contains("vectors/gone.json (linked from p.md)"),
            "{error}"
        );
        assert!(error.contains("../adapters/a/repro.py"), "{error}");
    }
}
