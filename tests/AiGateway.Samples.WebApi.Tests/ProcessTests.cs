using System.Diagnostics;
using System.Reflection;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>The web sample as a process, with the emulator embedded (no Cloudflare account configured).</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task WithTheEmulatorEmbedded_TheAppStillStopsOnSigterm_AndListensWhereTheHostSays()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "AiGateway.Samples.WebApi.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["AiGateway__AccountId"] = string.Empty;
        using var process = Process.Start(start)!;
        try
        {
            string? listening = null;
            while (listening is null && await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
            {
                if (line.Contains("Now listening on: ", StringComparison.Ordinal))
                {
                    listening = line[(line.IndexOf("Now listening on: ", StringComparison.Ordinal) + "Now listening on: ".Length)..].Trim();
                }
            }

            Assert.NotNull(listening);
            Assert.StartsWith("http://127.0.0.1:", listening, StringComparison.Ordinal);
            Assert.NotEqual("http://127.0.0.1:5080", listening);
            using (var http = new HttpClient())
            {
                Assert.Contains("ok", await http.GetStringAsync(new Uri(new Uri(listening), "healthz")), StringComparison.Ordinal);
            }

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task AConsoleAppWithTheEmulatorEmbedded_StillStopsOnSigterm()
    {
        // The console sample embeds the emulator and has no host of its own: SIGTERM must end it even mid-request.
        string dll = Path.GetFullPath(typeof(ProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ConsoleSample").Value!);
        var start = new ProcessStartInfo("dotnet", [dll, "--fault", "openai:hang", "--fault", "groq:hang", "Hello?"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["AiGateway__AccountId"] = string.Empty;
        using var process = Process.Start(start)!;
        try
        {
            string? line = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("No AiGateway:AccountId configured: using the embedded AI Gateway emulator", line, StringComparison.Ordinal);
            Assert.False(process.HasExited);

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

            Assert.True(process.HasExited);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
