//! Every vector under `vectors/` is its own named test against the reference verifier.

use std::path::Path;

fn check_vector(path: &Path) -> datatest_stable::Result<()> {
    let vector = corpus::load::load_vector(path)?;
    let expected_file = format!("{}.json", vector.id);
    if !path.ends_with(&expected_file) {
        return Err(format!(
            "{}: id {} does not match the file path",
            path.display(),
            vector.id
        )
        .into());
    }
    corpus::reference::check(&vector).map_err(Into::into)
}

datatest_stable::harness! {
    { test = check_vector, root = "../vectors", pattern = r"^.*/.*\.json$" },
}
