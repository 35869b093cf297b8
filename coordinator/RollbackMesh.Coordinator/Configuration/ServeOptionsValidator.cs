using Microsoft.Extensions.Options;

namespace RollbackMesh.Coordinator.Configuration;

/// <summary>
/// Checks <see cref="ServeOptions"/>: the attributes there (generated code) and <see cref="ServeOptions.Validate"/>,
/// every problem at once.
/// </summary>
[OptionsValidator]
internal sealed partial class ServeOptionsValidator : IValidateOptions<ServeOptions>
{
}
