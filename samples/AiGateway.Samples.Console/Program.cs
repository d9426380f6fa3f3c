using System.Globalization;
using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using AiGateway.Extensions.AI.Management;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// dotnet run --project samples/AiGateway.Samples.Console -- [--stream] [--repeat N] [--fault provider:status|provider:hang] "your prompt"
// dotnet run --project samples/AiGateway.Samples.Console -- manage "your prompt"     ensure the gateway, chat, send feedback
// dotnet run --project samples/AiGateway.Samples.Console -- embed "some text"        embeddings through the gateway
// --fault (emulator only) makes one provider fail (openai:503) or never answer (openai:hang), to watch the fallback route answer instead.
bool manage = args is ["manage", ..];
bool embed = args is ["embed", ..];
if (manage || embed)
{
    args = args[1..];
}

bool stream = false;
int repeat = 1;
var faults = new List<EmulatorFault>();
var words = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--stream":
            stream = true;
            break;
        case "--repeat" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0:
            repeat = n;
            i++;
            break;
        case "--repeat":
            return Fail("--repeat needs a positive number.");
        case "--fault" when i + 1 < args.Length && args[i + 1].Split(':') is [var faultProvider, "hang"]:
            faults.Add(new EmulatorFault { Provider = faultProvider, Hang = true });
            i++;
            break;
        case "--fault" when i + 1 < args.Length && args[i + 1].Split(':') is [var faultProvider, var status] && int.TryParse(status, NumberStyles.Integer, CultureInfo.InvariantCulture, out int code):
            faults.Add(new EmulatorFault { Provider = faultProvider, Status = code });
            i++;
            break;
        case "--fault":
            return Fail("--fault needs provider:status or provider:hang, for example openai:503.");
        default:
            words.Add(args[i]);
            break;
    }
}

string prompt = words.Count > 0 ? string.Join(' ', words) : "What is the capital of France?";

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var configuration = new ConfigurationBuilder()
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
            ["AiGatewayEmbeddings:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
            ["AiGatewayEmbeddings:AccountId"] = "local",
            ["AiGatewayEmbeddings:ApiKey"] = string.IsNullOrEmpty(configuration["AiGatewayEmbeddings:ApiKey"]) ? "emulator-placeholder-key" : configuration["AiGatewayEmbeddings:ApiKey"],
            ["AiGatewayManagement:BaseUrl"] = emulator.ControlPlaneEndpoint.AbsoluteUri,
            ["AiGatewayManagement:AccountId"] = "local",
            ["AiGatewayManagement:ApiToken"] = "emulator-placeholder-token",
        })
        .Build();
    Console.Error.WriteLine($"No AiGateway:AccountId configured: using the embedded AI Gateway emulator at {emulator.GatewayEndpoint}");
    faults.ForEach(fault => emulator.Faults.Add(fault));
}
else if (faults.Count > 0)
{
    return Fail("--fault works only on the embedded emulator (no AiGateway:AccountId configured).");
}
else if (string.IsNullOrWhiteSpace(configuration["AiGatewayEmbeddings:AccountId"]))
{
    // Embeddings go through the same gateway unless their section names another.
    configuration = new ConfigurationBuilder()
        .AddConfiguration(configuration)
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiGatewayEmbeddings:AccountId"] = configuration["AiGateway:AccountId"],
            ["AiGatewayEmbeddings:GatewayId"] = configuration["AiGateway:GatewayId"],
            ["AiGatewayEmbeddings:Token"] = configuration["AiGateway:Token"],
        })
        .Build();
}

var services = new ServiceCollection();
if (manage)
{
    services.AddAiGatewayManagement(configuration.GetSection("AiGatewayManagement"));
}

// Microsoft.Extensions.AI's pipeline, outermost first: tool calls, the GenAI span and metrics (add an OpenTelemetry
// exporter to see them, with .AddSource(AiGatewayTelemetry.SourceName) for the gateway's attempts), then our fallback.
if (embed)
{
    services.AddAiGatewayEmbeddingGenerator(configuration.GetSection("AiGatewayEmbeddings")).UseOpenTelemetry();
}

