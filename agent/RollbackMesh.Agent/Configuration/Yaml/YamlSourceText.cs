namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// The line-by-line checks made before parsing: characters and indentation whose reading could not be placed with
/// certainty. Blank and comment lines are held to the same rules, since YAML would silently accept some of them there.
/// </summary>
internal static class YamlSourceText
{
    /// <summary>Throws <see cref="YamlSubsetException"/> at the first tab in an indentation or control character.</summary>
    /// <param name="text">The file without its byte order mark.</param>
    public static void Check(string text)
    {
        var start = 0;
        var number = 0;
        while (start <= text.Length)
        {
            number++;
            var end = text.IndexOf('\n', start);
            var next = end < 0 ? text.Length + 1 : end + 1;
            end = end < 0 ? text.Length : end;
            if (end > start && text[end - 1] == '\r')
            {
                end--; // CRLF; a lone CR is refused below as a control character
            }

            var line = text.AsSpan(start, end - start);
            CheckCharacters(line, number);
            CheckIndentation(line, number);
            start = next;
        }
    }

    private static void CheckIndentation(ReadOnlySpan<char> line, int number)
    {
        var indent = 0;
        while (indent < line.Length && line[indent] == ' ')
        {
            indent++;
        }

        if (indent < line.Length && line[indent] == '\t')
        {
            // YAML forbids tabs in indentation; guessing their width could put a key under the wrong parent.
            throw new YamlSubsetException(number, indent + 1, "a tab at the start of a line (indent with spaces only)");
        }
    }

    private static void CheckCharacters(ReadOnlySpan<char> line, int number)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                i++;
                continue;
            }

            var printable = c == '\t'
                || (c >= ' ' && c != '\u007F' && (c < '\u0080' || c > '\u009F') && c != '\u2028' && c != '\u2029' && c != '\uFFFE' && c != '\uFFFF');
            if (!printable || char.IsSurrogate(c))
            {
                // YAML treats some of these (CR, NEL, U+2028) as line breaks: refusing them keeps the line numbers
                // here the ones an editor shows.
                throw new YamlSubsetException(number, i + 1, $"the control character U+{(int)c:X4} is not allowed (write it as an escape in a double-quoted value)");
            }
        }
    }
}
