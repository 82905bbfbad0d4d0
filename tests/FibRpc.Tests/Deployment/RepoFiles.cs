namespace FibRpc.Tests.Deployment;

/// <summary>
/// Locates files of the repository from the test's output folder: walks up from the test assembly's folder to the
/// folder that holds FibFunctions.sln, so the tests read the checked-in files, not copies.
/// </summary>
internal static class RepoFiles
{
    private const string SolutionFile = "FibFunctions.sln";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>Folders that hold build output or tooling state, never checked-in sources.</summary>
    private static readonly HashSet<string> IgnoredFolders = new(StringComparer.Ordinal)
    {
        ".git", ".vs", ".idea", "bin", "obj", "node_modules", "TestResults", "BenchmarkDotNet.Artifacts", "artifacts", ".broker",
    };

    public static string Root => LazyRoot.Value;

    /// <summary>Absolute path of a repository-relative path given with forward slashes.</summary>
    public static string PathOf(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The text of a repository file; fails with the relative path when it is missing.</summary>
    public static string Read(string relativePath)
    {
        var path = PathOf(relativePath);
        Assert.True(File.Exists(path), $"{relativePath}: file not found under {Root}");
        return File.ReadAllText(path);
    }

    public static bool Exists(string relativePath) => File.Exists(PathOf(relativePath));

    /// <summary>Repository-relative paths (forward slashes) of the files whose names end with one of the suffixes.</summary>
    public static IReadOnlyList<string> Find(params string[] suffixes) =>
        [.. Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
            .Where(file => suffixes.Any(suffix => file.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)))
            .Select(Relative)
            .Where(file => !file.Split('/').Any(IgnoredFolders.Contains))
            .Order(StringComparer.Ordinal)];

    public static string Relative(string absolutePath) =>
        Path.GetRelativePath(Root, absolutePath).Replace(Path.DirectorySeparatorChar, '/');

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds {SolutionFile}.");
    }
}
