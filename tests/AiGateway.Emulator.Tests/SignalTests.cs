using System.Diagnostics;

namespace AiGateway.Emulator.Tests;

/// <summary>The emulator as a process: SIGTERM (docker stop, systemd) stops it cleanly.</summary>
public sealed class SignalTests
{
    [Fact]
    public async Task TheStandaloneEmulator_StopsOnSigterm()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "aigateway-emulator.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("AI Gateway emulator listening on http://127.0.0.1:", first, StringComparison.Ordinal);

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

            Assert.Equal(0, process.ExitCode);
            Assert.Contains("AI Gateway emulator stopped.", await process.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
