using System.Net.Sockets;
using FibRpc.Cli.Commands;
using FibRpc.Client;
using FibRpc.Messaging;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Tests.Cli;

/// <summary>
/// The commands report a failure to reach or use the broker in one line; any other ArgumentException,
/// InvalidOperationException or IOException is a bug and must not be dressed up as a connection problem.
/// </summary>
public sealed class ConnectionFailureTests
{
    public static TheoryData<Exception, bool> Failures() => new()
    {
        { new BrokerUnreachableException(new SocketException((int)SocketError.ConnectionRefused)), true },
        { new AuthenticationFailureException("ACCESS_REFUSED - Login was refused"), true },
        { new System.Security.Authentication.AuthenticationException("the remote certificate is invalid"), true },
        { new BrokerUriException("the broker URI 'http://h/' is not an amqp:// or amqps:// URI"), true },
        { new BrokerCaFileException("the CA file '/nowhere/ca.pem' holds no certificate"), true },
        { new FibRpcConnectFailedException("could not connect to the broker at amqp://h/", new BrokerUnreachableException(new IOException("refused"))), true },
        { new ArgumentException("a bug's argument"), false },
        { new InvalidOperationException("a bug's state"), false },
        { new IOException("a file could not be written"), false },
        { new FibRpcUnroutableException("rpc_queue"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_a_failure_to_reach_or_use_the_broker_is_a_connection_failure(Exception error, bool connectionFailure)
    {
        Assert.Equal(connectionFailure, CommonOptions.IsConnectionFailure(error));
    }
}
