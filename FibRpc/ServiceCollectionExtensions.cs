using FibRpc.Fibonacci;
using FibRpc.Handling;
using FibRpc.Hosting;
using FibRpc.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FibRpc;

/// <summary>Registers the core in a DI container: the Functions worker and <c>fibrpc serve</c> use the same wiring.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the request handler and everything it needs. The AMQP URI comes from the <c>RabbitMQConnection</c>
    /// setting (the trigger's own), the options from the <c>FibRpc</c> section.
    /// </summary>
    public static IServiceCollection AddFibRpc(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FibRpcOptions>()
            .Bind(configuration.GetSection(FibRpcOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FibRpcOptions>, FibRpcOptionsValidator>());

        services.TryAddSingleton(provider => new RabbitConnection(
            configuration[RpcNames.ConnectionSetting] is { Length: > 0 } uri ? uri : RpcNames.DefaultConnection,
            "fibrpc-" + Environment.MachineName,
            provider.GetRequiredService<ILogger<RabbitConnection>>()));
        services.TryAddSingleton(provider => new ConfirmedPublisher(
            provider.GetRequiredService<RabbitConnection>(),
            provider.GetRequiredService<IOptions<FibRpcOptions>>().Value.PublishTimeout,
            provider.GetRequiredService<ILogger<ConfirmedPublisher>>()));
        services.TryAddSingleton<IConfirmedPublisher>(provider => provider.GetRequiredService<ConfirmedPublisher>());
        services.TryAddSingleton<IFibonacciEngine>(provider => new CachingFibonacciEngine(
            new FibonacciEngine(),
            provider.GetRequiredService<IOptions<FibRpcOptions>>().Value.CacheBytes,
            uncachedUpTo: FibonacciEngine.TableMaxN));
        services.TryAddSingleton<ReplyToGuard>();
        services.TryAddSingleton<RequestHandler>();
        return services;
    }

    /// <summary>Adds the local trigger host as a hosted service, consuming the request queue like the Functions trigger.</summary>
    public static IServiceCollection AddFibRpcLocalTriggerHost(this IServiceCollection services, Action<LocalTriggerOptions> configure)
    {
        services.Configure(configure);
        services.TryAddSingleton<LocalTriggerHost>();
        services.AddHostedService<LocalTriggerHostedService>();
        return services;
    }
}
