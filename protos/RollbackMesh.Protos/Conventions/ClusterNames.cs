namespace RollbackMesh.Protos.Conventions;

/// <summary>
/// The shape of a cluster name (agent.yaml cluster; agent_hub.proto Hello.cluster; nodes --cluster): a DNS label
/// (RFC 1123), so it can stand in host names, file names and Kubernetes label values unchanged.
/// </summary>
public static class ClusterNames
{
    /// <summary>The longest name, as for a DNS label.</summary>
    public const int MaxLength = 63;

    /// <summary>What a valid name looks like, for error messages.</summary>
    public const string Shape =
        "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

    /// <summary>True for 1-63 of lowercase letters, digits and '-', starting and ending with a letter or digit.</summary>
    public static bool IsValid(string value)
    {
        if (value.Length is 0 or > MaxLength || !IsLowerAlphanumeric(value[0]) || !IsLowerAlphanumeric(value[^1]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsLowerAlphanumeric(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
