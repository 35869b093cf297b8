namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// Reads the block structure (mappings and sequences nested by indentation) of one document from its content lines.
/// Every node ends where a line is indented no more than its parent; a line that fits no open block is an error, so
/// the tree is never built from a guess.
/// </summary>
internal sealed class YamlBlockParser
{
    private const int MaxDepth = 64;

    private readonly List<YamlLine> _lines;
    private readonly int _end;
    private int _index;
    private int _depth;

    /// <summary>Parses <paramref name="lines"/> from <paramref name="start"/> up to (not including) <paramref name="end"/>.</summary>
    public YamlBlockParser(List<YamlLine> lines, int start, int end)
    {
        _lines = lines;
        _index = start;
        _end = end;
    }

    /// <summary>The document's root node, or null when it has no content.</summary>
    public YamlNode? ParseDocument()
    {
        if (_index == _end)
        {
            return null;
        }

        var root = ParseNode(Current.Indent, parentIndent: -1);
        if (_index < _end)
        {
            throw Misplaced(Current);
        }

        return root;
    }

    private YamlLine Current => _lines[_index];

    private bool HasLine => _index < _end;

    /// <summary>The node starting at 0-based <paramref name="column"/> of the current line (after "- " it is mid-line).</summary>
    private YamlNode ParseNode(int column, int parentIndent)
    {
        if (++_depth > MaxDepth)
        {
            throw new YamlSubsetException(Current.Number, column + 1, $"blocks nested deeper than {MaxDepth}");
        }

        YamlNode node;
        if (IsSequenceEntry(Current, column))
        {
            node = ParseSequence(column);
        }
        else if (new YamlInlineScanner(Current, column).TryReadKey() is not null)
        {
            node = ParseMapping(column);
        }
        else
        {
            node = new YamlInlineScanner(Current, column).ReadValueToEnd();
            _index++;
            RejectContinuation(parentIndent);
        }

        _depth--;
        return node;
    }

    private YamlSequence ParseSequence(int indent)
    {
        var items = new List<YamlNode>();
        var first = Current;
        while (true)
        {
            var line = Current;
            var content = new YamlInlineScanner(line, indent + 1);
            var separator = indent + 1;
            while (separator < line.Text.Length && line.Text[separator] == ' ')
            {
                separator++;
            }

            var atEnd = content.AtEndOrComment();
            if (!atEnd && line.Text[separator] == '\t')
            {
                // What follows "- " is indented by its column; a tab would make that column a guess.
                throw new YamlSubsetException(line.Number, separator + 1, "a tab after '-' (separate the item with spaces)");
            }

            if (atEnd)
            {
                // "-" alone: the item is the block below it, or empty.
                _index++;
                items.Add(HasLine && Current.Indent > indent
                    ? ParseNode(Current.Indent, indent)
                    : new YamlScalar(string.Empty, YamlScalarStyle.Plain, line.Number, indent + 2));
            }
            else
            {
                content.SkipWhitespace();
                items.Add(ParseNode(content.Position, indent));
            }

            if (!HasLine || Current.Indent < indent || !IsSequenceEntry(Current, indent))
            {
                break; // the parent decides whether the line that ended the list fits it
            }
        }

        return new YamlSequence(items, first.Number, indent + 1);
    }

    private YamlMapping ParseMapping(int indent)
    {
        var entries = new YamlMappingBuilder();
        var first = Current;
        while (true)
        {
            var line = Current;
            var column = line.Number == first.Number ? indent : line.Indent;
            var scanner = new YamlInlineScanner(line, column);
            var key = scanner.TryReadKey() ?? throw new YamlSubsetException(line.Number, column + 1, "expected 'key: value' (the keys of a mapping are aligned; a '- ' entry cannot follow them at the same indentation)");
            YamlNode value;
            if (scanner.AtEndOrComment())
            {
                var emptyColumn = scanner.Position + 1;
                _index++;
                if (HasLine && Current.Indent > indent)
                {
                    value = ParseNode(Current.Indent, indent);
                }
                else if (HasLine && Current.Indent == indent && IsSequenceEntry(Current, indent))
                {
                    value = ParseSequence(indent); // "key:" then "- item" at the key's own indentation, as YAML allows
                }
                else
                {
                    value = new YamlScalar(string.Empty, YamlScalarStyle.Plain, line.Number, emptyColumn);
                }
            }
            else
            {
                scanner.SkipWhitespace();
                value = scanner.ReadValueToEnd();
                _index++;
                RejectContinuation(indent);
            }

            entries.Add(key, value);
            if (!HasLine || Current.Indent < indent)
            {
                return entries.Build(first.Number, indent + 1);
            }

            if (Current.Indent > indent)
            {
                throw Misplaced(Current);
            }
        }
    }

    /// <summary>After a value on one line, a more indented line would continue it (a multi-line scalar): refused.</summary>
    private void RejectContinuation(int parentIndent)
    {
        if (HasLine && Current.Indent > parentIndent)
        {
            throw new YamlSubsetException(Current.Number, Current.Indent + 1, "this line is indented under a value that is already complete (multi-line values are not supported; check the indentation or quote the value on one line)");
        }
    }

    private static bool IsSequenceEntry(YamlLine line, int column) =>
        column < line.Text.Length && line.Text[column] == '-' && (column + 1 == line.Text.Length || line.Text[column + 1] is ' ' or '\t');

    private static YamlSubsetException Misplaced(YamlLine line) =>
        new(line.Number, line.Indent + 1, "this line's indentation does not match any open block (check the spaces before it)");
}
