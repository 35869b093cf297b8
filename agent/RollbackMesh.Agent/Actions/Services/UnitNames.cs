namespace RollbackMesh.Agent.Actions.Services;

/// <summary>Unit name handling shared by service steps and the health probe.</summary>
internal static class UnitNames
{
    // The unit types systemd knows (systemd.unit(5)); a name ending in one of them is already complete.
    private static readonly string[] Suffixes =
        [".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope"];

    /// <summary>
    /// The full unit name for <paramref name="name"/>: a name without a unit type suffix gets ".service", as
    /// systemctl does ("k3s" is "k3s.service"); any other name is returned unchanged.
    /// </summary>
    public static string Normalize(string name) =>
        name.Length == 0 || Suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? name : name + ".service";
}
