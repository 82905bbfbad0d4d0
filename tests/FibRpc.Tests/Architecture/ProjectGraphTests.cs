using System.Xml.Linq;
using FibRpc.Tests.Deployment;

namespace FibRpc.Tests.Architecture;

/// <summary>
/// The dependency rules of docs/architecture.md, checked on the project files themselves: references point one way,
/// each library reaches only what it may, and every project's assembly and root namespace are its name.
/// </summary>
public sealed class ProjectGraphTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, ProjectFile>> Projects = new(Load);

    private sealed record ProjectFile(string Name, string RelativePath, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> PackageReferences, XDocument Xml);

    private static IReadOnlyDictionary<string, ProjectFile> Load()
    {
        var projects = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
        foreach (var relative in RepoFiles.Find(".csproj"))
        {
            var path = RepoFiles.PathOf(relative);
            var xml = XDocument.Load(path);
            var name = Path.GetFileNameWithoutExtension(path);
            var references = xml.Descendants("ProjectReference")
                .Select(reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            var packages = xml.Descendants("PackageReference").Select(package => package.Attribute("Include")!.Value).ToList();
            projects[name] = new ProjectFile(name, relative, references, packages, xml);
        }

        return projects;
    }

    /// <summary>Every project reachable from <paramref name="name"/> through project references, itself excluded.</summary>
    internal static HashSet<string> Reachable(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Projects.Value[name].ProjectReferences);
        while (pending.TryPop(out var next))
        {
            Assert.True(Projects.Value.ContainsKey(next), $"{Projects.Value[name].RelativePath}: references '{next}', which is not a project of the repository");
            if (seen.Add(next))
            {
                foreach (var reference in Projects.Value[next].ProjectReferences)
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }

    /// <summary>The project file of <paramref name="name"/>, as a path from the repository root.</summary>
    internal static string RelativePathOf(string name) => Projects.Value[name].RelativePath;

    /// <summary>Every package a project takes, directly or through the projects it references.</summary>
    private static HashSet<string> PackagesOf(string name) =>
        [.. Reachable(name).Append(name).SelectMany(project => Projects.Value[project].PackageReferences)];

    [Fact]
    public void The_reference_graph_has_no_cycle()
    {
        foreach (var name in Projects.Value.Keys)
        {
            Assert.False(Reachable(name).Contains(name), $"{Projects.Value[name].RelativePath}: reaches itself through its project references");
        }
    }

    [Theory]
    [InlineData("FibRpc.Engine", new string[0])]
    [InlineData("FibRpc.Contract", new string[0])]
    [InlineData("FibRpc.Messaging", new string[0])]
    [InlineData("FibRpc.Service", new[] { "FibRpc.Engine", "FibRpc.Contract", "FibRpc.Messaging" })]
    [InlineData("FibRpc.Client", new[] { "FibRpc.Contract", "FibRpc.Messaging" })]
    [InlineData("FibRpc.TriggerHost", new[] { "FibRpc.Service", "FibRpc.Engine", "FibRpc.Contract", "FibRpc.Messaging" })]
    [InlineData("FibRpc.Telemetry", new[] { "FibRpc.Messaging" })]
    [InlineData("FibRpc.Topology", new[] { "FibRpc.Contract", "FibRpc.Messaging" })]
    // Neither the function app nor the service reaches FibRpc.Topology: the function only consumes a queue that
    // exists; declaring it and setting its policies is the deployment's job.
    [InlineData("FibFunction", new[] { "FibRpc.Service", "FibRpc.Telemetry", "FibRpc.Engine", "FibRpc.Contract", "FibRpc.Messaging" })]
    public void Each_product_project_reaches_exactly_what_it_may(string project, string[] allowed)
    {
        var reached = Reachable(project).Order(StringComparer.Ordinal).ToArray();
        Assert.True(allowed.Order(StringComparer.Ordinal).SequenceEqual(reached),
            $"{Projects.Value[project].RelativePath}: reaches [{string.Join(", ", reached)}], the architecture allows [{string.Join(", ", allowed)}]");
    }

    [Theory]
    [InlineData("FibRpc.Engine")]
    [InlineData("FibRpc.Contract")]
    public void Engine_and_contract_take_no_package_at_all(string project)
    {
        Assert.True(PackagesOf(project).Count == 0, $"{Projects.Value[project].RelativePath}: takes packages [{string.Join(", ", PackagesOf(project))}]; it must stay plain .NET");
    }

    [Theory]
    [InlineData("Microsoft.Azure.Functions", new[] { "FibFunction" })]
    // The libraries that do the work instrument with System.Diagnostics alone; exporters are a host's choice.
    [InlineData("OpenTelemetry", new[] { "FibRpc.Telemetry", "FibRpc.Cli", "FibFunction", "FibRpc.Tests", "FibRpc.IntegrationTests" })]
    public void Only_the_projects_allowed_take_a_family_of_packages(string family, string[] allowed)
    {
        foreach (var (name, project) in Projects.Value)
        {
            var taken = project.PackageReferences
                .Where(package => package.StartsWith(family, StringComparison.Ordinal) || package.Contains("." + family, StringComparison.Ordinal))
                .ToList();
            Assert.True(allowed.Contains(name) || taken.Count == 0, $"{project.RelativePath}: takes [{string.Join(", ", taken)}]; only {string.Join(", ", allowed)} may");
        }
    }

    [Fact]
    public void No_project_renames_its_assembly_or_root_namespace()
    {
        foreach (var project in Projects.Value.Values)
        {
            foreach (var property in new[] { "AssemblyName", "RootNamespace", "PackageId" })
            {
                var value = project.Xml.Descendants(property).Select(element => element.Value).FirstOrDefault();
                Assert.True(value is null || value == project.Name, $"{project.RelativePath}: {property} is '{value}'; project name = folder = assembly = root namespace");
            }

            Assert.Equal(project.Name, Path.GetFileName(Path.GetDirectoryName(RepoFiles.PathOf(project.RelativePath))));
        }
    }

    [Theory]
    [InlineData(typeof(FibRpc.Engine.FibonacciEngine), "FibRpc.Engine")]
    [InlineData(typeof(FibRpc.Contract.RpcNames), "FibRpc.Contract")]
    [InlineData(typeof(FibRpc.Messaging.ConfirmedPublisher), "FibRpc.Messaging")]
    [InlineData(typeof(FibRpc.Service.Handling.RequestService), "FibRpc.Service")]
    [InlineData(typeof(FibRpc.Client.FibRpcClient), "FibRpc.Client")]
    [InlineData(typeof(FibRpc.TriggerHost.LocalTriggerHost), "FibRpc.TriggerHost")]
    [InlineData(typeof(FibRpc.Telemetry.TelemetryHostBuilderExtensions), "FibRpc.Telemetry")]
    [InlineData(typeof(FibRpc.Topology.RpcTopology), "FibRpc.Topology")]
    public void Every_public_type_lives_under_its_assembly_name(Type sample, string assembly)
    {
        Assert.Equal(assembly, sample.Assembly.GetName().Name);
        var strays = sample.Assembly.GetExportedTypes()
            .Where(type => type.Namespace is not { } ns || !(ns == assembly || ns.StartsWith(assembly + ".", StringComparison.Ordinal)))
            .Select(type => type.FullName)
            .ToList();
        Assert.True(strays.Count == 0, $"{assembly}: public types outside its namespace: {string.Join(", ", strays)}");
    }
}
