//! Stateful checks as step sequences: replay (M35), sessions (M36), session version (sv), key
//! rotation and key-set fetch failures.
//!
//! Severity: no RFC makes a resource server keep a `jti` replay store, revoke `sid` sessions or
//! compare an `sv` (RFC 7519 §4.1.7 calls `jti` OPTIONAL; an RFC 9068 bearer token is reusable
//! until `exp`), and `ADV-REPLAY` and `ADV-FAIL-OPEN` are this project's own threat rows, so every
//! replay, session and session-version rule, and its store failing, is `profile` (behind its
//! feature). Nor does any RFC set how long a fetched key set is cached: rotation timing is
//! `profile` too. What stays `must` is what RFC 9068 §4 decides: a forged signature, and a token
//! accepted when no key set could be fetched at all (it cannot have been verified).

use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{
    Action, Count, EndpointBehaviour, Feature, KeySourceSpec, Listener, RequestBounds,
};
use serde_json::json;
use verifier::Reason::{
    self, JtiReplayed, KeySourceUnavailable, KidUnknown, ReplayCacheUnavailable,
    SessionLookupUnavailable, SessionRevoked, SessionVersionLookupUnavailable, SessionVersionStale,
    SignatureInvalid,
};

use super::signature::{to_high_s, to_low_s};
use super::{Family, del_claim, rej, set_claim, set_hdr};
use crate::generate::{
    Draft, Expect, Row, Signer, StepCase, accept, any_reject, custom, reject_for,
};

const SUB: &str = "01HZY2J3K4M5N6P7Q8R9S0T1V2";

/// A replayed `jti` accepted after one-time use was configured.
const REPLAY: &[&str] = &["ADV-REPLAY", "M35", "RFC7519-4.1.7-jti"];
/// The replay store fails and the token is accepted unchecked.
const REPLAY_DOWN: &[&str] = &["ADV-FAIL-OPEN", "M35"];
/// A revoked session's token accepted.
const SESSION: &[&str] = &["ADV-REPLAY", "M36"];
/// The session store fails and the token is accepted unchecked.
const SESSION_DOWN: &[&str] = &["ADV-FAIL-OPEN", "M36"];
/// A token of a logged-out session epoch accepted.
const VERSION: &[&str] = &["ADV-REPLAY", "SV"];
/// The session-version store fails and the token is accepted unchecked.
const VERSION_DOWN: &[&str] = &["ADV-FAIL-OPEN", "SV"];
/// A token accepted without the signature check because the key set could not be fetched: RFC
/// 9068 §4 (validate the signature, with the authorization server's keys) binds.
pub(super) const FETCH_DOWN: &[&str] =
    &["ADV-FAIL-OPEN", "RFC9068-4-signature", "PROFILE-KEY-FETCH"];
/// How the profile caches and refetches a key set.
pub(super) const FETCH: &[&str] = &["PROFILE-KEY-FETCH", "RFC9068-4-signature"];

/// Why trusting a withdrawn or replaced key after the TTL is `profile`, not `must`.
pub(super) const CACHE_LIFETIME: &str = "No RFC sets how long a fetched key set may be cached: \
                                         the withdrawn key was provided by the authorization \
                                         server, so a client that keeps it past the TTL (as one \
                                         that serves a stale set through an outage does) breaks \
                                         no RFC MUST; the profile drops it once the TTL has \
                                         passed.";

pub(super) fn step(actions: Vec<Action>, draft: &Draft, expect: Expect) -> StepCase {
    StepCase::new(actions, draft.clone(), expect)
}

pub(super) fn ok() -> Expect {
    Expect::Accept
}

pub(super) fn at(draft: &Draft, now: i64) -> Draft {
    Draft {
        now,
        ..draft.clone()
    }
}

fn with_jti(draft: &Draft, jti: &str) -> Draft {
    let mut d = draft.clone();
    set_claim(&mut d, "jti", json!(jti));
    d
}

pub(super) fn signed_by(draft: &Draft, kid: &'static str) -> Draft {
    let mut d = draft.clone();
    set_hdr(&mut d, "kid", json!(kid));
    d.signer = Signer::Es256(kid);
    d
}

fn replay(d: &mut Draft) {
    d.profile.state.replay = true;
}

fn sessions(d: &mut Draft) {
    d.profile.state.sessions = true;
    set_claim(d, "sid", json!("sid-1"));
}

fn versions(d: &mut Draft) {
    d.profile.state.session_version = true;
    set_claim(d, "sv", json!(3));
}

fn every_store(d: &mut Draft) {
    replay(d);
    sessions(d);
    versions(d);
}

/// The default TTL of a live key set, in seconds: short, because libraries cache on the wall
/// clock and the runner waits real time between steps.
pub(super) const TTL: i64 = 2;
/// A step this long after the previous one finds the cache expired (a second of margin).
pub(super) const AFTER_TTL: i64 = TTL + 1;

/// A live key source: the issuer is the live server's origin, which the token names.
pub(super) fn fetched(d: &mut Draft) {
    fetched_with(d, TTL, 2);
}

