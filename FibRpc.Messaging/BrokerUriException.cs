namespace FibRpc.Messaging;

/// <summary>The broker setting names no broker this project can connect to; nothing was attempted, and the message holds no password.</summary>
public sealed class BrokerUriException(string message) : ArgumentException(message);
