namespace AiGateway.Extensions.AI;

/// <summary>One attempt on one route.</summary>
/// <param name="RouteIndex">The route's index: 0 for the primary, <c>i + 1</c> for <c>Fallbacks:{i}</c>.</param>
/// <param name="Provider">The route's provider slug.</param>
/// <param name="Model">The route's model.</param>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
/// <param name="ErrorKind">Why the attempt failed, or <see langword="null"/> when it succeeded.</param>
/// <param name="Duration">How long the attempt took until its answer started.</param>
/// <param name="Skipped">Whether the route was skipped without a request, because it was cooling down after failures or a <c>Retry-After</c>.</param>
public sealed record AiGatewayAttempt(
    int RouteIndex,
    string Provider,
    string Model,
    int? StatusCode,
    AiGatewayErrorKind? ErrorKind,
    TimeSpan Duration,
    bool Skipped = false);
