using System.Collections.Immutable;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RollbackMesh.Coordinator.Runbooks.Yaml;

/// <summary>Builds a <see cref="DocNode"/> tree from YamlDotNet's event parser (single document).</summary>
internal static class DocParser
{
    /// <summary>Parses <paramref name="text"/>; a syntax error is thrown as <see cref="YamlException"/> with its mark.</summary>
    public static DocNode? Parse(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = ReadNode(parser, anchors);
        parser.Consume<DocumentEnd>();
        if (!parser.TryConsume<StreamEnd>(out _))
        {
            throw new YamlException(parser.Current!.Start, parser.Current.End, "a runbook file holds exactly one YAML document");
        }

        return root;
    }

    private static DocNode ReadNode(IParser parser, Dictionary<string, DocNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value}");
        }

        DocNode node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var plainNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
            node = new DocScalar(scalar.Value, plainNull, At(scalar.Start));
            anchor = scalar.Anchor;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = ImmutableArray.CreateBuilder<DocNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, anchors));
            }

            node = new DocSequence(items.ToImmutable(), At(sequenceStart.Start));
            anchor = sequenceStart.Anchor;
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            var entries = ImmutableArray.CreateBuilder<KeyValuePair<DocScalar, DocNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(parser, anchors) as DocScalar
                    ?? throw new YamlException(mappingStart.Start, mappingStart.End, "mapping keys must be scalars");
                entries.Add(new(key, ReadNode(parser, anchors)));
            }

            node = new DocMapping(entries.ToImmutable(), At(mappingStart.Start));
            anchor = mappingStart.Anchor;
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static SourcePosition At(Mark mark) => new((int)mark.Line, (int)mark.Column);
}
