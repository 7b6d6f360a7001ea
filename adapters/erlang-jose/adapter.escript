#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noinput
%%
%% jwt-conformance subprocess adapter for erlang-jose (Erlang), protocol version 3
%% (docs/adapters.md). Run from this folder: escript adapter.escript.
%%
%% One process serves a whole run; the helper module jwt_conformance_adapter (../erlang, compiled
%% into ../erlang/ebin by scripts/setup/erlang.sh) runs the protocol: it prints a hello line, then
%% answers one JSON line per request line on stdin until stdin closes. erlang-jose is configured
%% as strictly as its API allows and nothing is checked here: every verdict is jose's.
%%
%% Configuration: jose:json_module(jose_json_jiffy). jose_jwk:from_binary on the key set's exact
%% bytes (jwks_base64) parses a JWK Set into a #jose_jwk{keys = {jose_jwk_set, Keys}}; an
%% exception, an {error, _} for the set or any of its keys, or a single key instead of a set is a
%% config error; the set may hold EC (P-256/384/521), RSA, OKP (Ed25519) and oct keys, each
%% parsed by jose. jose has no key lookup (a set cannot verify), so the key is the one whose kid
%% equals the token's (read with jose_jws:peek_protected and jose:decode, for selection only),
%% else the first key of the set: also for a kid-less token under every preset (jwt and
%% oidc-id-token included). jose_jwt:verify_strict(Key, Algorithms, Token) with exactly the
%% profile's algorithms (pinned) is all the API offers: it checks the signature and nothing else
%% (no exp, nbf, iat, iss, aud, sub, client_id, jti, azp, nonce, typ, crit, size; no clock), so
%% claim vectors fail, and the application must validate claims itself: required_claims,
%% issuer, audiences, client_id and nonce of the profile have nowhere to go, and typ null needs
%% nothing. Algorithms: all 13 (ES256/384/512, RS*, PS*, EdDSA, HS*). Presets: rfc9068, jwt and
%% oidc-id-token, each as a signature check only (jose has no claim or ID-token validation). The claims of an acceptance are the verified
%% #jose_jwt{} fields, as is ("claims": true). verify_strict's {false, _, Header} is a rejection:
%% signature_invalid when the algorithm was allowed (a #jose_jws{}), else the alg family of the
%% header jose decoded. An exception jose raises on a hostile token is still a rejection (jose
%% failed closed), its text prefixed "unexpected ".
-mode(compile).

-include_lib("jose/include/jose_jwk.hrl").
-include_lib("jose/include/jose_jws.hrl").
-include_lib("jose/include/jose_jwt.hrl").

main(_) ->
    Here = filename:dirname(filename:absname(escript:script_name())),
    true = code:add_patha(filename:join([Here, "..", "erlang", "ebin"])),
    ok = jose:json_module(jose_json_jiffy),
    {ok, Version} = application:get_key(jose, vsn),
    jwt_conformance_adapter:serve(#{
        name => <<"erlang-jose">>,
        library => <<"erlang-jose (Erlang)">>,
        version => list_to_binary(Version),
        features => [<<"jwks_parsing">>],
        claims => true,
        algorithms => [<<"ES256">>, <<"ES384">>, <<"ES512">>, <<"RS256">>, <<"RS384">>, <<"RS512">>,
                       <<"PS256">>, <<"PS384">>, <<"PS512">>, <<"EdDSA">>, <<"HS256">>, <<"HS384">>,
                       <<"HS512">>],
        presets => [<<"rfc9068">>, <<"jwt">>, <<"oidc-id-token">>],
        keys => fun keys/1,
        verify => fun verify/2,
        notes => [<<"jose_jwk:from_binary on the key set's bytes (JSON: jiffy; EC/RSA/OKP/oct); no kid lookup in "
                    "jose: key picked by the token's kid, else the first (kid-less tokens too, every preset); "
                    "jose_jwt:verify_strict(Key, profile algorithms, Token)">>,
                  <<"signature only, under every preset: no exp/nbf/iat/iss/aud/sub/client_id/jti/azp/nonce "
                    "validation, required_claims not expressible, no clock, no typ or crit check, no size limit "
                    "(the application must validate claims)">>]}).

keys(#{jwks_bytes := Bytes}) ->
    try jose_jwk:from_binary(Bytes) of
        #jose_jwk{keys = {jose_jwk_set, Keys}} ->
            case [Error || Error <- Keys, not is_record(Error, jose_jwk)] of
                [] -> {ok, Keys};
                [Error | _] -> config_error(["jose_jwk:from_binary: a key: ", describe(Error)])
            end;
        #jose_jwk{} -> config_error(<<"jose_jwk:from_binary: a single JWK, not a JWK Set">>);
        Other -> config_error(["jose_jwk:from_binary: ", describe(Other)])
    catch Class:Reason:Stack ->
        {config_error, jwt_conformance_adapter:error_text(Class, Reason, Stack), null}
    end.

verify(#{token := Token, profile := #{<<"algorithms">> := Algorithms}}, Keys) ->
    case pick_key(Keys, token_kid(Token)) of
        none -> {reject, <<"the key set holds no key to verify with">>, null};
        Key ->
            try jose_jwt:verify_strict(Key, Algorithms, Token) of
                {true, #jose_jwt{fields = Claims}, _} ->
                    {accept, Claims};
                {false, _, #jose_jws{}} ->
                    {reject, <<"jose_jwt:verify_strict: false (signature does not verify)">>,
                     <<"signature_invalid">>};
                {false, _, Header} when is_map(Header) ->
                    {reject, <<"jose_jwt:verify_strict: false (alg not allowed)">>,
                     jwt_conformance_adapter:alg_reason(maps:get(<<"alg">>, Header, null))};
                {false, _, _} ->
                    {reject, <<"jose_jwt:verify_strict: false (protected header not an object)">>, null};
                Other ->
                    {reject, ["unexpected jose_jwt:verify_strict result ", describe(Other)], null}
            catch Class:Reason:Stack ->
                {reject, ["unexpected ", jwt_conformance_adapter:error_text(Class, Reason, Stack)], null}
            end
    end.

%% The token's kid, read leniently with jose's own parsers, for key selection only.
token_kid(Token) ->
    try jose:decode(jose_jws:peek_protected(Token)) of
        #{<<"kid">> := Kid} when is_binary(Kid) -> Kid;
        _ -> none
    catch _:_ -> none
    end.

pick_key([], _) -> none;
pick_key(Keys = [First | _], Kid) ->
    case [Key || Key = #jose_jwk{fields = #{<<"kid">> := K}} <- Keys, K =:= Kid] of
        [Key | _] -> Key;
        [] -> First
    end.

config_error(Text) -> {config_error, Text, null}.

describe(Term) -> jwt_conformance_adapter:describe(Term).
