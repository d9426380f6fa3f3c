using System.Globalization;
using System.Runtime.InteropServices;
using AiGateway.Emulator;

// dotnet run --project src/AiGateway.Emulator -- [--port 8787] [--host 127.0.0.1] [--chunk-delay-ms 0]
var options = new AiGatewayEmulatorOptions { Port = 8787 };
for (int i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--host": options.Host = args[++i]; break;
        case "--chunk-delay-ms": options.StreamChunkDelay = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
    }
}

await using var emulator = await AiGatewayEmulator.StartAsync(options);
Console.WriteLine($"AI Gateway emulator listening on {emulator.Root}");
Console.WriteLine($"  gateway endpoint: {emulator.GatewayEndpoint}   control plane: {emulator.ControlPlaneEndpoint}   faults: {emulator.Root}emulator/faults");
Console.WriteLine("Point the client at it with:");
Console.WriteLine($"  export AiGateway__Endpoint={emulator.GatewayEndpoint}");
Console.WriteLine("  export AiGateway__AccountId=local AiGateway__GatewayId=default AiGateway__ApiKey=emulator-key");
Console.WriteLine("Press Ctrl+C to stop (SIGTERM stops it too).");

// Stop cleanly on Ctrl+C (SIGINT) and on SIGTERM (docker stop, systemd), then exit 0.
var stopped = new TaskCompletionSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stopped.Task;
Console.WriteLine("AI Gateway emulator stopped.");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}
