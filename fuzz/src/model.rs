//! The structure-aware token model of the `structured` target, its renderer, and the verdict
//! computed from the model alone.
//!
//! The model is lowered once into header and payload member lists; the renderer turns those
//! into bytes (JSON quirks, escapes, base64url quirks, signature choices) and the oracle
//! evaluates the catalog's rules on the lowered values, never on the rendered bytes except for
//! the raw-byte properties (length, alphabet, dot count) that the form stages look at.
//!
//! Every enum's first variant and every `Option`/`bool`/`Vec` default is the valid choice, so
//! the empty input is the baseline token and each byte the fuzzer adds makes one defect.

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use p256::ecdsa::Signature;
use serde_json::Value;
use verifier::{Profile, Verifier};

/// The vocabulary (values, documents, quirks, knobs) lives in `forge::shape`, shared with
/// `conformance hunt`; the model composes it into one ES256 token of the structured world.
pub use forge::shape::*;

use crate::world::{self, NOW};
/// The profile's token size bound (the default).
pub const MAX_TOKEN_BYTES: usize = 8192;
/// At most this many quirks of a model are applied.
pub const MAX_QUIRKS: usize = 4;

#[derive(Arbitrary, Clone, Debug)]
pub struct Model {
    pub header: HeaderModel,
    pub claims: ClaimsModel,
    pub sig: Sig,
    pub knobs: Knobs,
    pub quirks: Vec<Quirk>,
    pub form: Form,
}

#[derive(Arbitrary, Clone, Debug)]
pub struct HeaderModel {
    pub alg: Slot,
    pub typ: Slot,
    pub kid: KidSlot,
    pub extra: Vec<(HName, JVal)>,
    pub order: u8,
    pub escape: Escape,
    pub form: DocForm,
    pub spaced: bool,
}

#[derive(Arbitrary, Clone, Debug)]
pub struct ClaimsModel {
    pub iss: Slot,
    pub aud: Slot,
    pub exp: TimeSlot,
    pub iat: TimeSlot,
    pub nbf: NbfSlot,
    pub sub: Slot,
    pub client_id: Slot,
    pub jti: Slot,
    pub cat: Slot,
    pub extra: Vec<(CName, JVal)>,
    pub order: u8,
    pub escape: Escape,
    pub form: DocForm,
    pub spaced: bool,
}

/// A member with a valid default.
#[derive(Arbitrary, Clone, Debug)]
pub enum Slot {
    Default,
    Missing,
    Value(JVal),
}

#[derive(Arbitrary, Clone, Debug)]
pub enum KidSlot {
    Primary,
    Secondary,
    Missing,
    Value(JVal),
}

/// A time claim: default, absent, `now + offset`, or any JSON value.
#[derive(Arbitrary, Clone, Debug)]
pub enum TimeSlot {
    Default,
    Missing,
    Rel(i32),
    Value(JVal),
}

#[derive(Arbitrary, Clone, Debug)]
pub enum NbfSlot {
    Missing,
    Rel(i32),
    Value(JVal),
}

/// Which forge key signs.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SKey {
    Primary,
    Secondary,
    Outsider,
}

#[derive(Arbitrary, Clone, Debug)]
pub enum Sig {
    Valid(SKey),
    /// (r, n − s): the other valid signature of the same message (accepted by policy).
    HighS(SKey),
    Der(SKey),
    BitFlip(SKey, u16),
    Zero,
    RIsN(SKey),
    SIsN(SKey),
    Extended(SKey),
    Empty,
    /// HS256 keyed with the public key's PEM (algorithm confusion).
    Hmac,
    Random([u8; 64]),
}

impl Sig {
    /// The length of the signature when it is made by ECDSA signing and that length does not
    /// depend on the signature's value (not DER); `None` for every other variant.
    fn ecdsa_len(&self) -> Option<usize> {
        match self {
            Sig::Valid(_) | Sig::HighS(_) | Sig::BitFlip(..) | Sig::RIsN(_) | Sig::SIsN(_) => {
                Some(64)
            }
            Sig::Extended(_) => Some(65),
            Sig::Der(_) | Sig::Zero | Sig::Empty | Sig::Hmac | Sig::Random(_) => None,
        }
    }
}

