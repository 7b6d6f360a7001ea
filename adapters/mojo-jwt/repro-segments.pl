#!/usr/bin/env perl
# Finding: Mojo::JWT 0.09 accepts a token of four segments (a valid RS256 token with its
# signature segment repeated after another dot), and of five. decode() splits the token on dots
# and keeps the first three parts (my ($hstring, $cstring, $signature) = split /\./, $token):
# anything after the third is dropped unread; no option of Mojo::JWT counts the segments.
#
# RFC 7515 §7.1 and §5.2: a JWS Compact Serialization is exactly three base64url parts joined
# by two dots; anything else is not a JWS and MUST be rejected (a five-part token is a JWE, RFC
# 7516 §9). Accepting appended data lets a token carry content the signature does not cover,
# and lets one signed token be presented in many forms (blocklists, caches keyed on the token).
#
# Reproduces: across/rs256-segments-4 (forgery)
#
# Run: perl adapters/mojo-jwt/repro-segments.pl   (Debian's libmojo-jwt-perl; no network).
# Configured exactly as adapters/mojo-jwt/adapter.pl: the key set through add_jwkset,
# allow_none off, the clock at the vector's now (1700000000).

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

my $id = 'across/rs256-segments-4';
my $token = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0yMDQ4IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW'
  . '50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIs'
  . 'Imp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.nmMnDCEOMnK43424LWiTFExz-ydD20BPZckyH3s'
  . 'dO8Yz3bOo59HZjAKUZhvT4zbj69EHmzpGszfausf8XPYna6BphhCVY7Ngx-bg1ejBnMPVuRFJjovOAVaz8kd1VaaK-y9G9mZCnx-BWKadTnyeU'
  . 'mplhvWPjj5sjBUUHP7w5FzFB1frQcZ657BN7P0eLdQVB_Zwy7_krdelW3OpRLIWlgMmWOgbMOLhq-QZdwBmgm9aW0gg5-_UqWpuRx-1ZnHJHB_'
  . 'XjLxWyCCsnGB7x2omsxak-3nc1AFqwswxUeYMGvzTbOFrtXUzQ15vTur4rGwbg4lFKPfIqHnmHr2g3J5cMg.nmMnDCEOMnK43424LWiTFExz-y'
  . 'dD20BPZckyH3sdO8Yz3bOo59HZjAKUZhvT4zbj69EHmzpGszfausf8XPYna6BphhCVY7Ngx-bg1ejBnMPVuRFJjovOAVaz8kd1VaaK-y9G9mZC'
  . 'nx-BWKadTnyeUmplhvWPjj5sjBUUHP7w5FzFB1frQcZ657BN7P0eLdQVB_Zwy7_krdelW3OpRLIWlgMmWOgbMOLhq-QZdwBmgm9aW0gg5-_UqW'
  . 'puRx-1ZnHJHB_XjLxWyCCsnGB7x2omsxak-3nc1AFqwswxUeYMGvzTbOFrtXUzQ15vTur4rGwbg4lFKPfIqHnmHr2g3J5cMg';
my $jwks = '{"keys":[{"alg":"RS256","e":"AQAB","kid":"rsa-2048","kty":"RSA","n":"2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isU'
  . 'vPG2MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO70M'
  . 'zX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIReOYM9IPuUFv7qIF5'
  . 'k6OfGoIQI6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw","use":"sig"}]}';

my $jwt = MojoJwtAt->new(at => 1700000000, allow_none => 0);
$jwt->add_jwkset(Mojo::JSON::decode_json($jwks));
my $claims = eval { $jwt->decode($token) };
if (!$claims) {
  my $error = $@ || 'no claims';
  $error =~ s/\s+\z//;
  print "NOT REPRODUCED $id: Mojo::JWT $Mojo::JWT::VERSION rejected the token ($error)\n";
  exit 1;
}
print "REPRODUCED $id: Mojo::JWT $Mojo::JWT::VERSION accepted a token of 4 segments, the 4th ignored (sub $claims->{sub})\n";
exit 0;
