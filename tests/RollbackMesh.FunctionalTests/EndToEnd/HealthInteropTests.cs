using System.Diagnostics;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>
/// An independent gRPC implementation — Debian's python3-grpcio, with stubs generated here by protoc and
/// grpc_python_plugin from the standard health.proto kept for the Python peers
/// (tests/RollbackMesh.Protos.Tests/Interop/proto) — checks the running coordinator's health.
/// </summary>
public sealed class HealthInteropTests(ITestOutputHelper log)
{
    private const string Python = "/usr/bin/python3";
    private const string Protoc = "/usr/bin/protoc";
    private const string GrpcPythonPlugin = "/usr/bin/grpc_python_plugin";

    private const string Script = """
        import sys
        sys.path.insert(0, sys.argv[1])
        import grpc, health_pb2, health_pb2_grpc
        names = health_pb2.HealthCheckResponse.ServingStatus
        with grpc.insecure_channel(sys.argv[2], options=[("grpc.enable_http_proxy", 0)]) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            for service in ["", "rollbackmesh.v1.AgentHub", "rollbackmesh.v1.Operator"]:
                reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=20)
                print("check %r %s" % (service, names.Name(reply.status)))
            try:
                stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=20)
                print("check 'no.such.Service' answered")
            except grpc.RpcError as error:
                print("check 'no.such.Service' %s" % error.code().name)
        """;

    [Fact]
    public async Task Check_PythonGrpcioAgainstRunningCoordinator_Serving()
    {
        foreach (var tool in new[] { Python, Protoc, GrpcPythonPlugin })
        {
            Assert.True(File.Exists(tool), $"{tool} is missing: run tests/install-test-deps.sh (python3-grpcio, protobuf-compiler, protobuf-compiler-grpc).");
        }

        var work = Directory.CreateTempSubdirectory("rollbackmesh-grpcio-").FullName;
        try
        {
            var protoDir = Path.Combine(BuiltExecutables.RepositoryRoot, "tests", "RollbackMesh.Protos.Tests", "Interop", "proto");
            await RunAsync(Protoc, $"-I{protoDir}", $"--python_out={work}", $"--grpc_out={work}", $"--plugin=protoc-gen-grpc={GrpcPythonPlugin}", Path.Combine(protoDir, "health.proto"));
            var script = Path.Combine(work, "check.py");
            await File.WriteAllTextAsync(script, Script);
            using var coordinator = await CoordinatorProcess.StartAsync(log);

            var output = await RunAsync(Python, script, work, coordinator.Target);

            Assert.Contains("check '' SERVING", output, StringComparison.Ordinal);
            Assert.Contains("check 'rollbackmesh.v1.AgentHub' SERVING", output, StringComparison.Ordinal);
            Assert.Contains("check 'rollbackmesh.v1.Operator' SERVING", output, StringComparison.Ordinal);
            Assert.Contains("check 'no.such.Service' NOT_FOUND", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<string> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        var output = await stdout + await stderr;
        log.WriteLine($"$ {file} {string.Join(' ', args)}  (exit {process.ExitCode})\n{output}");
        Assert.True(process.ExitCode == 0, $"{file} failed with {process.ExitCode}:\n{output}");
        return output;
    }
}
