using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment.Facts;

/// <summary>deploy/compose/compose.yaml: every service's environment, and the queue the broker's health check waits for.</summary>
internal static partial class ComposeFacts
{
    public static IEnumerable<Statement> Read(string file, string text)
    {
        var root = YamlNodes.Load(text).Single();
        foreach (var (service, definition) in root.Entries("services"))
        {
            foreach (var (name, value) in Environment(definition))
            {
                foreach (var statement in AppSettingFacts.Of(name, value, file, $"services.{service}.environment.{name}"))
                {
                    yield return statement;
                }
            }

            // The function may start only once the topology is imported; the health check is what says so.
            var test = string.Join(" ", definition.Child("healthcheck").Items("test").OfType<YamlScalarNode>().Select(s => s.Value));
            if (WaitsForQueue().Match(test) is { Success: true } match)
            {
                yield return new Statement(FactNames.Queue, match.Groups[1].Value, file, $"services.{service}.healthcheck.test (the queue it waits for)");
            }
        }
    }

    /// <summary>Compose accepts a mapping or a list of NAME=value.</summary>
    private static IEnumerable<(string Name, string? Value)> Environment(YamlNode service) =>
        service.Child("environment") switch
        {
            YamlMappingNode map => map.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", (c.Value as YamlScalarNode)?.Value)),
            YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value!.Split('=', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : null)),
            _ => [],
        };

    [GeneratedRegex(@"list_queues\b.*\bgrep\s+-\w*x\w*\s+(\S+)")]
    private static partial Regex WaitsForQueue();
}
