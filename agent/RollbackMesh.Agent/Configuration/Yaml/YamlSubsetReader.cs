namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// Reads the YAML subset agent.yaml is written in, with YAML 1.2's meaning for everything it accepts: one document
/// (optional "---" and "..."), comments, block mappings and sequences nested by spaces, one-line flow collections,
/// and one-line plain, single- and double-quoted scalars. Anything else (anchors, aliases, tags, block scalars,
/// multi-line values, complex keys, directives, several documents, duplicate keys) is a
/// <see cref="YamlSubsetException"/> naming the line and column: never read some other way.
/// </summary>
internal static class YamlSubsetReader
{
    /// <summary>The root node of <paramref name="text"/>, or null for a document without content.</summary>
    /// <exception cref="YamlSubsetException">The text is not valid YAML or lies outside the subset.</exception>
    public static YamlNode? Read(string text)
    {
        var lines = YamlSourceText.ContentLines(text);
        var start = 0;
        var end = lines.Count;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Indent != 0)
            {
                continue;
            }

            if (line.Text[0] == '%')
            {
                throw new YamlSubsetException(line.Number, 1, "directives ('%') are not supported", unsupported: true);
            }

            if (IsMarker(line, "---"))
            {
                if (i != 0)
                {
                    throw new YamlSubsetException(line.Number, 1, "a second document ('---') is not supported: agent.yaml holds one", unsupported: true);
                }

                RequireNothingAfterMarker(line);
                start = 1;
            }
            else if (IsMarker(line, "..."))
            {
                RequireNothingAfterMarker(line);
                if (i + 1 < lines.Count)
                {
                    throw new YamlSubsetException(lines[i + 1].Number, 1, "content after the document end ('...') is not supported: agent.yaml holds one document", unsupported: true);
                }

                end = i;
                break;
            }
        }

        return new YamlBlockParser(lines, start, end).ParseDocument();
    }

    private static bool IsMarker(YamlLine line, string marker) =>
        line.Text.StartsWith(marker, StringComparison.Ordinal) && (line.Text.Length == 3 || line.Text[3] is ' ' or '\t');

    private static void RequireNothingAfterMarker(YamlLine line)
    {
        var scanner = new YamlInlineScanner(line, 3);
        if (!scanner.AtEndOrComment())
        {
            scanner.SkipWhitespace();
            throw new YamlSubsetException(line.Number, scanner.Position + 1, $"content on the '{line.Text[..3]}' line is not supported (start it on the next line)", unsupported: true);
        }
    }
}
