using System.Security.Cryptography;
using System.Text;

namespace RollbackMesh.Agent.Actions.K3s;

/// <summary>
/// Read-only, in preflight on the first server: the server token file exists, is not empty and, when the operator
/// gave the token, holds it. K3s keeps the token with its datastore (it encrypts the bootstrap data), so a restore
/// with a different or lost token cannot start. Neither the file's token nor the expected one ever enters a message.
/// </summary>
internal sealed class K3sTokenCheckAction : AgentAction
{
    // A token file holds one line; anything much larger is not one, and is not read into memory whole.
    private const int MaxTokenFileBytes = 4096;

    // Secure format (docs.k3s.io/cli/token): K10<cluster CA hash>::<credentials>, the server token's credentials
    // being server:<password>. The short format is the password alone.
    private const string SecurePrefix = "K10";
    private const string ServerCredentials = "::server:";

    private readonly string _tokenPath;
    private readonly string _expected;

    /// <summary>Creates the check for a confined path; <paramref name="expected"/> empty = existence only.</summary>
    public K3sTokenCheckAction(string tokenPath, string expected)
    {
        _tokenPath = tokenPath;
        _expected = expected;
    }

    /// <inheritdoc />
    public override string Kind => "k3s_token_check";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"check that {_tokenPath} exists and is not empty" +
                        (_expected.Length > 0 ? " and holds the operator's token (not shown)" : string.Empty));

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var stored = await ReadTokenAsync(cancellationToken).ConfigureAwait(false);
        if (_expected.Length == 0)
        {
            return $"{_tokenPath} holds a token (not compared: none given); keep it with the datastore backup";
        }

        if (!Matches(stored, _expected))
        {
            throw new ActionFailedException(
                $"the token in {_tokenPath} does not match the given token (neither is shown); a datastore restored with " +
                "another token cannot be decrypted. Give the token the backup was taken with, or fix the token parameter; nothing was changed.");
        }

        return $"{_tokenPath} holds the given token (not shown)";
    }

    private async Task<string> ReadTokenAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_tokenPath))
        {
            throw new ActionFailedException($"{_tokenPath} does not exist: this node is not a K3s server that has started once, or the path is wrong");
        }

        var bytes = new byte[MaxTokenFileBytes + 1];
        int read;
        var file = File.OpenRead(_tokenPath);
        await using (file.ConfigureAwait(false))
        {
            read = await file.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        if (read > MaxTokenFileBytes)
        {
            throw new ActionFailedException($"{_tokenPath} is larger than {MaxTokenFileBytes} bytes: not a K3s token file");
        }

        var token = Encoding.UTF8.GetString(bytes, 0, read).Trim();
        CryptographicOperations.ZeroMemory(bytes);
        if (token.Length == 0)
        {
            throw new ActionFailedException($"{_tokenPath} is empty: K3s would generate a new token, which cannot decrypt the restored datastore");
        }

        return token;
    }

    /// <summary>The whole token, or (secure format) its password part; compared in constant time.</summary>
    internal static bool Matches(string stored, string expected)
    {
        if (Same(stored, expected))
        {
            return true;
        }

        var credentials = stored.IndexOf(ServerCredentials, StringComparison.Ordinal);
        return stored.StartsWith(SecurePrefix, StringComparison.Ordinal) && credentials > 0
            && Same(stored[(credentials + ServerCredentials.Length)..], expected);
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
