using System.Globalization;
using System.Text;
using RollbackMesh.Agent.Configuration.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using LibraryNode = YamlDotNet.RepresentationModel.YamlNode;
using SubsetNode = RollbackMesh.Agent.Configuration.Yaml.YamlNode;

namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>
/// Renders a document as read by the agent's reader and as read by YamlDotNet's representation model in one neutral
/// text form (styles, values and positions), so the two can be compared. An empty plain value has no position in the
/// form: nothing uses its position except through its key's line.
/// </summary>
internal static class YamlOracle
{
    /// <summary>The neutral form of what <see cref="YamlSubsetReader"/> reads from <paramref name="text"/>.</summary>
    public static string Subset(string text) => Render(YamlSubsetReader.Read(text));

    /// <summary>The neutral form of what YamlDotNet reads; throws when it finds more than one document.</summary>
    public static string Library(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count > 1)
        {
            throw new InvalidOperationException("more than one document");
        }

        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" }
            ? "EMPTY"
            : Render(stream.Documents[0].RootNode);
    }

    /// <summary>YamlDotNet's form, or "ERROR" when it refuses the text.</summary>
    public static string LibraryOrError(string text)
    {
        try
        {
            return Library(text);
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException)
        {
            return "ERROR";
        }
    }

    private static string Render(SubsetNode? node) => node switch
    {
        null => "EMPTY",
        YamlScalar { Style: ScalarStyle.Plain, Value: "" } => "plain:''",
        YamlScalar s => $"{Style(s.Style)}:{Quote(s.Value)}@{s.Line}:{s.Column}",
        YamlSequence q => $"seq@{q.Line}:{q.Column}[" + string.Join(", ", q.Items.Select(Render)) + "]",
        YamlMapping m => $"map@{m.Line}:{m.Column}{{" + string.Join(", ", m.Entries.Select(e => Render(e.Key) + ": " + Render(e.Value))) + "}",
        _ => throw new ArgumentException("unknown node", nameof(node)),
    };

    private static string Render(LibraryNode node) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or null } => "plain:''",
        YamlScalarNode s => $"{Style(s.Style)}:{Quote(s.Value ?? string.Empty)}@{s.Start.Line}:{s.Start.Column}",
        YamlSequenceNode q => $"seq@{q.Start.Line}:{q.Start.Column}[" + string.Join(", ", q.Children.Select(Render)) + "]",
        YamlMappingNode m => $"map@{m.Start.Line}:{m.Start.Column}{{" + string.Join(", ", m.Children.Select(e => Render(e.Key) + ": " + Render(e.Value))) + "}",
        _ => throw new ArgumentException("unknown node", nameof(node)),
    };

    private static string Style(ScalarStyle style) => style switch
    {
        ScalarStyle.Plain => "plain",
        ScalarStyle.SingleQuoted => "single",
        ScalarStyle.DoubleQuoted => "double",
        _ => "other:" + style,
    };

    /// <summary>The value with every character outside printable ASCII as \uXXXX, so differences are visible.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value)
        {
            _ = c is >= ' ' and <= '~' && c != '\\' ? text.Append(c) : text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }

        return text.Append('\'').ToString();
    }
}
