using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FibRpc.Service;

/// <summary>
/// Checks <see cref="FibRpcOptions"/> against its data annotations, in code generated at compile time (no
/// reflection, so trim- and AOT-safe). Registered with <c>ValidateOnStart</c>: bad settings stop the app at
/// start-up with the setting's name.
/// </summary>
[OptionsValidator]
public sealed partial class FibRpcOptionsValidator : IValidateOptions<FibRpcOptions>;

/// <summary>
/// A <see cref="RangeAttribute"/> whose <see cref="ValidationAttribute.ErrorMessage"/> reaches the person. The
/// options validator's generator replaces a plain [Range] with a copy of its own that drops ErrorMessage (the message
/// then names the .NET field, "The field FibRpcOptions.MaxN ..."); an attribute of another type it uses as written.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
internal sealed class SettingRangeAttribute(double minimum, double maximum) : RangeAttribute(minimum, maximum);
