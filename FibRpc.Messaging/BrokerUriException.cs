namespace FibRpc.Messaging;

/// <summary>
/// The broker setting names no broker this project can connect to: a URI that is not <c>amqp://</c> or
/// <c>amqps://</c>, the nodes of a list that disagree on scheme, credentials or virtual host, or a CA file given for
/// a plain <c>amqp://</c> URI. Nothing was attempted on the network. The message never holds a password.
/// </summary>
public sealed class BrokerUriException(string message) : ArgumentException(message);
