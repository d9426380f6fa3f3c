using System.Diagnostics;
using System.Reflection;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>The samples and the emulator tool as processes, run from their build output.</summary>
internal static class SampleProcess
{
    public static string ConsoleDll => BuiltDll("ConsoleSample");

    public static string ToolDll => BuiltDll("EmulatorTool");

    public static string WebDll => Path.Combine(AppContext.BaseDirectory, "AiGateway.Samples.WebApi.dll");

    /// <summary>Starts <paramref name="dll"/> with no Cloudflare account configured unless <paramref name="environment"/> sets one.</summary>
    public static Process Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["AiGateway__AccountId"] = string.Empty;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs <paramref name="dll"/> to its end (at most a minute).</summary>
    /// <returns>The exit code, stdout and stderr.</returns>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(dll, args, environment);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> does.</summary>
    public static async Task TerminateAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
    }

    private static string BuiltDll(string key) =>
        Path.GetFullPath(typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);
}
