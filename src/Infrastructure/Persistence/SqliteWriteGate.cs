namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer. Rather than letting concurrent transactions fight over the file lock and back
/// off, every commit in this process passes through this gate, one at a time (ADR 0005).
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await write(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
