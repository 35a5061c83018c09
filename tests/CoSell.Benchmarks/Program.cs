using BenchmarkDotNet.Running;
using CoSell.Benchmarks.Identity;

namespace CoSell.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["latency", .. var sizes])
        {
            LatencyReport.Run(sizes);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
