using System.Text;

namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>
/// Random documents inside the subset the agent's reader accepts: block mappings and sequences (compact, nested, at
/// the key's own indentation), one-line flow collections, plain/quoted scalars with the characters that trip readers
/// (':', '#', brackets, quotes, escapes, non-ASCII), comments, blank lines, markers, CRLF. The same seed gives the
/// same document, so a failure is reproduced from the seed the test prints.
/// </summary>
internal sealed partial class YamlDocumentGenerator
{
    private const int MaxDepth = 4;

    private readonly Random _random;

    /// <summary>Creates a generator for <paramref name="seed"/>.</summary>
    public YamlDocumentGenerator(int seed) => _random = new Random(seed);

    /// <summary>One document.</summary>
    public string Generate()
    {
        var lines = new List<string>();
        if (Chance(0.2))
        {
            lines.Add(Chance(0.3) ? "--- # start" : "---");
        }

        var root = _random.Next(10) switch
        {
            < 7 => Mapping(0),
            < 9 => Sequence(0),
            _ => [InlineValue(flow: false, 0)],
        };
        var rootIndent = Chance(0.1) ? new string(' ', _random.Next(1, 4)) : string.Empty;
        lines.AddRange(root.Select(l => rootIndent + l));
        if (Chance(0.1))
        {
            lines.Add("...");
        }

        var text = new StringBuilder();
        var newline = Chance(0.2) ? "\r\n" : "\n";
        foreach (var line in lines)
        {
            if (Chance(0.1))
            {
                text.Append(Chance(0.5) ? new string(' ', _random.Next(0, 6)) + "# a comment: [x] 'y" : new string(' ', _random.Next(0, 3))).Append(newline);
            }

            text.Append(line).Append(Chance(0.05) ? "  " : string.Empty).Append(newline);
        }

        return Chance(0.1) ? text.ToString().TrimEnd('\r', '\n') : text.ToString();
    }

    private List<string> Mapping(int depth)
    {
        var lines = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var count = _random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var (keyText, keyValue) = Key(flow: false);
            if (!used.Add(keyValue))
            {
                continue;
            }

            var head = keyText + (Chance(0.1) ? " :" : ":");
            var kind = depth >= MaxDepth ? _random.Next(3) : _random.Next(6);
            switch (kind)
            {
                case 0 or 1:
                    lines.Add(head + Separator() + InlineValue(flow: false, depth) + TrailingComment());
                    break;
                case 2:
                    lines.Add(head + TrailingComment());
                    break;
                case 3:
                    lines.Add(head + TrailingComment());
                    lines.Add(Spaces(1, 4) + InlineValue(flow: false, depth));
                    break;
                case 4:
                    lines.Add(head + TrailingComment());
                    var indent = Spaces(1, 4);
                    lines.AddRange(Mapping(depth + 1).Select(l => indent + l));
                    break;
                default:
                    lines.Add(head + TrailingComment());
                    var seqIndent = Spaces(0, 3); // 0: the list at the key's own indentation
                    lines.AddRange(Sequence(depth + 1).Select(l => seqIndent + l));
                    break;
            }
        }

        return lines;
    }

    private List<string> Sequence(int depth)
    {
        var lines = new List<string>();
        var count = _random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var kind = depth >= MaxDepth ? _random.Next(2) : _random.Next(6);
            switch (kind)
            {
                case 0:
                    lines.Add("- " + InlineValue(flow: false, depth) + TrailingComment());
                    break;
                case 1:
                    lines.Add("-" + TrailingComment());
                    break;
                case 2 or 3:
                    // Compact: the item's first line follows "- ", the rest align with it.
                    var prefix = "-" + Spaces(1, 3);
                    var child = kind == 2 ? Mapping(depth + 1) : Sequence(depth + 1);
                    lines.Add(prefix + child[0]);
                    lines.AddRange(child.Skip(1).Select(l => new string(' ', prefix.Length) + l));
                    break;
                default:
                    lines.Add("-" + TrailingComment());
                    var indent = Spaces(1, 4);
                    lines.AddRange((kind == 4 ? Mapping(depth + 1) : Sequence(depth + 1)).Select(l => indent + l));
                    break;
            }
        }

        return lines;
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private string Spaces(int min, int max) => new(' ', _random.Next(min, max + 1));

    private string Separator() => Spaces(1, 3);

    private string TrailingComment() => Chance(0.15) ? Spaces(1, 3) + "# note: - [a] {b} 'c\" #d" : string.Empty;
}
