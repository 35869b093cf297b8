using System.CommandLine;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// The local security commands of rollbackmesh-coordinator: <c>init</c>, <c>token create</c>, <c>operator add</c>,
/// <c>node remove</c>. Each works on the files under --data (and the store's audit log); none needs the server running.
/// Add them to the root command with <see cref="All"/>.
/// </summary>
internal static class SecurityCommands
{
    /// <summary>Exit code for a refused or failed command.</summary>
    public const int Failed = 1;

    /// <summary>Exit code for a bad command line.</summary>
    public const int Usage = 2;

    /// <summary>All four commands.</summary>
    public static IEnumerable<Command> All() => [Init(), Token(), Operator(), Node()];

    /// <summary><c>init --data DIR [--san NAME]...</c>.</summary>
    public static Command Init()
    {
        var data = DataOption();
        var san = new Option<string[]>("--san") { Description = "Extra DNS name or IP address for the server certificate (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("init", "Create the CA and the server certificate under --data (existing keys are kept).") { data, san };
        command.SetAction(result => Run(() =>
        {
            new CoordinatorInitializer(TimeProvider.System).Initialize(new SecurityPaths(result.GetValue(data)!), result.GetValue(san) ?? [], Console.Out);
            return 0;
        }));
        return command;
    }

    /// <summary><c>token create --data DIR [--ttl 1h] [--uses N]</c>.</summary>
    public static Command Token()
    {
        var data = DataOption();
        var ttl = new Option<string>("--ttl") { Description = "How long the token is valid: 30m, 1h, 2d. Default 1h.", DefaultValueFactory = _ => "1h" };
        var uses = new Option<int>("--uses") { Description = "How many enrollments it allows (0: unlimited until it expires). Default 1.", DefaultValueFactory = _ => 1 };
        var create = new Command("create", "Create a join token and print it (only this once).") { data, ttl, uses };
        create.SetAction((result, _) => RunAsync(async () =>
        {
            if (!TryParseDuration(result.GetValue(ttl)!, out var lifetime) || result.GetValue(uses) < 0)
            {
                await Console.Error.WriteLineAsync("token create: --ttl must be like 30m, 1h or 2d and --uses at least 0.").ConfigureAwait(false);
                return Usage;
            }

            await using var context = SecurityCommandContext.Open(result.GetValue(data)!);
            var token = new JoinTokenService(context.State, context.Time).Create(context.Authority.Fingerprint, lifetime, result.GetValue(uses));
            await context.Audit.RecordAsync(SecurityCommandContext.LocalUser, "token.create", "", $"token {token.Id}, ttl {lifetime}, uses {result.GetValue(uses)}").ConfigureAwait(false);
            await Console.Out.WriteLineAsync(token.Format()).ConfigureAwait(false);
            return 0;
        }));
        return new Command("token", "Join tokens for enrolling agents.") { create };
    }

    /// <summary><c>operator add NAME --data DIR [--out DIR]</c>.</summary>
    public static Command Operator()
    {
        var data = DataOption();
        var name = new Argument<string>("name") { Description = "The operator's name (recorded in the audit log)." };
        var output = new Option<string?>("--out") { Description = "Where NAME.crt, NAME.key and ca.crt are written. Default: the current directory." };
        var add = new Command("add", "Issue an operator client certificate.") { name, data, output };
        add.SetAction((result, _) => RunAsync(async () =>
        {
            await using var context = SecurityCommandContext.Open(result.GetValue(data)!);
            var writer = new OperatorCredentialWriter(context.Authority, context.Ledger, new SecurityOptions(), context.Time);
            var (certificate, key, ca) = writer.Write(result.GetValue(name)!, result.GetValue(output) ?? Directory.GetCurrentDirectory());
            await context.Audit.RecordAsync(SecurityCommandContext.LocalUser, "operator.add", "", $"operator {result.GetValue(name)}").ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Wrote {certificate}, {key} (mode 0600) and {ca}.").ConfigureAwait(false);
            return 0;
        }));
        return new Command("operator", "Operator credentials.") { add };
    }

    /// <summary><c>node remove NAME --data DIR</c>.</summary>
    public static Command Node()
    {
        var data = DataOption();
        var name = new Argument<string>("name") { Description = "The node to remove." };
        var remove = new Command("remove", "Revoke every certificate of a node; it must enroll again with a new token.") { name, data };
        remove.SetAction((result, _) => RunAsync(async () =>
        {
            var node = result.GetValue(name)!;
            await using var context = SecurityCommandContext.Open(result.GetValue(data)!);
            var count = context.Ledger.RevokeAll(PeerKind.Node, node, "node remove by " + SecurityCommandContext.LocalUser);
            await context.Audit.RecordAsync(SecurityCommandContext.LocalUser, "node.remove", "", $"node {node}: {count} certificate(s) revoked").ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Node {node}: {count} certificate(s) revoked.").ConfigureAwait(false);
            return 0;
        }));
        return new Command("node", "Enrolled nodes.") { remove };
    }

    /// <summary>Parses 90s, 30m, 1h, 2d, or a TimeSpan (00:30:00).</summary>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), out var n) && n > 0)
        {
            value = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => default,
            };
        }
        else if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }

        return value > TimeSpan.Zero;
    }

    private static Option<string> DataOption() => new("--data") { Description = "The coordinator's state directory.", Required = true };

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            Console.Error.WriteLine("rollbackmesh-coordinator: " + ex.Message);
            return Failed;
        }
    }

    private static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync("rollbackmesh-coordinator: " + ex.Message).ConfigureAwait(false);
            return Failed;
        }
    }
}
