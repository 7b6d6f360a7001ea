//! What a hunt leaves for a reviewer: a draft vector per new cluster (`drafts/`) and the
//! triage page (`triage.md`).
//!
//! A draft is a vector in the corpus format without `severity` and `basis`: those are a
//! reviewer's, given with `tools hunt-to-vector` (`docs/hunt.md`). Its expected result is what
//! the reference verifier decided; its provenance (hunt seed, candidate, seed vector, kept
//! mutations) is in `refs` and `notes`.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::candidate::{Candidate, render};
use super::cluster::{Baseline, Cluster};
use super::judge::Entrant;
use super::seed::Seed;
use super::{State, write_atomic};
use crate::outcome::{Id, Outcome};
use crate::vector::{Body, Expected, Vector};

/// Known clusters listed on the page (the largest first).
const KNOWN_ROWS: usize = 100;
/// The longest decoded header or payload quoted on the page.
const QUOTE_BYTES: usize = 1200;

/// The minimized candidate of a cluster (its smallest, when not minimized).
pub fn representative(cluster: &Cluster, hunt_seed: u64, seeds: &[Seed]) -> Candidate {
    let c = Candidate::generate(hunt_seed, cluster.smallest, seeds.len());
    match &cluster.kept {
        Some(kept) => c.with_mutations(|i| kept.contains(&i)),
        None => c,
    }
}

/// The draft of a cluster's representative: its vector (no severity, no basis) and file name.
pub fn draft(
    cluster: &Cluster,
    hunt_seed: u64,
    seeds: &[Seed],
) -> Result<(String, Value, Vec<u8>), String> {
    let candidate = representative(cluster, hunt_seed, seeds);
    let seed = &seeds[candidate.seed % seeds.len()];
    let r = render(&candidate, seed, String::new());
    // The whole case, not the token alone: key-set and profile mutations leave the token as
    // it was.
    let digest = Sha256::new()
        .chain_update(&r.token)
        .chain_update(r.vector.jwks.to_string())
        .chain_update(serde_json::to_string(&r.vector.profile).unwrap_or_default())
        .finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut vector: Vector = r.vector;
    vector.id = format!("hunt/{}", &hex[..16]);
    let outcome = crate::reference::run(&vector)
        .into_iter()
        .next()
        .ok_or("the reference gave no outcome")?;
    let expected = expected_of(&outcome)?;
    if let Body::Single(step) = &mut vector.body {
        step.expected = expected;
    }
    vector.description = format!(
        "Hunt: {} mutated ({}); {}",
        seed.vector.id,
        mutation_names(&candidate),
        cluster.signature
    );
    vector.refs = vec![
        format!("hunt:seed={hunt_seed}"),
        format!("hunt:candidate={}", cluster.smallest),
        format!("hunt:from={}", seed.vector.id),
        format!("hunt:cluster={}", cluster.signature),
        format!("sha256:{hex}"),
    ];
    vector.flags = vec!["hunt_draft".to_owned()];
    vector.notes = Some(format!(
        "{}. Mutations kept by minimization: {:?}",
        cluster.signature, candidate.mutations
    ));
    // Not a parse of `to_file_json`'s text: a candidate may nest deeper than a parser's
    // recursion limit.
    let mut value: Value = serde_json::to_value(&vector).map_err(|e| e.to_string())?;
    if let Some(obj) = value.as_object_mut() {
        obj.remove("severity");
        obj.remove("basis");
    }
    Ok((hex[..16].to_owned(), value, r.token))
}

/// The expected result a reference outcome stands for.
fn expected_of(outcome: &Outcome) -> Result<Expected, String> {
    match outcome {
        Outcome::Accept { claims } => Ok(Expected::Accept {
            claims: claims.clone(),
        }),
        Outcome::Reject {
            reason: Some(Id::Known(reason)),
            ..
        } => Ok(Expected::Reject {
            reason: *reason,
            m_id: reason.m_id().map(str::to_owned),
        }),
        Outcome::ConfigError {
            code: Some(Id::Known(code)),
            ..
        } => Ok(Expected::ConfigError { error: *code }),
        other => Err(format!("the reference answered {}", other.label())),
    }
}

