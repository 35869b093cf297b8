using RollbackMesh.Agent.Configuration.Yaml;

namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>Everything outside the subset is refused at the right line and column, and says what is wrong.</summary>
public sealed class YamlSubsetReaderRefusalTests
{
    [Theory]
    [InlineData("a: &x 1", 1, 4, "anchors ('&') are not supported")]
    [InlineData("a: 1\nb: *x", 2, 4, "aliases ('*') are not supported")]
    [InlineData("a: !!str 1", 1, 4, "tags ('!') are not supported")]
    [InlineData("a: |\n  text", 1, 4, "block scalars ('|' and '>') are not supported")]
    [InlineData("a: >-\n  text", 1, 4, "block scalars ('|' and '>') are not supported")]
    [InlineData("? a\n: b", 1, 1, "complex keys ('? ') are not supported")]
    [InlineData("[a, b]: c", 1, 1, "collection as a key is not supported")]
    [InlineData("a: {[b]: c}", 1, 5, "collection as a key is not supported")]
    [InlineData("a: 1\n---\nb: 2", 2, 1, "a second document ('---') is not supported")]
    [InlineData("a: 1\n...\nb: 2", 3, 1, "content after the document end ('...') is not supported")]
    [InlineData("--- a: 1", 1, 5, "content on the '---' line is not supported")]
    [InlineData("%YAML 1.2\n---\na: 1", 1, 1, "directives ('%') are not supported")]
    [InlineData("a: [b: c]", 1, 6, "'key: value' inside [ ] is not supported")]
    [InlineData("a: {b, c: d}", 1, 5, "'b' has no ': value'")]
    [InlineData(": v", 1, 1, "an empty key is not supported")]
    [InlineData("a: :x", 1, 4, "a plain value cannot start with ':'")]
    [InlineData("a:\tb", 1, 3, "a tab after ':'")]
    [InlineData("a: {b:\tc}", 1, 7, "a tab after ':'")]
    [InlineData("p *: x", 1, 3, "a word starting with '*' in a key")]
    public void Read_YamlOutsideTheSubset_RefusedAsUnsupported(string yaml, int line, int column, string message)
    {
        var error = Assert.Throws<YamlSubsetException>(() => YamlSubsetReader.Read(yaml));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Unsupported);
    }

    [Theory]
    [InlineData("a: one\n  two", 2, 3, "multi-line values are not supported")]
    [InlineData("- one\n  two", 2, 3, "multi-line values are not supported")]
    [InlineData("a: \"one\n  two\"", 1, 4, "this \" is not closed on its line (multi-line quoted values are not supported)")]
    [InlineData("a: \"one\\\n  two\"", 1, 4, "this \" is not closed on its line (multi-line quoted values are not supported)")]
    [InlineData("a: \"x\\", 1, 4, "found unknown escape character")]
    [InlineData("a: 'one", 1, 4, "found unexpected end of stream")]
    [InlineData("roles: [server\ncoordinator: {\n", 1, 8, "this '[' is not closed on its line (multi-line [ ] and { } are not supported)")]
    [InlineData("a: {b: c # d}", 1, 4, "this '{' is not closed on its line")]
    [InlineData("a: 1\nb: 2\na: 3", 3, 1, "duplicate key 'a' (first at line 1, column 1)")]
    [InlineData("a: {b: 1, 'b': 2}", 1, 11, "duplicate key 'b' (first at line 1, column 5)")]
    [InlineData("a:\n\t- x", 2, 1, "a tab at the start of a line")]
    [InlineData("a: 1\n\t# comment", 2, 1, "a tab at the start of a line")]
    [InlineData("-\tx", 1, 2, "a tab after '-'")]
    [InlineData("a:\n  -  \tx", 2, 6, "a tab after '-'")]
    [InlineData("a: \"\\q\"", 1, 4, "found unknown escape character")]
    [InlineData("a: \"\\uD800\"", 1, 4, "found invalid Unicode surrogates")]
    [InlineData("a: \"\\x4\"", 1, 4, "did not find expected hexadecimal number")]
    [InlineData("a: b: c", 1, 5, "found invalid mapping")]
    [InlineData("a: - b", 1, 4, "Block sequence entries are not allowed in this context")]
    [InlineData("k: v\n- x", 2, 1, "did not find expected key")]
    [InlineData("- a\nb: 1", 2, 1, "did not find expected '-' indicator")]
    [InlineData("a:\n    b: 1\n  c: 2", 3, 3, "did not find expected key")]
    [InlineData("a: 'x' y", 1, 8, "did not find expected key")]
    [InlineData("a: 'x'#c", 1, 7, "unexpected text after the value")]
    [InlineData("a: [x] y", 1, 8, "did not find expected key")]
    [InlineData("a: [x,,y]", 1, 7, "did not find expected node content")]
    [InlineData("a: [x y", 1, 4, "this '[' is not closed on its line")]
    [InlineData("a: {k:}", 1, 6, "':' directly before '}' is ambiguous")]
    [InlineData("a: %x", 1, 4, "found character that cannot start any token")]
    [InlineData("a: @x", 1, 4, "found character that cannot start any token")]
    [InlineData("a: x\u0085y", 1, 5, "the control character U+0085 is not allowed")]
    [InlineData("a: x\ry", 1, 5, "the control character U+000D is not allowed")]
    public void Read_InvalidYaml_RefusedWithItsPosition(string yaml, int line, int column, string message)
    {
        var error = Assert.Throws<YamlSubsetException>(() => YamlSubsetReader.Read(yaml));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(error.Unsupported);
    }

    [Fact]
    public void Read_DeeplyNestedFlow_RefusedInsteadOfOverflowingTheStack()
    {
        var error = Assert.Throws<YamlSubsetException>(() => YamlSubsetReader.Read("a: " + new string('[', 10_000) + new string(']', 10_000)));

        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeeplyNestedBlocks_RefusedInsteadOfOverflowingTheStack()
    {
        var yaml = string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i) + "k:\n"));

        var error = Assert.Throws<YamlSubsetException>(() => YamlSubsetReader.Read(yaml));

        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: &x 1")]
    [InlineData("a: |\n  text")]
    [InlineData("a: 1\n---\nb: 2")]
    [InlineData("a: \"one\n  two\"")]
    [InlineData("a: one\n  two")]
    [InlineData("a: [x,\n  y]")]
    public void Read_RefusedYamlThatYamlDotNetReads_IsValidYamlIndeed(string yaml)
    {
        // Guards the refusal tests above against testing text no reader would accept anyway.
        Assert.NotEqual("ERROR", YamlOracle.LibraryOrError(yaml.Replace("\n---\n", "\n", StringComparison.Ordinal)));
    }
}
