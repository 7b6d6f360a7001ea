package JwtConformanceAdapter;

# Helper for jwt-conformance subprocess adapters written in Perl (protocol version 2).
#
# The jwt-conformance runner talks to an adapter process in JSON lines over stdin/stdout
# (docs/adapters.md, "The subprocess protocol"). `serve` runs that loop: it prints the hello,
# reads one request per line, calls the adapter's code refs and writes one response per request,
# in order. An adapter is then only three subs:
#
# - keys => sub { my ($req) = @_; ... }: load the key set with the library (a die is a
#   config_error);
# - verify => sub { my ($req, $key_set) = @_; ... }: verify $req->token; return the claims to
#   accept, die to reject;
# - reason => sub { my ($error, $req) = @_; ... } (optional): the catalog reason ID of a library
#   error, or undef.
#
# die with reject(...), skip(...) or config_error(...) from keys or verify for an explicit
# outcome. Needs JSON (Debian's libjson-perl: JSON::XS when installed, else the core JSON::PP;
# the adapter may pin one with PERL_JSON_BACKEND before loading this module) and core modules
# (MIME::Base64, Encode); Perl 5.14 or later.

use strict;
use warnings;

use B ();
use Encode ();
use Exporter 'import';
use IO::Handle ();
use JSON ();
use MIME::Base64 ();
use Scalar::Util qw(blessed reftype);

our $VERSION = '0.1.0';

our @EXPORT_OK = qw(
  PROTOCOL PROTOCOL_VERSION MAX_LINE_BYTES @REQUIRED_CLAIMS %MISSING_CLAIM_REASONS %PRESET_REQUIRED_CLAIMS
  serve reject skip config_error alg_reason missing_claim_reason required_claims error_text utf8_text
);
our %EXPORT_TAGS = (all => \@EXPORT_OK);

# The protocol name the hello carries.
use constant PROTOCOL => 'jwt-conformance-adapter';

# The protocol version this helper speaks (its hello says so, and the runner's requests follow).
use constant PROTOCOL_VERSION => 2;

# The longest request line read; a longer one ends the process (the runner restarts it). A
# request carries the token twice (text and base64), and the corpus has an 8 MiB token.
use constant MAX_LINE_BYTES => 64 * 1024 * 1024;

# The claims the rfc9068 preset requires (the default of a profile without preset or
# required_claims). Adapters call required_claims($req->profile) for a profile's own list.
our @REQUIRED_CLAIMS = qw(exp iat iss aud sub client_id jti);

# The required claims of each preset, when the profile has no required_claims member
# (docs/profile.md, "Presets").
our %PRESET_REQUIRED_CLAIMS = (
  'rfc9068' => [@REQUIRED_CLAIMS], 'jwt' => [], 'oidc-id-token' => [qw(iss sub aud exp iat)],
);

# The catalog reason ID of each required claim when it is missing (docs/reasons.md).
our %MISSING_CLAIM_REASONS = (
  exp => 'exp_missing', iat => 'iat_missing', iss => 'iss_mismatch', aud => 'aud_missing',
  sub => 'sub_missing', client_id => 'client_id_missing', jti => 'jti_missing',
);

my $JSON = JSON->new->utf8->allow_nonref;

# The catalog reason family of a header's alg value, to label an "algorithm not allowed" error:
# none (any case, a value that is not a string, or no alg) -> alg_none, HS* ->
# alg_hmac_rejected, RS*/PS* -> alg_rsa_rejected, ES256/ES384/ES512/ES256K -> alg_ecdsa_rejected,
# anything else -> alg_not_allowed. Read alg with the library's own header parser.
sub alg_reason {
  my ($alg) = @_;
  return 'alg_none' if !defined $alg || ref $alg || !_is_string($alg) || lc $alg eq 'none';
  return 'alg_hmac_rejected' if $alg =~ /\A(?:HS256|HS384|HS512)\z/;
  return 'alg_rsa_rejected' if $alg =~ /\A(?:RS256|RS384|RS512|PS256|PS384|PS512)\z/;
  return 'alg_ecdsa_rejected' if $alg =~ /\A(?:ES256|ES384|ES512|ES256K)\z/;
  return 'alg_not_allowed';
}

# The claims a profile (the request's profile hash ref) requires, as a list: its required_claims
# member when present (not null), else its preset's default (an absent preset is rfc9068: exp
# iat iss aud sub client_id jti; jwt: none; oidc-id-token: iss sub aud exp iat). Dies for a
# preset it does not know.
sub required_claims {
  my ($profile) = @_;
  $profile = {} unless ref $profile eq 'HASH';
  return @{ $profile->{required_claims} } if ref $profile->{required_claims} eq 'ARRAY';
  my $preset = defined $profile->{preset} ? $profile->{preset} : 'rfc9068';
  my $claims = $PRESET_REQUIRED_CLAIMS{$preset} or die "required_claims: unknown preset '$preset'\n";
  return @$claims;
}

