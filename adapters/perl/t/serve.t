#!/usr/bin/env perl
# Tests of the Perl protocol helper's behaviour: prove adapters/perl/t (or perl
# adapters/perl/t/serve.t); no network. What every helper shares (decoding, tables, responses) is
# in fixture.t, from adapters/fixtures/protocol.json.
use strict;
use warnings;

use FindBin ();
use lib "$FindBin::Bin/..";

use File::Temp ();
use JSON ();
use MIME::Base64 ();
use Test::More;

use JwtConformanceAdapter qw(:all);

my $json = JSON->new->utf8->canonical;

sub request {
  my ($id, $token, %extra) = @_;
  my $jwks = delete $extra{jwks} || { keys => [] };
  return $json->encode({ version => 2, type => 'verify', id => $id, step => 0,
    token_b64 => MIME::Base64::encode_base64($token, ''),
    jwks_base64 => MIME::Base64::encode_base64($json->encode($jwks), ''), jwks => $jwks,
    profile => { issuer => 'https://issuer.example', algorithms => ['ES256'] },
    now => 1700000000, actions => [], features => [], timeout_ms => 1000, %extra });
}

# Runs serve on these input lines; returns (status, [messages], log text).
sub run_serve {
  my ($lines, %options) = @_;
  my $input = File::Temp->new;
  binmode $input;
  print {$input} join("\n", @$lines);
  close $input;
  open(my $in, '<', $input->filename) or die $!;
  my ($out_text, $log_text) = ('', '');
  open(my $out, '>', \$out_text) or die $!;
  open(my $log, '>', \$log_text) or die $!;
  my $status = serve(name => 'test', library => 'test (Perl)', version => '1.0',
    input => $in, output => $out, log => $log, %options);
  close $out;
  close $log;
  my @messages = map { JSON->new->utf8->decode($_) } split /\n/, $out_text;
  return ($status, \@messages, $log_text);
}

sub verify {
  my ($req) = @_;
  my $t = $req->token;
  return { sub => 'x', n => 1 } if $t eq 'good';
  die "LIB: bad signature\n" if $t eq 'lib';
  die "Not a HASH reference at /x.pm line 3.\n" if $t eq 'other';
  return { exp => 9**9**9 } if $t eq 'inf';
  return { exp => 1.7976931348623157e308 } if $t eq 'maxdouble';
  return { s => "\x{D800}" } if $t eq 'surrogate';
  die "LIB: kid \xff\xfe at /x.pm line 9.\n" if $t eq 'bytes';
  die skip('not expressible') if $t eq 'skip';
  die reject('no', 'kid_unknown') if $t eq 'explicit';
  die "LIB: unknown\n";
}

