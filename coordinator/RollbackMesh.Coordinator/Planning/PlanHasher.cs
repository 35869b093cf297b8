using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// SHA-256 over a canonical serialisation of everything in a plan except the hash itself: runbook identity, the
/// cluster, parameters (sorted), preflight, phases, waves, nodes, every step (ids, flags, timeout, source and the action's
/// protobuf bytes) and gates. Every string is length-prefixed, so no two different plans serialise alike.
/// </summary>
internal static class PlanHasher
{
    private const string Format = "rollbackmesh-plan/1";

    /// <summary>
    /// A plan with a cluster names it right after this format tag; one without keeps format 1's bytes, so the hash of a
    /// run stored before plans had clusters is still what its retry checks.
    /// </summary>
    private const string ClusterFormat = "rollbackmesh-plan/2";

    /// <summary>Lower-case hex, prefixed <c>sha256:</c>.</summary>
    public static string Compute(Plan plan)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new Writer(hash);
        if (plan.Cluster.Length == 0)
        {
            writer.Text(Format);
        }
        else
        {
            writer.Text(ClusterFormat).Text(plan.Cluster);
        }

        writer.Text(plan.Runbook).Text(plan.RunbookVersion).Text(plan.Procedure);
        writer.Number(plan.Parameters.Count);
        foreach (var (name, value) in plan.Parameters)
        {
            // A secret enters as its SHA-256, so the hash changes with it without the plan text holding it.
            writer.Text(name).Text(plan.SecretParameters.Contains(name) ? "secret:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))) : value);
        }

        writer.Number(plan.Preflight.Length);
        foreach (var step in plan.Preflight)
        {
            writer.Step(step);
        }

        writer.Number(plan.Phases.Length);
        foreach (var phase in plan.Phases)
        {
            writer.Text(phase.Name).Text(phase.Selector).Number((int)phase.Mode).Number(phase.MaxConcurrency).Number(phase.FailureBudget);
            writer.Number(phase.Waves.Length);
            foreach (var wave in phase.Waves)
            {
                writer.Number(wave.Index).Number(wave.Nodes.Length);
                foreach (var node in wave.Nodes)
                {
                    writer.Text(node.Node).Number(node.Steps.Length);
                    foreach (var step in node.Steps)
                    {
                        writer.Step(step);
                    }
                }
            }

            writer.Number(phase.Gate is null ? -1 : phase.Gate.Checks.Length);
            if (phase.Gate is { } gate)
            {
                writer.Number(gate.Timeout.Ticks);
                foreach (var check in gate.Checks)
                {
                    writer.Number((int)check.Kind).Text(check.Target).Text(check.Argument);
                }
            }
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class Writer(IncrementalHash hash)
    {
        public Writer Text(string text) => Bytes(Encoding.UTF8.GetBytes(text));

        public Writer Bytes(byte[] bytes)
        {
            Number(bytes.Length);
            hash.AppendData(bytes);
            return this;
        }

        public Writer Number(long value)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(buffer, value);
            hash.AppendData(buffer);
            return this;
        }

        public Writer Step(PlanStep step)
        {
            Text(step.StepId).Text(step.Phase).Text(step.Node).Text(step.Name).Bytes(step.Action.ToByteArray());
            Number(step.Timeout.Ticks).Number(step.Irreversible ? 1 : 0).Number(step.RequiresApproval ? 1 : 0);
            return Text(step.Source);
        }
    }
}
