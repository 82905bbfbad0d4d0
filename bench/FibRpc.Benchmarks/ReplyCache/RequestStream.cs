namespace FibRpc.Benchmarks.ReplyCache;

/// <summary>
/// A reproducible stream of requested n: mostly small n (Zipf over 0..SmallRange-1, so 0, 1, 2... dominate), and a
/// share of large n drawn by Zipf rank from a fixed set of distinct values in [LargeMin, LargeMax]. The popular large
/// values are scattered over the range (ranks are assigned at random), so popularity does not follow size.
/// </summary>
internal sealed record RequestStream(
    double LargeShare,
    int LargeDistinct,
    double ZipfExponent,
    int LargeMin = 100_000,
    int LargeMax = 1_000_000,
    int SmallRange = 10_000)
{
    public int[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var largeValues = Enumerable.Range(0, LargeDistinct).Select(_ => random.Next(LargeMin, LargeMax + 1)).ToArray();
        var smallRanks = ZipfTable(SmallRange, ZipfExponent);
        var largeRanks = ZipfTable(LargeDistinct, ZipfExponent);
        var stream = new int[count];
        for (var i = 0; i < count; i++)
        {
            stream[i] = random.NextDouble() < LargeShare
                ? largeValues[Sample(largeRanks, random)]
                : Sample(smallRanks, random);
        }

        return stream;
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{LargeShare:P0} large n (Zipf s = {ZipfExponent} over {LargeDistinct} distinct values in [{LargeMin}, {LargeMax}]), the rest Zipf over 0..{SmallRange - 1}");

    /// <summary>Cumulative Zipf weights 1/k^s for ranks k = 1..size, normalised to end at 1.</summary>
    private static double[] ZipfTable(int size, double exponent)
    {
        var cumulative = new double[size];
        var sum = 0.0;
        for (var k = 1; k <= size; k++)
        {
            sum += 1.0 / Math.Pow(k, exponent);
            cumulative[k - 1] = sum;
        }

        for (var i = 0; i < size; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }

    private static int Sample(double[] cumulative, Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }
}
