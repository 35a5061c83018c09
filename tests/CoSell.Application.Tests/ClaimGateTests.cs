using CoSell.Application.DuplicateChecks;

namespace CoSell.Application.Tests;

public sealed class ClaimGateTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task SubmissionsThatShareNoKey_DoNotWaitForEachOther()
    {
        var gate = new ClaimGate();

        using var first = await gate.EnterAsync([1, 2, 3], CancellationToken.None);
        var second = gate.EnterAsync([4, 5], CancellationToken.None);

        second.IsCompletedSuccessfully.Should().BeTrue();
        (await second).Dispose();
        gate.HeldKeys.Should().Be(3);
    }

    [Fact]
    public async Task ASubmissionSharingAKey_WaitsUntilTheHolderLetsGo_ThenHoldsAllItsKeys()
    {
        var gate = new ClaimGate();
        var first = await gate.EnterAsync([1, 2, 3], CancellationToken.None);

        var second = gate.EnterAsync([3, 7], CancellationToken.None);
        await Task.Delay(Settle);
        second.IsCompleted.Should().BeFalse("key 3 is held");
        gate.HeldKeys.Should().Be(3, "a waiter holds none of its keys, so it blocks nobody else");

        first.Dispose();
        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(5));
        gate.HeldKeys.Should().Be(2);
    }

    [Fact]
    public async Task AWaiterWokenByOneKey_KeepsWaitingWhileAnotherOfItsKeysIsHeld()
    {
        var gate = new ClaimGate();
        var holdsOne = await gate.EnterAsync([1], CancellationToken.None);
        var holdsTwo = await gate.EnterAsync([2], CancellationToken.None);

        var both = gate.EnterAsync([1, 2], CancellationToken.None);
        holdsOne.Dispose();
        await Task.Delay(Settle);
        both.IsCompleted.Should().BeFalse("key 2 is still held");

        holdsTwo.Dispose();
        (await both.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        gate.HeldKeys.Should().Be(0);
    }

    [Fact]
    public async Task ANewcomer_DoesNotOvertakeAnEarlierWaiterThatWantsOneOfItsKeys()
    {
        var gate = new ClaimGate();
        var first = await gate.EnterAsync([1], CancellationToken.None);
        var earlier = gate.EnterAsync([1, 2], CancellationToken.None);

        var newcomer = gate.EnterAsync([2], CancellationToken.None);
        var unrelated = gate.EnterAsync([3], CancellationToken.None);

        unrelated.IsCompletedSuccessfully.Should().BeTrue("nobody holds or waits for key 3");
        (await unrelated).Dispose();
        await Task.Delay(Settle);
        newcomer.IsCompleted.Should().BeFalse("key 2 is free, but an earlier waiter wants it");
        gate.Waiting.Should().Be(2);

        first.Dispose();
        var lease = await earlier.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(Settle);
        newcomer.IsCompleted.Should().BeFalse("the earlier waiter now holds key 2");

        lease.Dispose();
        (await newcomer.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        gate.HeldKeys.Should().Be(0);
        gate.Waiting.Should().Be(0);
    }

    [Fact]
    public async Task AWaiterThatGivesUp_LetsThoseBehindItThrough()
    {
        var gate = new ClaimGate();
        var holder = await gate.EnterAsync([1], CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var ahead = gate.EnterAsync([1, 2], cancel.Token);
        var behind = gate.EnterAsync([2], CancellationToken.None);
        await Task.Delay(Settle);
        behind.IsCompleted.Should().BeFalse();

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => ahead).Should().ThrowAsync<OperationCanceledException>();
        (await behind.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        holder.Dispose();
        gate.HeldKeys.Should().Be(0);
        gate.Waiting.Should().Be(0);
    }

    [Fact]
    public async Task AWaiterWhoseRequestIsCancelled_StopsWaiting_AndTakesNothing()
    {
        var gate = new ClaimGate();
        var holder = await gate.EnterAsync([1], CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiter = gate.EnterAsync([1, 2], cancel.Token);
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => waiter).Should().ThrowAsync<OperationCanceledException>();
        gate.HeldKeys.Should().Be(1);
        holder.Dispose();
        (await gate.EnterAsync([1, 2], CancellationToken.None)).Dispose();
        gate.HeldKeys.Should().Be(0);
    }

    [Fact]
    public async Task ManySubmissionsOnOneKey_PassOneAtATime()
    {
        var gate = new ClaimGate();
        var inside = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var lease = await gate.EnterAsync([42, (ulong)(1000 + i)], CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        }));

        most.Should().Be(1);
        gate.HeldKeys.Should().Be(0);
    }

    [Fact]
    public async Task LettingGoTwice_LetsGoOnce()
    {
        var gate = new ClaimGate();
        var lease = await gate.EnterAsync([1], CancellationToken.None);
        lease.Dispose();
        var next = await gate.EnterAsync([1], CancellationToken.None);

        lease.Dispose();

        gate.HeldKeys.Should().Be(1, "the second lease on key 1 is still held");
        next.Dispose();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
