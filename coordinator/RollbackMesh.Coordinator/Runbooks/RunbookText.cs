using System.Buffers;
using System.Text.Unicode;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// Decodes runbook bytes as strict UTF-8. Invalid bytes are refused with their line and column rather than replaced
/// by U+FFFD, which would change a value (a path, a package name) without anyone seeing it.
/// </summary>
internal static class RunbookText
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The text of <paramref name="bytes"/>, or null with <paramref name="error"/> naming where the first invalid byte is.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string source, out RunbookError? error)
    {
        var skipped = bytes.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
        bytes = bytes[skipped..];

        // UTF-8 never yields more UTF-16 code units than it has bytes.
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
            {
                error = null;
                return new string(chars, 0, charsWritten);
            }

            // bytesRead stops at the first invalid sequence; chars holds the valid text before it.
            var before = chars.AsSpan(0, charsWritten);
            var line = before.Count('\n') + 1;
            var column = charsWritten - (before.LastIndexOf('\n') + 1) + 1;
            error = new RunbookError(source, new SourcePosition(line, column),
                $"invalid UTF-8 (byte 0x{bytes[bytesRead]:X2} at byte offset {skipped + bytesRead}); runbooks must be UTF-8 text");
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
