//! Live key-set endpoints (feature `key_fetch`): how a verifier's remote key-set client behaves
//! against the runner's loopback HTTPS server under outages, hostile answers, rotation and
//! tokens that point elsewhere. Every step may bound the server's request log as well as the
//! verdict (`vectors/README.md`, "Live key-set vectors").
//!
//! Severity: accepting a token when no key set could be fetched (it cannot have been verified),
//! or with keys from a place the token named or a certificate the client should not trust, uses
//! keys the authorization server did not provide (RFC 9068 §4): `must`. How long a set is cached
//! (a withdrawn key kept past the TTL was still the authorization server's), how often it is
//! refetched, what a client does when discovery fails while the key set is still served,
//! redirects and size bounds are no RFC's: `profile`.

use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{
    Action, Count, EndpointBehaviour, Feature, KeySourceSpec, Listener, RequestBounds,
};
use serde_json::{Value, json};
use verifier::Reason::{
    HeaderJku, HeaderX5u, IssMismatch, KeySourceUnavailable, KidUnknown, SignatureInvalid,
};

use super::state::{
    AFTER_TTL, CACHE_LIFETIME, FETCH, FETCH_DOWN, at, endpoint, fetch_fails, fetched, fetched_with,
    jwks, ok, publish, seq, signed_by, step,
};
use super::{Family, rej, set_claim, set_hdr};
use crate::generate::{Draft, Expect, Row, Signer, StepCase, any_reject, reject_for};

/// The key the attacker signs with.
const ATTACKER: &str = "attacker";
/// Keys from a location the token itself named: not the keys the authorization server provides.
const TOKEN_URL: &[&str] = &["ADV-JKU-FETCH", "RFC9068-4-signature", "M07"];
/// The token's own iss names the attacker: RFC 9068 §4 pins iss to the configured issuer and the
/// keys to the authorization server's (RFC 8725 §3.8 does not decide: the decoy's keys do belong
/// to the decoy).
const DECOY_ISSUER: &[&str] = &["ADV-JKU-FETCH", "RFC9068-4-iss", "RFC9068-4-signature"];
/// The discovery metadata must come from the configured issuer.
const DISCOVERY: &[&str] = &[
    "RFC8414-3.3-issuer",
    "RFC9068-4-signature",
    "PROFILE-KEY-FETCH",
];

/// A key set binding `kid` to the attacker's key.
fn attacker_set(kid: &str) -> Value {
    forge::jwks(&[(kid, &forge::key(ATTACKER))])
}

/// The draft's token signed by the attacker under the genuine kid: accepting it is a forgery.
fn forged(d: &Draft) -> Draft {
    let mut d = d.clone();
    d.signer = Signer::Es256(ATTACKER);
    d
}

fn host(at: Listener, path: &str, body: Value) -> Action {
    Action::Host {
        at,
        path: path.to_owned(),
        body,
    }
}

fn origin(listener: Listener, path: &str) -> String {
    format!("{}{path}", listener.placeholder())
}

fn forbid(listeners: &[Listener]) -> RequestBounds {
    RequestBounds {
        forbidden: listeners.to_vec(),
        ..RequestBounds::default()
    }
}

/// A live key source that finds its key set through the issuer's discovery document.
fn discovering(d: &mut Draft) {
    fetched(d);
    if let Some(KeySourceSpec::Fetched { discovery, .. }) = &mut d.key_source {
        *discovery = true;
    }
}

/// A one-step row: the server scripted by `actions`, the token `token(d)`, the expected
/// outcome and the request bounds. (One argument per column of the row, as `Row::new` has.)
#[allow(clippy::too_many_arguments)]
fn one(
    name: &str,
    description: &str,
    severity: corpus::vector::Severity,
    basis: &[&str],
    actions: fn() -> Vec<Action>,
    token: fn(&Draft) -> Draft,
    expect: Expect,
    bounds: Option<RequestBounds>,
) -> Row {
    let setup: fn(&mut Draft) = fetched;
    seq(name, description, setup, severity, basis, move |d| {
        let mut s = step(actions(), &token(d), expect);
        if let Some(b) = &bounds {
            s = s.requests(b.clone());
        }
        vec![s]
    })
}