/// [`fetched`] with this TTL and refetch interval (seconds).
pub(super) fn fetched_with(d: &mut Draft, ttl_secs: i64, refetch_interval_secs: i64) {
    d.key_source = Some(KeySourceSpec::Fetched {
        ttl_secs,
        refetch_interval_secs,
        fetch_timeout_ms: corpus::vector::DEFAULT_FETCH_TIMEOUT_MS,
        discovery: false,
    });
    d.profile.issuer = Some(Listener::Issuer.placeholder().to_owned());
    set_claim(d, "iss", json!(Listener::Issuer.placeholder()));
}

/// Bounds on a step's key-set fetches.
pub(super) fn jwks(count: Count) -> RequestBounds {
    RequestBounds {
        jwks: Some(count),
        ..RequestBounds::default()
    }
}

/// The endpoint fails on the first fetch: nothing to verify with.
pub(super) fn fetch_fails(name: &str, description: &str, behaviour: EndpointBehaviour) -> Row {
    seq(name, description, fetched, Must, FETCH_DOWN, move |d| {
        vec![step(
            vec![endpoint(behaviour.clone())],
            d,
            rej(KeySourceUnavailable),
        )]
    })
}

fn open() -> Action {
    Action::OpenSession {
        sub: SUB.into(),
        sid: "sid-1".into(),
    }
}

fn revoke() -> Action {
    Action::RevokeSession {
        sub: SUB.into(),
        sid: "sid-1".into(),
    }
}

fn version(v: u64) -> Action {
    Action::SetSessionVersion {
        sub: SUB.into(),
        version: v,
    }
}

fn replay_store(available: bool) -> Action {
    Action::ReplayStore { available }
}

fn session_store(available: bool) -> Action {
    Action::SessionStore { available }
}

fn version_store(available: bool) -> Action {
    Action::SessionVersionStore { available }
}

pub(super) fn endpoint(behaviour: EndpointBehaviour) -> Action {
    Action::KeyEndpoint { behaviour }
}

pub(super) fn publish(kids: &[&str]) -> Action {
    let keys: Vec<_> = kids.iter().map(|k| forge::key(k)).collect();
    let pairs: Vec<(&str, &forge::SigningKey)> = kids.iter().copied().zip(keys.iter()).collect();
    Action::PublishJwks {
        jwks: forge::jwks(&pairs),
    }
}

/// A stateful row: `setup` turns the rule on (a profile edit), `steps` is the sequence.
pub(super) fn seq(
    name: &str,
    description: &str,
    setup: fn(&mut Draft),
    severity: corpus::vector::Severity,
    basis: &[&str],
    steps: impl Fn(&Draft) -> Vec<StepCase> + 'static,
) -> Row {
    Row::new(name, description, custom(setup), ok(), severity, basis).steps(steps)
}

/// A configured store is down (after `actions`) on the token's first use.
fn store_down(
    name: &str,
    description: &str,
    setup: fn(&mut Draft),
    actions: Vec<Action>,
    reason: Reason,
    basis: &[&str],
) -> Row {
    seq(name, description, setup, Profile, basis, move |d| {
        vec![step(actions.clone(), d, rej(reason))]
    })
    .features(&[Feature::StoreFaults])
}

/// The baseline set with the primary key's private scalar `d` added: a public endpoint that
/// publishes the signing key.
fn private_key_set() -> String {
    json!({"keys": [forge::private_jwk(&forge::key(forge::KID), forge::KID)]}).to_string()
}

/// A state store down while the token also breaks that store's rule: the outage fails closed
/// first, and a verifier that learns the defect another way names it instead.
fn down_over_defect(
    name: &str,
    description: &str,
    setup: fn(&mut Draft),
    basis: &[&str],
    actions: Vec<Action>,
    down: Reason,
    defect: Reason,
) -> Row {
    seq(name, description, setup, Profile, basis, move |d| {
        vec![step(actions.clone(), d, rej(down)).acceptable(&[reject_for(defect)])]
    })
    .features(&[Feature::StoreFaults])
}

/// A later state store down (after the replay store recorded the jti), then back: the retry is a
/// replay.
fn down_then_replayed(
    name: &str,
    description: &str,
    setup: fn(&mut Draft),
    rule: &str,
    actions: Vec<Action>,
    down: Reason,
    back: Action,
) -> Row {
    seq(
        name,
        description,
        setup,
        Profile,
        &["ADV-FAIL-OPEN", "ADV-REPLAY", "M35", rule],
        move |d| {
            vec![
                step(actions.clone(), d, rej(down)),
                step(vec![back.clone()], d, rej(JtiReplayed)).acceptable(&[accept()]),
            ]
        },
    )
    .features(&[Feature::StoreFaults])
    .notes(RECORDED_THEN_REJECTED)
}

/// Why a retry after a later state rule's outage is a replay.
const RECORDED_THEN_REJECTED: &str = "the replay rule runs first and records the jti even though \
                                      a later state rule rejects; a verifier that records only \
                                      accepted tokens accepts the retry";

/// The token, then one whose `jti` is `other`: a distinct replay key, so both are accepted.
fn distinct_jti(name: &str, description: &str, other: &'static str) -> Row {
    seq(
        name,
        description,
        replay,
        Profile,
        &["M35", "RFC7519-4.1.7-jti"],
        move |d| {
            vec![
                step(vec![], d, ok()),
                step(vec![], &with_jti(d, other), ok()),
            ]
        },
    )
}

