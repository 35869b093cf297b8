using System.Globalization;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// The seed of the chaos trials' random choices (when to kill, for how long to stay down or frozen, which agent):
/// ROLLBACKMESH_CHAOS_SEED when set, so a failed trial's choices can be replayed, otherwise drawn once per test run.
/// Real processes keep their own timing, so a replay repeats the choices, not every interleaving.
/// </summary>
internal static class ChaosSeed
{
    /// <summary>The environment variable that fixes the seed.</summary>
    public const string Variable = "ROLLBACKMESH_CHAOS_SEED";

    private static readonly Lazy<int> Chosen = new(Choose);

    /// <summary>The seed every chaos trial of this test run draws from.</summary>
    /// <exception cref="InvalidOperationException">ROLLBACKMESH_CHAOS_SEED is set but is not a non-negative 32-bit integer.</exception>
    public static int Value => Chosen.Value;

    /// <summary>How to replay <paramref name="test"/> with this seed.</summary>
    public static string Replay(string test) =>
        $"{Variable}={Value} dotnet test tests/RollbackMesh.FunctionalTests -c Release --filter \"FullyQualifiedName~{test}\"";

    private static int Choose()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Random.Shared.Next();
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new InvalidOperationException($"{Variable}='{text}' is not a seed: give a whole number from 0 to {int.MaxValue}");
    }
}
