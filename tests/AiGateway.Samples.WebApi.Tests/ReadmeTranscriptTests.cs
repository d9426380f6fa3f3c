using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>
/// Every session pasted in the README (a fenced block of <c>$ </c> commands) runs again here, and its output must be
/// what the samples print now, so the README cannot drift from them. Ids, times and ports are compared by shape; the
/// embedded emulator's notice on stderr may be pasted or left out.
/// </summary>
public sealed partial class ReadmeTranscriptTests
{
    private const string WebSampleAddress = "http://127.0.0.1:5080";

    private static readonly Lazy<List<Transcript>> s_transcripts = new(() => Transcript.Parse(File.ReadAllText(
        typeof(ReadmeTranscriptTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Readme").Value!)));

    public static TheoryData<int> Sessions() => [.. s_transcripts.Value.Select(t => t.Line)];

    [Fact]
    public void TheReadmeHasSessionsOfEverySample()
    {
        var commands = s_transcripts.Value.SelectMany(t => t.Steps).Select(s => s.Command).ToList();

        Assert.Contains(commands, c => c.Contains("samples/AiGateway.Samples.Console -- embed", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("samples/AiGateway.Samples.Console -- manage", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("curl ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("dotnet run --project samples/AiGateway.Samples.WebApi", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public async Task ThePastedSession_IsWhatTheSamplesPrint(int line)
    {
        var transcript = s_transcripts.Value.Single(t => t.Line == line);
        await using var web = new LazyWebSample();
        var expected = new StringBuilder();
        var actual = new StringBuilder();
        foreach (var step in transcript.Steps)
        {
            string output = await RunAsync(step.Command, web);
            expected.Append("$ ").Append(step.Command).Append('\n').Append(Normalize(step.Output));
            actual.Append("$ ").Append(step.Command).Append('\n').Append(Normalize(output));
            TestContext.Current.TestOutputHelper?.WriteLine($"$ {step.Command}\n{output.TrimEnd()}");
        }

        Assert.Equal(expected.ToString(), actual.ToString());
    }

    /// <summary>Runs one pasted command: a sample through <c>dotnet run --project</c>, or <c>curl</c> against the web sample.</summary>
    private static async Task<string> RunAsync(string command, LazyWebSample web)
    {
        var words = Transcript.Words(command);
        var environment = new Dictionary<string, string>();
        while (words.Count > 0 && EnvironmentAssignment().Match(words[0]) is { Success: true } assignment)
        {
            environment[assignment.Groups[1].Value] = assignment.Groups[2].Value;
            words.RemoveAt(0);
        }

        switch (words)
        {
            case ["dotnet", "run", "--project", "samples/AiGateway.Samples.Console", "--", .. var args]:
                return Output(await SampleProcess.RunAsync(SampleProcess.ConsoleDll, args, environment));
            case ["dotnet", "run", "--project", "samples/AiGateway.Samples.WebApi"]:
                // Only a run that ends (a refused configuration) can be pasted with its output.
                return Output(await SampleProcess.RunAsync(SampleProcess.WebDll, [], environment));
            case ["curl", .. var args] when environment.Count == 0:
                return await CurlAsync(args, await web.GetAsync());
            default:
                Assert.Fail($"The README pastes a command this test cannot run again: {command}");
                return string.Empty;
        }
    }

    /// <summary>What a terminal shows, less the emulator's notice: the answer (stdout), then any error (stderr).</summary>
    private static string Output((int ExitCode, string Stdout, string Stderr) run) => run.Stdout + run.Stderr;

    /// <summary>The <c>curl</c> options the README uses: <c>-s</c>, <c>-N</c>, <c>-X</c>, <c>-H</c>, <c>-d</c>.</summary>
    private static async Task<string> CurlAsync(List<string> args, HttpClient http)
    {
        var request = new HttpRequestMessage();
        var headers = new List<(string Name, string Value)>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-s" or "-N":
                    break;
                case "-X":
                    request.Method = new HttpMethod(args[++i]);
                    break;
                case "-H":
                    string header = args[++i];
                    headers.Add((header[..header.IndexOf(':', StringComparison.Ordinal)].Trim(), header[(header.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()));
                    break;
                case "-d":
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(args[++i]));
                    break;
                case var url when url.StartsWith(WebSampleAddress, StringComparison.Ordinal):
                    request.RequestUri = new Uri(http.BaseAddress!, url[WebSampleAddress.Length..]);
                    break;
                default:
                    Assert.Fail($"curl {args[i]} is not an option this test knows.");
                    break;
            }
        }

        foreach (var (name, value) in headers)
        {
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Normalize(string output)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n')
            .Where(l => !l.StartsWith("No AiGateway:AccountId configured: using the embedded AI Gateway emulator at ", StringComparison.Ordinal))
            .Select(l => Shapes().Replace(l.TrimEnd(), m => m.Groups["log"].Success ? "log=<id>"
                : m.Groups["json"].Success ? $"\"{m.Groups["json"].Value}\":\"<id>\""
                : m.Groups["port"].Success ? "127.0.0.1:<port>"
                : "<time>"))
            .ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return string.Concat(lines.Select(l => l + "\n"));
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")]
    private static partial Regex EnvironmentAssignment();

    [GeneratedRegex(@"log=(?<log>[0-9a-f-]{16,})|""(?<json>logId|requestId)"":""[^""]*""|127\.0\.0\.1:(?<port>\d+)|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")]
    private static partial Regex Shapes();

    /// <summary>The web sample as <c>dotnet run</c> starts it (Development, embedded emulator), on loopback, started on first use.</summary>
    private sealed class LazyWebSample : IAsyncDisposable
    {
        private WebApplication? _app;
        private HttpClient? _http;

        public async Task<HttpClient> GetAsync()
        {
            if (_http is null)
            {
                _app = await ChatApp.CreateAsync(["--environment", "Development", "--AiGateway:AccountId="], builder => WebSample.Configure(builder, emulator: null, settings: null, loopback: true));
                await _app.StartAsync();
                _http = new HttpClient { BaseAddress = WebSample.ListeningAddress(_app) };
            }

            return _http;
        }

        public async ValueTask DisposeAsync()
        {
            _http?.Dispose();
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
