#!/usr/bin/env perl
# jwt-conformance subprocess adapter for Crypt::JWT (Perl), protocol version 3 (docs/adapters.md).
#
# One process serves a whole run; the helper adapters/perl/JwtConformanceAdapter.pm runs the
# protocol: it prints a hello line, then answers one JSON line per request line on stdin until
# stdin closes. Crypt::JWT (Debian's libcrypt-jwt-perl 0.034) is configured as strictly as its
# API allows and nothing is checked here: every verdict is Crypt::JWT's.
#
# Configuration: decode_jwt with token = the token's exact bytes, kid_keys = the key set's exact
# bytes (jwks_base64; Crypt::JWT parses the JWK Set itself and looks the token's kid up in it,
# at decode time only, for EC, RSA, OKP and oct keys; a token without kid is refused, under every
# preset: Crypt::JWT has no kid-less selection), accepted_alg = the profile's algorithms
# (pinned), decode_payload = 1 (a payload that is not JSON is an error, not a string),
# ignore_signature and ignore_claims off, allow_none and key_from_jwk_header off (their
# defaults), leeway (0). Claims, from the profile and required_claims(profile) (the preset's
# default or the profile's list): verify_iss = the issuer when configured (Crypt::JWT's exact
# string comparison; the claim is then required), else a code ref returning true when iss is
# required (presence only); verify_aud = a code ref, the only way its API checks an aud that may
# be an array: true when aud (a string, or an array of them) names a profile audience (under
# oidc-id-token: the client_id), or returning true when no audience is configured and aud is
# required; verify_sub and verify_jti = a code ref returning true when required (presence, any
# value); verify_exp, verify_nbf, verify_iat = 1 when required (present and checked), else
# undef (checked when present; verify_iat must exist for Crypt::JWT to look at iat at all).
# Crypt::JWT parses JSON with JSON.pm, whose backend is pinned here to JSON::XS (Debian's
# libjson-xs-perl, which libjson-perl recommends; scripts/setup/perl.debs installs it) so that
# parsing does not depend on what else is installed; the pure-Perl JSON::PP would take tens of
# seconds on the corpus's 8 MiB token.
# Algorithms: all 13 (ES256/384/512, RS*, PS*, EdDSA through CryptX, HS*). Presets: rfc9068,
# jwt, oidc-id-token (a plain decode_jwt with the client_id as the audience: no ID-token
# validator).
# Not configurable: Crypt::JWT reads time() (no clock injection: clock vectors are skipped), has
# no typ check (no verify_typ in 0.034; typ null needs nothing), no size limit, and can require
# only iss, sub, aud, jti, exp, nbf and iat: not client_id nor any other claim; it checks no azp
# and no nonce. Every Crypt::JWT error is a croak starting "JWT: ", "JWS: " or "JWE: "; any other
# die (CryptX, JSON::PP, Perl itself) is still a rejection (Crypt::JWT failed closed), its text
# prefixed "unexpected ". The claims of an acceptance are decode_jwt's return value, as is: the
# hello says so ("claims": true) and the runner compares them.

use strict;
use warnings;

BEGIN { $ENV{PERL_JSON_BACKEND} = 'JSON::XS' }

use FindBin ();
use lib "$FindBin::Bin/../perl";

use Crypt::JWT qw(decode_jwt);
use JwtConformanceAdapter qw(serve alg_reason missing_claim_reason required_claims);

# Crypt::JWT croak text -> catalog reason ID, when unambiguous.
my @REASONS = (
  [qr/\AJWS: invalid signature\b/ => 'signature_invalid'],
  [qr/\AJWS: invalid sig part\b/ => 'signature_invalid'],
  [qr/\AJWS: kid_keys lookup failed\b/ => 'kid_unknown'],
  [qr/\AJWS: invalid header part\b/ => 'header_unparseable'],
  [qr/\AJWS: invalid payload part\b/ => 'payload_unparseable'],
  [qr/\AJWT: payload not a valid JSON\b/ => 'payload_unparseable'],
  [qr/\AJWT: cannot check verify_\w+ \(payload not decoded JSON\/HASH\)/ => 'payload_unparseable'],
  [qr/\AJWT: exp claim check failed\b/ => 'expired'],
  [qr/\AJWT: nbf claim check failed\b/ => 'not_yet_valid'],
  [qr/\AJWT: iat claim check failed\b/ => 'iat_future'],
  [qr/\AJWT: iss claim scalar check failed\b/ => 'iss_mismatch'],
  [qr/\AJWT: aud claim code check failed\b/ => 'aud_mismatch'],
);

