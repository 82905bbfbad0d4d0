namespace FibRpc.Service.Handling;

/// <summary>How a request ended. Every outcome means the request is done with and may be acked.</summary>
public enum RequestOutcome
{
    /// <summary>F(n) was published and confirmed.</summary>
    Answered,

    /// <summary>The request was bad; an error reply was published and confirmed.</summary>
    Rejected,

    /// <summary>No reply_to: there is no one to answer. Logged and dropped.</summary>
    NoReplyTo,

    /// <summary>reply_to names a queue the service consumes. Logged and dropped.</summary>
    ForbiddenReplyTo,

    /// <summary>The reply was returned as unroutable (the client's queue is gone). Logged, not retried.</summary>
    ReplyUnroutable,
}
