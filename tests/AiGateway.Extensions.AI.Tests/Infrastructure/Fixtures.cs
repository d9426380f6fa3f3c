namespace AiGateway.Extensions.AI.Tests;

/// <summary>Real provider payloads copied from the shared fixture set (see Fixtures/SOURCES.md).</summary>
public static class Fixtures
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static string Text(string relative) => File.ReadAllText(Path(relative));

    /// <summary>Rebuilds an SSE stream from a <c>*.chunks.jsonl</c> file (one decoded data payload per line).</summary>
    public static string SseFromChunks(string relative) =>
        string.Concat(File.ReadAllLines(Path(relative)).Where(l => l.Length > 0).Select(l => $"data: {l}\n\n")) + "data: [DONE]\n\n";
}
