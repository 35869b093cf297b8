using System.Collections.Concurrent;
using Google.Protobuf.Reflection;
using RollbackMesh.V1;

namespace RollbackMesh.Protos.Actions;

/// <summary>
/// An action message as its options in actions.proto describe it: whether it only reads, and each argument. Read once
/// per message descriptor; any message carrying the options can be described, not only the Action oneof's.
/// </summary>
public sealed class ActionDescription
{
    private static readonly ConcurrentDictionary<MessageDescriptor, ActionDescription> Described = new();

    private ActionDescription(MessageDescriptor message)
    {
        Message = message;
        ReadOnly = message.GetOptions()?.GetExtension(ActionOptionsExtensions.ReadOnly) ?? false;
        Arguments = [.. message.Fields.InFieldNumberOrder().Select(f => new ActionArgument(f))];
    }

    /// <summary>The proto message.</summary>
    public MessageDescriptor Message { get; }

    /// <summary>The action only observes (<c>read_only</c>).</summary>
    public bool ReadOnly { get; }

    /// <summary>Every argument, in field-number order.</summary>
    public IReadOnlyList<ActionArgument> Arguments { get; }

    /// <summary>The arguments a runbook step must give, in field-number order.</summary>
    public IEnumerable<ActionArgument> Required => Arguments.Where(a => a.Required);

    /// <summary>The path arguments, in field-number order.</summary>
    public IEnumerable<ActionArgument> Paths => Arguments.Where(a => a.Path != PathArgument.Unspecified);

    /// <summary>The description of <paramref name="message"/>.</summary>
    /// <exception cref="InvalidOperationException">An option does not fit its field (names the field).</exception>
    public static ActionDescription Of(MessageDescriptor message) => Described.GetOrAdd(message, m => new ActionDescription(m));
}
