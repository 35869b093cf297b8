using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// Reads agent.yaml with YamlDotNet's parser, keeping to the subset of YAML the file is written in: one document,
/// comments, block mappings and sequences nested by spaces, one-line flow collections, and one-line plain, single-
/// and double-quoted scalars. Anything else (anchors, aliases, tags, block scalars, multi-line values, complex keys,
/// directives, several documents, duplicate keys) is a <see cref="YamlSubsetException"/> naming the line and column,
/// as are YamlDotNet's own syntax errors: never read some other way.
/// </summary>
internal static class YamlSubsetReader
{
    private const int MaxDepth = 64;

    /// <summary>The root node of <paramref name="text"/>, or null for a document without content.</summary>
    /// <exception cref="YamlSubsetException">The text is not valid YAML or lies outside the subset.</exception>
    public static YamlNode? Read(string text)
    {
        text = text.StartsWith('\uFEFF') ? text[1..] : text; // a byte order mark is allowed before the document
        YamlSourceText.Check(text);
        var scanner = new YamlSubsetScanner(text);
        try
        {
            return ReadStream(new Parser(scanner));
        }
        catch (YamlException ex)
        {
            throw new YamlSubsetException((int)ex.Start.Line, (int)ex.Start.Column, ex.Message);
        }
        catch (InvalidOperationException)
        {
            throw scanner.Unfinished();
        }
    }

    private static YamlNode? ReadStream(Parser parser)
    {
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = ReadNode(parser, depth: 0);
        var end = parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out var second))
        {
            throw new YamlSubsetException(
                (int)second.Start.Line,
                (int)second.Start.Column,
                end.IsImplicit || !second.IsImplicit
                    ? "a second document ('---') is not supported: agent.yaml holds one"
                    : "content after the document end ('...') is not supported: agent.yaml holds one document",
                unsupported: true);
        }

        parser.Consume<StreamEnd>();

        // "---" alone, or only "...", is a document whose root is an empty plain scalar: no content.
        return root is YamlScalar { Style: ScalarStyle.Plain, Value: "" } ? null : root;
    }

    private static YamlNode ReadNode(Parser parser, int depth)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return new YamlScalar(scalar.Value, scalar.Style, (int)scalar.Start.Line, (int)scalar.Start.Column);
        }

        var start = parser.Current!.Start;
        if (depth == MaxDepth)
        {
            throw new YamlSubsetException((int)start.Line, (int)start.Column, $"collections nested deeper than {MaxDepth}");
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, depth + 1));
            }

            return new YamlSequence(items, (int)start.Line, (int)start.Column);
        }

        parser.Consume<MappingStart>();
        var entries = new YamlMappingBuilder();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            entries.Add(ReadKey(parser), ReadNode(parser, depth + 1));
        }

        return entries.Build((int)start.Line, (int)start.Column);
    }

    private static YamlScalar ReadKey(Parser parser)
    {
        var at = parser.Current!.Start;
        if (!parser.TryConsume<Scalar>(out var key))
        {
            throw new YamlSubsetException((int)at.Line, (int)at.Column, "a [ ] or { } collection as a key is not supported (keys are scalars)", unsupported: true);
        }

        if (key is { Style: ScalarStyle.Plain, Value: "" })
        {
            throw new YamlSubsetException((int)at.Line, (int)at.Column, "an empty key is not supported (write a key before the ':')", unsupported: true);
        }

        return new YamlScalar(key.Value, key.Style, (int)at.Line, (int)at.Column);
    }
}
