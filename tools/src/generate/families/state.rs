//! Stateful checks as step sequences: replay (M35), sessions (M36), session version, key
//! rotation and key-set fetch failures, each failing closed.

use corpus::vector::{Action, EndpointBehaviour, Feature, KeySourceSpec, Severity};
use serde_json::json;
use verifier::Reason;

use super::{Family, rej, set_claim, set_hdr};
use crate::generate::draft::StepCase;
use crate::generate::{Case, Draft, Expect, Signer};

const SUB: &str = "01HZY2J3K4M5N6P7Q8R9S0T1V2";

fn step(actions: Vec<Action>, draft: &Draft, expect: Expect) -> StepCase {
    StepCase::new(actions, draft.clone(), expect)
}

fn at(draft: &Draft, now: i64) -> Draft {
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

fn signed_by(draft: &Draft, kid: &'static str) -> Draft {
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

fn open() -> Action {
    Action::OpenSession {
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

fn fetched(d: &mut Draft) {
    d.key_source = Some(KeySourceSpec::Fetched {
        ttl_secs: 3600,
        refetch_interval_secs: 300,
    });
}

fn endpoint(behaviour: EndpointBehaviour) -> Action {
    Action::KeyEndpoint { behaviour }
}

fn publish(kids: &[&str]) -> Action {
    let keys: Vec<_> = kids.iter().map(|k| forge::key(k)).collect();
    let pairs: Vec<(&str, &forge::SigningKey)> = kids.iter().copied().zip(keys.iter()).collect();
    Action::PublishJwks {
        jwks: forge::jwks(&pairs),
    }
}

fn seq(
    name: &str,
    description: &str,
    setup: fn(&mut Draft),
    steps: impl Fn(&Draft) -> Vec<StepCase> + 'static,
) -> Case {
    Case::new(name, description, Expect::Accept, setup).steps(steps)
}

pub fn family() -> Family {
    let mut f = Family::new("state", Severity::Profile, &["seed 001", "seed 003"]);
    let ok = || Expect::Accept;
    f.add(
        seq(
            "replay-second-use",
            "the same jti twice",
            replay,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], d, rej(Reason::JtiReplayed)),
                ]
            },
        )
        .refs(&["seed 003 M35", "RFC 7519 §4.1.7"]),
    );
    f.add(
        seq(
            "replay-third-use",
            "the same jti three times",
            replay,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], d, rej(Reason::JtiReplayed)),
                    step(vec![], &at(d, d.now + 60), rej(Reason::JtiReplayed)),
                ]
            },
        )
        .refs(&["seed 003 M35"]),
    );
    f.add(seq(
        "replay-distinct-jti",
        "two tokens with distinct jti",
        replay,
        move |d| {
            vec![
                step(vec![], d, ok()),
                step(vec![], &with_jti(d, "jti-0002"), ok()),
            ]
        },
    ));
    f.add(
        seq(
            "replay-store-down",
            "the replay store is down",
            replay,
            move |d| {
                vec![step(
                    vec![Action::ReplayStore { available: false }],
                    d,
                    rej(Reason::ReplayCacheUnavailable),
                )]
            },
        )
        .features(&[Feature::StoreFaults])
        .refs(&["seed 003 M35", "seed 000"]),
    );
    f.add(
        seq(
            "replay-store-recovers",
            "down, then up: the token is fresh, then replayed",
            replay,
            move |d| {
                vec![
                    step(
                        vec![Action::ReplayStore { available: false }],
                        d,
                        rej(Reason::ReplayCacheUnavailable),
                    ),
                    step(vec![Action::ReplayStore { available: true }], d, ok()),
                    step(vec![], d, rej(Reason::JtiReplayed)),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
    );
    f.add(
        seq(
            "replay-down-after-use",
            "used, then the store goes down",
            replay,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![Action::ReplayStore { available: false }],
                        &with_jti(d, "jti-0003"),
                        rej(Reason::ReplayCacheUnavailable),
                    ),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
    );
    f.add(
        seq("session-live", "a live session", sessions, move |d| {
            vec![step(vec![open()], d, ok())]
        })
        .refs(&["seed 003 M36"]),
    );
    f.add(
        seq(
            "session-revoked",
            "live, then revoked",
            sessions,
            move |d| {
                vec![
                    step(vec![open()], d, ok()),
                    step(
                        vec![Action::RevokeSession {
                            sub: SUB.into(),
                            sid: "sid-1".into(),
                        }],
                        d,
                        rej(Reason::SessionRevoked),
                    ),
                ]
            },
        )
        .refs(&["seed 003 M36"]),
    );
    f.add(seq(
        "session-never-opened",
        "a session the store never saw",
        sessions,
        move |d| vec![step(vec![], d, rej(Reason::SessionRevoked))],
    ));
    f.add(
        seq(
            "session-no-sid",
            "no sid claim",
            |d| {
                sessions(d);
                d.claims.as_object_mut().map(|m| m.remove("sid"));
            },
            move |d| vec![step(vec![open()], d, rej(Reason::SessionRevoked))],
        )
        .notes("no sid means no live session"),
    );
    f.add(
        seq(
            "session-store-down",
            "the session store is down",
            sessions,
            move |d| {
                vec![step(
                    vec![open(), Action::SessionStore { available: false }],
                    d,
                    rej(Reason::SessionLookupUnavailable),
                )]
            },
        )
        .features(&[Feature::StoreFaults]),
    );
    f.add(
        seq(
            "session-store-recovers",
            "down, then up",
            sessions,
            move |d| {
                vec![
                    step(
                        vec![open(), Action::SessionStore { available: false }],
                        d,
                        rej(Reason::SessionLookupUnavailable),
                    ),
                    step(vec![Action::SessionStore { available: true }], d, ok()),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
    );
    f.add(
        seq(
            "session-store-down-after-use",
            "accepted, then the session store goes down",
            sessions,
            move |d| {
                vec![
                    step(vec![open()], d, ok()),
                    step(
                        vec![Action::SessionStore { available: false }],
                        d,
                        rej(Reason::SessionLookupUnavailable),
                    ),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
    );
    f.add(seq(
        "sv-equal",
        "sv equal to the current version",
        versions,
        move |d| vec![step(vec![version(3)], d, ok())],
    ));
    f.add(seq(
        "sv-greater",
        "sv above the current version",
        versions,
        move |d| vec![step(vec![version(2)], d, ok())],
    ));
    f.add(seq(
        "sv-stale",
        "sv below the current version",
        versions,
        move |d| vec![step(vec![version(4)], d, rej(Reason::SessionVersionStale))],
    ));
    f.add(seq(
        "sv-logout-all",
        "accepted, then logout-all bumps the version",
        versions,
        move |d| {
            vec![
                step(vec![version(3)], d, ok()),
                step(vec![version(4)], d, rej(Reason::SessionVersionStale)),
            ]
        },
    ));
    f.add(
        seq(
            "sv-missing",
            "no sv claim",
            |d| {
                versions(d);
                d.claims.as_object_mut().map(|m| m.remove("sv"));
            },
            move |d| vec![step(vec![], d, rej(Reason::SessionVersionStale))],
        )
        .notes("a token without sv cannot prove it is current"),
    );
    f.add(seq(
        "sv-string",
        "sv as a string",
        |d| {
            versions(d);
            set_claim(d, "sv", json!("3"));
        },
        move |d| vec![step(vec![], d, rej(Reason::SessionVersionStale))],
    ));
    f.add(
        seq(
            "sv-store-down",
            "the session-version store is down",
            versions,
            move |d| {
                vec![step(
                    vec![Action::SessionVersionStore { available: false }],
                    d,
                    rej(Reason::SessionVersionLookupUnavailable),
                )]
            },
        )
        .features(&[Feature::StoreFaults]),
    );
    f.add(
        seq("sv-store-recovers", "down, then up", versions, move |d| {
            vec![
                step(
                    vec![Action::SessionVersionStore { available: false }],
                    d,
                    rej(Reason::SessionVersionLookupUnavailable),
                ),
                step(
                    vec![Action::SessionVersionStore { available: true }, version(3)],
                    d,
                    ok(),
                ),
            ]
        })
        .features(&[Feature::StoreFaults]),
    );
    f.add(
        seq(
            "sv-store-down-after-use",
            "accepted, then the session-version store goes down",
            versions,
            move |d| {
                vec![
                    step(vec![version(3)], d, ok()),
                    step(
                        vec![Action::SessionVersionStore { available: false }],
                        d,
                        rej(Reason::SessionVersionLookupUnavailable),
                    ),
                ]
            },
        )
        .features(&[Feature::StoreFaults]),
    );
    f.add(
        seq(
            "all-stores-replay-first",
            "every state rule on and every store down",
            |d| {
                replay(d);
                sessions(d);
                versions(d);
            },
            move |d| {
                vec![step(
                    vec![
                        Action::ReplayStore { available: false },
                        Action::SessionStore { available: false },
                        Action::SessionVersionStore { available: false },
                    ],
                    d,
                    rej(Reason::ReplayCacheUnavailable),
                )]
            },
        )
        .features(&[Feature::StoreFaults])
        .notes("the replay rule runs first among state rules"),
    );
    // Fetched key sets.
    f.add(
        seq(
            "fetch-serves",
            "keys fetched from the endpoint",
            fetched,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &at(d, d.now + 10), ok()),
                ]
            },
        )
        .refs(&["seed 000", "seed 002"]),
    );
    let failures: [(&str, &str, EndpointBehaviour); 6] = [
        (
            "fetch-timeout",
            "the key endpoint times out",
            EndpointBehaviour::Timeout,
        ),
        (
            "fetch-transport-error",
            "the key endpoint refuses the connection",
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
        (
            "fetch-private-key-set",
            "the key endpoint serves a set with a private key",
            EndpointBehaviour::Body {
                body: {
                    let mut jwk =
                        forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID);
                    jwk["d"] = json!(forge::b64(forge::key(forge::KID).to_bytes()));
                    json!({"keys": [jwk]}).to_string()
                },
            },
        ),
    ];
    for (name, description, behaviour) in failures {
        f.add(
            seq(name, description, fetched, move |d| {
                vec![step(
                    vec![endpoint(behaviour.clone())],
                    d,
                    rej(Reason::KeySourceUnavailable),
                )]
            })
            .severity(Severity::Must)
            .refs(&["seed 000 fail-closed"]),
        );
    }
    f.add(
        seq(
            "fetch-down-after-ttl",
            "cached keys expire and the endpoint is down",
            fetched,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![endpoint(EndpointBehaviour::Status { status: 503 })],
                        &at(d, d.now + 3600),
                        rej(Reason::KeySourceUnavailable),
                    ),
                ]
            },
        )
        .features(&[Feature::Clock])
        .severity(Severity::Must)
        .notes("a stale key set is never served past its TTL"),
    );
    f.add(
        seq(
            "fetch-down-within-ttl",
            "the endpoint goes down while the cache is fresh",
            fetched,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![endpoint(EndpointBehaviour::Timeout)],
                        &at(d, d.now + 60),
                        ok(),
                    ),
                ]
            },
        )
        .features(&[Feature::Clock]),
    );
    f.add(
        seq(
            "rotation-new-kid",
            "a new key appears: an unknown kid refetches",
            fetched,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![publish(&[forge::KID, "next"])],
                        &signed_by(d, "next"),
                        ok(),
                    ),
                    step(vec![], d, ok()),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .refs(&[
            "seed 000 key rotation gap",
            "OpenID conformance oidcc-client-test-signing-key-rotated",
        ]),
    );
    f.add(
        seq(
            "rotation-old-key-removed",
            "the old key leaves the set",
            fetched,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![publish(&["next"])],
                        &at(&signed_by(d, "next"), d.now + 1),
                        ok(),
                    ),
                    step(vec![], &at(d, d.now + 2), rej(Reason::KidUnknown)),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .notes("the refetch for 'next' replaced the set; 'primary' is gone"),
    );
    f.add(
        seq(
            "rotation-refetch-rate-limited",
            "two unknown kids within the refetch interval",
            fetched,
            move |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![],
                        &at(&signed_by(d, "early"), d.now + 1),
                        rej(Reason::KidUnknown),
                    ),
                    step(
                        vec![publish(&[forge::KID, "early"])],
                        &at(&signed_by(d, "early"), d.now + 10),
                        rej(Reason::KidUnknown),
                    ),
                    step(vec![], &at(&signed_by(d, "early"), d.now + 301), ok()),
                ]
            },
        )
        .features(&[Feature::KeyRotation, Feature::Clock])
        .notes("an unknown kid refetches at most once per 300 s"),
    );
    f
}
