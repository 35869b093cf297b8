using System.Collections.Immutable;
using System.Reflection;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// Every runbook the coordinator offers: the built-ins embedded in this assembly (resources named
/// <c>RollbackMesh.Runbooks.&lt;file&gt;.yaml</c>) plus <c>*.yaml</c>/<c>*.yml</c> files of an optional directory.
/// A directory runbook may not reuse a built-in's name. Loading fails with every error of every file at once.
/// </summary>
internal sealed class RunbookCatalog
{
    private const string ResourcePrefix = "RollbackMesh.Runbooks.";

    private readonly ImmutableSortedDictionary<string, Runbook> _runbooks;

    private RunbookCatalog(ImmutableSortedDictionary<string, Runbook> runbooks) => _runbooks = runbooks;

    /// <summary>Every runbook, by name.</summary>
    public IEnumerable<Runbook> All => _runbooks.Values;

    /// <summary>Loads the built-ins and, when <paramref name="directory"/> is set, the runbooks in it.</summary>
    /// <exception cref="RunbookValidationException">Any runbook is invalid or a name is taken twice.</exception>
    public static RunbookCatalog Load(string? directory = null)
    {
        var results = new List<RunbookLoadResult>();
        var assembly = typeof(RunbookCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(IsRunbookResource).Order(StringComparer.Ordinal))
        {
            results.Add(RunbookLoader.Load(ReadResource(assembly, resource), resource, builtIn: true));
        }

        if (directory is not null)
        {
            if (!Directory.Exists(directory))
            {
                throw new RunbookValidationException([new RunbookError(directory, SourcePosition.None, "runbook directory does not exist")]);
            }

            foreach (var path in Directory.EnumerateFiles(directory)
                         .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
                         .Order(StringComparer.Ordinal))
            {
                results.Add(RunbookLoader.LoadFile(path));
            }
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

        return errors.Count > 0
            ? throw new RunbookValidationException([.. errors])
            : new RunbookCatalog(byName.ToImmutableSortedDictionary(StringComparer.Ordinal));
    }

    public bool TryGet(string name, out Runbook runbook) => _runbooks.TryGetValue(name, out runbook!);

    /// <exception cref="KeyNotFoundException">No runbook has that name.</exception>
    public Runbook Get(string name) => TryGet(name, out var runbook)
        ? runbook
        : throw new KeyNotFoundException($"no runbook named '{name}' (known: {string.Join(", ", _runbooks.Keys)})");

    private static bool IsRunbookResource(string name) =>
        name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal);

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
