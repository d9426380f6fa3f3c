using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using AiGateway.Emulator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>What makes the web sample safe to deploy as a starting point: CORS, rate limits, error answers, configuration checks.</summary>
public sealed class DeploymentTests
{
    private const string TooMany = "Too many requests: wait a moment and try again.";

    [Fact]
    public async Task Cors_AllowsNoOriginByDefault()
    {
        await using var sample = await WebSample.StartAsync();

        var preflight = await sample.Http.SendAsync(Http.Preflight("/chat", "https://anywhere.example"));
        var local = await sample.Http.SendAsync(Http.Preflight("/chat", "http://localhost:5173"));
        var post = Http.Post("/chat", "{}");
        post.Headers.Add("Origin", "https://anywhere.example");
        var posted = await sample.Http.SendAsync(post);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(local.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(posted.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_InDevelopment_AllowsTheLocalFrontEnd()
    {
        await using var sample = await WebSample.StartAsync(environment: "Development");

        var local = await sample.Http.SendAsync(Http.Preflight("/chat/stream", "http://localhost:5173"));
        var other = await sample.Http.SendAsync(Http.Preflight("/chat/stream", "https://anywhere.example"));

        Assert.Equal("http://localhost:5173", local.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_AllowsTheConfiguredOrigins_ForPostOnly()
    {
        await using var sample = await WebSample.StartAsync(new() { ["Cors:AllowedOrigins:0"] = "https://app.example.com" });

        var preflight = await sample.Http.SendAsync(Http.Preflight("/chat", "https://app.example.com"));
        var refused = await sample.Http.SendAsync(Http.Preflight("/chat/stream", "https://evil.example.com"));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://app.example.com", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task RateLimit_DefaultsToTenRequestsAMinutePerClient_AndLeavesHealthzAlone()
    {
        await using var sample = await WebSample.StartAsync();

        // Refused bodies count too: the limit guards the endpoint, whatever is sent to it.
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 11; i++)
        {
            statuses.Add((await sample.Http.SendAsync(Http.Post(i % 2 == 0 ? "/chat" : "/chat/stream", "{}"))).StatusCode);
        }

        var limited = await sample.Http.SendAsync(Http.Post("/chat"));

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.BadRequest, 10), statuses.Take(10));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(TooMany, (await limited.ReadJsonAsync())["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await sample.Http.GetAsync("/healthz")).StatusCode);
        Assert.Empty(sample.Emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task WithAuthenticationInFront_AnonymousCallersAre401_AndEachUserHasTheirOwnLimit()
    {
        // As the README shows: a scheme (here one that signs in whoever X-Test-User names) and a fallback policy.
        await using var sample = await WebSample.StartAsync(
            new() { ["RateLimit:PermitLimit"] = "2", ["Cors:AllowedOrigins:0"] = "https://app.example.com" },
            configure: builder =>
            {
                builder.Services.AddAuthentication(TestUser.Name).AddScheme<AuthenticationSchemeOptions, TestUser>(TestUser.Name, null);
                builder.Services.AddAuthorization(auth => auth.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            });

        async Task<HttpStatusCode> AskAs(string? user)
        {
            var request = Http.Post("/chat");
            if (user is not null)
            {
                request.Headers.Add("X-Test-User", user);
            }

            return (await sample.Http.SendAsync(request)).StatusCode;
        }

        var anonymous = await AskAs(null);
        var alice = new[] { await AskAs("alice"), await AskAs("alice"), await AskAs("alice") };
        var bob = await AskAs("bob");
        var preflight = await sample.Http.SendAsync(Http.Preflight("/chat", "https://app.example.com"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], alice);
        Assert.Equal(HttpStatusCode.OK, bob);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sample.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task RateLimit_BehindALocalProxy_CountsEachForwardedClientApart()
    {
        await using var sample = await WebSample.StartAsync(new() { ["RateLimit:PermitLimit"] = "2", ["RateLimit:Window"] = "01:00:00" }, loopback: true);

        async Task<HttpStatusCode> AskFrom(string address)
        {
            var request = Http.Post("/chat");
            request.Headers.Add("X-Forwarded-For", address);
            return (await sample.Http.SendAsync(request)).StatusCode;
        }

        var first = new[] { await AskFrom("203.0.113.7"), await AskFrom("203.0.113.7"), await AskFrom("203.0.113.7") };
        var second = await AskFrom("198.51.100.9");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, second);
    }

    [Theory]
    [InlineData(503, null, HttpStatusCode.BadGateway, "The AI provider could not answer. Try again later.")]
    [InlineData(504, null, HttpStatusCode.GatewayTimeout, "The AI provider did not answer in time. Try again later.")]
    [InlineData(429, null, HttpStatusCode.ServiceUnavailable, "The AI provider is busy. Try again later.")]
    [InlineData(424, 2016, HttpStatusCode.UnprocessableEntity, "The gateway's guardrails blocked this message or its answer.")]
    [InlineData(0, null, HttpStatusCode.BadGateway, "The AI provider could not answer. Try again later.")]
    public async Task GatewayFailures_AnswerAStableMessageWithTheIds_AndLogTheDetail(int status, int? gatewayCode, HttpStatusCode expected, string message)
    {
        await using var sample = await WebSample.StartAsync();

        // 0: a malformed answer, whose parser text ("'d' is an invalid start of a value") must stay in the server log.
        sample.Emulator.Faults.Add(status == 0 ? new EmulatorFault { Malformed = true } : new EmulatorFault { Status = status, GatewayCode = gatewayCode });

        foreach (string path in new[] { "/chat", "/chat/stream" })
        {
            var response = await sample.Http.SendAsync(Http.Post(path));
            string text = await response.Content.ReadAsStringAsync();
            var body = await response.ReadJsonAsync();

            Assert.Equal(expected, response.StatusCode);
            Assert.False(body["success"]!.GetValue<bool>());
            Assert.Equal(message, body["error"]!.GetValue<string>());
            Assert.Contains(body["logId"]!.GetValue<string>(), sample.Emulator.State.GetLogs("default").Select(l => l.Id));
            string requestId = body["requestId"]!.GetValue<string>();
            Assert.DoesNotContain("Emulated", text, StringComparison.Ordinal);
            Assert.DoesNotContain("invalid start", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-web-test-key", text, StringComparison.Ordinal);
            var logged = Assert.Single(sample.Logs.GetSnapshot(), l => l.Category == "AiGateway.Samples.WebApi.ChatEndpoints" && l.Message.Contains(requestId, StringComparison.Ordinal));
            Assert.Equal(LogLevel.Warning, logged.Level);
            Assert.NotNull(logged.Exception);
        }
    }

    [Fact]
    public async Task AFailureMidStream_EndsWithAnErrorEventCarryingTheStableMessage()
    {
        await using var sample = await WebSample.StartAsync();
        sample.Emulator.Faults.Add(new EmulatorFault { ErrorEventAfterChunks = 3 });

        string stream = await (await sample.Http.SendAsync(Http.Post("/chat/stream"))).Content.ReadAsStringAsync();

        Assert.Contains("data: {\"delta\":\"The\"}", stream, StringComparison.Ordinal);
        Assert.Contains("event: error\ndata: {\"success\":false,\"error\":\"The AI provider could not answer. Try again later.\",\"logId\":\"", stream, StringComparison.Ordinal);
        Assert.DoesNotContain("event: done", stream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnexpectedFailure_Answers500WithAStableMessage_AndLogsTheException()
    {
        await using var sample = await WebSample.StartAsync(configure: builder => builder.Services.AddSingleton<IStartupFilter>(new BrokenBody()));

        var response = await sample.Http.SendAsync(Http.Post("/chat"));
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Something went wrong on our side.", body["error"]!.GetValue<string>());
        Assert.NotNull(body["requestId"]);
        Assert.DoesNotContain("disk on fire", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(sample.Logs.GetSnapshot(), l => l.Level == LogLevel.Error && l.Exception?.Message == "disk on fire");
    }

    [Theory]
    [InlineData("AiGateway:Provider", "opnai", "AiGateway:Provider 'opnai' is not a provider")]
    [InlineData("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins:0 '*' is not an origin")]
    [InlineData("Cors:AllowedOrigins:0", "https://app.example.com/", "Cors:AllowedOrigins:0 'https://app.example.com/' is not an origin")]
    [InlineData("Cors:AllowedOrigins:0", "app.example.com", "Cors:AllowedOrigins:0 'app.example.com' is not an origin")]
    [InlineData("RateLimit:Window", "60", "RateLimit:Window must be between 00:00:01 and 23:59:59")]
    [InlineData("RateLimit:Window", "00:00:00", "RateLimit:Window must be between 00:00:01 and 23:59:59")]
    [InlineData("RateLimit:PermitLimit", "0", "RateLimit:PermitLimit must be at least 1.")]
    [InlineData("RateLimit:PermitLimit", "ten", "'RateLimit:PermitLimit'")]
    [InlineData("Chat:MaxRequestBytes", "0", "Chat:MaxRequestBytes must be at least 1.")]
    public async Task BadConfiguration_StopsTheAppBeforeItListens_NamingTheKey(string key, string value, string expected)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => WebSample.StartAsync(new() { [key] = value }));

        Assert.Contains(failure.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadConfiguration_InSeveralSections_IsReportedAtOnce()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => WebSample.StartAsync(new()
        {
            ["AiGateway:Provider"] = "opnai",
            ["Cors:AllowedOrigins:0"] = "*",
            ["RateLimit:Window"] = "60",
        }));

        Assert.Equal(3, failure.Failures.Count());
        Assert.Contains(failure.Failures, f => f.StartsWith("AiGateway:Provider", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("Cors:AllowedOrigins:0", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("RateLimit:Window", StringComparison.Ordinal));
    }

    /// <summary>Signs in the user named by <c>X-Test-User</c>; no header, no user.</summary>
    private sealed class TestUser(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers["X-Test-User"] is [{ } user]
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], Name)), Name))
                : AuthenticateResult.NoResult());
    }

    /// <summary>Makes reading the request body fail, as a broken connection or disk would.</summary>
    private sealed class BrokenBody : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, proceed) =>
            {
                context.Request.Body = new Failing();
                return proceed(context);
            });
            next(app);
        };

        private sealed class Failing : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => throw new IOException("disk on fire");

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("disk on fire");

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
