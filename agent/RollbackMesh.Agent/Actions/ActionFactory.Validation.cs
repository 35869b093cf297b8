using System.Text.RegularExpressions;
using RollbackMesh.Agent.Actions.Packages;
using RollbackMesh.Agent.Confinement;

namespace RollbackMesh.Agent.Actions;

/// <summary>Argument checks for <see cref="ActionFactory"/>: each returns the value and records a problem.</summary>
internal sealed partial class ActionFactory
{
    // kubectl wait accepts any duration; a day bounds a typo (an extra digit) without limiting a real restore.
    private const uint MaxWaitSeconds = 86_400;

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^[a-z]+(\.[a-z0-9]+)*/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
    private static partial Regex ResourceRegex();

    // A condition type (Ready, Available); no '=' so that the status part of --for=condition=TYPE=STATUS stays ours.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex ConditionRegex();

    [GeneratedRegex(@"^[A-Za-z0-9./_-]+(==?|!=)[A-Za-z0-9._-]*(,[A-Za-z0-9./_-]+(==?|!=)[A-Za-z0-9._-]*)*$")]
    private static partial Regex SelectorRegex();

    [GeneratedRegex(@"^[A-Za-z0-9@_.:-]+(\.service|\.socket|\.target|\.timer|\.mount)$")]
    private static partial Regex UnitRegex();

    [GeneratedRegex(@"^v?[0-9][A-Za-z0-9.+_-]{0,63}$")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9 =_.,:/-]{0,255}$")]
    private static partial Regex ExecRegex();

    [GeneratedRegex(@"^[A-Za-z0-9:_.-]{1,512}$")]
    private static partial Regex TokenRegex();

    [GeneratedRegex(@"^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Regex();

    // rancher-backup names its files NAME-UID-TIMESTAMP.tar.gz, with .enc when encrypted.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,240}\.tar\.gz(\.enc)?$")]
    private static partial Regex BackupFileRegex();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketRegex();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")]
    private static partial Regex S3FolderRegex();

    [GeneratedRegex(@"^[a-z0-9-]{1,32}$")]
    private static partial Regex S3RegionRegex();

    // host[:port], no scheme: rancher-backup's endpoint field is a host name.
    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?$")]
    private static partial Regex S3EndpointRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_]+$")]
    private static partial Regex KeyRegex();

    private sealed class Validation(PathConfinement confinement)
    {
        private readonly List<string> _problems = [];
        private readonly List<PathConfinementException> _paths = [];

        public void Problem(string problem) => _problems.Add(problem);

        public T Fail<T>(string problem)
        {
            _problems.Add(problem);
            return default!;
        }

        public void ThrowIfInvalid()
        {
            if (_paths.Count == 1 && _problems.Count == 0)
            {
                throw _paths[0];
            }

            if (_paths.Count + _problems.Count > 0)
            {
                throw new ActionValidationException(string.Join("; ", _paths.Select(p => p.Message).Concat(_problems)));
            }
        }

        public string Path(string path, string field)
        {
            try
            {
                return confinement.Confine(path);
            }
            catch (PathConfinementException ex)
            {
                _paths.Add(new PathConfinementException(path, $"{field}: {ex.Message[(ex.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}"));
                return path;
            }
        }

        public string NonEmpty(string value, string field) => value.Length > 0 ? value : Fail<string>($"{field} is empty") ?? string.Empty;

        public string Line(string value, string field) =>
            value.Contains('\n', StringComparison.Ordinal) ? Fail<string>($"{field} must be one line") ?? string.Empty : value;

        public string Name(string value, string field) => Matching(value, NameRegex(), field);

        public string Unit(string value) => Matching(value, UnitRegex(), "unit");

        public string Matching(string value, Regex regex, string field) =>
            regex.IsMatch(value) ? value : Fail<string>($"{field} '{value}' is not allowed") ?? value;

        public string Shaped(string value, Regex regex, string field, string shape) =>
            regex.IsMatch(value) ? value : Fail<string>($"{field} '{value}' is not {shape}") ?? value;

        public TimeSpan Seconds(uint seconds, uint max, string field)
        {
            if (seconds > max)
            {
                Problem($"{field} {seconds} is more than {max}");
            }

            return TimeSpan.FromSeconds(seconds);
        }

        // A secret is checked for shape only, and the problem never quotes it.
        public string Secret(string value, string field) =>
            value.Length > 512 || value.Any(char.IsControl) || value != value.Trim()
                ? Fail<string>($"{field} must be one line of at most 512 characters without surrounding spaces (value not shown)") ?? value
                : value;

        public string Optional(string value, Regex regex, string field) => value.Length == 0 ? value : Matching(value, regex, field);

        // As Optional, but the problem never quotes the value (the step result and the audit carry it).
        public string OptionalSecret(string value, Regex regex, string field) =>
            value.Length == 0 || regex.IsMatch(value) ? value : Fail<string>($"{field} is not allowed (value not shown)") ?? value;

        public string Connection(string value)
        {
            if (value.Length == 0 || value.Contains("password", StringComparison.OrdinalIgnoreCase) || value.StartsWith('-'))
            {
                Problem("connection must be a libpq connection string without a password (use .pgpass or peer auth)");
            }

            return value;
        }

        public IReadOnlyList<string> Keys(IEnumerable<string> keys, string field) =>
            keys.Select(k => Matching(k, KeyRegex(), field)).ToArray();

        public IReadOnlyDictionary<string, string> KeyValues(IDictionary<string, string> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                Matching(key, KeyRegex(), "set_keys key");
                Line(value, $"set_keys['{key}']");
            }

            return new Dictionary<string, string>(pairs, StringComparer.OrdinalIgnoreCase);
        }

        public IReadOnlyList<string> Packages(IEnumerable<string> names)
        {
            var list = names.ToArray();
            if (list.Length == 0)
            {
                Problem("packages is empty");
            }

            foreach (var name in list.Where(n => !PackageNames.IsValidName(n)))
            {
                Problem($"package name '{name}' is not allowed");
            }

            return list;
        }
    }
}
