using CoSell.Application.Abstractions;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;

namespace CoSell.Application.DuplicateChecks;

/// <summary>
/// Holds the claims-index keys of the submissions being judged, process-wide. A submission holds every key of its
/// customer at once or waits; two submissions that share no key (so cannot match each other) never wait for each
/// other, and taking all keys in one step cannot deadlock.
/// </summary>
public sealed class ClaimGate
{
    private readonly Lock _lock = new();

    // A held key, with who waits for it to be let go (null while nobody does).
    private readonly Dictionary<ulong, List<TaskCompletionSource>?> _held = [];

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

    /// <summary>Waits until none of <paramref name="keys"/> is held, then holds them all until the answer is disposed.</summary>
    public async Task<IDisposable> EnterAsync(IEnumerable<ulong> keys, CancellationToken cancellationToken)
    {
        var distinct = keys.ToHashSet();
        while (true)
        {
            TaskCompletionSource released;
            lock (_lock)
            {
                if (!distinct.Any(_held.ContainsKey))
                {
                    foreach (var key in distinct)
                    {
                        _held.Add(key, null);
                    }

                    return new Lease(this, distinct);
                }

                released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (_held[distinct.First(_held.ContainsKey)] ??= []).Add(released);
            }

            // Woken when that key is let go; then every key is tried again, as another may have been taken meanwhile.
            await released.Task.WaitAsync(cancellationToken);
        }
    }

    private void Release(IReadOnlyCollection<ulong> keys)
    {
        List<TaskCompletionSource>? waiting = null;
        lock (_lock)
        {
            foreach (var key in keys)
            {
                if (_held.Remove(key, out var waiters) && waiters is not null)
                {
                    (waiting ??= []).AddRange(waiters);
                }
            }
        }

        foreach (var waiter in waiting ?? [])
        {
            waiter.TrySetResult();
        }
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
/// </summary>
public sealed class SubmissionJudge(ClaimGate gate, ClaimsIndex index, CustomerNormaliser normaliser, IClaimCollisionDetector collisions, CommandCompletion completion)
{
    public async Task<DuplicateAssessment> JudgeAsync(DealRegistration registration, CancellationToken cancellationToken)
    {
        await HoldAsync([registration.Customer], cancellationToken);
        var duplicate = await collisions.AssessAsync(DuplicateQuery.For(registration), cancellationToken);
        if (duplicate.Matches.Count > 0)
        {
            // Taken after the customer's keys and never the other way round, so no two submissions wait for each other in a ring.
            var matched = await gate.EnterAsync(duplicate.Matches.Select(m => ClaimKey(m.ClaimId)), cancellationToken);
            completion.WhenFinished(matched.Dispose);
        }

        return duplicate;
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
