using System.Buffers;
using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// YamlDotNet's scanner, refusing the tokens agent.yaml must not contain as the parser pulls them: anchors, aliases,
/// tags, directives, block scalars, explicit keys, values over several lines, [ ] and { } over several lines, and
/// the spellings other YAML readers take differently. Tokens arrive in text order, so the first problem in the file
/// is the one reported, with its position.
/// </summary>
internal sealed class YamlSubsetScanner : IScanner
{
    private static readonly SearchValues<string> ColonSeparators = SearchValues.Create([": ", ":\t"], StringComparison.Ordinal);
    private static readonly SearchValues<string> StarWords = SearchValues.Create([" *", "\t*"], StringComparison.Ordinal);

    private readonly Scanner _scanner;
    private readonly string _text;

    // The '[' and '{' tokens not yet closed, innermost on top.
    private readonly Stack<Token> _openFlows = new();
    private Token? _inspected;

    // Right after '{' or a ',' inside { }: the next token must be a key or the closing '}'.
    private bool _atFlowMappingEntry;

    /// <summary>Scans <paramref name="text"/> (without a byte order mark, so that token indexes are indexes into it).</summary>
    public YamlSubsetScanner(string text)
    {
        _text = text;
        _scanner = new Scanner(new StringReader(text), skipComments: true);
    }

    /// <inheritdoc />
    public Mark CurrentPosition => _scanner.CurrentPosition;

    /// <inheritdoc />
    public Token? Current => _scanner.Current;

    /// <inheritdoc />
    public bool MoveNext() => Inspect(_scanner.MoveNext());

    /// <inheritdoc />
    public bool MoveNextWithoutConsuming() => Inspect(_scanner.MoveNextWithoutConsuming());

    /// <inheritdoc />
    public void ConsumeCurrent() => _scanner.ConsumeCurrent();

    /// <summary>
    /// The error for a text YamlDotNet's scanner stopped reading without a syntax error of its own (it fails that way
    /// when a plain scalar inside an unclosed '[' or '{' runs to the end of the text): the unclosed bracket, or else
    /// where scanning stopped.
    /// </summary>
    public YamlSubsetException Unfinished() =>
        _openFlows.TryPeek(out var open) ? NotClosed(open) : Invalid(_scanner.CurrentPosition, "the text ends inside an unfinished value");

    private bool Inspect(bool moved)
    {
        // The parser peeks at a token several times before consuming it: check each one once.
        if (moved && _scanner.Current is { } token && !ReferenceEquals(token, _inspected))
        {
            _inspected = token;
            Inspect(token);
        }

        return moved;
    }

    private void Inspect(Token token)
    {
        RequireFlowOnOneLine(token);
        var atFlowMappingEntry = _atFlowMappingEntry;
        _atFlowMappingEntry = false;
        switch (token)
        {
            case VersionDirective or TagDirective:
                throw Unsupported(token.Start, "directives ('%') are not supported");
            case Anchor:
                throw Unsupported(token.Start, "anchors ('&') are not supported (repeat the value, or quote it if the '&' belongs to it)");
            case AnchorAlias:
                throw Unsupported(token.Start, "aliases ('*') are not supported (repeat the value, or quote it if the '*' belongs to it)");
            case Tag:
                throw Unsupported(token.Start, "tags ('!') are not supported (quote the value if the '!' belongs to it)");
            case Key when token.End.Index > token.Start.Index:
                // A key read from the text has no width of its own; only an explicit '?' does.
                throw Unsupported(token.Start, "complex keys ('? ') are not supported");
            case Value:
                CheckValueIndicator(token);
                break;
            case BlockEntry:
                CheckBlockEntry(token);
                break;
            case FlowSequenceStart or FlowMappingStart:
                _openFlows.Push(token);
                _atFlowMappingEntry = token is FlowMappingStart;
                break;
            case FlowSequenceEnd or FlowMappingEnd:
                _openFlows.TryPop(out _); // an unmatched one is the parser's error to report
                RequireSpaceBeforeComment(token.End);
                break;
            case FlowEntry:
                _atFlowMappingEntry = _openFlows.TryPeek(out var open) && open is FlowMappingStart;
                break;
            case Scalar scalar:
                CheckScalar(scalar, atFlowMappingEntry);
                break;
            case DocumentStart:
                RequireNothingAfterMarker(token, "---");
                break;
            case DocumentEnd:
                RequireNothingAfterMarker(token, "...");
                break;
            default:
                break;
        }
    }

    private void RequireFlowOnOneLine(Token token)
    {
        if (_openFlows.TryPeek(out var open)
            && (token.End.Line != open.Start.Line || token is StreamEnd or BlockEnd or DocumentStart or DocumentEnd))
        {
            throw NotClosed(open);
        }
    }

    private YamlSubsetException NotClosed(Token open) =>
        Invalid(open.Start, $"this '{At(open.Start)}' is not closed on its line (multi-line [ ] and {{ }} are not supported)");

