namespace RollbackMesh.Testbeds.KubeApi;

/// <summary>
/// A fact that runs the real kubectl client. Where /usr/bin/kubectl is absent the test is reported as skipped with a
/// message that starts "REAL KUBECTL UNAVAILABLE"; it never passes silently. tests/install-test-deps.sh says the same.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KubectlFactAttribute : FactAttribute
{
    /// <summary>The kubectl this machine kind ships (v1.32).</summary>
    public const string Kubectl = "/usr/bin/kubectl";

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="Kubectl"/> is missing.</summary>
    public KubectlFactAttribute()
    {
        if (!File.Exists(Kubectl))
        {
            Skip = $"REAL KUBECTL UNAVAILABLE: {Kubectl} not found; these tests run the real kubectl client against the test API server (tests/testbeds/kubeapi)";
        }
    }
}
