#!/usr/bin/env escript
%% -*- erlang -*-
%%
%% Standalone reproduction of erlang-jose's gravest conformance finding (jwt-conformance).
%%
%% Finding: erlang-jose verifies signatures only. jose_jwt:verify_strict accepts a correctly
%% signed access token whose "exp" (1000000001, September 2001) is long past, and its API has no
%% option to validate exp (nor nbf, iat, iss, aud, typ, and no clock to inject): a policy bypass
%% unless the application checks every claim itself.
%% Violates RFC 7519 §4.1.4: the "exp" claim "identifies the expiration time on or after which
%% the JWT MUST NOT be accepted for processing"; and RFC 9068 §4: "The current time MUST be
%% before the time represented by the "exp" claim."
%%
%% Reproduces: claims/exp-2001 (policy-bypass)
%%
%% Configured exactly as the adapter (adapter.escript) is: jose:json_module(jose_json_jiffy),
%% jose_jwk:from_binary on the vector's key set, the key whose kid matches the token's, and
%% jose_jwt:verify_strict(Key, [<<"ES256">>], Token). Needs Debian's erlang-jose and erlang-jiffy
%% (scripts/setup/erlang.sh). Run: escript repro.escript (from any folder). Exit 0 when the
%% finding shows, 1 when it does not.
-mode(compile).

-include_lib("jose/include/jose_jwk.hrl").
-include_lib("jose/include/jose_jwt.hrl").

-define(ID, "claims/exp-2001").
%% The vector's verification time; jose takes no clock, and the token is expired at any real time.
-define(NOW, 1700000000).
-define(JWKS, <<"{\"keys\":[{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"primary\",\"kty\":\"EC\","
                "\"use\":\"sig\",\"x\":\"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE\","
                "\"y\":\"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI\"}]}">>).
-define(TOKEN, <<"eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ."
                 "eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjEw"
                 "MDAwMDAwMDEsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0"
                 "aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ."
                 "PIoc1FfKH9d6FTLFSuXQC2SEIlO2ZEiJAS5C7l-3eEjthJihTWCE-5vtHx7VvCBZagxBpEYGZcIU83OeBQm1Ew">>).

main(_) ->
    ok = jose:json_module(jose_json_jiffy),
    #jose_jwk{keys = {jose_jwk_set, Keys}} = jose_jwk:from_binary(?JWKS),
    [Key] = [K || K = #jose_jwk{fields = #{<<"kid">> := <<"primary">>}} <- Keys],
    Result = try jose_jwt:verify_strict(Key, [<<"ES256">>], ?TOKEN)
             catch Class:Reason -> {Class, Reason}
             end,
    case Result of
        {true, #jose_jwt{fields = #{<<"exp">> := Exp}}, _} when Exp =< ?NOW ->
            io:format("REPRODUCED ~s: jose_jwt:verify_strict accepted a token with exp ~b (~s), "
                      "expired before now ~b; jose never checks exp~n",
                      [?ID, Exp, calendar:system_time_to_rfc3339(Exp, [{offset, "Z"}]), ?NOW]),
            halt(0);
        Other ->
            io:format("NOT REPRODUCED ~s: jose_jwt:verify_strict returned ~0P~n", [?ID, Other, 4]),
            halt(1)
    end.
