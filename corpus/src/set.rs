//! A loaded corpus: every vector of a directory (or in memory), sorted by ID, with a version,
//! and the ID filter of the command line. The runner and the benches load the corpus this way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::load::{LoadError, is_vector_file, load_dir, parse_vector};
use crate::vector::{SCHEMA_VERSION, Vector, to_file_json};

/// A loaded corpus.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// Where it was loaded from (empty for in-memory corpora).
    pub dir: PathBuf,
    /// The vectors, sorted by ID.
    pub vectors: Vec<Arc<Vector>>,
    /// `vectors/VERSION` if present, else the schema version and a content hash.
    pub version: String,
}

impl Corpus {
    /// Loads every vector under `dir`.
    pub fn load(dir: &Path) -> Result<Corpus, LoadError> {
        let vectors = load_dir(dir)?;
        let mut corpus = Corpus::from_vectors(vectors);
        corpus.dir = dir.to_path_buf();
        if let Ok(version) = std::fs::read_to_string(dir.join("VERSION")) {
            corpus.version = version.trim().to_owned();
        }
        Ok(corpus)
    }

    /// A corpus from the files of a corpus folder held in memory, as `(path relative to the
    /// folder, bytes)` (the runner's embedded copy); `VERSION` and non-vector files are read as
    /// [`Corpus::load`] reads them. `label` stands for the folder in errors and reports.
    pub fn from_files<'a>(
        label: &str,
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Corpus, LoadError> {
        let dir = PathBuf::from(label);
        let mut vectors = Vec::new();
        let mut version = None;
        for (name, bytes) in files {
            let path = dir.join(name);
            if name == "VERSION" {
                version = Some(String::from_utf8_lossy(bytes).trim().to_owned());
            } else if is_vector_file(&path) {
                vectors.push(parse_vector(&path, bytes)?);
            }
        }
        let mut corpus = Corpus::from_vectors(vectors);
        corpus.dir = dir;
        if let Some(version) = version {
            corpus.version = version;
        }
        Ok(corpus)
    }

    /// A corpus from vectors in memory (tests, generated vectors).
    pub fn from_vectors(vectors: Vec<Vector>) -> Corpus {
        let mut vectors: Vec<Arc<Vector>> = vectors.into_iter().map(Arc::new).collect();
        vectors.sort_by(|a, b| a.id.cmp(&b.id));
        let mut hash = Sha256::new();
        for v in &vectors {
            hash.update(to_file_json(v).as_bytes());
        }
        let digest = hash.finalize();
        let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        // The newest version among its vectors: a corpus of version 2 vectors is still one a
        // version 2 reader reads whole.
        let schema = vectors.iter().map(|v| v.schema_version).max();
        Corpus {
            dir: PathBuf::new(),
            version: format!("schema-v{}+sha256:{hex}", schema.unwrap_or(SCHEMA_VERSION)),
            vectors,
        }
    }

    /// The vectors whose ID matches `pattern` (a glob with `*` and `?`, or else a substring).
    pub fn filtered(&self, pattern: Option<&str>) -> Corpus {
        let Some(pattern) = pattern else {
            return self.clone();
        };
        Corpus {
            vectors: self
                .vectors
                .iter()
                .filter(|v| id_matches(&v.id, pattern))
                .cloned()
                .collect(),
            ..self.clone()
        }
    }
}

/// `*` matches any run of characters, `?` one character; a pattern without either matches as a
/// substring.
pub fn id_matches(id: &str, pattern: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return id.contains(pattern);
    }
    let (id, pattern): (Vec<char>, Vec<char>) = (id.chars().collect(), pattern.chars().collect());
    // Classic two-pointer glob with backtracking to the last `*`.
    let (mut i, mut p, mut star, mut mark) = (0, 0, None, 0);
    while i < id.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == id[i]) {
            i += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = i;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}
