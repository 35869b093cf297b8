using System.Text;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// The fields of a rancher-backup Restore (resources.cattle.io/v1, cluster-scoped) as the Rancher rollback page
/// shows them: backupFilename, encryptionConfigSecretName and an S3 storageLocation. S3 absent means the
/// operator's default storage location. Every value is shape-checked by the action factory before it gets here.
/// </summary>
internal sealed record RancherRestoreSpec(
    string Name,
    string BackupFilename,
    string EncryptionConfigSecretName,
    string S3CredentialSecretName,
    string S3CredentialSecretNamespace,
    string S3BucketName,
    string S3Folder,
    string S3Region,
    string S3Endpoint)
{
    /// <summary>True when the Restore reads from S3 rather than the operator's default storage.</summary>
    public bool UsesS3 => S3BucketName.Length > 0;

    /// <summary>The Restore manifest; optional fields that are empty are left out.</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder()
            .Append("apiVersion: resources.cattle.io/v1\nkind: Restore\nmetadata:\n")
            .Append("  name: ").Append(Name).Append('\n')
            .Append("spec:\n")
            .Append("  backupFilename: ").Append(Quote(BackupFilename)).Append('\n');
        Optional(yaml, "  ", "encryptionConfigSecretName", EncryptionConfigSecretName);
        if (UsesS3)
        {
            yaml.Append("  storageLocation:\n    s3:\n");
            Optional(yaml, "      ", "credentialSecretName", S3CredentialSecretName);
            Optional(yaml, "      ", "credentialSecretNamespace", S3CredentialSecretNamespace);
            Optional(yaml, "      ", "bucketName", S3BucketName);
            Optional(yaml, "      ", "folder", S3Folder);
            Optional(yaml, "      ", "region", S3Region);
            Optional(yaml, "      ", "endpoint", S3Endpoint);
        }

        return yaml.ToString();
    }

    private static void Optional(StringBuilder yaml, string indent, string key, string value)
    {
        if (value.Length > 0)
        {
            yaml.Append(indent).Append(key).Append(": ").Append(Quote(value)).Append('\n');
        }
    }

    // A double-quoted scalar, so no value can turn into YAML syntax (the factory's shapes allow no quote or backslash).
    private static string Quote(string value) => "\"" + value + "\"";
}
