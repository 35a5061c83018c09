using System.Runtime.InteropServices;

namespace CoSell.Infrastructure.Hosting;

/// <summary>
/// The C heap under the managed one (SQLite's page caches and statements, the runtime's own allocations). glibc keeps
/// the pages a burst of work freed for the next burst; after start-up there is no next burst, so they are handed back.
/// </summary>
public static class NativeHeap
{
    private static long _answers;

    /// <summary>
    /// How many times the C library's <c>malloc_trim</c> has been called and has returned in this process: what tells a
    /// trim that reached the C library from one that only said it could (a test reads it).
    /// </summary>
    public static long Answers => Interlocked.Read(ref _answers);

    /// <summary>Returns the C heap's free pages to the system; false where the C library has no <c>malloc_trim</c> (musl, macOS, Windows).</summary>
    /// <returns>Whether the C library could be asked, not whether it had pages to give back.</returns>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0); // 1 when pages went back, 0 when there were none to give
            return true;
        }
        catch (Exception)
        {
            // No C library to ask (DllNotFoundException, EntryPointNotFoundException) or anything else: memory kept
            // is no reason to fail the start-up that calls this.
            return false;
        }
    }

    /// <summary>Calls <c>malloc_trim</c> and counts its answer in <see cref="Answers"/>.</summary>
    private static int MallocTrim(nuint pad)
    {
        var answer = CMallocTrim(pad);
        Interlocked.Increment(ref _answers);
        return answer;
    }

    // A plain DllImport: the call passes and returns blittable values only, so no marshalling code is generated for it.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int CMallocTrim(nuint pad);
}
