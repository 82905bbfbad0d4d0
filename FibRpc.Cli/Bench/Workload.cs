using System.Globalization;

namespace FibRpc.Cli.Bench;

/// <summary>
/// Which n each benchmark request asks for: one fixed n, a uniform range, or a weighted mix. Parsed from the
/// command line (--n, --range, --mix) and sampled by every worker with its own <see cref="Random"/>.
/// </summary>
public sealed class Workload
{
    // A range has no values; a fixed n or a mix has each n with its weight.
    private readonly int[] _values;
    private readonly long[] _weights;
    private readonly long _totalWeight;
    private readonly int _rangeLow;
    private readonly int _rangeHigh;

    private Workload(string description, int rangeLow, int rangeHigh, int[] values, long[] weights)
    {
        Description = description;
        _rangeLow = rangeLow;
        _rangeHigh = rangeHigh;
        _values = values;
        _weights = weights;
        _totalWeight = weights.Sum();
    }

    /// <summary>As given on the command line, e.g. <c>n=10</c>, <c>range 1000-5000</c>, <c>mix 10:90,100000:10</c>.</summary>
    public string Description { get; }

    public int Min => IsRange ? _rangeLow : _values.Min();

    public int Max => IsRange ? _rangeHigh : _values.Max();

    /// <summary>How many distinct n the workload produces (the replies to precompute).</summary>
    public long DistinctCount => IsRange ? (long)_rangeHigh - _rangeLow + 1 : _values.Length;

    private bool IsRange => _values.Length == 0;

    /// <summary>Every distinct n, smallest first.</summary>
    public IEnumerable<int> DistinctValues => IsRange
        ? Enumerable.Range(_rangeLow, _rangeHigh - _rangeLow + 1)
        : _values.Order();

    public static Workload Fixed(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return new Workload($"n={n.ToString(CultureInfo.InvariantCulture)}", 0, 0, [n], [1]);
    }

    /// <summary>Draws the next n. Thread-safe as long as each caller brings its own <paramref name="random"/>.</summary>
    public int Next(Random random)
    {
        if (IsRange)
        {
            return random.Next(_rangeLow, _rangeHigh + 1);
        }

        if (_values.Length == 1)
        {
            return _values[0];
        }

        // Few entries: a linear scan of the weights beats a binary search and stays obvious.
        var ticket = random.NextInt64(_totalWeight);
        var i = 0;
        while (ticket >= _weights[i])
        {
            ticket -= _weights[i++];
        }

        return _values[i];
    }

    /// <summary>Parses <c>LOW-HIGH</c> (inclusive, LOW &lt;= HIGH, both non-negative).</summary>
    public static bool TryParseRange(string text, out Workload? workload, out string? error)
    {
        workload = null;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TryParseN(parts[0], out var low) || !TryParseN(parts[1], out var high))
        {
            error = $"--range '{text}': expected LOW-HIGH with two non-negative integers, e.g. 1000-5000";
            return false;
        }

        if (low > high)
        {
            error = $"--range '{text}': LOW must not be larger than HIGH";
            return false;
        }

        error = null;
        workload = new Workload(FormattableString.Invariant($"range {low}-{high}"), low, high, [], []);
        return true;
    }

    /// <summary>Parses <c>N:WEIGHT,N:WEIGHT,...</c>: positive integer weights, each n at most once.</summary>
    public static bool TryParseMix(string text, out Workload? workload, out string? error)
    {
        workload = null;
        var values = new List<int>();
        var weights = new List<long>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var pair = entry.Split(':', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !TryParseN(pair[0], out var n)
                || !long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight <= 0)
            {
                error = $"--mix '{text}': entry '{entry}' is not N:WEIGHT with n >= 0 and a positive integer weight, e.g. 10:90,100000:10";
                return false;
            }

            if (values.Contains(n))
            {
                error = $"--mix '{text}': n={n} is given twice";
                return false;
            }

            values.Add(n);
            weights.Add(weight);
        }

        error = null;
        var description = "mix " + string.Join(',', values.Select((n, i) => FormattableString.Invariant($"{n}:{weights[i]}")));
        workload = new Workload(description, 0, 0, [.. values], [.. weights]);
        return true;
    }

    /// <summary>The share of requests that ask for <paramref name="n"/> (0 when it is not in the workload).</summary>
    public double Share(int n)
    {
        if (IsRange)
        {
            return n >= _rangeLow && n <= _rangeHigh ? 1.0 / DistinctCount : 0;
        }

        var index = Array.IndexOf(_values, n);
        return index < 0 ? 0 : (double)_weights[index] / _totalWeight;
    }

    private static bool TryParseN(string text, out int n) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n);
}
