using System.Diagnostics;
using System.Globalization;
using RollbackMesh.Benchmarks.Agent;

// Usage: RollbackMesh.Benchmarks.Agent --agent PATH [--at 30,600] [--maps N] [--env NAME=VALUE]...
//   PATH: the published agent (a native executable, or a .dll run with `dotnet`).
//   --at: seconds after the first Hello at which to print the RSS; the run ends at the last one.
//   --maps N: also print the N mappings with the most resident memory and the number of assemblies mapped.
//   --env: an environment variable for the agent (e.g. DOTNET_TieredCompilation=0), to measure runtime settings.
// Prints time from process start to the first Hello, and idle RSS / CPU while holding one stream.
var agentPath = Arg("--agent") ?? throw new ArgumentException("--agent PATH is required");
var checkpoints = (Arg("--at") ?? "30").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().ToArray();
var maps = int.Parse(Arg("--maps") ?? "0", CultureInfo.InvariantCulture);
await using var hub = new MinimalHub();
await hub.StartAsync();
var work = Directory.CreateTempSubdirectory("rbm-bench-agent-").FullName;
var config = Path.Combine(work, "agent.yaml");
await File.WriteAllTextAsync(config, $"""
    nodeName: bench-node
    roles: [agent]
    cluster: test
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

var connected = Stopwatch.StartNew();
var cpuBefore = ProcessSampler.CpuTime(agent.Id);
var rss = new List<long>(); // one sample a second from the first Hello
foreach (var at in checkpoints)
{
    while (connected.Elapsed < TimeSpan.FromSeconds(at))
    {
        rss.Add(ProcessSampler.RssKiB(agent.Id));
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    Console.WriteLine($"RSS at {at} s after the first Hello: {ProcessSampler.RssKiB(agent.Id) / 1024.0:0.0} MiB");
}

var cpu = ProcessSampler.CpuTime(agent.Id) - cpuBefore;
var (anon, file, shmem, pss) = ProcessSampler.Breakdown(agent.Id);
Console.WriteLine($"RSS over {connected.Elapsed.TotalSeconds:0} s: min {rss.Min() / 1024.0:0.0} MiB, max {rss.Max() / 1024.0:0.0} MiB");
Console.WriteLine($"  at the end: anonymous {anon / 1024.0:0.0} MiB, file-backed {file / 1024.0:0.0} MiB, shmem {shmem / 1024.0:0.0} MiB; PSS {pss / 1024.0:0.0} MiB");
Console.WriteLine($"CPU from the first Hello on: {cpu.TotalMilliseconds:0} ms over {connected.Elapsed.TotalSeconds:0} s = {100 * cpu.TotalSeconds / connected.Elapsed.TotalSeconds:0.00}% of one core");
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
