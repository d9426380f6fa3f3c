using System.Net;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>The emulator refuses input the real gateway would, instead of misbehaving later.</summary>
public sealed class InputValidationTests
{
    [Theory]
    [InlineData("BAD ID!")]
    [InlineData("Upper")]
    [InlineData("under_score")]
    public async Task AGatewayIdOutsideCloudflaresForm_IsRefused(string id)
    {
        await using var client = await StartAsync();

        var response = await client.ControlAsync(HttpMethod.Post, "gateways", $$"""{"id":"{{id}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lowercase letters, digits and dashes", (await JsonAsync(response))["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(client.Emulator.State.GetGateway(id));
        await Assert.ThrowsAsync<ArgumentException>(() => AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { Gateways = { new EmulatorGateway { Id = id } } }));
    }

    [Fact]
    public async Task AGatewayIdInCloudflaresForm_IsAccepted()
    {
        await using var client = await StartAsync();

        var response = await client.ControlAsync(HttpMethod.Post, "gateways", """{"id":"prod-eu-2"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(client.Emulator.State.GetGateway("prod-eu-2"));
    }

    [Theory]
    [InlineData("""{"provider":"openai","status":99}""", "status 99 is not an HTTP status")]
    [InlineData("""{"provider":"openai","status":600}""", "status 600 is not an HTTP status")]
    [InlineData("""{"provider":"openai","times":0}""", "times must be at least 1")]
    [InlineData("""{"provider":"openai","dropAfterChunks":-1}""", "dropAfterChunks must not be negative")]
    [InlineData("""{"staus":503}""", "'staus' is not a fault field")]
    [InlineData("""{}""", "The fault does nothing")]
    [InlineData("""{"provider":"openai"}""", "The fault does nothing")]
    [InlineData("""{"provider":"opnai","status":503}""", "provider 'opnai' is not one the emulator serves")]
    [InlineData("""{"provider":"compat","status":503}""", "provider 'compat' never serves a request itself")]
    [InlineData("""{"retryAfter":30}""", "go with a status")]
    [InlineData("""{"gatewayCode":2016}""", "go with a status")]
    [InlineData("""{"hang":true,"status":500}""", "hang never answers")]
    [InlineData("""{"status":500,"dropAfterChunks":2}""", "no answer is left to break")]
    [InlineData("""{"delay":"100.00:00:00"}""", "delay must be at most 49 days")]
    [InlineData("""{"status":true}""", "status: has the wrong type")]
    [InlineData("""[{"status":503}]""", "A fault must be a JSON object")]
    public async Task AFaultThatCannotHappen_IsRefused_AndTheNextRequestIsServed(string fault, string problem)
    {
        await using var client = await StartAsync();

        var refused = await client.PostAsync("emulator/faults", fault);
        var chat = await client.ChatAsync("What is the capital of France?");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(problem, (await JsonAsync(refused))["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(client.Emulator.Faults.Active);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Throws<ArgumentException>(() => client.Emulator.Faults.Add(new EmulatorFault { Status = 99 }));
    }

    [Fact]
    public async Task AFaultThatCannotApply_IsRefusedInProcessToo_WithTheSameReason()
    {
        await using var client = await StartAsync();

        var unknown = Assert.Throws<ArgumentException>(() => client.Emulator.Faults.Add(new EmulatorFault { Provider = "opena", Status = 503 }));
        var nothing = Assert.Throws<ArgumentException>(() => client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai" }));

        Assert.StartsWith("provider 'opena' is not one the emulator serves", unknown.Message, StringComparison.Ordinal);
        Assert.StartsWith("The fault does nothing", nothing.Message, StringComparison.Ordinal);
        Assert.Empty(client.Emulator.Faults.Active);
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "custom-acme", Status = 503 });
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "Workers-AI", Delay = TimeSpan.FromSeconds(1) });
        Assert.Equal(2, client.Emulator.Faults.Active.Count);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task AChatRouteAnswersOnlyPost(string method)
    {
        await using var client = await StartAsync();

        var response = await client.SendAsync(new HttpMethod(method), "v1/acct/default/openai/chat/completions", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
    }
}