/// The mutations' variant names, for a one-line description.
pub fn mutation_names(c: &Candidate) -> String {
    if c.mutations.is_empty() {
        return "no mutation".to_owned();
    }
    c.mutations
        .iter()
        .map(|m| {
            let text = format!("{m:?}");
            crate::text::one_line(&text, 60)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The token's header and payload decoded (or the raw text for other forms), for the page.
fn decoded(token: &[u8]) -> String {
    let text = String::from_utf8_lossy(token);
    let parts: Vec<&str> = text.split('.').collect();
    let quote = |bytes: &[u8]| {
        let s = String::from_utf8_lossy(bytes);
        crate::text::one_line(&s, QUOTE_BYTES)
    };
    if parts.len() == 3 {
        let seg = |s: &str| {
            URL_SAFE_NO_PAD.decode(s).map_or_else(
                |_| format!("(not base64url) {}", quote(s.as_bytes())),
                |b| quote(&b),
            )
        };
        format!(
            "header:    {}\npayload:   {}\nsignature: {} characters",
            seg(parts[0]),
            seg(parts[1]),
            parts[2].len()
        )
    } else {
        format!("token ({} bytes): {}", token.len(), quote(token))
    }
}

/// Writes every new cluster's draft and the triage page.
pub fn write(
    out: &Path,
    state: &State,
    seeds: &[Seed],
    baseline: &Baseline,
    lineup: &[Entrant],
    hunt_seed: u64,
) -> Result<(), String> {
    let drafts = out.join("drafts");
    std::fs::create_dir_all(&drafts).map_err(|e| format!("{}: {e}", drafts.display()))?;
    let mut page = String::new();
    let searched = state.next;
    let rate = if state.search_secs > 0.0 {
        #[allow(clippy::cast_precision_loss)]
        let r = searched as f64 / state.search_secs;
        r
    } else {
        0.0
    };
    // Clusters where some library disagrees as it never does in the corpus come first.
    let mut new: Vec<&Cluster> = state.clusters.values().filter(|c| c.new).collect();
    let known = baseline.disagreements();
    let exact: std::collections::BTreeSet<&super::judge::Signature> = baseline.signatures();
    let combinations = state
        .clusters
        .values()
        .filter(|c| !c.new && !exact.contains(&c.signature))
        .count();
    new.sort_by_key(|c| c.signature.clone());
    let _ = writeln!(page, "# Hunt triage (seed {hunt_seed})\n");
    let _ = writeln!(
        page,
        "{searched} candidates from {} seed tokens judged by {} adapters in {:.0} s of search \
         ({rate:.1} candidates/s); {} disagreements in {} clusters (by the reference's verdict \
         and the exact set of adapters that answered the other way). {} are new: an adapter in \
         them disagrees on the reference's verdict as in no corpus vector. {combinations} others \
         have a set of adapters no corpus vector has, but each of their adapters disagrees so in \
         some corpus vector: new combinations of known disagreements, counted, not drafted. \
         The corpus: {} vectors judged the same way. Adapter errors: {}.\n",
        seeds.len(),
        lineup.len(),
        state.search_secs,
        state.disagreements,
        state.clusters.len(),
        new.len(),
        baseline.vectors.len(),
        state.adapter_errors
    );
    if !state.broken.is_empty() {
        let _ = writeln!(
            page,
            "Adapters that left the campaign (setup errors, not findings):\n"
        );
        for (name, why) in &state.broken {
            let _ = writeln!(page, "- `{name}`: {why}");
        }
        page.push('\n');
    }
    let _ = writeln!(page, "## Time by adapter\n");
    let _ = writeln!(
        page,
        "| adapter | seconds in its batch calls | occupancy (adapters run at once) | adapter errors |"
    );
    let _ = writeln!(page, "|---|---:|---:|---:|");
    let mut busy = state.busy_secs.clone();
    busy.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, secs) in &busy {
        let share = if state.search_secs > 0.0 {
            100.0 * secs / state.search_secs
        } else {
            0.0
        };
        let errors = state.errors.get(name).copied().unwrap_or(0);
        let _ = writeln!(page, "| `{name}` | {secs:.1} | {share:.0}% | {errors} |");
    }
    let _ = writeln!(page, "\n## New clusters\n");
    if new.is_empty() {
        let _ = writeln!(
            page,
            "None: every disagreement found is one a corpus vector already shows.\n"
        );
    }
    for (n, c) in new.iter().enumerate() {
        let (name, value, token) = match draft(c, hunt_seed, seeds) {
            Ok(d) => d,
            Err(e) => {
                let _ = writeln!(page, "### {}. {}\n\nNo draft: {e}\n", n + 1, c.signature);
                continue;
            }
        };
        let path = drafts.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())? + "\n";
        write_atomic(&path, &text)?;
        let candidate = representative(c, hunt_seed, seeds);
        let seed = &seeds[candidate.seed % seeds.len()];
        let nearest = baseline.nearest(&c.signature).map_or_else(
            || "none with the same reference verdict".to_owned(),
            |(id, sig)| format!("`{id}` ({})", sig.adapters.join(", ")),
        );
        let _ = writeln!(page, "### {}. {}\n", n + 1, c.signature);
        let _ = writeln!(
            page,
            "- candidates in the cluster: {}; representative: candidate {}{}",
            c.count,
            c.smallest,
            match (c.minimal, &c.kept) {
                (true, _) => ", minimized (1-minimal)",
                (false, Some(_)) => ", partly minimized (time ran out; a resumed hunt goes on)",
                (false, None) => ", not minimized (time ran out; a resumed hunt does it)",
            }
        );
        let _ = writeln!(
            page,
            "- disagrees on this verdict as in no corpus vector: {}",
            Baseline::novel(&known, &c.signature).join(", ")
        );
        let _ = writeln!(page, "- mutated from: `{}`", seed.vector.id);
        let _ = writeln!(page, "- mutations: {}", mutation_names(&candidate));
        let _ = writeln!(page, "- nearest existing vector: {nearest}");
        let _ = writeln!(page, "- draft: `drafts/{name}.json`\n");
        let _ = writeln!(page, "```\n{}\n```\n", decoded(&token));
    }
    let mut known_clusters: Vec<&Cluster> = state.clusters.values().filter(|c| !c.new).collect();
    known_clusters.sort_by_key(|c| std::cmp::Reverse(c.count));
    let _ = writeln!(
        page,
        "## Known clusters\n\nThe {} largest of {}, each with a corpus vector that shows the \
         same exact set where there is one.\n",
        KNOWN_ROWS.min(known_clusters.len()),
        known_clusters.len()
    );
    let _ = writeln!(
        page,
        "| cluster | candidates | a corpus vector showing it |"
    );
    let _ = writeln!(page, "|---|---:|---|");
    for c in known_clusters.into_iter().take(KNOWN_ROWS) {
        let example = baseline
            .vectors
            .iter()
            .find(|(_, s)| s.as_ref() == Some(&c.signature))
            .map_or("", |(id, _)| id.as_str());
        let _ = writeln!(page, "| {} | {} | `{example}` |", c.signature, c.count);
    }
    write_atomic(&out.join("triage.md"), &page)
}
