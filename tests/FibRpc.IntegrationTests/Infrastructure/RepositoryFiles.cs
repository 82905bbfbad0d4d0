namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>The checked-in files of the repository, found by walking up from the test's output folder to FibFunctions.sln.</summary>
public static class RepositoryFiles
{
    public static string PathOf(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FibFunctions.sln")))
        {
            directory = directory.Parent;
        }

        Assert.True(directory is not null, $"no folder above {AppContext.BaseDirectory} holds FibFunctions.sln: the tests run outside the repository");
        var path = Path.Combine(directory.FullName, relative.Replace('/', Path.DirectorySeparatorChar));
        Assert.True(File.Exists(path), $"{relative}: not found under {directory.FullName}");
        return path;
    }

    public static Task<string> ReadAsync(string relative) => File.ReadAllTextAsync(PathOf(relative));
}
