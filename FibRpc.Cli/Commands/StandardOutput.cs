using System.Runtime.InteropServices;

namespace FibRpc.Cli.Commands;

/// <summary>
/// Writes bytes to the process's standard output with the C library's writev: one system call for a whole reply
/// and its newline, no console set-up, no copy.
/// </summary>
/// <remarks>
/// The console stream sets up terminal and signal handling (a thread, a pipe, four handlers) on its first write. A
/// FileStream over descriptor 1 writes a regular file with pwrite at its own position, leaving the shared offset
/// behind, so the next writer to the file (a shell's next command, `2>&amp;1`) overwrites the digits; writev does not.
/// </remarks>
internal static partial class StandardOutput
{
    private const int Descriptor = 1;

    // errno values (Linux and macOS agree on these).
    private const int Interrupted = 4;
    private const int BrokenPipe = 32;

    /// <summary>
    /// Writes <paramref name="first"/> then <paramref name="second"/>. Returns false when the reader has gone
    /// (`fibrpc compute N | head` is not an error); throws <see cref="IOException"/> on any other failure.
    /// </summary>
    public static unsafe bool Write(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            using var console = Console.OpenStandardOutput();
            console.Write(first);
            console.Write(second);
            return true;
        }

        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            var vectors = stackalloc IoVector[2];
            vectors[0] = new IoVector(a, first.Length);
            vectors[1] = new IoVector(b, second.Length);
            var remaining = (long)first.Length + second.Length;
            while (remaining > 0)
            {
                long written = WriteV(Descriptor, vectors, 2);
                if (written < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Interrupted)
                    {
                        continue;
                    }

                    if (errno == BrokenPipe)
                    {
                        return false;
                    }

                    throw new IOException($"writing to standard output: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }

                // A pipe or a slow device may take part of it: skip what went out and write the rest.
                remaining -= written;
                for (var i = 0; i < 2 && written > 0; i++)
                {
                    var taken = Math.Min(written, (long)vectors[i].Length);
                    vectors[i] = new IoVector(vectors[i].Base + taken, (int)((long)vectors[i].Length - taken));
                    written -= taken;
                }
            }
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    private static unsafe partial nint WriteV(int descriptor, IoVector* vectors, int count);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly unsafe struct IoVector(byte* start, int length)
    {
        public readonly byte* Base = start;
        public readonly nuint Length = (nuint)length;
    }
}
