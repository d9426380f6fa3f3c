using System.Globalization;
using System.Runtime.InteropServices;
using AiGateway.Emulator;

// aigateway-emulator [--port 8787] [--host 127.0.0.1] [--chunk-delay-ms 0]
// (dotnet tool install -g AiGateway.Emulator.Tool; in this repository: dotnet run --project src/AiGateway.Emulator.Tool -- ...)
const string Usage = "usage: aigateway-emulator [--port 8787] [--host 127.0.0.1] [--chunk-delay-ms 0]   (--port 0: any free port)";
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
        case "--chunk-delay-ms" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int delay):
            options.StreamChunkDelay = TimeSpan.FromMilliseconds(delay);
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

// Stop cleanly on Ctrl+C (SIGINT) and on SIGTERM (docker stop, systemd), then exit 0. Registered before the first line
// is printed, so a supervisor that signals as soon as it reads "listening" still gets a clean stop.
var stopped = new TaskCompletionSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await using var emulator = await AiGatewayEmulator.StartAsync(options);
Console.WriteLine($"AI Gateway emulator listening on {emulator.Root}");
Console.WriteLine($"  gateway endpoint: {emulator.GatewayEndpoint}   control plane: {emulator.ControlPlaneEndpoint}   faults: {emulator.Root}emulator/faults");
Console.WriteLine("Point the client at it with:");
Console.WriteLine($"  export AiGateway__Endpoint={emulator.GatewayEndpoint}");
Console.WriteLine("  export AiGateway__AccountId=local AiGateway__GatewayId=default AiGateway__ApiKey=emulator-key");
Console.WriteLine("Press Ctrl+C to stop (SIGTERM stops it too).");

await stopped.Task;
Console.WriteLine("AI Gateway emulator stopped.");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}
