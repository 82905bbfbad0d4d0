using System.Runtime.InteropServices;
using FibRpc.Engine;

namespace FibRpc.Benchmarks.Gmp;

/// <summary>
/// GMP's F(n) (mpz_fib_ui) and decimal conversion (mpz_get_str) through P/Invoke to the system libgmp.so.10: the
/// speed ceiling the engine is measured against, and an independent implementation the tests compare with.
/// Benchmark and test code only; the service never loads GMP. Shared with the tests as a linked source file.
/// </summary>
public sealed class GmpFibonacci : IFibonacciEngine
{
    public const string LibraryName = "libgmp.so.10";

    public const string MissingLibraryMessage =
        "GMP (" + LibraryName + ") could not be loaded; install it with `apt-get install libgmp10`.";

    /// <summary>Throws <see cref="InvalidOperationException"/> with install instructions when GMP is absent.</summary>
    public static void EnsureAvailable()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out var handle))
        {
            throw new InvalidOperationException(MissingLibraryMessage);
        }

        NativeLibrary.Free(handle);
    }

    public ReadOnlyMemory<byte> ComputeDecimal(int n, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var value = default(Mpz);
        try
        {
            Native.Init(ref value);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(MissingLibraryMessage, e);
        }

        try
        {
            Native.FibUi(ref value, (nuint)n);

            // mpz_sizeinbase may overstate the digit count by one; mpz_get_str needs room for a sign and the NUL.
            var buffer = new byte[(int)Native.SizeInBase(ref value, 10) + 2];
            Native.GetStr(buffer, 10, ref value);
            return buffer.AsMemory(0, Array.IndexOf(buffer, (byte)0));
        }
        finally
        {
            Native.Clear(ref value);
        }
    }

    /// <summary>GMP's __mpz_struct: int _mp_alloc, int _mp_size, mp_limb_t* _mp_d.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Mpz
    {
        public int Alloc;
        public int Size;
        public IntPtr Limbs;
    }

    /// <summary>The mpz_* names are macros for the exported __gmpz_* symbols.</summary>
    private static class Native
    {
#pragma warning disable SYSLIB1054 // Plain DllImport keeps the linked file free of unsafe code for the test project.
        [DllImport(LibraryName, EntryPoint = "__gmpz_init")]
        public static extern void Init(ref Mpz value);

        [DllImport(LibraryName, EntryPoint = "__gmpz_fib_ui")]
        public static extern void FibUi(ref Mpz value, nuint n);

        [DllImport(LibraryName, EntryPoint = "__gmpz_sizeinbase")]
        public static extern nuint SizeInBase(ref Mpz value, int radix);

        [DllImport(LibraryName, EntryPoint = "__gmpz_get_str")]
        public static extern IntPtr GetStr(byte[] destination, int radix, ref Mpz value);

        [DllImport(LibraryName, EntryPoint = "__gmpz_clear")]
        public static extern void Clear(ref Mpz value);
#pragma warning restore SYSLIB1054
    }
}
