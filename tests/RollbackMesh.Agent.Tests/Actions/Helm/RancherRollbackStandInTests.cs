using RollbackMesh.Agent.Tests.Actions.Kubernetes;
using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>
/// The v2.6.4+ Rancher rollback's actions, in the runbook's order, against stand-ins that share one cluster:
/// <see cref="RancherCleanupStandIn"/> (deletes the cattle namespaces with their Helm release Secrets and the cattle.io
/// CRDs, as cleanup.sh does), <see cref="HelmStandIn"/> and <see cref="KubectlManifestStandIn"/>. They show why the
/// runbook reinstalls rancher-backup and installs the previous Rancher chart instead of running helm rollback.
/// </summary>
public sealed class RancherRollbackStandInTests : IDisposable
{
    private const string BackupFile = "backup-b0450532-cee1-4aa1-a881-f5f48a007b1c-2020-09-15T07-27-09Z.tar.gz";
    private readonly AgentHarness _h;
    private readonly string _helmState;
    private readonly string _objects;
    private readonly string _crds;
    private readonly string _artifacts;

    public RancherRollbackStandInTests()
    {
        string? helm = null, kubectl = null;
        _h = new AgentHarness(o => o with
        {
            Tools = o.Tools with { Helm = helm = Path.Combine(o.AllowedRoots[0], "bin/helm"), Kubectl = kubectl = Path.Combine(o.AllowedRoots[0], "bin/kubectl") },
        });
        _helmState = _h.Root.Dir("helm-state");
        _objects = _h.Root.Dir("objects");
        _crds = Path.Combine(_objects, "crds");
        HelmStandIn.Write(helm!, _h.Root["helm.log"], _helmState, _crds);
        KubectlManifestStandIn.Write(kubectl!, _h.Root["kubectl.log"], _objects);
        RancherCleanupStandIn.Write(_h.Root.Dir("allowed/rancher-cleanup"), _h.Root["cleanup.log"], _h.Root.Dir("cluster"), _helmState, _crds);
        File.WriteAllText(_h.Options.DefaultKubeconfig, "apiVersion: v1\nkind: Config\n");
        File.WriteAllText(Path.Combine(_h.Root.Path, "cluster", "resources"), "deployment.apps/rancher\nnamespace/cattle-system\n");
        File.WriteAllLines(_crds, ["backups.resources.cattle.io", "restores.resources.cattle.io", "clusters.management.cattle.io", "machines.cluster.x-k8s.io", "addons.k3s.cattle.io", "helmcharts.helm.cattle.io"]);
        File.WriteAllText(Path.Combine(_objects, "backups"), $"nightly\t{BackupFile}\n");
        HelmStandIn.Release(_helmState, "cattle-system", "rancher",
            ("rancher-2.6.3", "v2.6.3", "Install complete"), ("rancher-2.6.5", "v2.6.5", "Upgrade complete"));
        HelmStandIn.Release(_helmState, "cattle-resources-system", "rancher-backup", ("rancher-backup-2.1.1", "2.1.1", "Install complete"));
        _artifacts = _h.Root.Dir("allowed/artifacts/rancher");
        HelmStandIn.Chart(Path.Combine(_artifacts, "rancher-backup-crd.tgz"), "rancher-backup-crd", "2.1.1", "2.1.1",
            "backups.resources.cattle.io", "restores.resources.cattle.io", "resourcesets.resources.cattle.io");
        HelmStandIn.Chart(Path.Combine(_artifacts, "rancher-backup.tgz"), "rancher-backup", "2.1.1", "2.1.1");
        HelmStandIn.Chart(Path.Combine(_artifacts, "rancher.tgz"), "rancher", "2.6.3", "v2.6.3");
        File.WriteAllText(Path.Combine(_artifacts, "rancher-backup-values.yaml"), "persistence:\n  enabled: true\n");
        File.WriteAllText(Path.Combine(_artifacts, "rancher-values.yaml"), "hostname: rancher.example.com\ningress:\n  tls:\n    source: secret\n");
    }

