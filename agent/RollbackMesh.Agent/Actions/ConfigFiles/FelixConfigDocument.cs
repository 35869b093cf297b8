using System.Text;

namespace RollbackMesh.Agent.Actions.ConfigFiles;

/// <summary>
/// Key edits of felix.cfg (INI-like "Key = Value" lines, "#"/";" comments, "[section]" headers). Lines that are
/// not touched are kept byte for byte, so comments and order survive. Keys compare case-insensitively, as
/// Felix reads them.
/// </summary>
internal static class FelixConfigDocument
{
    /// <summary>Applies the removals and settings to <paramref name="text"/>.</summary>
    /// <param name="text">The current file.</param>
    /// <param name="removeKeys">Keys to drop.</param>
    /// <param name="removeOnlyIfValue">When not empty, a key is dropped only when its value equals this.</param>
    /// <param name="setKeys">Keys to set: the first occurrence's value is replaced, or the key is appended.</param>
    public static string Apply(string text, IReadOnlyCollection<string> removeKeys, string removeOnlyIfValue, IReadOnlyDictionary<string, string> setKeys)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var trailingNewline = lines.Count > 0 && lines[^1].Length == 0;
        if (trailingNewline)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var pendingSets = new Dictionary<string, string>(setKeys, StringComparer.OrdinalIgnoreCase);
        var output = new List<string>();
        foreach (var line in lines)
        {
            if (!TryParse(line, out var key, out var value))
            {
                output.Add(line);
                continue;
            }

            if (removeKeys.Contains(key, StringComparer.OrdinalIgnoreCase)
                && (removeOnlyIfValue.Length == 0 || string.Equals(value, removeOnlyIfValue, StringComparison.Ordinal)))
            {
                continue;
            }

            if (pendingSets.Remove(key, out var newValue))
            {
                output.Add(value == newValue ? line : $"{key} = {newValue}");
                continue;
            }

            output.Add(line);
        }

        foreach (var key in setKeys.Keys.Where(pendingSets.ContainsKey))
        {
            output.Add($"{key} = {pendingSets[key]}");
        }

        var result = new StringBuilder(string.Join(newline, output));
        if (trailingNewline || pendingSets.Count > 0)
        {
            result.Append(newline);
        }

        return result.ToString();
    }

    /// <summary>Reads "Key = Value" from a line; false for comments, headers and blank lines.</summary>
    public static bool TryParse(string line, out string key, out string value)
    {
        key = value = string.Empty;
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] is '#' or ';' or '[')
        {
            return false;
        }

        var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return false;
        }

        key = trimmed[..eq].Trim();
        value = trimmed[(eq + 1)..].Trim();
        return true;
    }
}