sub verify {
  my ($req) = @_;
  my $p = $req->profile;
  my %required = map { $_ => 1 } required_claims($p);
  my $present = sub { 1 };
  my @audiences = ($p->{preset} // '') eq 'oidc-id-token' ? ($p->{client_id}) : @{ $p->{audiences} || [] };
  my %audiences = map { $_ => 1 } @audiences;
  my %claims;
  if (defined $p->{issuer}) {
    $claims{verify_iss} = $p->{issuer};
  } elsif ($required{iss}) {
    $claims{verify_iss} = $present;
  }
  if (@audiences) {
    $claims{verify_aud} = sub {
      my ($aud) = @_;
      return scalar grep { defined && !ref && $audiences{$_} } ref $aud eq 'ARRAY' ? @$aud : ($aud);
    };
  } elsif ($required{aud}) {
    $claims{verify_aud} = $present;
  }
  $claims{verify_sub} = $present if $required{sub};
  $claims{verify_jti} = $present if $required{jti};
  $claims{"verify_$_"} = $required{$_} ? 1 : undef for qw(exp nbf iat);
  return decode_jwt(
    token => $req->token,
    kid_keys => $req->jwks_bytes,
    accepted_alg => $p->{algorithms},
    %claims,
    leeway => $p->{leeway_secs} // 0,
    decode_payload => 1,
    ignore_signature => 0,
    ignore_claims => 0,
  );
}

sub reason {
  my ($error, $req) = @_;
  my $text = "$error";
  return missing_claim_reason($1) if $text =~ /\AJWT: (\w+) claim required but missing/;
  if ($text =~ /\AJWS: (?:missing header 'alg'|alg 'none' not allowed|alg '.*' not (?:in )?accepted_alg)/s) {
    # Crypt::JWT's own header parse, signature and claims left aside, for the label only.
    my ($header) = decode_jwt(token => $req->token, ignore_signature => 1, ignore_claims => 1,
      decode_payload => 0, decode_header => 1);
    return alg_reason(ref $header eq 'HASH' ? $header->{alg} : undef);
  }
  for my $row (@REASONS) {
    return $row->[1] if $text =~ $row->[0];
  }
  return undef;
}

exit serve(
  name => 'crypt-jwt', library => 'Crypt::JWT (Perl)', version => $Crypt::JWT::VERSION,
  features => ['jwks_parsing'], claims => 1,
  algorithms => [qw(ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512 EdDSA HS256 HS384 HS512)],
  presets => [qw(rfc9068 jwt oidc-id-token)],
  verify => \&verify, reason => \&reason, errors => qr/\AJW[TSE]: /,
  notes => [
    "decode_jwt with kid_keys = the key set's bytes (parsed and looked up by kid at decode, EC/RSA/OKP/oct; a "
      . 'kid-less token is refused under every preset), accepted_alg = profile algorithms, leeway 0, decode_payload = 1',
    'claims from the profile: verify_iss = issuer (exact) or presence, verify_aud = code ref (aud names a profile '
      . 'audience; oidc-id-token: the client_id) or presence, verify_sub/verify_jti = presence when required, '
      . 'verify_exp/nbf/iat = 1 when required, else checked when present',
    'no clock injection (time()): clock vectors skipped; no typ check; no size limit; cannot require client_id or '
      . 'any claim but iss/sub/aud/jti/exp/nbf/iat; no azp or nonce check (no ID-token validator); '
      . 'JSON backend pinned to JSON::XS',
  ],
);
