using System.ComponentModel.DataAnnotations;

namespace FibRpc.Client;

/// <summary>
/// A text setting that must not be empty, refused with <paramref name="message"/> alone (it names the setting): the
/// options validator would prefix the .NET property's name to a [Required]'s message.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class RequiredSettingAttribute(string message) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && !string.IsNullOrWhiteSpace(text) ? ValidationResult.Success : new ValidationResult(message);
}
