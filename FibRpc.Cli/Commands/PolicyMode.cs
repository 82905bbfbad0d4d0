namespace FibRpc.Cli.Commands;

/// <summary>How `fibrpc topology` puts the queue limits on the broker: AMQP cannot set a policy.</summary>
internal enum PolicyMode
{
    /// <summary>Print the exact rabbitmqctl commands, for an operator or a script to run on a broker node.</summary>
    Print,

    /// <summary>
    /// PUT them to the broker's management HTTP API as the AMQP URI's user (which needs the policymaker tag), then
    /// check that the queues follow them: from anywhere that reaches the API, such as Kubernetes' init container.
    /// </summary>
    Management,

    /// <summary>Neither: a definitions file or an operator sets them.</summary>
    None,
}
