using System.Text.RegularExpressions;

namespace AiGateway.Samples.WebApi.Tests.Readme;

/// <summary>
/// Every C# block of every README is code that a test runs: each block is found, word for word (indentation and runs
/// of spaces aside), in <see cref="ReadmeSnippets"/> or in the AppHost sample the Aspire tests run. A block's
/// paragraphs (split at blank lines) appear in order, each as consecutive lines, so the scene set between them (a
/// builder, the variables a block assumes) is the only code a reader does not see. Leading comment lines are the
/// block's caption and <c>using</c> directives may be anywhere in the file.
/// </summary>
public sealed partial class ReadmeSnippetCoverageTests
{
    private static readonly string s_root = FindRoot();

    private static readonly string[] s_readmes =
    [
        "README.md",
        "src/AiGateway.Extensions.AI/README.md",
        "src/AiGateway.Emulator/README.md",
        "src/AiGateway.Aspire.Client/README.md",
        "src/AiGateway.Aspire.Hosting/README.md",
    ];

    private static readonly string[] s_sources =
    [
        "tests/AiGateway.Samples.WebApi.Tests/Readme/ReadmeSnippets.cs",
        "tests/AiGateway.Extensions.AI.Tests/Readme/FallbackTests.cs",
        "samples/AiGateway.Samples.AppHost/Program.cs",
    ];

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (string readme in s_readmes)
        {
            int count = CSharpBlock().Count(File.ReadAllText(Path.Combine(s_root, readme)));
            for (int i = 0; i < count; i++)
            {
                data.Add(readme, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void TheBlock_IsCodeATestRuns(string readme, int index)
    {
        string block = CSharpBlock().Matches(File.ReadAllText(Path.Combine(s_root, readme)))[index].Groups["code"].Value;

        var found = s_sources.Where(source => Contains(File.ReadAllText(Path.Combine(s_root, source)), block)).ToList();

        Assert.True(found.Count > 0, $"{readme}, C# block {index + 1}, is not in any of {string.Join(", ", s_sources)}:\n{block}");
    }

    [Fact]
    public void TheCheck_NoticesAnEditedLine()
    {
        string source = File.ReadAllText(Path.Combine(s_root, s_sources[0]));
        string block = CSharpBlock().Matches(File.ReadAllText(Path.Combine(s_root, "README.md")))[0].Groups["code"].Value;

        Assert.True(Contains(source, block));
        Assert.False(Contains(source, block.Replace("GetResponseAsync", "GetResponse", StringComparison.Ordinal)));
        Assert.False(Contains(source, block + "\nConsole.WriteLine(info.Cost);\n"));
    }

    /// <summary>Whether <paramref name="source"/> holds the block's paragraphs in order, each as consecutive lines.</summary>
    private static bool Contains(string source, string block)
    {
        var lines = Normalize(source).ToList();
        var blockLines = Normalize(block, keepBlankLines: true).SkipWhile(l => l.StartsWith("//", StringComparison.Ordinal)).ToList();

        var usings = blockLines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && !l.Contains('(', StringComparison.Ordinal)).ToList();
        if (usings.Any(u => !lines.Contains(WithoutComment(u))))
        {
            return false;
        }

        int at = 0;
        foreach (var paragraph in Paragraphs(blockLines.Where(l => !usings.Contains(l))))
        {
            at = IndexOf(lines, paragraph, at);
            if (at < 0)
            {
                return false;
            }

            at += paragraph.Count;
        }

        return true;
    }

    private static IEnumerable<List<string>> Paragraphs(IEnumerable<string> lines)
    {
        var paragraph = new List<string>();
        foreach (string line in lines)
        {
            if (line.Length == 0)
            {
                if (paragraph.Count > 0)
                {
                    yield return paragraph;
                    paragraph = [];
                }

                continue;
            }

            paragraph.Add(line);
        }

        if (paragraph.Count > 0)
        {
            yield return paragraph;
        }
    }

    private static int IndexOf(List<string> lines, List<string> paragraph, int from)
    {
        for (int i = from; i + paragraph.Count <= lines.Count; i++)
        {
            if (lines.Skip(i).Take(paragraph.Count).SequenceEqual(paragraph))
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<string> Normalize(string text, bool keepBlankLines = false) =>
        text.Split('\n')
            .Select(l => Spaces().Replace(l.Trim(), " "))
            .Where(l => keepBlankLines || l.Length > 0);

    private static string WithoutComment(string line) =>
        line.Contains("//", StringComparison.Ordinal) ? line[..line.IndexOf("//", StringComparison.Ordinal)].TrimEnd() : line;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiGateway.Extensions.AI.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AiGateway.Extensions.AI.sln) is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
