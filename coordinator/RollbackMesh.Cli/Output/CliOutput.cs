using Google.Protobuf;

namespace RollbackMesh.Cli.Output;

/// <summary>
/// Where a command writes: tables and text by default, or JSON (protobuf JSON mapping, so field names are the
/// contract's lowerCamelCase names and stay stable; default values are included). Errors go to stderr either way.
/// </summary>
internal sealed class CliOutput(bool json)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public bool Json { get; } = json;

    /// <summary>True when stdout is a terminal, so redrawn progress lines make sense.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected;

    public void Line(string text = "") => Console.Out.WriteLine(text);

    public void Write(IMessage message) => Console.Out.WriteLine(Formatter.Format(message));

    public void Error(string text) => Console.Error.WriteLine("rollbackmesh: " + text);

    public void Table(TextTable table) => Console.Out.Write(table.Render());
}