services.AddAiGatewayChatClient(configuration.GetSection("AiGateway"))
    .UseFunctionInvocation()
    .UseOpenTelemetry()
    .UseAiGatewayFallback();
await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

try
{
    if (embed)
    {
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        for (int i = 0; i < repeat; i++)
        {
            var embeddings = await generator.GenerateAsync([prompt], cancellationToken: cancellation.Token);
            var vector = embeddings[0].Vector;
            Console.WriteLine($"dimensions={vector.Length} first=[{string.Join(", ", vector[..Math.Min(4, vector.Length)].ToArray().Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine(Describe(embeddings.GetGatewayInfo()));
        }

        return 0;
    }

    var chat = provider.GetRequiredService<IChatClient>();
    if (manage)
    {
        return await ManageAsync(provider, chat, configuration["AiGateway:GatewayId"] ?? "default", prompt, cancellation.Token);
    }

    // One real tool: the model may ask for the current time ("What time is it?") and answers from the result.
    var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), "get_current_time", "Gets the current date and time (UTC, ISO 8601).")] };
    for (int i = 0; i < repeat; i++)
    {
        ChatResponse response;
        if (stream)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in chat.GetStreamingResponseAsync(prompt, options, cancellation.Token))
            {
                Console.Write(update.Text);
                updates.Add(update);
            }

            Console.WriteLine();
            response = updates.ToChatResponse();
        }
        else
        {
            response = await chat.GetResponseAsync(prompt, options, cancellation.Token);
            Console.WriteLine(response.Text);
        }

        Console.WriteLine(Describe(response.GetGatewayInfo()));
    }

    return 0;
}
catch (AiGatewayException e)
{
    return Fail(e.Message);
}
catch (CloudflareApiException e)
{
    return Fail(e.Message);
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    return Fail("Invalid configuration: " + string.Join(" ", e.Failures));
}
catch (OperationCanceledException)
{
    return Fail("Cancelled.");
}

// Ensure the gateway exists with the settings this app needs, ask the question, then rate the answer on its log.
static async Task<int> ManageAsync(IServiceProvider provider, IChatClient chat, string gatewayId, string prompt, CancellationToken cancellationToken)
{
    var management = provider.GetRequiredService<AiGatewayManagementClient>();
    var ensured = await management.EnsureGatewayAsync(gatewayId, new AiGatewaySettings { CollectLogs = true, CacheTtl = 300 }, cancellationToken);
    Console.WriteLine($"gateway {gatewayId}: {(ensured.Created ? "created" : ensured.ChangedSettings.Count > 0 ? "updated " + string.Join(", ", ensured.ChangedSettings) : "already as wanted")}");

    var response = await chat.GetResponseAsync(prompt, cancellationToken: cancellationToken);
    Console.WriteLine(response.Text);
    Console.WriteLine(Describe(response.GetGatewayInfo()));

    var logs = provider.GetRequiredService<AiGatewayLogsClient>();
    await logs.SendFeedbackAsync(response, AiGatewayFeedback.Positive, score: 100, cancellationToken);
    var log = await logs.GetLogAsync(gatewayId, response.GetGatewayInfo()!.LogId!, cancellationToken);
    Console.WriteLine($"feedback={log.Feedback} score={log.Score} log={log.Id}");
    return 0;
}

static string Describe(AiGatewayResponseInfo? info)
{
    if (info is null)
    {
        return "cache=- provider=- model=- log=- step=- attempts=0";
    }

    string cache = info.CacheStatus switch
    {
        AiGatewayCacheStatus.Hit => "HIT",
        AiGatewayCacheStatus.Miss => "MISS",
        _ => "-",
    };
    string step = info.Step?.ToString(CultureInfo.InvariantCulture) ?? "-";
    return $"cache={cache} provider={info.Provider} model={info.Model} log={info.LogId ?? "-"} step={step} attempts={info.Attempts.Count}";
}

static int Fail(string message)
{
    Console.Error.WriteLine("error: " + message.ReplaceLineEndings(" "));
    return 1;
}