# The catalog reason ID for a missing required claim, or undef for another claim.
sub missing_claim_reason {
  my ($claim) = @_;
  return defined $claim ? $MISSING_CLAIM_REASONS{$claim} : undef;
}

# Any text as a string of valid Unicode scalar values (JSON then writes it as UTF-8): a
# byte string is decoded as UTF-8 with U+FFFD for malformed bytes; surrogates and code points
# beyond U+10FFFF become U+FFFD.
sub utf8_text {
  my ($text) = @_;
  $text = defined $text ? "$text" : '';
  $text = Encode::decode('UTF-8', $text, Encode::FB_DEFAULT) unless utf8::is_utf8($text);
  { no warnings; $text =~ s/[\x{D800}-\x{DFFF}]|[^\x{0}-\x{10FFFF}]/\x{FFFD}/g; }
  return $text;
}

# How an error (a die value) is reported: its text without Perl's " at FILE line N." suffix,
# as valid Unicode.
sub error_text {
  my ($error) = @_;
  my $text = defined $error ? "$error" : 'undef';
  $text =~ s/ at \S+ line \d+(?:, <[^>]*> (?:line|chunk) \d+)?\.?\n?\z//;
  $text =~ s/\s+\z//;
  return utf8_text($text);
}

sub _text_of { my ($e) = @_; return ref $e ? error_text($e) : utf8_text($e) }

# Explicit outcomes: die with one of these from keys or verify.

# The library rejected the token: $error is its text, $reason a catalog reason ID or undef.
# The reason sub is not consulted.
sub reject {
  my ($error, $reason) = @_;
  return bless { outcome => 'reject', error => _text_of($error), reason => $reason },
    'JwtConformanceAdapter::Outcome';
}

# The case cannot be expressed with this library: the runner does not count it.
sub skip {
  my ($why) = @_;
  return bless { outcome => 'skipped', why => utf8_text($why) }, 'JwtConformanceAdapter::Outcome';
}

# The library refused the key set or the configuration: $error is its text, $code a catalog
# config-error code or undef.
sub config_error {
  my ($error, $code) = @_;
  return bless { outcome => 'config_error', error => _text_of($error), code => $code },
    'JwtConformanceAdapter::Outcome';
}

# A scalar JSON writes as a string (not as a number).
sub _is_string {
  my ($value) = @_;
  my $flags = B::svref_2object(\$value)->FLAGS;
  return !(($flags & (B::SVp_IOK | B::SVp_NOK)) && !($flags & B::SVp_POK));
}

# Why a value cannot be written as strict JSON, or undef: a non-finite number, a string with a
# surrogate (JSON refuses other objects itself).
sub _not_strict_json {
  my ($value, $depth) = @_;
  return 'nested too deeply' if $depth > 512;
  my $type = reftype $value;
  if (!defined $type) {
    return undef if !defined $value;
    if (!_is_string($value)) {
      no warnings;
      return 'a number that is not finite' if $value != $value || $value * 0 != 0;
      # The encoder prints 15 significant digits: the largest doubles round up past the range,
      # and a strict reader refuses the line.
      return 'a number whose 15-digit form overflows a double'
        if (0 + sprintf('%.15g', $value)) * 0 != 0;
      return undef;
    }
    return 'a string that is not Unicode'
      if utf8::is_utf8($value) && $value =~ /[\x{D800}-\x{DFFF}]|[^\x{0}-\x{10FFFF}]/;
    return undef;
  }
  return undef if blessed $value && $value->isa('JSON::PP::Boolean');
  if ($type eq 'HASH') {
    for my $key (keys %$value) {
      my $why = _not_strict_json($key, $depth + 1) || _not_strict_json($value->{$key}, $depth + 1);
      return $why if $why;
    }
  }
  elsif ($type eq 'ARRAY') {
    for my $item (@$value) {
      my $why = _not_strict_json($item, $depth + 1);
      return $why if $why;
    }
  }
  return undef;
}

