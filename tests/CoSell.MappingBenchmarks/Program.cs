using System.Diagnostics;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/CoSell.MappingBenchmarks -- --filter '*'
// Each benchmark class names its own in-process job (see Benchmarks.cs).
BenchmarkSwitcher.FromAssembly(typeof(CoSell.MappingBenchmarks.MappingData).Assembly).Run(args);

// In-process runs hold the inputs too, so this is an upper bound on what the measured work needed.
Console.WriteLine($"Peak working set of the benchmark process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
