using Microsoft.Extensions.Options;

namespace FibRpc.Client;

/// <summary>Checks <see cref="FibRpcClientOptions"/> in code generated at compile time (AOT-safe).</summary>
[OptionsValidator]
public sealed partial class FibRpcClientOptionsValidator : IValidateOptions<FibRpcClientOptions>;
