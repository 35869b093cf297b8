namespace RollbackMesh.Agent.Health;

/// <summary>
/// Finds version-looking tokens in a tool's output: optional 'v', digits '.' digits, then every following letter,
/// digit, '_', '.', '-', '+' or '~' — "k3s version v1.28.5+k3s1 (5b2d1271)" gives "v1.28.5+k3s1", felix's "3.26.1"
/// gives "3.26.1". A token never ends in a separator, so "v2.6.5." at the end of a sentence is "v2.6.5". Version
/// checks match a pattern against whole tokens, which is why a token is always taken in full: "v1.29.4+k3s10" is one
/// token, never "v1.29.4+k3s1" followed by "0". Hand-written so the health probe, which runs every report, loads no
/// regex code.
/// </summary>
internal static class VersionText
{
    /// <summary>The first version token in <paramref name="output"/>, or null.</summary>
    public static string? Find(string output) => FindAll(output).FirstOrDefault();

    /// <summary>Every version token in <paramref name="output"/>, in order, none overlapping.</summary>
    public static IEnumerable<string> FindAll(string output)
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

                var last = end;
                while (IsSeparator(output[last - 1]))
                {
                    last--;
                }

                yield return output[start..last];
                start = end - 1;
            }
        }
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

    private static bool IsSeparator(char c) => c is '_' or '.' or '-' or '+' or '~';
}
