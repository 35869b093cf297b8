namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>The rancher-backup Restore from the Rancher rollback procedure (resources.cattle.io/v1, cluster-scoped).</summary>
internal static class RestoreManifest
{
    public const string Name = "restore-migration";

    public const string Yaml = """
        apiVersion: resources.cattle.io/v1
        kind: Restore
        metadata:
          name: restore-migration
        spec:
          backupFilename: backup-migration-5be7bcd8-2023-05-01T09-21-02Z.tar.gz
          encryptionConfigSecretName: encryptionconfig
          storageLocation:
            s3:
              credentialSecretName: s3-creds
              credentialSecretNamespace: default
              bucketName: rancher-backups
              folder: rancher
              region: us-west-2
              endpoint: s3.us-west-2.amazonaws.com
        """;
}
