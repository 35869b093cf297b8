using System.Globalization;
using System.Text;

namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>Single- and double-quoted scalars, which must close on the line they open.</summary>
internal sealed partial class YamlInlineScanner
{
    private YamlScalar ReadQuoted()
    {
        var start = _position;
        var quote = _text[start];
        var value = new StringBuilder();
        _position++;
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Invalid(start, $"this {quote} is not closed on its line (multi-line quoted values are not supported)");
            }

            var c = _text[_position];
            if (c == quote)
            {
                if (quote == '\'' && _position + 1 < _text.Length && _text[_position + 1] == '\'')
                {
                    value.Append('\''); // '' is a quote inside a single-quoted value
                    _position += 2;
                    continue;
                }

                _position++;
                break;
            }

            if (c == '\\' && quote == '"')
            {
                ReadEscape(value);
                continue;
            }

            value.Append(c);
            _position++;
        }

        var style = quote == '"' ? YamlScalarStyle.DoubleQuoted : YamlScalarStyle.SingleQuoted;
        return new YamlScalar(value.ToString(), style, _line.Number, start + 1);
    }

    /// <summary>The escapes of YAML 1.2 section 5.7; anything else is refused rather than kept literally.</summary>
    private void ReadEscape(StringBuilder value)
    {
        var at = _position;
        if (at + 1 >= _text.Length)
        {
            throw Unsupported(at, "a '\\' at the end of a line continues the value on the next line, which is not supported");
        }

        var e = _text[at + 1];
        _position += 2;
        string? simple = e switch
        {
            '0' => "\0",
            'a' => "\a",
            'b' => "\b",
            't' or '\t' => "\t",
            'n' => "\n",
            'v' => "\v",
            'f' => "\f",
            'r' => "\r",
            'e' => "\u001B",
            ' ' => " ",
            '"' => "\"",
            '/' => "/",
            '\\' => "\\",
            'N' => "\u0085",
            '_' => "\u00A0",
            'L' => "\u2028",
            'P' => "\u2029",
            _ => null,
        };
        if (simple is not null)
        {
            value.Append(simple);
            return;
        }

        var digits = e switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
        if (digits == 0)
        {
            throw Invalid(at, $"unknown escape '\\{e}' in a double-quoted value (write '\\\\' for a backslash)");
        }

        if (_position + digits > _text.Length
            || !uint.TryParse(_text.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            throw Invalid(at, $"'\\{e}' must be followed by {digits} hexadecimal digits");
        }

        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        {
            throw Invalid(at, $"'\\{e}{_text.Substring(_position, digits)}' is not a Unicode character (a surrogate or beyond U+10FFFF; write characters above U+FFFF as \\UXXXXXXXX)");
        }

        value.Append(char.ConvertFromUtf32((int)code));
        _position += digits;
    }
}
