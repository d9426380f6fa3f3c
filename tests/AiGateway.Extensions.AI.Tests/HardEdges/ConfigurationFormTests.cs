using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>A configuration value of the wrong form fails at start like any invalid option: one message per key, naming the form.</summary>
public sealed class ConfigurationFormTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] values)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AiGateway:AccountId"] = "acct",
            ["AiGateway:Provider"] = "openai",
            ["AiGateway:Model"] = "gpt-4o-mini",
            ["AiGateway:ApiKey"] = TestOptions.ApiKey,
        };
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("AiGateway"));
        return services.BuildServiceProvider();
    }

    /// <summary>What a host does at start for options registered with ValidateOnStart.</summary>
    private static void StartHost(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();

    [Theory]
    [InlineData("AiGateway:Cache:Ttl", "abc", "AiGateway:Cache:Ttl must be a duration such as 00:05:00")]
    [InlineData("AiGateway:Cache:Ttl", "20", "AiGateway:Cache:Ttl must be a duration such as 00:05:00 (hours:minutes:seconds); a bare number is refused")]
    [InlineData("AiGateway:NetworkTimeout", "300", "AiGateway:NetworkTimeout must be a duration such as 00:05:00")]
    [InlineData("AiGateway:Retry:MaxAttempts", "abc", "AiGateway:Retry:MaxAttempts must be a whole number")]
    [InlineData("AiGateway:FallbackMode", "bogus", "AiGateway:FallbackMode must be Client or Gateway")]
    [InlineData("AiGateway:FallbackMode", "7", "AiGateway:FallbackMode must be Client or Gateway")]
    [InlineData("AiGateway:Cache:SkipCache", "maybe", "AiGateway:Cache:SkipCache must be true or false")]
    [InlineData("AiGateway:EndpointKind", "rest", "AiGateway:EndpointKind must be Gateway or CloudflareApi")]
    [InlineData("AiGateway:Api", "v2", "AiGateway:Api must be ChatCompletions or Responses")]
    [InlineData("AiGateway:Fallbacks:0:Api", "1", "AiGateway:Fallbacks:0:Api must be ChatCompletions or Responses")]
    [InlineData("AiGateway:Retry:Backoff", "fast", "AiGateway:Retry:Backoff must be Constant, Linear or Exponential")]
    [InlineData("AiGateway:NetworkTimeout", "10 minutes", "AiGateway:NetworkTimeout must be a duration")]
    [InlineData("AiGateway:CustomCost:PerTokenIn", "cheap", "AiGateway:CustomCost:PerTokenIn must be a number")]
    [InlineData("AiGateway:Fallbacks:0:Cache:Ttl", "soon", "AiGateway:Fallbacks:0:Cache:Ttl must be a duration")]
    public void AValueOfTheWrongForm_FailsAtStart_NamingTheKeyAndTheForm(string key, string value, string expected)
    {
        var services = Build((key, value), ("AiGateway:Fallbacks:0:Provider", "groq"));

        var error = Assert.Throws<OptionsValidationException>(() => StartHost(services));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(value, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadKey_IsNamed_InOneFailure()
    {
        var services = Build(("AiGateway:Cache:Ttl", "abc"), ("AiGateway:Retry:MaxAttempts", "x"), ("AiGateway:Zdr", "yes"));

        var error = Assert.Throws<OptionsValidationException>(() => StartHost(services));

        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public async Task AtTheFirstRequest_WithoutAHost_TheSameFailureSurfaces()
    {
        var services = Build(("AiGateway:Cache:Ttl", "abc"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => services.GetRequiredService<IChatClient>().GetResponseAsync("Hi"));

        Assert.StartsWith("AiGateway:Cache:Ttl must be a duration", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void WellFormedValues_Bind()
    {
        var services = Build(("AiGateway:Cache:Ttl", "00:05:00"), ("AiGateway:Retry:MaxAttempts", "3"), ("AiGateway:FallbackMode", "gateway"),
            ("AiGateway:Cache:SkipCache", "True"), ("AiGateway:Fallbacks:0:Provider", "groq"), ("AiGateway:Fallbacks:0:Model", "llama-3.3-70b-versatile"));

        StartHost(services);
        var options = services.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>().Get(Options.DefaultName);

        Assert.Equal(TimeSpan.FromMinutes(5), options.Cache!.Ttl);
        Assert.Equal(3, options.Retry!.MaxAttempts);
        Assert.Equal(AiGatewayFallbackMode.Gateway, options.FallbackMode);
        Assert.True(options.Cache.SkipCache);
    }
}
