using System.Diagnostics;
using System.Globalization;

namespace FibRpc.Benchmarks.Plan;

/// <summary>CPU time of the broker and of the whole machine, read from /proc around each run.</summary>
internal static class CpuReadings
{
    /// <summary>Busy and total jiffies of all cores since boot (/proc/stat's first line); only their differences are used.</summary>
    public static (long Busy, long Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal: idle and iowait are the idle ones.
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return (busy, busy + fields[3] + fields[4]);
    }

    /// <summary>The broker's Erlang VM on this machine, if there is one to read.</summary>
    public static Process? Broker() => Process.GetProcessesByName("beam.smp").FirstOrDefault();

    public static TimeSpan CpuOf(Process? process)
    {
        if (process is null)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
    }
}
