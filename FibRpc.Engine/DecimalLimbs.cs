using System.Globalization;
using System.Runtime.CompilerServices;

namespace FibRpc.Engine;

/// <summary>
/// Natural numbers as little-endian limbs in base 10^9 (each limb holds nine decimal digits). Working in a decimal
/// radix means the final answer needs no radix conversion: that conversion is what makes BigInteger.ToString
/// quadratic. Lengths are explicit and trimmed (no leading zero limbs; zero has length 0).
/// </summary>
internal static class DecimalLimbs
{
    public const uint Base = 1_000_000_000;
    public const int DigitsPerLimb = 9;

    public static int Trim(ReadOnlySpan<uint> x, int length)
    {
        while (length > 0 && x[length - 1] == 0)
        {
            length--;
        }

        return length;
    }

    /// <summary>Writes a value below 2^64 and returns its length.</summary>
    public static int FromUInt64(ulong value, Span<uint> destination)
    {
        var length = 0;
        while (value != 0)
        {
            destination[length++] = (uint)(value % Base);
            value /= Base;
        }

        return length;
    }

    /// <summary>destination = x + y; destination may not overlap the inputs unless it is x itself.</summary>
    public static int Add(ReadOnlySpan<uint> x, ReadOnlySpan<uint> y, Span<uint> destination)
    {
        if (x.Length < y.Length)
        {
            return Add(y, x, destination);
        }

        uint carry = 0;
        var i = 0;
        for (; i < y.Length; i++)
        {
            var s = x[i] + y[i] + carry;
            carry = s >= Base ? 1u : 0u;
            destination[i] = s - (carry * Base);
        }

        for (; i < x.Length; i++)
        {
            var s = x[i] + carry;
            carry = s >= Base ? 1u : 0u;
            destination[i] = s - (carry * Base);
        }

        if (carry != 0)
        {
            destination[i++] = carry;
        }

        return i;
    }

    /// <summary>x -= y in place, requiring x &gt;= y; returns the trimmed length.</summary>
    public static int SubtractInPlace(Span<uint> x, ReadOnlySpan<uint> y)
    {
        uint borrow = 0;
        var i = 0;
        for (; i < y.Length; i++)
        {
            var d = (long)x[i] - y[i] - borrow;
            borrow = d < 0 ? 1u : 0u;
            x[i] = (uint)(d + (borrow * Base));
        }

        for (; borrow != 0 && i < x.Length; i++)
        {
            if (x[i] != 0)
            {
                x[i]--;
                borrow = 0;
            }
            else
            {
                x[i] = Base - 1;
            }
        }

        if (borrow != 0)
        {
            throw new InvalidOperationException("Decimal subtraction underflow.");
        }

        return Trim(x, x.Length);
    }

    /// <summary>Number of decimal digits of a trimmed non-zero value.</summary>
    public static int DigitCount(ReadOnlySpan<uint> x) =>
        ((x.Length - 1) * DigitsPerLimb) + DigitsIn(x[^1]);

    /// <summary>Writes the ASCII digits of a trimmed non-zero value; destination has exactly DigitCount bytes.</summary>
    public static void WriteAscii(ReadOnlySpan<uint> x, Span<byte> destination)
    {
        x[^1].TryFormat(destination, out var position, default, CultureInfo.InvariantCulture);
        for (var i = x.Length - 2; i >= 0; i--)
        {
            WriteNineDigits(x[i], destination.Slice(position, DigitsPerLimb));
            position += DigitsPerLimb;
        }
    }

    /// <summary>
    /// One full limb as nine digits: one division splits it into 1 + 4 + 4 digits and each group of four goes out
    /// as two table pairs, instead of nine dependent divisions by ten (which cost 8% of F(10^6)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteNineDigits(uint value, Span<byte> destination)
    {
        var first = value / 100_000_000;
        var rest = value - (first * 100_000_000);
        var high = rest / 10_000;
        var low = rest - (high * 10_000);
        destination[0] = (byte)('0' + first);
        WriteFourDigits(high, destination.Slice(1, 4));
        WriteFourDigits(low, destination.Slice(5, 4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteFourDigits(uint value, Span<byte> destination)
    {
        var high = value / 100;
        var low = value - (high * 100);
        var pairs = DigitPairs;
        destination[0] = pairs[(int)(2 * high)];
        destination[1] = pairs[(int)((2 * high) + 1)];
        destination[2] = pairs[(int)(2 * low)];
        destination[3] = pairs[(int)((2 * low) + 1)];
    }

    /// <summary>"00" to "99" back to back.</summary>
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static int DigitsIn(uint value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
