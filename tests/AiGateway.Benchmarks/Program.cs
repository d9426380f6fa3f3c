using AiGateway.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AiGateway.Benchmarks -- --filter '*'          BenchmarkDotNet table
// dotnet run -c Release --project tests/AiGateway.Benchmarks -- --load [requests] [concurrency]
// dotnet run -c Release --project tests/AiGateway.Benchmarks -- --first-token [iterations]
// tests/AiGateway.Benchmarks/instructions.sh Adapter Ours ...                           instructions per call (valgrind)
// dotnet run -c Release --project tests/AiGateway.Benchmarks -- --calls Ours 5000 [--by-type]   bytes per call [by type, sampled]
if (args is ["--load", ..])
{
    return await LoadRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500);
}

if (args is ["--calls", var method, var calls, ..])
{
    return await CallsRun.RunAsync(method, int.Parse(calls, System.Globalization.CultureInfo.InvariantCulture), byType: args is [.., "--by-type"]);
}

if (args is ["--first-token", ..])
{
    return await FirstTokenRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000);
}

BenchmarkSwitcher.FromAssembly(typeof(ChatBenchmarks).Assembly).Run(args);
return 0;
