//! Stateful checks as step sequences: replay (M35), sessions (M36), session version (sv), key
//! rotation and key-set fetch failures.
//!
//! Severity: once the application has configured a state rule, accepting a replayed token or a
//! revoked session's token is the documented replay attack (`ADV-REPLAY`), and accepting a token
//! because the configured store or key endpoint failed is failing open (`ADV-FAIL-OPEN`): `must`.
//! What a stateful rule means in detail (allow-list sessions, a missing `sv`, cache TTL, the
//! refetch rate) is this profile's choice: `profile`.

use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{
    Action, Count, EndpointBehaviour, Feature, KeySourceSpec, Listener, RequestBounds,
};
use serde_json::json;
use verifier::Reason::{
    self, JtiReplayed, KeySourceUnavailable, KidUnknown, ReplayCacheUnavailable,
    SessionLookupUnavailable, SessionRevoked, SessionVersionLookupUnavailable, SessionVersionStale,
};

use super::{Family, del_claim, rej, set_claim, set_hdr};
use crate::generate::{Draft, Expect, Row, Signer, StepCase, any_reject, custom, reject_for};

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
/// A token accepted without the signature check because the key set could not be fetched.
pub(super) const FETCH_DOWN: &[&str] =
    &["ADV-FAIL-OPEN", "RFC9068-4-signature", "PROFILE-KEY-FETCH"];
/// How the profile caches and refetches a key set.
pub(super) const FETCH: &[&str] = &["PROFILE-KEY-FETCH", "RFC9068-4-signature"];

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
    seq(name, description, setup, Must, basis, move |d| {
        vec![step(actions.clone(), d, rej(reason))]
    })
    .features(&[Feature::StoreFaults])
}

/// The baseline set with the primary key's private scalar `d` added: a public endpoint that
/// publishes the signing key.
fn private_key_set() -> String {
    json!({"keys": [forge::private_jwk(&forge::key(forge::KID), forge::KID)]}).to_string()
}

pub fn family() -> Family {
    let mut rows = vec![
        // Replay (M35).
        seq(
            "replay-second-use",
            "the same jti twice",
            replay,
            Must,
            REPLAY,
            |d| vec![step(vec![], d, ok()), step(vec![], d, rej(JtiReplayed))],
        ),
        seq(
            "replay-third-use",
            "the same jti three times",
            replay,
            Must,
            REPLAY,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], d, rej(JtiReplayed)),
                    step(vec![], &at(d, d.now + 60), rej(JtiReplayed)),
                ]
            },
        ),
        seq(
            "replay-distinct-jti",
            "two tokens with distinct jti",
            replay,
            Profile,
            &["M35", "RFC7519-4.1.7-jti"],
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &with_jti(d, "jti-0002"), ok()),
                ]
            },
        ),
        seq(
            "replay-store-recovers",
            "down, then up: the token is fresh, then replayed",
            replay,
            Must,
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
            Must,
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
            Must,
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
            Must,
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
            Must,
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
            Must,
            VERSION,
            |d| vec![step(vec![version(4)], d, rej(SessionVersionStale))],
        ),
        seq(
            "sv-logout-all",
            "accepted, then logout-all bumps the version",
            versions,
            Must,
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
            Must,
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
            Must,
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
            Must,
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
            Must,
            &["RFC9068-4-signature", "PROFILE-KEY-FETCH", "M12"],
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
        ),
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
    Family::table("state", rows)
}
