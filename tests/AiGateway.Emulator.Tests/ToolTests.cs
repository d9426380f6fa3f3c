using System.Diagnostics;

namespace AiGateway.Emulator.Tests;

/// <summary>The standalone tool: what it prints is an address to connect to, and it will not open up without a token.</summary>
public sealed class ToolTests
{
    private static Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "aigateway-emulator.dll");
        var info = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("AIGATEWAY_EMULATOR_TOKEN");
        return Process.Start(info)!;
    }

    [Fact]
    public async Task OnEveryInterface_WithoutAToken_ItRefusesToStart_InOneLine()
    {
        using var process = Start("--host", "0.0.0.0", "--port", "0");

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string error = await process.StandardError.ReadToEndAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--token", error, StringComparison.Ordinal);
        Assert.Empty(await process.StandardOutput.ReadToEndAsync());
    }

    [Fact]
    public async Task OnEveryInterface_ItSaysWhereItListens_ButPrintsAnAddressToConnectTo()
    {
        using var process = Start("--host", "0.0.0.0", "--port", "0", "--token", "operator-token");
        try
        {
            var lines = new List<string>();
            while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
                {
                    break;
                }
            }

            string export = Assert.Single(lines, l => l.Contains("AiGateway__Endpoint=", StringComparison.Ordinal));
            Assert.StartsWith("AI Gateway emulator listening on http://0.0.0.0:", lines[0], StringComparison.Ordinal);
            Assert.Contains("AiGateway__Endpoint=http://127.0.0.1:", export, StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.Contains("0.0.0.0", StringComparison.Ordinal) && l != lines[0] && !l.Contains("reaches beyond", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("Authorization: Bearer", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("operator-token", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
