using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;

namespace CoSell.Application.DuplicateChecks;

/// <summary>
/// Holds the claims-index keys of the submissions being judged, process-wide. A submission holds every key of its
/// customer at once or waits, holding none; two submissions that share no key (so cannot match each other) never
/// wait for each other, and taking all keys in one step cannot deadlock. Waiters are served first come, first
/// served: a newcomer does not overtake an earlier waiter that wants one of its keys, so a submission with many
/// keys is not starved by a stream of submissions on one of them.
/// </summary>
public sealed class ClaimGate
{
    private readonly Lock _lock = new();
    private readonly HashSet<ulong> _held = [];
    private readonly LinkedList<Waiter> _queue = [];

    /// <summary>Keys held now (for tests and diagnostics).</summary>
    public int HeldKeys
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Submissions waiting for keys now (for tests and diagnostics).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Waits until none of <paramref name="keys"/> is held or wanted by an earlier waiter, then holds them all until the answer is disposed.</summary>
    public async Task<IDisposable> EnterAsync(IEnumerable<ulong> keys, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(keys.ToHashSet());
        lock (_lock)
        {
            if (!waiter.Keys.Overlaps(_held) && !_queue.Any(w => w.Keys.Overlaps(waiter.Keys)))
            {
                _held.UnionWith(waiter.Keys);
                return new Lease(this, waiter.Keys);
            }

            waiter.Node = _queue.AddLast(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (waiter.Node?.List is not null)
                {
                    // Still waiting: leave the queue, and let those it held up try again.
                    _queue.Remove(waiter.Node);
                    GrantLocked()?.ForEach(w => w.Granted.TrySetResult());
                    throw;
                }
            }

            // Granted in the same moment: nobody will use the keys, so they go back.
            Release(waiter.Keys);
            throw;
        }

        return new Lease(this, waiter.Keys);
    }

    private void Release(IReadOnlyCollection<ulong> keys)
    {
        List<Waiter>? granted;
        lock (_lock)
        {
            _held.ExceptWith(keys);
            granted = GrantLocked();
        }

        granted?.ForEach(w => w.Granted.TrySetResult());
    }

    /// <summary>In queue order, gives each waiter its keys when none is held or wanted by a waiter still ahead of it.</summary>
    private List<Waiter>? GrantLocked()
    {
        List<Waiter>? granted = null;
        var wantedAhead = new HashSet<ulong>();
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            if (!waiter.Keys.Overlaps(_held) && !waiter.Keys.Overlaps(wantedAhead))
            {
                _held.UnionWith(waiter.Keys);
                _queue.Remove(node);
                (granted ??= []).Add(waiter);
            }
            else
            {
                wantedAhead.UnionWith(waiter.Keys);
            }

            node = next;
        }

        return granted;
    }

    private sealed class Waiter(HashSet<ulong> keys)
    {
        public HashSet<ulong> Keys { get; } = keys;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }

    private sealed class Lease(ClaimGate gate, IReadOnlyCollection<ulong> keys) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Release(keys);
            }
        }
    }
}

