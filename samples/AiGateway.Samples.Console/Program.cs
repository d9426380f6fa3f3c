using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using AiGateway.Extensions.AI.Management;
using AiGateway.Samples.Console;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// dotnet run --project samples/AiGateway.Samples.Console -- [--stream] [--repeat N] [--fault provider:status|provider:hang] "your prompt"
// dotnet run --project samples/AiGateway.Samples.Console -- manage [--stream] [--repeat N] "your prompt"   ensure the gateway, chat, send feedback
// dotnet run --project samples/AiGateway.Samples.Console -- embed [--repeat N] "some text"                 embeddings through the gateway
// --fault (emulator only) makes one provider fail (openai:503) or never answer (openai:hang), to watch the fallback route answer instead.
if (!CommandLine.TryParse(args, out var command, out string? problem))
{
    return Report.Error(problem);
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

IConfiguration configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .Build();

// No Cloudflare account configured: run against the embedded AI Gateway emulator instead.
await using var emulator = string.IsNullOrWhiteSpace(configuration["AiGateway:AccountId"])
    ? await AiGatewayEmulator.StartAsync(cancellationToken: cancellation.Token)
    : null;
if (emulator is not null)
{
    configuration = new ConfigurationBuilder()
        .AddConfiguration(configuration)
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
            ["AiGateway:AccountId"] = "local",
            ["AiGateway:ApiKey"] = string.IsNullOrEmpty(configuration["AiGateway:ApiKey"]) ? "emulator-placeholder-key" : configuration["AiGateway:ApiKey"],
        })
        .Build();
    Console.Error.WriteLine($"No AiGateway:AccountId configured: using the embedded AI Gateway emulator at {emulator.GatewayEndpoint}");
    try
    {
        foreach (var fault in command.Faults)
        {
            emulator.Faults.Add(fault);
        }
    }
    catch (ArgumentException e)
    {
        return Report.Error($"--fault: {e.Message}");
    }
}
else if (command.Faults.Count > 0)
{
    return Report.Error("--fault works only on the embedded emulator (no AiGateway:AccountId configured).");
}

// embed and manage take the gateway, endpoint and credentials from the AiGateway section unless their own sections say otherwise.
configuration = SharedGatewaySettings.Apply(configuration);
var services = new ServiceCollection();
if (command.Verb == Verb.Embed)
{
    services.AddAiGatewayEmbeddingGenerator(configuration.GetSection("AiGatewayEmbeddings")).UseOpenTelemetry();
}
else
{
    // Microsoft.Extensions.AI's pipeline, outermost first: tool calls, the GenAI span and metrics (add an OpenTelemetry
    // exporter to see them, with .AddSource(AiGatewayTelemetry.SourceName) for the gateway's attempts), then our fallback.
    services.AddAiGatewayChatClient(configuration.GetSection("AiGateway"))
        .UseFunctionInvocation()
        .UseOpenTelemetry()
        .UseAiGatewayFallback();
}

if (command.Verb == Verb.Manage)
{
    services.AddAiGatewayManagement(configuration.GetSection("AiGatewayManagement"));
}

await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
try
{
    return await (command.Verb switch
    {
        Verb.Embed => Verbs.EmbedAsync(provider, command, cancellation.Token),
        Verb.Manage => Verbs.ManageAsync(provider, command, configuration["AiGateway:GatewayId"] ?? "default", cancellation.Token),
        _ => Verbs.ChatAsync(provider, command, cancellation.Token),
    });
}
catch (AiGatewayException e)
{
    return Report.Error(e.Message);
}
catch (CloudflareApiException e)
{
    return Report.Error(e.Message);
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    return Report.Error("Invalid configuration: " + string.Join(" ", e.Failures));
}
catch (OperationCanceledException)
{
    return Report.Error("Cancelled.");
}
