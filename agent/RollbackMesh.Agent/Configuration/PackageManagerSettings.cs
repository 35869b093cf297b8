namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// Which root and configuration the package tools act on (the "packageManager" key). Every setting is optional and
/// unset on a normal node, where apt, dpkg, dnf and rpm use the system's own; setting them points the tools at an
/// isolated root (a chroot-style image, a test bed) so the host's package database is never touched.
/// </summary>
internal sealed class PackageManagerSettings
{
    /// <summary>An APT_CONFIG file for apt-get and apt-cache. Default: none (the system configuration).</summary>
    public string? AptConfigFile { get; set; }

    /// <summary>dpkg's admin directory, passed to dpkg-query --admindir. Default: none (/var/lib/dpkg).</summary>
    public string? DpkgAdminDirectory { get; set; }

    /// <summary>dnf --installroot and rpm --root. Default: none (/).</summary>
    public string? InstallRoot { get; set; }

    /// <summary>dnf --releasever (e.g. "9"); not a path. Default: none (dnf detects it).</summary>
    public string? ReleaseVersion { get; set; }

    /// <summary>dnf -c, the dnf configuration file. Default: none (/etc/dnf/dnf.conf).</summary>
    public string? DnfConfigFile { get; set; }
}