/// A rendered model: what the verifier sees, and what the oracle needs.
#[derive(Clone, Debug)]
pub struct Case {
    pub token: Vec<u8>,
    pub profile: Profile,
    pub header: Doc,
    pub payload: Doc,
    pub header_tampered: bool,
    pub payload_tampered: bool,
    pub signature_tampered: bool,
    /// False when the signature segment is a stand-in ([`Model::render_unsigned`]): only the
    /// stages before the signature may be judged on such a case.
    pub signed: bool,
}

/// The verdict: accepted claims, or the reason ID.
pub type Verdict = Result<Value, &'static str>;

/// What the knobs mean in the structured world: its profile and its verifier.
pub trait KnobsExt {
    /// The profile these knobs give.
    fn profile(self) -> Profile;
    /// The structured world's verifier for [`KnobsExt::profile`].
    fn verifier(self) -> &'static Verifier;
}

impl KnobsExt for Knobs {
    fn profile(self) -> Profile {
        let mut p = world::baseline_profile();
        p.leeway_secs = self.leeway_secs();
        p.iat_skew_secs = self.iat_skew_secs();
        p.max_lifetime_secs = self.max_lifetime_secs();
        p.expected_cat = self.expected_cat().map(str::to_owned);
        p
    }

    /// Built once for each of the 16 combinations: building one per input (a profile and
    /// key-set clone and a validation) was per-input setup outside the code under test.
    fn verifier(self) -> &'static Verifier {
        static VERIFIERS: OnceLock<Vec<Verifier>> = OnceLock::new();
        let all = VERIFIERS.get_or_init(|| {
            (0..16)
                .map(|bits| {
                    let knobs = Knobs {
                        leeway: bits & 1 != 0,
                        no_iat_skew: bits & 2 != 0,
                        lifetime: bits & 4 != 0,
                        cat: bits & 8 != 0,
                    };
                    Verifier::new(knobs.profile(), world::structured_keys().clone())
                        .expect("structured world builds")
                })
                .collect()
        });
        let bits = usize::from(self.leeway)
            | usize::from(self.no_iat_skew) << 1
            | usize::from(self.lifetime) << 2
            | usize::from(self.cat) << 3;
        &all[bits]
    }
}

impl Model {
    pub fn profile(&self) -> Profile {
        self.knobs.profile()
    }

    fn header_doc(&self) -> Doc {
        let h = &self.header;
        let mut m: Vec<(String, JVal)> = Vec::new();
        slot(&mut m, "alg", &h.alg, JVal::Str(StrLit::Es256));
        slot(&mut m, "typ", &h.typ, JVal::Str(StrLit::AtJwt));
        match &h.kid {
            KidSlot::Primary => m.push(("kid".into(), JVal::Str(StrLit::Primary))),
            KidSlot::Secondary => m.push(("kid".into(), JVal::Str(StrLit::Secondary))),
            KidSlot::Missing => {}
            KidSlot::Value(v) => m.push(("kid".into(), v.clone())),
        }
        m.extend(h.extra.iter().map(|(n, v)| (n.text(), v.clone())));
        Doc::new(m, h.order, h.escape, h.form, h.spaced)
    }

