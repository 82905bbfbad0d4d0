using System.ComponentModel.DataAnnotations;
using FibRpc.Messaging;

namespace FibRpc.Client;

/// <summary>The broker setting follows <see cref="BrokerEndpoints.Parse"/>'s rules; the message names the setting and never holds a password.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class BrokerUriSettingAttribute(string setting) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is not string { Length: > 0 } uri || string.IsNullOrWhiteSpace(uri))
        {
            return new ValidationResult($"{setting} must name the broker, e.g. amqp://user:password@host:5672/vhost");
        }

        try
        {
            BrokerEndpoints.Parse(uri);
            return ValidationResult.Success;
        }
        catch (BrokerUriException e)
        {
            return new ValidationResult($"{setting}: {e.Message}; write it as amqp://user:password@host:5672/vhost (amqps:// for TLS)");
        }
    }
}
