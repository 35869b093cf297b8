using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Sandbox;

/// <summary>Fails the agent's start when <c>sandbox.root</c> is set but is not an existing absolute directory.</summary>
internal sealed class SandboxRootValidator : IValidateOptions<AgentOptions>
{
    private readonly string _root;

    /// <summary>Creates the validator for the configured root.</summary>
    public SandboxRootValidator(string root) => _root = root;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentOptions options) =>
        !Path.IsPathFullyQualified(_root) ? ValidateOptionsResult.Fail($"sandbox.root: '{_root}' must be an absolute path")
        : !Directory.Exists(_root) ? ValidateOptionsResult.Fail($"sandbox.root: directory '{_root}' does not exist")
        : ValidateOptionsResult.Success;
}
