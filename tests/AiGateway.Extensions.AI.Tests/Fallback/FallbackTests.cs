using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Fallback;

/// <summary>Client-side fallback against the emulator's faults, on a fake clock.</summary>
public sealed class FallbackTests
{
    private const string Question = "What is the capital of France?";

    private static async Task<(AiGatewayEmulator Emulator, AiGatewayFallbackChatClient Client, FakeClock Clock)> StartAsync(Action<AiGatewayOptions>? configure = null)
    {
        var clock = new FakeClock();
        var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "mistral", Model = "mistral-small-latest" });
        configure?.Invoke(options);
        var client = new AiGatewayFallbackChatClient(new AiGatewayChatClient(options, null, clock), new AiGatewayFallbackOptions(), clock);
        return (emulator, client, clock);
    }

    private static int Requests(AiGatewayEmulator emulator, string provider) =>
        emulator.State.GetLogs("default").Count(l => l.Provider == provider);

    [Theory]
    [InlineData(429, null, true)]
    [InlineData(408, null, true)]
    [InlineData(500, null, true)]
    [InlineData(502, null, true)]
    [InlineData(503, null, true)]
    [InlineData(400, null, false)]
    [InlineData(401, null, false)]
    [InlineData(403, null, false)]
    [InlineData(404, null, false)]
    [InlineData(422, null, false)]
    [InlineData(424, 2016, false)]
    [InlineData(424, 2017, false)]
    [InlineData(400, 2029, false)]
    [InlineData(400, 2030, false)]
    public async Task EachFailureClass_FallsBackOrNotAsSpecified(int status, int? gatewayCode, bool fallsBack)
    {
        var (emulator, client, _) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = status, GatewayCode = gatewayCode });

        if (fallsBack)
        {
            var response = await client.GetResponseAsync(Question);
            var info = response.GetGatewayInfo()!;
            Assert.Equal("groq", info.Provider);
            Assert.Equal(1, info.RouteIndex);
            Assert.Equal([(0, (int?)status, false), (1, (int?)200, false)], info.Attempts.Select(a => (a.RouteIndex, a.StatusCode, a.Skipped)));
            Assert.Equal("The capital of France is Paris.", response.Text);
        }
        else
        {
            var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(0, Requests(emulator, "groq"));
        }
    }

    [Fact]
    public async Task GatewayRequestTimeout_FallsBack()
    {
        var (emulator, client, clock) = await StartAsync(o => o.RequestTimeout = TimeSpan.FromSeconds(3));
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Hang = true });

        var call = client.GetResponseAsync(Question);

        // The client's wait for the answer's headers, and the emulator's request timeout.
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(3));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("groq", response.GetGatewayInfo()!.Provider);
        Assert.Equal(AiGatewayErrorKind.Timeout, response.GetGatewayInfo()!.Attempts[0].ErrorKind);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task AStreamThatNeverStarts_FallsBackAfterStreamStartTimeout(string provider)
    {
        var (emulator, client, clock) = await StartAsync(o =>
        {
            o.Provider = provider;
            o.Model = provider == "anthropic" ? "claude-sonnet-4-5" : o.Model;
        });
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = provider, Hang = true });

        var call = client.GetStreamingResponseAsync(Question).ToListAsync().AsTask();
        await clock.WaitForTimersAsync();
        clock.Advance(AiGatewayOptions.DefaultStreamStartTimeout);
        var updates = await call.WaitAsync(TimeSpan.FromSeconds(30));

        var info = updates[^1].GetGatewayInfo()!;
        Assert.Equal("groq", info.Provider);
        Assert.Equal(AiGatewayErrorKind.Timeout, info.Attempts[0].ErrorKind);
        Assert.Equal(AiGatewayOptions.DefaultStreamStartTimeout, info.Attempts[0].Duration);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task AStreamThatNeverStarts_NamesStreamStartTimeout(string provider)
    {
        var clock = new FakeClock();
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        emulator.Faults.Add(new EmulatorFault { Provider = provider, Hang = true });
        var options = TestOptions.ForEmulator(emulator, provider, provider == "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini");
        options.StreamStartTimeout = TimeSpan.FromSeconds(5);
        using var client = new AiGatewayChatClient(options, null, clock);

        var call = client.GetStreamingResponseAsync(Question).ToListAsync().AsTask();
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Contains("AiGateway:StreamStartTimeout (00:00:05)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SpendLimitCooldown", "-00:01:00")]
    [InlineData("Cooldown", "400.00:00:00")]
    [InlineData("MaxRetryAfter", "-00:00:01")]
    [InlineData("FailureThreshold", "0")]
    public void AnOptionThatCannotWork_IsRefusedWhereTheFallbackIsAdded_NamingIt(string name, string value)
    {
        var builder = new AiGatewayChatClient(TestOptions.Create()).AsBuilder();

        var error = Assert.Throws<ArgumentException>(() => builder.UseAiGatewayFallback(o =>
        {
            var property = typeof(AiGatewayFallbackOptions).GetProperty(name)!;
            property.SetValue(o, property.PropertyType == typeof(int) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        }));

        Assert.StartsWith($"AiGatewayFallbackOptions.{name} must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnInfiniteNetworkTimeout_AStreamThatNeverStarts_StillEndsAtStreamStartTimeout()
    {
        var clock = new FakeClock();
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Hang = true });
        var options = TestOptions.ForEmulator(emulator);
        options.NetworkTimeout = Timeout.InfiniteTimeSpan;
        using var client = new AiGatewayChatClient(options, null, clock);

        var call = client.GetStreamingResponseAsync(Question).ToListAsync().AsTask();
        await clock.WaitForTimersAsync();
        clock.Advance(AiGatewayOptions.DefaultStreamStartTimeout);
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Contains("StreamStartTimeout", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AiGatewayApi.ChatCompletions)]
    [InlineData(AiGatewayApi.Responses)]
    public async Task WithNoStreamStartTimeout_AStreamThatNeverStarts_EndsAtTheNetworkTimeout(AiGatewayApi api)
    {
        // The SDK's pipeline times only the pieces of a started stream; the start is bounded by the exchange alone.
        var clock = new FakeClock();
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Hang = true });
        var options = TestOptions.ForEmulator(emulator);
        options.Api = api;
        options.StreamStartTimeout = Timeout.InfiniteTimeSpan;
        options.NetworkTimeout = TimeSpan.FromMinutes(2);
        using var client = new AiGatewayChatClient(options, null, clock);

        var call = client.GetStreamingResponseAsync(Question).ToListAsync().AsTask();
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromMinutes(2));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Contains("AiGateway:NetworkTimeout (00:02:00)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedAnswer_FallsBack_AndRoutesAreTriedInOrder()
    {
        var (emulator, client, _) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Malformed = true });
        emulator.Faults.Add(new EmulatorFault { Provider = "groq", Status = 503 });

        var response = await client.GetResponseAsync(Question);

        var info = response.GetGatewayInfo()!;
        Assert.Equal("mistral", info.Provider);
        Assert.Equal([AiGatewayErrorKind.MalformedResponse, AiGatewayErrorKind.ProviderError, (AiGatewayErrorKind?)null], info.Attempts.Select(a => a.ErrorKind));
    }

    [Fact]
    public async Task CallerCancellation_DoesNotFallBack()
    {
        var (emulator, client, clock) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Delay = TimeSpan.FromHours(1) });
        using var cts = new CancellationTokenSource();

        var call = client.GetResponseAsync(Question, cancellationToken: cts.Token);
        await clock.WaitForTimersAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, Requests(emulator, "groq"));
    }

    [Fact]
    public async Task RetryAfter_SkipsTheRouteUntilItPasses_WithNoRequestToIt()
    {
        var (emulator, client, clock) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 429, RetryAfter = TimeSpan.FromSeconds(30), Times = 1 });

        await client.GetResponseAsync(Question);
        var skipped = await client.GetResponseAsync(Question);
        int openAIRequestsWhileCooling = Requests(emulator, "openai");
        clock.Advance(TimeSpan.FromSeconds(30));
        var recovered = await client.GetResponseAsync(Question);

        Assert.Equal(1, openAIRequestsWhileCooling);
        Assert.Equal("groq", skipped.GetGatewayInfo()!.Provider);
        var skip = skipped.GetGatewayInfo()!.Attempts[0];
        Assert.True(skip.Skipped);
        Assert.Null(skip.StatusCode);
        Assert.Equal("openai", recovered.GetGatewayInfo()!.Provider);
        Assert.Equal(2, Requests(emulator, "openai"));
    }

    [Fact]
    public async Task ARouteThatKeepsFailing_CoolsDown_ThenIsProbedAgain()
    {
        var (emulator, client, clock) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("groq", (await client.GetResponseAsync(Question)).GetGatewayInfo()!.Provider);
        }

        for (int i = 0; i < 5; i++)
        {
            await client.GetResponseAsync(Question);
        }

        int whileCooling = Requests(emulator, "openai");
        clock.Advance(TimeSpan.FromSeconds(30));
        emulator.Faults.Clear();
        var probed = await client.GetResponseAsync(Question);

        Assert.Equal(3, whileCooling);
        Assert.Equal("openai", probed.GetGatewayInfo()!.Provider);
    }

    [Fact]
    public async Task WhenEveryRouteFails_OneExceptionListsEveryAttempt()
    {
        var (emulator, client, _) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        emulator.Faults.Add(new EmulatorFault { Provider = "groq", Status = 429, RetryAfter = TimeSpan.FromSeconds(10) });
        emulator.Faults.Add(new EmulatorFault { Provider = "mistral", Status = 500 });

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        Assert.Equal([("openai", 503), ("groq", 429), ("mistral", 500)], error.Attempts.Select(a => (a.Provider, a.StatusCode ?? 0)));
        Assert.Contains("openai/gpt-4o-mini 503", error.Message);
        Assert.Contains("groq/llama-3.3-70b-versatile 429 RateLimited", error.Message);
        Assert.Equal(500, error.StatusCode);
        Assert.IsType<AiGatewayException>(error.InnerException);
    }

    [Fact]
    public async Task WhenEveryRouteIsCoolingDown_TheSoonestIsProbed()
    {
        var (emulator, client, _) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 429, RetryAfter = TimeSpan.FromSeconds(60), Times = 1 });
        emulator.Faults.Add(new EmulatorFault { Provider = "groq", Status = 429, RetryAfter = TimeSpan.FromSeconds(20), Times = 1 });
        emulator.Faults.Add(new EmulatorFault { Provider = "mistral", Status = 429, RetryAfter = TimeSpan.FromSeconds(40), Times = 1 });
        await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        var response = await client.GetResponseAsync(Question);

        Assert.Equal("groq", response.GetGatewayInfo()!.Provider);
        Assert.Equal(3, response.GetGatewayInfo()!.Attempts.Count(a => a.Skipped));
    }

    [Fact]
    public async Task Streaming_FallsBackBeforeTheFirstUpdate()
    {
        var (emulator, client, _) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });

        var updates = await client.GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal("The capital of France is Paris.", string.Concat(updates.Select(u => u.Text)));
        var info = updates[0].GetGatewayInfo()!;
        Assert.Equal("groq", info.Provider);
        Assert.Equal(2, info.Attempts.Count);
        Assert.Equal(2, updates.ToChatResponse().GetGatewayInfo()!.Attempts.Count);
    }

    [Fact]
    public async Task Streaming_DoesNotFallBackOnceOutputIsCommitted()
    {
        var (emulator, client, _) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", ErrorEventAfterChunks = 2 });
        int received = 0;

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Question))
            {
                received++;
            }
        });

        Assert.Equal(2, received);
        Assert.Equal(AiGatewayErrorKind.ProviderError, error.Kind);
        Assert.Equal(0, Requests(emulator, "groq"));
    }

    [Fact]
    public async Task FallbackCanBeTurnedOffForOneRequest()
    {
        var (emulator, client, _) = await StartAsync();
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503, Times = 1 });

        await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question, new ChatOptions().WithoutGatewayFallback()));

        Assert.Equal(0, Requests(emulator, "groq"));
    }

    [Fact]
    public async Task FallbackRoutes_InheritWhatTheyDoNotSet()
    {
        var (emulator, client, _) = await StartAsync(o =>
        {
            o.Metadata = new Dictionary<string, string> { ["app"] = "inherit" };
            o.Cache = new() { Ttl = TimeSpan.FromMinutes(5) };
            o.Fallbacks[0].Metadata = new Dictionary<string, string> { ["tier"] = "backup" };
        });
        await using var _ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503, Times = 1 });

        var response = await client.GetResponseAsync(Question);

        var log = emulator.State.GetLogs("default").Single(l => l.Provider == "groq");
        Assert.Equal("inherit", log.Metadata!["app"]!.GetValue<string>());
        Assert.Equal("backup", log.Metadata["tier"]!.GetValue<string>());
        Assert.Equal(AiGatewayCacheStatus.Miss, response.GetGatewayInfo()!.CacheStatus);
    }
}
