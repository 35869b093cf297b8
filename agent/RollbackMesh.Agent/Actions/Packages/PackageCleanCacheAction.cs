namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>`yum clean all` or `apt-get update` before a downgrade.</summary>
internal sealed class PackageCleanCacheAction : AgentAction
{
    private readonly IPackageBackend _backend;

    /// <summary>Creates the action for a backend.</summary>
    public PackageCleanCacheAction(IPackageBackend backend) => _backend = backend;

    /// <inheritdoc />
    public override string Kind => "package_clean";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(_backend.CleanCache().CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var invocation = _backend.CleanCache();
        await context.RunCheckedAsync(invocation, cancellationToken).ConfigureAwait(false);
        return $"ran {invocation.CommandLine}";
    }
}
