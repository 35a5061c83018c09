using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace CoSell.LoadDriver;

/// <summary>The machine the figures were taken on.</summary>
internal sealed record Machine(int Cores, string Cpu, string Memory, string Os, string Runtime, string Sqlite, string LoadAverage)
{
    public static Machine Describe()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadFirst("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], CultureInfo.InvariantCulture, out var total)
            ? $"{total / 1024 / 1024.0:0.0} GiB"
            : "unknown";
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        var sqlite = (string)command.ExecuteScalar()!;
        return new Machine(Environment.ProcessorCount, cpu, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, sqlite, load);
    }

    private static string? ReadFirst(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return File.ReadLines(path)
            .Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => l.Split(':', 2)[1].Trim())
            .FirstOrDefault();
    }
}
