using System.Text.RegularExpressions;
using RollbackMesh.Agent.Actions.ConfigFiles;
using RollbackMesh.Agent.Actions.Datastores;
using RollbackMesh.Agent.Actions.Filesystem;
using RollbackMesh.Agent.Actions.Helm;
using RollbackMesh.Agent.Actions.K3s;
using RollbackMesh.Agent.Actions.Kubernetes;
using RollbackMesh.Agent.Actions.Packages;
using RollbackMesh.Agent.Actions.Repositories;
using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Actions.Verification;
using RollbackMesh.Agent.Confinement;
using RollbackMesh.Protos.Actions;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Actions;

/// <summary>
/// Turns the wire <see cref="V1.Action"/> into an <see cref="IAgentAction"/>, validating every argument and
/// confining every path first. Defaults and path confinement follow actions.proto's options
/// (<see cref="PrepareArguments"/>); what is particular to a kind is checked where it is built. Problems are collected
/// and reported together; the step is then REFUSED.
/// </summary>
internal sealed partial class ActionFactory
{
    private readonly AgentActionOptions _options;
    private readonly PathConfinement _confinement;

    /// <summary>Creates the factory over the agent's options.</summary>
    public ActionFactory(AgentActionOptions options)
    {
        _options = options;
        _confinement = new PathConfinement(options.AllowedRoots);
    }

    /// <summary>Builds the action.</summary>
    /// <exception cref="ActionValidationException">An argument is invalid (all problems in the message).</exception>
    /// <exception cref="PathConfinementException">A path lies outside the allowed roots.</exception>
    public IAgentAction Create(V1.Action action)
    {
        var v = new Validation(_confinement);
        var prepared = action.Clone();
        if (ActionCatalog.Inner(prepared) is { } arguments)
        {
            PrepareArguments(arguments, v);
        }

        var built = Build(prepared, v);
        v.ThrowIfInvalid();
        return built ?? throw new ActionValidationException("action has no kind set");
    }

    /// <summary>Every action kind this agent can run (the Action oneof's field names), for the Hello capabilities.</summary>
    public static IReadOnlyList<string> SupportedKinds => ActionKindNames.All;

    /// <summary>The wire name of the action's kind (for journaling even a refused step).</summary>
    public static string KindOf(V1.Action? action) =>
        ActionKindNames.Of(action?.KindCase ?? V1.Action.KindOneofCase.None);

