namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>The fibrpc tool as the tests run it: the build beside them, under <c>dotnet</c>.</summary>
public static class FibRpcCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "FibRpc.Cli.dll");
}
