namespace RollbackMesh.Agent.Configuration;

/// <summary>What loading agent.yaml produced: flat configuration keys and the problems found while reading it.</summary>
/// <param name="Path">The file that was read.</param>
/// <param name="Values">Flat keys ("Agent:Coordinator:Address") and their values.</param>
/// <param name="Problems">Unreadable file, YAML syntax errors, unknown keys; reported with the validation problems.</param>
internal sealed record ConfigFileResult(string Path, IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Problems);
