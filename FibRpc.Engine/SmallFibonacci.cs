using System.Globalization;
using System.Text;

namespace FibRpc.Engine;

/// <summary>
/// F(0)..F(93), every Fibonacci number that fits a <see cref="ulong"/>, with their decimal text built once.
/// Replies are immutable and shareable, so small requests return a cached array: no allocation, no arithmetic.
/// </summary>
internal static class SmallFibonacci
{
    /// <summary>F(93) = 12200160415121876738 is the largest Fibonacci number below 2^64.</summary>
    public const int MaxN = 93;

    // The values are constant data; the texts are built all at once, the first time one is asked for (a process
    // computing one large F(n) needs two of the values and none of the texts).
    public static ulong Value(int n) => Values[n];

    public static ReadOnlyMemory<byte> Decimal(int n) => TextTable.Texts[n];

    private static ReadOnlySpan<ulong> Values =>
    [
        0, 1, 1, 2,
        3, 5, 8, 13,
        21, 34, 55, 89,
        144, 233, 377, 610,
        987, 1597, 2584, 4181,
        6765, 10946, 17711, 28657,
        46368, 75025, 121393, 196418,
        317811, 514229, 832040, 1346269,
        2178309, 3524578, 5702887, 9227465,
        14930352, 24157817, 39088169, 63245986,
        102334155, 165580141, 267914296, 433494437,
        701408733, 1134903170, 1836311903, 2971215073,
        4807526976, 7778742049, 12586269025, 20365011074,
        32951280099, 53316291173, 86267571272, 139583862445,
        225851433717, 365435296162, 591286729879, 956722026041,
        1548008755920, 2504730781961, 4052739537881, 6557470319842,
        10610209857723, 17167680177565, 27777890035288, 44945570212853,
        72723460248141, 117669030460994, 190392490709135, 308061521170129,
        498454011879264, 806515533049393, 1304969544928657, 2111485077978050,
        3416454622906707, 5527939700884757, 8944394323791464, 14472334024676221,
        23416728348467685, 37889062373143906, 61305790721611591, 99194853094755497,
        160500643816367088, 259695496911122585, 420196140727489673, 679891637638612258,
        1100087778366101931, 1779979416004714189, 2880067194370816120, 4660046610375530309,
        7540113804746346429, 12200160415121876738UL,
    ];

    private static class TextTable
    {
        public static readonly ReadOnlyMemory<byte>[] Texts = Build();

        private static ReadOnlyMemory<byte>[] Build()
        {
            var texts = new ReadOnlyMemory<byte>[MaxN + 1];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = Encoding.ASCII.GetBytes(Values[i].ToString(CultureInfo.InvariantCulture));
            }

            return texts;
        }
    }
}
