
namespace RollbackMesh.Agent.Configuration;

internal sealed partial class AgentOptionsValidator
{
    // Unset keys are fine (the system's own configuration). A set one must be usable as written: the tools run with
    // the agent's working directory, so a relative path would silently name something else.
    private static IEnumerable<string> CheckPackageManager(PackageManagerSettings packages)
    {
        var paths = new[]
        {
            ("aptConfigFile", packages.AptConfigFile),
            ("dpkgAdminDirectory", packages.DpkgAdminDirectory),
            ("installRoot", packages.InstallRoot),
            ("dnfConfigFile", packages.DnfConfigFile),
        };
        foreach (var (key, path) in paths)
        {
            if (path is not null && (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path)))
            {
                yield return $"packageManager.{key}: '{path}' must be an absolute path";
            }
        }

        if (packages.ReleaseVersion is { } release && !ValueShapes.IsReleaseVersion(release))
        {
            yield return $"packageManager.releaseVersion: '{release}' is not a release version (e.g. 9, 8.6, rawhide)";
        }
    }
}
