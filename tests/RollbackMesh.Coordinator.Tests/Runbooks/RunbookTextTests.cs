using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

public sealed class RunbookTextTests
{
    [Fact]
    public void Decode_ValidUtf8WithByteOrderMark_TextWithoutIt()
    {
        var text = RunbookText.Decode([0xEF, 0xBB, 0xBF, .. "name: café"u8], "a.yaml", out var error);

        Assert.Null(error);
        Assert.Equal("name: café", text);
    }

    [Fact]
    public void Decode_InvalidByteAfterMultiByteCharacters_ColumnCountsCharactersNotBytes()
    {
        // Line 2 is "ééx" then 0xFF: the bad byte is the 4th character of the line, at byte offset 3 + 5.
        var text = RunbookText.Decode([.. "a:\nééx"u8, 0xFF, .. "\n"u8], "a.yaml", out var error);

        Assert.Null(text);
        Assert.NotNull(error);
        Assert.Equal((2, 4), (error.Line, error.Column));
        Assert.Contains("byte 0xFF at byte offset 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EncodedSurrogate_Refused()
    {
        // CESU-8 style U+D800: not UTF-8, and would not survive as text.
        var text = RunbookText.Decode([.. "x: "u8, 0xED, 0xA0, 0x80], "a.yaml", out var error);

        Assert.Null(text);
        Assert.Equal((1, 4), (error!.Line, error.Column));
    }
}
