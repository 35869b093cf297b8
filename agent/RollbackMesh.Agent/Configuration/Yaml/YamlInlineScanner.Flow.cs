namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>Flow collections ("[a, b]", "{k: v}"), which must close on the line they open.</summary>
internal sealed partial class YamlInlineScanner
{
    private const int MaxFlowDepth = 32;

    private int _flowDepth;

    private YamlNode ReadFlow()
    {
        var open = _position;
        if (++_flowDepth > MaxFlowDepth)
        {
            throw Invalid(open, $"[ ] and {{ }} nested deeper than {MaxFlowDepth}");
        }

        _position++;
        YamlNode node = _text[open] == '[' ? ReadFlowSequence(open) : ReadFlowMapping(open);
        _flowDepth--;
        return node;
    }

    private YamlSequence ReadFlowSequence(int open)
    {
        var items = new List<YamlNode>();
        while (true)
        {
            SkipWhitespace();
            ExpectMore(open);
            if (At(']'))
            {
                _position++;
                return new YamlSequence(items, _line.Number, open + 1);
            }

            items.Add(ReadFlowNode());
            SkipWhitespace();
            if (At(':'))
            {
                throw Unsupported(_position, "'key: value' inside [ ] is not supported (use { } or a block mapping)");
            }

            EndOfEntry(open, ']');
        }
    }

    private YamlMapping ReadFlowMapping(int open)
    {
        var entries = new YamlMappingBuilder();
        while (true)
        {
            SkipWhitespace();
            ExpectMore(open);
            if (At('}'))
            {
                _position++;
                return entries.Build(_line.Number, open + 1);
            }

            if (At('[') || At('{'))
            {
                throw Unsupported(_position, "a [ ] or { } collection as a key is not supported (keys are scalars)");
            }

            var key = At('\'') || At('"') ? ReadQuoted() : ReadPlain(flow: true);
            SkipWhitespace();
            if (!At(':'))
            {
                throw Unsupported(key.Column - 1, $"'{key.Value}' has no ': value' (every entry inside {{ }} needs one)");
            }

            // A plain key's ':' is followed by whitespace (ReadPlain stops only there); a quoted key's may touch its value, as in JSON.
            RejectTabAfterColon(_position);
            RejectAliasLikeWordInKey(key);
            _position++;
            SkipWhitespace();
            ExpectMore(open);
            var value = At(',') || At('}')
                ? new YamlScalar(string.Empty, YamlScalarStyle.Plain, _line.Number, _position + 1)
                : ReadFlowNode();
            entries.Add(key, value);
            SkipWhitespace();
            EndOfEntry(open, '}');
        }
    }

    private YamlNode ReadFlowNode()
    {
        if (At('[') || At('{'))
        {
            return ReadFlow();
        }

        return At('\'') || At('"') ? ReadQuoted() : ReadPlain(flow: true);
    }

    /// <summary>After an entry: ',' (a trailing one before the closing bracket is allowed, as in YAML) or the bracket.</summary>
    private void EndOfEntry(int open, char close)
    {
        ExpectMore(open);
        if (At(','))
        {
            _position++;
        }
        else if (!At(close))
        {
            throw Invalid(_position, $"expected ',' or '{close}'");
        }
    }

    private void ExpectMore(int open)
    {
        if (_position >= _text.Length || (At('#') && _text[_position - 1] is ' ' or '\t'))
        {
            throw Invalid(open, $"this '{_text[open]}' is not closed on its line (multi-line [ ] and {{ }} are not supported)");
        }
    }
}
