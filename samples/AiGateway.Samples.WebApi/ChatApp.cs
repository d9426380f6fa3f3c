using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AiGateway.Samples.WebApi;

/// <summary>Builds the web app; the tests build the same app on a test server.</summary>
public static partial class ChatApp
{
    [LoggerMessage(LogLevel.Information, "No AiGateway:AccountId configured: using the embedded AI Gateway emulator at {Endpoint}")]
    private static partial void UsingEmulator(ILogger logger, Uri endpoint);

    /// <summary>
    /// Creates the app and checks its configuration. With no <c>AiGateway:AccountId</c> configured it starts the
    /// embedded emulator.
    /// </summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configure">Lets tests replace configuration or the server before the app is built.</param>
    /// <returns>The app, not yet started.</returns>
    /// <exception cref="OptionsValidationException">The configuration is invalid; the failures name each bad key.</exception>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        // No Cloudflare account and no gateway handed over by an Aspire AppHost: answer from an embedded emulator.
        AiGatewayEmulator? emulator = null;
        if (string.IsNullOrWhiteSpace(builder.Configuration["AiGateway:AccountId"]) && builder.Configuration.GetConnectionString("gateway") is null)
        {
            emulator = await AiGatewayEmulator.StartAsync();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
                ["AiGateway:AccountId"] = "local",
                ["AiGateway:ApiKey"] = string.IsNullOrEmpty(builder.Configuration["AiGateway:ApiKey"]) ? "emulator-placeholder-key" : builder.Configuration["AiGateway:ApiKey"],
            });
        }

        // Microsoft.Extensions.AI's pipeline, outermost first: tool calls, the GenAI span and metrics, then our fallback.
        builder.AddAiGatewayChatClient("gateway")
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .UseAiGatewayFallback();
        builder.Services.AddSampleOptions<ChatApiOptions>(builder.Configuration.GetSection("Chat"), (options, section) => options.Problems(section));
        builder.Services.AddSampleOptions<ChatCorsOptions>(builder.Configuration.GetSection("Cors"), (options, section) => options.Problems(section));
        builder.Services.AddSampleOptions<ChatRateLimitOptions>(builder.Configuration.GetSection("RateLimit"), (options, section) => options.Problems(section));

        // Browsers may call the API only from the configured origins (none unless configured).
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<ChatCorsOptions>>((cors, origins) =>
            cors.AddDefaultPolicy(policy => policy.WithOrigins([.. origins.Value.AllowedOrigins]).WithMethods("POST").WithHeaders("Content-Type", "Authorization")));
        builder.Services.AddChatRateLimiter();

        // In the pipeline from the start, requiring nothing until a scheme and a policy are added (README: "Putting
        // authentication in front"); then the rate limiter counts per signed-in user.
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();

        // Behind a reverse proxy the client's address is in X-Forwarded-For; it is trusted from loopback only unless
        // the proxy is added to KnownProxies or KnownNetworks.
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded => forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);

        var app = builder.Build();
        try
        {
            // Every ValidateOnStart check now, so a bad setting stops the app before it listens, with the key's name.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception e) when (e is OptionsValidationException || (e is AggregateException all && all.InnerExceptions.All(i => i is OptionsValidationException)))
        {
            await app.DisposeAsync();
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            // Several sections may fail at once: one exception listing every failure.
            throw e as OptionsValidationException ?? new OptionsValidationException(
                Options.DefaultName, typeof(object), ((AggregateException)e).InnerExceptions.Cast<OptionsValidationException>().SelectMany(f => f.Failures));
        }

        if (emulator is not null)
        {
            UsingEmulator(app.Logger, emulator.GatewayEndpoint);
            app.Lifetime.ApplicationStopped.Register(() => emulator.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }

        app.UseForwardedHeaders();

        // An unexpected failure answers a stable message; the exception goes to the server log.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ChatJson.Error(StatusCodes.Status500InternalServerError, "Something went wrong on our side.", requestId: context.TraceIdentifier).ExecuteAsync(context),
        });
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapChat();
        return app;
    }
}
