using YamlDotNet.Core;

namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// A scalar as written, without tag resolution: "~", "null" and an empty value stay the strings they are (the
/// configuration binder decides what they mean).
/// </summary>
/// <param name="Value">The text after unquoting and unescaping; "" for an empty value.</param>
/// <param name="Style">How it was written: plain, single- or double-quoted (block scalars are refused).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column of its first character (the quote for a quoted scalar).</param>
internal sealed record YamlScalar(string Value, ScalarStyle Style, int Line, int Column) : YamlNode(Line, Column)
{
    /// <summary>True for what YAML 1.2's core schema reads as null: an empty plain value, ~, null, Null, NULL.</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}
