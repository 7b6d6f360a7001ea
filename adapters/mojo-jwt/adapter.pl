#!/usr/bin/env perl
# jwt-conformance subprocess adapter for Mojo::JWT (Perl), protocol version 3 (docs/adapters.md).
#
# One process serves a whole run; the helper adapters/perl/JwtConformanceAdapter.pm runs the
# protocol: it prints a hello line, then answers one JSON line per request line on stdin until
# stdin closes. Mojo::JWT (Debian's libmojo-jwt-perl 0.09, on Mojolicious and
# Crypt::OpenSSL::RSA) is configured as strictly as its API allows and nothing is checked here:
# every verdict is Mojo::JWT's.
#
# Configuration: the key set's exact bytes (jwks_base64) parsed with Mojo::JSON::decode_json (the
# library's own JSON; a refusal is a config error) and given to add_jwkset, Mojo::JWT's own JWK
# Set support (a "keys" member that is not an array is a config error); a fresh Mojo::JWT per
# request, no secret or public key besides (so no key but the set's can verify); allow_none off
# (its default). decode($token) picks the JWK whose kid equals the token's kid (_try_jwks): for an
# RS* alg it builds the RSA key from the JWK's n and e, for HS* the secret from its k, whatever
# the JWK's kty; a token without kid, or whose kid is not in the set, has no key (Mojo::JWT
# refuses it: "public key not specified" / "symmetric secret not specified"), under every
# preset. The clock: now() is Mojo::JWT's documented method for the current time, overridden in
# a subclass to return the request's now (clock injection through the library's own seam).
# Mojo::JWT checks a present exp (expired when now > exp) and nbf, and nothing else.
# The algorithm cannot be pinned: decode() resets the `algorithm` attribute and takes the alg
# from the token's header (the attribute is the encoding algorithm, or the one the last decode
# saw; it is no allowlist), so the profile's algorithms have nowhere to go and the token's own
# alg is used, as the API forces: the library's verdict on algorithm vectors is scored as is.
# Algorithms: RS256/384/512 and HS256/384/512, all Mojo::JWT verifies; left out: ES*, PS*,
# EdDSA ("Unsupported signing algorithm"). Presets: rfc9068, jwt and oidc-id-token, each as a
# signature, exp and nbf check only.
# Not configurable: no algorithm allowlist; no iss, aud, sub, client_id, jti, iat, azp, nonce or
# typ check (typ is deleted from the header unread), no required claims (a missing exp is
# accepted), no size limit; a kid-less token is never verified. Mojo::JWT's own croaks are its
# errors; any other die (Mojo::JSON, Crypt::OpenSSL::RSA, Perl itself) is still a rejection
# (Mojo::JWT failed closed), its text prefixed "unexpected ". The claims of an acceptance are
# decode's return value, as is: the hello says so ("claims": true).

use strict;
use warnings;

use FindBin ();
use lib "$FindBin::Bin/../perl";

use Mojo::JWT ();
use Mojo::JSON ();
use JwtConformanceAdapter qw(serve alg_reason);

# Mojo::JWT with the clock set per request: now() is the library's own time source.
package MojoJwtAt {
  use Mojo::Base 'Mojo::JWT';
  has 'at';
  sub now { $_[0]->at }
}

# Mojo::JWT croak text -> catalog reason ID, when unambiguous.
my @REASONS = (
  [qr/\AAlgorithm "none" is prohibited/ => 'alg_none'],
  [qr/\AFailed (?:RS|HS) validation/ => 'signature_invalid'],
  [qr/\AJWT has expired/ => 'expired'],
  [qr/\AJWT is not yet valid/ => 'not_yet_valid'],
);

# Mojo::JWT's own croaks (Carp), by their texts in Mojo/JWT.pm 0.09.
my @MOJO_ERRORS = (
  'Required header field "alg" not specified', 'Algorithm "none" is prohibited', 'Failed RS validation',
  'Failed HS validation', 'Unsupported signing algorithm', 'Unsupported HS signing algorithm',
  'Unsupported RS verification algorithm', 'JWT has expired', 'JWT is not yet valid', 'public key not specified',
  'symmetric secret not specified',
);
my $ERRORS = do { my $any = join '|', map { quotemeta } @MOJO_ERRORS; qr/\A(?:$any)/ };

sub keys_of {
  my ($req) = @_;
  my $set = Mojo::JSON::decode_json($req->jwks_bytes);
  my $jwt = MojoJwtAt->new;
  $jwt->add_jwkset($set);
  return $jwt->jwks;
}

sub verify {
  my ($req, $jwks) = @_;
  my $jwt = MojoJwtAt->new(at => $req->now, jwks => [@$jwks], allow_none => 0);
  return $jwt->decode($req->token);
}

sub reason {
  my ($error, $req) = @_;
  my $text = "$error";
  if ($text =~ /\AUnsupported signing algorithm/) {
    # decode() stored the header's alg in the object before refusing it; read it back.
    my $jwt = MojoJwtAt->new(at => $req->now);
    eval { $jwt->decode($req->token) };
    return alg_reason($jwt->algorithm);
  }
  for my $row (@REASONS) {
    return $row->[1] if $text =~ $row->[0];
  }
  return undef;
}

exit serve(
  name => 'mojo-jwt', library => 'Mojo::JWT (Perl)', version => "$Mojo::JWT::VERSION",
  features => ['jwks_parsing', 'clock'], claims => 1,
  algorithms => [qw(RS256 RS384 RS512 HS256 HS384 HS512)],
  presets => [qw(rfc9068 jwt oidc-id-token)],
  keys => \&keys_of, verify => \&verify, reason => \&reason, errors => $ERRORS,
  notes => [
    "Mojo::JSON::decode_json of the key set's bytes, add_jwkset (the JWK is picked by the token's kid: RSA n/e "
      . 'for RS*, k for HS*, whatever its kty; a kid-less token has no key, under every preset); allow_none off; '
      . "now() overridden in a subclass to the request's time",
    'no algorithm pinning: decode() takes the alg from the token header (the algorithm attribute is no allowlist), '
      . 'so the profile algorithms cannot be configured; ES*, PS*, EdDSA unsupported by Mojo::JWT 0.09',
    'checks the signature, a present exp and nbf only, under every preset: no iss/aud/sub/client_id/jti/iat/azp/'
      . 'nonce validation, no required claims, no typ check, no size limit',
  ],
);
