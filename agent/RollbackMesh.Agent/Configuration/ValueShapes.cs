namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// Shapes of configuration values, checked by hand rather than with regular expressions: these run at every start
/// and the agent otherwise loads no regex code until a step needs it (System.Text.RegularExpressions stays out of
/// the idle agent's memory). Unlike a regex '$', nothing here accepts a trailing newline.
/// </summary>
internal static class ValueShapes
{
    /// <summary>A node name: 1-253 of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.</summary>
    public static bool IsNodeName(string value)
    {
        if (value.Length is 0 or > 253 || !IsLowerAlphanumeric(value[0]) || !IsLowerAlphanumeric(value[^1]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsLowerAlphanumeric(c) && c is not '-' and not '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A release version for dnf --releasever: 1-64 of letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static bool IsReleaseVersion(string value)
    {
        if (value.Length is 0 or > 64 || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
