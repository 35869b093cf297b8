namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>The version a package manager chose for one package of a series downgrade.</summary>
/// <param name="Version">The exact version to install.</param>
/// <param name="Note">Why it was chosen when that is not the documented way (shown in the dry run); null otherwise.</param>
internal sealed record SeriesVersion(string Version, string? Note = null);