    fn payload_doc(&self) -> Doc {
        let c = &self.claims;
        let int = |i: i64| JVal::Num(NumLit::Int(i));
        let mut m: Vec<(String, JVal)> = Vec::new();
        slot(&mut m, "iss", &c.iss, JVal::Str(StrLit::Issuer));
        slot(&mut m, "aud", &c.aud, JVal::Str(StrLit::Audience));
        for (name, t, default) in [("exp", &c.exp, NOW + 3600), ("iat", &c.iat, NOW - 60)] {
            match t {
                TimeSlot::Default => m.push((name.into(), int(default))),
                TimeSlot::Missing => {}
                TimeSlot::Rel(r) => m.push((name.into(), int(NOW + i64::from(*r)))),
                TimeSlot::Value(v) => m.push((name.into(), v.clone())),
            }
        }
        match &c.nbf {
            NbfSlot::Missing => {}
            NbfSlot::Rel(r) => m.push(("nbf".into(), int(NOW + i64::from(*r)))),
            NbfSlot::Value(v) => m.push(("nbf".into(), v.clone())),
        }
        slot(&mut m, "sub", &c.sub, JVal::Str(StrLit::Sub));
        slot(&mut m, "client_id", &c.client_id, JVal::Str(StrLit::Client));
        slot(&mut m, "jti", &c.jti, JVal::Str(StrLit::Jti));
        slot(&mut m, "cat", &c.cat, JVal::Str(StrLit::Access));
        m.extend(c.extra.iter().map(|(n, v)| (n.text(), v.clone())));
        Doc::new(m, c.order, c.escape, c.form, c.spaced)
    }

    fn quirks(&self) -> impl Iterator<Item = &Quirk> {
        self.quirks.iter().take(MAX_QUIRKS)
    }

    /// Renders the model to a token.
    pub fn render(&self) -> Case {
        self.render_with(true)
    }

    /// Renders the model with a stand-in signature (zero bytes) of the exact length the model's
    /// ECDSA signature would have, instead of signing; variants that need no ECDSA signing, or
    /// whose length depends on the signature's value (DER), are rendered as [`Model::render`]
    /// does. The token then differs from the signed one only inside the signature segment, with
    /// the same length and alphabet, and every quirk lands at the same place: the stages before
    /// the signature ([`Model::expected_before_signature`]) cannot tell them apart. Signing with
    /// RFC 6979 was half of the `structured` target's own time, for models the verifier rejects
    /// before it looks at the signature.
    pub fn render_unsigned(&self) -> Case {
        self.render_with(false)
    }

    fn render_with(&self, sign: bool) -> Case {
        let header = self.header_doc();
        let payload = self.payload_doc();
        let mut h = forge::b64(header.render()).into_bytes();
        let mut p = forge::b64(payload.render()).into_bytes();
        // Semantic changes first, then insertions, so every inserted byte survives.
        let h0 = h.clone();
        let p0 = p.clone();
        for q in self.quirks() {
            modify(q, Seg::Header, &mut h);
            modify(q, Seg::Payload, &mut p);
        }
        let header_tampered = h != h0;
        let payload_tampered = p != p0;
        for q in self.quirks() {
            insert(q, Seg::Header, &mut h);
            insert(q, Seg::Payload, &mut p);
        }
        let mut input = h.clone();
        input.push(b'.');
        input.extend_from_slice(&p);
        let (sig, signed) = match self.sig.ecdsa_len() {
            Some(len) if !sign => (vec![0; len], false),
            _ => (self.signature_bytes(&input), true),
        };
        let mut s = forge::b64(sig).into_bytes();
        let s0 = s.clone();
        for q in self.quirks() {
            modify(q, Seg::Signature, &mut s);
        }
        let signature_tampered = s != s0;
        for q in self.quirks() {
            insert(q, Seg::Signature, &mut s);
        }
        let token = self.form.assemble(&h, &p, &s);
        Case {
            token,
            profile: self.profile(),
            header,
            payload,
            header_tampered,
            payload_tampered,
            signature_tampered,
            signed,
        }
    }

