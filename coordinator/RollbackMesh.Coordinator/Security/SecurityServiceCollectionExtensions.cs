using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RollbackMesh.Coordinator.Security;

/// <summary>Registers the coordinator's security parts (the CA, tokens, ledger, identity resolution, enrollment).</summary>
internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the security services for the material in <paramref name="credentials"/> (loaded by the caller with
    /// <see cref="CoordinatorCredentials.Load"/>, so a missing file fails before the host is built). The caller registers
    /// <see cref="Audit.AuditLog"/>.
    /// </summary>
    public static IServiceCollection AddCoordinatorSecurity(
        this IServiceCollection services, SecurityPaths paths, CoordinatorCredentials credentials, Action<SecurityOptions>? configure = null)
    {
        var options = new SecurityOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(paths);
        services.AddSingleton(credentials);
        services.AddSingleton(credentials.Authority);
        services.AddSingleton<SecurityStateFile>();
        services.AddSingleton<CertificateLedger>();
        services.AddSingleton<JoinTokenService>();
        services.AddSingleton(sp => new PeerIdentityResolver(
            credentials.Authority.Certificate, sp.GetRequiredService<CertificateLedger>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<EnrollmentRateLimiter>();
        services.AddSingleton<EnrollmentHandler>();
        services.AddSingleton<PeerAuthorizer>();
        services.AddHostedService<RevocationWatcher>(); // revocation closes open agent streams (needs the core's hub and registry)
        return services;
    }

    /// <summary>
    /// Adds the security services when <c>init</c> has created the CA under <paramref name="dataDirectory"/>; does
    /// nothing otherwise (an insecure or externally provisioned coordinator then has no enrollment).
    /// </summary>
    public static IServiceCollection AddCoordinatorSecurityIfInitialized(
        this IServiceCollection services, string dataDirectory, Action<SecurityOptions>? configure = null)
    {
        var paths = new SecurityPaths(dataDirectory);
        return IsInitialized(paths) ? services.AddCoordinatorSecurity(paths, CoordinatorCredentials.Load(paths), configure) : services;
    }

    /// <summary>Whether <c>init</c> has run for <paramref name="paths"/> (the CA key exists).</summary>
    public static bool IsInitialized(SecurityPaths paths) => File.Exists(paths.CaKey);
}
