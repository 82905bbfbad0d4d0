using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FibRpc.Client;

/// <summary>Registers <see cref="FibRpcClient"/> in a DI container: an ASP.NET Core app or a worker calls the service through it.</summary>
public static class FibRpcClientRegistration
{
    /// <summary>
    /// As <see cref="AddFibRpcClient(IServiceCollection, Action{FibRpcClientOptions})"/>, with the options bound from the
    /// section <see cref="FibRpcClientOptions.SectionName"/>, then changed by <paramref name="configure"/> when given.
    /// </summary>
    public static IServiceCollection AddFibRpcClient(this IServiceCollection services, IConfiguration configuration, Action<FibRpcClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<FibRpcClientOptions>().Bind(configuration.GetSection(FibRpcClientOptions.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services.AddFibRpcClientCore();
    }

    /// <summary>
    /// Adds one <see cref="FibRpcClient"/> for the whole app, with the options <paramref name="configure"/> sets. The
    /// options are validated and the client connects when the host starts, so a bad setting or a broker that cannot be
    /// reached stops the start instead of failing the first call. The container disposes it with the host.
    /// </summary>
    public static IServiceCollection AddFibRpcClient(this IServiceCollection services, Action<FibRpcClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FibRpcClientOptions>().Configure(configure);
        return services.AddFibRpcClientCore();
    }

    private static IServiceCollection AddFibRpcClientCore(this IServiceCollection services)
    {
        services.AddOptions<FibRpcClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FibRpcClientOptions>, FibRpcClientOptionsValidator>());
        services.TryAddSingleton<FibRpcClientConnection>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FibRpcClientConnection>(provider => provider.GetRequiredService<FibRpcClientConnection>()));
        // Already connected once the host has started, so this returns at once; before, it waits for the connection.
        services.TryAddSingleton(provider => provider.GetRequiredService<FibRpcClientConnection>().ConnectAsync().GetAwaiter().GetResult());
        return services;
    }
}