    fn signature_bytes(&self, input: &[u8]) -> Vec<u8> {
        let name = |k: SKey| match k {
            SKey::Primary => "primary",
            SKey::Secondary => "secondary",
            SKey::Outsider => world::OUTSIDER,
        };
        let valid = |k: SKey| world::es256(name(k), input);
        match &self.sig {
            Sig::Valid(k) => valid(*k).to_vec(),
            Sig::HighS(k) => {
                let mut sig = valid(*k);
                let s: [u8; 32] = sig[32..].try_into().expect("32 bytes");
                sig[32..].copy_from_slice(&forge::sub_be(&forge::ORDER_N, &s));
                sig.to_vec()
            }
            Sig::Der(k) => Signature::from_slice(&valid(*k))
                .map(|s| s.to_der().as_bytes().to_vec())
                .unwrap_or_default(),
            Sig::BitFlip(k, bit) => {
                let mut sig = valid(*k);
                let bit = usize::from(*bit) % 512;
                sig[bit / 8] ^= 1 << (bit % 8);
                sig.to_vec()
            }
            Sig::Zero => vec![0; 64],
            Sig::RIsN(k) => {
                let mut sig = valid(*k);
                sig[..32].copy_from_slice(&forge::ORDER_N);
                sig.to_vec()
            }
            Sig::SIsN(k) => {
                let mut sig = valid(*k);
                sig[32..].copy_from_slice(&forge::ORDER_N);
                sig.to_vec()
            }
            Sig::Extended(k) => {
                let mut sig = valid(*k).to_vec();
                sig.push(0);
                sig
            }
            Sig::Empty => Vec::new(),
            Sig::Hmac => {
                let pem = forge::public_pem(world::signing_key("primary").verifying_key());
                forge::hs256(pem.as_bytes(), input).to_vec()
            }
            Sig::Random(bytes) => bytes.to_vec(),
        }
    }

    /// The verdict the catalog's rules give this model, in pipeline order.
    pub fn expected(&self, case: &Case) -> Verdict {
        let kid_key = self.expected_before_signature(case)?;
        assert!(
            case.signed,
            "a case rendered without its signature reached the signature stage"
        );
        self.expected_from_signature(case, kid_key)
    }

