namespace RollbackMesh.FunctionalTests.Security;

/// <summary>The system clock moved by <see cref="Shift"/>: an agent that believes it is later than it is.</summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + Shift;
}
