using System.Text;

namespace FibRpc.Cli.Commands;

/// <summary>
/// `fibrpc --version` answered before the command tree is built, whose help resources start the reflection binder
/// (docs/benchmarks.md, "Cold start"); the text is a constant the build writes (FibRpc.Cli.csproj), not an attribute.
/// </summary>
internal static class VersionCommand
{
    /// <summary>The informational version, as the parser's version option prints it.</summary>
    public const string Text = BuildVersion.Informational;

    /// <summary>True (and the version printed) when the whole command line is `--version`.</summary>
    public static bool TryRunPlain(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["--version"])
        {
            return false;
        }

        // A version is ASCII (digits, dots, '+', '-', letters of a commit or pre-release tag).
        Span<byte> text = stackalloc byte[Text.Length];
        Ascii.FromUtf16(Text, text, out _);
        StandardOutput.Write(text, "\n"u8);
        return true;
    }
}
