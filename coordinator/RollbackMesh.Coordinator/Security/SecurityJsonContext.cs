using System.Text.Json.Serialization;

namespace RollbackMesh.Coordinator.Security;

/// <summary>Source-generated JSON for <see cref="SecurityState"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SecurityState))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
