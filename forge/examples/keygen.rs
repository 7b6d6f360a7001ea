//! Writes the stored RSA keys of `forge/keys/` (run once; see `forge/keys/README.md`):
//! `cargo run --release -p forge --example keygen`.
//!
//! Each key comes from a ChaCha20 generator seeded with SHA-256 of its name, so the program is
//! reproducible with the crate versions it was run with. The committed files, not this program,
//! are the keys: prime generation may change between `rsa` releases, the files never do.

use chacha20::ChaCha20Rng;
use chacha20::rand_core::SeedableRng;
use rsa::BoxedUint;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
    for (name, bits, e) in [
        ("rsa-2048", 2048, 65537u64),
        ("rsa-3072", 3072, 65537),
        ("rsa-4096", 4096, 65537),
        ("rsa-1024", 1024, 65537),
        ("rsa-2048-e3", 2048, 3),
    ] {
        let seed: [u8; 32] = Sha256::digest(format!("jwt-conformance/rsa/{name}")).into();
        let mut rng = ChaCha20Rng::from_seed(seed);
        let key = rsa::PrivateKey::new_with_exp(&mut rng, bits, BoxedUint::from(e))
            .expect("RSA key generation");
        let pem = key.to_pkcs8_pem(LineEnding::LF).expect("PKCS#8 encoding");
        let path = dir.join(format!("{name}.pem"));
        std::fs::write(&path, pem.as_bytes()).expect("write the key file");
        println!("{}", path.display());
    }
}
