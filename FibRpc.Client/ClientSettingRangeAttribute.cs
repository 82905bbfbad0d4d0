using System.ComponentModel.DataAnnotations;

namespace FibRpc.Client;

/// <summary>
/// A <see cref="RangeAttribute"/> whose <see cref="ValidationAttribute.ErrorMessage"/> reaches the person as written.
/// The options validator's generator replaces a plain [Range] with a copy of its own that drops ErrorMessage (the
/// message would then name the .NET property), and prefixes a result that names its member with that member's name;
/// this result names none, because its message names the setting already.
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
