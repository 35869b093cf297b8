namespace RollbackMesh.Agent.Actions.Verification;

/// <summary>
/// How each allow-listed tool is asked for its version. k3s and calico-felix take `--version` (the K3s and Calico
/// procedures say so); calicoctl has a `version` subcommand and no such flag; kubectl's `version` would also ask the
/// API server, so only `--client`; helm has `version`. A tool added to the allow-list by configuration gets `--version`.
/// </summary>
internal sealed record VersionCommand(IReadOnlyList<string> Arguments, string? ClientLinePrefix = null)
{
    /// <summary>The arguments for <paramref name="tool"/>.</summary>
    public static VersionCommand For(string tool) => tool switch
    {
        // `calicoctl version` prints "Client Version:" and then tries the datastore for the cluster version; with no
        // datastore configured that second part fails. The client line is what the step checks, so it is enough.
        "calicoctl" => new VersionCommand(["version"], "Client Version:"),
        "kubectl" => new VersionCommand(["version", "--client"]),
        "helm" => new VersionCommand(["version"]),
        _ => new VersionCommand(["--version"]),
    };

    /// <summary>The command as an operator would type it, for messages.</summary>
    public string Display(string tool) => tool + " " + string.Join(' ', Arguments);

    /// <summary>
    /// The part of the output the pattern is matched against: the client line for tools that print one (so a cluster
    /// version further down cannot satisfy the check), else everything.
    /// </summary>
    public string? Relevant(string output)
    {
        if (ClientLinePrefix is null)
        {
            return output;
        }

        var line = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(ClientLinePrefix, StringComparison.Ordinal));
        return line?.Trim();
    }
}
