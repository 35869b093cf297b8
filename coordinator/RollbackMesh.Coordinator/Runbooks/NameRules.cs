using System.Globalization;
using System.Text;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// What is wrong with a runbook or step name, said precisely: the first character that may not be there, with its
/// position and code point (a look-alike or an invisible character is otherwise impossible to find).
/// </summary>
internal static class NameRules
{
    /// <summary>Null when <paramref name="name"/> is only <c>a-z</c>, <c>0-9</c>, '-' (and '_' when allowed), not starting with '-' or '_'.</summary>
    public static string? Problem(string name, bool allowUnderscore)
    {
        var allowed = allowUnderscore ? "lower-case letters a-z, digits, '-' and '_'" : "lower-case letters a-z, digits and '-'";
        var position = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            position++;
            var ok = rune.Value is >= 'a' and <= 'z' or >= '0' and <= '9' || (position > 1 && (rune.Value == '-' || (allowUnderscore && rune.Value == '_')));
            if (ok)
            {
                continue;
            }

            var what = position == 1 && rune.Value is '-' or '_'
                ? $"starts with '{rune}'"
                : $"has {Describe(rune)} at character {position}";
            return $"{what}; a name may only use {allowed}, and must start with a letter or digit";
        }

        return null;
    }

    private static string Describe(Rune rune)
    {
        var codePoint = string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}");
        if (rune.Value == 0xFFFD)
        {
            return $"the replacement character {codePoint}";
        }

        var category = Rune.GetUnicodeCategory(rune);
        var printable = category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned);
        var kind = Rune.IsUpper(rune) ? "an upper-case letter " : Rune.IsWhiteSpace(rune) ? "white space " : "";
        return printable ? $"{kind}'{rune}' ({codePoint})" : $"{kind}{codePoint}";
    }
}
