using System.Text.RegularExpressions;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// How identities are written into certificates. A node certificate: CN=node name, OU=node, SAN URI
/// rollbackmesh://node/NAME, EKU clientAuth only. An operator certificate: CN=operator name, OU=operator, SAN URI
/// rollbackmesh://operator/NAME, EKU clientAuth plus <see cref="OperatorEkuOid"/>. Requiring both the URI kind and the
/// EKU means neither kind of certificate can pass as the other; the server certificate has serverAuth only.
/// </summary>
internal static partial class CertificateNames
{
    /// <summary>TLS client authentication (RFC 5280).</summary>
    public const string ClientAuthOid = RollbackMesh.Protos.Channels.PinnedCa.ClientAuthenticationOid;

    /// <summary>TLS server authentication (RFC 5280).</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// "RollbackMesh operator" extended key usage. An OID under 2.25 (ITU-T X.667: an OID built from a UUID) so no
    /// registration is needed; generated once for this project.
    /// </summary>
    public const string OperatorEkuOid = "2.25.209178355413262396412795626735315632641";

    /// <summary>The URI scheme of identity SANs.</summary>
    public const string UriScheme = "rollbackmesh";

    /// <summary>Organizational unit of node certificates.</summary>
    public const string NodeUnit = "node";

    /// <summary>Organizational unit of operator certificates.</summary>
    public const string OperatorUnit = "operator";

    /// <summary>The identity URI of a peer of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public static Uri IdentityUri(PeerKind kind, string name) =>
        new($"{UriScheme}://{(kind == PeerKind.Node ? NodeUnit : OperatorUnit)}/{name}");

    /// <summary>
    /// A node or operator name: 1-63 characters, lower-case letters, digits, '-', '.', '_' , starting with a letter or
    /// digit (a host name label set plus '_'); nothing that needs escaping in a DN, a URI or a file name.
    /// </summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
