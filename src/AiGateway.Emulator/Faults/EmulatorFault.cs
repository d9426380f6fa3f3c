using System.Text.Json.Serialization;

namespace AiGateway.Emulator;

/// <summary>
/// A failure the emulator injects into matching provider requests: a status (optionally with a gateway error
/// code and body), <c>Retry-After</c>, a delay or a hang, a stream dropped or broken mid-way, or malformed output.
/// Set through <see cref="AiGatewayEmulator.Faults"/> or <c>POST {root}/emulator/faults</c> (the same JSON, camelCase;
/// durations in seconds, <c>30</c> or <c>0.5</c>, or as <c>hh:mm:ss</c>).
/// </summary>
public sealed record EmulatorFault
{
    /// <summary>The longest delay the emulator's clock can wait (about 49.7 days); use <see cref="Hang"/> for never.</summary>
    private static readonly TimeSpan s_longestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Gets the provider slug it applies to (null: every provider).</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the model it applies to (null: every model).</summary>
    public string? Model { get; init; }

    /// <summary>Gets the HTTP status to answer with instead of the provider's answer.</summary>
    public int? Status { get; init; }

    /// <summary>Gets a gateway error code (2016, 2017, 2029, 2030, ...): the body then has the gateway's error shape.</summary>
    public int? GatewayCode { get; init; }

    /// <summary>Gets the exact body to answer with (otherwise one in the provider's or the gateway's error shape).</summary>
    public string? Body { get; init; }

    /// <summary>Gets the <c>Retry-After</c> to send with the status (whole seconds on the wire, rounded up).</summary>
    [JsonConverter(typeof(Duration))]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a delay before the provider answers (on the emulator's clock).</summary>
    [JsonConverter(typeof(Duration))]
    public TimeSpan? Delay { get; init; }

    /// <summary>Gets a value indicating whether the provider never answers (until the request times out or is abandoned).</summary>
    public bool Hang { get; init; }

    /// <summary>Gets the number of stream chunks after which the connection is dropped.</summary>
    public int? DropAfterChunks { get; init; }

    /// <summary>Gets the number of stream chunks after which an error event is sent inside the 200 stream.</summary>
    public int? ErrorEventAfterChunks { get; init; }

    /// <summary>Gets a value indicating whether the answer's JSON (or each SSE event's) is cut short.</summary>
    public bool Malformed { get; init; }

    /// <summary>Gets how many requests it applies to before it is used up (null: until removed).</summary>
    public int? Times { get; init; }

    /// <summary>Gets the id assigned when the fault was added.</summary>
    public string? Id { get; init; }

    /// <summary>
    /// Why the emulator cannot apply this fault, or null when it can: a value out of range, a provider it does not serve,
    /// a fault that does nothing, or parts that could never take effect together.
    /// </summary>
    /// <returns>The problem, or null.</returns>
    public string? Check() =>
        Status is < 100 or > 599 ? $"status {Status} is not an HTTP status (100-599)."
        : Times is < 1 ? "times must be at least 1."
        : DropAfterChunks is < 0 ? "dropAfterChunks must not be negative."
        : ErrorEventAfterChunks is < 0 ? "errorEventAfterChunks must not be negative."
        : Delay is { } delay && delay < TimeSpan.Zero ? "delay must not be negative."
        : Delay > s_longestDelay ? "delay must be at most 49 days; use hang for a provider that never answers."
        : RetryAfter is { } retryAfter && retryAfter < TimeSpan.Zero ? "retryAfter must not be negative."
        : Provider is not null && ProviderRoutes.CheckFaultProvider(Provider) is { } provider ? provider
        : Status is null && !Hang && Delay is null && DropAfterChunks is null && ErrorEventAfterChunks is null && !Malformed
            ? (GatewayCode, Body, RetryAfter) is (null, null, null)
                ? "The fault does nothing: set status, delay, hang, dropAfterChunks, errorEventAfterChunks or malformed."
                : "gatewayCode, body and retryAfter go with a status: set status too."
        : Hang && (Status is not null || Delay is not null || DropAfterChunks is not null || ErrorEventAfterChunks is not null || Malformed)
            ? "hang never answers, so nothing else in the fault could happen: use hang alone, or delay with the rest."
        : Status is not null && (DropAfterChunks is not null || ErrorEventAfterChunks is not null || Malformed)
            ? "status answers instead of the provider, so no answer is left to break: use status, or dropAfterChunks/errorEventAfterChunks/malformed without it."
        : null;
}
