using System.Globalization;
using System.Runtime.InteropServices;
using AiGateway.Emulator;

// aigateway-emulator [--port 8787] [--host 127.0.0.1] [--token T] [--chunk-delay-ms 0] [--strict-models] [--model provider/model]
// (dotnet tool install -g AiGateway.Emulator.Tool; in this repository: dotnet run --project src/AiGateway.Emulator.Tool -- ...)
const string Usage = "usage: aigateway-emulator [--port 8787] [--host 127.0.0.1] [--token T] [--chunk-delay-ms 0] [--strict-models] [--model provider/model ...]   (--port 0: any free port)";
var options = new AiGatewayEmulatorOptions { Port = 8787 };
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535:
            options.Port = port;
            i++;
            break;
        case "--host" when !string.IsNullOrWhiteSpace(value):
            options.Host = value;
            i++;
            break;
        case "--token" when !string.IsNullOrWhiteSpace(value):
            options.Tokens.Add(value);
            i++;
            break;
        case "--chunk-delay-ms" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int delay):
            options.StreamChunkDelay = TimeSpan.FromMilliseconds(delay);
            i++;
            break;
        case "--strict-models":
            options.StrictModels = true;
            break;
        case "--model" when value?.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash && slash < value.Length - 1:
            string provider = value[..slash];
            if (!options.Models.TryGetValue(provider, out var models))
            {
                options.Models[provider] = models = new HashSet<string>(StringComparer.Ordinal);
            }

            models.Add(value[(slash + 1)..]);
            i++;
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"error: '{args[i]}'{(value is null ? string.Empty : $" '{value}'")} is not understood. {Usage}");
            return 2;
    }
}

if (Environment.GetEnvironmentVariable("AIGATEWAY_EMULATOR_TOKEN") is { Length: > 0 } fromEnvironment)
{
    options.Tokens.Add(fromEnvironment);
}

// Beyond loopback the control plane and the faults API need a token, given by whoever starts the emulator (never
// made up and printed here, where console logs would keep it).
if (!options.HostIsLoopback && options.Tokens.Count == 0)
{
    Console.Error.WriteLine($"error: --host {options.Host} reaches beyond this machine, so the control plane and the faults API need a token: give one with --token <token> or AIGATEWAY_EMULATOR_TOKEN.");
    return 2;
}

// Stop cleanly on Ctrl+C (SIGINT) and on SIGTERM (docker stop, systemd), then exit 0. Registered before the first line
// is printed, so a supervisor that signals as soon as it reads "listening" still gets a clean stop.
var stopped = new TaskCompletionSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
AiGatewayEmulator emulator;
try
{
    emulator = await AiGatewayEmulator.StartAsync(options);
}
catch (Exception e) when (e is ArgumentException or IOException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}

await using (emulator)
{
    Console.WriteLine($"AI Gateway emulator listening on {emulator.ListeningOn}");
    Console.WriteLine($"  gateway endpoint: {emulator.GatewayEndpoint}   control plane: {emulator.ControlPlaneEndpoint}   faults: {emulator.Root}emulator/faults");
    if (!options.HostIsLoopback)
    {
        Console.WriteLine($"  {options.Host} reaches beyond this machine: the control plane and the faults API take only Authorization: Bearer <your token>.");
        Console.WriteLine($"  From another machine, use this machine's address in place of {emulator.Root.Host}.");
    }

    if (options.StrictModels)
    {
        Console.WriteLine("  Strict models: providers with a model list answer any other model as they do (404 or 400).");
    }

    Console.WriteLine("Point the client at it with:");
    Console.WriteLine($"  export AiGateway__Endpoint={emulator.GatewayEndpoint}");
    Console.WriteLine("  export AiGateway__AccountId=local AiGateway__GatewayId=default AiGateway__ApiKey=emulator-key");
    Console.WriteLine("Press Ctrl+C to stop (SIGTERM stops it too).");

    await stopped.Task;
}

Console.WriteLine("AI Gateway emulator stopped.");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}
