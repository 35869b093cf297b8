using System.Text;

namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>Keys, scalars and flow collections for <see cref="YamlDocumentGenerator"/>.</summary>
internal sealed partial class YamlDocumentGenerator
{
    private const string PlainFirst = "abcxyzABC019/._~";
    private const string PlainInner = "abcz09 -_./:#,[]{}'\"!&*%@`|>?=+é日\u00A0";
    private const string QuotedChars = "abz09 -_./:#,[]{}!&*%@`|>?\t é日\u00A0";
    private static readonly string[] Specials = ["~", "null", "Null", "true", "False", "123", "-5s", "0x1F", "1.5e3", "http://host:7443/p", "a#b", "x]", "?x", "-x", "a:b", "K10abc::id.s3cr3t", "/etc/rancher", "😀"];
    private static readonly string[] Escapes = ["\\\"", "\\\\", "\\n", "\\t", "\\/", "\\x41", "\\u00e9", "\\U0001F600", "\\0", "\\a", "\\b", "\\v", "\\f", "\\r", "\\e", "\\ ", "\\N", "\\_", "\\L", "\\P", "\\\t"];

    private (string Text, string Value) Key(bool flow)
    {
        switch (_random.Next(8))
        {
            case 0:
                var single = Quoted('\'', escapes: false);
                return (single.Text, single.Value);
            case 1:
                var dbl = Quoted('"', escapes: false);
                return (dbl.Text, dbl.Value);
            default:
                var name = new StringBuilder();
                name.Append("abcdefghkmnprstxyz"[_random.Next(18)]);
                var length = _random.Next(0, 10);
                for (var i = 0; i < length; i++)
                {
                    name.Append((flow ? "abcXYZ09-_./" : "abcXYZ09-_./ ")[_random.Next(flow ? 12 : 13)]);
                }

                var key = name.ToString().TrimEnd();
                return (key, key);
        }
    }

    private string InlineValue(bool flow, int depth)
    {
        var kind = depth >= MaxDepth + 2 ? _random.Next(5) : _random.Next(9);
        return kind switch
        {
            0 or 1 => Plain(flow),
            2 => Quoted('\'').Text,
            3 => Quoted('"').Text,
            4 => Special(flow),
            5 or 6 => FlowSequence(depth + 1),
            _ => FlowMapping(depth + 1),
        };
    }

    private string Special(bool flow)
    {
        var candidates = flow ? Specials.Where(v => v.IndexOfAny([',', '[', ']', '{', '}']) < 0).ToArray() : Specials;
        return candidates[_random.Next(candidates.Length)];
    }

    private string Plain(bool flow)
    {
        while (true)
        {
            var text = new StringBuilder();
            text.Append(PlainFirst[_random.Next(PlainFirst.Length)]);
            var length = _random.Next(0, 14);
            for (var i = 0; i < length; i++)
            {
                text.Append(PlainInner[_random.Next(PlainInner.Length)]);
            }

            var value = text.ToString().TrimEnd(' ', '\u00A0');
            var bad = value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':')
                || value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal)
                || (flow && value.IndexOfAny([',', '[', ']', '{', '}']) >= 0);
            if (!bad)
            {
                return value;
            }
        }
    }

    private (string Text, string Value) Quoted(char quote, bool escapes = true)
    {
        var text = new StringBuilder().Append(quote);
        var value = new StringBuilder();
        var length = _random.Next(0, 12);
        for (var i = 0; i < length; i++)
        {
            if (quote == '"' && escapes && Chance(0.2))
            {
                text.Append(Escapes[_random.Next(Escapes.Length)]); // values only: keys need their value for uniqueness
                continue;
            }

            var c = QuotedChars[_random.Next(QuotedChars.Length)];
            if (Chance(0.1))
            {
                c = '\'';
            }
            else if (quote == '\'' && Chance(0.05))
            {
                c = '"';
            }

            text.Append(c == '\'' && quote == '\'' ? "''" : c.ToString());
            value.Append(c);
        }

        return (text.Append(quote).ToString(), value.ToString());
    }

    private string FlowSequence(int depth)
    {
        var items = Enumerable.Range(0, _random.Next(0, 4)).Select(_ => InlineValue(flow: true, depth)).ToList();
        var trailing = items.Count > 0 && Chance(0.1) ? "," : string.Empty;
        return "[" + Spaces(0, 1) + string.Join("," + Spaces(0, 2), items) + trailing + Spaces(0, 1) + "]";
    }

    private string FlowMapping(int depth)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<string>();
        for (var i = _random.Next(0, 4); i > 0; i--)
        {
            var (text, value) = Key(flow: true);
            if (!used.Add(value))
            {
                continue;
            }

            var adjacent = text[0] is '"' or '\'' && Chance(0.3); // JSON-like {"k":v}
            var entryValue = Chance(0.1) ? string.Empty : InlineValue(flow: true, depth);
            entries.Add(text + (adjacent && entryValue.Length > 0 ? ":" : ": ") + entryValue);
        }

        var trailing = entries.Count > 0 && Chance(0.1) ? "," : string.Empty;
        return "{" + Spaces(0, 1) + string.Join("," + Spaces(0, 2), entries) + trailing + Spaces(0, 1) + "}";
    }
}
