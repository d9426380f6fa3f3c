namespace AiGateway.Extensions.AI;

/// <summary>Azure OpenAI route settings.</summary>
public sealed class AiGatewayAzureOptions
{
    /// <summary>The API version used when none is configured.</summary>
    public const string DefaultApiVersion = "2024-10-21";

    /// <summary>Gets or sets the Azure OpenAI resource name (the <c>{resource}</c> of <c>{resource}.openai.azure.com</c>).</summary>
    public string? ResourceName { get; set; }

    /// <summary>Gets or sets the deployment name.</summary>
    public string? DeploymentName { get; set; }

    /// <summary>Gets or sets the <c>api-version</c> query value. Defaults to <see cref="DefaultApiVersion"/>.</summary>
    public string? ApiVersion { get; set; }
}
