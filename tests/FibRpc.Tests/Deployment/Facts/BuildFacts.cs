using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>
/// The .NET version the code targets (Directory.Build.props) and the one each image and the Azure site run: an image
/// tag behind the target framework builds but cannot run the app.
/// </summary>
internal static partial class BuildFacts
{
    public static IEnumerable<Statement> BuildProps(string file, string text) =>
        XDocument.Parse(text).Descendants("TargetFramework")
            .Select(e => TargetFramework().Match(e.Value.Trim()))
            .Where(m => m.Success)
            .Select(m => new Statement(FactNames.DotnetVersion, m.Groups[1].Value, file, $"<TargetFramework>{m.Value}"))
            .ToList();

    public static IEnumerable<Statement> Dockerfile(string file, string text)
    {
        foreach (Match from in FromLine().Matches(text))
        {
            var image = from.Groups[1].Value;
            if (ImageDotnetVersion().Match(image) is { Success: true } version)
            {
                yield return new Statement(FactNames.DotnetVersion, version.Groups[1].Value, file, $"FROM {image}");
            }
        }

        foreach (Match setting in WorkerRuntimeEnv().Matches(text))
        {
            yield return new Statement(FactNames.WorkerRuntime, setting.Groups[1].Value, file, "ENV FUNCTIONS_WORKER_RUNTIME");
        }
    }

    [GeneratedRegex(@"^net(\d+\.\d+)$")]
    private static partial Regex TargetFramework();

    [GeneratedRegex(@"^FROM\s+(?:--platform=\S+\s+)?(\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    // mcr.microsoft.com/dotnet/sdk:10.0, .../runtime:10.0, .../dotnet-isolated:4-dotnet-isolated10.0
    [GeneratedRegex(@"^mcr\.microsoft\.com/(?:dotnet/\w+:|azure-functions/dotnet-isolated:4-dotnet-isolated)(\d+\.\d+)")]
    private static partial Regex ImageDotnetVersion();

    [GeneratedRegex(@"\bFUNCTIONS_WORKER_RUNTIME=(\S+)")]
    private static partial Regex WorkerRuntimeEnv();
}
