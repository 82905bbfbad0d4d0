using Microsoft.Extensions.Options;

namespace FibRpc.Client;

/// <summary>
/// Checks <see cref="FibRpcClientOptions"/> against its data annotations, in code generated at compile time (no
/// reflection, so trim- and AOT-safe). <c>AddFibRpcClient</c> registers it with <c>ValidateOnStart</c>: a bad
/// setting stops the app at start-up with a message naming the environment variable to correct.
/// </summary>
[OptionsValidator]
public sealed partial class FibRpcClientOptionsValidator : IValidateOptions<FibRpcClientOptions>;
