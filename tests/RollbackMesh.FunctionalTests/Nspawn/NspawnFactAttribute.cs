using Xunit;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// A fact that needs the nspawn testbed. When the machine lacks a prerequisite the test is reported as skipped
/// with a message that starts "NSPAWN TESTBED UNAVAILABLE" and names what is missing; it never passes silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NspawnFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="NspawnPrerequisites.MissingReason"/> is not null.</summary>
    public NspawnFactAttribute()
    {
        if (NspawnPrerequisites.MissingReason is { } reason)
        {
            Skip = "NSPAWN TESTBED UNAVAILABLE: " + reason;
        }
    }
}
