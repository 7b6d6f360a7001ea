#!/usr/bin/env perl
# The shared protocol fixture (adapters/fixtures/protocol.json) against this helper: the hello,
# request decoding, broken and garbled lines, the reason tables and the response of each
# outcome. conformance/tests/helper_fixture.rs holds the fixture to the runner; see its README.md.
# Run: prove adapters/perl/t
use strict;
use warnings;

use FindBin ();
use lib "$FindBin::Bin/..";

use Encode ();
use File::Temp ();
use JSON ();
use Test::More;

use JwtConformanceAdapter qw(:all);

my $json = JSON->new->utf8;
my $fixture = do {
  open(my $fh, '<', "$FindBin::Bin/../../fixtures/protocol.json") or die "fixture: $!";
  local $/;
  $json->decode(<$fh>);
};
my %requests = map { $_->{name} => $_ } @{ $fixture->{requests} };

# Serves the lines; returns (status, hello, [responses]).
sub run_serve {
  my ($lines, $verify) = @_;
  my $input = File::Temp->new;
  binmode $input;
  print {$input} map { Encode::encode('UTF-8', $_) . "\n" } @$lines;
  close $input;
  open(my $in, '<', $input->filename) or die $!;
  my ($out_text, $log_text) = ('', '');
  open(my $out, '>', \$out_text) or die $!;
  open(my $log, '>', \$log_text) or die $!;
  my $given = $fixture->{hello}{given};
  my $status = serve(%$given, verify => $verify, input => $in, output => $out, log => $log);
  close $out;
  my ($hello, @responses) = map { $json->decode($_) } split /\n/, $out_text;
  return ($status, $hello, \@responses);
}

# The request as this helper decoded it, in the fixture's terms.
sub decoded {
  my ($req) = @_;
  my %fields = (id => $req->id, step => $req->step, version => $req->version,
    token_hex => unpack('H*', $req->token), token_text => $req->token_text);
  if (exists $req->raw->{jwks_base64}) {
    $fields{jwks_hex} = unpack('H*', $req->jwks_bytes);
  }
  else {
    $fields{jwks_json} = $json->decode($req->jwks_bytes);
  }
  return { %fields, jwks => $req->jwks, profile => $req->profile, now => $req->now,
    actions => $req->actions, features => $req->features, timeout_ms => $req->timeout_ms,
    key_fetch => $req->raw->{key_fetch} };
}

# A verify that gives the fixture's answer through the helper's explicit outcomes.
sub answering {
  my ($answer) = @_;
  return sub {
    my $kind = $answer->{outcome};
    return $answer->{claims} if $kind eq 'accept';
    die reject($answer->{error}, $answer->{reason}) if $kind eq 'reject';
    die config_error($answer->{error}, $answer->{code}) if $kind eq 'config_error';
    die skip($answer->{why}) if $kind eq 'skipped';
    BAIL_OUT("unknown answer $kind");
  };
}

subtest hello => sub {
  my ($status, $hello, $responses) = run_serve([], \&decoded);
  is $status, 0, 'end of input';
  is_deeply $hello, $fixture->{hello}{hello}, 'the hello';
  is_deeply $responses, [], 'no answers';
};

subtest 'requests decode as the runner means them' => sub {
  for my $c (@{ $fixture->{requests} }) {
    my ($status, undef, $responses) = run_serve([$c->{line}], \&decoded);
    is $status, 0, "$c->{name}: status";
    is_deeply $responses, [{ id => $c->{decoded}{id}, step => $c->{decoded}{step}, outcome => 'accept',
      claims => $c->{decoded} }], "$c->{name}: decoded";
  }
};

subtest 'broken requests are adapter errors' => sub {
  for my $c (@{ $fixture->{bad_requests} }) {
    my ($status, undef, $responses) = run_serve([$c->{line}, $requests{plain}{line}], \&decoded);
    is $status, 0, "$c->{name}: the loop goes on";
    is scalar @$responses, 2, "$c->{name}: both answered";
    my $error = delete $responses->[0]{error};
    ok defined $error && !ref $error, "$c->{name}: an error text";
    is_deeply $responses->[0], $c->{response}, "$c->{name}: adapter_error";
  }
};

subtest 'garbled lines end serving' => sub {
  for my $c (@{ $fixture->{garbled_lines} }) {
    my ($status, undef, $responses) = run_serve([$c->{line}, $requests{plain}{line}], \&decoded);
    is $status, 1, "$c->{name}: status 1";
    is_deeply $responses, [], "$c->{name}: no answer";
  }
};

subtest 'alg reasons' => sub {
  my $table = $fixture->{alg_reasons};
  is alg_reason($_), $table->{$_}, "alg '$_'" for sort keys %$table;
  my $others = $fixture->{alg_not_a_string};
  is alg_reason($_), $others->{reason}, 'alg ' . $json->allow_nonref->encode($_) for @{ $others->{values} };
};

subtest 'claim tables' => sub {
  is_deeply \@JwtConformanceAdapter::REQUIRED_CLAIMS, $fixture->{required_claims}, 'required claims';
  is_deeply \%JwtConformanceAdapter::MISSING_CLAIM_REASONS, $fixture->{missing_claim_reasons}, 'the table';
  my $table = $fixture->{missing_claim_reasons};
  is missing_claim_reason($_), $table->{$_}, "missing $_" for sort keys %$table;
  is missing_claim_reason($_), undef, "other '$_'" for @{ $fixture->{other_claims} };
};

subtest 'required claims by profile' => sub {
  for my $c (@{ $fixture->{required_claims_by_profile} or die "no required_claims_by_profile\n" }) {
    is_deeply [sort(required_claims($c->{profile}))], [sort @{ $c->{required} }], $c->{about};
  }
};

subtest responses => sub {
  for my $c (@{ $fixture->{responses} }) {
    my ($status, undef, $responses) = run_serve([$requests{ $c->{request} }{line}], answering($c->{answer}));
    is $status, 0, "$c->{name}: status";
    is_deeply $responses, [$c->{response}], "$c->{name}: the line";
  }
};

done_testing;
