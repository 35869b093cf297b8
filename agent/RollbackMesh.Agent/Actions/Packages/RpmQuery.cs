using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>The installed version from the rpm database, shared by the dnf and yum 3 backends (both exit 0 on "Nothing to do").</summary>
internal static class RpmQuery
{
    /// <summary>"E:V-R", or "V-R" without an epoch, as the chosen versions are written (calico-control 1:1.1.2-1); null when not installed.</summary>
    public static async Task<string?> InstalledVersionAsync(ActionContext context, PackageManagerOptions options, string package, CancellationToken cancellationToken)
    {
        List<string> args = ["-q", "--qf", "%{EPOCHNUM}:%{VERSION}-%{RELEASE}", package];
        if (options.InstallRoot is { } root)
        {
            args.Insert(0, $"--root={root}");
        }

        var result = await context.QueryAsync(new ToolInvocation { FileName = options.Rpm, Arguments = args }, cancellationToken).ConfigureAwait(false);
        var evr = result.StandardOutput.Trim();
        return !result.Succeeded ? null : evr.StartsWith("0:", StringComparison.Ordinal) ? evr[2..] : evr;
    }
}
