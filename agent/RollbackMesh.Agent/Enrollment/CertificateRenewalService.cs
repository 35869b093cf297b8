using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>
/// Checks the client certificate at start and then every <see cref="CheckInterval"/>, and renews it over mTLS once
/// less than a third of its lifetime is left (<see cref="AgentCredentials.RenewIfDueAsync"/>). A failed renewal is
/// logged and retried at the next check; the current certificate stays in use meanwhile, and the next connection uses
/// the renewed one. Idle for an insecure coordinator; does nothing before the agent has enrolled.
/// </summary>
internal sealed class CertificateRenewalService(AgentCredentials credentials, TimeProvider time, ILogger<CertificateRenewalService> logger)
    : BackgroundService
{
    /// <summary>How often the certificate's age is checked. Default: one hour.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (credentials.Paths is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(CheckInterval, time);
        do
        {
            await CheckOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One check; returns whether the certificate was renewed.</summary>
    internal async Task<bool> CheckOnceAsync(CancellationToken ct)
    {
        try
        {
            using var renewed = await credentials.RenewIfDueAsync(ct).ConfigureAwait(false);
            if (renewed is null)
            {
                return false;
            }

            EnrollmentLog.Renewed(logger, renewed.SerialNumber, renewed.NotAfter.ToUniversalTime());
            return true;
        }
        catch (Exception ex) when (ex is EnrollmentException or IOException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException)
        {
            EnrollmentLog.RenewalFailed(logger, CheckInterval, ex.Message);
            return false;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
