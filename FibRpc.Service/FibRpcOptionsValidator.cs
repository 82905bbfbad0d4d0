using FibRpc.Service;
using Microsoft.Extensions.Options;

namespace FibRpc.Service;

/// <summary>
/// Checks <see cref="FibRpcOptions"/> against its data annotations, in code generated at compile time (no
/// reflection, so trim- and AOT-safe). Registered with <c>ValidateOnStart</c>: bad settings stop the app at
/// start-up with the setting's name.
/// </summary>
[OptionsValidator]
public sealed partial class FibRpcOptionsValidator : IValidateOptions<FibRpcOptions>;
