using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace RollbackMesh.Cli.Output;

/// <summary>Small text helpers shared by the commands.</summary>
internal static class Format
{
    /// <summary>"12s ago", "3m ago", "2h ago", or "never".</summary>
    public static string Age(Timestamp? at, DateTimeOffset now)
    {
        if (at is null)
        {
            return "never";
        }

        var age = now - at.ToDateTimeOffset();
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalSeconds < 90 ? $"{(int)age.TotalSeconds}s ago"
            : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes}m ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h ago"
            : $"{(int)age.TotalDays}d ago";
    }

    /// <summary>UTC time as yyyy-MM-dd HH:mm:ss, or "-".</summary>
    public static string Time(Timestamp? at) =>
        at is null ? "-" : at.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>RUN_STATE_AWAITING_APPROVAL → awaiting-approval (the enum's name without its prefix).</summary>
    public static string State(V1.RunState state) => Kebab(state.ToString());

    public static string State(V1.StepState state) => Kebab(state.ToString());

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
