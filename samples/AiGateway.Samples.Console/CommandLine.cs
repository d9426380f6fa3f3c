using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AiGateway.Emulator;
using AiGateway.Extensions.AI;

namespace AiGateway.Samples.Console;

/// <summary>The parsed command line. Anything it cannot honour is refused here, with one line, before any work starts.</summary>
internal sealed record CommandLine(Verb Verb, bool Stream, int Repeat, IReadOnlyList<EmulatorFault> Faults, string Prompt)
{
    private const string DefaultPrompt = "What is the capital of France?";

    /// <summary>Reads the arguments.</summary>
    /// <param name="args">The arguments, verb first when there is one.</param>
    /// <param name="command">The command line, when the arguments make sense.</param>
    /// <param name="problem">What is wrong with them, otherwise.</param>
    /// <returns>Whether the arguments make sense.</returns>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out CommandLine? command, [NotNullWhen(false)] out string? problem)
    {
        command = null;
        var verb = args switch
        {
            ["embed", ..] => Verb.Embed,
            ["manage", ..] => Verb.Manage,
            _ => Verb.Chat,
        };
        bool stream = false;
        int repeat = 1;
        var faults = new List<EmulatorFault>();
        var words = new List<string>();
        for (int i = verb == Verb.Chat ? 0 : 1; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--stream" when verb == Verb.Embed:
                    problem = "--stream works with chat and manage: an embedding is one answer, not a stream.";
                    return false;
                case "--stream":
                    stream = true;
                    break;
                case "--repeat" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0:
                    repeat = n;
                    i++;
                    break;
                case "--repeat":
                    problem = "--repeat needs a positive number.";
                    return false;
                case "--fault":
                {
                    var (fault, why) = ParseFault(value);
                    if (fault is null)
                    {
                        problem = why!;
                        return false;
                    }

                    faults.Add(fault);
                    i++;
                    break;
                }

                default:
                    words.Add(args[i]);
                    break;
            }
        }

        command = new CommandLine(verb, stream, repeat, faults, words.Count > 0 ? string.Join(' ', words) : DefaultPrompt);
        problem = null;
        return true;
    }

    /// <summary>
    /// <c>provider:status</c> or <c>provider:hang</c>. The provider must be one the gateway routes to, so a typo
    /// (<c>opnai:503</c>) is refused instead of running as if no fault were set.
    /// </summary>
    private static (EmulatorFault? Fault, string? Problem) ParseFault(string? value)
    {
        const string Form = "--fault needs provider:status or provider:hang, for example openai:503.";
        if (value?.Split(':') is not [var provider, var effect] || string.IsNullOrWhiteSpace(provider))
        {
            return (null, Form);
        }

        if (!new AiGatewayProvider(provider).IsSupported)
        {
            return (null, $"--fault {value}: '{provider}' is not a provider the gateway routes to (openai, groq, anthropic, workers-ai, mistral, ... as in AiGateway:Provider).");
        }

        EmulatorFault fault;
        if (effect == "hang")
        {
            fault = new EmulatorFault { Provider = provider, Hang = true };
        }
        else if (int.TryParse(effect, NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            fault = new EmulatorFault { Provider = provider, Status = status };
        }
        else
        {
            return (null, Form);
        }

        return fault.Check() is { } problem ? (null, $"--fault {value}: {problem}") : (fault, null);
    }
}
