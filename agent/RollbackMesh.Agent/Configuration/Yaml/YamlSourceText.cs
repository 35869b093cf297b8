namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// Splits the text into lines, refuses characters and indentation the reader cannot place with certainty, and keeps
/// the lines that hold content.
/// </summary>
internal static class YamlSourceText
{
    /// <summary>The content lines of <paramref name="text"/>; throws <see cref="YamlSubsetException"/>.</summary>
    public static List<YamlLine> ContentLines(string text)
    {
        var lines = new List<YamlLine>();
        var start = text.StartsWith('\uFEFF') ? 1 : 0; // a byte order mark is allowed before the document
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

            var line = text[start..end];
            CheckCharacters(line, number);
            var indent = 0;
            while (indent < line.Length && line[indent] == ' ')
            {
                indent++;
            }

            var content = indent;
            while (content < line.Length && line[content] is ' ' or '\t')
            {
                content++;
            }

            if (content != indent)
            {
                // YAML forbids tabs in indentation; guessing their width could put a key under the wrong parent. Blank
                // and comment lines are held to the same rule, which other readers also apply to most of them.
                throw new YamlSubsetException(number, indent + 1, "a tab at the start of a line (indent with spaces only)");
            }

            if (content < line.Length && line[content] != '#')
            {
                lines.Add(new YamlLine(number, line, indent));
            }

            start = next;
        }

        return lines;
    }

    private static void CheckCharacters(string line, int number)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var printable = c == '\t'
                || (c >= ' ' && c != '\u007F' && (c < '\u0080' || c > '\u009F') && c != '\u2028' && c != '\u2029' && c != '\uFFFE' && c != '\uFFFF');
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                i++;
                continue;
            }

            if (!printable || char.IsSurrogate(c))
            {
                // YAML treats some of these (CR, NEL, U+2028) as line breaks: refusing them keeps
                // the line numbers here the ones an editor shows.
                throw new YamlSubsetException(number, i + 1, $"the control character U+{(int)c:X4} is not allowed (write it as an escape in a double-quoted value)");
            }
        }
    }
}
