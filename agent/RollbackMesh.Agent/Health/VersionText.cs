namespace RollbackMesh.Agent.Health;

/// <summary>
/// Finds the first version-looking token in a tool's output: optional 'v', digits '.' digits, then every following
/// letter, digit, '_', '.', '-', '+' or '~' — "k3s version v1.28.5+k3s1 (5b2d1271)" gives "v1.28.5+k3s1", felix's
/// "3.26.1" gives "3.26.1". Hand-written so the health probe, which runs every report, loads no regex code.
/// </summary>
internal static class VersionText
{
    /// <summary>The first version token in <paramref name="output"/>, or null.</summary>
    public static string? Find(string output)
    {
        for (var start = 0; start < output.Length; start++)
        {
            var digits = output[start] == 'v' ? start + 1 : start;
            if (digits < output.Length && char.IsAsciiDigit(output[digits]) && StartsWithMajorMinor(output, digits))
            {
                var end = digits;
                while (end < output.Length && IsVersionChar(output[end]))
                {
                    end++;
                }

                return output[start..end];
            }
        }

        return null;
    }

    // digits '.' digits at position i.
    private static bool StartsWithMajorMinor(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]);
    }

    private static bool IsVersionChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '+' or '~';
}