    /// The stages before the signature (size → form → alphabet → header → key), in pipeline
    /// order: the reason one of them rejects for, or the pinned key the `kid` names. They read
    /// the signature segment only through its length and bytes' classes (dots, alphabet), so an
    /// unsigned rendering ([`Model::render_unsigned`]) gets the same answer as the signed one.
    pub fn expected_before_signature(&self, case: &Case) -> Result<SKey, &'static str> {
        let token = &case.token;
        let profile = &case.profile;
        // size → form → alphabet, on the raw bytes.
        if token.len() > MAX_TOKEN_BYTES {
            return Err("oversized_token");
        }
        if token
            .iter()
            .find(|b| !b" \t\r\n".contains(b))
            .is_some_and(|&b| b == b'{')
        {
            return Err("jws_json_rejected");
        }
        let dots = token.iter().filter(|&&b| b == b'.').count();
        if dots == 4 {
            return Err("jwe_payload");
        }
        let alphabet = |b: &u8| b.is_ascii_alphanumeric() || b"-_+/=.".contains(b);
        if dots != 2 || !token.iter().all(alphabet) {
            return Err("not_jws_compact");
        }
        if token.iter().any(|b| b"+/=".contains(b)) {
            return Err("lax_base64");
        }
        // Past this point no insertion quirk is present (each one fails a check above).
        // header
        if case.header_tampered {
            return Err("header_unparseable");
        }
        let header = match case.header.semantics() {
            Ok(h) => h,
            Err(true) => return Err("duplicate_json_keys"),
            Err(false) => return Err("header_unparseable"),
        };
        let hdr = &case.header;
        match hdr.get("alg").and_then(JVal::str) {
            None => return Err("alg_none"),
            Some(a) if a.eq_ignore_ascii_case("none") => return Err("alg_none"),
            Some(a) if a == "ES256" => {}
            Some(a) => {
                return Err(match a.as_str() {
                    "HS256" | "HS384" | "HS512" => "alg_hmac_rejected",
                    "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => "alg_rsa_rejected",
                    "ES384" | "ES512" | "ES256K" => "alg_ecdsa_rejected",
                    _ => "alg_not_allowed",
                });
            }
        }
        for (name, reason) in [
            ("jku", "header_jku"),
            ("x5u", "header_x5u"),
            ("jwk", "header_jwk"),
            ("x5c", "header_x5c"),
            ("crit", "header_crit"),
            ("b64", "header_b64_false"),
            ("cty", "nested_jws"),
        ] {
            if header.contains_key(name) {
                return Err(reason);
            }
        }
        if header
            .keys()
            .any(|k| !["alg", "typ", "kid"].contains(&k.as_str()))
        {
            return Err("header_extra_param");
        }
        let typ = hdr.get("typ").and_then(JVal::str);
        if let Some(want) = &profile.typ
            && typ.map(|t| media_type(&t)) != Some(media_type(want))
        {
            return Err("typ_mismatch");
        }
        match hdr.get("kid").and_then(JVal::str).as_deref() {
            Some("primary") => Ok(SKey::Primary),
            Some("secondary") => Ok(SKey::Secondary),
            _ => Err("kid_unknown"),
        }
    }

    /// The stages from the signature on, for a case whose earlier stages passed with `kid_key`.
    fn expected_from_signature(&self, case: &Case, kid_key: SKey) -> Verdict {
        let profile = &case.profile;
        // signature
        let signed_by = match &self.sig {
            Sig::Valid(k) | Sig::HighS(k) => Some(*k),
            _ => None,
        };
        if case.signature_tampered || signed_by != Some(kid_key) {
            return Err("signature_invalid");
        }
        // payload
        if case.payload_tampered {
            return Err("payload_unparseable");
        }
        let claims = match case.payload.semantics() {
            Ok(c) => c,
            Err(true) => return Err("duplicate_json_keys"),
            Err(false) => return Err("payload_unparseable"),
        };
        let pl = &case.payload;
        // claims
        let times: Vec<Option<Option<i64>>> = ["exp", "iat", "nbf"]
            .iter()
            .map(|n| pl.get(n).map(JVal::integer))
            .collect();
        if times.iter().any(|t| matches!(t, Some(None))) {
            return Err("invalid_numeric_type");
        }
        let [exp, iat, nbf] = [times[0].flatten(), times[1].flatten(), times[2].flatten()];
        let now = i128::from(NOW);
        let leeway = i128::from(profile.leeway_secs);
        let Some(exp) = exp.map(i128::from) else {
            return Err("exp_missing");
        };
        if now >= exp + leeway {
            return Err("expired");
        }
        if let Some(max) = profile.max_lifetime_secs
            && exp > now + i128::from(max)
        {
            return Err("exp_upper_bound");
        }
        let Some(iat) = iat.map(i128::from) else {
            return Err("iat_missing");
        };
        if iat > now + i128::from(profile.iat_skew_secs) {
            return Err("iat_future");
        }
        if let Some(nbf) = nbf.map(i128::from)
            && now + leeway < nbf
        {
            return Err("not_yet_valid");
        }
        if pl.get("iss").and_then(JVal::str).as_deref() != Some(ISSUER) {
            return Err("iss_mismatch");
        }
        let Some(aud) = pl.get("aud") else {
            return Err("aud_missing");
        };
        let aud_ok = match aud {
            JVal::Str(s) => s.text() == AUDIENCE,
            JVal::Arr(items) => {
                let strings: Option<Vec<String>> = items.iter().map(JVal::str).collect();
                strings.is_some_and(|s| s.iter().any(|a| a == AUDIENCE))
            }
            _ => false,
        };
        if !aud_ok {
            return Err("aud_mismatch");
        }
        for (name, reason) in [
            ("sub", "sub_missing"),
            ("client_id", "client_id_missing"),
            ("jti", "jti_missing"),
        ] {
            if pl
                .get(name)
                .and_then(JVal::str)
                .is_none_or(|s| s.is_empty())
            {
                return Err(reason);
            }
        }
        if let Some(want) = &profile.expected_cat
            && pl.get("cat").and_then(JVal::str).as_ref() != Some(want)
        {
            return Err("token_type_mismatch");
        }
        Ok(Value::Object(claims))
    }
}

