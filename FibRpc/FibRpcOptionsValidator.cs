using Microsoft.Extensions.Options;

namespace FibRpc;

/// <summary>Rejects settings that would make the service misbehave, at start-up, with the setting's name.</summary>
public sealed class FibRpcOptionsValidator : IValidateOptions<FibRpcOptions>
{
    /// <summary>Beyond this the reply (about 2 million digits) and its computation stop being a sensible RPC.</summary>
    public const int LargestMaxN = 10_000_000;

    public ValidateOptionsResult Validate(string? name, FibRpcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxN is < 0 or > LargestMaxN)
        {
            failures.Add($"FibRpc:MaxN must be between 0 and {LargestMaxN}, not {options.MaxN}");
        }

        if (options.MaxBodyBytes is < 1 or > 1 << 20)
        {
            failures.Add($"FibRpc:MaxBodyBytes must be between 1 and 1048576, not {options.MaxBodyBytes}");
        }

        if (options.PublishTimeoutSeconds is < 1 or > 3600)
        {
            failures.Add($"FibRpc:PublishTimeoutSeconds must be between 1 and 3600, not {options.PublishTimeoutSeconds}");
        }

        if (options.CacheBytes < 0)
        {
            failures.Add($"FibRpc:CacheBytes must not be negative, not {options.CacheBytes}");
        }

        if (string.IsNullOrWhiteSpace(options.RequestQueue))
        {
            failures.Add("FibRpc:RequestQueue must name a queue");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
