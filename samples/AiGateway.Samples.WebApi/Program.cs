using AiGateway.Samples.WebApi;
using Microsoft.Extensions.Options;

// dotnet run --project samples/AiGateway.Samples.WebApi    (http://127.0.0.1:5080 from Properties/launchSettings.json;
// elsewhere the host decides: ASPNETCORE_URLS, --urls, or Kestrel's default)
WebApplication app;
try
{
    app = await ChatApp.CreateAsync(args);
}
catch (OptionsValidationException e)
{
    // As the console sample: one line on stderr, exit code 1.
    Console.Error.WriteLine("error: Invalid configuration: " + string.Join(" ", e.Failures).ReplaceLineEndings(" "));
    return 1;
}

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests.</summary>
public partial class Program;