pub fn family() -> Family {
    let mut rows = vec![
        // Replay (M35).
        seq(
            "replay-second-use",
            "the same jti twice",
            replay,
            Profile,
            REPLAY,
            |d| vec![step(vec![], d, ok()), step(vec![], d, rej(JtiReplayed))],
        ),
        seq(
            "replay-third-use",
            "the same jti three times",
            replay,
            Profile,
            REPLAY,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], d, rej(JtiReplayed)),
                    step(vec![], &at(d, d.now + 60), rej(JtiReplayed)),
                ]
            },
        ),
        distinct_jti(
            "replay-distinct-jti",
            "two tokens with distinct jti",
            "jti-0002",
        ),
        seq(
            "replay-store-recovers",
            "down, then up: the token is fresh, then replayed",
            replay,
            Profile,
            &["ADV-FAIL-OPEN", "ADV-REPLAY", "M35", "RFC7519-4.1.7-jti"],
            |d| {
                vec![
                    step(vec![replay_store(false)], d, rej(ReplayCacheUnavailable)),
                    step(vec![replay_store(true)], d, ok()),
                    step(vec![], d, rej(JtiReplayed)),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "replay-down-after-use",
            "used, then the store goes down",
            replay,
            Profile,
            REPLAY_DOWN,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![replay_store(false)],
                        &with_jti(d, "jti-0003"),
                        rej(ReplayCacheUnavailable),
                    ),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        // Sessions (M36).
        seq(
            "session-live",
            "a live session",
            sessions,
            Profile,
            &["M36"],
            |d| vec![step(vec![open()], d, ok())],
        ),
        seq(
            "session-revoked",
            "live, then revoked",
            sessions,
            Profile,
            SESSION,
            |d| {
                vec![
                    step(vec![open()], d, ok()),
                    step(vec![revoke()], d, rej(SessionRevoked)),
                ]
            },
        ),
        seq(
            "session-never-opened",
            "a session the store never saw",
            sessions,
            Profile,
            &["M36"],
            |d| vec![step(vec![], d, rej(SessionRevoked))],
        )
        .rationale(
            "The profile's session store lists live sessions, so a session it never saw is not \
             live; a store that lists only revoked sessions would accept, and no RFC decides \
             between the two designs.",
        ),
        seq(
            "session-no-sid",
            "no sid claim",
            |d| {
                sessions(d);
                del_claim(d, "sid");
            },
            Profile,
            &["M36"],
            |d| vec![step(vec![open()], d, rej(SessionRevoked))],
        )
        .notes("no sid means no live session"),
        seq(
            "session-store-recovers",
            "down, then up",
            sessions,
            Profile,
            SESSION_DOWN,
            |d| {
                vec![
                    step(
                        vec![open(), session_store(false)],
                        d,
                        rej(SessionLookupUnavailable),
                    ),
                    step(vec![session_store(true)], d, ok()),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "session-store-down-after-use",
            "accepted, then the session store goes down",
            sessions,
            Profile,
            SESSION_DOWN,
            |d| {
                vec![
                    step(vec![open()], d, ok()),
                    step(vec![session_store(false)], d, rej(SessionLookupUnavailable)),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        // Session versions (sv).
        seq(
            "sv-equal",
            "sv equal to the current version",
            versions,
            Profile,
            &["SV"],
            |d| vec![step(vec![version(3)], d, ok())],
        ),
        seq(
            "sv-greater",
            "sv above the current version",
            versions,
            Profile,
            &["SV"],
            |d| vec![step(vec![version(2)], d, ok())],
        ),
        seq(
            "sv-stale",
            "sv below the current version",
            versions,
            Profile,
            VERSION,
            |d| vec![step(vec![version(4)], d, rej(SessionVersionStale))],
        ),
        seq(
            "sv-logout-all",
            "accepted, then logout-all bumps the version",
            versions,
            Profile,
            VERSION,
            |d| {
                vec![
                    step(vec![version(3)], d, ok()),
                    step(vec![version(4)], d, rej(SessionVersionStale)),
                ]
            },
        ),
        seq(
            "sv-missing",
            "no sv claim",
            |d| {
                versions(d);
                del_claim(d, "sv");
            },
            Profile,
            &["SV"],
            |d| vec![step(vec![], d, rej(SessionVersionStale))],
        )
        .notes("a token without sv cannot prove it is current")
        .rationale(
            "No account version was set, so a verifier that reads a missing sv as 0 finds it \
             current; the profile requires every token to carry its epoch.",
        ),
        seq(
            "sv-string",
            "sv as a string",
            |d| {
                versions(d);
                set_claim(d, "sv", json!("3"));
            },
            Profile,
            &["SV"],
            |d| vec![step(vec![], d, rej(SessionVersionStale))],
        ),
        seq(
            "sv-store-recovers",
            "down, then up",
            versions,
            Profile,
            VERSION_DOWN,
            |d| {
                vec![
                    step(
                        vec![version_store(false)],
                        d,
                        rej(SessionVersionLookupUnavailable),
                    ),
                    step(vec![version_store(true), version(3)], d, ok()),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "sv-store-down-after-use",
            "accepted, then the session-version store goes down",
            versions,
            Profile,
            VERSION_DOWN,
            |d| {
                vec![
                    step(vec![version(3)], d, ok()),
                    step(
                        vec![version_store(false)],
                        d,
                        rej(SessionVersionLookupUnavailable),
                    ),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "all-stores-replay-first",
            "every state rule on and every store down",
            every_store,
            Profile,
            &["ADV-FAIL-OPEN", "M35", "M36", "SV"],
            |d| {
                vec![
                    step(
                        vec![
                            replay_store(false),
                            session_store(false),
                            version_store(false),
                        ],
                        d,
                        rej(ReplayCacheUnavailable),
                    )
                    .acceptable(&[
                        reject_for(SessionLookupUnavailable),
                        reject_for(SessionVersionLookupUnavailable),
                    ]),
                ]
            },
        )
        .features(&[Feature::StoreFaults])
        .notes("the replay rule runs first among state rules; another order names another store"),
    ];

    // One configured store down on the first use: the token must not pass unchecked.
    rows.extend([
        store_down(
            "replay-store-down",
            "the replay store is down",
            replay,
            vec![replay_store(false)],
            ReplayCacheUnavailable,
            REPLAY_DOWN,
        ),
        store_down(
            "session-store-down",
            "the session store is down",
            sessions,
            vec![open(), session_store(false)],
            SessionLookupUnavailable,
            SESSION_DOWN,
        ),
        store_down(
            "sv-store-down",
            "the session-version store is down",
            versions,
            vec![version_store(false)],
            SessionVersionLookupUnavailable,
            VERSION_DOWN,
        ),
    ]);

    // Fetched key sets, on the live server. With no cached set, a failed fetch leaves nothing
    // to verify with.
    rows.push(seq(
        "fetch-serves",
        "keys fetched from the endpoint, then served from the cache",
        fetched,
        Profile,
        FETCH,
        |d| {
            vec![
                step(vec![], d, ok()).requests(jwks(Count::exactly(1))),
                step(vec![], &at(d, d.now + 1), ok()).requests(jwks(Count::exactly(0))),
            ]
        },
    ));
    let failures: [(&str, &str, EndpointBehaviour); 5] = [
        (
            "fetch-timeout",
            "the key endpoint never answers",
            EndpointBehaviour::Timeout,
        ),
        (
            "fetch-transport-error",
            "the key endpoint closes the connection before the TLS handshake",
            EndpointBehaviour::TransportError,
        ),
        (
            "fetch-500",
            "the key endpoint answers 500",
            EndpointBehaviour::Status { status: 500 },
        ),
        (
            "fetch-404",
            "the key endpoint answers 404",
            EndpointBehaviour::Status { status: 404 },
        ),
        (
            "fetch-malformed-body",
            "the key endpoint answers 200 with HTML",
            EndpointBehaviour::Body {
                body: "<html>maintenance</html>".into(),
            },
        ),
    ];
    for (name, description, behaviour) in failures {
        rows.push(fetch_fails(name, description, behaviour));
    }
    rows.extend([
        seq(
            "fetch-private-key-set",
            "the key endpoint serves a set with a private key",
            fetched,
            Profile,
            &[
                "PROFILE-KEYSET",
                "PROFILE-KEY-FETCH",
                "RFC7518-6.2.2-private",
                "RFC7517-5-set",
            ],
            |d| {
                let body = private_key_set();
                vec![
                    step(
                        vec![endpoint(EndpointBehaviour::Body { body })],
                        d,
                        rej(KeySourceUnavailable),
                    )
                    .acceptable(&[any_reject()]),
                ]
            },
        )
        .rationale(
            "A private key served from a public endpoint lets anyone sign, so the profile refuses \
             the set; no RFC makes a recipient refuse it, so this is profile, and any rejection \
             (the key skipped as RFC 7517 §5 suggests, or the set refused) conforms.",
        ),
        seq(
            "fetch-down-after-ttl",
            "cached keys expire and the endpoint is down",
            fetched,
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![endpoint(EndpointBehaviour::Status { status: 503 })],
                        &at(d, d.now + AFTER_TTL),
                        rej(KeySourceUnavailable),
                    )
                    .requests(jwks(Count::at_least(1))),
                ]
            },
        )
        .notes("a stale key set is never served past its TTL")
        .rationale(
            "A last-known-good cache still verifies against keys the authorization server \
             provided, so serving it past the TTL breaks no RFC MUST; the profile refuses so \
             that a key withdrawn during the outage does not stay trusted.",
        ),
        seq(
            "fetch-down-within-ttl",
            "the endpoint goes down while the cache is fresh",
            fetched,
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![endpoint(EndpointBehaviour::Timeout)],
                        &at(d, d.now + 1),
                        ok(),
                    )
                    .requests(jwks(Count::exactly(0))),
                ]
            },
        ),
        seq(
            "rotation-new-kid",
            "a new key appears: an unknown kid refetches",
            |d| fetched_with(d, 20, 1),
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![publish(&[forge::KID, "next"])],
                        &at(&signed_by(d, "next"), d.now + 2),
                        ok(),
                    )
                    .requests(jwks(Count::exactly(1))),
                    step(vec![], &at(d, d.now + 2), ok()).requests(jwks(Count::exactly(0))),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .refs(&["OpenID conformance oidcc-client-test-signing-key-rotated"]),
        seq(
            "rotation-old-key-removed",
            "the old key leaves the set: once the set is refetched, its tokens are refused",
            fetched,
            Profile,
            &["PROFILE-KEY-FETCH", "RFC9068-4-signature", "M12"],
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![publish(&["next"])],
                        &at(&signed_by(d, "next"), d.now + AFTER_TTL),
                        ok(),
                    ),
                    step(vec![], &at(d, d.now + AFTER_TTL + 1), rej(KidUnknown)),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .notes(
            "the set is refetched after the TTL ('next' verifies), so the withdrawn 'primary' is \
             no longer a key the authorization server provides, whether or not the verifier \
             refetches on an unknown kid",
        )
        .rationale(CACHE_LIFETIME),
        seq(
            "rotation-refetch-rate-limited",
            "two unknown kids within the refetch interval",
            |d| fetched_with(d, 30, 2),
            Profile,
            &["PROFILE-KEY-FETCH", "M12"],
            |d| {
                let early = signed_by(d, "early");
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &at(&early, d.now + 1), rej(KidUnknown))
                        .requests(jwks(Count::at_most(1))),
                    step(
                        vec![publish(&[forge::KID, "early"])],
                        &at(&early, d.now + 1),
                        rej(KidUnknown),
                    )
                    .requests(jwks(Count::exactly(0))),
                    step(vec![], &at(&early, d.now + 4), ok()).requests(jwks(Count::exactly(1))),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .notes("an unknown kid refetches at most once per 2 s")
        .rationale(
            "The third step's token is genuine and a verifier that refetches freely accepts it; \
             the profile bounds refetches so that forged kids cannot hammer the issuer.",
        ),
    ]);
    rows.extend(twin_rows());
    rows.extend(store_race_rows());
    rows.extend(session_rows());
    rows.extend(version_rows());
    rows.extend(rotation_race_rows());
    Family::table("state", rows)
}

/// The draft signed by its key, then the signature turned into its low-S or high-S twin (both
/// verify: ECDSA accepts s and n − s).
fn twin(draft: &Draft, form: fn([u8; 64]) -> Vec<u8>) -> Draft {
    let mut d = draft.clone();
    let key = match d.signer {
        Signer::Es256(name) | Signer::Es256Then(name, _) => name,
        _ => forge::KID,
    };
    d.signer = Signer::Es256Then(key, form);
    d
}

fn low(draft: &Draft) -> Draft {
    twin(draft, to_low_s)
}

fn high(draft: &Draft) -> Draft {
    twin(draft, to_high_s)
}

/// The draft with these exact payload bytes (the same claims written differently).
fn payload_text(draft: &Draft, text: String) -> Draft {
    Draft {
        payload_raw: Some(text.into_bytes()),
        ..draft.clone()
    }
}

/// The pinned set with these extra keys, each under its own name.
fn pin_extra(d: &mut Draft, extra: &[(&str, &str)]) {
    let mut keys = vec![forge::public_jwk(
        forge::key(forge::KID).verifying_key(),
        forge::KID,
    )];
    keys.extend(
        extra
            .iter()
            .map(|(kid, key)| forge::public_jwk(forge::key(key).verifying_key(), kid)),
    );
    d.jwks = json!({ "keys": keys });
}

/// Replay is keyed on `jti`, not on the token's bytes: every other spelling of a used token is
/// still a replay.
fn twin_rows() -> Vec<Row> {
    vec![
        seq(
            "replay-high-s-twin",
            "a low-S token, then its high-S twin (same bytes but s → n − s, which verifies)",
            replay,
            Profile,
            REPLAY,
            |d| {
                vec![
                    step(vec![], &low(d), ok()),
                    step(vec![], &high(d), rej(JtiReplayed)),
                ]
            },
        )
        .flags(&["Malleability"])
        .notes("a replay cache keyed on the token bytes or the signature misses the twin"),
        seq(
            "replay-low-s-twin",
            "a high-S token, then its low-S twin",
            replay,
            Profile,
            REPLAY,
            |d| {
                vec![
                    step(vec![], &high(d), ok()),
                    step(vec![], &low(d), rej(JtiReplayed)),
                ]
            },
        )
        .flags(&["Malleability"]),
        seq(
            "replay-twin-after-others",
            "a token, two other tokens, then the first one's high-S twin",
            replay,
            Profile,
            REPLAY,
            |d| {
                vec![
                    step(vec![], &low(d), ok()),
                    step(vec![], &with_jti(d, "jti-0002"), ok()),
                    step(vec![], &with_jti(d, "jti-0003"), ok()),
                    step(vec![], &high(d), rej(JtiReplayed)),
                ]
            },
        )
        .flags(&["Malleability"]),
        seq(
            "replay-same-key-other-kid",
            "the same claims signed by the same key under a second kid of the set",
            |d| {
                replay(d);
                pin_extra(d, &[("alias", forge::KID)]);
            },
            Profile,
            REPLAY,
            |d| {
                let mut alias = d.clone();
                set_hdr(&mut alias, "kid", json!("alias"));
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &alias, rej(JtiReplayed)),
                ]
            },
        )
        .notes(
            "the header differs, so the signing input and the signature differ; the jti does not",
        ),
        seq(
            "replay-other-key",
            "the same claims re-signed by another key of the pinned set",
            |d| {
                replay(d);
                pin_extra(d, &[("second", "second")]);
            },
            Profile,
            REPLAY,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &signed_by(d, "second"), rej(JtiReplayed)),
                ]
            },
        ),
        seq(
            "replay-reformatted-payload",
            "the same claims re-serialized with whitespace and re-signed",
            replay,
            Profile,
            REPLAY,
            |d| {
                let pretty = serde_json::to_string_pretty(&d.claims).expect("claims are JSON");
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &payload_text(d, pretty), rej(JtiReplayed)),
                ]
            },
        ),
        seq(
            "replay-escaped-jti",
            "the same jti written with a JSON escape (\\u006a) and re-signed",
            replay,
            Profile,
            REPLAY,
            |d| {
                let text = d
                    .claims
                    .to_string()
                    .replace("\"jti-0001\"", "\"\\u006ati-0001\"");
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &payload_text(d, text), rej(JtiReplayed)),
                ]
            },
        )
        .notes("jti is compared after JSON unescaping: the escape names the same string"),
        distinct_jti(
            "replay-jti-case-distinct",
            "jti-0001, then JTI-0001: two distinct replay keys",
            "JTI-0001",
        )
        .notes("RFC 7519 §4.1.7: jti is a case-sensitive string"),
        distinct_jti(
            "replay-jti-trailing-space-distinct",
            "jti-0001, then 'jti-0001 ': distinct strings, compared without trimming",
            "jti-0001 ",
        ),
        seq(
            "replay-forged-does-not-burn",
            "a forged token (bad signature) with the jti, then the genuine token",
            replay,
            Profile,
            &["M35", "RFC7515-5.2-signature"],
            |d| {
                let mut forged = d.clone();
                forged.signer = Signer::Es256("attacker");
                vec![
                    step(vec![], &forged, rej(SignatureInvalid)),
                    step(vec![], d, ok()),
                ]
            },
        )
        .rationale(
            "State rules run after the signature, so a forgery never reaches the replay store; a \
             verifier that records the jti first lets anyone without the key burn a genuine \
             token's jti.",
        ),
    ]
}

