using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// Reads agent.yaml into flat configuration keys under "Agent:" (sequences become ":0", ":1", ...), and
/// reports keys the agent does not know, so a typo is a start-up error rather than a silently ignored setting.
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

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            problems.Add($"{path}: not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}");
            return new ConfigFileResult(path, values, problems);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some truncated documents (an unclosed flow sequence at the end) this way.
            problems.Add($"{path}: not valid YAML ({ex.Message})");
            return new ConfigFileResult(path, values, problems);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new ConfigFileResult(path, values, problems);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add($"{path}: the top level must be a mapping of keys to values");
            return new ConfigFileResult(path, values, problems);
        }

        Flatten(root, AgentOptions.SectionName, string.Empty, values, problems);
        return new ConfigFileResult(path, values, problems);
    }

    private static void Flatten(YamlNode node, string key, string yamlPath, Dictionary<string, string?> values, List<string> problems)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                values[key] = scalar.Value;
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var childPath = yamlPath + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    Flatten(sequence.Children[i], key + ":" + i.ToString(CultureInfo.InvariantCulture), childPath, values, problems);
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (childKey, childValue) in mapping.Children)
                {
                    var name = (childKey as YamlScalarNode)?.Value ?? string.Empty;
                    var childPath = yamlPath.Length == 0 ? name : yamlPath + "." + name;
                    if (!AgentConfigurationSchema.IsKnown(childPath))
                    {
                        problems.Add($"{childPath}: unknown key (line {childKey.Start.Line})");
                        continue;
                    }

                    if (AgentConfigurationSchema.IsBoolean(childPath)
                        && (childValue is not YamlScalarNode { Value: var flag } || !bool.TryParse(flag, out _)))
                    {
                        problems.Add($"{childPath}: must be true or false (line {childValue.Start.Line})");
                        continue;
                    }

                    Flatten(childValue, key + ":" + name, childPath, values, problems);
                }

                break;
        }
    }
}
