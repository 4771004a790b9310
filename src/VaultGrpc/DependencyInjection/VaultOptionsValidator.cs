using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace VaultGrpc.DependencyInjection;

/// <summary>
/// Validates one registration's options (by its options name) with every problem listed: those of
/// its configuration section, if it has one, and <see cref="VaultOperationsClientOptions.GetValidationErrors"/>.
/// Runs at host start (<c>ValidateOnStart</c>) and whenever the options are first read.
/// </summary>
internal sealed class VaultOptionsValidator(string name, IConfiguration? section) : IValidateOptions<VaultOperationsClientOptions>
{
    public ValidateOptionsResult Validate(string? optionsName, VaultOperationsClientOptions options)
    {
        if (!string.Equals(optionsName ?? Options.DefaultName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        // Read again into a scratch copy: only the problems are wanted here.
        var problems = section is null ? [] : VaultOptionsConfiguration.Apply(section, new VaultOperationsClientOptions());
        problems.AddRange(options.GetValidationErrors());
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"VaultOperationsClient{Described()}: {problem}"));
    }

    private string Described() => name.Length == 0 ? string.Empty : $" '{name}'";
}
