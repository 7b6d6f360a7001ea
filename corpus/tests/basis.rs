//! The severity rule over the whole corpus: every vector has a basis from `docs/normative.md`,
//! and every `must` vector cites a clause binding the recipient or a documented attack.

use std::path::Path;

use corpus::normative::{Kind, table};
use corpus::vector::{Severity, Vector};

fn corpus() -> Vec<Vector> {
    corpus::load::load_dir(Path::new("../vectors")).expect("vectors/")
}

#[test]
fn every_vector_has_a_basis_that_supports_its_severity() {
    let table = table();
    let problems: Vec<String> = corpus()
        .iter()
        .filter_map(|v| table.check(v).err())
        .collect();
    assert!(
        problems.is_empty(),
        "{} vectors break the severity rule:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_rule_refuses_a_must_without_a_binding_clause_and_an_unknown_id() {
    let table = table();
    let mut v = corpus()
        .into_iter()
        .find(|v| v.id == "accept/baseline")
        .expect("accept/baseline");
    v.severity = Severity::Must;
    v.basis = vec!["RFC7519-2-numericdate".into(), "M30".into()];
    assert!(table.check(&v).is_err(), "must on a permissive clause");
    v.basis.push("RFC7519-4.1.4-exp".into());
    assert!(table.check(&v).is_ok());
    v.basis.push("RFC9999-1-nothing".into());
    assert!(table.check(&v).is_err(), "unknown ID");
    v.basis.clear();
    v.severity = Severity::Profile;
    assert!(table.check(&v).is_err(), "empty basis");
}

#[test]
fn profile_clauses_are_only_profile_and_attacks_name_a_source() {
    for clause in table().clauses.values() {
        let m_id =
            clause.id.starts_with('M') || clause.id.starts_with("PROFILE-") || clause.id == "SV";
        assert_eq!(m_id, clause.kind == Kind::Profile, "{}", clause.id);
        assert!(
            !clause.text.is_empty() && !clause.source.is_empty(),
            "{}",
            clause.id
        );
    }
}
