using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>Navigation over YamlDotNet's representation model that yields nothing, rather than throwing, where a key is absent.</summary>
internal static class YamlNodes
{
    /// <summary>Every document of a YAML text (a stream may hold several, separated by ---).</summary>
    public static IReadOnlyList<YamlNode> Load(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    public static YamlNode? Child(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string? Scalar(this YamlNode? node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node, string key) =>
        node.Child(key) is YamlSequenceNode list ? list.Children : [];
}
