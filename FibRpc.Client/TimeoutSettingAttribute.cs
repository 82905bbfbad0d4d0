using System.ComponentModel.DataAnnotations;

namespace FibRpc.Client;

/// <summary>A timeout setting the client can keep: more than zero and at most <see cref="FibRpcClientOptions.LongestTimeout"/>.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class TimeoutSettingAttribute(string setting) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is TimeSpan timeout && timeout > TimeSpan.Zero && timeout <= FibRpcClientOptions.LongestTimeout
            ? ValidationResult.Success
            : new ValidationResult(
                $"{setting} must be more than zero and at most {FibRpcClientOptions.LongestTimeout.TotalSeconds:0} s (a day), written as hours:minutes:seconds, e.g. 00:00:30");
    }
}
