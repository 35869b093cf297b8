using RollbackMesh.Agent.Configuration.Yaml;
using YamlDotNet.Core;

namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>What the subset accepts, read with YAML 1.2's meaning.</summary>
public sealed class YamlSubsetReaderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n   # and another\n")]
    [InlineData("---\n")]
    [InlineData("--- # start\n...\n")]
    public void Read_DocumentWithoutContent_IsNull(string yaml)
    {
        Assert.Null(YamlSubsetReader.Read(yaml));
    }

    [Fact]
    public void Read_EmptyTildeAndNullValues_KeptAsWrittenAndNull()
    {
        var root = Mapping("a:\nb: ~\nc: null\nd: ''\n");

        Assert.Equal(["", "~", "null", ""], root.Entries.Select(e => ((YamlScalar)e.Value).Value));
        Assert.Equal([true, true, true, false], root.Entries.Select(e => ((YamlScalar)e.Value).IsNull));
    }

    [Fact]
    public void Read_SequenceAtItsKeysIndentation_BelongsToTheKey()
    {
        var root = Mapping("roles:\n- server\n- agent\nnext: 1\n");

        Assert.Equal(["server", "agent"], Scalars(root.Entries[0].Value));
        Assert.Equal("next", root.Entries[1].Key.Value);
    }

    [Fact]
    public void Read_MappingsInsideSequenceItems_KeysAlignedAfterTheDash()
    {
        var root = Mapping("units:\n  - name: k3s\n    state: active\n  -   name: felix\n      state: failed\n");

        var items = ((YamlSequence)root.Entries[0].Value).Items.Cast<YamlMapping>().ToList();
        Assert.Equal(["k3s", "active"], items[0].Entries.Select(e => ((YamlScalar)e.Value).Value));
        Assert.Equal(["felix", "failed"], items[1].Entries.Select(e => ((YamlScalar)e.Value).Value));
        Assert.Equal((4, 7), (items[1].Line, items[1].Column));
    }

    [Fact]
    public void Read_PlainValuesWithColonsAndHashes_KeepThemAndDropComments()
    {
        var root = Mapping("address: https://coord:7443/a#b # the coordinator\nsocket: unix:path=/run/x\n");

        Assert.Equal(["https://coord:7443/a#b", "unix:path=/run/x"], root.Entries.Select(e => ((YamlScalar)e.Value).Value));
    }

    [Fact]
    public void Read_QuotedValues_Unescaped()
    {
        var root = Mapping("a: 'it''s: # not a comment'\nb: \"tab\\tquote\\\" e\\u00e9 smile\\U0001F600 nl\\n slash\\/\"\n");

        Assert.Equal("it's: # not a comment", ((YamlScalar)root.Entries[0].Value).Value);
        Assert.Equal(ScalarStyle.SingleQuoted, ((YamlScalar)root.Entries[0].Value).Style);
        Assert.Equal("tab\tquote\" e\u00e9 smile\U0001F600 nl\n slash/", ((YamlScalar)root.Entries[1].Value).Value);
    }

    [Fact]
    public void Read_FlowCollections_EmptyNestedAndTrailingComma()
    {
        var root = Mapping("a: []\nb: {}\nc: [x, 'y', \"z\", [1], {k: v},]\nd: {k: , \"j\":1}\n");

        Assert.Empty(((YamlSequence)root.Entries[0].Value).Items);
        Assert.Empty(((YamlMapping)root.Entries[1].Value).Entries);
        Assert.Equal(5, ((YamlSequence)root.Entries[2].Value).Items.Count);
        var d = (YamlMapping)root.Entries[3].Value;
        Assert.Equal(["", "1"], d.Entries.Select(e => ((YamlScalar)e.Value).Value));
    }

    [Fact]
    public void Read_CrlfAndByteOrderMark_SameAsLf()
    {
        var root = Mapping("\uFEFFa: 1\r\nb:\r\n  - x\r\n");

        Assert.Equal(["a", "b"], root.Entries.Select(e => e.Key.Value));
        Assert.Equal(["x"], Scalars(root.Entries[1].Value));
    }

    [Fact]
    public void Read_KeysAndValues_CarryOneBasedPositions()
    {
        var root = Mapping("# header\ncoordinator:\n  insecure: maybe\n");

        var inner = (YamlMapping)root.Entries[0].Value;
        Assert.Equal((3, 3), (inner.Entries[0].Key.Line, inner.Entries[0].Key.Column));
        Assert.Equal((3, 13), (inner.Entries[0].Value.Line, inner.Entries[0].Value.Column));
    }

    [Fact]
    public void Read_ValueOnTheLineBelowItsKey_IsTheKeysValue()
    {
        var root = Mapping("a:\n  # why\n  value\nb: 2\n");

        Assert.Equal("value", ((YamlScalar)root.Entries[0].Value).Value);
    }

    private static YamlMapping Mapping(string yaml) => Assert.IsType<YamlMapping>(YamlSubsetReader.Read(yaml));

    private static List<string> Scalars(YamlNode sequence) => ((YamlSequence)sequence).Items.Select(i => ((YamlScalar)i).Value).ToList();
}
