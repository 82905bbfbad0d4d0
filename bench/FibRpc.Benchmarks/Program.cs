using BenchmarkDotNet.Running;
using FibRpc.Benchmarks.Capacity;
using FibRpc.Benchmarks.Ceiling;
using FibRpc.Benchmarks.ColdStart;
using FibRpc.Benchmarks.FunctionStart;
using FibRpc.Benchmarks.HotPath;
using FibRpc.Benchmarks.Plan;
using FibRpc.Benchmarks.ReplyCache;
using FibRpc.Benchmarks.Report;

// plan ...: the RPC benchmarks side by side in one run (Plan/): consumers, fibrpc bench rounds, report.
// ceiling ...: a ceiling reference consumer (see Ceiling/CeilingCommand.cs), started by plan.
// probe ...: the serve stack in-process, reporting bytes allocated and CPU per request under outside load (HotPath/).
// reply-cache ...: what the reply cache buys one worker at prefetch 1 (ReplyCache/), for docs/benchmarks.md.
// first-reply ...: start-to-first-reply of a fresh fibrpc serve against its warm round trip (ColdStart/).
// function-first-reply ...: the function's first invocation in a fresh worker, with and without its warm-up (FunctionStart/).
// capacity ...: the worker table of docs/scaling.md: 1..k serve on the single node and on the cluster (Capacity/).
// report ...: turns the results of plan into the table in docs/benchmarks.md and the latency plot.
// Anything else runs the BenchmarkDotNet suites: dotnet run -c Release --project bench/FibRpc.Benchmarks -- --filter '*'
return args switch
{
    ["plan", .. var rest] => await PlanCommand.RunAsync(rest),
    ["ceiling", .. var rest] => await CeilingCommand.RunAsync(rest),
    ["report", .. var rest] => await ReportCommand.RunAsync(rest),
    ["probe", .. var rest] => await ServeProbe.RunAsync(rest),
    ["reply-cache", .. var rest] => ReplyCacheCommand.Run(rest),
    ["first-reply", .. var rest] => await FirstReplyCommand.RunAsync(rest),
    ["function-first-reply", .. var rest] => await FunctionFirstReplyCommand.RunAsync(rest),
    ["function-first-reply-once", .. var rest] => await FunctionFirstReplyCommand.RunOnceAsync(rest),
    ["capacity", .. var rest] => await CapacityCommand.RunAsync(rest),
    _ => RunSuites(args),
};

static int RunSuites(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(CeilingCommand).Assembly).Run(args);
    return 0;
}
