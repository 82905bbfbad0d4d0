using System.Diagnostics;

namespace FibRpc.Client;

/// <summary>A call waiting for its reply, and the path its reply comes back on.</summary>
internal sealed class PendingCall
{
    /// <summary>Null until the request is confirmed; a field, so that it is read and written with volatile semantics.</summary>
    public ReplyPath? Path;

    public TaskCompletionSource<ReadOnlyMemory<byte>> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The trace context the reply carried (the server's span that published it), default when none.</summary>
    public ActivityContext ReplyContext { get; set; }
}
