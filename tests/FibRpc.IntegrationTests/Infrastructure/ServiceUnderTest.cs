using FibRpc.Contract;
using FibRpc.Service;
using FibRpc.TriggerHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// The service as fibrpc serve wires it (AddFibRpc + the local trigger host), in-process, consuming a test queue
/// on the real broker. Registrations can be replaced to inject slow or failing parts.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private bool _stopped;

    private ServiceUnderTest(ServiceProvider provider, LogCapture logs)
    {
        _provider = provider;
        Logs = logs;
        Host = provider.GetRequiredService<LocalTriggerHost>();
    }

    public LocalTriggerHost Host { get; }

    public LogCapture Logs { get; }

    public static async Task<ServiceUnderTest> StartAsync(string queue, Action<IServiceCollection>? replace = null, IDictionary<string, string?>? settings = null, ushort prefetch = 1, bool warmUp = true)
    {
        var values = new Dictionary<string, string?>
        {
            [RpcNames.ConnectionSetting] = Broker.Uri,
            ["FibRpc:RequestQueue"] = queue,
            ["FibRpc:PublishTimeoutSeconds"] = "5",
            // The tests' own named reply queues (Broker.NewQueueName); clients' server-named queues need no setting.
            ["FibRpc:AllowedReplyQueuePrefixes:0"] = "test.",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddFibRpc(configuration).AddFibRpcLocalTriggerHost(trigger =>
        {
            trigger.PrefetchCount = prefetch;
            trigger.WarmUp = warmUp;
        });
        replace?.Invoke(services);

        var service = new ServiceUnderTest(services.BuildServiceProvider(), logs);
        await service.Host.StartAsync(CancellationToken.None);
        return service;
    }

    public async Task StopAsync(TimeSpan? patience = null)
    {
        _stopped = true;
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(30));
        await Host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        await _provider.DisposeAsync();
    }
}
