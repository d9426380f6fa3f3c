using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AiGateway.Aspire.Tests;

/// <summary>The app model the hosting package builds, in run mode and in publish mode, without starting anything.</summary>
public sealed class HostingModelTests
{
    private static IDistributedApplicationBuilder RunMode() => DistributedApplication.CreateBuilder(new DistributedApplicationOptions { DisableDashboard = true });

    private static IDistributedApplicationBuilder PublishMode() => DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        DisableDashboard = true,
        Args = ["--publisher", "manifest", "--output-path", Path.Combine(Path.GetTempPath(), "unused-manifest.json")],
    });

    private static IResourceBuilder<AiGatewayResource> AddGateway(IDistributedApplicationBuilder builder) => builder.AddAiGateway(
        "gateway", builder.AddParameter("account"), builder.AddParameter("gateway-id"), builder.AddParameter("token", secret: true));

    [Fact]
    public void TheEmulator_IsAnOrchestratedProcess_WithAnAllocatedHttpEndpoint_AHealthCheck_AndNoManifestEntry()
    {
        var builder = RunMode();
        var emulator = builder.AddAiGatewayEmulator("gateway").Resource;

        var endpoint = Assert.Single(emulator.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", "http", null), (endpoint.Name, endpoint.UriScheme, endpoint.Port));
        Assert.Single(emulator.Annotations.OfType<HealthCheckAnnotation>());
        Assert.True(emulator.IsEmulator());
        Assert.Same(ManifestPublishingCallbackAnnotation.Ignore, emulator.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Last());
        Assert.True(File.Exists(Path.Combine(emulator.WorkingDirectory, "aigateway-emulator.dll")));
        Assert.Equal(
            "Endpoint={gateway.bindings.http.url}/v1;AccountId=local;GatewayId=default",
            emulator.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void ARealGateway_PublishesItsConnectionStringAsAnExpressionOfItsParameters()
    {
        var gateway = AddGateway(PublishMode()).RunAsEmulator().Resource;

        Assert.Null(gateway.Emulator);
        Assert.Equal(
            "Endpoint=https://gateway.ai.cloudflare.com/v1;AccountId={account.value};GatewayId={gateway-id.value};Token={token.value}",
            gateway.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void RunAsEmulator_InRunMode_PutsAnEmulatorOfTheSameNameInTheGatewaysPlace()
    {
        var builder = RunMode();
        var gateway = AddGateway(builder).RunAsEmulator();

        var emulator = Assert.IsType<AiGatewayEmulatorResource>(Assert.Single(builder.Resources, r => r.Name == "gateway"));
        Assert.Same(emulator, gateway.Resource.Emulator);
        Assert.Equal(emulator.ConnectionStringExpression.ValueExpression, gateway.Resource.ConnectionStringExpression.ValueExpression);

        // What is said of the gateway (WaitFor, relationships) is said of the process that runs in its place.
        Assert.Same(emulator.Annotations, gateway.Resource.Annotations);
    }

    [Fact]
    public void ATokenThatIsNotASecretParameter_IsRefused_NamingTheParameter()
    {
        var builder = RunMode();
        var error = Assert.Throws<ArgumentException>(() => builder.AddAiGateway(
            "gateway", builder.AddParameter("account"), builder.AddParameter("gateway-id"), builder.AddParameter("plain-token")));

        Assert.Equal("token", error.ParamName);
        Assert.Contains("'plain-token' must be a secret", error.Message, StringComparison.Ordinal);
    }
}
