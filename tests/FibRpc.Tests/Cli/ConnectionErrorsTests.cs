using System.Net.Sockets;
using FibRpc.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace FibRpc.Tests.Cli;

/// <summary>Each way of not reaching the broker becomes one line: what happened, which setting, what to do.</summary>
public sealed class ConnectionErrorsTests
{
    [Fact]
    public void A_wrong_password_says_so_and_names_the_setting()
    {
        var error = new BrokerUnreachableException(new AuthenticationFailureException("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."));

        var line = ConnectionErrors.Describe(error, "amqp://app:s3cret@localhost:5672/", "RabbitMQConnection", "RabbitMQCaFile");

        Assert.Equal("the broker at localhost:5672 refused the user name or password: correct them in RabbitMQConnection", line);
    }

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
            // A local broker that is down: the script that starts one.
            new BrokerUnreachableException(new SocketException((int)SocketError.ConnectionRefused)),
            "amqp://guest:guest@127.0.0.1:5672/", "RabbitMQConnection",
            ["no broker answers at 127.0.0.1:5672", "scripts/broker.sh start", "RabbitMQConnection"], []
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
