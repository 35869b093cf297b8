using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Actions.Kubernetes;
using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>
/// rancher_restore builds the Restore from typed fields and rancher_backup_check proves the backup before cleanup,
/// through the <see cref="KubectlManifestStandIn"/> and <see cref="HelmStandIn"/>; bad fields are refused before any tool runs.
/// </summary>
public sealed class RancherRestoreStandInTests : IDisposable
{
    private const string BackupFile = "backup-migration-5be7bcd8-2023-05-01T09-21-02Z.tar.gz";
    private readonly AgentHarness _h;
    private readonly string _kubectlLog;
    private readonly string _helmLog;
    private readonly string _objects;
    private readonly string _helmState;

    public RancherRestoreStandInTests()
    {
        string? helm = null, kubectl = null;
        _h = new AgentHarness(o => o with
        {
            Tools = o.Tools with { Helm = helm = Path.Combine(o.AllowedRoots[0], "bin/helm"), Kubectl = kubectl = Path.Combine(o.AllowedRoots[0], "bin/kubectl") },
        });
        _kubectlLog = _h.Root["kubectl.log"];
        _helmLog = _h.Root["helm.log"];
        _objects = _h.Root.Dir("objects");
        _helmState = _h.Root.Dir("helm-state");
        KubectlManifestStandIn.Write(kubectl!, _kubectlLog, _objects);
        HelmStandIn.Write(helm!, _helmLog, _helmState);
        File.WriteAllText(_h.Options.DefaultKubeconfig, "apiVersion: v1\nkind: Config\n");
    }

    [Fact]
    public async Task RancherRestore_StandInTypedFields_CreatesTheDocumentsRestoreManifest()
    {
        var result = await RunAsync(Restore());

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal("restore.resources.cattle.io/restore-migration created", result.Summary);
        Assert.Equal(
            """
            apiVersion: resources.cattle.io/v1
            kind: Restore
            metadata:
              name: restore-migration
            spec:
              backupFilename: "backup-migration-5be7bcd8-2023-05-01T09-21-02Z.tar.gz"
              encryptionConfigSecretName: "encryptionconfig"
              storageLocation:
                s3:
                  credentialSecretName: "s3-creds"
                  credentialSecretNamespace: "default"
                  bucketName: "rancher-backups"
                  folder: "rancher"
                  region: "us-west-2"
                  endpoint: "s3.us-west-2.amazonaws.com"

            """,
            File.ReadAllText(Path.Combine(_objects, "restore_restore-migration")));
    }

