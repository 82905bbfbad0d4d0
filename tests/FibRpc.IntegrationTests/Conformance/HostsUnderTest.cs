using FibRpc.Contract;
using FibRpc.IntegrationTests.Infrastructure;
using FibRpc.Service;
using FibRpc.Service.Handling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FibRpc.IntegrationTests.Conformance;

/// <summary>The two hosts of the service: <c>fibrpc serve</c>'s local trigger host, and the function under the Functions host's imitation.</summary>
public enum HostKind
{
    Serve,
    Function,
}

/// <summary>A host of the service consuming a test queue; how many deliveries it has settled, and how many it left stalled.</summary>
internal sealed class HostUnderTest(Func<int> settled, Func<int> stalled, LogCapture logs, Func<ValueTask> dispose) : IAsyncDisposable
{
    public int Settled => settled();

    public int Stalled => stalled();

    public LogCapture Logs => logs;

    public ValueTask DisposeAsync() => dispose();
}

internal static class HostsUnderTest
{
    /// <summary>The settings both hosts share in the suite: one reply attempt inside the service, so retries show at once.</summary>
    public static Dictionary<string, string?> Settings(string queue) => new()
    {
        [RpcNames.ConnectionSetting] = Broker.Uri,
        ["FibRpc:RequestQueue"] = queue,
        ["FibRpc:PublishTimeoutSeconds"] = "5",
        ["FibRpc:BlockedWaitSeconds"] = "1",
        ["FibRpc:ReplyPublishAttempts"] = "1",
        ["FibRpc:AllowedReplyQueuePrefixes:0"] = "test.",
    };

    public static async Task<HostUnderTest> StartAsync(HostKind kind, string queue, Action<IServiceCollection>? replace, int crashFirstInvocations = 0, bool corruptBindingData = false)
    {
        if (kind == HostKind.Serve)
        {
            var service = await ServiceUnderTest.StartAsync(queue, replace, Settings(queue));
            return new HostUnderTest(() => (int)service.Host.Handled, () => 0, service.Logs, service.DisposeAsync);
        }

        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddFibRpc(new ConfigurationBuilder().AddInMemoryCollection(Settings(queue)).Build()).AddFibRpcFunctionTrigger();
        replace?.Invoke(services);
        var provider = services.BuildServiceProvider();
        // As the worker does at start: the warm-up, in the background.
        _ = provider.GetRequiredService<ServiceWarmUp>().WarmUpAsync();
        var host = new FunctionsHostImitation(provider.GetRequiredService<FunctionTriggerAdapter>(), queue)
        {
            CrashFirstInvocations = crashFirstInvocations,
            CorruptBindingData = corruptBindingData,
        };
        await host.StartAsync(Broker.Uri);
        return new HostUnderTest(() => host.Settled, () => host.Stalled, logs, async () =>
        {
            await host.DisposeAsync();
            await provider.DisposeAsync();
        });
    }
}
