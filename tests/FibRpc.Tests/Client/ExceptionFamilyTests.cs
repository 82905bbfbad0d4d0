using FibRpc.Client;

namespace FibRpc.Tests.Client;

/// <summary>Every failure the client reports is a FibRpcException, and each kind has its own error.type in the client's telemetry.</summary>
public sealed class ExceptionFamilyTests
{
    [Fact]
    public void Every_exception_type_of_the_client_derives_from_FibRpcException()
    {
        var exceptions = typeof(FibRpcClient).Assembly.GetExportedTypes().Where(type => typeof(Exception).IsAssignableFrom(type)).ToList();

        Assert.Equal(10, exceptions.Count);
        Assert.All(exceptions, type => Assert.True(typeof(FibRpcException).IsAssignableFrom(type), $"{type.Name} is not a FibRpcException"));
    }

    public static TheoryData<FibRpcException, string> Failures() => new()
    {
        { new FibRpcErrorReplyException("negative", "error negative: n must be 0 or more"), "negative" },
        { new FibRpcTimeoutException("no reply", TimeSpan.FromSeconds(1), requestConfirmed: true), "timeout" },
        { new FibRpcConnectFailedException("could not connect"), "no_connection" },
        { new FibRpcConnectionLostException("lost while sending"), "connection_lost" },
        { new FibRpcReplyLostException("c-1", "channel closed"), "reply_lost" },
        { new FibRpcUnroutableException("rpc_queue"), "unroutable" },
        { new FibRpcNackedException("rpc_queue", 1), "nacked" },
        { new FibRpcOverloadedException("rpc_queue", 4), "overloaded" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_has_its_own_error_type(FibRpcException failure, string errorType)
    {
        Assert.Equal(errorType, ClientInstrumentation.ErrorType(failure));
    }
}
