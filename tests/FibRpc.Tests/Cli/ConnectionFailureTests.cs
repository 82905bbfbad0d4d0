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
    public static TheoryData<Exception> ConnectionFailures() =>
    [
        new BrokerUnreachableException(new SocketException((int)SocketError.ConnectionRefused)),
        new AuthenticationFailureException("ACCESS_REFUSED - Login was refused"),
        new System.Security.Authentication.AuthenticationException("the remote certificate is invalid"),
        new BrokerUriException("the broker URI 'http://h/' is not an amqp:// or amqps:// URI"),
        new BrokerCaFileException("the CA file '/nowhere/ca.pem' holds no certificate"),
        new FibRpcConnectFailedException("could not connect to the broker at amqp://h/", new BrokerUnreachableException(new IOException("refused"))),
    ];

    public static TheoryData<Exception> OtherFailures() =>
    [
        new ArgumentException("a bug's argument"),
        new InvalidOperationException("a bug's state"),
        new IOException("a file could not be written"),
        new FibRpcUnroutableException("rpc_queue"),
    ];

    [Theory]
    [MemberData(nameof(ConnectionFailures))]
    public void A_failure_to_reach_or_use_the_broker_is_a_connection_failure(Exception error)
    {
        Assert.True(CommonOptions.IsConnectionFailure(error));
    }

    [Theory]
    [MemberData(nameof(OtherFailures))]
    public void Any_other_exception_is_not(Exception error)
    {
        Assert.False(CommonOptions.IsConnectionFailure(error));
    }
}
