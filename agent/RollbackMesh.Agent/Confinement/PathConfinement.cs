namespace RollbackMesh.Agent.Confinement;

/// <summary>
/// Confines path arguments to configured roots. A path is resolved the way the kernel would walk it: component
/// by component, following every symlink (also in parent directories) before applying "..", so neither
/// traversal nor a link can reach outside. A leaf (or tail) that does not exist yet is resolved through its
/// deepest existing parent. Only the resolved path is used afterwards.
/// </summary>
internal sealed class PathConfinement
{
    private const int MaxLinks = 40;
    private readonly IReadOnlyList<string> _roots;

    /// <summary>Creates the confinement; each root is itself resolved so a symlinked root compares correctly.</summary>
    public PathConfinement(IEnumerable<string> allowedRoots)
    {
        _roots = allowedRoots.Select(r => Resolve(r, r)).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The resolved allowed roots.</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>Resolves <paramref name="path"/> and returns it when it lies under an allowed root.</summary>
    /// <exception cref="PathConfinementException">Outside every root, relative, empty, or a symlink loop.</exception>
    public string Confine(string path)
    {
        var resolved = Resolve(path, path);
        foreach (var root in _roots)
        {
            if (resolved == root || resolved.StartsWith(root == "/" ? root : root + "/", StringComparison.Ordinal))
            {
                return resolved;
            }
        }

        var shown = resolved == path ? string.Empty : $" (resolves to '{resolved}')";
        throw new PathConfinementException(path, $"outside the allowed roots{shown}");
    }

    /// <summary>Resolves symlinks and "." / ".." the way path lookup does, without requiring the leaf to exist.</summary>
    internal static string Resolve(string path, string original)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new PathConfinementException(original, "empty or contains NUL");
        }

        if (!path.StartsWith('/'))
        {
            throw new PathConfinementException(original, "not an absolute path");
        }

        var pending = new Stack<string>(Enumerable.Reverse(path.Split('/', StringSplitOptions.RemoveEmptyEntries)));
        var current = new List<string>();
        var links = 0;
        var existing = true;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (current.Count > 0)
                {
                    current.RemoveAt(current.Count - 1);
                }

                // Going back up out of a missing component: links below the parent must be followed again.
                existing = Directory.Exists("/" + string.Join('/', current));
                continue;
            }

            var candidate = "/" + string.Join('/', current.Append(part));
            string? target = null;
            if (existing)
            {
                var info = new FileInfo(candidate);
                if (info.LinkTarget is { } link)
                {
                    target = link;
                }
                else if (!info.Exists && !Directory.Exists(candidate))
                {
                    // Nothing below a missing component can be a link: the rest is taken literally.
                    existing = false;
                }
            }

            if (target is null)
            {
                current.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new PathConfinementException(original, "too many levels of symbolic links");
            }

            if (target.StartsWith('/'))
            {
                current.Clear();
            }

            foreach (var p in Enumerable.Reverse(target.Split('/', StringSplitOptions.RemoveEmptyEntries)))
            {
                pending.Push(p);
            }
        }

        return "/" + string.Join('/', current);
    }
}