subtest 'hello and outcomes' => sub {
  my $keys = sub {
    my ($req) = @_;
    my $set = $req->jwks_json;
    die "bad key set\n" unless $set->{keys};
    return $set;
  };
  my $reason = sub { $_[0] =~ /bad signature/ ? 'signature_invalid' : die "boom\n" };
  my ($status, $msgs) = run_serve(
    [request(a => 'good'), '', request(b => 'lib'), request(c => 'other'), request(d => 'inf'),
      request(e => 'bytes'), request(f => 'skip'), request(g => 'explicit'), request(h => 'good', jwks => {}),
      request(i => 'surrogate'), request(j => "\xff"), request(k => 'maxdouble')],
    verify => \&verify, keys => $keys, reason => $reason, errors => qr/\ALIB: /,
    features => ['jwks_parsing'], claims => 1, notes => ['n']);
  is $status, 0, 'end of input';
  my $hello = shift @$msgs;
  is_deeply $hello, { protocol => 'jwt-conformance-adapter', version => 2, name => 'test',
    library => 'test (Perl)', library_version => '1.0', features => ['jwks_parsing'],
    exact => JSON::false, claims => JSON::true, notes => ['n'] }, 'hello';
  is_deeply [map { $_->{id} } @$msgs], [qw(a b c d e f g h i j k)], 'one answer per request, in order';
  my %by = map { $_->{id} => $_ } @$msgs;
  is_deeply $by{a}, { id => 'a', step => 0, outcome => 'accept', claims => { sub => 'x', n => 1 } }, 'accept';
  is_deeply $by{b}, { id => 'b', step => 0, outcome => 'reject', error => 'LIB: bad signature',
    reason => 'signature_invalid' }, 'reject with reason';
  is_deeply $by{c}, { id => 'c', step => 0, outcome => 'reject', error => 'unexpected Not a HASH reference',
    reason => undef }, 'not the library error: unexpected';
  is $by{d}{claims}, undef, 'Inf claims are null';
  like $by{d}{claims_note}, qr/not finite/, 'with a note';
  is $by{e}{error}, "LIB: kid \x{FFFD}\x{FFFD}", 'bytes that are not UTF-8 are replaced, location stripped';
  is $by{e}{reason}, undef, 'a dying reason sub is undef';
  is_deeply $by{f}, { id => 'f', step => 0, outcome => 'skipped', why => 'not expressible' }, 'skip';
  is_deeply $by{g}, { id => 'g', step => 0, outcome => 'reject', error => 'no', reason => 'kid_unknown' }, 'explicit';
  is_deeply $by{h}, { id => 'h', step => 0, outcome => 'config_error', error => 'bad key set', code => undef },
    'keys dies: config_error';
  is $by{i}{claims}, undef, 'a surrogate in claims: null';
  is $by{j}{outcome}, 'reject', 'a token that is not UTF-8 reaches verify';
  is $by{k}{claims}, undef, 'the largest double, which the encoder prints out of range: null';
  like $by{k}{claims_note}, qr/overflows a double/, 'with a note';
};

subtest 'request members' => sub {
  my $seen;
  run_serve([request(a => "x\xffy")], verify => sub { $seen = shift; {} });
  is $seen->token, "x\xffy", 'token bytes';
  is $seen->token_text, undef, 'not UTF-8: no text';
  is $seen->jwks_bytes, '{"keys":[]}', 'key set bytes';
  is_deeply $seen->jwks, { keys => [] }, 'key set parsed';
  is $seen->now, 1700000000, 'now';
  is_deeply $seen->profile->{algorithms}, ['ES256'], 'profile';
};

subtest 'a broken request is an adapter_error' => sub {
  my ($status, $msgs) = run_serve([$json->encode({ id => 'a', step => 0 }),
    $json->encode({ id => 'b', step => 1, type => 'x' })], verify => sub { {} });
  is $status, 0, 'the loop goes on';
  is_deeply [map { [$_->{id}, $_->{step}, $_->{outcome}] } @$msgs[1, 2]],
    [['a', 0, 'adapter_error'], ['b', 1, 'adapter_error']], 'both answered';
};

subtest 'hello of version 3' => sub {
  my (undef, $msgs) = run_serve([], verify => \&verify, algorithms => [qw(ES256 RS256)], presets => [qw(rfc9068 jwt)]);
  is_deeply [@{ $msgs->[0] }{qw(version algorithms presets)}], [3, [qw(ES256 RS256)], [qw(rfc9068 jwt)]], 'both';
  (undef, $msgs) = run_serve([], verify => \&verify, presets => ['jwt']);
  is_deeply [@{ $msgs->[0] }{qw(version algorithms presets)}], [3, ['ES256'], ['jwt']], 'algorithms default';
  (undef, $msgs) = run_serve([], verify => \&verify);
  is_deeply [$msgs->[0]{version}, exists $msgs->[0]{algorithms}], [2, ''], 'version 2 without them';
};

subtest 'garbled and long lines end the loop' => sub {
  for my $case (['not json', qr/not JSON/], [$json->encode({ id => 1, step => 0 }), qr/no string id/],
    [$json->encode({ id => 'a', step => '0' }), qr/no string id/], ["\xff", qr/not JSON/],
    ['x' x 100, qr/longer than 50 bytes/]) {
    my ($status, $msgs, $log) = run_serve([$case->[0], request(a => 'good')], verify => sub { {} },
      max_line_bytes => 50);
    is $status, 1, 'status 1';
    is scalar @$msgs, 1, 'the hello only';
    like $log, $case->[1], 'reported';
  }
};

done_testing;
