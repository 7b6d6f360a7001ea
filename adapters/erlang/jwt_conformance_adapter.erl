%% Helper for jwt-conformance subprocess adapters written in Erlang (protocol version 2, or 3 when
%% the config declares algorithms or presets).
%%
%% The runner talks to an adapter process in JSON lines over stdin/stdout (docs/adapters.md,
%% "The subprocess protocol"). serve/1 runs that loop: it prints the hello, reads one request per
%% line, calls the adapter's funs and writes one response per request, until stdin closes. JSON
%% through jiffy; Erlang/OTP 25 or later. See README.md in this folder.
%%
%% Stdin and stdout are one fd port ({fd, 0, 1}): it hands over lines in bounded chunks, so a
%% request line is never buffered past ?MAX_LINE, and protocol lines bypass the io system. The
%% emulator must be started with -noinput (the escript's %%! line) so that the user process does
%% not read stdin too. Stray io output and logger reports go to stderr.
-module(jwt_conformance_adapter).

-export([serve/1, required_claims/0, required_claims/1, missing_claim_reason/1, alg_reason/1, error_text/3,
         describe/1, text/1]).

-define(PROTOCOL, <<"jwt-conformance-adapter">>).
-define(PROTOCOL_VERSION, 2).
-define(MAX_LINE, 64 * 1024 * 1024).
-define(CHUNK, 65536).
-define(MAX_TEXT, 1000).

%% The claims the rfc9068 preset requires (the default of a profile without preset or
%% required_claims). Adapters call required_claims(Profile) for a profile's own list.
required_claims() ->
    [<<"exp">>, <<"iat">>, <<"iss">>, <<"aud">>, <<"sub">>, <<"client_id">>, <<"jti">>].

%% The claims a profile (the request's profile map, binary keys) requires: its required_claims
%% member when present (not null), else its preset's default (an absent preset is rfc9068: exp
%% iat iss aud sub client_id jti; jwt: none; oidc-id-token: iss sub aud exp iat). A preset it
%% does not know is an error (function_clause).
required_claims(#{<<"required_claims">> := Claims}) when is_list(Claims) -> Claims;
required_claims(Profile) when is_map(Profile) ->
    preset_required_claims(maps:get(<<"preset">>, Profile, null));
required_claims(_) -> required_claims().

preset_required_claims(null) -> required_claims();
preset_required_claims(<<"rfc9068">>) -> required_claims();
preset_required_claims(<<"jwt">>) -> [];
preset_required_claims(<<"oidc-id-token">>) -> [<<"iss">>, <<"sub">>, <<"aud">>, <<"exp">>, <<"iat">>].

%% The catalog reason ID of a missing required claim (docs/reasons.md), or null.
missing_claim_reason(<<"exp">>) -> <<"exp_missing">>;
missing_claim_reason(<<"iat">>) -> <<"iat_missing">>;
missing_claim_reason(<<"iss">>) -> <<"iss_mismatch">>;
missing_claim_reason(<<"aud">>) -> <<"aud_missing">>;
missing_claim_reason(<<"sub">>) -> <<"sub_missing">>;
missing_claim_reason(<<"client_id">>) -> <<"client_id_missing">>;
missing_claim_reason(<<"jti">>) -> <<"jti_missing">>;
missing_claim_reason(_) -> null.

%% The reason family of a header's alg value (read with the library's own parser), to label an
%% "algorithm not allowed" result: none in any case, a non-string or no alg -> alg_none.
alg_reason(Alg) when is_binary(Alg) ->
    case string:lowercase(Alg) of
        <<"none">> -> <<"alg_none">>;
        _ when Alg =:= <<"HS256">>; Alg =:= <<"HS384">>; Alg =:= <<"HS512">> ->
            <<"alg_hmac_rejected">>;
        _ when Alg =:= <<"RS256">>; Alg =:= <<"RS384">>; Alg =:= <<"RS512">>;
               Alg =:= <<"PS256">>; Alg =:= <<"PS384">>; Alg =:= <<"PS512">> ->
            <<"alg_rsa_rejected">>;
        _ when Alg =:= <<"ES256">>; Alg =:= <<"ES384">>; Alg =:= <<"ES512">>; Alg =:= <<"ES256K">> ->
            <<"alg_ecdsa_rejected">>;
        _ -> <<"alg_not_allowed">>
    end;
alg_reason(_) -> <<"alg_none">>.

%% How an exception is reported: "Class: Reason in M:F/A" (the top frame), with binaries longer
%% than 16 bytes and integers beyond 64 bits elided (tokens and key material stay out) and the
%% term's depth bounded.
error_text(Class, Reason, Stack) ->
    Where = case Stack of
                [{M, F, A, _} | _] when is_list(A) -> io_lib:format(" in ~w:~w/~b", [M, F, length(A)]);
                [{M, F, A, _} | _] -> io_lib:format(" in ~w:~w/~w", [M, F, A]);
                _ -> ""
            end,
    text(io_lib:format("~w: ~0P~s", [Class, elide(Reason, 12), 12, Where])).

%% A term returned by a library, for an error text: elided and bounded as in error_text/3.
describe(Term) ->
    text(io_lib:format("~0P", [elide(Term, 8), 8])).

%% Any iodata or chardata as a UTF-8 binary of at most ?MAX_TEXT bytes; bytes that are not UTF-8
%% become U+FFFD.
text(Data) when is_binary(Data) -> cut(valid_utf8(Data, <<>>));
text(Data) ->
    case unicode:characters_to_binary(Data) of
        Bin when is_binary(Bin) -> cut(Bin);
        _ -> text(iolist_to_binary(io_lib:format("~w", [Data])))
    end.

%% Runs the adapter process; never returns. Config keys:
%%   name, library, version (binaries): the hello's name, library and library_version;
%%   features (list of binaries), claims (boolean), notes (list of binaries): the hello's members;
%%   algorithms, presets (lists of binaries, optional): the algorithms and presets the library
%%   can be configured for; with either, the hello says version 3 and declares both (the one not
%%   given is the protocol's default, [ES256] or [rfc9068]);
%%   keys => fun(Req) -> {ok, KeySet} | Outcome: loads the key set with the library;
%%   verify => fun(Req, KeySet) -> Outcome.
%% Outcome is {accept, Claims} | {reject, Error, Reason} | {config_error, Error, Code} |
%% {skipped, Why}; Claims is a jiffy term, Reason and Code a binary or null. An exception from
%% keys or verify is an adapter_error: catch the library's own failures there (an exception a
%% library raises on a hostile token is a rejection: see error_text/3).
%% Req is a map: id, step, version, token (the exact bytes), token_text (binary or null),
%% jwks_bytes (the key set's exact bytes), jwks (parsed), profile (map, binary keys), now,
%% actions, features, timeout_ms, raw (the whole request map).
serve(Config) ->
    ok = quiet(),
    Port = open_port({fd, 0, 1}, [binary, {line, ?CHUNK}, eof]),
    Hello = #{<<"protocol">> => ?PROTOCOL,
              <<"version">> => ?PROTOCOL_VERSION,
              <<"name">> => maps:get(name, Config),
              <<"library">> => maps:get(library, Config),
              <<"library_version">> => maps:get(version, Config),
              <<"features">> => maps:get(features, Config, []),
              <<"exact">> => false,
              <<"claims">> => maps:get(claims, Config, false),
              <<"notes">> => maps:get(notes, Config, [])},
    write(Port, jiffy:encode(version3(Hello, Config))),
    loop(Port, Config, [], 0, 1).

%% Internal.

version3(Hello, Config) ->
    case maps:is_key(algorithms, Config) orelse maps:is_key(presets, Config) of
        true -> Hello#{<<"version">> => 3,
                       <<"algorithms">> => maps:get(algorithms, Config, [<<"ES256">>]),
                       <<"presets">> => maps:get(presets, Config, [<<"rfc9068">>])};
        false -> Hello
    end.

