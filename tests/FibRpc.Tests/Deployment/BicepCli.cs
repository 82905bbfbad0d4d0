using System.Collections.Concurrent;
using System.Reflection;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// The Bicep compiler from the Azure.Bicep.CommandLine.linux-x64 package that this test project restores (its path
/// is written into the assembly at build time), so no separate install is needed.
/// </summary>
internal static class BicepCli
{
    private static readonly ConcurrentDictionary<string, ExternalTool.Result> Compiled = new(StringComparer.Ordinal);

    public static string Path
    {
        get
        {
            var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepPath")?.Value;
            Assert.True(path is not null && File.Exists(path), $"Bicep CLI not found at '{path}': restore tests/FibRpc.Tests (it comes with the Azure.Bicep.CommandLine.linux-x64 package)");
            return path!;
        }
    }

    /// <summary>
    /// `bicep build --stdout` of a template's text (each call takes seconds, so each text is compiled once per run).
    /// The text is compiled from a copy in a temporary folder, so that a changed text never touches the repository.
    /// </summary>
    public static ExternalTool.Result Build(string relativePath, string text) =>
        Compiled.GetOrAdd(text, _ =>
        {
            var folder = Directory.CreateTempSubdirectory("fibrpc-bicep-");
            try
            {
                var copy = System.IO.Path.Combine(folder.FullName, System.IO.Path.GetFileName(relativePath));
                File.WriteAllText(copy, text);
                return ExternalTool.Run(Path, "build", copy, "--stdout");
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        });
}