{
  # One request: verify one step of one vector (see README.md for its accessors).
  package JwtConformanceAdapter::Request;

  sub new {
    my ($class, $raw) = @_;
    my $kind = exists $raw->{type} ? $raw->{type} : 'verify';
    die "unknown request type\n" unless defined $kind && !ref $kind && $kind eq 'verify';
    my $self = bless { raw => $raw, id => $raw->{id}, step => $raw->{step} }, $class;
    $self->{version} = exists $raw->{version} ? $raw->{version} : JwtConformanceAdapter::PROTOCOL_VERSION;
    $self->{token} = _base64($raw->{token_b64}, 'token_b64');
    my $copy = $self->{token};
    $self->{token_text} = eval { Encode::decode('UTF-8', $copy, Encode::FB_CROAK) };
    if (exists $raw->{jwks_base64}) {
      $self->{jwks_bytes} = _base64($raw->{jwks_base64}, 'jwks_base64');
      $self->{jwks} = exists $raw->{jwks} ? $raw->{jwks} : eval { $JSON->decode($self->{jwks_bytes}) };
    }
    else { # version 1: the key set only parsed
      $self->{jwks} = $raw->{jwks};
      $self->{jwks_bytes} = $JSON->encode($raw->{jwks});
    }
    $self->{profile} = ref $raw->{profile} eq 'HASH' ? $raw->{profile} : {};
    $self->{now} = $raw->{now};
    $self->{actions} = ref $raw->{actions} eq 'ARRAY' ? $raw->{actions} : [];
    $self->{features} = ref $raw->{features} eq 'ARRAY' ? $raw->{features} : [];
    $self->{timeout_ms} = $raw->{timeout_ms};
    return $self;
  }

  # Standard padded base64, strictly: decode_base64 skips stray characters and would hand the
  # adapter other bytes than the runner sent.
  sub _base64 {
    my ($text, $member) = @_;
    die "request without $member\n" unless defined $text && !ref $text;
    die "$member is not standard base64\n"
      unless JwtConformanceAdapter::_is_string($text) && length($text) % 4 == 0 && $text =~ m{\A[A-Za-z0-9+/]*={0,2}\z};
    return MIME::Base64::decode_base64($text);
  }

  for my $member (qw(raw id step version token token_text jwks_bytes jwks profile now actions features timeout_ms)) {
    no strict 'refs';
    *{$member} = sub { $_[0]{$member} };
  }

  # jwks_bytes parsed with JSON as UTF-8 JSON (dies on failure: call it in keys and
  # the failure is a config_error).
  sub jwks_json { my ($self) = @_; return $JSON->decode($self->{jwks_bytes}) }
}

# [id, step] of a parsed request, or undef when they cannot be read.
sub _identify {
  my ($raw) = @_;
  return undef unless ref $raw eq 'HASH';
  my ($id, $step) = @$raw{qw(id step)};
  return undef unless defined $id && !ref $id && _is_string($id);
  return undef unless defined $step && !ref $step && !_is_string($step) && $step =~ /\A\d+\z/;
  return [$id, 0 + $step];
}

sub _is_outcome { my ($e) = @_; return blessed $e && $e->isa('JwtConformanceAdapter::Outcome') }

sub _outcome_members { my ($e) = @_; return { %$e } }

# The response members for one request. Warnings raised by the library are discarded: they may
# quote token content, and stderr is kept by the runner.
sub _outcome {
  my ($req, %a) = @_;
  local $SIG{__WARN__} = sub { };
  my $key_set;
  if ($a{keys}) {
    my $ok = eval { $key_set = $a{keys}->($req); 1 };
    if (!$ok) {
      my $e = $@;
      return _outcome_members($e) if _is_outcome($e);
      return { outcome => 'config_error', error => error_text($e), code => undef };
    }
  }
  my $claims;
  my $ok = eval { $claims = $a{verify}->($req, $key_set); 1 };
  return { outcome => 'accept', claims => $claims } if $ok;
  my $e = $@;
  return _outcome_members($e) if _is_outcome($e);
  if (!_own_error($a{errors}, $e)) {
    # The library died with something other than its own errors: it failed closed.
    return { outcome => 'reject', error => 'unexpected ' . error_text($e), reason => undef };
  }
  my $reason;
  if ($a{reason}) {
    $reason = eval { $a{reason}->($e, $req) }; # labeling only
    $reason = undef if ref $reason || !defined $reason;
  }
  return { outcome => 'reject', error => error_text($e), reason => $reason };
}

sub _own_error {
  my ($errors, $e) = @_;
  return 1 unless defined $errors;
  return $errors->($e) ? 1 : 0 if ref $errors eq 'CODE';
  return "$e" =~ $errors ? 1 : 0 if ref $errors eq 'Regexp';
  return (blessed $e && $e->isa($errors)) ? 1 : 0;
}

# One response line; claims strict JSON cannot carry are replaced by null.
sub _encode {
  my ($response) = @_;
  if ($response->{outcome} eq 'accept') {
    my $why = _not_strict_json($response->{claims}, 0);
    my $line = $why ? undef : eval { $JSON->encode($response) };
    return $line if defined $line;
    # The library accepted claims strict JSON cannot carry: the verdict stands.
    $why ||= error_text($@);
    return $JSON->encode({ %$response, claims => undef,
      claims_note => "claims not representable as strict JSON: $why" });
  }
  return $JSON->encode($response);
}

