using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FibRpc.Tests.Deployment;

/// <summary>One document of a YAML file, with helpers that fail naming the file and the path.</summary>
internal sealed class YamlDocumentOf(string file, int index, YamlNode root)
{
    public string File { get; } = file;

    public int Index { get; } = index;

    public YamlNode Root { get; } = root;

    public string? Kind => Scalar(Root, "kind");

    public string? Name => Root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata)
        ? Scalar(metadata, "name")
        : null;

    /// <summary>Every document of a YAML file (a stream may hold several, separated by ---).</summary>
    public static IReadOnlyList<YamlDocumentOf> Load(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(RepoFiles.Read(relativePath)))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select((document, index) => new YamlDocumentOf(relativePath, index, document.RootNode)).ToList();
    }

    /// <summary>The node at a dotted path (numbers index sequences); fails naming the file and path when absent.</summary>
    public YamlNode Node(string path) => Find(path) ?? throw new Xunit.Sdk.XunitException($"{File}: no '{path}' in document {Index} ({Kind} {Name})");

    public YamlNode? Find(string path)
    {
        var node = Root;
        foreach (var step in path.Split('.'))
        {
            node = node switch
            {
                YamlMappingNode map when map.Children.TryGetValue(new YamlScalarNode(step), out var child) => child,
                YamlSequenceNode list when int.TryParse(step, out var i) && i >= 0 && i < list.Children.Count => list.Children[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>A scalar at a path as a <see cref="Sourced"/> value (Value null when absent).</summary>
    public Sourced Value(string path) => new(File, path, (Find(path) as YamlScalarNode)?.Value);

    public IEnumerable<YamlNode> Sequence(string path) =>
        Node(path) is YamlSequenceNode list ? list.Children : throw new Xunit.Sdk.XunitException($"{File}: '{path}' is not a list");

    /// <summary>Whether a scalar would be read as a number or boolean by a typed parser (Kubernetes wants strings).</summary>
    public static bool IsUnquotedNonString(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain
        && (double.TryParse(scalar.Value, System.Globalization.CultureInfo.InvariantCulture, out _)
            || scalar.Value is "true" or "false" or "True" or "False" or "yes" or "no" or "null" or "~");

    private static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar
            ? scalar.Value
            : null;
}
