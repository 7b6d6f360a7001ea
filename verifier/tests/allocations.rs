//! Heap allocations on the accept path, counted by a counting global allocator: for every
//! algorithm, on every backend of the build, a typical access token and a typical ID token may
//! allocate at most [`BUDGET`] blocks beyond what the raw signature check on that backend
//! allocates itself. The budget is the figure reached (the payload text the returned `Claims`
//! own); removing an allocation and then bringing one back fails here, not silently.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rstest::rstest;
use serde_json::{Value, json};
use verifier::{Algorithm, Backend, KeySet, Profile, Verifier};

/// Blocks the verifier may allocate per accepted token beyond the signature primitive's own.
const BUDGET: usize = 1;

/// Counts the blocks allocated by the current thread (tests run on threads of their own).
struct Counting;

thread_local! {
    static BLOCKS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to `System`; the count is a thread-local `Cell`
// with a const initialiser, which neither allocates nor re-enters the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = BLOCKS.try_with(|b| b.set(b.get() + 1));
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = BLOCKS.try_with(|b| b.set(b.get() + 1));
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = BLOCKS.try_with(|b| b.set(b.get() + 1));
        // SAFETY: `ptr` came from `System` with `layout`, as the caller guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The blocks `f` allocates on this thread, and its result.
fn blocks<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = BLOCKS.with(Cell::get);
    let out = f();
    (BLOCKS.with(Cell::get) - before, out)
}

/// A verifier for `alg` under `preset` (timeless), its token for `claims`, the key and the
/// decoded signature, for the floor.
fn case(alg: Algorithm, preset: &str, claims: &Value) -> (Profile, KeySet, String) {
    let forge_alg = forge::Alg::from_name(alg.name()).expect("forge signs every algorithm");
    let key = forge::AnyKey::for_alg(forge_alg, "k1");
    let jwks = common::jwks_any(&[("k1", &key, Some(forge_alg))]);
    let mut profile = json!({
        "preset": preset,
        "issuer": forge::ISSUER,
        "algorithms": [alg.name()],
        "max_lifetime_secs": null,
    });
    if preset == "oidc-id-token" {
        profile["client_id"] = json!(forge::ID_TOKEN_CLIENT);
        profile["nonce"] = json!(forge::ID_TOKEN_NONCE);
    } else {
        profile["audiences"] = json!([forge::AUDIENCE]);
    }
    let profile = common::profile_from(&profile).expect("profile");
    let typ = if preset == "rfc9068" { "at+jwt" } else { "JWT" };
    let header = json!({"alg": alg.name(), "typ": typ, "kid": "k1"});
    let token = forge::Token::new(&header, claims).sign_with(forge_alg, &key);
    let keys = KeySet::for_algorithms(jwks.to_string().as_bytes(), &profile.algorithms);
    (profile, keys.expect("key set"), token)
}

#[rstest]
fn the_accept_path_allocates_within_its_budget(#[values("rfc9068", "oidc-id-token")] preset: &str) {
    let claims = match preset {
        "rfc9068" => forge::typical_access_claims(),
        _ => forge::typical_id_token_claims(),
    };
    for alg in Algorithm::ALL {
        within_budget(alg, preset, &claims);
    }
}

/// Every backend of the build verifies `alg`'s token for `claims` under `preset` within
/// [`BUDGET`] blocks of its signature primitive.
fn within_budget(alg: Algorithm, preset: &str, claims: &Value) {
    let (profile, keys, token) = case(alg, preset, claims);
    let key = keys.get("k1").expect("the key").clone();
    let (input, signature) = token.rsplit_once('.').expect("three segments");
    let signature = verifier::b64::decode(signature.as_bytes()).expect("base64url");
    for &backend in Backend::ALL {
        let verifier = Verifier::builder(profile.clone())
            .key_set(keys.clone())
            .signature_backend(backend)
            .build()
            .expect("verifier");
        // Once first: lazy one-time set-up (a backend's CPU feature probe) is not per token.
        assert!(verifier.verify(token.as_bytes(), forge::NOW).is_ok());
        let (floor, ok) = blocks(|| backend.verifies(&key, alg, input.as_bytes(), &signature));
        assert!(ok, "the floor verifies");
        let (used, claims) = blocks(|| verifier.verify(token.as_bytes(), forge::NOW));
        let claims = claims.unwrap_or_else(|r| panic!("{alg} on {backend:?}: {r:?}"));
        assert_eq!(claims.iss(), Some(forge::ISSUER));
        assert!(
            used <= floor + BUDGET,
            "{alg} {preset} on {backend:?}: {used} blocks, the signature check alone {floor}, \
             budget {BUDGET}"
        );
    }
}

/// The count is real: a verification that builds the claims map allocates far more.
#[test]
fn the_counter_sees_allocations() {
    let (profile, keys, token) = case(Algorithm::HS256, "rfc9068", &forge::typical_access_claims());
    let verifier = Verifier::new(profile, keys).expect("verifier");
    let (used, map) = blocks(|| {
        verifier
            .verify(token.as_bytes(), forge::NOW)
            .map(|c| c.to_map())
    });
    assert!(map.is_ok_and(|m| m.len() == 11));
    assert!(used > 10 + BUDGET, "{used} blocks");
}