# A line reader on a file handle, bounded: returns the next line without its newline, undef at
# the end of input, or \'too_long' for a line longer than $limit bytes (its rest is skipped).
sub _reader {
  my ($fh, $limit) = @_;
  my ($buf, $seen, $eof, $skipping) = ('', 0, 0, 0);
  return sub {
    while (1) {
      my $nl = index($buf, "\n", $seen);
      if ($nl >= 0) {
        my $line = substr($buf, 0, $nl + 1, '');
        $seen = 0;
        if ($skipping || $nl > $limit) {
          $skipping = 0;
          return \'too_long';
        }
        chop $line;
        return $line;
      }
      if (length $buf > $limit || $skipping) {
        ($buf, $seen, $skipping) = ('', 0, 1);
      }
      else {
        $seen = length $buf;
      }
      if ($eof) {
        if ($skipping) {
          $skipping = 0;
          return \'too_long';
        }
        return undef if $buf eq '';
        my $line = $buf;
        ($buf, $seen) = ('', 0);
        return $line;
      }
      my $n = sysread($fh, $buf, 1 << 20, length $buf);
      if (!defined $n) {
        next if $!{EINTR};
        die "read error: $!\n";
      }
      $eof = 1 if $n == 0;
    }
  };
}

# Runs the adapter process: prints the hello, then answers every request line on stdin until it
# closes; returns the exit status (0 at the end of input, 1 after a line it cannot read). See
# README.md for the arguments. A request whose id and step can be read but that the helper
# cannot handle gets an adapter_error answer; a line that is not JSON, longer than
# max_line_bytes (default MAX_LINE_BYTES), or without a string id and integer step is reported
# on stderr and ends the loop. While serving the real stdout, STDOUT is redirected to STDERR so
# that stray output cannot corrupt the protocol.
sub serve {
  my (%a) = @_;
  for my $required (qw(name library version verify)) {
    die "serve: $required is required\n" unless defined $a{$required};
  }
  my ($in, $out, $log) = ($a{input}, $a{output}, $a{log});
  if (!$out) {
    open($out, '>&', \*STDOUT) or die "cannot dup stdout: $!\n";
    open(STDOUT, '>&', \*STDERR) or die "cannot redirect stdout: $!\n";
  }
  $in ||= \*STDIN;
  $log ||= \*STDERR;
  binmode $in;
  binmode $out;
  my $hello = {
    protocol => PROTOCOL, version => PROTOCOL_VERSION, name => utf8_text($a{name}),
    library => utf8_text($a{library}), library_version => utf8_text($a{version}),
    features => [map { utf8_text($_) } @{ $a{features} || [] }],
    exact => JSON::false, claims => $a{claims} ? JSON::true : JSON::false,
    notes => [map { utf8_text($_) } @{ $a{notes} || [] }],
  };
  if ($a{algorithms} || $a{presets}) { # protocol 3: the algorithms and presets the library can do
    $hello->{version} = 3;
    $hello->{algorithms} = [map { utf8_text($_) } @{ $a{algorithms} || ['ES256'] }];
    $hello->{presets} = [map { utf8_text($_) } @{ $a{presets} || ['rfc9068'] }];
  }
  _write($out, $JSON->encode($hello));
  my $limit = $a{max_line_bytes} || MAX_LINE_BYTES;
  my $next = _reader($in, $limit);
  my $number = 0;
  while (defined(my $line = $next->())) {
    $number++;
    my ($raw, $problem);
    if (ref $line) {
      $problem = "longer than $limit bytes";
    }
    else {
      next if $line !~ /\S/;
      $raw = eval { $JSON->decode($line) };
      $problem = defined $raw ? 'no string id and integer step' : 'not JSON (' . error_text($@) . ')';
    }
    my $ident = defined $raw ? _identify($raw) : undef;
    if (!$ident) {
      print {$log} PROTOCOL . ": $a{name}: request line $number: $problem; giving up\n";
      return 1;
    }
    my $text = eval {
      my $members = _outcome(JwtConformanceAdapter::Request->new($raw), %a);
      _encode({ id => $ident->[0], step => $ident->[1], %$members });
    };
    if (!defined $text) { # the adapter itself failed on this request
      $text = $JSON->encode({ id => $ident->[0], step => $ident->[1], outcome => 'adapter_error',
        error => error_text($@) });
    }
    _write($out, $text);
  }
  return 0;
}

sub _write {
  my ($out, $text) = @_;
  print {$out} "$text\n" or die "write error: $!\n";
  $out->flush;
}

1;
