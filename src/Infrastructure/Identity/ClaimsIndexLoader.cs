using System.Data.Common;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Identity;

/// <summary>
/// Rebuilds the in-memory claims index from the live claims in the database at start-up. Ready waits for it (ready
/// means the duplicate check sees every live claim), so the registrations, which are nearly all of the claims, are
/// read with one plain query over the columns a claim needs, in the column names and stored formats the EF Core
/// model gives, and normalised on every core.
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
                var columns = new RegistrationColumns(db.Model);
                var connectionString = db.Database.GetConnectionString();
                var shares = new List<CustomerClaim>[Environment.ProcessorCount];
                Parallel.For(0, shares.Length, new ParallelOptions { CancellationToken = cancellationToken }, share =>
                    shares[share] = ReadLiveRegistrations(connectionString, columns, share, shares.Length, cancellationToken));

                var open = OpportunityStages.Open.ToList();
                var opportunities = db.Opportunities.AsNoTracking()
                    .Where(o => o.Source.Kind == OpportunitySourceKind.Direct && open.Contains(o.Stage))
                    .AsEnumerable()
                    .Select(o => CustomerClaim.ForDirectOpportunity(o, normaliser))
                    .ToList();
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
        logger.LogInformation("Claims index holds {Count} live claims", count);
        return count;
    }

    /// <summary>The claims of the live registrations whose row id leaves <paramref name="share"/> when divided by <paramref name="shares"/>.</summary>
    private List<CustomerClaim> ReadLiveRegistrations(string? connectionString, RegistrationColumns columns, int share, int shares, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        var statuses = new List<string>();
        foreach (var status in RegistrationLifecycle.ActiveClaim)
        {
            var parameter = command.Parameters.AddWithValue($"$status{statuses.Count}", columns.Status.Converter?.ConvertToProvider(status) ?? status);
            statuses.Add(parameter.ParameterName);
        }

        command.Parameters.AddWithValue("$shares", shares);
        command.Parameters.AddWithValue("$share", share);
        command.CommandText = $"SELECT {string.Join(", ", columns.Selected.Select(Quote))} FROM {Quote(columns.Table)} " +
            $"WHERE {Quote(columns.Name(columns.Status.Property))} IN ({string.Join(", ", statuses)}) AND rowid % $shares = $share";
        // Most registrations name one of a few product-line sets: each stored set is converted once and shared.
        var productLines = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var claims = new List<CustomerClaim>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var storedLines = reader.IsDBNull(6) ? string.Empty : reader.GetString(6);
            if (!productLines.TryGetValue(storedLines, out var lines))
            {
                lines = columns.ProductLines.Read<List<string>>(reader, 6) ?? [];
                productLines.Add(storedLines, lines);
            }

            var facts = new RegistrationFacts(
                reader.GetGuid(0),
                reader.GetGuid(1),
                new StoredCustomer(reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4), reader.GetString(5)),
                lines,
                columns.Status.Read<RegistrationStatus>(reader, 7),
                columns.CreatedAt.Read<DateTimeOffset>(reader, 8),
                columns.SubmittedAt.Read<DateTimeOffset?>(reader, 9),
                columns.DecidedAt.Read<DateTimeOffset?>(reader, 10),
                columns.ProtectionEndsAt.Read<DateTimeOffset?>(reader, 11));
            claims.Add(CustomerClaim.ForRegistration(facts, normaliser));
        }

        return claims;
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A mapped column with the value converter EF Core would read it through.</summary>
    private sealed class Column(IProperty property)
    {
        public IProperty Property { get; } = property;

        public ValueConverter? Converter { get; } = property.GetTypeMapping().Converter;

        public T Read<T>(DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return default!;
            }

            return Converter is null ? reader.GetFieldValue<T>(ordinal) : (T)Converter.ConvertFromProvider(reader.GetValue(ordinal))!;
        }
    }

    /// <summary>The registration columns a claim is made of, named as the model maps them, in the order they are selected.</summary>
    private sealed class RegistrationColumns
    {
        private readonly StoreObjectIdentifier _table;

        public RegistrationColumns(IModel model)
        {
            var registration = model.FindEntityType(typeof(DealRegistration))!;
            Table = registration.GetTableName()!;
            _table = StoreObjectIdentifier.Table(Table, registration.GetSchema());
            var customer = registration.FindNavigation(nameof(DealRegistration.Customer))!.TargetEntityType;
            var domain = customer.FindNavigation(nameof(Customer.Domain))!.TargetEntityType;
            Status = new Column(registration.FindProperty(nameof(DealRegistration.Status))!);
            ProductLines = new Column(registration.FindProperty("_productLines")!);
            CreatedAt = new Column(registration.FindProperty(nameof(DealRegistration.CreatedAt))!);
            SubmittedAt = new Column(registration.FindProperty(nameof(DealRegistration.SubmittedAt))!);
            DecidedAt = new Column(registration.FindProperty(nameof(DealRegistration.DecidedAt))!);
            ProtectionEndsAt = new Column(registration.FindProperty(nameof(DealRegistration.ProtectionEndsAt))!);
            Selected =
            [
                Name(registration.FindProperty(nameof(DealRegistration.Id))!),
                Name(registration.FindProperty(nameof(DealRegistration.PartnerId))!),
                Name(customer.FindProperty(nameof(Customer.Name))!),
                Name(domain.FindProperty(nameof(WebDomain.Registrable))!),
                Name(customer.FindProperty(nameof(Customer.Duns))!),
                Name(customer.FindProperty(nameof(Customer.Country))!),
                Name(ProductLines.Property),
                Name(Status.Property),
                Name(CreatedAt.Property),
                Name(SubmittedAt.Property),
                Name(DecidedAt.Property),
                Name(ProtectionEndsAt.Property),
            ];
        }

        public string Table { get; }

        public Column Status { get; }

        public Column ProductLines { get; }

        public Column CreatedAt { get; }

        public Column SubmittedAt { get; }

        public Column DecidedAt { get; }

        public Column ProtectionEndsAt { get; }

        public IReadOnlyList<string> Selected { get; }

        public string Name(IProperty property) => property.GetColumnName(_table)!;
    }
}
