using Microsoft.Extensions.Logging;

namespace FibRpc.Client;

/// <summary>What the client reports about its connection and reply paths (source-generated, no allocation when off).</summary>
internal static partial class ClientLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the broker lost ({Reason}); {Calls} calls waiting for replies fail now, new calls wait for the reconnection")]
    public static partial void ConnectionLost(ILogger logger, string reason, int calls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection to the broker recovered after {Seconds:0.0} s")]
    public static partial void ConnectionRecovered(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply path {Path} ({Address}) lost: {Reason}")]
    public static partial void ReplyPathLost(ILogger logger, long path, string address, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply path {Path} opened: replies to {Address}")]
    public static partial void ReplyPathOpened(ILogger logger, long path, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open a reply path ({Reason}); trying again")]
    public static partial void ReplyPathNotOpened(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {CorrelationId} nacked by the broker on reply path {Path} (attempt {Attempt} of {Attempts}); that channel is retired")]
    public static partial void PublishNacked(ILogger logger, string correlationId, long path, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call sent again after its connection or reply path was lost ({Reason})")]
    public static partial void CallResent(ILogger logger, string reason);
}
