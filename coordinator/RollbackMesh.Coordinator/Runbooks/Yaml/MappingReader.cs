using System.Globalization;

namespace RollbackMesh.Coordinator.Runbooks.Yaml;

/// <summary>
/// Typed access to one mapping of a runbook. On construction it reports unknown and duplicate keys; each getter
/// reports a wrongly typed value and returns a fallback, so reading continues and every problem is collected.
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, KeyValuePair<DocScalar, DocNode>> _entries = new(StringComparer.Ordinal);
    private readonly RunbookErrorSink _errors;
    private readonly string _context;

    public MappingReader(DocMapping mapping, string context, IReadOnlyCollection<string> allowedKeys, RunbookErrorSink errors)
    {
        _errors = errors;
        _context = context;
        Position = mapping.Position;
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (!allowedKeys.Contains(key))
            {
                errors.Add(entry.Key.Position, $"unknown key '{key}' in {context} (expected one of: {string.Join(", ", allowedKeys)})");
            }
            else if (!_entries.TryAdd(key, entry))
            {
                errors.Add(entry.Key.Position, $"duplicate key '{key}' in {context}");
            }
        }
    }

    public SourcePosition Position { get; }

    public DocNode? Node(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    public SourcePosition PositionOf(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value.Position : Position;

    public string? String(string key, bool required = false)
    {
        switch (Node(key))
        {
            case null:
                if (required)
                {
                    _errors.Add(Position, $"missing required key '{key}' in {_context}");
                }

                return null;
            case DocScalar { IsPlainNull: true } scalar when required:
                _errors.Add(scalar.Position, $"'{key}' in {_context} must not be empty");
                return null;
            case DocScalar scalar:
                return scalar.IsPlainNull ? null : scalar.Value;
            case var other:
                _errors.Add(other.Position, $"'{key}' in {_context} must be a scalar, not {other.Describe}");
                return null;
        }
    }

    public bool Bool(string key, bool fallback)
    {
        var text = String(key);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add(PositionOf(key), $"'{key}' in {_context} must be true or false, not '{text}'");
        return fallback;
    }

    public int Int(string key, int fallback, int minimum)
    {
        var text = String(key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        _errors.Add(PositionOf(key), $"'{key}' in {_context} must be an integer >= {minimum}, not '{text}'");
        return fallback;
    }

    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (Durations.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        _errors.Add(PositionOf(key), $"bad duration '{text}' for '{key}' in {_context} (use e.g. 90s, 5m, 1h30m, 500ms)");
        return null;
    }

    public NodeSelector? Selector(string key, bool required)
    {
        var text = String(key, required);
        if (text is null)
        {
            return null;
        }

        if (NodeSelectors.TryParse(text, out var selector))
        {
            return selector;
        }

        _errors.Add(PositionOf(key), $"bad selector '{text}' for '{key}' in {_context} (expected one of: {NodeSelectors.Accepted})");
        return null;
    }

    /// <summary>The items of a list value; a missing key is an empty list, a non-list an error.</summary>
    public IReadOnlyList<DocNode> List(string key) => Node(key) switch
    {
        null or DocScalar { IsPlainNull: true } => [],
        DocSequence sequence => sequence.Items,
        var other => Fail<IReadOnlyList<DocNode>>(other, $"'{key}' in {_context} must be a list, not {other.Describe}", []),
    };

    /// <summary>The entries of a mapping value; a missing key is empty, a non-mapping an error.</summary>
    public DocMapping? Mapping(string key) => Node(key) switch
    {
        null or DocScalar { IsPlainNull: true } => null,
        DocMapping mapping => mapping,
        var other => Fail<DocMapping?>(other, $"'{key}' in {_context} must be a mapping, not {other.Describe}", null),
    };

    private T Fail<T>(DocNode node, string message, T fallback)
    {
        _errors.Add(node.Position, message);
        return fallback;
    }
}
