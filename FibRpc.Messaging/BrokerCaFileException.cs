namespace FibRpc.Messaging;

/// <summary>
/// The CA file that an <c>amqps://</c> broker's certificate must chain to (<c>RabbitMQCaFile</c>, <c>--ca-file</c>)
/// cannot be used: it is missing, unreadable, or holds no certificate. Nothing was attempted on the network.
/// </summary>
public sealed class BrokerCaFileException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);
