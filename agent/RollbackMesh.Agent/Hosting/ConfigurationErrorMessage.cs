using System.Text;

namespace RollbackMesh.Agent.Hosting;

/// <summary>The one message printed when the configuration is invalid: the file and every problem, one per line.</summary>
internal static class ConfigurationErrorMessage
{
    /// <summary>Formats <paramref name="problems"/> found in <paramref name="configPath"/>.</summary>
    public static string Format(string configPath, IEnumerable<string> problems)
    {
        var list = problems.ToList();
        var text = new StringBuilder()
            .Append("rollbackmesh-agent: invalid configuration (").Append(configPath).Append(", ROLLBACKMESH_AGENT__* environment): ")
            .Append(list.Count).Append(list.Count == 1 ? " problem" : " problems");
        foreach (var problem in list)
        {
            text.Append("\n  - ").Append(problem);
        }

        return text.ToString();
    }
}
