namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// Reads what fits on one line: keys, plain and quoted scalars, and flow collections. Everything the subset reads is
/// single-line, so a value that would continue on the next line is refused here or by the block parser.
/// </summary>
internal sealed partial class YamlInlineScanner
{
    private const int MaxKeyLength = 1024; // YAML's limit for implicit keys

    private readonly YamlLine _line;
    private readonly string _text;
    private int _position;

    /// <summary>Starts reading <paramref name="line"/> at 0-based <paramref name="position"/>.</summary>
    public YamlInlineScanner(YamlLine line, int position)
    {
        _line = line;
        _text = line.Text;
        _position = position;
    }

    /// <summary>The 0-based position reached.</summary>
    public int Position => _position;

    /// <summary>
    /// Reads "key:" (followed by whitespace or the end of the line) and leaves the position after the ':'; returns
    /// null and leaves the position unchanged when the text there is not a key.
    /// </summary>
    public YamlScalar? TryReadKey()
    {
        var start = _position;
        var c = _text[start];
        if (c is '[' or '{')
        {
            ReadFlow();
            SkipWhitespace();
            if (At(':'))
            {
                throw Unsupported(start, "a [ ] or { } collection as a key is not supported (keys are scalars)");
            }

            _position = start;
            return null;
        }

        var key = c is '\'' or '"' ? ReadQuoted() : ReadPlain(flow: false);
        SkipWhitespace();
        if (!At(':') || !IsSeparatorOrEnd(_position + 1))
        {
            _position = start;
            return null;
        }

        if (_position - start > MaxKeyLength)
        {
            throw Invalid(start, $"a key longer than {MaxKeyLength} characters");
        }

        RejectTabAfterColon(_position);
        RejectAliasLikeWordInKey(key);
        _position++;
        return key;
    }

    /// <summary>Reads a scalar or flow collection and checks that only a comment follows it on the line.</summary>
    public YamlNode ReadValueToEnd()
    {
        var start = _position;
        if (At('-') && IsSeparatorOrEnd(_position + 1))
        {
            throw Invalid(start, "a '- ' list entry cannot start on the same line as its key (start the list on the next line)");
        }

        YamlNode value = _text[start] switch
        {
            '[' or '{' => ReadFlow(),
            '\'' or '"' => ReadQuoted(),
            _ => ReadPlain(flow: false),
        };
        var afterValue = _position;
        SkipWhitespace();
        if (_position == _text.Length || (_text[_position] == '#' && _position > afterValue))
        {
            return value;
        }

        if (At(':'))
        {
            throw Invalid(_position, "unexpected ':' after a value (a mapping cannot start inside a line; quote the value if the ': ' belongs to it)");
        }

        throw Invalid(_position, "unexpected text after the value (quote the whole value, or put a space before a '#' comment)");
    }

    /// <summary>True when only whitespace and perhaps a comment remain from the current position.</summary>
    public bool AtEndOrComment()
    {
        var start = _position;
        SkipWhitespace();
        var result = _position == _text.Length || (_text[_position] == '#' && (_position > start || _position == 0 || _text[_position - 1] is ' ' or '\t'));
        _position = start;
        return result;
    }

    /// <summary>Moves past spaces and tabs.</summary>
    public void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t')
        {
            _position++;
        }
    }

    /// <summary>YAML readers disagree on whether "key:&lt;TAB&gt;" starts a value (the library the agent used before does not after a space in the key).</summary>
    private void RejectTabAfterColon(int colon)
    {
        if (colon + 1 < _text.Length && _text[colon + 1] == '\t')
        {
            throw Unsupported(colon + 1, "a tab after ':' (separate the value with a space)");
        }
    }

    /// <summary>
    /// The library the agent used before reads "p *: x" as the plain value "p *: x" where YAML 1.2 reads the key
    /// "p *": a word starting with '*' in a plain key is refused rather than read one way or the other.
    /// </summary>
    private void RejectAliasLikeWordInKey(YamlScalar key)
    {
        var star = key.Style == YamlScalarStyle.Plain ? key.Value.IndexOf(" *", StringComparison.Ordinal) : -1;
        star = star < 0 && key.Style == YamlScalarStyle.Plain ? key.Value.IndexOf("\t*", StringComparison.Ordinal) : star;
        if (star >= 0)
        {
            throw Unsupported(key.Column + star, "a word starting with '*' in a key (quote the key)");
        }
    }

    private bool At(char c) => _position < _text.Length && _text[_position] == c;

    private bool IsSeparatorOrEnd(int index) => index >= _text.Length || _text[index] is ' ' or '\t';

    private YamlSubsetException Invalid(int position, string message) => new(_line.Number, position + 1, message);

    private YamlSubsetException Unsupported(int position, string message) => new(_line.Number, position + 1, message, unsupported: true);
}
