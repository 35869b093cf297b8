using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>One package manager (apt or yum/dnf): how to refresh, resolve versions, transact and query.</summary>
internal interface IPackageBackend
{
    /// <summary>The cache refresh: `dnf clean all` or `apt-get update`.</summary>
    ToolInvocation CleanCache();

    /// <summary>The version of <paramref name="package"/> to install for <paramref name="series"/> (e.g. "2.6").</summary>
    /// <exception cref="ActionFailedException">The repositories hold no version of the package for the series.</exception>
    Task<SeriesVersion> SeriesVersionAsync(ActionContext context, string package, string series, CancellationToken cancellationToken);

    /// <summary>The single transaction installing exactly these versions (downgrades allowed).</summary>
    Task<ToolInvocation> TransactionAsync(ActionContext context, IReadOnlyList<KeyValuePair<string, string>> targets, CancellationToken cancellationToken);

    /// <summary>The installed version of <paramref name="package"/>, or null when not installed.</summary>
    Task<string?> InstalledVersionAsync(ActionContext context, string package, CancellationToken cancellationToken);
}
