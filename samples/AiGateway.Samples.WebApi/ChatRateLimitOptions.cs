namespace AiGateway.Samples.WebApi;

/// <summary>
/// How many chat requests each client may send (<c>RateLimit</c> section): <see cref="PermitLimit"/> per
/// <see cref="Window"/>, counted per signed-in user, or per IP address when no one is signed in.
/// </summary>
public sealed class ChatRateLimitOptions
{
    /// <summary>Gets or sets how many requests a client may send in one window. Defaults to 10.</summary>
    public int PermitLimit { get; set; } = 10;

    /// <summary>Gets or sets the window, as <c>hh:mm:ss</c>. Defaults to one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Problems(string section)
    {
        if (PermitLimit < 1)
        {
            yield return $"{section}:PermitLimit must be at least 1.";
        }

        // A bare number binds as days ("60" is 60 days): the range refuses every one of them.
        if (Window < TimeSpan.FromSeconds(1) || Window >= TimeSpan.FromDays(1))
        {
            yield return $"{section}:Window must be between 00:00:01 and 23:59:59, written hh:mm:ss (00:01:00 is one minute).";
        }
    }
}
