using FibRpc.Client;

namespace FibRpc.Tests.Client;

/// <summary>A timeout the client cannot keep is refused before anything is sent, with the option's name.</summary>
public sealed class ClientOptionsTests
{
    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(2 * 86400.0)]
    public async Task A_timeout_of_zero_or_less_or_over_a_day_is_refused_before_connecting(double seconds)
    {
        // The URI names no broker: the check must come first, or this would fail to connect instead.
        var options = new FibRpcClientOptions { Connection = "amqp://u:p@127.0.0.1:1/", Timeout = TimeSpan.FromSeconds(seconds) };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => FibRpcClient.ConnectAsync(options));

        Assert.Equal(nameof(FibRpcClientOptions.Timeout), error.ParamName);
    }
}
