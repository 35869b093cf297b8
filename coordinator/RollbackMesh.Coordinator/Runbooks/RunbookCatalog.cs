using System.Collections.Immutable;
using System.Reflection;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// Every runbook the coordinator offers: the built-ins embedded in this assembly (resources named
/// <c>RollbackMesh.Runbooks.&lt;file&gt;.yaml</c>) plus <c>*.yaml</c>/<c>*.yml</c> files of an optional directory,
/// read within <see cref="RunbookLimits"/>. A directory runbook may not reuse a built-in's name. A file with any
/// problem is refused with every problem it has (<see cref="Refused"/>); the other runbooks are offered all the same.
/// </summary>
internal sealed class RunbookCatalog
{
    private const string ResourcePrefix = "RollbackMesh.Runbooks.";

    private readonly ImmutableSortedDictionary<string, Runbook> _runbooks;

    private RunbookCatalog(ImmutableSortedDictionary<string, Runbook> runbooks, ImmutableArray<RunbookError> refused)
    {
        _runbooks = runbooks;
        Refused = refused;
    }

    /// <summary>Every runbook, by name.</summary>
    public IEnumerable<Runbook> All => _runbooks.Values;

    /// <summary>Every problem of every refused file, in file then line order; empty when all loaded.</summary>
    public ImmutableArray<RunbookError> Refused { get; }

    /// <summary>Loads the built-ins and, when <paramref name="directory"/> is set, the runbooks in it.</summary>
    /// <exception cref="RunbookValidationException">The directory does not exist, or a built-in is invalid.</exception>
    public static RunbookCatalog Load(string? directory = null, RunbookLimits? limits = null) =>
        Load(directory is null ? [] : [directory], limits);

    /// <summary>Loads the built-ins and the runbooks in each of <paramref name="directories"/> (a name may be used once in all).</summary>
    /// <exception cref="RunbookValidationException">A directory does not exist, or a built-in is invalid.</exception>
    public static RunbookCatalog Load(IReadOnlyList<string> directories, RunbookLimits? limits = null)
    {
        limits ??= new RunbookLimits();
        var builtIns = new List<RunbookLoadResult>();
        var assembly = typeof(RunbookCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(IsRunbookResource).Order(StringComparer.Ordinal))
        {
            builtIns.Add(RunbookLoader.Load(ReadResource(assembly, resource), resource, builtIn: true));
        }

        // A broken built-in is a defect of this build, not of the site's configuration: nothing to offer without it.
        if (builtIns.Any(r => !r.Errors.IsEmpty))
        {
            throw new RunbookValidationException([.. builtIns.SelectMany(r => r.Errors)]);
        }

        var results = new List<RunbookLoadResult>(builtIns);
        var missing = directories.Where(d => !Directory.Exists(d)).ToList();
        if (missing.Count > 0)
        {
            throw new RunbookValidationException([.. missing.Select(d => new RunbookError(d, SourcePosition.None, "runbook directory does not exist"))]);
        }

        foreach (var directory in directories)
        {
            results.AddRange(LoadDirectory(directory, limits));
        }

        var errors = results.SelectMany(r => r.Errors).ToList();
        var byName = new SortedDictionary<string, Runbook>(StringComparer.Ordinal);
        foreach (var runbook in results.Select(r => r.Runbook).OfType<Runbook>())
        {
            if (byName.TryGetValue(runbook.Name, out var existing))
            {
                var what = existing.BuiltIn ? "a built-in runbook" : $"the runbook in {existing.SourceName}";
                errors.Add(new RunbookError(runbook.SourceName, new SourcePosition(1, 1), $"runbook name '{runbook.Name}' is already used by {what}"));
                continue;
            }

            byName.Add(runbook.Name, runbook);
        }

        return new RunbookCatalog(byName.ToImmutableSortedDictionary(StringComparer.Ordinal), [.. errors]);
    }

    public bool TryGet(string name, out Runbook runbook) => _runbooks.TryGetValue(name, out runbook!);

    /// <exception cref="KeyNotFoundException">No runbook has that name.</exception>
    public Runbook Get(string name) => TryGet(name, out var runbook)
        ? runbook
        : throw new KeyNotFoundException($"no runbook named '{Clip(name)}' (known: {KnownNames()})");

    /// <summary>
    /// The first <paramref name="max"/> names, then how many more: an error's text goes in a gRPC trailer, which must
    /// stay small at any catalogue size.
    /// </summary>
    public string KnownNames(int max = 20)
    {
        var names = string.Join(", ", _runbooks.Keys.Take(max).Select(n => Clip(n)));
        return _runbooks.Count > max ? $"{names} and {_runbooks.Count - max} more; `rollbackmesh runbooks` lists them" : names;
    }

    /// <summary>A name as an error may quote it: at most <paramref name="max"/> characters.</summary>
    public static string Clip(string name, int max = 100) => name.Length > max ? name[..max] + "..." : name;

    private static IEnumerable<RunbookLoadResult> LoadDirectory(string directory, RunbookLimits limits)
    {
        long total = 0;
        foreach (var path in Directory.EnumerateFiles(directory)
                     .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            // A file refused for its own size is not read, so it takes nothing from the directory's budget.
            var size = SizeOf(path);
            if (size <= limits.MaxFileBytes && total + size > limits.MaxDirectoryBytes)
            {
                yield return new RunbookLoadResult(null, [new RunbookError(path, SourcePosition.None,
                    $"not read: with it the runbook files would total {RunbookLoader.FormatSize(total + size)}, over the {RunbookLoader.FormatSize(limits.MaxDirectoryBytes)} limit per runbook directory")]);
                continue;
            }

            if (size <= limits.MaxFileBytes)
            {
                total += size;
            }

            yield return RunbookLoader.LoadFile(path, limits.MaxFileBytes);
        }
    }

    /// <summary>The file's size; 0 when it cannot be read, which <see cref="RunbookLoader.LoadFile"/> then reports.</summary>
    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool IsRunbookResource(string name) =>
        name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal);

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return RunbookText.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name, out var error)
            ?? throw new RunbookValidationException([error!]);
    }
}
