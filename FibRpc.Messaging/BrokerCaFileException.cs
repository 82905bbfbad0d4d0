namespace FibRpc.Messaging;

/// <summary>The CA file cannot be used: it is missing, unreadable, or holds no certificate. Nothing was attempted on the network.</summary>
public sealed class BrokerCaFileException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);
