namespace FibRpc.Cli.Commands;

/// <summary>How serve writes its log: for people (simple) or for log collectors (json).</summary>
internal enum LogFormat
{
    Simple,
    Json,
}
