namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>
/// The text is not valid YAML, or uses YAML the agent's reader deliberately does not accept (anchors, tags, block
/// scalars, multi-line values...): refused with its position rather than read some other way.
/// </summary>
internal sealed class YamlSubsetException : Exception
{
    /// <summary>Creates the error for 1-based <paramref name="line"/> and <paramref name="column"/>.</summary>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    /// <param name="message">What is wrong, and for a refusal how to write it instead.</param>
    /// <param name="unsupported">True when the text is YAML, just outside the subset the agent reads.</param>
    public YamlSubsetException(int line, int column, string message, bool unsupported = false)
        : base(message)
    {
        Line = line;
        Column = column;
        Unsupported = unsupported;
    }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>True for valid YAML outside the subset; false for text that is not valid YAML at all.</summary>
    public bool Unsupported { get; }
}
