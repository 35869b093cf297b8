using System.Diagnostics;
using System.Globalization;
using RollbackMesh.Benchmarks.Agent;

// Usage: RollbackMesh.Benchmarks.Agent --agent PATH [--seconds 20] [--maps N] [--env NAME=VALUE]...
//   PATH: the published agent (a native executable, or a .dll run with `dotnet`).
//   --maps N: also print the N mappings with the most resident memory and the number of assemblies mapped.
//   --env: an environment variable for the agent (e.g. DOTNET_TieredCompilation=0), to measure runtime settings.
// Prints time from process start to the first Hello, and idle RSS / CPU while holding one stream.
var agentPath = Arg("--agent") ?? throw new ArgumentException("--agent PATH is required");
var seconds = int.Parse(Arg("--seconds") ?? "20", CultureInfo.InvariantCulture);
var maps = int.Parse(Arg("--maps") ?? "0", CultureInfo.InvariantCulture);

await using var hub = new MinimalHub();
await hub.StartAsync();
var work = Directory.CreateTempSubdirectory("rbm-bench-agent-").FullName;
var config = Path.Combine(work, "agent.yaml");
await File.WriteAllTextAsync(config, $"""
    nodeName: bench-node
    roles: [agent]
    coordinator:
      address: http://127.0.0.1:{hub.Port}
      insecure: true
    journalPath: {work}/journal.db
    quarantinePath: {work}/quarantine
    k3sDataDir: {work}/k3s
    dataDirectories: [{work}]
    healthInterval: 10s
    logLevel: Warning
    """);

var start = new ProcessStartInfo(agentPath.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : agentPath) { UseShellExecute = false };
if (agentPath.EndsWith(".dll", StringComparison.Ordinal))
{
    start.ArgumentList.Add(agentPath);
}

foreach (var setting in args.Where((_, i) => i > 0 && args[i - 1] == "--env"))
{
    var eq = setting.IndexOf('=', StringComparison.Ordinal);
    start.Environment[setting[..eq]] = setting[(eq + 1)..];
}

start.ArgumentList.Add("--config");
start.ArgumentList.Add(config);
var started = DateTime.UtcNow;
using var agent = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent");
var hello = await hub.FirstHello.WaitAsync(TimeSpan.FromSeconds(30));
Console.WriteLine($"agent: {agentPath}");
Console.WriteLine($"start -> first Hello on the stream: {(hello - started).TotalMilliseconds:0} ms");

await Task.Delay(TimeSpan.FromSeconds(2)); // let start-up work (JIT, first health report) settle
var cpuBefore = ProcessSampler.CpuTime(agent.Id);
var rss = new List<long>();
var clock = Stopwatch.StartNew();
while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
{
    rss.Add(ProcessSampler.RssKiB(agent.Id));
    await Task.Delay(TimeSpan.FromSeconds(1));
}

var cpu = ProcessSampler.CpuTime(agent.Id) - cpuBefore;
var (anon, file, shmem, pss) = ProcessSampler.Breakdown(agent.Id);
// The agent gives start-up memory back 3 s after it connects (Memory/IdleFootprintService): the first sample shows
// start-up, the idle figures leave out the samples before that release has surely happened.
const int idleFrom = 3; // samples 1 s apart from 2 s after the Hello: from the fourth (5 s) on, the release has run
var idle = rss.Count > idleFrom ? rss.Skip(idleFrom).ToList() : rss;
Console.WriteLine($"start-up RSS (2 s after the first Hello): {rss[0] / 1024.0:0.0} MiB");
Console.WriteLine($"idle over {clock.Elapsed.TotalSeconds:0} s: RSS min {idle.Min() / 1024.0:0.0} MiB, max {idle.Max() / 1024.0:0.0} MiB, last {idle[^1] / 1024.0:0.0} MiB");
Console.WriteLine($"  of which anonymous {anon / 1024.0:0.0} MiB, file-backed {file / 1024.0:0.0} MiB, shmem {shmem / 1024.0:0.0} MiB; PSS {pss / 1024.0:0.0} MiB");
Console.WriteLine($"idle CPU: {cpu.TotalMilliseconds:0} ms over {clock.Elapsed.TotalSeconds:0} s = {100 * cpu.TotalSeconds / clock.Elapsed.TotalSeconds:0.00}% of one core");
Console.WriteLine($"health reports received: {hub.HealthReports}");
if (maps > 0)
{
    Console.WriteLine($"assemblies mapped: {MappingReport.MappedAssemblies(agent.Id)}; largest mappings (resident):");
    foreach (var (name, kib) in MappingReport.Top(agent.Id, maps))
    {
        Console.WriteLine($"  {kib / 1024.0,6:0.0} MiB  {name}");
    }
}

var stopClock = Stopwatch.StartNew();
Process.Start("kill", ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
Console.WriteLine($"SIGTERM -> exit: {stopClock.ElapsedMilliseconds} ms, exit code {agent.ExitCode}");
Directory.Delete(work, recursive: true);
return agent.ExitCode;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
