using RollbackMesh.Agent.Enrollment;
using RollbackMesh.Protos.Enrollment;

namespace RollbackMesh.Agent.Configuration;

internal sealed partial class AgentOptionsValidator
{
    // With a join token and no certificate yet, the agent enrolls and writes the three files itself, so they may be
    // missing; their paths are still required (that is where enrollment writes). Messages never contain the token.
    private static IEnumerable<string> CheckTls(CoordinatorOptions coordinator)
    {
        var hasToken = !string.IsNullOrWhiteSpace(coordinator.Token);
        if (hasToken && !JoinToken.TryParse(coordinator.Token, out _))
        {
            yield return "coordinator.token: not a join token (expected K10<CA fingerprint>::<id>.<secret>, as printed by 'rollbackmesh-coordinator token create')";
        }

        var willEnroll = hasToken && !string.IsNullOrWhiteSpace(coordinator.Tls.Cert) && !File.Exists(coordinator.Tls.Cert);
        foreach (var (key, path) in new[] { ("ca", coordinator.Tls.Ca), ("cert", coordinator.Tls.Cert), ("key", coordinator.Tls.Key) })
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                yield return $"coordinator.tls.{key}: required for an https:// coordinator address";
            }
            else if (!willEnroll && !File.Exists(path))
            {
                yield return key == "cert" && !hasToken
                    ? $"coordinator.tls.cert: file '{path}' does not exist (set coordinator.token to enroll this node)"
                    : $"coordinator.tls.{key}: file '{path}' does not exist";
            }
        }
    }
}
