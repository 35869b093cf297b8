namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>The type of a runbook parameter; values are always passed as strings and checked against it.</summary>
internal enum ParameterType
{
    /// <summary>Any text.</summary>
    String,
    /// <summary>A base-10 integer.</summary>
    Int,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,
    /// <summary>An absolute path without <c>..</c> segments (agents confine it further).</summary>
    Path,
    /// <summary>A release version such as <c>v1.28.5+k3s1</c>, <c>2.6</c> or <c>v2.6.13</c>.</summary>
    Version,
}
