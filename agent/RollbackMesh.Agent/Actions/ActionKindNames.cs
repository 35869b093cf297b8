using System.Globalization;
using System.Text;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Actions;

/// <summary>
/// The wire names of the Action oneof's fields, spelled back from the generated case names (protoc writes
/// <c>k3s_install_binary</c> as <c>K3SInstallBinary</c>) rather than read from V1.Action.Descriptor: the Hello names
/// every kind at connect, and building the protobuf descriptors there would load the whole reflection layer (~1 MiB)
/// into an agent that has not run a step yet. A test keeps the spelling equal to the descriptor for every kind.
/// </summary>
internal static class ActionKindNames
{
    /// <summary>Every action kind, in field-number order.</summary>
    public static IReadOnlyList<string> All { get; } =
        Enum.GetValues<V1.Action.KindOneofCase>().Where(k => k != V1.Action.KindOneofCase.None).Select(Of).ToArray();

    /// <summary>The wire name of <paramref name="kind"/>, "none" for an unset oneof.</summary>
    public static string Of(V1.Action.KindOneofCase kind) =>
        kind == V1.Action.KindOneofCase.None ? "none"
        : Enum.IsDefined(kind) ? SnakeCase(kind.ToString())
        : "unknown_" + ((int)kind).ToString(CultureInfo.InvariantCulture);

    // A capital starts a word after a small letter, or after a capital or digit when a small letter follows it:
    // K3SInstallBinary is k3s_install_binary (protoc capitalises the letter after a digit, so K3S stays one word).
    private static string SnakeCase(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            var startsWord = i > 0 && char.IsUpper(c)
                && (char.IsLower(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1])));
            if (startsWord)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