    [Fact]
    public async Task HelmRollback_StandInAfterRancherCleanup_FailsBecauseCleanupDeletedTheReleaseHistory()
    {
        Assert.Equal(V1.StepState.Succeeded, (await CleanupAsync()).State);

        var rollback = await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 1 } });

        Assert.Equal(V1.StepState.Failed, rollback.State);
        Assert.Contains("Error: release: not found", rollback.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_helmState, "cattle-system")));
        Assert.False(Directory.Exists(Path.Combine(_helmState, "cattle-resources-system")));
    }

    [Fact]
    public async Task RancherRestore_StandInRightAfterCleanup_FailsUntilTheBackupChartsAreInstalledAgain()
    {
        Assert.Equal(V1.StepState.Succeeded, (await CleanupAsync()).State);
        Assert.Equal(["addons.k3s.cattle.io", "helmcharts.helm.cattle.io"], File.ReadAllLines(_crds));

        var restore = await RunAsync(Restore());

        Assert.Equal(V1.StepState.Failed, restore.State);
        Assert.Contains("no matches for kind \"Restore\" in version \"resources.cattle.io/v1\"", restore.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunbookOrder_StandInV264Rollback_CleanupReinstallBackupRestoreThenPreviousRancherFromItsChart()
    {
        var check = await RunAsync(new V1.Action { RancherBackupCheck = new V1.RancherBackupCheck { BackupFilename = BackupFile } });
        Assert.Equal(V1.StepState.Succeeded, check.State);
        Assert.Equal($"backup {BackupFile} is recorded by Backup nightly (status.filename)", check.Summary);
        Assert.Equal(V1.StepState.Succeeded, (await CleanupAsync()).State);

        var crd = await RunAsync(Install("rancher-backup-crd", "cattle-resources-system", "rancher-backup-crd.tgz", null, createNamespace: true));
        var backup = await RunAsync(Install("rancher-backup", "cattle-resources-system", "rancher-backup.tgz", "rancher-backup-values.yaml", createNamespace: false));
        var restore = await RunAsync(Restore());
        File.WriteAllText(Path.Combine(_objects, "restore_restore-migration.conditions"), "Ready=True\n");
        var wait = await RunAsync(new V1.Action
        {
            KubectlWait = new V1.KubectlWait { Resource = "restores.resources.cattle.io/restore-migration", Condition = "Ready", TimeoutSeconds = 5 },
        });
        var rancher = await RunAsync(Install("rancher", "cattle-system", "rancher.tgz", "rancher-values.yaml", createNamespace: true));

        Assert.All(new[] { crd, backup, restore, wait, rancher }, r => Assert.True(r.State == V1.StepState.Succeeded, r.Error));
        Assert.Equal("restore.resources.cattle.io/restore-migration created", restore.Summary);
        Assert.Equal([(1, "deployed", "rancher-2.6.3", "Install complete")], HelmStandIn.Revisions(_helmState, "cattle-system", "rancher"));
        Assert.Equal("hostname: rancher.example.com\ningress:\n  tls:\n    source: secret\n", HelmStandIn.Values(_helmState, "cattle-system", "rancher"));
        Assert.Equal("persistence:\n  enabled: true\n", HelmStandIn.Values(_helmState, "cattle-resources-system", "rancher-backup"));
        Assert.True(rancher.Verified);
    }

    private Task<V1.StepResult> CleanupAsync() =>
        RunAsync(new V1.Action { RancherCleanup = new V1.RancherCleanup { ScriptsDir = Path.Combine(_h.Allowed, "rancher-cleanup") } });

    private V1.Action Install(string release, string ns, string chart, string? values, bool createNamespace) => new()
    {
        HelmInstall = new V1.HelmInstall
        {
            Release = release,
            Namespace = ns,
            ChartPath = Path.Combine(_artifacts, chart),
            ValuesPath = values is null ? string.Empty : Path.Combine(_artifacts, values),
            CreateNamespace = createNamespace,
            TimeoutSeconds = 60,
        },
    };

    private static V1.Action Restore() => new()
    {
        RancherRestore = new V1.RancherRestore
        {
            Name = "restore-migration",
            BackupFilename = BackupFile,
            EncryptionConfigSecretName = "encryptionconfig",
            S3BucketName = "rancher-backups",
            S3CredentialSecretName = "s3-creds",
            S3CredentialSecretNamespace = "default",
            S3Folder = "rancher",
            S3Region = "us-west-2",
            S3Endpoint = "s3.us-west-2.amazonaws.com",
        },
    };

    private int _step;

    private Task<V1.StepResult> RunAsync(V1.Action action) => _h.RunStepAsync(action, "run-rancher", $"step-{++_step}");

    public void Dispose() => _h.Dispose();
}
