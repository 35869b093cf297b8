namespace RollbackMesh.Protos.Conventions;

/// <summary>
/// systemd unit names as systemctl reads them, shared by the agent (service steps, watched units) and the coordinator
/// (gates comparing a runbook's unit with a node's report).
/// </summary>
public static class UnitNames
{
    // The unit types systemd knows (systemd.unit(5)); a name ending in one of them is already complete.
    private static readonly string[] Suffixes =
        [".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope"];

    /// <summary>
    /// The full unit name for <paramref name="name"/>: a name without a unit type suffix gets ".service", as
    /// systemctl does ("k3s" is "k3s.service"); any other name is returned unchanged.
    /// </summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length == 0 || Suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? name : name + ".service";
    }

    /// <summary>True when both names denote the same unit once normalised.</summary>
    public static bool Same(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);
}