    [Fact]
    public async Task RancherRestore_StandInDefaultStorageNoEncryption_ManifestHasNoStorageLocation()
    {
        var result = await RunAsync(new V1.Action { RancherRestore = new V1.RancherRestore { Name = "restore-local", BackupFilename = BackupFile } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        var manifest = File.ReadAllText(Path.Combine(_objects, "restore_restore-local"));
        Assert.DoesNotContain("storageLocation", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("encryptionConfigSecretName", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RancherRestore_StandInRestoreExists_FailedNotSkipped()
    {
        Assert.Equal(V1.StepState.Succeeded, (await RunAsync(Restore(), "step-1")).State);

        var again = await RunAsync(Restore(), "step-2");

        Assert.Equal(V1.StepState.Failed, again.State);
        Assert.Contains("AlreadyExists", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_RancherRestore_ShowsTheManifestAndRunsNothing()
    {
        var text = await _h.Build(Restore()).DescribeAsync(_h.Context(), CancellationToken.None);

        Assert.Contains($" create -f {Path.Combine(_h.Options.ScratchDirectory, "restore-restore-migration.yaml")}", text, StringComparison.Ordinal);
        Assert.Contains($"  backupFilename: \"{BackupFile}\"", text, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_kubectlLog));
    }

    [Theory]
    [InlineData("Restore-Migration", BackupFile, "rancher-backups", "s3-creds", "default", "name 'Restore-Migration' is not allowed")]
    [InlineData("restore-migration", "backup.tar", "rancher-backups", "s3-creds", "default", "backup_filename 'backup.tar' is not a rancher-backup file name")]
    [InlineData("restore-migration", "x.tar.gz\n  injected: true", "rancher-backups", "", "", "backup_filename")]
    [InlineData("restore-migration", BackupFile, "", "s3-creds", "", "s3_bucket_name is empty but other s3_ fields are set")]
    [InlineData("restore-migration", BackupFile, "rancher-backups", "", "default", "s3_credential_secret_namespace is set without s3_credential_secret_name")]
    [InlineData("restore-migration", BackupFile, "Bad_Bucket", "", "", "s3_bucket_name 'Bad_Bucket' is not allowed")]
    public async Task RancherRestore_BadField_RefusedNamingItAndKubectlNeverRuns(string name, string file, string bucket, string secret, string secretNs, string problem)
    {
        var result = await RunAsync(new V1.Action
        {
            RancherRestore = new V1.RancherRestore
            {
                Name = name, BackupFilename = file, S3BucketName = bucket, S3CredentialSecretName = secret, S3CredentialSecretNamespace = secretNs,
            },
        });

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_kubectlLog));
    }

    [Fact]
    public async Task RancherBackupCheck_StandInBackupResourceReportsTheFile_Passes()
    {
        File.WriteAllText(Path.Combine(_objects, "backups"), $"weekly\tbackup-weekly-1.tar.gz\nmigration\t{BackupFile}\n");

        var result = await RunAsync(Check(BackupFile, string.Empty));

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal($"backup {BackupFile} is recorded by Backup migration (status.filename)", result.Summary);
    }

    [Fact]
    public async Task RancherBackupCheck_StandInNoBackupReportsItAndNoAcknowledgement_FailsSayingNothingWasDeleted()
    {
        File.WriteAllText(Path.Combine(_objects, "backups"), "weekly\tbackup-weekly-1.tar.gz\n");

        var result = await RunAsync(Check(BackupFile, string.Empty));

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains($"backup {BackupFile} is not proven to exist: no Backup resource reports it", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing has been deleted", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RancherBackupCheck_StandInNoBackupCrdButAcknowledged_PassesSayingItIsTheOperatorsWord()
    {
        File.WriteAllText(Path.Combine(_objects, "crds"), "clusters.management.cattle.io\n");

        var result = await RunAsync(Check(BackupFile, BackupFile));

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.StartsWith($"backup {BackupFile} not verified here (the Backup resources could not be listed: error: the server doesn't have a resource type \"backups\")", result.Summary, StringComparison.Ordinal);
        Assert.EndsWith("the operator acknowledged that it exists on the storage location", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RancherBackupCheck_AcknowledgedAnotherFile_RefusedAndKubectlNeverRuns()
    {
        var result = await RunAsync(Check(BackupFile, "backup-weekly-1.tar.gz"));

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("acknowledged_filename 'backup-weekly-1.tar.gz' is not backup_filename", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_kubectlLog));
    }

    [Fact]
    public async Task HelmInstall_StandInLocalChartAndValues_UpgradeInstallCommandAndReleaseDeployed()
    {
        var chart = HelmStandIn.Chart(Path.Combine(_h.Allowed, "rancher.tgz"), "rancher", "2.6.3", "v2.6.3");
        var values = _h.Root.Write("allowed/rancher-values.yaml", "hostname: rancher.example.com\n");
        Directory.CreateDirectory(Path.Combine(_helmState, "cattle-system"));

        var result = await RunAsync(new V1.Action { HelmInstall = new V1.HelmInstall { Release = "rancher", Namespace = "cattle-system", ChartPath = chart, ValuesPath = values } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal(
            $"upgrade --install rancher {chart} -n cattle-system -f {values} --wait --timeout 300s --kubeconfig {_h.Options.DefaultKubeconfig}",
            StandIns.Calls(_helmLog)[0]);
        Assert.Equal([(1, "deployed", "rancher-2.6.3", "Install complete")], HelmStandIn.Revisions(_helmState, "cattle-system", "rancher"));
        Assert.Equal("hostname: rancher.example.com\n", HelmStandIn.Values(_helmState, "cattle-system", "rancher"));
    }

    [Fact]
    public async Task HelmInstall_StandInNamespaceGoneWithoutCreateNamespace_FailedWithHelmsError()
    {
        var chart = HelmStandIn.Chart(Path.Combine(_h.Allowed, "rancher.tgz"), "rancher", "2.6.3", "v2.6.3");

        var result = await RunAsync(new V1.Action { HelmInstall = new V1.HelmInstall { Release = "rancher", Namespace = "cattle-system", ChartPath = chart } });

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains("namespaces \"cattle-system\" not found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelmInstall_MissingChart_FailedNamingItAndHelmNeverRuns()
    {
        var result = await RunAsync(new V1.Action
        {
            HelmInstall = new V1.HelmInstall { Release = "rancher", Namespace = "cattle-system", ChartPath = Path.Combine(_h.Allowed, "rancher.tgz") },
        });

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains($"chart {Path.Combine(_h.Allowed, "rancher.tgz")} does not exist", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_helmLog));
    }

    [Theory]
    [InlineData("/etc/rancher.tgz", "", "chart_path")]
    [InlineData("ALLOWED/rancher.tgz", "/root/values.yaml", "values_path")]
    public async Task HelmInstall_PathOutsideAllowedRoots_RefusedNamingTheField(string chart, string values, string field)
    {
        var result = await RunAsync(new V1.Action
        {
            HelmInstall = new V1.HelmInstall { Release = "rancher", Namespace = "cattle-system", ChartPath = chart.Replace("ALLOWED", _h.Allowed, StringComparison.Ordinal), ValuesPath = values },
        });

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains(field, result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_helmLog));
    }

    [Fact]
    public void ActionFactory_HelmInstallTimeoutOverADay_Refused()
    {
        var ex = Assert.Throws<ActionValidationException>(() => _h.Build(new V1.Action
        {
            HelmInstall = new V1.HelmInstall { Release = "rancher", Namespace = "cattle-system", ChartPath = Path.Combine(_h.Allowed, "r.tgz"), TimeoutSeconds = 86_401 },
        }));

        Assert.Contains("timeout_seconds 86401 is more than 86400", ex.Message, StringComparison.Ordinal);
    }

    private static V1.Action Check(string file, string acknowledged) =>
        new() { RancherBackupCheck = new V1.RancherBackupCheck { BackupFilename = file, AcknowledgedFilename = acknowledged } };

    private static V1.Action Restore() => new()
    {
        RancherRestore = new V1.RancherRestore
        {
            Name = "restore-migration",
            BackupFilename = BackupFile,
            EncryptionConfigSecretName = "encryptionconfig",
            S3CredentialSecretName = "s3-creds",
            S3CredentialSecretNamespace = "default",
            S3BucketName = "rancher-backups",
            S3Folder = "rancher",
            S3Region = "us-west-2",
            S3Endpoint = "s3.us-west-2.amazonaws.com",
        },
    };

    private Task<V1.StepResult> RunAsync(V1.Action action, string step = "step-1") => _h.RunStepAsync(action, "run-restore", step);

    public void Dispose() => _h.Dispose();
}
