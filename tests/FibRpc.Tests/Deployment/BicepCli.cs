using System.Reflection;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// The Bicep compiler from the Azure.Bicep.CommandLine.linux-x64 package that this test project restores (its path
/// is written into the assembly at build time), so no separate install is needed.
/// </summary>
internal static class BicepCli
{
    public static string Path
    {
        get
        {
            var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepPath")?.Value;
            Assert.True(path is not null && File.Exists(path), $"Bicep CLI not found at '{path}': restore tests/FibRpc.Tests (it comes with the Azure.Bicep.CommandLine.linux-x64 package)");
            return path!;
        }
    }
}
