using System.Runtime.InteropServices;

namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>kill(2): .NET can only SIGKILL a process, but systemd needs SIGTERM to stop its units in order.</summary>
internal static partial class NativeSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static void Send(int pid, int signal) => _ = Kill(pid, signal);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
