using System.Text;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>One command pasted in the README (after <c>$ </c>) and the output pasted under it.</summary>
/// <param name="Command">The command line, continuations joined.</param>
/// <param name="Output">The pasted output.</param>
internal sealed record TranscriptStep(string Command, string Output);

/// <summary>A fenced block of the README that holds <c>$ </c> commands with their output: a session to run again.</summary>
/// <param name="Line">The line of the block's first command, which names it.</param>
/// <param name="Steps">Its commands in order.</param>
internal sealed record Transcript(int Line, IReadOnlyList<TranscriptStep> Steps)
{
    /// <summary>Finds every transcript in <paramref name="markdown"/>.</summary>
    public static List<Transcript> Parse(string markdown)
    {
        var transcripts = new List<Transcript>();
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            // A fence may be indented (inside a list item); its lines are, by as much.
            int indent = lines[i].IndexOf("```", StringComparison.Ordinal);
            if (indent < 0 || lines[i][..indent].Trim().Length > 0)
            {
                continue;
            }

            var steps = new List<TranscriptStep>();
            int first = 0;
            string? command = null;
            var output = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
            {
                string line = lines[i].Length >= indent && lines[i][..indent].Trim().Length == 0 ? lines[i][indent..] : lines[i];
                if (line.StartsWith("$ ", StringComparison.Ordinal))
                {
                    if (command is not null)
                    {
                        steps.Add(new TranscriptStep(command, output.ToString()));
                    }

                    first = first == 0 ? i + 1 : first;
                    command = line[2..];
                    while (command.EndsWith('\\') && i + 1 < lines.Length)
                    {
                        command = command[..^1] + " " + lines[++i].Trim();
                    }

                    output.Clear();
                }
                else if (command is not null)
                {
                    output.Append(line).Append('\n');
                }
            }

            if (command is not null)
            {
                steps.Add(new TranscriptStep(command, output.ToString()));
                transcripts.Add(new Transcript(first, steps));
            }
        }

        return transcripts;
    }

    /// <summary>Splits a command line into words as a POSIX shell would for the quoting the README uses.</summary>
    public static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (c == '\'')
            {
                int end = command.IndexOf('\'', i + 1);
                word.Append(command, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                for (i++; command[i] != '"'; i++)
                {
                    word.Append(command[i] == '\\' && command[i + 1] is '"' or '\\' or '$' ? command[++i] : command[i]);
                }

                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
