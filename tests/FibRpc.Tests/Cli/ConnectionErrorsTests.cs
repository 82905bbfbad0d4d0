using System.Net.Sockets;
using FibRpc.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Tests.Cli;

/// <summary>
/// Each way of not reaching the broker becomes one line: what happened, which setting, what to do. A wrong password
/// and a local broker that is down are run against a real broker by the integration tests' FirstHourTests.
/// </summary>
public sealed class ConnectionErrorsTests
{
    public static TheoryData<Exception, string, string, string[], string[]> Failures() => new()
    {
        {
            new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 530, "NOT_ALLOWED - vhost billing not found", 10, 40)),
            "amqp://app:s3cret@localhost:5672/billing", "--connection",
            ["no virtual host 'billing'", "--connection", "rabbitmqctl add_vhost billing"], ["s3cret", "code=530"]
        },
        {
            // amqps:// to a plain port.
            new BrokerUnreachableException(new InvalidOperationException("Cannot determine the frame size or a corrupted frame was received.")),
            "amqps://app:s3cret@localhost:5672/", "RabbitMQConnection",
            ["localhost:5672 does not speak TLS", "RabbitMQConnection"], ["frame size"]
        },
        {
            // A remote broker that is down is not sent to the local script.
            new BrokerUnreachableException(new SocketException((int)SocketError.ConnectionRefused)),
            "amqp://app:s3cret@broker.example:5672/", "--connection",
            ["--connection"], ["broker.sh"]
        },
        {
            // An unrecognised failure keeps the library's text, scrubbed.
            new IOException("something new happened to amqp://app:s3cret@h/"),
            "amqp://app:s3cret@h/", "--connection",
            ["something new happened", "--connection"], ["s3cret"]
        },
        {
            // A permission the user lacks is not mistaken for a wrong password.
            new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 403, "ACCESS_REFUSED - configure access to queue 'rpc_queue' in vhost '/' refused for user 'fibrpc-function'", 50, 10)),
            "amqp://fibrpc-function:s3cret@localhost:5672/", "--connection",
            ["refused configure access to queue 'rpc_queue' in vhost '/' for user 'fibrpc-function'", "set_permissions"], ["password"]
        },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_says_what_happened_and_which_setting_to_correct(Exception error, string uri, string setting, string[] said, string[] unsaid)
    {
        var line = ConnectionErrors.Describe(error, uri, setting, setting == "--connection" ? "--ca-file" : "RabbitMQCaFile");

        Assert.All(said, text => Assert.Contains(text, line, StringComparison.Ordinal));
        Assert.All(unsaid, text => Assert.DoesNotContain(text, line, StringComparison.Ordinal));
    }
}
