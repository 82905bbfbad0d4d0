using System.Globalization;

namespace FibRpc.IntegrationTests.Faults;

/// <summary>
/// What one injected fault cost. Lost counts confirmed requests that were neither answered nor dead-lettered: it
/// must be 0. Rows are appended, as a markdown table row, to the file named by <c>FIBRPC_FAULT_REPORT</c> when set
/// (docs/reliability.md quotes them).
/// </summary>
public sealed record FaultReport(string Fault, long Sent, int Confirmed, int Answered, long Duplicates, int DeadLettered, int Lost, long Wrong, TimeSpan? Recovery)
{
    private static readonly Lock FileGate = new();

    public string Row => string.Create(CultureInfo.InvariantCulture,
        $"| {Fault} | {Sent} | {Confirmed} | {Answered} | {Duplicates} | {DeadLettered} | {Lost} | {(Recovery is { } recovery ? $"{recovery.TotalSeconds:0.00} s" : "n/a")} |");

    public void Publish(Xunit.Abstractions.ITestOutputHelper output)
    {
        output.WriteLine("| fault | sent | confirmed | answered | duplicates | dead-lettered | lost | first answer after recovery |");
        output.WriteLine(Row);
        if (Environment.GetEnvironmentVariable("FIBRPC_FAULT_REPORT") is { Length: > 0 } path)
        {
            lock (FileGate)
            {
                File.AppendAllText(path, Row + Environment.NewLine);
            }
        }
    }
}