pub fn family() -> Family {
    let mut rows = Vec::new();

    // Every failure of the first fetch is a deny: the statuses and bodies the seeds name.
    for status in [204, 401, 403, 429, 502, 503] {
        rows.push(fetch_fails(
            &format!("status-{status}"),
            &format!("the key endpoint answers {status}"),
            EndpointBehaviour::Status { status },
        ));
    }
    let bodies: [(&str, &str, &str); 6] = [
        ("body-empty", "200 with an empty body", ""),
        ("body-json-array", "200 with a JSON array", "[]"),
        (
            "body-not-a-key-set",
            "200 with a JSON object that is not a key set",
            r#"{"issuer":"x"}"#,
        ),
        (
            "body-keys-not-array",
            "200 with keys that is not an array",
            r#"{"keys":{}}"#,
        ),
        (
            "body-truncated",
            "200 with a key set cut in half",
            r#"{"keys":[{"kty":"EC","crv":"P-256","#,
        ),
        (
            "body-empty-keys",
            "200 with an empty key set",
            r#"{"keys":[]}"#,
        ),
    ];
    for (name, description, body) in bodies {
        let row = fetch_fails(
            name,
            &format!("the key endpoint answers {description}"),
            EndpointBehaviour::Body { body: body.into() },
        );
        rows.push(if name == "body-empty-keys" {
            // An empty set holds no key for the kid: that rejection conforms as well.
            seq(
                name,
                &format!("the key endpoint answers {description}"),
                fetched,
                Must,
                FETCH_DOWN,
                |d| {
                    vec![
                        step(
                            vec![endpoint(EndpointBehaviour::Body {
                                body: r#"{"keys":[]}"#.into(),
                            })],
                            d,
                            rej(KeySourceUnavailable),
                        )
                        .acceptable(&[reject_for(KidUnknown)]),
                    ]
                },
            )
        } else {
            row
        });
    }
    rows.push(fetch_fails(
        "drop-connection",
        "the key endpoint reads the request and closes the connection without a byte",
        EndpointBehaviour::Drop,
    ));

    // Transport trust: a certificate the client was not told to trust serves the attacker's set.
    rows.extend([
        one(
            "untrusted-certificate",
            "the key endpoint presents a certificate from an unknown authority and serves the attacker's key",
            Must,
            FETCH_DOWN,
            || {
                vec![
                    endpoint(EndpointBehaviour::Untrusted),
                    Action::PublishJwks { jwks: attacker_set(forge::KID) },
                ]
            },
            forged,
            rej(KeySourceUnavailable),
            None,
        ),
        seq(
            "untrusted-certificate-after-ttl",
            "after the TTL the endpoint presents an unknown authority's certificate and the attacker's key",
            fetched,
            Must,
            FETCH_DOWN,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(
                        vec![
                            endpoint(EndpointBehaviour::Untrusted),
                            Action::PublishJwks { jwks: attacker_set(forge::KID) },
                        ],
                        &at(&forged(d), d.now + AFTER_TTL),
                        rej(KeySourceUnavailable),
                    )
                    .acceptable(&[reject_for(SignatureInvalid)]),
                ]
            },
        )
        .notes("a verifier still holding the old set past its TTL rejects the forged token on its signature: acceptable"),
    ]);

    // Bounded fetching.
    rows.extend([
        one(
            "oversized-set",
            "the key endpoint serves a valid key set padded to 1 MiB",
            Profile,
            &["PROFILE-LIMITS", "PROFILE-KEY-FETCH"],
            || vec![endpoint(EndpointBehaviour::Oversized { bytes: 1 << 20 })],
            Draft::clone,
            rej(KeySourceUnavailable),
            Some(RequestBounds { answer_within_ms: Some(ANSWER_MS), ..RequestBounds::default() }),
        )
        .rationale("No RFC bounds a key set's size; the profile reads at most 256 KiB so that an endpoint cannot make the verifier buffer without bound."),
        one(
            "at-size-limit",
            "the key endpoint serves a valid key set padded to just under 256 KiB",
            Profile,
            &["PROFILE-LIMITS", "PROFILE-KEY-FETCH"],
            || vec![endpoint(EndpointBehaviour::Oversized { bytes: 255 * 1024 })],
            Draft::clone,
            ok(),
            None,
        ),
        seq(
            "timeout-bounded",
            "the key endpoint never answers: the verifier gives up within its fetch timeout",
            fetched,
            Profile,
            &["PROFILE-KEY-FETCH", "PROFILE-LIMITS"],
            |d| {
                vec![
                    step(vec![endpoint(EndpointBehaviour::Timeout)], d, rej(KeySourceUnavailable))
                        .requests(RequestBounds { answer_within_ms: Some(ANSWER_MS), ..RequestBounds::default() }),
                ]
            },
        )
        .rationale("The server stalls for 6 s; a client that waits it out denies in the end, but holds a request for seconds per token, which the profile's 1 s fetch timeout forbids."),
    ]);

    // Caching and refetching.
    rows.extend([
        seq(
            "outage-recovers",
            "the endpoint answers 503, then recovers",
            fetched,
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![endpoint(EndpointBehaviour::Status { status: 503 })], d, rej(KeySourceUnavailable)),
                    step(vec![endpoint(EndpointBehaviour::Serve)], &at(d, d.now + 1), ok())
                        .requests(jwks(Count::at_least(1))),
                ]
            },
        ),
        seq(
            "refetch-after-ttl",
            "the set is fetched again once its TTL has passed",
            fetched,
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![], d, ok()).requests(jwks(Count::exactly(1))),
                    step(vec![], &at(d, d.now + AFTER_TTL), ok()).requests(jwks(Count::exactly(1))),
                ]
            },
        ),
        seq(
            "withdrawn-key-after-ttl",
            "the signing key leaves the set: after the TTL its tokens are refused",
            fetched,
            Profile,
            &["RFC9068-4-signature", "PROFILE-KEY-FETCH", "M12"],
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![publish(&["next"])], &at(d, d.now + AFTER_TTL), rej(KidUnknown)),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .rationale(CACHE_LIFETIME),
        seq(
            "down-after-ttl-timeout",
            "cached keys expire and the endpoint stops answering",
            fetched,
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![endpoint(EndpointBehaviour::Timeout)], &at(d, d.now + AFTER_TTL), rej(KeySourceUnavailable)),
                ]
            },
        )
        .rationale("Serving the last-known-good set past its TTL breaks no RFC MUST; the profile denies so that a key withdrawn during the outage does not stay trusted."),
        seq(
            "rotation-overlap",
            "old and new keys published together: both verify from one fetch",
            |d| fetched_with(d, 30, 2),
            Profile,
            FETCH,
            |d| {
                let next = signed_by(d, "next");
                vec![
                    step(vec![publish(&[forge::KID, "next"])], d, ok()).requests(jwks(Count::exactly(1))),
                    step(vec![], &next, ok()).requests(jwks(Count::exactly(0))),
                    step(vec![], d, ok()).requests(jwks(Count::exactly(0))),
                    step(vec![], &next, ok()).requests(jwks(Count::exactly(0))),
                ]
            },
        )
        .features(&[Feature::KeyRotation]),
        seq(
            "rotation-prepublished",
            "a new key is published before any token uses it, then takes over",
            fetched,
            Profile,
            FETCH,
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![publish(&[forge::KID, "next"])], &at(d, d.now + AFTER_TTL), ok()),
                    step(vec![], &at(&signed_by(d, "next"), d.now + AFTER_TTL), ok())
                        .requests(jwks(Count::exactly(0))),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .notes("the set fetched after the TTL already holds 'next', so its first token needs no fetch"),
        seq(
            "kid-reused-new-key",
            "the kid stays, its key changes: after the TTL the old key's tokens are refused",
            fetched,
            Profile,
            FETCH,
            |d| {
                let renewed = Action::PublishJwks {
                    jwks: forge::jwks(&[(forge::KID, &forge::key("renewed"))]),
                };
                let mut new = d.clone();
                new.signer = Signer::Es256("renewed");
                vec![
                    step(vec![], d, ok()),
                    step(vec![renewed], &at(&new, d.now + AFTER_TTL), ok()),
                    step(vec![], &at(d, d.now + AFTER_TTL), rej(SignatureInvalid)),
                ]
            },
        )
        .features(&[Feature::KeyRotation])
        .rationale(CACHE_LIFETIME),
        seq(
            "unknown-kid-one-refetch",
            "an unknown kid refetches the set at most once",
            fetched,
            Profile,
            &["PROFILE-KEY-FETCH", "M12"],
            |d| {
                vec![
                    step(vec![], d, ok()),
                    step(vec![], &signed_by(d, "ghost"), rej(KidUnknown)).requests(jwks(Count::at_most(1))),
                ]
            },
        ),
        seq(
            "kid-flood",
            "ten unknown kids in a row: at most one refetch within the interval",
            |d| fetched_with(d, 30, 5),
            Profile,
            &["PROFILE-KEY-FETCH", "M12"],
            |d| flood(d, 10),
        )
        .rationale("Each forged kid is free for an attacker; a verifier that refetches on every one lets tokens hammer the issuer, which the profile's refetch interval forbids."),
        seq(
            "kid-flood-then-genuine",
            "after a flood of unknown kids, a genuinely new key still verifies once the interval has passed",
            |d| fetched_with(d, 30, 2),
            Profile,
            &["PROFILE-KEY-FETCH", "M12"],
            |d| {
                let mut steps = flood(d, 5);
                steps.push(
                    step(vec![publish(&[forge::KID, "next"])], &at(&signed_by(d, "next"), d.now + AFTER_TTL), ok())
                        .requests(jwks(Count::at_most(1))),
                );
                steps
            },
        )
        .features(&[Feature::KeyRotation]),
    ]);

    // Locations the token names: the client must not fetch from them.
    rows.extend([
        jku(
            "jku-decoy",
            "the token's jku points at the attacker's origin, which serves the attacker's key",
            Listener::Decoy,
            "/jwks.json",
            ATTACKER,
        ),
        jku(
            "jku-decoy-known-kid",
            "the token's jku points at the attacker's origin, which binds the genuine kid to the attacker's key",
            Listener::Decoy,
            "/jwks.json",
            forge::KID,
        ),
        jku(
            "jku-plain",
            "the token's jku is a plain-HTTP URL serving the attacker's key",
            Listener::Plain,
            "/jwks.json",
            forge::KID,
        ),
        jku(
            "jku-same-origin",
            "the token's jku names another path on the issuer's own origin, serving the attacker's key",
            Listener::Issuer,
            "/uploads/keys.json",
            forge::KID,
        ),
        one(
            "x5u-decoy",
            "the token's x5u points at the attacker's origin",
            Must,
            &["ADV-JKU-FETCH", "RFC9068-4-signature", "M08"],
            || vec![host(Listener::Decoy, "/cert.pem", json!("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))],
            |d| {
                let mut d = forged(d);
                set_hdr(&mut d, "x5u", json!(origin(Listener::Decoy, "/cert.pem")));
                d
            },
            rej(HeaderX5u),
            Some(forbid(&[Listener::Decoy])),
        )
        .acceptable(&[any_reject()]),
        one(
            "iss-decoy",
            "the token's unverified iss names the attacker's origin, which publishes metadata and the attacker's key",
            Must,
            DECOY_ISSUER,
            decoy_issuer,
            |d| {
                let mut d = signed_by(d, ATTACKER);
                set_claim(&mut d, "iss", json!(Listener::Decoy.placeholder()));
                d
            },
            rej(KidUnknown),
            Some(forbid(&[Listener::Decoy])),
        )
        .acceptable(&[any_reject()]),
        one(
            "iss-decoy-known-kid",
            "the token's unverified iss names the attacker's origin and its kid is the genuine one",
            Must,
            DECOY_ISSUER,
            decoy_issuer,
            |d| {
                let mut d = forged(d);
                set_claim(&mut d, "iss", json!(Listener::Decoy.placeholder()));
                d
            },
            rej(SignatureInvalid),
            Some(forbid(&[Listener::Decoy])),
        )
        .acceptable(&[any_reject()]),
        one(
            "iss-trailing-slash",
            "a genuine token whose iss is the issuer with a trailing slash",
            Must,
            &["RFC9068-4-iss", "M23"],
            Vec::new,
            |d| {
                let mut d = d.clone();
                set_claim(&mut d, "iss", json!(origin(Listener::Issuer, "/")));
                d
            },
            rej(IssMismatch),
            None,
        ),
        one(
            "kid-path-traversal",
            "a kid shaped like a path and query is only ever looked up in the set",
            Profile,
            &["RFC8725-3.10-untrusted", "M12"],
            Vec::new,
            |d| {
                let mut d = forged(d);
                set_hdr(&mut d, "kid", json!("../uploads/keys.json?x=%2e"));
                d
            },
            rej(KidUnknown),
            Some(RequestBounds { other: Some(Count::exactly(0)), ..RequestBounds::default() }),
        ),
    ]);

    // Redirects.
    rows.extend([
        one(
            "redirect-to-http",
            "the key endpoint redirects to a plain-HTTP URL serving the attacker's key",
            Profile,
            FETCH,
            || {
                vec![
                    endpoint(EndpointBehaviour::Redirect { status: 302, location: origin(Listener::Plain, "/jwks.json") }),
                    host(Listener::Plain, "/jwks.json", attacker_set(forge::KID)),
                ]
            },
            forged,
            rej(KeySourceUnavailable),
            Some(forbid(&[Listener::Plain])),
        )
        .acceptable(&[reject_for(SignatureInvalid)])
        .rationale("The redirect comes from the issuer's own endpoint, so no RFC forbids following it, but a key set read over plain HTTP is anyone's on the path: the profile follows no redirect."),
        one(
            "redirect-other-origin",
            "the key endpoint redirects to another HTTPS origin serving the genuine set",
            Profile,
            FETCH,
            || {
                vec![
                    endpoint(EndpointBehaviour::Redirect { status: 302, location: origin(Listener::Decoy, "/jwks.json") }),
                    host(Listener::Decoy, "/jwks.json", forge::baseline_jwks()),
                ]
            },
            Draft::clone,
            rej(KeySourceUnavailable),
            None,
        )
        .acceptable(&[ok().outcome()])
        .rationale("Following the issuer's redirect to another HTTPS origin breaks no RFC; the profile fetches only the configured location, and either answer conforms."),
        one(
            "redirect-loop",
            "the key endpoint redirects to itself",
            Profile,
            &["PROFILE-KEY-FETCH", "PROFILE-LIMITS"],
            || vec![endpoint(EndpointBehaviour::Redirect { status: 302, location: origin(Listener::Issuer, "/jwks.json") })],
            Draft::clone,
            rej(KeySourceUnavailable),
            Some(RequestBounds {
                jwks: Some(Count::at_most(21)),
                answer_within_ms: Some(ANSWER_MS),
                ..RequestBounds::default()
            }),
        ),
    ]);

    // Discovery (OpenID Connect Discovery / RFC 8414 metadata).
    let discovery_rows: Vec<Row> = vec![
        seq(
            "discovery-serves",
            "the key set is found through the issuer's discovery document",
            discovering,
            Profile,
            FETCH,
            |d| {
                vec![step(vec![], d, ok()).requests(RequestBounds {
                    discovery: Some(Count::at_least(1)),
                    jwks: Some(Count::at_least(1)),
                    ..RequestBounds::default()
                })]
            },
        ),
        seq(
            "discovery-issuer-mismatch",
            "the discovery document names the attacker's origin as issuer and key-set location",
            discovering,
            Must,
            DISCOVERY,
            |d| {
                vec![
                    step(
                        vec![
                            Action::PublishDiscovery {
                                document: json!({"issuer": Listener::Decoy.placeholder(), "jwks_uri": origin(Listener::Decoy, "/jwks.json")}),
                            },
                            host(Listener::Decoy, "/jwks.json", attacker_set(forge::KID)),
                        ],
                        &forged(d),
                        rej(KeySourceUnavailable),
                    )
                    .acceptable(&[any_reject()])
                    .requests(forbid(&[Listener::Decoy])),
                ]
            },
        ),
        seq(
            "discovery-issuer-trailing-slash",
            "the discovery document's issuer is the configured one with a trailing slash",
            discovering,
            Must,
            DISCOVERY,
            |d| {
                vec![step(
                    vec![Action::PublishDiscovery {
                        document: json!({"issuer": origin(Listener::Issuer, "/"), "jwks_uri": origin(Listener::Issuer, "/jwks.json")}),
                    }],
                    d,
                    rej(KeySourceUnavailable),
                )]
            },
        ),
        seq(
            "discovery-jwks-uri-http",
            "the discovery document's jwks_uri is a plain-HTTP URL serving the attacker's key",
            discovering,
            Profile,
            &["RFC8414-2-jwks-uri", "PROFILE-KEY-FETCH"],
            |d| {
                vec![
                    step(
                        vec![
                            Action::PublishDiscovery {
                                document: json!({"issuer": Listener::Issuer.placeholder(), "jwks_uri": origin(Listener::Plain, "/jwks.json")}),
                            },
                            host(Listener::Plain, "/jwks.json", attacker_set(forge::KID)),
                        ],
                        &forged(d),
                        rej(KeySourceUnavailable),
                    )
                    .acceptable(&[reject_for(SignatureInvalid)])
                    .requests(forbid(&[Listener::Plain])),
                ]
            },
        )
        .rationale("RFC 8414 requires the issuer to publish an https jwks_uri but does not tell the client to refuse another; the profile refuses, because keys read over plain HTTP are anyone's on the path."),
        seq(
            "discovery-jwks-uri-other-host",
            "the discovery document's jwks_uri is on another HTTPS origin serving the genuine set",
            discovering,
            Profile,
            FETCH,
            |d| {
                vec![
                    step(
                        vec![
                            Action::PublishDiscovery {
                                document: json!({"issuer": Listener::Issuer.placeholder(), "jwks_uri": origin(Listener::Decoy, "/jwks.json")}),
                            },
                            host(Listener::Decoy, "/jwks.json", forge::baseline_jwks()),
                        ],
                        d,
                        ok(),
                    )
                    .acceptable(&[reject_for(KeySourceUnavailable)]),
                ]
            },
        ),
        discovery_fails("discovery-404", "the discovery document is not found", || {
            Action::DiscoveryEndpoint {
                behaviour: EndpointBehaviour::Status { status: 404 },
            }
        }),
        discovery_fails(
            "discovery-missing-jwks-uri",
            "the discovery document has no jwks_uri",
            || Action::PublishDiscovery {
                document: json!({"issuer": Listener::Issuer.placeholder()}),
            },
        ),
        discovery_fails("discovery-timeout", "the discovery endpoint never answers", || {
            Action::DiscoveryEndpoint {
                behaviour: EndpointBehaviour::Timeout,
            }
        }),
    ];
    rows.extend(
        discovery_rows
            .into_iter()
            .map(|r| r.features(&[Feature::KeyDiscovery])),
    );
    Family::table("fetch", rows)
}

/// A genuine token, then `n` tokens under unknown kids in a row: the first may refetch once,
/// the rest are within the refetch interval and must not.
fn flood(d: &Draft, n: usize) -> Vec<StepCase> {
    let mut steps = vec![step(vec![], d, ok())];
    for i in 0..n {
        let mut ghost = d.clone();
        set_hdr(&mut ghost, "kid", json!(format!("ghost-{i}")));
        ghost.signer = Signer::Es256(ATTACKER);
        let bound = if i == 0 {
            Count::at_most(1)
        } else {
            Count::exactly(0)
        };
        steps.push(step(vec![], &ghost, rej(KidUnknown)).requests(jwks(bound)));
    }
    steps
}

/// The discovery step fails (after `action`): the profile denies. `profile`: RFC 8414 makes
/// `jwks_uri` OPTIONAL and says nothing of a fallback, and the issuer's `/jwks.json` still serves
/// the genuine set, so a client that falls back verifies with the authorization server's keys.
fn discovery_fails(name: &str, description: &str, action: fn() -> Action) -> Row {
    seq(
        name,
        description,
        discovering,
        Profile,
        &[
            "PROFILE-KEY-FETCH",
            "RFC8414-2-jwks-uri",
            "RFC9068-4-signature",
        ],
        move |d| vec![step(vec![action()], d, rej(KeySourceUnavailable))],
    )
    .rationale(
        "The issuer's key set is still served at its usual location, so a client that falls back \
         to it when discovery fails verifies with keys the authorization server provides; RFC \
         8414 makes jwks_uri OPTIONAL and defines no fallback, and the profile denies.",
    )
}

/// A token whose `jku` names `path` on `at`, which serves the attacker's key under `kid` (the
/// token signed by the attacker under that kid): no client may fetch it.
fn jku(name: &str, description: &str, at: Listener, path: &'static str, kid: &'static str) -> Row {
    let bounds = match at {
        Listener::Issuer => RequestBounds {
            other: Some(Count::exactly(0)),
            ..RequestBounds::default()
        },
        elsewhere => forbid(&[elsewhere]),
    };
    seq(name, description, fetched, Must, TOKEN_URL, move |d| {
        let mut token = if kid == ATTACKER {
            signed_by(d, ATTACKER)
        } else {
            forged(d)
        };
        set_hdr(&mut token, "jku", json!(origin(at, path)));
        vec![
            step(
                vec![host(at, path, attacker_set(kid))],
                &token,
                rej(HeaderJku),
            )
            .acceptable(&[any_reject()])
            .requests(bounds.clone()),
        ]
    })
}

/// How long a verifier may take to deny when an endpoint stalls or floods: above the profile's
/// 1 s fetch timeout with margin for a loaded machine, below the server's 6 s stall.
const ANSWER_MS: u64 = 4000;

/// The attacker's origin publishes discovery metadata naming itself and its key set.
fn decoy_issuer() -> Vec<Action> {
    vec![
        host(
            Listener::Decoy,
            corpus::live::DISCOVERY_PATH,
            json!({"issuer": Listener::Decoy.placeholder(), "jwks_uri": origin(Listener::Decoy, "/jwks.json")}),
        ),
        host(
            Listener::Decoy,
            "/jwks.json",
            json!({"keys": [forge::public_jwk(forge::key(ATTACKER).verifying_key(), ATTACKER), forge::public_jwk(forge::key(ATTACKER).verifying_key(), forge::KID)]}),
        ),
    ]
}
