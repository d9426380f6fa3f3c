using System.Globalization;
using AiGateway.Extensions.AI;

namespace AiGateway.Samples.Console;

/// <summary>What the sample prints besides answers: the gateway's facts on stdout, errors on stderr.</summary>
internal static class Report
{
    /// <summary>
    /// <c>cache=&lt;HIT|MISS|-&gt; provider=&lt;slug&gt; model=&lt;model&gt; log=&lt;id|-&gt; step=&lt;n|-&gt; attempts=&lt;n&gt;</c>;
    /// <c>-</c> where the gateway said nothing (a stream has no cache status).
    /// </summary>
    /// <param name="info">The gateway's facts about one answer, if any.</param>
    /// <returns>The line.</returns>
    public static string Facts(AiGatewayResponseInfo? info)
    {
        if (info is null)
        {
            return "cache=- provider=- model=- log=- step=- attempts=0";
        }

        string cache = info.CacheStatus switch
        {
            AiGatewayCacheStatus.Hit => "HIT",
            AiGatewayCacheStatus.Miss => "MISS",
            _ => "-",
        };
        string step = info.Step?.ToString(CultureInfo.InvariantCulture) ?? "-";
        return $"cache={cache} provider={info.Provider} model={info.Model} log={info.LogId ?? "-"} step={step} attempts={info.Attempts.Count}";
    }

    /// <summary>Prints one line on stderr.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The exit code, 1.</returns>
    public static int Error(string message)
    {
        System.Console.Error.WriteLine("error: " + message.ReplaceLineEndings(" "));
        return 1;
    }
}
