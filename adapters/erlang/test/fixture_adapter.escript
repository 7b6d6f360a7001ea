#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noinput
%% The adapter protocol_test.escript drives: it serves with the shared fixture's hello
%% (adapters/fixtures/protocol.json). `decode` answers each request with the request as the
%% helper decoded it; `answer N` answers with the answer of the fixture's N-th response;
%% `hello3` greets declaring algorithms and presets (protocol 3).
-mode(compile).

main(Args) ->
    Here = filename:dirname(filename:absname(escript:script_name())),
    true = code:add_patha(filename:join([Here, "..", "ebin"])),
    {ok, Text} = file:read_file(filename:join([Here, "..", "..", "fixtures", "protocol.json"])),
    Fixture = jiffy:decode(Text, [return_maps]),
    #{<<"hello">> := #{<<"given">> := Given}, <<"responses">> := Responses} = Fixture,
    Verify = case Args of
                 ["decode"] -> fun decoded/2;
                 ["hello3"] -> fun decoded/2;
                 ["answer", N] ->
                     #{<<"answer">> := Answer} = lists:nth(list_to_integer(N), Responses),
                     fun(_, _) -> answer(Answer) end
             end,
    V3 = case Args of
             ["hello3"] -> #{algorithms => [<<"ES256">>, <<"RS256">>], presets => [<<"rfc9068">>, <<"jwt">>]};
             _ -> #{}
         end,
    jwt_conformance_adapter:serve(V3#{
        name => maps:get(<<"name">>, Given), library => maps:get(<<"library">>, Given),
        version => maps:get(<<"version">>, Given), features => maps:get(<<"features">>, Given),
        claims => maps:get(<<"claims">>, Given), notes => maps:get(<<"notes">>, Given),
        keys => fun(_) -> {ok, none} end, verify => Verify}).

%% The request as the helper decoded it, in the fixture's terms.
decoded(Req = #{raw := Raw, jwks_bytes := JwksBytes}, _) ->
    Bytes = case Raw of
                #{<<"jwks_base64">> := _} -> #{<<"jwks_hex">> => hex(JwksBytes)};
                _ -> #{<<"jwks_json">> => jiffy:decode(JwksBytes, [return_maps])}
            end,
    Fields = [{<<"id">>, id}, {<<"step">>, step}, {<<"version">>, version}, {<<"token_text">>, token_text},
              {<<"jwks">>, jwks}, {<<"profile">>, profile}, {<<"now">>, now}, {<<"actions">>, actions},
              {<<"features">>, features}, {<<"timeout_ms">>, timeout_ms}],
    {accept, maps:merge(Bytes#{<<"token_hex">> => hex(maps:get(token, Req)),
                               <<"key_fetch">> => maps:get(<<"key_fetch">>, Raw, null)},
                        maps:from_list([{Name, maps:get(Key, Req)} || {Name, Key} <- Fields]))}.

hex(Bin) -> list_to_binary([io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin]).

%% The fixture's answer as the helper's outcome.
answer(#{<<"outcome">> := <<"accept">>, <<"claims">> := Claims}) -> {accept, Claims};
answer(#{<<"outcome">> := <<"reject">>, <<"error">> := Error, <<"reason">> := Reason}) -> {reject, Error, Reason};
answer(#{<<"outcome">> := <<"config_error">>, <<"error">> := Error, <<"code">> := Code}) -> {config_error, Error, Code};
answer(#{<<"outcome">> := <<"skipped">>, <<"why">> := Why}) -> {skipped, Why}.
