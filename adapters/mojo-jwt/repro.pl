#!/usr/bin/env perl
# Finding: Mojo::JWT 0.09 verifies a token with whatever algorithm its header names: a genuine
# RS384 token is accepted where only RS256 is allowed. decode() resets the `algorithm`
# attribute and sets it from the header's alg (Mojo/JWT.pm: $self->algorithm(delete
# $header->{alg})); the attribute is the encoding algorithm, or the one the last decode saw, and
# Mojo::JWT has no allowlist at all, so the caller's algorithm set cannot be configured. (Setting
# `algorithm` before decode changes nothing: decode overwrites it.)
#
# RFC 8725 §3.1: "Libraries MUST enable the caller to specify a supported set of algorithms and
# MUST NOT use any other algorithms when performing cryptographic operations." Without a pin,
# the token picks its own algorithm: with an oct key in the set, an HS* token is verified with
# it; with RSA keys, any RS* hash.
#
# Reproduces: allowlist/rs384-not-in-rs256 (forgery)
#
# Run: perl adapters/mojo-jwt/repro.pl   (Debian's libmojo-jwt-perl; no network). Configured
# exactly as adapters/mojo-jwt/adapter.pl (the vector's profile allows only RS256; there is
# nowhere to say so): the key set through add_jwkset, allow_none off, the clock at the vector's
# now (1700000000).

use strict;
use warnings;

use Mojo::JWT ();
use Mojo::JSON ();

# As the adapter: Mojo::JWT with its now() set to the vector's time.
package MojoJwtAt {
  use Mojo::Base 'Mojo::JWT';
  has 'at';
  sub now { $_[0]->at }
}

my $id = 'allowlist/rs384-not-in-rs256';
my $token = 'eyJhbGciOiJSUzM4NCIsImtpZCI6InJzYS0yMDQ4IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW'
  . '50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIs'
  . 'Imp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.xVUYJ-XRfA2VsOqQQrPeqh1MQQG2I48aQd1_J_I'
  . 'wmxfBZt6XU770RnbMPFoECxqE9aVLbBZpFJZ23STP3r--tGUbBXClU3nYu1w_j6xbbBxpsVkkECVe-DqQ27jCkVRkymL1GXIFJI9pMGhNuqrGX'
  . 'dGh4mdTNQ4LmByDREhZa-mlUWvxmTcRlwwLwKO_d2VY9MPhNV3VpIstSrGQPp-8YpFiY74MP37lR6Aab0Txka01mBQe09zzWBKLcIDP2B46WwD'
  . 'VHQ09-7O8OtU5PmWfZt-SIh5tPLDLTt8wN40CuUVqUEBjK2BsZPN6Ys5xXANR_bF9sqjl0mnzUB0dBmOK0w';
my $jwks = '{"keys":[{"e":"AQAB","kid":"rsa-2048","kty":"RSA","n":"2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2MCK5rhVWol'
  . 'MqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO70MzX4SIKrJYX8EBa'
  . 'cimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIReOYM9IPuUFv7qIF5k6OfGoIQI6a3aQ'
  . 'aOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw","use":"sig"}]}';

my $jwt = MojoJwtAt->new(at => 1700000000, allow_none => 0);
$jwt->add_jwkset(Mojo::JSON::decode_json($jwks));
my $claims = eval { $jwt->decode($token) };
if (!$claims) {
  my $error = $@ || 'no claims';
  $error =~ s/\s+\z//;
  print "NOT REPRODUCED $id: Mojo::JWT $Mojo::JWT::VERSION rejected the token ($error)\n";
  exit 1;
}
print "REPRODUCED $id: Mojo::JWT $Mojo::JWT::VERSION accepted alg @{[ $jwt->algorithm ]} where only RS256 is allowed (no algorithm allowlist) (sub $claims->{sub})\n";
exit 0;
