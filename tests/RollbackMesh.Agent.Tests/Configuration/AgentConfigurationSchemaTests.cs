using System.Reflection;
using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Tests.Configuration;

/// <summary>The schema's keys are the options tree's properties: none missing (it would be refused), none extra.</summary>
public sealed class AgentConfigurationSchemaTests
{
    [Fact]
    public void IsKnown_EveryPropertyOfTheOptionsTree_IsAKey()
    {
        var paths = Paths(typeof(AgentOptions), "").ToList();

        Assert.Contains("coordinator.tls.cert", paths);
        Assert.Contains("packageManager.installRoot", paths);
        Assert.All(paths, path => Assert.True(AgentConfigurationSchema.IsKnown(path), $"{path} is not a known key"));
    }

    [Theory]
    [InlineData("healthIntervall")]
    [InlineData("coordinator.tls.certificate")]
    [InlineData("packageManager.aptGet")] // a tool location: toolPaths.apt-get
    [InlineData("effectiveDataDirectories")] // derived, not settable
    [InlineData("sandbox.root")] // the packaged agent has no sandbox mode (coordinator/RollbackMesh.Demo/Sandbox)
    public void IsKnown_NotAPropertyOfTheTree_Unknown(string path) => Assert.False(AgentConfigurationSchema.IsKnown(path));

    [Fact]
    public void IsBoolean_ExactlyTheBoolsOfTheTree()
    {
        var bools = Paths(typeof(AgentOptions), "", boolsOnly: true).ToList();

        Assert.NotEmpty(bools);
        Assert.All(bools, path => Assert.True(AgentConfigurationSchema.IsBoolean(path), path));
        Assert.All(Paths(typeof(AgentOptions), "").Except(bools), path => Assert.False(AgentConfigurationSchema.IsBoolean(path), path));
    }

    // Settable properties, descending into the option classes of this project (not lists, maps or strings).
    private static IEnumerable<string> Paths(Type type, string prefix, bool boolsOnly = false)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = prefix + char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            var nested = property.PropertyType.IsClass && property.PropertyType.Namespace == typeof(AgentOptions).Namespace;
            if (!boolsOnly || property.PropertyType == typeof(bool))
            {
                if (!nested || !boolsOnly)
                {
                    yield return path;
                }
            }

            if (nested)
            {
                foreach (var child in Paths(property.PropertyType, path + ".", boolsOnly))
                {
                    yield return child;
                }
            }
        }
    }
}
