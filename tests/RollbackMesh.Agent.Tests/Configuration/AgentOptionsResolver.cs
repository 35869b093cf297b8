using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Hosting;

namespace RollbackMesh.Agent.Tests.Configuration;

/// <summary>Resolves <see cref="AgentOptions"/> the way the agent does: file, environment, binder and validators.</summary>
internal static class AgentOptionsResolver
{
    /// <summary>The validated options for the file at <paramref name="path"/>; throws OptionsValidationException.</summary>
    public static AgentOptions Resolve(string path, IDictionary<string, string?>? environment = null)
    {
        var builder = AgentHostFactory.CreateBuilder(new AgentCommandLine(path), environment ?? new Dictionary<string, string?>());
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }
}
