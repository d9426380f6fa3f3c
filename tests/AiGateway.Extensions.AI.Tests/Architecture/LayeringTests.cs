using System.Text.RegularExpressions;

namespace AiGateway.Extensions.AI.Tests.Architecture;

/// <summary>
/// The package's folders depend one way: each uses only folders listed before it in the package README's
/// "Inside the package" list. A scan of the source: every top-level type is owned by its folder, and every
/// identifier that names another folder's type is a reference to that folder.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string s_package = Path.Combine(RepositoryRoot(), "src", "AiGateway.Extensions.AI");

    [Fact]
    public void EveryFolderIsInTheLayerList()
    {
        var layers = Layers();
        var folders = Directory.GetDirectories(s_package).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();

        Assert.True(layers.Count >= 10, "The README's layer list could not be read.");
        Assert.Empty(folders.Except(layers));
        Assert.Empty(Directory.GetFiles(s_package, "*.cs"));
    }

    [Fact]
    public void NoFolderReferencesOneAfterIt()
    {
        var layers = Layers();
        var files = Directory.GetDirectories(s_package)
            .Where(d => layers.Contains(Path.GetFileName(d)))
            .SelectMany(d => Directory.GetFiles(d, "*.cs").Select(f => (Folder: Path.GetFileName(d), Source: Strip(File.ReadAllText(f)), Name: Path.GetFileName(f))))
            .ToList();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, source, _) in files)
        {
            foreach (Match declaration in TopLevelType().Matches(source))
            {
                owners[declaration.Groups["name"].Value] = folder;
            }
        }

        var violations = new List<string>();
        foreach (var (folder, source, name) in files)
        {
            foreach (string identifier in Identifier().Matches(source).Select(m => m.Value).Distinct())
            {
                if (owners.TryGetValue(identifier, out string? owner) && layers.IndexOf(owner) > layers.IndexOf(folder))
                {
                    violations.Add($"{folder}/{name} uses {identifier} from {owner}/");
                }
            }
        }

        Assert.True(owners.Count > 50, "Too few types found: the scan is broken.");
        Assert.Empty(violations);
    }

    private static List<string> Layers() =>
        [.. LayerLine().Matches(File.ReadAllText(Path.Combine(s_package, "README.md"))).Select(m => m.Groups["folder"].Value)];

    /// <summary>The source without comments and string contents, so prose and messages name no types.</summary>
    private static string Strip(string source) => StringLiteral().Replace(Comment().Replace(source, " "), "\"\"");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AiGateway.Extensions.AI.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AiGateway.Extensions.AI.sln) is not above the test's folder.");
    }

    [GeneratedRegex(@"^\d+\. `(?<folder>\w+)/`", RegexOptions.Multiline)]
    private static partial Regex LayerLine();

    // Types declared at the file's top level (file-scoped namespaces: no indentation).
    [GeneratedRegex(@"^(?:(?:public|internal|sealed|static|abstract|partial|readonly|file)\s+)+(?:class|struct|record(?:\s+struct|\s+class)?|enum|interface)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"@?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();
}
