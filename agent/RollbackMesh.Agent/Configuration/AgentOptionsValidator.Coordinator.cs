namespace RollbackMesh.Agent.Configuration;

internal sealed partial class AgentOptionsValidator
{
    private static IEnumerable<string> CheckCoordinator(CoordinatorOptions coordinator)
    {
        if (string.IsNullOrWhiteSpace(coordinator.Address))
        {
            yield return "coordinator.address: required (https://host:port)";
        }
        else if (!Uri.TryCreate(coordinator.Address, UriKind.Absolute, out var uri) || uri.Host.Length == 0
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"coordinator.address: '{coordinator.Address}' is not an https:// URL";
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !coordinator.Insecure)
        {
            yield return $"coordinator.address: '{coordinator.Address}' is plaintext http://; use https:// or set coordinator.insecure: true";
        }
        else if (uri.Scheme == Uri.UriSchemeHttps)
        {
            foreach (var problem in CheckTls(coordinator))
            {
                yield return problem;
            }
        }

        if (!Durations.TryParse(coordinator.KeepAliveInterval, out var ping) || ping < TimeSpan.FromSeconds(1))
        {
            yield return $"coordinator.keepAliveInterval: '{coordinator.KeepAliveInterval}' must be a duration of at least 1s";
        }

        if (!Durations.TryParse(coordinator.KeepAliveTimeout, out var timeout) || timeout < TimeSpan.FromSeconds(1))
        {
            yield return $"coordinator.keepAliveTimeout: '{coordinator.KeepAliveTimeout}' must be a duration of at least 1s";
        }
    }
}