/// A `typ` value as the media type it names (RFC 7515 §4.1.9): `application/` prepended when
/// it has no `/`, and ASCII case folded (media types are case-insensitive, RFC 2045 §5.1), so
/// `AT+JWT` and `application/at+jwt` name the profile's `at+jwt`.
fn media_type(typ: &str) -> String {
    let typ = typ.to_ascii_lowercase();
    if typ.contains('/') {
        typ
    } else {
        format!("application/{typ}")
    }
}

fn slot(m: &mut Vec<(String, JVal)>, name: &str, slot: &Slot, default: JVal) {
    match slot {
        Slot::Default => m.push((name.into(), default)),
        Slot::Missing => {}
        Slot::Value(v) => m.push((name.into(), v.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arbitrary::Unstructured;
    use verifier::Verifier;

    fn verdict(case: &Case) -> Verdict {
        let v = Verifier::new(case.profile.clone(), world::structured_keys().clone()).unwrap();
        v.verify(&case.token, NOW)
            .map(|c| Value::Object(c.into_map()))
            .map_err(|r| r.reason.id())
    }

    #[test]
    fn empty_input_is_the_valid_baseline() {
        let m = Model::arbitrary(&mut Unstructured::new(&[])).unwrap();
        let case = m.render();
        let want = m.expected(&case);
        assert!(want.is_ok(), "{want:?}");
        assert_eq!(verdict(&case), want);
    }

    #[test]
    fn typ_is_compared_as_a_media_type() {
        for (typ, accepted) in [
            (StrLit::AtJwtUpper, true),
            (StrLit::AppAtJwt, true),
            (StrLit::Jwt, false),
        ] {
            let mut m = Model::arbitrary(&mut Unstructured::new(&[])).unwrap();
            m.header.typ = Slot::Value(JVal::Str(typ));
            let case = m.render();
            let want = m.expected(&case);
            assert_eq!(want.is_ok(), accepted, "{typ:?}");
            assert_eq!(verdict(&case), want, "{typ:?}");
        }
    }

    /// The models of 600 xorshift byte strings of 1 to 200 bytes from `seed` (those that parse).
    fn pseudo_random_models(seed: u64) -> Vec<Model> {
        let mut state = seed;
        (0..600)
            .filter_map(|round| {
                let len = 1 + round % 200;
                let data: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 24) as u8
                    })
                    .collect();
                Model::arbitrary(&mut Unstructured::new(&data)).ok()
            })
            .collect()
    }

    #[test]
    fn unsigned_rendering_keeps_every_stage_before_the_signature() {
        let mut unsigned = 0;
        for m in pseudo_random_models(0x0fed_cba9_8765_4321) {
            let (signed, stand_in) = (m.render(), m.render_unsigned());
            assert!(signed.signed);
            unsigned += usize::from(!stand_in.signed);
            assert_eq!(signed.token.len(), stand_in.token.len(), "{m:#?}");
            let before = m.expected_before_signature(&signed);
            assert_eq!(before, m.expected_before_signature(&stand_in), "{m:#?}");
            // The verifier cannot tell them apart either when it rejects before the signature.
            if let Err(reason) = before {
                assert_eq!(verdict(&stand_in), Err(reason), "{m:#?}");
            }
            assert!(m.knobs.verifier().profile() == &signed.profile);
        }
        assert!(unsigned > 100, "only {unsigned} unsigned renderings");
    }

    #[test]
    fn pseudo_random_models_agree_with_the_verifier() {
        for m in pseudo_random_models(0x1234_5678_9abc_def0) {
            let case = m.render();
            let want = m.expected(&case);
            let got = verdict(&case);
            assert_eq!(
                got,
                want,
                "model {m:#?}\ntoken {}",
                String::from_utf8_lossy(&case.token)
            );
        }
    }
}
