using RollbackMesh.DBus.Protocol;

namespace RollbackMesh.DBus;

/// <summary>A variant value (type code 'v'): the value together with its single-complete-type signature.</summary>
public sealed record DBusVariant
{
    /// <summary>Creates a variant; the signature must be one complete type.</summary>
    public DBusVariant(string signature, object value)
    {
        Signatures.ValidateSingle(signature);
        ArgumentNullException.ThrowIfNull(value);
        Signature = signature;
        Value = value;
    }

    /// <summary>The signature of <see cref="Value"/>.</summary>
    public string Signature { get; }

    /// <summary>
    /// The value, in the shapes <see cref="DBusConnection"/> uses everywhere: CLR primitives for basic types
    /// (string for 's' and 'g', <see cref="ObjectPath"/> for 'o', uint for the fd index 'h'), byte[] for 'ay',
    /// object[] for other arrays and structs, Dictionary&lt;object, object&gt; for dicts, DBusVariant for 'v'.
    /// </summary>
    public object Value { get; }
}
