using System.Net;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>The Messages endpoint refuses what the request's <c>anthropic-version</c> does not have, as Anthropic does.</summary>
public sealed class AnthropicVersionTests
{
    private const string Route = "v1/acct/default/anthropic/v1/messages";

    private static string Body(string extra, bool stream = false) =>
        $$"""{"model":"claude-sonnet-4-5","max_tokens":50{{extra}}{{(stream ? ",\"stream\":true" : "")}},"messages":[{"role":"user","content":"hi"}]}""";

    [Theory]
    [InlineData(""","temperature":0.3""", "temperature")]
    [InlineData(""","top_p":0.9""", "top_p")]
    [InlineData(""","top_k":5""", "top_k")]
    public async Task Version2026_10_21_RefusesTheSamplingFields_InAnthropicsErrorShape(string field, string name)
    {
        await using var client = await StartAsync();

        var answered = await client.PostAsync(Route, Body(field), ("x-api-key", "k"), ("anthropic-version", "2026-10-21"));
        var streamed = await client.PostAsync(Route, Body(field, stream: true), ("x-api-key", "k"), ("anthropic-version", "2026-10-21"));

        foreach (var response in new[] { answered, streamed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await JsonAsync(response);
            Assert.Equal("error", error["type"]!.GetValue<string>());
            Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
            Assert.Equal($"{name}: Extra inputs are not permitted", error["error"]!["message"]!.GetValue<string>());
            Assert.StartsWith("req_", error["request_id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(""","temperature":0.3""", "2023-06-01")]
    [InlineData("", "2026-10-21")]
    [InlineData(""","temperature":0.3""", null)]
    public async Task WhatTheVersionHas_IsServed(string field, string? version)
    {
        await using var client = await StartAsync();

        var response = version is null
            ? await client.PostAsync(Route, Body(field), ("x-api-key", "k"))
            : await client.PostAsync(Route, Body(field), ("x-api-key", "k"), ("anthropic-version", version));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheCheckCanBeTurnedOff()
    {
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { CheckAnthropicVersion = false });

        var response = await client.PostAsync(Route, Body(""","temperature":0.3"""), ("x-api-key", "k"), ("anthropic-version", "2026-10-21"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
