using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Storage;

/// <summary>
/// Stores a <see cref="Plan"/> as JSON so a run resumes after a restart with exactly the plan it started with (the
/// fleet or the runbooks may have changed since). Actions are kept as their protobuf bytes (base64): exact, and
/// independent of how the JSON mapping of protobuf evolves.
/// </summary>
internal static class PlanCodec
{
    /// <summary>Options shared by the store's JSON columns.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new ActionConverter(), new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipComputed } },
    };

    public static string Serialize(Plan plan) => JsonSerializer.Serialize(plan, Options);

    public static Plan Deserialize(string json) =>
        JsonSerializer.Deserialize<Plan>(json, Options) ?? throw new InvalidDataException("A stored plan is null.");

    // Plan.AllSteps is derived from Phases; writing it would double the stored size.
    private static void SkipComputed(JsonTypeInfo info)
    {
        if (info.Type == typeof(Plan))
        {
            foreach (var property in info.Properties.Where(p => p.Name == nameof(Plan.AllSteps)).ToList())
            {
                info.Properties.Remove(property);
            }
        }
    }

    private sealed class ActionConverter : JsonConverter<V1.Action>
    {
        public override V1.Action Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            V1.Action.Parser.ParseFrom(reader.GetBytesFromBase64());

        public override void Write(Utf8JsonWriter writer, V1.Action value, JsonSerializerOptions options) =>
            writer.WriteBase64StringValue(Google.Protobuf.MessageExtensions.ToByteArray(value));
    }
}
