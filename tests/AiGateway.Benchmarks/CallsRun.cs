namespace AiGateway.Benchmarks;

/// <summary>
/// Runs one benchmark method of <see cref="ChatBenchmarks"/> or <see cref="ApiBenchmarks"/> a fixed number of times, set up exactly as BenchmarkDotNet
/// sets it up, for instruction counting under valgrind (see <c>instructions.sh</c>): time on this shared 2-core machine
/// moves by tens of percent between runs, instruction counts do not.
/// </summary>
internal static class CallsRun
{
    /// <summary>Calls made before the counted ones, in both runs alike, so code first reached late (and JIT-compiled then) is not counted per call.</summary>
    private const int WarmUp = 1000;

    public static async Task<int> RunAsync(string method, int calls, bool byType = false)
    {
        var (call, cleanup) = await SetUpAsync(method);
        for (int i = 0; i < WarmUp; i++)
        {
            await call();
        }

        // Allocation per call is exact whatever the machine's load: printed to stderr, beside the instruction counts.
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int collections = GC.CollectionCount(0);
        using var sampler = byType ? new AllocationSampler() : null;
        for (int i = 0; i < calls; i++)
        {
            await call();
        }

        await Console.Error.WriteLineAsync(
            $"{method}: {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / calls} bytes allocated per call, {GC.CollectionCount(0) - collections} collections");
        if (sampler is not null)
        {
            foreach (var (type, bytes) in sampler.BytesByType.OrderByDescending(pair => pair.Value))
            {
                await Console.Error.WriteLineAsync($"  {bytes / calls,8} B  {type}");
            }
        }

        cleanup();
        return 0;
    }

    private static async Task<(Func<Task> Call, Action Cleanup)> SetUpAsync(string method)
    {
        if (typeof(ChatBenchmarks).GetMethod(method) is { } chat)
        {
            var benchmarks = new ChatBenchmarks();
            await benchmarks.SetupAsync();
            return (chat.CreateDelegate<Func<Task>>(benchmarks), benchmarks.Cleanup);
        }

        if (typeof(ApiBenchmarks).GetMethod(method) is { } api)
        {
            var benchmarks = new ApiBenchmarks();
            benchmarks.Setup();
            return (api.CreateDelegate<Func<Task>>(benchmarks), benchmarks.Cleanup);
        }

        throw new ArgumentException($"Neither ChatBenchmarks nor ApiBenchmarks has a method '{method}'.", nameof(method));
    }
}