    private IAgentAction? Build(V1.Action action, Validation v) => action.KindCase switch
    {
        V1.Action.KindOneofCase.FelixConfig => new FelixConfigEditAction(
            action.FelixConfig.Path,
            v.Keys(action.FelixConfig.RemoveKeys, "remove_keys"), action.FelixConfig.RemoveOnlyIfValue,
            v.KeyValues(action.FelixConfig.SetKeys)),
        V1.Action.KindOneofCase.YumRepoSubstitute => new YumRepoSubstituteAction(
            action.YumRepoSubstitute.Path, v.NonEmpty(action.YumRepoSubstitute.From, "from"),
            v.Line(action.YumRepoSubstitute.To, "to")),
        V1.Action.KindOneofCase.AptSource => new AptSourceChangeAction(
            action.AptSource.Path, action.AptSource.Remove, action.AptSource.Content),
        V1.Action.KindOneofCase.PackageClean => new PackageCleanCacheAction(Backend(action.PackageClean.Manager, v)),
        V1.Action.KindOneofCase.PackageDowngrade => Downgrade(action.PackageDowngrade, v),
        V1.Action.KindOneofCase.Service => new ServiceControlAction(v.Unit(UnitNames.Normalize(action.Service.Unit)), action.Service.Operation switch
        {
            V1.ServiceOperation.Start => ServiceOperation.Start,
            V1.ServiceOperation.Stop => ServiceOperation.Stop,
            V1.ServiceOperation.Restart => ServiceOperation.Restart,
            V1.ServiceOperation.Reload => ServiceOperation.Reload,
            _ => v.Fail<ServiceOperation>("service.operation is unspecified"),
        }),
        V1.Action.KindOneofCase.K3SKillall => new K3sKillAllAction(action.K3SKillall.ScriptPath),
        V1.Action.KindOneofCase.K3SInstallBinary => new K3sInstallBinaryAction(
            action.K3SInstallBinary.ArtifactDir, v.Optional(action.K3SInstallBinary.Version, VersionRegex(), "version"),
            action.K3SInstallBinary.SkipStart, v.Optional(action.K3SInstallBinary.Exec, ExecRegex(), "exec"),
            action.K3SInstallBinary.InstallPath),
        V1.Action.KindOneofCase.K3SClusterReset => new K3sClusterResetAction(
            action.K3SClusterReset.SnapshotPath, v.OptionalSecret(action.K3SClusterReset.Token, TokenRegex(), "token")),
        V1.Action.KindOneofCase.K3STokenCheck => new K3sTokenCheckAction(
            action.K3STokenCheck.TokenPath, v.Secret(action.K3STokenCheck.ExpectedToken, "expected_token")),
        V1.Action.KindOneofCase.EtcdSnapshotVerify => new EtcdSnapshotVerifyAction(action.EtcdSnapshotVerify.SnapshotPath),
        V1.Action.KindOneofCase.MoveAside => new MoveAsideAction(action.MoveAside.Path),
        V1.Action.KindOneofCase.SqliteSwap => new SqliteSwapAction(
            action.SqliteSwap.DatabasePath, action.SqliteSwap.BackupPath),
        V1.Action.KindOneofCase.PostgresRestore => new PostgresRestoreAction(
            action.PostgresRestore.DumpPath, v.Connection(action.PostgresRestore.Connection)),
        V1.Action.KindOneofCase.KubectlNode => new KubectlNodeAction(v.Name(action.KubectlNode.Node, "node"), action.KubectlNode.Operation switch
        {
            V1.KubectlNodeOperation.Drain => KubectlNodeOperation.Drain,
            V1.KubectlNodeOperation.Cordon => KubectlNodeOperation.Cordon,
            V1.KubectlNodeOperation.Uncordon => KubectlNodeOperation.Uncordon,
            _ => v.Fail<KubectlNodeOperation>("kubectl_node.operation is unspecified"),
        }, action.KubectlNode.Kubeconfig),
        V1.Action.KindOneofCase.KubectlRollout => new KubectlRolloutAction(
            v.Matching(action.KubectlRollout.Resource, ResourceRegex(), "resource"), v.Name(action.KubectlRollout.Namespace, "namespace"),
            action.KubectlRollout.Operation switch
            {
                V1.RolloutOperation.Undo => true,
                V1.RolloutOperation.Status => false,
                _ => v.Fail<bool>("kubectl_rollout.operation is unspecified"),
            }, action.KubectlRollout.Kubeconfig),
        V1.Action.KindOneofCase.KubectlDeletePod => new KubectlDeletePodAction(
            v.Name(action.KubectlDeletePod.Namespace, "namespace"),
            v.Matching(action.KubectlDeletePod.LabelSelector, SelectorRegex(), "label_selector"), v.Name(action.KubectlDeletePod.Node, "node"),
            action.KubectlDeletePod.WaitForReplacement,
            TimeSpan.FromSeconds(action.KubectlDeletePod.ReplacementTimeoutSeconds), action.KubectlDeletePod.Kubeconfig),
        V1.Action.KindOneofCase.KubectlApply => new KubectlApplyAction(
            action.KubectlApply.ManifestPath, action.KubectlApply.Kubeconfig),
        V1.Action.KindOneofCase.KubectlCreate => new KubectlCreateAction(
            action.KubectlCreate.ManifestPath, action.KubectlCreate.Kubeconfig),
        V1.Action.KindOneofCase.KubectlWait => new KubectlWaitAction(
            v.Shaped(action.KubectlWait.Resource, ResourceRegex(), "resource", "kind/name such as restore/restore-migration"),
            action.KubectlWait.Namespace.Length == 0 ? string.Empty : v.Name(action.KubectlWait.Namespace, "namespace"),
            v.Shaped(action.KubectlWait.Condition, ConditionRegex(), "condition", "a condition type such as Ready"),
            v.Seconds(action.KubectlWait.TimeoutSeconds, MaxWaitSeconds, "timeout_seconds"),
            action.KubectlWait.Kubeconfig),
        V1.Action.KindOneofCase.KubectlStrategyCheck => StrategyCheck(action.KubectlStrategyCheck, v),
        V1.Action.KindOneofCase.CalicoUpgradeAbort => new CalicoUpgradeAbortAction(
            action.CalicoUpgradeAbort.ApiconfigV1, action.CalicoUpgradeAbort.ApiconfigV3),
        V1.Action.KindOneofCase.InstallToolBinary => new InstallToolBinaryAction(
            action.InstallToolBinary.SourcePath, v.Matching(action.InstallToolBinary.Sha256, Sha256Regex(), "sha256"),
            action.InstallToolBinary.InstallPath),
        V1.Action.KindOneofCase.HelmHistory => new HelmHistoryAction(
            v.Name(action.HelmHistory.Release, "release"), v.Name(action.HelmHistory.Namespace, "namespace"), action.HelmHistory.Kubeconfig),
        V1.Action.KindOneofCase.HelmRollback => new HelmRollbackAction(
            v.Name(action.HelmRollback.Release, "release"), v.Name(action.HelmRollback.Namespace, "namespace"),
            action.HelmRollback.Revision, action.HelmRollback.Kubeconfig),
        V1.Action.KindOneofCase.HelmInstall => new HelmInstallAction(
            v.Name(action.HelmInstall.Release, "release"), v.Name(action.HelmInstall.Namespace, "namespace"),
            action.HelmInstall.ChartPath, action.HelmInstall.ValuesPath,
            action.HelmInstall.CreateNamespace, v.Seconds(action.HelmInstall.TimeoutSeconds, MaxWaitSeconds, "timeout_seconds"),
            action.HelmInstall.Kubeconfig),
        V1.Action.KindOneofCase.RancherRestore => new RancherRestoreAction(RestoreSpec(action.RancherRestore, v), action.RancherRestore.Kubeconfig),
        V1.Action.KindOneofCase.RancherBackupCheck => BackupCheck(action.RancherBackupCheck, v),
        V1.Action.KindOneofCase.RancherCleanup => new RancherCleanupAction(
            action.RancherCleanup.ScriptsDir, action.RancherCleanup.Kubeconfig),
        V1.Action.KindOneofCase.VersionCheck => VersionCheck(action.VersionCheck, v),
        V1.Action.KindOneofCase.WaitNodeReady => new WaitNodeReadyAction(
            v.Name(action.WaitNodeReady.Node, "node"),
            TimeSpan.FromSeconds(action.WaitNodeReady.TimeoutSeconds), action.WaitNodeReady.Kubeconfig,
            v.Optional(action.WaitNodeReady.KubeletVersion, VersionRegex(), "kubelet_version")),
        V1.Action.KindOneofCase.KubectlNodeCoverage => new KubectlNodeCoverageAction(
            [.. action.KubectlNodeCoverage.Enrolled.Select(n => v.Name(n, "enrolled"))],
            [.. action.KubectlNodeCoverage.Excluded.Select(n => v.Name(n, "excluded"))],
            action.KubectlNodeCoverage.Kubeconfig),
        V1.Action.KindOneofCase.NoOp => new NoOpAction(TimeSpan.FromMilliseconds(action.NoOp.SleepMilliseconds)),
        _ => null,
    };