/// <summary>
/// Judges a submission against the live claims so that, of two submissions that could match each other at the same
/// moment, the second is judged against the first: a submission takes its customer's keys in the
/// <see cref="ClaimGate"/> before its check and lets them go once its command has finished, by when its claim is
/// committed and filed in the claims index (or the command failed and there is no claim). Two submissions that do
/// not match each other but both match a third claim would each open a conflict case on it: after its check a
/// submission also takes a key for each claim it matched, so the second joins the case the first opened.
/// A claim's exit (a withdrawal, a deal closed) takes no key: it reaches the index once its command has finished, so a
/// check may read the index between the exit's commit and then. The claims it matched are therefore looked up in the
/// store, and a check that matched one the store no longer holds live is made again without it.
/// </summary>
public sealed class SubmissionJudge(
    ClaimGate gate,
    ClaimsIndex index,
    CustomerNormaliser normaliser,
    IClaimCollisionDetector collisions,
    CommandCompletion completion,
    IRepository<DealRegistration> registrations,
    IRepository<Opportunity> opportunities)
{
    public async Task<DuplicateAssessment> JudgeAsync(DealRegistration registration, CancellationToken cancellationToken)
    {
        await HoldAsync([registration.Customer], cancellationToken);
        var duplicate = await AssessLiveAsync(registration, cancellationToken);
        if (duplicate.Matches.Count > 0)
        {
            // Taken after the customer's keys and never the other way round, so no two submissions wait for each other in a ring.
            var matched = await gate.EnterAsync(duplicate.Matches.Select(m => ClaimKey(m.ClaimId)), cancellationToken);
            completion.WhenFinished(matched.Dispose);
        }

        return duplicate;
    }

    /// <summary>
    /// Judges the registration's customer against the claims the store holds live: a claim the index still files though
    /// its exit has committed is left out, and so is any that leaving it out brings in, until none is left (the matcher
    /// answers the strongest matches only, so one step may surface claims the first did not show).
    /// </summary>
    public async Task<DuplicateAssessment> AssessLiveAsync(DealRegistration registration, CancellationToken cancellationToken)
    {
        var query = DuplicateQuery.For(registration);
        var duplicate = await collisions.AssessAsync(query, cancellationToken);
        var departed = new HashSet<Guid>();
        while (duplicate.Matches.Count > 0 && await DepartedAsync(duplicate.Matches, cancellationToken) is { Count: > 0 } more)
        {
            departed.UnionWith(more);
            duplicate = await collisions.AssessAsync(query with { Departed = departed }, cancellationToken);
        }

        return duplicate;
    }

    /// <summary>The matched claims the store no longer holds live: registrations out of a live state, direct deals closed.</summary>
    private async Task<IReadOnlySet<Guid>> DepartedAsync(IReadOnlyList<ClaimReference> matches, CancellationToken cancellationToken)
    {
        var registrationIds = matches.Where(m => m.Kind == ClaimKind.Registration).Select(m => m.ClaimId).ToList();
        var directIds = matches.Where(m => m.Kind == ClaimKind.DirectOpportunity).Select(m => m.ClaimId).ToList();
        var live = new HashSet<Guid>();
        if (registrationIds.Count > 0)
        {
            live.UnionWith(await registrations.ListAsync(new LiveRegistrationClaimsSpec(registrationIds), cancellationToken));
        }

        if (directIds.Count > 0)
        {
            live.UnionWith(await opportunities.ListAsync(new LiveDirectClaimsSpec(directIds), cancellationToken));
        }

        return matches.Select(m => m.ClaimId).Where(id => !live.Contains(id)).ToHashSet();
    }

    /// <summary>
    /// Holds the keys of <paramref name="customers"/> until the command has finished. A live claim whose customer is
    /// edited holds the old and the new customer's keys, so that no submission is judged while the index still files
    /// the claim under the old customer and the new one is not yet committed.
    /// </summary>
    public async Task HoldAsync(IEnumerable<Customer> customers, CancellationToken cancellationToken)
    {
        var lease = await gate.EnterAsync(customers.SelectMany(c => index.KeysOf(normaliser.Normalise(c))), cancellationToken);
        completion.WhenFinished(lease.Dispose);
    }

    // A claim's id as a gate key. Sharing a value with some index key would only make two submissions wait for each other.
    private static ulong ClaimKey(Guid claimId)
    {
        Span<byte> bytes = stackalloc byte[16];
        claimId.TryWriteBytes(bytes);
        return BitConverter.ToUInt64(bytes) ^ BitConverter.ToUInt64(bytes[8..]);
    }
}

/// <summary>Of the given registrations, the ids of those the store holds as live claims.</summary>
public sealed class LiveRegistrationClaimsSpec : Specification<DealRegistration, Guid>
{
    public LiveRegistrationClaimsSpec(IReadOnlyCollection<Guid> ids)
    {
        var live = RegistrationLifecycle.ActiveClaim.ToList();
        Query.AsNoTracking().Where(r => ids.Contains(r.Id) && live.Contains(r.Status)).Select(r => r.Id);
    }
}

/// <summary>Of the given opportunities, the ids of the direct deals the store holds open: the live direct claims.</summary>
public sealed class LiveDirectClaimsSpec : Specification<Opportunity, Guid>
{
    public LiveDirectClaimsSpec(IReadOnlyCollection<Guid> ids)
    {
        var open = OpportunityStages.Open.ToList();
        Query.AsNoTracking().Where(o => ids.Contains(o.Id) && o.Source.Kind == OpportunitySourceKind.Direct && open.Contains(o.Stage)).Select(o => o.Id);
    }
}
