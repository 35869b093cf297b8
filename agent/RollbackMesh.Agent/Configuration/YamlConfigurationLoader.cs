using System.Globalization;
using RollbackMesh.Agent.Configuration.Yaml;

namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// Reads agent.yaml into flat configuration keys under "Agent:" (sequences become ":0", ":1", ...), and
/// reports keys the agent does not know, so a typo is a start-up error rather than a silently ignored setting.
/// The file is read by <see cref="YamlSubsetReader"/> (YamlDotNet's parser), which refuses YAML outside the subset
/// agent.yaml needs instead of reading it some other way.
/// </summary>
internal static class YamlConfigurationLoader
{
    /// <summary>Loads <paramref name="path"/>; never throws for a missing or malformed file (those are problems).</summary>
    public static ConfigFileResult Load(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: cannot read the configuration file ({ex.Message})");
            return new ConfigFileResult(path, values, problems);
        }

        YamlNode? root;
        try
        {
            root = YamlSubsetReader.Read(text);
        }
        catch (YamlSubsetException ex)
        {
            var what = ex.Unsupported ? "YAML the agent does not read" : "not valid YAML";
            problems.Add($"{path}: {what} at line {ex.Line}, column {ex.Column}: {ex.Message}");
            return new ConfigFileResult(path, values, problems);
        }

        if (root is null)
        {
            return new ConfigFileResult(path, values, problems);
        }

        if (root is not YamlMapping mapping)
        {
            problems.Add($"{path}: the top level must be a mapping of keys to values");
            return new ConfigFileResult(path, values, problems);
        }

        Flatten(mapping, AgentOptions.SectionName, string.Empty, values, problems);
        return new ConfigFileResult(path, values, problems);
    }

    private static void Flatten(YamlNode node, string key, string yamlPath, Dictionary<string, string?> values, List<string> problems)
    {
        switch (node)
        {
            case YamlScalar scalar:
                // The text as written, "~" and "null" included: the configuration binder decides what they mean.
                values[key] = scalar.Value;
                break;
            case YamlSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    var childPath = yamlPath + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    Flatten(sequence.Items[i], key + ":" + i.ToString(CultureInfo.InvariantCulture), childPath, values, problems);
                }

                break;
            case YamlMapping mapping:
                FlattenMapping(mapping, key, yamlPath, values, problems);
                break;
        }
    }

    private static void FlattenMapping(YamlMapping mapping, string key, string yamlPath, Dictionary<string, string?> values, List<string> problems)
    {
        // Configuration keys ignore case, so "roles" and "Roles" would merge silently; YAML only refuses exact repeats.
        var seen = new Dictionary<string, YamlScalar>(StringComparer.OrdinalIgnoreCase);
        foreach (var (childKey, childValue) in mapping.Entries)
        {
            var name = childKey.Value;
            var childPath = yamlPath.Length == 0 ? name : yamlPath + "." + name;
            if (!seen.TryAdd(name, childKey))
            {
                var first = seen[name];
                problems.Add($"{childPath}: same key as '{first.Value}' on line {first.Line} (keys are not case-sensitive) (line {childKey.Line})");
                continue;
            }

            if (name.Contains(':', StringComparison.Ordinal))
            {
                // ':' separates configuration sections: "a:b" under labels would bind as labels.a.b, not as one label.
                problems.Add($"{childPath}: a key cannot contain ':' (line {childKey.Line})");
                continue;
            }

            if (!AgentConfigurationSchema.IsKnown(childPath))
            {
                problems.Add($"{childPath}: unknown key (line {childKey.Line})");
                continue;
            }

            if (AgentConfigurationSchema.IsBoolean(childPath)
                && (childValue is not YamlScalar { Value: var flag } || !bool.TryParse(flag, out _)))
            {
                problems.Add($"{childPath}: must be true or false (line {childValue.Line})");
                continue;
            }

            Flatten(childValue, key + ":" + name, childPath, values, problems);
        }
    }
}