quiet() ->
    group_leader(whereis(standard_error), self()),
    _ = logger:remove_handler(default),
    _ = logger:add_handler(default, logger_std_h, #{config => #{type => standard_error}}),
    ok.

loop(Port, Config, Acc, Size, Number) ->
    receive
        {Port, {data, {noeol, Chunk}}} ->
            NewSize = Size + byte_size(Chunk),
            NewSize =< ?MAX_LINE orelse
                give_up(Config, Number, "a line longer than 64 MiB"),
            loop(Port, Config, [Chunk | Acc], NewSize, Number);
        {Port, {data, {eol, Chunk}}} ->
            Size + byte_size(Chunk) =< ?MAX_LINE orelse
                give_up(Config, Number, "a line longer than 64 MiB"),
            Line = iolist_to_binary(lists:reverse(Acc, [Chunk])),
            handle(Port, Config, Line, Number),
            loop(Port, Config, [], 0, Number + 1);
        {Port, eof} ->
            Acc =:= [] orelse handle(Port, Config, iolist_to_binary(lists:reverse(Acc)), Number),
            erlang:halt(0)
    end.

handle(Port, Config, Line, Number) ->
    case blank(Line) of
        true -> ok;
        false ->
            {Raw, Problem} = try {jiffy:decode(Line, [return_maps]), "no string id and integer step"}
                             catch _:Error -> {none, io_lib:format("not JSON (~0p)", [elide(Error, 4)])}
                             end,
            case identify(Raw) of
                none -> give_up(Config, Number, Problem);
                {Id, Step} -> write(Port, answer(Config, Raw, Id, Step))
            end
    end.

blank(<<C, Rest/binary>>) when C =:= $\s; C =:= $\t; C =:= $\r; C =:= $\n -> blank(Rest);
blank(Rest) -> Rest =:= <<>>.

identify(#{<<"id">> := Id, <<"step">> := Step}) when is_binary(Id), is_integer(Step) -> {Id, Step};
identify(_) -> none.

give_up(Config, Number, Problem) ->
    io:format(standard_error, "~s: ~s: request line ~b: ~s; giving up~n",
              [?PROTOCOL, maps:get(name, Config), Number, Problem]),
    erlang:halt(1).

answer(Config, Raw, Id, Step) ->
    Members = try outcome(Config, request(Raw))
              catch Class:Reason:Stack ->
                  #{<<"outcome">> => <<"adapter_error">>, <<"error">> => error_text(Class, Reason, Stack)}
              end,
    encode(Members#{<<"id">> => Id, <<"step">> => Step}).

outcome(#{keys := Keys, verify := Verify}, Req) ->
    case Keys(Req) of
        {ok, KeySet} -> members(Verify(Req, KeySet));
        Other -> members(Other)
    end.

members({accept, Claims}) ->
    #{<<"outcome">> => <<"accept">>, <<"claims">> => Claims};
members({reject, Error, Reason}) when is_binary(Reason); Reason =:= null ->
    #{<<"outcome">> => <<"reject">>, <<"error">> => text(Error), <<"reason">> => Reason};
members({config_error, Error, Code}) when is_binary(Code); Code =:= null ->
    #{<<"outcome">> => <<"config_error">>, <<"error">> => text(Error), <<"code">> => Code};
members({skipped, Why}) ->
    #{<<"outcome">> => <<"skipped">>, <<"why">> => text(Why)};
members(Other) ->
    erlang:error({bad_outcome, elide(Other, 4)}).

request(Raw = #{<<"token_b64">> := TokenB64}) ->
    Version = maps:get(<<"version">>, Raw, ?PROTOCOL_VERSION),
    <<"verify">> = maps:get(<<"type">>, Raw, <<"verify">>),
    Token = base64:decode(TokenB64),
    TokenText = case unicode:characters_to_binary(Token) of
                    Token -> Token;
                    _ -> null
                end,
    {JwksBytes, Jwks} =
        case Raw of
            #{<<"jwks_base64">> := B64} ->
                Bytes = base64:decode(B64),
                {Bytes, maps:get(<<"jwks">>, Raw, null)};
            #{<<"jwks">> := Parsed} -> % version 1: the key set only parsed
                {jiffy:encode(Parsed), Parsed}
        end,
    #{id => maps:get(<<"id">>, Raw), step => maps:get(<<"step">>, Raw), version => Version,
      token => Token, token_text => TokenText, jwks_bytes => JwksBytes, jwks => Jwks,
      profile => maps:get(<<"profile">>, Raw, #{}), now => maps:get(<<"now">>, Raw, null),
      actions => maps:get(<<"actions">>, Raw, []), features => maps:get(<<"features">>, Raw, []),
      timeout_ms => maps:get(<<"timeout_ms">>, Raw, null), raw => Raw}.

%% Strict JSON: claims jiffy cannot write become null with a claims_note (the verdict stands).
encode(Members = #{<<"outcome">> := <<"accept">>}) ->
    try jiffy:encode(Members)
    catch _:Error ->
        Note = text(io_lib:format("claims not representable as strict JSON: ~0p", [elide(Error, 4)])),
        jiffy:encode(Members#{<<"claims">> => null, <<"claims_note">> => Note})
    end;
encode(Members) ->
    jiffy:encode(Members).

write(Port, Json) ->
    true = port_command(Port, [Json, $\n]),
    ok.

elide(Bin, _) when is_binary(Bin), byte_size(Bin) > 16 -> '<<...>>';
elide(Int, _) when is_integer(Int), abs(Int) > 16#FFFFFFFFFFFFFFFF -> '<<big integer>>';
elide(_, 0) -> '...';
elide(List, Depth) when is_list(List) -> elide_list(List, Depth - 1, 16);
elide(Tuple, Depth) when is_tuple(Tuple) -> list_to_tuple(elide_list(tuple_to_list(Tuple), Depth - 1, 16));
elide(Map, Depth) when is_map(Map) -> maps:from_list(elide_list(maps:to_list(Map), Depth - 1, 16));
elide(Term, _) -> Term.

elide_list([], _, _) -> [];
elide_list(_, _, 0) -> ['...'];
elide_list([H | T], Depth, N) when is_list(T) -> [elide(H, Depth) | elide_list(T, Depth, N - 1)];
elide_list([H | T], Depth, _) -> [elide(H, Depth) | elide(T, Depth)].

valid_utf8(<<>>, Acc) -> Acc;
valid_utf8(Bin, Acc) ->
    case unicode:characters_to_binary(Bin) of
        Bin -> <<Acc/binary, Bin/binary>>;
        {_, Good, <<_, Rest/binary>>} -> valid_utf8(Rest, <<Acc/binary, Good/binary, "\x{FFFD}"/utf8>>)
    end.

cut(Bin) when byte_size(Bin) =< ?MAX_TEXT -> Bin;
cut(Bin) -> cut_utf8(binary:part(Bin, 0, ?MAX_TEXT)).

%% Drops a UTF-8 sequence the cut split.
cut_utf8(Bin) ->
    case unicode:characters_to_binary(Bin) of
        Bin -> Bin;
        {incomplete, Good, _} -> Good;
        {error, Good, _} -> Good
    end.
