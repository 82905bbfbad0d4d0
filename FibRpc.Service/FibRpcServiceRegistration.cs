using System.Diagnostics.Metrics;
using FibRpc.Contract;
using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service.Handling;
using FibRpc.Service.Replies;
using FibRpc.Service.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FibRpc.Service;

/// <summary>Registers the service in a DI container: the Functions worker and <c>fibrpc serve</c> use the same wiring.</summary>
public static class FibRpcServiceRegistration
{
    /// <summary>
    /// Adds the request handler and everything it needs. The AMQP URI comes from the <c>RabbitMQConnection</c>
    /// setting (the trigger's own), the CA of an <c>amqps://</c> broker from <c>RabbitMQCaFile</c>, the options from
    /// the <c>FibRpc</c> section.
    /// </summary>
    public static IServiceCollection AddFibRpc(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FibRpcOptions>()
            .Bind(configuration.GetSection(FibRpcOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FibRpcOptions>, FibRpcOptionsValidator>());

        // The replies' own connection: a broker error caused by one reply (it may close the whole connection) never
        // takes a consumer down with it, and a consumer's flow control never delays a reply.
        services.TryAddSingleton(provider => new RabbitConnection(
            BrokerUri.Resolve(configuration[RpcNames.ConnectionSetting]),
            ConnectionNames.Publisher(ConnectionNames.Service),
            provider.GetRequiredService<ILogger<RabbitConnection>>(),
            configuration[RpcNames.CaFileSetting]));
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<FibRpcOptions>>().Value;
            return new ConfirmedPublisher(
                provider.GetRequiredService<RabbitConnection>(), settings.PublishTimeout, settings.BlockedWait,
                provider.GetRequiredService<ILogger<ConfirmedPublisher>>());
        });
        services.TryAddSingleton<IConfirmedPublisher>(provider => provider.GetRequiredService<ConfirmedPublisher>());
        services.TryAddSingleton<IFibonacciEngine>(provider => new CachingFibonacciEngine(
            new FibonacciEngine(),
            provider.GetRequiredService<IOptions<FibRpcOptions>>().Value.CacheBytes,
            uncachedUpTo: FibonacciEngine.TableMaxN));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReplyQueueInspector>();
        services.TryAddSingleton<ReplyPolicy>();
        services.TryAddSingleton<ReplyHealth>();
        services.TryAddSingleton<ReplySender>();
        services.TryAddSingleton(provider => new ServiceMetrics(provider.GetService<IMeterFactory>()));
        services.TryAddSingleton<RequestService>();
        services.TryAddSingleton<ServiceWarmUp>();
        return services;
    }

    /// <summary>
    /// What the Azure Function adds to <see cref="AddFibRpc"/>: its trigger's adapter, and the warm-up as a hosted
    /// service of the worker, in the background from the worker's start.
    /// </summary>
    public static IServiceCollection AddFibRpcFunctionTrigger(this IServiceCollection services)
    {
        services.TryAddSingleton<FunctionTriggerAdapter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ServiceWarmUp>(provider => provider.GetRequiredService<ServiceWarmUp>()));
        return services;
    }
}
