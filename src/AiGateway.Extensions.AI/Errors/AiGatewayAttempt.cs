namespace AiGateway.Extensions.AI;

/// <summary>One attempt on one route.</summary>
/// <param name="RouteIndex">The route's index: 0 for the primary, <c>i + 1</c> for <c>Fallbacks:{i}</c>.</param>
/// <param name="Provider">The route's provider slug.</param>
/// <param name="Model">The route's model.</param>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
/// <param name="ErrorKind">
/// Why the attempt failed, or <see langword="null"/> when it succeeded. On a skipped attempt: the refusal
/// (<see cref="AiGatewayErrorKind.PolicyDenied"/> or <see cref="AiGatewayErrorKind.SpendLimitExceeded"/>) of a route
/// with the same provider and model earlier in the request, or <see langword="null"/> when the route was cooling down.
/// </param>
/// <param name="Duration">How long the attempt took until its answer started.</param>
/// <param name="Skipped">
/// Whether the route was skipped without a request: it was cooling down after failures, a <c>Retry-After</c> or a spent
/// budget, or the gateway had refused its provider and model by policy or budget earlier in the request.
/// </param>
public sealed record AiGatewayAttempt(
    int RouteIndex,
    string Provider,
    string Model,
    int? StatusCode,
    AiGatewayErrorKind? ErrorKind,
    TimeSpan Duration,
    bool Skipped = false);
