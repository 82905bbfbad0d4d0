using System.ComponentModel.DataAnnotations;

namespace FibRpc.Client;

/// <summary>
/// A <see cref="RangeAttribute"/> whose ErrorMessage reaches the person as written: the options validator's generator
/// replaces a plain [Range] with a copy that drops ErrorMessage, and prefixes the member's name to a result naming it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class ClientSettingRangeAttribute(int minimum, int maximum) : RangeAttribute(minimum, maximum)
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return IsValid(value) ? ValidationResult.Success : new ValidationResult(FormatErrorMessage(validationContext.DisplayName));
    }
}
