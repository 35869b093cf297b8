using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Demo.Sandbox;

/// <summary>Fails the sandbox agent's start when its root (--root) is not an existing absolute directory.</summary>
internal sealed class SandboxRootValidator : IValidateOptions<AgentOptions>
{
    private readonly string _root;

    /// <summary>Creates the validator for the configured root.</summary>
    public SandboxRootValidator(string root) => _root = root;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentOptions options) =>
        !Path.IsPathFullyQualified(_root) ? ValidateOptionsResult.Fail($"sandbox root (--root): '{_root}' must be an absolute path")
        : !Directory.Exists(_root) ? ValidateOptionsResult.Fail($"sandbox root (--root): directory '{_root}' does not exist")
        : ValidateOptionsResult.Success;
}
