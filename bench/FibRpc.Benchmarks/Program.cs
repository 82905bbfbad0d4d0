using BenchmarkDotNet.Running;

// Runs the BenchmarkDotNet suites of this assembly: dotnet run -c Release --project bench/FibRpc.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
