using RollbackMesh.Coordinator.Runbooks.Yaml;
using YamlDotNet.Core;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Parses, reads and validates one runbook document, returning it or every problem found.</summary>
internal static class RunbookLoader
{
    /// <summary>Loads <paramref name="yaml"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static RunbookLoadResult Load(string yaml, string sourceName, bool builtIn = false)
    {
        var errors = new RunbookErrorSink(sourceName);
        DocNode? root;
        try
        {
            root = DocParser.Parse(yaml);
        }
        catch (YamlException exception)
        {
            // A syntax error leaves no tree to check further; it is the one problem we can report.
            errors.Add(new SourcePosition((int)exception.Start.Line, (int)exception.Start.Column), $"YAML syntax error: {exception.Message}");
            return new RunbookLoadResult(null, errors.ToImmutable());
        }

        var runbook = RunbookReader.Read(root, sourceName, builtIn, errors);
        if (runbook is not null)
        {
            RunbookValidator.Validate(runbook, errors);
        }

        var found = errors.ToImmutable();
        return new RunbookLoadResult(found.IsEmpty ? runbook : null, found);
    }

    /// <summary>Loads a file; a read failure is reported as an error at line 0.</summary>
    public static RunbookLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException exception)
        {
            return new RunbookLoadResult(null, [new RunbookError(path, SourcePosition.None, $"cannot read: {exception.Message}")]);
        }

        return Load(text, path);
    }
}
