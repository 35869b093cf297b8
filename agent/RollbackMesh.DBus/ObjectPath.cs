namespace RollbackMesh.DBus;

/// <summary>A D-Bus object path (type code 'o'), validated on construction.</summary>
public readonly record struct ObjectPath
{
    /// <summary>Creates an object path, throwing <see cref="ArgumentException"/> if it breaks the spec's rules.</summary>
    public ObjectPath(string value)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException($"'{value}' is not a valid D-Bus object path.", nameof(value));
        }

        Value = value;
    }

    /// <summary>The path text, e.g. <c>/org/freedesktop/systemd1</c>.</summary>
    public string Value { get; }

    /// <summary>
    /// True if the path starts with '/', has no empty elements, no trailing '/' (except the root path) and only
    /// [A-Za-z0-9_] in its elements.
    /// </summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/')
        {
            return false;
        }

        if (value.Length == 1)
        {
            return true;
        }

        var previousSlash = true;
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '/')
            {
                if (previousSlash)
                {
                    return false;
                }

                previousSlash = true;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }

            previousSlash = false;
        }

        return !previousSlash;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}
