using FibRpc.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FibRpc.TriggerHost;

/// <summary>Registers the local trigger host next to the service (<c>AddFibRpc</c>).</summary>
public static class LocalTriggerHostRegistration
{
    /// <summary>Adds the local trigger host as a hosted service, consuming the request queue like the Functions trigger.</summary>
    public static IServiceCollection AddFibRpcLocalTriggerHost(this IServiceCollection services, Action<LocalTriggerOptions> configure)
    {
        services.Configure(configure);
        services.TryAddSingleton<LocalTriggerHost>();
        services.AddHostedService(provider => provider.GetRequiredService<LocalTriggerHost>());
        return services;
    }
}
