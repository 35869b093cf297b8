using System.Text.RegularExpressions;

namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>The packaged packaging/config/agent.yaml, as shipped and with its commented-out examples uncommented.</summary>
internal static partial class PackagedAgentYaml
{
    /// <summary>The path of the packaged file, found above the test output directory.</summary>
    public static string Path()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "packaging", "config", "agent.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("packaging/config/agent.yaml not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// <paramref name="text"/> with every "# key: ..." example uncommented, and the "#   sub: ..." lines under an
    /// uncommented "# key:" as its nested keys.
    /// </summary>
    public static string Uncommented(string text)
    {
        var lines = new List<string>();
        var underKey = false;
        foreach (var line in text.Split('\n'))
        {
            var example = Example().Match(line);
            var nested = Nested().Match(line);
            if (example.Success)
            {
                lines.Add(example.Groups[1].Value + example.Groups[2].Value);
                underKey = example.Groups[2].Value.EndsWith(':');
            }
            else if (underKey && nested.Success)
            {
                lines.Add("  " + nested.Groups[1].Value);
            }
            else
            {
                lines.Add(line);
                underKey = false;
            }
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^(\s*)# ([A-Za-z0-9-]+:( .*)?)$")]
    private static partial Regex Example();

    [GeneratedRegex(@"^#   ([A-Za-z].*)$")]
    private static partial Regex Nested();
}
