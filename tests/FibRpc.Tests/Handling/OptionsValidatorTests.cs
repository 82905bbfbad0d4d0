using FibRpc.Service;

namespace FibRpc.Tests.Handling;

public sealed class OptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new FibRpcOptionsValidator().Validate(null, new FibRpcOptions()).Succeeded);
    }

    [Fact]
    public void Each_bad_setting_is_named()
    {
        var result = new FibRpcOptionsValidator().Validate(null, new FibRpcOptions
        {
            MaxN = -1,
            MaxBodyBytes = 0,
            PublishTimeoutSeconds = 0,
            CacheBytes = -5,
            RequestQueue = " ",
        });
        Assert.True(result.Failed);
        foreach (var name in new[] { "MaxN", "MaxBodyBytes", "PublishTimeoutSeconds", "CacheBytes", "RequestQueue" })
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
