#!/usr/bin/env perl
# Finding: Crypt::JWT 0.034 verifies an ES256 token with a P-384 key. When both ES256 and ES384
# are allowed, the token's kid selects an EC key of curve P-384, and decode_jwt checks only that
# the key type (EC) fits the alg family (_kid_lookup: kty EC for alg ES*); _verify_jws then
# verifies an ECDSA signature over SHA-256 with whatever curve the key has
# (Crypt::PK::ECC::verify_message_rfc7518). No option of decode_jwt binds a curve to an alg.
#
# RFC 7518 §3.4: ES256 is "ECDSA using P-256 and SHA-256"; RFC 8725 §3.1: "each key MUST be
# used with exactly one algorithm, and this MUST be checked when the cryptographic operation is
# performed". A P-384 key published for ES384 verifies here a signature under another algorithm
# (ES256: P-384 with SHA-256), which the key's owner never agreed to.
#
# Reproduces: ecdsa/es256-signed-by-p384-key (forgery)
#
# Run: perl adapters/crypt-jwt/repro.pl   (Debian's libcrypt-jwt-perl and libjson-xs-perl; no
# network). Configured exactly as adapters/crypt-jwt/adapter.pl for this vector's profile
# (rfc9068, algorithms ES256 and ES384); the vector's now is 1700000000, and the token is valid
# from 2001 to 2100, so the system clock (Crypt::JWT has no clock injection) does not matter.

use strict;
use warnings;

BEGIN { $ENV{PERL_JSON_BACKEND} = 'JSON::XS' }

use Crypt::JWT qw(decode_jwt);

my $id = 'ecdsa/es256-signed-by-p384-key';
my $token = 'eyJhbGciOiJFUzI1NiIsImtpZCI6InAzODQiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2l'
  . 'kIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0a'
  . 'SI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.N30x3JTCnci3wqaq4oLiNFeCpUTyiKqd5Z-XiC50OdAp'
  . 'pf5Tm56D0KcHd45470xYdPimEN-t-nlkRYVRJmhaP0IVHn25qq4hWYWaf9IZOkc_pw-KO3OktxWh8yTubw4u';
my $jwks = '{"keys":[{"crv":"P-384","kid":"p384","kty":"EC","use":"sig","x":"L7sEUkkF-LfDYiaMeKV6kzFD7oBQ0ti2LVUPxjhIz_-4-'
  . 'bQHzRPIfnR2RA8o0x5k","y":"Mz9ugU5C1rbjCMja3boHI2sceo1S0gTT7GM0IJrxqMsC41GAv2t44bbOw4ocU9Al"}]}';
my $issuer = 'https://issuer.example';
my %audiences = ('https://api.example' => 1);
my $present = sub { 1 };

my ($header, $claims) = eval {
  decode_jwt(
    token => $token,
    kid_keys => $jwks,
    accepted_alg => ['ES256', 'ES384'],
    verify_iss => $issuer,
    verify_aud => sub {
      my ($aud) = @_;
      return scalar grep { defined && !ref && $audiences{$_} } ref $aud eq 'ARRAY' ? @$aud : ($aud);
    },
    verify_sub => $present,
    verify_jti => $present,
    verify_exp => 1,
    verify_nbf => undef,
    verify_iat => 1,
    leeway => 0,
    decode_payload => 1,
    ignore_signature => 0,
    ignore_claims => 0,
    decode_header => 1,    # the adapter does not ask for the header; shown here for the alg
  );
};
if (!$claims) {
  my $error = $@ || 'no claims';
  $error =~ s/\s+\z//;
  print "NOT REPRODUCED $id: Crypt::JWT $Crypt::JWT::VERSION rejected the token ($error)\n";
  exit 1;
}
print "REPRODUCED $id: Crypt::JWT $Crypt::JWT::VERSION accepted alg $header->{alg} verified with the P-384 key"
  . " '$header->{kid}' and returned its claims (sub $claims->{sub})\n";
exit 0;
