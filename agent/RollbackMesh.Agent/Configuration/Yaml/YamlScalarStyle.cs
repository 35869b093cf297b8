namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>How a scalar was written; only a plain scalar can mean null.</summary>
internal enum YamlScalarStyle
{
    /// <summary>Unquoted, trimmed; also the empty value of "key:" with nothing after it.</summary>
    Plain,

    /// <summary>'single quoted', with '' standing for one quote.</summary>
    SingleQuoted,

    /// <summary>"double quoted", with backslash escapes.</summary>
    DoubleQuoted,
}
