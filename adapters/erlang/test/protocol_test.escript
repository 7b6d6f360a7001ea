#!/usr/bin/env escript
%% -*- erlang -*-
%% The shared protocol fixture (adapters/fixtures/protocol.json) against the Erlang helper: the
%% hello, request decoding, broken and garbled lines, the reason tables and the response of each
%% outcome. conformance/tests/helper_fixture.rs holds the fixture to the runner; see its
%% README.md. serve/1 owns the emulator's stdin and stdout, so the helper serves in another
%% process, fixture_adapter.escript, whose stdin is a file.
%%
%% Run: escript adapters/erlang/test/protocol_test.escript (scripts/test.sh does).
-mode(compile).

main(_) ->
    Here = filename:dirname(filename:absname(escript:script_name())),
    true = code:add_patha(filename:join([Here, "..", "ebin"])),
    {ok, Text} = file:read_file(filename:join([Here, "..", "..", "fixtures", "protocol.json"])),
    F = jiffy:decode(Text, [return_maps]),
    put(adapter, filename:join(Here, "fixture_adapter.escript")),
    Requests = maps:get(<<"requests">>, F),
    Plain = line(<<"plain">>, Requests),
    %% The hello.
    {0, [Hello]} = serve(["decode"], []),
    check(Hello =:= maps:get(<<"hello">>, maps:get(<<"hello">>, F)), "hello", ""),
    {0, [Hello3]} = serve(["hello3"], []),
    check(Hello3 =:= (maps:get(<<"hello">>, maps:get(<<"hello">>, F)))#{
                         <<"version">> => 3, <<"algorithms">> => [<<"ES256">>, <<"RS256">>],
                         <<"presets">> => [<<"rfc9068">>, <<"jwt">>]}, "hello of version 3", ""),
    %% Every request, in one run: each decodes as the runner means it.
    {Status, [_ | Decoded]} = serve(["decode"], [L || #{<<"line">> := L} <- Requests]),
    check(Status =:= 0 andalso length(Decoded) =:= length(Requests), "one answer per request", ""),
    [check(Got =:= #{<<"id">> => maps:get(<<"id">>, D), <<"step">> => maps:get(<<"step">>, D),
                     <<"outcome">> => <<"accept">>, <<"claims">> => D},
           "request decodes as the runner means it", Name)
     || {#{<<"name">> := Name, <<"decoded">> := D}, Got} <- zip_padded(Requests, Decoded)],
    %% Broken requests: an adapter_error each, and the loop goes on.
    [begin
         {S, Out} = serve(["decode"], [L, Plain]),
         Ok = case Out of
                  [_, First = #{<<"error">> := E}, #{<<"outcome">> := <<"accept">>}] when is_binary(E) ->
                      maps:remove(<<"error">>, First) =:= Want;
                  _ -> false
              end,
         check(S =:= 0 andalso Ok, "broken request is an adapter_error", Name)
     end || #{<<"name">> := Name, <<"line">> := L, <<"response">> := Want} <- maps:get(<<"bad_requests">>, F)],
    %% Garbled lines: no answer, exit status 1.
    [check(serve(["decode"], [L, Plain]) =:= {1, [maps:get(<<"hello">>, maps:get(<<"hello">>, F))]},
           "garbled line ends serving", Name)
     || #{<<"name">> := Name, <<"line">> := L} <- maps:get(<<"garbled_lines">>, F)],
    %% The tables.
    [check(jwt_conformance_adapter:alg_reason(Alg) =:= Reason, "alg reason", Alg)
     || {Alg, Reason} <- maps:to_list(maps:get(<<"alg_reasons">>, F))],
    #{<<"reason">> := NotString, <<"values">> := Values} = maps:get(<<"alg_not_a_string">>, F),
    [check(jwt_conformance_adapter:alg_reason(V) =:= NotString, "alg reason", jiffy:encode(V)) || V <- Values],
    check(jwt_conformance_adapter:required_claims() =:= maps:get(<<"required_claims">>, F), "required claims", ""),
    [check(lists:sort(jwt_conformance_adapter:required_claims(P)) =:= lists:sort(R), "required claims by profile", About)
     || #{<<"about">> := About, <<"profile">> := P, <<"required">> := R} <- maps:get(<<"required_claims_by_profile">>, F)],
    [check(jwt_conformance_adapter:missing_claim_reason(C) =:= R, "missing claim reason", C)
     || {C, R} <- maps:to_list(maps:get(<<"missing_claim_reasons">>, F))],
    [check(jwt_conformance_adapter:missing_claim_reason(C) =:= null, "other claim has no reason", C)
     || C <- maps:get(<<"other_claims">>, F)],
    %% Responses: each answer becomes its line.
    Responses = maps:get(<<"responses">>, F),
    [begin
         {S, Out} = serve(["answer", integer_to_list(N)], [line(Request, Requests)]),
         check(S =:= 0 andalso tl(Out) =:= [Want], "response", Name)
     end || {N, #{<<"name">> := Name, <<"request">> := Request, <<"response">> := Want}}
                <- lists:zip(lists:seq(1, length(Responses)), Responses)],
    Passed = get_count(passed), Failed = get_count(failed),
    io:format("Erlang protocol helper: ~b passed, ~b failed~n", [Passed, Failed]),
    halt(case Failed of 0 -> 0; _ -> 1 end).

%% The pairs of the two lists, the second padded with `missing` (an answer too few fails).
zip_padded([], _) -> [];
zip_padded([X | Xs], []) -> [{X, missing} | zip_padded(Xs, [])];
zip_padded([X | Xs], [Y | Ys]) -> [{X, Y} | zip_padded(Xs, Ys)].

line(Name, Requests) ->
    [Line] = [L || #{<<"name">> := N, <<"line">> := L} <- Requests, N =:= Name],
    Line.

check(true, _, _) -> put(passed, get_count(passed) + 1);
check(false, What, Name) ->
    put(failed, get_count(failed) + 1),
    io:format("not ok - ~s: ~ts~n", [What, Name]).

get_count(Key) -> case get(Key) of undefined -> 0; N -> N end.

%% Runs the fixture adapter with these arguments on these input lines; returns its exit status
%% and its output lines, parsed.
serve(Args, Lines) ->
    In = filename:join(os:getenv("TMPDIR", "/tmp"),
                       "jwt-conformance-erlang-test-" ++ os:getpid() ++ "-" ++ integer_to_list(erlang:unique_integer([positive]))),
    ok = file:write_file(In, [[L, $\n] || L <- Lines]),
    Port = open_port({spawn_executable, "/bin/sh"},
                     [{args, ["-c", "exec escript \"$0\" \"$@\" <\"$IN\" 2>/dev/null", get(adapter) | Args]},
                      {env, [{"IN", In}]}, binary, exit_status, use_stdio]),
    {Status, Out} = collect(Port, []),
    ok = file:delete(In),
    {Status, [jiffy:decode(L, [return_maps]) || L <- binary:split(Out, <<"\n">>, [global, trim_all])]}.

collect(Port, Acc) ->
    receive
        {Port, {data, Data}} -> collect(Port, [Data | Acc]);
        {Port, {exit_status, Status}} -> {Status, iolist_to_binary(lists:reverse(Acc))}
    after 60000 -> {timeout, iolist_to_binary(lists:reverse(Acc))}
    end.
