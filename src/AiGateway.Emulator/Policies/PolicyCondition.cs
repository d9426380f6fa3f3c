using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiGateway.Emulator;

/// <summary>
/// The part of a policy's CEL condition the emulator evaluates: <c>true</c>, <c>false</c>, <c>field == "v"</c>,
/// <c>field != "v"</c>, <c>"v" in field</c>, <c>field.startsWith("v")</c> and <c>field.endsWith("v")</c>, where a
/// field is <c>metadata.&lt;key&gt;</c> or <c>cf.&lt;...&gt;</c>. Anything else is refused when the policy is written.
/// </summary>
internal sealed partial class PolicyCondition
{
    public const string Supported = "true, false, <field> == \"v\", <field> != \"v\", \"v\" in <field>, <field>.startsWith(\"v\") or <field>.endsWith(\"v\"), where <field> is metadata.<key> or cf.<...>";

    private readonly Func<PolicyIdentity, bool?> _evaluate;

    private PolicyCondition(string text, Func<PolicyIdentity, bool?> evaluate) => (Text, _evaluate) = (text, evaluate);

    public string Text { get; }

    /// <summary>Parses a condition; null when it is CEL the emulator does not evaluate.</summary>
    public static PolicyCondition? Parse(string text)
    {
        string trimmed = text.Trim();
        if (trimmed is "true" or "false")
        {
            bool constant = trimmed == "true";
            return new(text, _ => constant);
        }

        if (Comparison().Match(trimmed) is { Success: true } comparison)
        {
            string field = comparison.Groups["field"].Value, value = comparison.Groups["value"].Value;
            bool equal = comparison.Groups["op"].Value == "==";
            return new(text, identity => identity.Find(field) is JsonValue v && v.TryGetValue(out string? s) ? (s == value) == equal : null);
        }

        if (Membership().Match(trimmed) is { Success: true } membership)
        {
            string field = membership.Groups["field"].Value, value = membership.Groups["value"].Value;
            return new(text, identity => identity.Find(field) is JsonArray items ? items.Any(i => i is JsonValue v && v.TryGetValue(out string? s) && s == value) : null);
        }

        if (Affix().Match(trimmed) is { Success: true } affix)
        {
            string field = affix.Groups["field"].Value, value = affix.Groups["value"].Value;
            bool prefix = affix.Groups["method"].Value == "startsWith";
            return new(text, identity => identity.Find(field) is JsonValue v && v.TryGetValue(out string? s)
                ? prefix ? s.StartsWith(value, StringComparison.Ordinal) : s.EndsWith(value, StringComparison.Ordinal)
                : null);
        }

        return null;
    }

    /// <summary>True or false, or null when a field it reads is missing from the identity.</summary>
    public bool? Evaluate(PolicyIdentity identity) => _evaluate(identity);

    [GeneratedRegex("""^(?<field>(metadata|cf)(\.[A-Za-z0-9_-]+)+)\s*(?<op>==|!=)\s*"(?<value>[^"]*)"$""")]
    private static partial Regex Comparison();

    [GeneratedRegex("""^"(?<value>[^"]*)"\s+in\s+(?<field>(metadata|cf)(\.[A-Za-z0-9_-]+)+)$""")]
    private static partial Regex Membership();

    [GeneratedRegex("""^(?<field>(metadata|cf)(\.[A-Za-z0-9_-]+)+)\.(?<method>startsWith|endsWith)\("(?<value>[^"]*)"\)$""")]
    private static partial Regex Affix();
}
