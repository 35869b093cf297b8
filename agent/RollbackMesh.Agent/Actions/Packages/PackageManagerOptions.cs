namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// Where the package tools are and which root they act on. On a node these are the defaults; tests point them
/// at an isolated root (an APT_CONFIG file; dnf --installroot; rpm --root) so the host is never touched.
/// </summary>
internal sealed record PackageManagerOptions
{
    /// <summary>apt-get. Default /usr/bin/apt-get.</summary>
    public string AptGet { get; init; } = "/usr/bin/apt-get";

    /// <summary>apt-cache. Default /usr/bin/apt-cache.</summary>
    public string AptCache { get; init; } = "/usr/bin/apt-cache";

    /// <summary>dpkg-query. Default /usr/bin/dpkg-query.</summary>
    public string DpkgQuery { get; init; } = "/usr/bin/dpkg-query";

    /// <summary>An APT_CONFIG file for apt-get/apt-cache; null = the system configuration.</summary>
    public string? AptConfigFile { get; init; }

    /// <summary>dpkg's admin directory for dpkg-query --admindir; null = /var/lib/dpkg.</summary>
    public string? DpkgAdminDirectory { get; init; }

    /// <summary>dnf. Default /usr/bin/dnf. When it exists, yum steps run dnf (on dnf systems yum is an alias of dnf).</summary>
    public string Dnf { get; init; } = "/usr/bin/dnf";

    /// <summary>yum 3 (CentOS/RHEL 7), used for yum steps when <see cref="Dnf"/> does not exist. Default /usr/bin/yum.</summary>
    public string Yum { get; init; } = "/usr/bin/yum";

    /// <summary>rpm. Default /usr/bin/rpm.</summary>
    public string Rpm { get; init; } = "/usr/bin/rpm";

    /// <summary>dnf/yum --installroot and rpm --root; null = /.</summary>
    public string? InstallRoot { get; init; }

    /// <summary>dnf/yum --releasever; null = detected by the tool.</summary>
    public string? ReleaseVersion { get; init; }

    /// <summary>dnf/yum -c (configuration file); null = the default.</summary>
    public string? DnfConfigFile { get; init; }
}
