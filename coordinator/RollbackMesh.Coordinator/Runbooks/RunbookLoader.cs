using System.Globalization;
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

    /// <summary>
    /// Loads a file of at most <paramref name="maxBytes"/> bytes; a larger file is refused unread, invalid UTF-8 at its
    /// line and column, and a read failure at line 0.
    /// </summary>
    public static RunbookLoadResult LoadFile(string path, long maxBytes)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            if (stream.Length > maxBytes)
            {
                return Refused(path, TooLarge(stream.Length, maxBytes));
            }

            // Read one byte past the limit: the file may have grown since Length was read.
            var buffer = new byte[stream.Length + 1];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read > maxBytes)
            {
                return Refused(path, TooLarge(read, maxBytes));
            }

            bytes = buffer[..read];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Refused(path, $"cannot read: {exception.Message}");
        }

        var text = RunbookText.Decode(bytes, path, out var error);
        return text is null ? new RunbookLoadResult(null, [error!]) : Load(text, path);
    }

    /// <summary>A size in bytes as people read it: 1.5 MiB, 900 KiB, 12 bytes.</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => $"{bytes} bytes",
    };

    private static string TooLarge(long size, long maxBytes) =>
        $"the file is {FormatSize(size)}, over the {FormatSize(maxBytes)} limit per runbook file; it was not read";

    private static RunbookLoadResult Refused(string path, string message) =>
        new(null, [new RunbookError(path, SourcePosition.None, message)]);
}
