using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// Gives back the memory of a connection flood once it is over. Each connection's TLS state and HTTP/2 buffers are
/// freed when it closes, but an idle coordinator allocates too little for the GC to run again, and glibc keeps freed
/// native blocks (OpenSSL's) in its arenas: without this, 2,000 closed TLS connections left ~130 MiB resident for good.
/// Every <see cref="CheckInterval"/>, if at least <see cref="TrimAfterClosed"/> fewer connections are open than at the
/// peak since the last check, it runs a compacting GC that decommits free memory, then malloc_trim.
/// </summary>
internal sealed partial class ConnectionMemoryTrim(PeerConnectionLimiter connections, TimeProvider time, ILogger<ConnectionMemoryTrim> logger)
    : BackgroundService
{
    /// <summary>How often the drop in open connections is looked at.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    /// <summary>Closed connections that make a trim worth its pause (a few ms per 100 MiB of heap).</summary>
    public const int TrimAfterClosed = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (connections.TakeDropSincePeak() is var closed && closed >= TrimAfterClosed)
                {
                    var before = Environment.WorkingSet;
                    Trim();
                    Log.Trimmed(logger, closed, (before - Environment.WorkingSet) / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static void Trim()
    {
        // Finalizers release what a SafeHandle's owner did not dispose; the second collection frees what they dropped.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): the managed part is still returned.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static partial class Log
    {
        [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "{Closed} connections closed since the peak: memory trimmed by {ReleasedMiB} MiB to {ResidentMiB} MiB")]
        public static partial void Trimmed(ILogger logger, int closed, long releasedMiB, long residentMiB);
    }
}
