#!/usr/bin/env perl
# Finding: Crypt::JWT 0.034 accepts a JWS whose protected header marks an extension it does
# not understand as critical ("crit": ["http://example.com/ext"]). decode_jwt never reads
# "crit": the header is only consulted for alg, kid and zip, so the token verifies and its
# claims are returned.
#
# RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood and
# supported by the recipient, then the JWS is invalid. ... This Header Parameter MUST be
# understood and processed by implementations." A signer uses crit to say "do not accept this
# unless you apply the extension"; a verifier that ignores it accepts tokens under rules their
# issuer did not intend (the attack of CVE-2026-32597, cited by the vector).
#
# Reproduces: header/crit-unknown-extension (policy-bypass)
#
# Run: perl adapters/crypt-jwt/repro.pl   (Debian's libcrypt-jwt-perl and libjson-xs-perl; no
# network). Configured exactly as adapters/crypt-jwt/adapter.pl; the vector's now is
# 1700000000, and the token is valid from 2001 to 2100, so the system clock (Crypt::JWT has no
# clock injection) does not matter.

use strict;
use warnings;

BEGIN { $ENV{PERL_JSON_BACKEND} = 'JSON::XS' }

use Crypt::JWT qw(decode_jwt);

my $id = 'header/crit-unknown-extension';
my $token = 'eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiaHR0cDovL2V4YW1wbGUuY29tL2V4dCJdLCJodHRwOi8vZXhhbXBsZS5jb20vZXh0Ijp0cnVl'
  . 'LCJraWQiOiJwcmltYXJ5IiwidHlwIjoiYXQrand0In0.'
  . 'eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAw'
  . 'MCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.'
  . 'oYwG_a_DaEDlfjUVQm9XZqbCEiZjwR9Naj78PmgL1Okhf0UX3flJwGHQb4EnLIRilKJ6HpzMycALTB-8Xj6Kwg';
my $jwks = '{"keys":[{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig",'
  . '"x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}';
my $issuer = 'https://issuer.example';
my %audiences = ('https://api.example' => 1);

my ($header, $claims) = eval {
  decode_jwt(
    token => $token,
    kid_keys => $jwks,
    accepted_alg => ['ES256'],
    verify_iss => $issuer,
    verify_aud => sub {
      my ($aud) = @_;
      return scalar grep { defined && !ref && $audiences{$_} } ref $aud eq 'ARRAY' ? @$aud : ($aud);
    },
    verify_sub => sub { 1 },
    verify_jti => sub { 1 },
    verify_exp => 1,
    verify_iat => 1,
    leeway => 0,
    decode_payload => 1,
    ignore_signature => 0,
    ignore_claims => 0,
    decode_header => 1,    # the adapter does not ask for the header; shown here for the crit
  );
};
if (!$claims) {
  my $error = $@ || 'no claims';
  $error =~ s/\s+\z//;
  print "NOT REPRODUCED $id: Crypt::JWT $Crypt::JWT::VERSION rejected the token ($error)\n";
  exit 1;
}
print "REPRODUCED $id: Crypt::JWT $Crypt::JWT::VERSION accepted a token with crit [\"$header->{crit}[0]\"]"
  . " and returned its claims (sub $claims->{sub})\n";
exit 0;
