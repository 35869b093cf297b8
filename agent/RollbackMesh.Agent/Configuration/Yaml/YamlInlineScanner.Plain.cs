namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>Plain (unquoted) scalars, and the characters that may not start one.</summary>
internal sealed partial class YamlInlineScanner
{
    private YamlScalar ReadPlain(bool flow)
    {
        var start = _position;
        CheckPlainStart(flow);
        var end = start;
        while (end < _text.Length)
        {
            var c = _text[end];
            if (c == ':')
            {
                if (IsSeparatorOrEnd(end + 1))
                {
                    break;
                }

                if (flow && IsFlowIndicator(_text[end + 1]))
                {
                    // YAML would read "k:}" as the key "k:" but a reader of the file would see "k: ''": refuse the guess.
                    throw Invalid(end, $"':' directly before '{_text[end + 1]}' is ambiguous inside [ ] or {{ }} (write 'key: value' with a space, or quote the value)");
                }
            }
            else if (c == '#' && _text[end - 1] is ' ' or '\t')
            {
                break; // a comment; '#' inside a word ("a#b") is part of the value
            }
            else if (flow && IsFlowIndicator(c))
            {
                break;
            }

            end++;
        }

        var value = _text[start..end].TrimEnd(' ', '\t');
        _position = start + value.Length;
        return new YamlScalar(value, YamlScalarStyle.Plain, _line.Number, start + 1);
    }

    private void CheckPlainStart(bool flow)
    {
        var c = _text[_position];
        var next = _position + 1 < _text.Length ? _text[_position + 1] : ' ';
        var indicatorAlone = next is ' ' or '\t' || (flow && IsFlowIndicator(next));
        switch (c)
        {
            case '&':
                throw Unsupported(_position, "anchors ('&') are not supported (repeat the value, or quote it if the '&' belongs to it)");
            case '*':
                throw Unsupported(_position, "aliases ('*') are not supported (repeat the value, or quote it if the '*' belongs to it)");
            case '!':
                throw Unsupported(_position, "tags ('!') are not supported (quote the value if the '!' belongs to it)");
            case '|' or '>':
                throw Unsupported(_position, "block scalars ('|' and '>') are not supported (write the value on one line, quoted if needed)");
            case '%' when _position == 0:
                throw Unsupported(_position, "directives ('%') are not supported");
            case '%' or '@' or '`':
                throw Invalid(_position, $"'{c}' cannot start a plain value (quote the value)");
            case ',' or ']' or '}' or '#' or '[' or '{' or '\'' or '"':
                throw Invalid(_position, $"unexpected '{c}'");
            case '-' when indicatorAlone:
                throw Invalid(_position, "a '- ' list entry is not allowed here");
            case '?' when indicatorAlone:
                throw Unsupported(_position, "complex keys ('? ') are not supported");
            case ':' when indicatorAlone:
                throw Unsupported(_position, "an empty key is not supported (write a key before the ':')");
            case ':':
                // YAML 1.2 reads ":x" as a plain value but some readers (the library the agent used before) drop the ':'.
                throw Unsupported(_position, "a plain value cannot start with ':' (quote the value)");
            default:
                break;
        }
    }

    private static bool IsFlowIndicator(char c) => c is ',' or '[' or ']' or '{' or '}';
}
