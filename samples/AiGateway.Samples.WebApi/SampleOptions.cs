using Microsoft.Extensions.Options;

namespace AiGateway.Samples.WebApi;

/// <summary>The sample's own settings: bound from one section, checked at start, each problem naming its key.</summary>
internal static class SampleOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it when the app starts.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section.</param>
    /// <param name="problems">What is wrong with the bound options, each naming its key under the section's path.</param>
    /// <typeparam name="TOptions">The options type.</typeparam>
    public static void AddSampleOptions<TOptions>(this IServiceCollection services, IConfigurationSection section, Func<TOptions, string, IEnumerable<string>> problems)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .Configure(options =>
            {
                try
                {
                    section.Bind(options);
                }
                catch (InvalidOperationException e)
                {
                    // The binder's own message names the key and the type it needs ("abc" for a number).
                    throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), [e.Message]);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new Validator<TOptions>(section.Path, problems));
    }

    private sealed class Validator<TOptions>(string section, Func<TOptions, string, IEnumerable<string>> problems) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            problems(options, section).ToList() is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
