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

    [Fact]
    public void An_unknown_virtual_host_says_how_to_create_it()
    {
        var error = new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 530, "NOT_ALLOWED - vhost billing not found", 10, 40));

        var line = ConnectionErrors.Describe(error, "amqp://app:s3cret@localhost:5672/billing", "--connection", "--ca-file");

        Assert.Contains("no virtual host 'billing'", line, StringComparison.Ordinal);
        Assert.Contains("--connection", line, StringComparison.Ordinal);
        Assert.Contains("rabbitmqctl add_vhost billing", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
        Assert.DoesNotContain("code=530", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Amqps_to_a_plain_port_says_the_port_does_not_speak_TLS()
    {
        var error = new BrokerUnreachableException(new InvalidOperationException("Cannot determine the frame size or a corrupted frame was received."));

        var line = ConnectionErrors.Describe(error, "amqps://app:s3cret@localhost:5672/", "RabbitMQConnection", "RabbitMQCaFile");

        Assert.Contains("localhost:5672 does not speak TLS", line, StringComparison.Ordinal);
        Assert.Contains("RabbitMQConnection", line, StringComparison.Ordinal);
        Assert.DoesNotContain("frame size", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_broker_that_is_down_points_to_the_script_that_starts_one()
    {
        var error = new BrokerUnreachableException(new SocketException((int)SocketError.ConnectionRefused));

        var line = ConnectionErrors.Describe(error, "amqp://guest:guest@127.0.0.1:5672/", "RabbitMQConnection", "RabbitMQCaFile");

        Assert.Contains("no broker answers at 127.0.0.1:5672", line, StringComparison.Ordinal);
        Assert.Contains("scripts/broker.sh start", line, StringComparison.Ordinal);
        Assert.Contains("RabbitMQConnection", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_remote_broker_that_is_down_is_not_sent_to_the_local_script()
    {
        var error = new BrokerUnreachableException(new SocketException((int)SocketError.ConnectionRefused));

        var line = ConnectionErrors.Describe(error, "amqp://app:s3cret@broker.example:5672/", "--connection", "--ca-file");

        Assert.DoesNotContain("broker.sh", line, StringComparison.Ordinal);
        Assert.Contains("--connection", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unrecognised_failure_keeps_the_library_text_scrubbed_and_names_the_setting()
    {
        var error = new IOException("something new happened to amqp://app:s3cret@h/");

        var line = ConnectionErrors.Describe(error, "amqp://app:s3cret@h/", "--connection", "--ca-file");

        Assert.Contains("something new happened", line, StringComparison.Ordinal);
        Assert.Contains("--connection", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_permission_the_user_lacks_is_not_mistaken_for_a_wrong_password()
    {
        var error = new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 403, "ACCESS_REFUSED - configure access to queue 'rpc_queue' in vhost '/' refused for user 'fibrpc-function'", 50, 10));

        var line = ConnectionErrors.Describe(error, "amqp://fibrpc-function:s3cret@localhost:5672/", "--connection", "--ca-file");

        Assert.DoesNotContain("password", line, StringComparison.Ordinal);
        Assert.Contains("refused configure access to queue 'rpc_queue' in vhost '/' for user 'fibrpc-function'", line, StringComparison.Ordinal);
        Assert.Contains("set_permissions", line, StringComparison.Ordinal);
    }
}
