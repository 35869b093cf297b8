namespace RollbackMesh.Coordinator.Execution;

/// <summary>Unit names compared the way the agent and systemctl read them.</summary>
internal static class UnitNames
{
    // The unit types systemd knows (systemd.unit(5)); a name ending in one of them is already complete.
    private static readonly string[] Suffixes =
        [".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope"];

    /// <summary>
    /// The full unit name for <paramref name="name"/>: a name without a unit type suffix gets ".service", as
    /// systemctl does (and the agent, for service steps and watched units), so "k3s" is "k3s.service".
    /// </summary>
    public static string Normalize(string name) =>
        name.Length == 0 || Suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? name : name + ".service";

    /// <summary>True when both names denote the same unit once normalised.</summary>
    public static bool Same(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);
}
