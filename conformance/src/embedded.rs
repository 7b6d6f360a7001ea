//! The corpus built into the runner: `vectors/` as it was when the binary was built, so that an
//! installed `conformance` runs from any folder. `--vectors DIR` overrides it.

use crate::set::Corpus;

mod files {
    include!(concat!(env!("OUT_DIR"), "/embedded_corpus.rs"));
}

/// How the embedded corpus is named in errors and reports.
pub const LABEL: &str = "(embedded vectors)";

/// The embedded files, as `(path relative to vectors/, bytes)`.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    files::FILES
}

/// The embedded corpus, parsed. An error means the binary was built from a corrupt `vectors/`;
/// an empty corpus, that it was built outside the repository.
pub fn corpus() -> Result<Corpus, String> {
    Corpus::from_files(LABEL, files().iter().map(|&(name, bytes)| (name, bytes)))
        .map_err(|e| e.to_string())
}