/// Store outages around replay: the token must never pass unchecked.
fn store_race_rows() -> Vec<Row> {
    vec![
        seq(
            "replay-store-down-twin",
            "a token accepted, then the store goes down and its high-S twin arrives",
            replay,
            Profile,
            REPLAY_DOWN,
            |d| {
                vec![
                    step(vec![], &low(d), ok()),
                    step(
                        vec![replay_store(false)],
                        &high(d),
                        rej(ReplayCacheUnavailable),
                    )
                    .acceptable(&[reject_for(JtiReplayed)]),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "replay-store-flaps",
            "the replay store goes down, up, down, up across two tokens",
            replay,
            Profile,
            REPLAY_DOWN,
            |d| {
                let second = with_jti(d, "jti-0002");
                vec![
                    step(vec![replay_store(false)], d, rej(ReplayCacheUnavailable)),
                    step(vec![replay_store(true)], d, ok()),
                    step(
                        vec![replay_store(false)],
                        &second,
                        rej(ReplayCacheUnavailable),
                    ),
                    step(vec![replay_store(true)], &second, ok()),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "replay-store-down-sessions-up",
            "replay and sessions on: only the replay store is down",
            |d| {
                replay(d);
                sessions(d);
            },
            Profile,
            REPLAY_DOWN,
            |d| {
                vec![step(
                    vec![open(), replay_store(false)],
                    d,
                    rej(ReplayCacheUnavailable),
                )]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "replay-store-down-forged",
            "the replay store is down and the signature is forged",
            replay,
            Must,
            &[
                "RFC7515-5.2-signature",
                "RFC9068-4-signature",
                "ADV-FAIL-OPEN",
                "M35",
            ],
            |d| {
                let mut forged = d.clone();
                forged.signer = Signer::Es256("attacker");
                vec![
                    step(vec![replay_store(false)], &forged, rej(SignatureInvalid))
                        .acceptable(&[reject_for(ReplayCacheUnavailable)]),
                ]
            },
        )
        .features(&[Feature::StoreFaults])
        .notes("the signature stage precedes every state rule"),
    ]
}

fn open_sid(sid: &str) -> Action {
    Action::OpenSession {
        sub: SUB.into(),
        sid: sid.into(),
    }
}

fn revoke_sid(sid: &str) -> Action {
    Action::RevokeSession {
        sub: SUB.into(),
        sid: sid.into(),
    }
}

fn with_claim(draft: &Draft, name: &str, value: serde_json::Value) -> Draft {
    let mut d = draft.clone();
    set_claim(&mut d, name, value);
    d
}

/// Sessions (M36): which session a token names, and its store failing.
fn session_rows() -> Vec<Row> {
    let mut rows: Vec<Row> = [
        (
            "session-other-sid",
            "a live sid-1, a token naming sid-2",
            json!("sid-2"),
        ),
        ("session-sid-number", "sid as the number 1", json!(1)),
        ("session-sid-empty", "sid as the empty string", json!("")),
        (
            "session-sid-case",
            "a live sid-1, a token naming SID-1",
            json!("SID-1"),
        ),
    ]
    .into_iter()
    .map(|(name, description, sid)| {
        seq(name, description, sessions, Profile, &["M36"], move |d| {
            vec![step(
                vec![open()],
                &with_claim(d, "sid", sid.clone()),
                rej(SessionRevoked),
            )]
        })
    })
    .collect();
    rows.extend([
        seq(
            "session-other-sub",
            "sid-1 is live for another subject only",
            sessions,
            Profile,
            &["M36"],
            |d| {
                let other = Action::OpenSession {
                    sub: "01HZY2J3K4M5N6P7Q8R9S0T1V3".into(),
                    sid: "sid-1".into(),
                };
                vec![step(vec![other], d, rej(SessionRevoked))]
            },
        )
        .notes("a session is the pair (sub, sid)"),
        seq(
            "session-revoked-twin",
            "accepted, revoked, then the high-S twin of the same token",
            sessions,
            Profile,
            SESSION,
            |d| {
                vec![
                    step(vec![open()], &low(d), ok()),
                    step(vec![revoke()], &high(d), rej(SessionRevoked)),
                ]
            },
        )
        .flags(&["Malleability"]),
        seq(
            "session-reopened",
            "live, revoked, then opened again",
            sessions,
            Profile,
            SESSION,
            |d| {
                vec![
                    step(vec![open()], d, ok()),
                    step(vec![revoke()], d, rej(SessionRevoked)),
                    step(vec![open()], d, ok()),
                ]
            },
        ),
        seq(
            "session-revoke-other-keeps",
            "sid-1 and sid-2 live, sid-2 revoked: the sid-1 token still passes",
            sessions,
            Profile,
            &["M36"],
            |d| {
                vec![step(
                    vec![open(), open_sid("sid-2"), revoke_sid("sid-2")],
                    d,
                    ok(),
                )]
            },
        ),
        down_over_defect(
            "session-store-down-revoked",
            "a revoked session, and the session store is down",
            sessions,
            SESSION_DOWN,
            vec![open(), revoke(), session_store(false)],
            SessionLookupUnavailable,
            SessionRevoked,
        ),
        down_then_replayed(
            "session-store-down-then-replayed",
            "replay and sessions on: the session store is down, then back",
            |d| {
                replay(d);
                sessions(d);
            },
            "M36",
            vec![open(), session_store(false)],
            SessionLookupUnavailable,
            session_store(true),
        ),
        seq(
            "session-store-down-sv-up",
            "sessions and session versions on: only the session store is down",
            |d| {
                sessions(d);
                versions(d);
            },
            Profile,
            SESSION_DOWN,
            |d| {
                vec![step(
                    vec![open(), version(3), session_store(false)],
                    d,
                    rej(SessionLookupUnavailable),
                )]
            },
        )
        .features(&[Feature::StoreFaults]),
        seq(
            "session-store-flaps",
            "the session store goes down, up, down",
            sessions,
            Profile,
            SESSION_DOWN,
            |d| {
                vec![
                    step(
                        vec![open(), session_store(false)],
                        d,
                        rej(SessionLookupUnavailable),
                    ),
                    step(vec![session_store(true)], d, ok()),
                    step(vec![session_store(false)], d, rej(SessionLookupUnavailable)),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
    ]);
    rows
}

/// Session versions (sv): odd `sv` values, epochs moving, and the store failing.
fn version_rows() -> Vec<Row> {
    let mut rows: Vec<Row> = [
        ("sv-float", "sv as 3.0 (not an integer)", json!(3.0)),
        ("sv-negative", "sv as -1", json!(-1)),
        ("sv-null", "sv as null", json!(null)),
        ("sv-array", "sv as [3]", json!([3])),
    ]
    .into_iter()
    .map(|(name, description, sv)| {
        seq(name, description, versions, Profile, &["SV"], move |d| {
            vec![step(
                vec![version(0)],
                &with_claim(d, "sv", sv.clone()),
                rej(SessionVersionStale),
            )]
        })
        .notes("an sv that is not a non-negative integer cannot prove the token is current")
    })
    .collect();
    rows.extend([
        seq(
            "sv-zero-below-one",
            "sv 0 and account version 1",
            versions,
            Profile,
            VERSION,
            |d| {
                vec![step(
                    vec![version(1)],
                    &with_claim(d, "sv", json!(0)),
                    rej(SessionVersionStale),
                )]
            },
        ),
        seq(
            "sv-bump-twice",
            "accepted at version 3; version 5 refuses it; a token with sv 5 passes",
            versions,
            Profile,
            VERSION,
            |d| {
                vec![
                    step(vec![version(3)], d, ok()),
                    step(vec![version(5)], d, rej(SessionVersionStale)),
                    step(vec![], &with_claim(d, "sv", json!(5)), ok()),
                ]
            },
        ),
        seq(
            "sv-stale-twin",
            "accepted, logout-all, then the high-S twin of the same token",
            versions,
            Profile,
            VERSION,
            |d| {
                vec![
                    step(vec![version(3)], &low(d), ok()),
                    step(vec![version(4)], &high(d), rej(SessionVersionStale)),
                ]
            },
        )
        .flags(&["Malleability"]),
        down_over_defect(
            "sv-store-down-stale",
            "a stale sv, and the session-version store is down",
            versions,
            VERSION_DOWN,
            vec![version(4), version_store(false)],
            SessionVersionLookupUnavailable,
            SessionVersionStale,
        ),
        seq(
            "sv-store-down-missing-sv",
            "no sv claim, and the session-version store is down",
            |d| {
                versions(d);
                del_claim(d, "sv");
            },
            Profile,
            &["SV"],
            |d| {
                vec![
                    step(vec![version_store(false)], d, rej(SessionVersionStale))
                        .acceptable(&[reject_for(SessionVersionLookupUnavailable)]),
                ]
            },
        )
        .features(&[Feature::StoreFaults])
        .notes(
            "a token without sv is stale whatever the store holds, so no lookup is needed (as a \
             missing kid needs no key source); a verifier that looks the account up first names \
             the store",
        )
        .rationale(
            "Whether a missing sv is stale is the profile's choice (see sv-missing), so refusing \
             it is profile even with the store down.",
        ),
        down_then_replayed(
            "sv-store-down-then-replayed",
            "every state rule on: only the session-version store is down, then back",
            every_store,
            "SV",
            vec![open(), version(3), version_store(false)],
            SessionVersionLookupUnavailable,
            version_store(true),
        ),
        seq(
            "sv-store-flaps",
            "the session-version store goes down, up, down",
            versions,
            Profile,
            VERSION_DOWN,
            |d| {
                vec![
                    step(
                        vec![version(3), version_store(false)],
                        d,
                        rej(SessionVersionLookupUnavailable),
                    ),
                    step(vec![version_store(true)], d, ok()),
                    step(
                        vec![version_store(false)],
                        d,
                        rej(SessionVersionLookupUnavailable),
                    ),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
    ]);
    rows
}

/// The live endpoint now serves these (kid, key name) pairs.
fn publish_as(pairs: &[(&str, &str)]) -> Action {
    let keys: Vec<_> = pairs.iter().map(|(_, key)| forge::key(key)).collect();
    let named: Vec<(&str, &forge::SigningKey)> =
        pairs.iter().map(|(kid, _)| *kid).zip(keys.iter()).collect();
    Action::PublishJwks {
        jwks: forge::jwks(&named),
    }
}

/// Key-set changes racing tokens across steps, on the live key-set server.
fn rotation_race_rows() -> Vec<Row> {
    vec![
        seq(
            "rotation-rollback",
            "a new key is published and used, then the set is rolled back without it",
            fetched,
            Profile,
            &["PROFILE-KEY-FETCH", "RFC9068-4-signature", "M12"],
            |d| {
                let next = signed_by(d, "next");
                vec![
                    step(vec![publish(&[forge::KID, "next"])], &next, ok()),
                    step(
                        vec![publish(&[forge::KID])],
                        &at(d, d.now + AFTER_TTL),
                        ok(),
                    ),
                    step(vec![], &at(&next, d.now + AFTER_TTL + 1), rej(KidUnknown)),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .notes(
            "the primary token after the TTL makes the verifier hold the rolled-back set; 'next' \
             is then no key the authorization server provides",
        )
        .rationale(CACHE_LIFETIME),
        seq(
            "rotation-kid-swap",
            "two keys swap kids: after the TTL, the old binding no longer verifies",
            fetched,
            Profile,
            FETCH,
            |d| {
                let mut swapped = d.clone();
                swapped.signer = Signer::Es256("next");
                vec![
                    step(
                        vec![publish_as(&[(forge::KID, forge::KID), ("next", "next")])],
                        d,
                        ok(),
                    ),
                    step(
                        vec![publish_as(&[(forge::KID, "next"), ("next", forge::KID)])],
                        &at(&swapped, d.now + AFTER_TTL),
                        ok(),
                    ),
                    step(vec![], &at(d, d.now + AFTER_TTL), rej(SignatureInvalid)),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .rationale(
            "Once the set is refetched, kid 'primary' names the other key, and the profile drops \
             the binding it held before; both keys are still the authorization server's and no \
             RFC sets a cache lifetime, so keeping the old binding breaks no RFC MUST.",
        ),
        seq(
            "rotation-hard-cutover",
            "the set is replaced by a new key only: its token refetches, then the old key's token \
             is refused",
            |d| fetched_with(d, 30, 1),
            Profile,
            &["PROFILE-KEY-FETCH", "M12"],
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![publish(&["next"])],
                        &at(&signed_by(d, "next"), d.now + 2),
                        ok(),
                    )
                    .requests(jwks(Count::exactly(1))),
                    step(vec![], &at(d, d.now + 2), rej(KidUnknown)),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .notes(
            "the unknown kid made the verifier refetch within the TTL; the set it now holds \
             lacks 'primary'. Profile, not must: a client that caches keys one by one may keep \
             'primary' for its own TTL (as in rotation-withdrawn-within-ttl), and no RFC sets a \
             cache lifetime (fetch/withdrawn-key-after-ttl is profile too)",
        ),
        seq(
            "rotation-withdrawn-within-ttl",
            "the signing key leaves the set, but the cached set is still fresh",
            |d| fetched_with(d, 30, 2),
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![publish(&["next"])], &at(d, d.now + 1), ok())
                        .requests(jwks(Count::exactly(0))),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .notes("the profile serves a fresh cached set for its TTL without refetching"),
    ]
}
