namespace RollbackMesh.Agent.Tests.Connection;

/// <summary>A Random whose NextDouble always returns the same value, to pin the backoff jitter.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;
}
