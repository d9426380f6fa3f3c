namespace AiGateway.Emulator;

/// <summary>Runs one attempt of one step against the built-in providers, applying any matching fault.</summary>
internal sealed class ProviderExecutor(EmulatorState state, FaultRegistry faults, AiGatewayEmulatorOptions options)
{
    private readonly AutoRouter _autoRouter = new(options.TimeProvider);

    private TimeProvider Time => options.TimeProvider;

    public async Task<StepOutcome> RunAsync(EmulatorGateway gateway, StepRequest step, CancellationToken cancellationToken)
    {
        var route = ProviderRoutes.Resolve(step.Slug, step.Path, out var routeError);
        if (route is null)
        {
            return Fail(step, step.Slug, "unknown", routeError!.Status, GatewayErrors.Body(null, routeError.Message));
        }

        var wire = ProviderWire.For(route.Format);
        if (route.Format == WireFormat.OpenAIEmbeddings)
        {
            return await EmbedAsync(gateway, step, route, wire, cancellationToken).ConfigureAwait(false);
        }

        ChatRequest request;
        try
        {
            request = ChatRequestParser.Parse(route.Format, route.Provider, route.ModelFromPath, step.Body);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return Fail(step, route.Provider, "unknown", 400, wire.Error(400, e.Message));
        }

        if (NamedModel(step, route.Provider, request.Model) is not var (provider, model))
        {
            return Fail(step, route.Provider, request.Model, 400, UnknownRestModel(request.Model));
        }

        if (route.Format == WireFormat.Anthropic && options.CheckAnthropicVersion && AnthropicVersion.Refusal(step.Headers, step.Body) is { } refusal)
        {
            return Fail(step, provider, model, 400, wire.Error(400, refusal), wire);
        }

        request = request with { Provider = provider, Model = model };

        if (provider == "dynamic")
        {
            return await RunDynamicRouteAsync(gateway, step, request, wire, cancellationToken).ConfigureAwait(false);
        }

        if (route.Provider == "compat" && request.Model == "auto" && provider == "cloudflare")
        {
            return await RunAutoRouterAsync(gateway, step, route, request, wire, cancellationToken).ConfigureAwait(false);
        }

        return await AnswerAsync(gateway, step, route, request, wire, provider, model, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A dynamic route: the deployed graph of the route made on the control plane, or else the emulator's configured
    /// targets as a chain of fallbacks, run by <see cref="DynamicRouteRunner"/>.
    /// </summary>
    private async Task<StepOutcome> RunDynamicRouteAsync(EmulatorGateway gateway, StepRequest step, ChatRequest request, ProviderWire wire, CancellationToken cancellationToken)
    {
        var graph = state.Routes(gateway.Id).Deployed(request.Model)
            ?? (gateway.DynamicRoutes.TryGetValue(request.Model, out var targets) && targets.Count > 0 ? RouteGraph.Chain(targets) : null);
        if (graph is null)
        {
            return Fail(step, "dynamic", request.Model, 400, GatewayErrors.Body(null, $"No dynamic route named '{request.Model}'."));
        }

        var outcome = await DynamicRouteRunner.RunAsync(graph, step.Settings.Metadata, Time,
            (provider, model, timeout) =>
            {
                var route = ProviderRoutes.Resolve(provider, "chat/completions", out _) ?? new ProviderRoute(provider, WireFormat.OpenAI, null, ProviderKeyKind.Bearer);
                var settings = timeout is null ? step.Settings : step.Settings with { RequestTimeout = timeout };
                return AnswerAsync(gateway, step with { Keyless = true, Settings = settings }, route, request with { Provider = provider, Model = model }, wire, provider, model, cancellationToken);
            },
            (status, message) => Fail(step, "dynamic", request.Model, status, GatewayErrors.Body(null, message))).ConfigureAwait(false);
        return outcome with { ViaDynamicRoute = outcome.Provider != "dynamic" };
    }

    /// <summary>Auto Router: the model it decides on serves, with the gateway's key (Cloudflare chooses the provider), and the decision goes on the answer.</summary>
    private async Task<StepOutcome> RunAutoRouterAsync(EmulatorGateway gateway, StepRequest step, ProviderRoute route, ChatRequest request, ProviderWire wire, CancellationToken cancellationToken)
    {
        if (_autoRouter.Route(gateway.Id, step.Headers, request.Turns, out string? refusal) is not { } decision)
        {
            return Fail(step, "compat", AutoRouter.ModelName, 400, GatewayErrors.Body(null, refusal!));
        }

        var outcome = await AnswerAsync(gateway, step with { Keyless = true }, route, request with { Provider = decision.Provider, Model = decision.Model }, wire,
            decision.Provider, decision.Model, cancellationToken).ConfigureAwait(false);
        return outcome with { Routing = decision };
    }

    private async Task<StepOutcome> AnswerAsync(EmulatorGateway gateway, StepRequest step, ProviderRoute route, ChatRequest request, ProviderWire wire, string provider, string model, CancellationToken cancellationToken)
    {
        var (failure, fault, charges) = await BeforeAnswerAsync(gateway, step, route, wire, provider, model, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var answer = SimulatedModel.Answer(request, Time.GetUtcNow());
        if (request.Stream)
        {
            return new StepOutcome
            {
                Status = 200,
                ContentType = "text/event-stream",
                Events = wire.Stream(answer, request.IncludeUsage),
                StreamFault = fault,
                Wire = wire,
                Charges = charges,
                Provider = provider,
                Model = model,
                Path = step.Path,
                TokensIn = answer.PromptTokens,
                TokensOut = answer.CompletionTokens,
            };
        }

        string json = wire.Json(answer);
        return new StepOutcome
        {
            Status = 200,
            Body = fault?.Malformed == true ? json[..(json.Length / 2)] : json,
            Charges = charges,
            Provider = provider,
            Model = model,
            Path = step.Path,
            TokensIn = answer.PromptTokens,
            TokensOut = answer.CompletionTokens,
        };
    }

    /// <summary>An embeddings request (OpenAI's format, on every route that has one): deterministic vectors.</summary>
    private async Task<StepOutcome> EmbedAsync(EmulatorGateway gateway, StepRequest step, ProviderRoute route, ProviderWire wire, CancellationToken cancellationToken)
    {
        (string Model, IReadOnlyList<string> Inputs, bool Base64, int? Dimensions) request;
        try
        {
            request = EmbeddingModel.Parse(route.ModelFromPath, step.Body);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return Fail(step, route.Provider, "unknown", 400, wire.Error(400, e.Message));
        }

        if (NamedModel(step, route.Provider, request.Model) is not var (provider, model))
        {
            return Fail(step, route.Provider, request.Model, 400, UnknownRestModel(request.Model));
        }

        var (failure, fault, charges) = await BeforeAnswerAsync(gateway, step, route, wire, provider, model, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        // Workers AI answers float arrays whatever was asked; the others honour encoding_format (base64 or float).
        string json = EmbeddingModel.Json(model, request.Inputs, request.Base64 && provider != "workers-ai", request.Dimensions);
        return new StepOutcome
        {
            Status = 200,
            Body = fault?.Malformed == true ? json[..(json.Length / 2)] : json,
            Charges = charges,
            Provider = provider,
            Model = model,
            Path = step.Path,
            TokensIn = request.Inputs.Sum(SimulatedModel.CountTokens),
        };
    }

    /// <summary>
    /// What happens before any answer: the gateway's policies, then the provider's key and model checks, then a matching
    /// fault's delay, hang or status. Also the budgets the request counts against once it is served.
    /// </summary>
    private async Task<(StepOutcome? Failure, EmulatorFault? Fault, IReadOnlyList<PolicyCharge> Charges)> BeforeAnswerAsync(
        EmulatorGateway gateway, StepRequest step, ProviderRoute route, ProviderWire wire, string provider, string model, CancellationToken cancellationToken)
    {
        var verdict = state.Policies(gateway.Id).Evaluate(provider, model, new PolicyIdentity(step.Settings.Metadata, Cf: null));
        if (!verdict.Allowed)
        {
            return ((verdict.Blocked
                ? Fail(step, provider, model, 403, GatewayErrors.PolicyDenied())
                : Fail(step, provider, model, 429, GatewayErrors.SpendLimitExceeded(verdict.Bucket!, verdict.Spent, verdict.Limit))) with { RefusedByPolicy = true }, null, []);
        }

        if (!step.Keyless && !HasKey(step.Headers, route.KeyKind) && StoredKeyRefusal(gateway, step, provider, model, wire) is { } noKey)
        {
            return (noKey, null, []);
        }

        if (ModelCatalog.Refusal(options, provider, model, wire) is var (unknownStatus, unknownBody))
        {
            return (Fail(step, provider, model, unknownStatus, unknownBody, wire), null, []);
        }

        var fault = faults.Take(provider, model);
        if (fault is not null && (fault.Delay is not null || fault.Hang))
        {
            var wait = fault.Hang ? Timeout.InfiniteTimeSpan : fault.Delay!.Value;
            if (!await WaitAsync(wait, step.Settings.RequestTimeout, cancellationToken).ConfigureAwait(false))
            {
                return (new StepOutcome
                {
                    Status = 504,
                    Body = GatewayErrors.Body(null, $"The {provider} request timed out after {step.Settings.RequestTimeout!.Value.TotalMilliseconds:0} ms (cf-aig-request-timeout)."),
                    TimedOut = true,
                    Provider = provider,
                    Model = model,
                    Path = step.Path,
                }, fault, []);
            }
        }

        if (fault?.Status is { } status)
        {
            string body = fault.Body ?? (fault.GatewayCode is { } code
                ? GatewayErrors.Body(code, $"Emulated gateway error {code}.")
                : wire.Error(status, $"Emulated {status} from {provider}."));
            return (Fail(step, provider, model, status, body, wire) with { RetryAfter = fault.RetryAfter }, fault, []);
        }

        return (null, fault, verdict.Charges);
    }

    /// <summary>
    /// The provider and model a request really names. The compat endpoint names the provider in the model
    /// (<c>openai/gpt-4o-mini</c>, a bare name meaning openai); the REST form names the author (<c>openai/...</c>,
    /// <c>anthropic/...</c>, <c>google/...</c>, <c>xai/...</c>) and has no bare names (null); Workers AI models are
    /// <c>@cf/...</c> on both. Other routes name their provider in the path.
    /// </summary>
    private static (string Provider, string Model)? NamedModel(StepRequest step, string routeProvider, string model)
    {
        bool restForm = step.Keyless && routeProvider == "compat";
        if (routeProvider != "compat" && !step.Keyless)
        {
            return (routeProvider, model);
        }

        int slash = model.IndexOf('/', StringComparison.Ordinal);
        return model.StartsWith('@') ? ("workers-ai", model)
            : slash > 0 ? (restForm ? ModelCatalog.ProviderOfAuthor(model[..slash]) : model[..slash], model[(slash + 1)..])
            : restForm ? null
            : (routeProvider == "compat" ? "openai" : routeProvider, model);
    }

    private static string UnknownRestModel(string model) =>
        GatewayErrors.Body(null, $"Unknown model '{model}': name it author/model (openai/..., anthropic/..., google/..., xai/...).");


    /// <summary>Waits for the provider; false when the request timeout passes first.</summary>
    private async Task<bool> WaitAsync(TimeSpan wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (timeout is null || (wait != Timeout.InfiniteTimeSpan && wait < timeout))
        {
            await Task.Delay(wait, Time, cancellationToken).ConfigureAwait(false);
            return true;
        }

        await Task.Delay(timeout.Value, Time, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// A request without a provider key is answered by a stored key: the one its <c>cf-aig-byok-alias</c> names, or the
    /// provider's default (the emulator's configured <see cref="EmulatorGateway.StoredKeys"/> count as defaults). An
    /// alias no stored key has is the gateway's 400 / 2040; no key at all is the provider's own 401.
    /// </summary>
    private StepOutcome? StoredKeyRefusal(EmulatorGateway gateway, StepRequest step, string provider, string model, ProviderWire wire)
    {
        var stored = state.StoredKeys(gateway.Id);
        string? alias = step.Settings.ByokAlias;
        if (stored.Answers(provider, alias) || (alias is null or "default" && gateway.StoredKeys.Contains(provider)))
        {
            return null;
        }

        return alias is not null && alias != "default"
            ? Fail(step, provider, model, 400, GatewayErrors.Body(GatewayErrors.UnknownByokAlias, $"No stored {provider} key has the alias '{alias}'."))
            : Fail(step, provider, model, 401, wire.Error(401, wire.MissingKeyMessage), wire);
    }

    private static bool HasKey(IReadOnlyDictionary<string, string> headers, ProviderKeyKind kind)
    {
        bool Present(string name) => headers.TryGetValue(name, out var value) && value.Trim().Length > 0 && value.Trim() != "Bearer";
        return kind switch
        {
            ProviderKeyKind.AzureApiKey => Present("api-key"),
            ProviderKeyKind.AnthropicKey => Present("x-api-key") || Present("authorization"),
            ProviderKeyKind.None => true,
            _ => Present("authorization"),
        };
    }

    private static StepOutcome Fail(StepRequest step, string provider, string model, int status, string body, ProviderWire? wire = null) => new()
    {
        Status = status,
        Body = body,
        Wire = wire,
        Provider = provider,
        Model = model,
        Path = step.Path,
    };
}
