#!/usr/bin/env escript
%% -*- erlang -*-
%%
%% Standalone reproduction of an erlang-jose forgery-class finding, the ES512 signature length
%% (jwt-conformance).
%%
%% Finding: erlang-jose accepts an ES512 signature of 131 octets instead of 132 (a genuine
%% signature whose r lost its leading zero octet), and one of 130: jose_jwk_kty_ec:verify splits
%% the raw signature at half its own length (split_binary(Signature, byte_size(Signature) div 2))
%% and never holds it to twice the curve's 66 octets; jose_jwt:verify_strict takes only the
%% allowed algorithms, no option that would. Violates RFC 7518 §3.4: the ES512 JWS Signature is
%% r and s "each ... as octet sequences of 66 octets", and a signature of another length MUST be
%% rejected; accepting re-encodings makes the signature malleable (one token, many valid
%% signatures).
%%
%% Reproduces: ecdsa/es512-sig-131-octets-r-short (forgery)
%%
%% Configured exactly as the adapter (adapter.escript) is: jose:json_module(jose_json_jiffy),
%% jose_jwk:from_binary on the vector's key set, the key whose kid matches the token's, and
%% jose_jwt:verify_strict(Key, [ES512], Token) with the vector's algorithms. Needs Debian's
%% erlang-jose and erlang-jiffy (scripts/setup/erlang.sh). Run: escript
%% repro-es512-short-sig.escript (from any folder). Exit 0 when the finding shows, 1 when it does
%% not.
-mode(compile).

-include_lib("jose/include/jose_jwk.hrl").
-include_lib("jose/include/jose_jwt.hrl").

-define(ID, "ecdsa/es512-sig-131-octets-r-short").
-define(KID, <<"p521">>).
-define(JWKS, <<"{\"keys\":[{\"alg\":\"ES512\",\"crv\":\"P-521\",\"kid\":\"p521\",\"kty\":\"EC\","
                "\"use\":\"sig\",\"x\":\"AQBWDia6cnF2VfA3xO8kmEFSN8LysA0SPzi1S7U6eN9fiMJaCdGyXvw_"
                "kHcJ-cAIyuwVIBEB1UgoOzUkFjJ289o1\",\"y\":\"AFcPFqZ56uio-PflDhAFXLWkaNCXs8emPSdxK"
                "QoB5Y0KptCFiZKbFt6GEc0gBlxHtuwr_1hJSsH-1B-fyFVEgBj2\"}]}">>).
-define(TOKEN, <<"eyJhbGciOiJFUzUxMiIsImtpZCI6InA1MjEiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL"
                 "2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6M"
                 "TAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxLTEiL"
                 "CJzdWIiOiIwMUhaWTJKM0s0TTVONlA3UThSOVMwVDFWMiJ9.hGzcBsWZdEFvrjkqruoXn5ZkOHzxGK8b"
                 "fsXC_hNkD1Qc7xmqaiIQ0uHQ8Ss1bL-kTeLrt07mEibObdCSEafyEaMBpvdMC9FVTuGdWzaaK6a0jaCB"
                 "6AjyeEzxCLxmL0ATlAErIzqruDIPW0yGH96Rj8o6Z4zgB0LVoJYqcep89JNsrRs">>).

main(_) ->
    ok = jose:json_module(jose_json_jiffy),
    #jose_jwk{keys = {jose_jwk_set, Keys}} = jose_jwk:from_binary(?JWKS),
    [Key] = [K || K = #jose_jwk{fields = #{<<"kid">> := Kid}} <- Keys, Kid =:= ?KID],
    Result = try jose_jwt:verify_strict(Key, [<<"ES512">>], ?TOKEN)
             catch Class:Reason -> {Class, Reason}
             end,
    case Result of
        {true, #jose_jwt{fields = #{<<"sub">> := Sub}}, _} ->
            io:format("REPRODUCED ~s: jose_jwt:verify_strict accepted an ES512 signature of ~b octets (sub ~s)~n", [?ID, byte_size(jose_jwa_base64url:decode(lists:last(binary:split(?TOKEN, <<".">>, [global])))), Sub]),
            halt(0);
        Other ->
            io:format("NOT REPRODUCED ~s: jose_jwt:verify_strict returned ~0P~n", [?ID, Other, 4]),
            halt(1)
    end.