    private void CheckBlockEntry(Token entry)
    {
        var index = (int)entry.End.Index;
        while (index < _text.Length && _text[index] == ' ')
        {
            index++;
        }

        var content = index;
        while (content < _text.Length && _text[content] is ' ' or '\t')
        {
            content++;
        }

        if (index < _text.Length && _text[index] == '\t' && content < _text.Length && _text[content] is not ('\r' or '\n' or '#'))
        {
            // What follows "- " is indented by its column; a tab would make that column a guess.
            throw Invalid(Offset(entry.End, index - (int)entry.End.Index), "a tab after '-' (separate the item with spaces)");
        }
    }

    private void CheckValueIndicator(Token value)
    {
        if (_openFlows.TryPeek(out var open) && open is FlowSequenceStart)
        {
            throw Unsupported(value.Start, "'key: value' inside [ ] is not supported (use { } or a block mapping)");
        }

        if (At(value.End) == '\t')
        {
            // Readers disagree on whether "key:<TAB>" starts a value.
            throw Unsupported(value.End, "a tab after ':' (separate the value with a space)");
        }
    }

    private void CheckScalar(Scalar scalar, bool atFlowMappingEntry)
    {
        if (scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            throw Unsupported(scalar.Start, "block scalars ('|' and '>') are not supported (write the value on one line, quoted if needed)");
        }

        if (scalar.Style == ScalarStyle.Plain && _openFlows.Count > 0 && scalar.Value.EndsWith(':'))
        {
            // "{k:}" is the key "k:" to YamlDotNet, but a reader of the file sees "k: ''".
            throw Invalid(Offset(scalar.End, -1), $"':' directly before '{At(scalar.End)}' is ambiguous inside [ ] or {{ }} (write 'key: value' with a space, or quote the value)");
        }

        if (atFlowMappingEntry)
        {
            // YAML reads "{b, c: d}" as b with an empty value, which is rarely what was meant.
            throw Unsupported(scalar.Start, $"'{scalar.Value}' has no ': value' (every entry inside {{ }} needs one)");
        }

        if (scalar.Start.Line != scalar.End.Line)
        {
            throw scalar.Style == ScalarStyle.Plain
                ? Invalid(ContinuationLine(scalar), "this line is indented under a value that is already complete (multi-line values are not supported; check the indentation or quote the value on one line)")
                : Invalid(scalar.Start, $"this {At(scalar.Start)} is not closed on its line (multi-line quoted values are not supported)");
        }

        if (scalar.Style != ScalarStyle.Plain)
        {
            RequireSpaceBeforeComment(scalar.End);
            return;
        }

        CheckPlain(scalar);
    }

    /// <summary>The spellings of a one-line plain scalar that YAML readers take in different ways.</summary>
    private void CheckPlain(Scalar scalar)
    {
        var value = scalar.Value;
        if (value.StartsWith(':'))
        {
            throw Unsupported(scalar.Start, "a plain value cannot start with ':' (quote the value)");
        }

        // YAML ends a plain scalar at ": "; YamlDotNet reads a key line holding a word that starts with '*'
        // ("p *: x") as one plain value instead.
        var colon = value.AsSpan().IndexOfAny(ColonSeparators);
        if (colon >= 0)
        {
            var star = value.AsSpan(0, colon).IndexOfAny(StarWords);
            throw star >= 0
                ? Unsupported(Offset(scalar.Start, star + 1), "a word starting with '*' in a key (quote the key)")
                : Invalid(Offset(scalar.Start, colon), "unexpected ':' inside a value (quote the value)");
        }
    }

    private void RequireSpaceBeforeComment(Mark end)
    {
        if (At(end) == '#')
        {
            throw Invalid(end, "unexpected text after the value (quote the whole value, or put a space before a '#' comment)");
        }
    }

    private void RequireNothingAfterMarker(Token marker, string text)
    {
        // Measured from the start: YamlDotNet gives "..." no width.
        var start = (int)marker.Start.Index;
        var content = start + text.Length;
        while (content < _text.Length && _text[content] is ' ' or '\t')
        {
            content++;
        }

        if (content < _text.Length && _text[content] is not ('\n' or '\r' or '#'))
        {
            throw Unsupported(Offset(marker.Start, content - start), $"content on the '{text}' line is not supported (start it on the next line)");
        }
    }

    /// <summary>Where the second line of a multi-line plain scalar starts (blank lines inside it skipped).</summary>
    private (long Line, long Column) ContinuationLine(Scalar scalar)
    {
        var index = _text.IndexOf('\n', (int)scalar.Start.Index);
        var line = scalar.Start.Line;
        var lineStart = index + 1;
        for (; index < _text.Length && _text[index] is ' ' or '\r' or '\n'; index++)
        {
            if (_text[index] == '\n')
            {
                line++;
                lineStart = index + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    private char At(Mark mark) => mark.Index < _text.Length ? _text[(int)mark.Index] : '\0';

    private static (long Line, long Column) Offset(Mark mark, int columns) => (mark.Line, mark.Column + columns);

    private static YamlSubsetException Invalid(Mark at, string message) => Invalid((at.Line, at.Column), message);

    private static YamlSubsetException Invalid((long Line, long Column) at, string message) => new((int)at.Line, (int)at.Column, message);

    private static YamlSubsetException Unsupported(Mark at, string message) => Unsupported((at.Line, at.Column), message);

    private static YamlSubsetException Unsupported((long Line, long Column) at, string message) =>
        new((int)at.Line, (int)at.Column, message, unsupported: true);
}
