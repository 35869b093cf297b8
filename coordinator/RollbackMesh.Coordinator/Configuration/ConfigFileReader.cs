using System.Globalization;
using RollbackMesh.Coordinator.Runbooks.Yaml;
using YamlDotNet.Core;

namespace RollbackMesh.Coordinator.Configuration;

/// <summary>
/// Reads coordinator.yaml into flat configuration keys under "Coordinator:" (sequences become ":0", ":1", ...) with
/// YamlDotNet's parser (<see cref="DocParser"/>, as runbooks are read), and reports every key
/// <see cref="ServeOptions"/> does not have, so a typo stops the start instead of being ignored.
/// </summary>
internal static class ConfigFileReader
{
    /// <summary>
    /// Reads <paramref name="path"/>. A missing file is no problem unless <paramref name="required"/> (the operator
    /// named it with --config); never throws for a bad file (its problems are returned).
    /// </summary>
    public static (Dictionary<string, string?> Values, List<string> Problems) Read(string path, bool required)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        if (!required && !File.Exists(path))
        {
            return (values, problems);
        }

        DocNode? root;
        try
        {
            root = DocParser.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: cannot read the configuration file ({ex.Message})");
            return (values, problems);
        }
        catch (YamlException ex)
        {
            problems.Add($"{path}: not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}");
            return (values, problems);
        }

        switch (root)
        {
            case null:
                break;
            case DocMapping mapping:
                FlattenMapping(mapping, ServeOptions.SectionName, string.Empty, values, problems);
                break;
            default:
                problems.Add("the top level must be a mapping of keys to values");
                break;
        }

        return (values, problems.Select(p => $"{path}: {p}").ToList());
    }

    private static void Flatten(DocNode node, string key, string yamlPath, Dictionary<string, string?> values, List<string> problems)
    {
        switch (node)
        {
            case DocScalar scalar:
                values[key] = scalar.IsPlainNull ? null : scalar.Value;
                break;
            case DocSequence sequence:
                for (var i = 0; i < sequence.Items.Length; i++)
                {
                    var index = i.ToString(CultureInfo.InvariantCulture);
                    Flatten(sequence.Items[i], key + ":" + index, yamlPath + "[" + index + "]", values, problems);
                }

                break;
            case DocMapping mapping:
                FlattenMapping(mapping, key, yamlPath, values, problems);
                break;
        }
    }

    private static void FlattenMapping(DocMapping mapping, string key, string yamlPath, Dictionary<string, string?> values, List<string> problems)
    {
        // Configuration keys ignore case, so "listen" and "Listen" would merge silently.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (childKey, childValue) in mapping.Entries)
        {
            var name = childKey.Value;
            var childPath = yamlPath.Length == 0 ? name : yamlPath + "." + name;
            var line = childKey.Position.Line;
            if (!seen.Add(name))
            {
                problems.Add($"{childPath}: given twice (keys are not case-sensitive) (line {line})");
            }
            else if (yamlPath.Contains('[', StringComparison.Ordinal) || !ServeOptions.Keys.Contains(childPath))
            {
                problems.Add($"{childPath}: unknown key (line {line})");
            }
            else
            {
                Flatten(childValue, key + ":" + name, childPath, values, problems);
            }
        }
    }
}
