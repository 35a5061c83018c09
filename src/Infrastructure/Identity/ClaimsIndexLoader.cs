using System.Data.Common;
using System.Text.Json;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Identity;

/// <summary>
/// Rebuilds the in-memory claims index from the live claims in the database at start-up. Ready waits for it (ready
/// means the duplicate check sees every live claim), so the registrations, which are nearly all of the claims, are
/// read with one plain query per core over the columns a claim needs and normalised as they are read; the few open
/// direct opportunities follow with one more. The queries name the columns and read the stored formats of the EF Core
/// mapping themselves: a start compiles no EF Core query for them, whose pipeline an idle service would otherwise keep
/// loaded (ADR 0015). <c>ClaimsIndexLoaderTests</c> holds them to the mapping (every loaded claim equals the one the
/// entity makes).
/// </summary>
public sealed class ClaimsIndexLoader(CoSellDbContext db, ClaimsIndex index, CustomerNormaliser normaliser, ILogger<ClaimsIndexLoader> logger)
{
    /// <summary>
    /// Replaces the index's claims with the live claims stored. The index is held from before the read until the claims
    /// are filed (<see cref="ClaimsIndex.Reload"/>); <paramref name="held"/> is called once it is.
    /// </summary>
    public int Load(Action? held = null, CancellationToken cancellationToken = default)
    {
        var count = 0;
        index.Reload(
            () =>
            {
                // Each core reads and normalises its share of the registrations on a connection of its own.
                var connectionString = db.Database.GetConnectionString();
                var shares = new List<CustomerClaim>[Environment.ProcessorCount];
                Parallel.For(0, shares.Length, new ParallelOptions { CancellationToken = cancellationToken }, share =>
                    shares[share] = ReadLiveRegistrations(connectionString, share, shares.Length, cancellationToken));

                var opportunities = ReadOpenDirectOpportunities(connectionString, cancellationToken);
                var claims = new List<CustomerClaim>(shares.Sum(s => s.Count) + opportunities.Count);
                foreach (var share in shares)
                {
                    claims.AddRange(share);
                }

                claims.AddRange(opportunities);
                count = claims.Count;
                return claims;
            },
            held);
        logger.LogInformation("Claims index holds {Count} live claims in {Megabytes:F1} MiB", count, index.ApproximateSizeInBytes / 1048576.0);
        return count;
    }

    /// <summary>The claims of the live registrations whose row id leaves <paramref name="share"/> when divided by <paramref name="shares"/>.</summary>
    private List<CustomerClaim> ReadLiveRegistrations(string? connectionString, int share, int shares, CancellationToken cancellationToken)
    {
        using var connection = OpenUnpooled(connectionString);
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$shares", shares);
        command.Parameters.AddWithValue("$share", share);
        // Statuses are stored by name, instants as UTC ticks (ADR 0003), product lines as a JSON array.
        command.CommandText =
            """
            SELECT "Id", "PartnerId", "customer_name", "customer_registrable_domain", "customer_duns", "customer_country",
                   "product_lines", "Status", "CreatedAt", "SubmittedAt", "DecidedAt", "ProtectionEndsAt"
            FROM "registrations"
            """ + $" WHERE \"Status\" IN ({Names(command, "$status", RegistrationLifecycle.ActiveClaim)}) AND rowid % $shares = $share";
        // Most registrations name one of a few product-line sets: each stored set is read once and shared.
        var productLines = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var claims = new List<CustomerClaim>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                claims.Add(ReadRegistration(reader, productLines));
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidCastException or Domain.SeedWork.DomainException)
            {
                throw new InvalidDataException($"Registration {reader.GetValue(0)} cannot be read as a claim: {e.Message}", e);
            }
        }

        return claims;
    }

    private CustomerClaim ReadRegistration(SqliteDataReader reader, Dictionary<string, List<string>> productLines)
    {
        var storedLines = reader.GetString(6);
        if (!productLines.TryGetValue(storedLines, out var lines))
        {
            lines = JsonSerializer.Deserialize<List<string>>(storedLines) ?? [];
            productLines.Add(storedLines, lines);
        }

        var facts = new RegistrationFacts(
            reader.GetGuid(0),
            reader.GetGuid(1),
            new StoredCustomer(reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4), reader.GetString(5)),
            lines,
            Enum.Parse<RegistrationStatus>(reader.GetString(7)),
            Instant(reader, 8)!.Value,
            Instant(reader, 9),
            Instant(reader, 10),
            Instant(reader, 11));
        return CustomerClaim.ForRegistration(facts, normaliser);
    }

    /// <summary>The claims of the open direct opportunities (stages and the source's kind are stored by name).</summary>
    private List<CustomerClaim> ReadOpenDirectOpportunities(string? connectionString, CancellationToken cancellationToken)
    {
        using var connection = OpenUnpooled(connectionString);
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$direct", nameof(OpportunitySourceKind.Direct));
        command.CommandText =
            """
            SELECT "Id", "customer_name", "customer_registrable_domain", "customer_duns", "customer_country", "CreatedAt"
            FROM "opportunities"
            """ + $" WHERE \"source_kind\" = $direct AND \"Stage\" IN ({Names(command, "$stage", OpportunityStages.Open)})";
        var claims = new List<CustomerClaim>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var customer = new StoredCustomer(reader.GetString(1), NullableString(reader, 2), NullableString(reader, 3), reader.GetString(4));
            claims.Add(CustomerClaim.ForDirectOpportunity(reader.GetGuid(0), customer, Instant(reader, 5)!.Value, normaliser));
        }

        return claims;
    }

    /// <summary>Not pooled: a pooled connection would keep the pages this one-off read cached for the life of the process.</summary>
    private static SqliteConnection OpenUnpooled(string? connectionString)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>One parameter for each value's name (enums are stored by name), listed for an <c>IN (…)</c>.</summary>
    private static string Names<T>(SqliteCommand command, string prefix, IEnumerable<T> values)
        where T : struct, Enum =>
        string.Join(", ", values.Select((value, i) => command.Parameters.AddWithValue(prefix + i, value.ToString()).ParameterName));

    private static DateTimeOffset? Instant(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
