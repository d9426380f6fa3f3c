using System.Globalization;
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
Console.WriteLine("Press Ctrl+C to stop.");

var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();
await stopped.Task;