    private PackageDowngradeAction Downgrade(V1.PackageDowngrade step, Validation v)
    {
        var backend = Backend(step.Manager, v);
        var packages = v.Packages(step.Packages);
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, version) in step.ExactVersions)
        {
            if (!packages.Contains(name, StringComparer.Ordinal))
            {
                v.Problem($"exact_versions names '{name}', which is not in the step's package list");
            }
            else if (!PackageNames.IsValidVersion(version))
            {
                v.Problem($"exact_versions['{name}'] = '{version}' is not a valid version");
            }
            else
            {
                exact[name] = version;
            }
        }

        foreach (var pin in step.Pins)
        {
            if (PackageNames.ParsePin(pin, out var name, out var version) is { } problem)
            {
                v.Problem($"pins: {problem}");
            }
            else if (!packages.Contains(name, StringComparer.Ordinal))
            {
                v.Problem($"pins names '{name}', which is not in the step's package list");
            }
            else if (exact.TryGetValue(name, out var other) && other != version)
            {
                v.Problem($"pins give '{name}' version {version}, but it is already pinned to {other}");
            }
            else
            {
                exact[name] = version;
            }
        }

        if (packages.Any(p => !exact.ContainsKey(p)) && !PackageNames.IsValidSeries(step.VersionSeries))
        {
            v.Problem($"version_series '{step.VersionSeries}' is not a series like 2.6 (needed for packages without an exact version)");
        }

        return new PackageDowngradeAction(backend, packages, step.VersionSeries, exact);
    }

    private IPackageBackend Backend(V1.PackageManager manager, Validation v) => manager switch
    {
        V1.PackageManager.Apt => new AptBackend(_options.Packages),
        // dnf where the node has it (EL 8+, where yum is dnf), else yum 3 (EL 7): see Yum3Backend.
        V1.PackageManager.Yum => File.Exists(_options.Packages.Dnf) ? new DnfBackend(_options.Packages) : new Yum3Backend(_options.Packages),
        _ => v.Fail<IPackageBackend>("package manager is unspecified"),
    };

    private VersionCheckAction VersionCheck(V1.VersionCheck step, Validation v)
    {
        if (!_options.Tools.VersionTools.TryGetValue(step.Tool, out var toolPath))
        {
            v.Problem($"tool '{step.Tool}' is not in the version-check allow-list ({string.Join(", ", _options.Tools.VersionTools.Keys)})");
            toolPath = string.Empty;
        }

        var pattern = v.NonEmpty(step.ExpectedPattern, "expected_pattern");
        Regex anchored;
        try
        {
            anchored = VersionCheckAction.Anchor(pattern);
        }
        catch (ArgumentException ex)
        {
            v.Problem($"expected_pattern is not a valid regular expression: {ex.Message}");
            anchored = new Regex("$^");
        }

        return new VersionCheckAction(step.Tool, toolPath, pattern, anchored);
    }

    private static RancherRestoreSpec RestoreSpec(V1.RancherRestore step, Validation v)
    {
        var s3 = new[] { step.S3CredentialSecretName, step.S3CredentialSecretNamespace, step.S3BucketName, step.S3Folder, step.S3Region, step.S3Endpoint };
        if (s3.Any(f => f.Length > 0) && step.S3BucketName.Length == 0)
        {
            v.Problem("s3_bucket_name is empty but other s3_ fields are set (leave them all empty for the operator's default storage)");
        }

        if (step.S3CredentialSecretNamespace.Length > 0 && step.S3CredentialSecretName.Length == 0)
        {
            v.Problem("s3_credential_secret_namespace is set without s3_credential_secret_name");
        }

        return new RancherRestoreSpec(
            v.Name(step.Name, "name"),
            v.Shaped(step.BackupFilename, BackupFileRegex(), "backup_filename", "a rancher-backup file name ending .tar.gz or .tar.gz.enc"),
            v.Optional(step.EncryptionConfigSecretName, NameRegex(), "encryption_config_secret_name"),
            v.Optional(step.S3CredentialSecretName, NameRegex(), "s3_credential_secret_name"),
            v.Optional(step.S3CredentialSecretNamespace, NameRegex(), "s3_credential_secret_namespace"),
            v.Optional(step.S3BucketName, BucketRegex(), "s3_bucket_name"),
            v.Optional(step.S3Folder, S3FolderRegex(), "s3_folder"),
            v.Optional(step.S3Region, S3RegionRegex(), "s3_region"),
            v.Optional(step.S3Endpoint, S3EndpointRegex(), "s3_endpoint"));
    }

    private RancherBackupCheckAction BackupCheck(V1.RancherBackupCheck step, Validation v)
    {
        var file = v.Shaped(step.BackupFilename, BackupFileRegex(), "backup_filename", "a rancher-backup file name ending .tar.gz or .tar.gz.enc");
        if (step.AcknowledgedFilename.Length > 0 && step.AcknowledgedFilename != step.BackupFilename)
        {
            v.Problem($"acknowledged_filename '{step.AcknowledgedFilename}' is not backup_filename '{step.BackupFilename}': acknowledge the very file the Restore reads");
        }

        return new RancherBackupCheckAction(file, step.AcknowledgedFilename.Length > 0, step.Kubeconfig);
    }
}
