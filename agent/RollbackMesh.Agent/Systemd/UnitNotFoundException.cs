namespace RollbackMesh.Agent.Systemd;

/// <summary>systemd knows no such unit (error NoSuchUnit, or load state "not-found").</summary>
internal sealed class UnitNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="unit"/>.</summary>
    public UnitNotFoundException(string unit, Exception? innerException = null)
        : base($"systemd has no unit '{unit}'.", innerException)
    {
        Unit = unit;
    }

    /// <summary>The unit name that was not found.</summary>
    public string Unit { get; }
}
