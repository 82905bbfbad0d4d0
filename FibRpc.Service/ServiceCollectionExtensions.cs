using FibRpc.Contract;
using FibRpc.Engine;
using FibRpc.Messaging;
using FibRpc.Service;
using FibRpc.Service.Handling;
using FibRpc.Service.Replies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FibRpc.Service;

/// <summary>Registers the service in a DI container: the Functions worker and <c>fibrpc serve</c> use the same wiring.</summary>
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
            BrokerUri.Resolve(configuration[RpcNames.ConnectionSetting]),
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
        services.TryAddSingleton<ReplyPolicy>();
        services.TryAddSingleton<RequestHandler>();
        return services;
    }
}
