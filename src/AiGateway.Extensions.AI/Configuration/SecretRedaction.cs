namespace AiGateway.Extensions.AI;

/// <summary>
/// The one rule for keeping configured secrets (provider keys, tokens) out of every string that leaves the package:
/// exception messages and properties, log values, span tags. Applied before any truncation, so a secret cut in half
/// cannot leak its start.
/// </summary>
/// <remarks>
/// A secret of 8 characters or more is replaced wherever it occurs. A shorter one (no real key is that short, but a
/// test or a placeholder may be) is replaced where it stands as a word of its own, so a one-letter token does not
/// turn every message into confetti while still never appearing as a value.
/// </remarks>
internal static class SecretRedaction
{
    public const string Replacement = "[REDACTED]";

    private const int ShortSecretLength = 8;

    public static string? Redact(string? text, IReadOnlyList<string> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (string secret in secrets)
        {
            if (secret.Length == 0 || !text.Contains(secret, StringComparison.Ordinal))
            {
                continue;
            }

            text = secret.Length >= ShortSecretLength
                ? text.Replace(secret, Replacement, StringComparison.Ordinal)
                : ReplaceWords(text, secret);
        }

        return text;
    }

    private static string ReplaceWords(string text, string secret)
    {
        var result = new System.Text.StringBuilder(text.Length);
        int start = 0;
        for (int at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + secret.Length, StringComparison.Ordinal))
        {
            int end = at + secret.Length;
            bool word = (at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));
            result.Append(text, start, at - start).Append(word ? Replacement : secret);
            start = end;
        }

        return result.Append(text, start, text.Length - start).ToString();
    }
}
