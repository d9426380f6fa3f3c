using Microsoft.Extensions.Hosting;

namespace AiGateway.Emulator;

/// <summary>
/// The emulator's host lifetime: it starts and stops only when told to, and registers no signal handlers, so an
/// application that embeds the emulator keeps its own SIGTERM / Ctrl+C behaviour (docker stop, systemd).
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
