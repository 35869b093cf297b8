namespace RollbackMesh.DBus;

/// <summary>An error reply from a D-Bus peer, carrying its error name (e.g. <c>org.freedesktop.systemd1.NoSuchUnit</c>).</summary>
public sealed class DBusErrorException : Exception
{
    /// <summary>Creates the exception from an error name and the error's message text.</summary>
    public DBusErrorException(string errorName, string message)
        : base($"{errorName}: {message}")
    {
        ErrorName = errorName;
        ErrorMessage = message;
    }

    /// <summary>The D-Bus error name.</summary>
    public string ErrorName { get; }

    /// <summary>The error's own message (the first string argument of the error body), or empty.</summary>
    public string ErrorMessage { get; }

    internal static DBusErrorException FromMessage(DBusMessage error) => new(
        error.ErrorName ?? "org.freedesktop.DBus.Error.Failed",
        error.Body.Count > 0 && error.Body[0] is string text ? text : "");
}
