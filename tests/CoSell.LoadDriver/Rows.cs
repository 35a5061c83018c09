using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CoSell.LoadDriver;

/// <summary>A partner of the load programme, with the user who registers its deals.</summary>
internal sealed record LoadPartner(Guid Id, string Name, string Tier, string Country, Guid UserId, string UserName, Guid ChannelManagerId);

/// <summary>One row of the <c>registrations</c> table, in the form the service's EF Core mapping stores it.</summary>
internal sealed record RegistrationRow
{
    public required Guid Id { get; init; }
    public required Guid PartnerId { get; init; }
    public required string RegisteredBy { get; init; }
    public required string CustomerName { get; init; }
    public string? CustomerDomain { get; init; }
    public string? CustomerDuns { get; init; }
    public required string Country { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public required DateOnly ExpectedCloseDate { get; init; }
    public string? Notes { get; init; }
    public required string Status { get; init; }
    public int? RulesVersion { get; init; }
    public string? Tier { get; init; }
    public Guid? ReviewerId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? ReviewDueAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public DateTimeOffset? ProtectionEndsAt { get; init; }
    public string? RejectionReason { get; init; }
    public string? LossReason { get; init; }
    public string? ReviewerMessage { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public bool AutoApproved { get; init; }
    public required string ProductLines { get; init; }
    public required long Version { get; init; }
}

/// <summary>One row of the append-only <c>audit_log</c>.</summary>
internal sealed record AuditRow(string AggregateType, Guid AggregateId, string Type, string Actor, DateTimeOffset OccurredAt, string Summary, string Data);

/// <summary>Inserts registrations and their audit rows with prepared commands on one open connection.</summary>
internal sealed class RowWriter : IDisposable
{
    private const string DuplicateClear = """{"verdict":0,"score":0,"reasons":[]}""";

    private static readonly string[] RegistrationColumns =
    [
        "Id", "PartnerId", "RegisteredBy", "customer_name", "customer_domain", "customer_registrable_domain", "customer_country", "customer_duns",
        "value_amount", "value_currency", "ExpectedCloseDate", "Notes", "Status", "RulesVersion", "Tier", "ReviewerId", "CreatedAt", "UpdatedAt",
        "SubmittedAt", "ReviewDueAt", "DecidedAt", "ProtectionEndsAt", "ExtensionsUsed", "RejectionReason", "LossReason", "ReviewerMessage",
        "ClosedAt", "duplicate", "AutoApproved", "product_lines", "Version",
    ];

    private static readonly string[] AuditColumns = ["AggregateType", "AggregateId", "Type", "Actor", "OccurredAt", "Summary", "Data"];

    private readonly SqliteCommand _registration;
    private readonly SqliteCommand _audit;

    public RowWriter(SqliteConnection connection)
    {
        _registration = Prepare(connection, "registrations", RegistrationColumns);
        _audit = Prepare(connection, "audit_log", AuditColumns);
    }

    public SqliteTransaction? Transaction
    {
        set
        {
            _registration.Transaction = value;
            _audit.Transaction = value;
        }
    }

    public void Insert(RegistrationRow r)
    {
        var p = _registration.Parameters;
        p[0].Value = Text(r.Id);
        p[1].Value = Text(r.PartnerId);
        p[2].Value = r.RegisteredBy;
        p[3].Value = r.CustomerName;
        p[4].Value = (object?)r.CustomerDomain ?? DBNull.Value;
        p[5].Value = (object?)r.CustomerDomain ?? DBNull.Value;
        p[6].Value = r.Country;
        p[7].Value = (object?)r.CustomerDuns ?? DBNull.Value;
        p[8].Value = r.Amount.ToString("0.0###########################", CultureInfo.InvariantCulture);
        p[9].Value = r.Currency;
        p[10].Value = r.ExpectedCloseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        p[11].Value = (object?)r.Notes ?? DBNull.Value;
        p[12].Value = r.Status;
        p[13].Value = (object?)r.RulesVersion ?? DBNull.Value;
        p[14].Value = (object?)r.Tier ?? DBNull.Value;
        p[15].Value = r.ReviewerId is { } reviewer ? Text(reviewer) : DBNull.Value;
        p[16].Value = r.CreatedAt.UtcTicks;
        p[17].Value = r.UpdatedAt.UtcTicks;
        p[18].Value = Ticks(r.SubmittedAt);
        p[19].Value = Ticks(r.ReviewDueAt);
        p[20].Value = Ticks(r.DecidedAt);
        p[21].Value = Ticks(r.ProtectionEndsAt);
        p[22].Value = 0;
        p[23].Value = (object?)r.RejectionReason ?? DBNull.Value;
        p[24].Value = (object?)r.LossReason ?? DBNull.Value;
        p[25].Value = (object?)r.ReviewerMessage ?? DBNull.Value;
        p[26].Value = Ticks(r.ClosedAt);
        p[27].Value = DuplicateClear;
        p[28].Value = r.AutoApproved ? 1 : 0;
        p[29].Value = r.ProductLines;
        p[30].Value = r.Version;
        _registration.ExecuteNonQuery();
    }

    public void Insert(AuditRow a)
    {
        var p = _audit.Parameters;
        p[0].Value = a.AggregateType;
        p[1].Value = Text(a.AggregateId);
        p[2].Value = a.Type;
        p[3].Value = a.Actor;
        p[4].Value = a.OccurredAt.UtcTicks;
        p[5].Value = a.Summary;
        p[6].Value = a.Data;
        _audit.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _registration.Dispose();
        _audit.Dispose();
    }

    /// <summary>EF Core's SQLite provider stores a Guid as upper-case text.</summary>
    public static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private static object Ticks(DateTimeOffset? at) => at is { } v ? v.UtcTicks : DBNull.Value;

    private static SqliteCommand Prepare(SqliteConnection connection, string table, string[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        }

        command.Prepare();
        return command;
    }
}

/// <summary>Makes registrations in every lifecycle state, with the audit rows the service would have written on the way.</summary>
internal sealed class RegistrationFactory(DateTimeOffset now)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Products = ["Security", "Cloud", "Analytics", "Networking", "Storage", "Collaboration"];
    private static readonly string[] Suffixes = ["Inc", "GmbH", "Ltd", "KK", "SA", "BV", "AB", "Corp"];

    // Status shares of the stored programme, per 100.
    private static readonly (string Status, int Share)[] Mix =
    [
        ("Draft", 10), ("Submitted", 12), ("UnderReview", 8), ("ActionRequired", 5), ("Approved", 25),
        ("Rejected", 10), ("Won", 12), ("Lost", 8), ("Expired", 5), ("Withdrawn", 5),
    ];

    private static readonly Dictionary<string, int> ProtectionDays = new() { ["Registered"] = 60, ["Silver"] = 90, ["Gold"] = 120, ["Platinum"] = 180 };

    /// <summary>The lifecycle state of the n-th stored registration.</summary>
    public static string StatusFor(int n)
    {
        var slot = (int)((uint)(n * 2654435761L) % 100);
        foreach (var (status, share) in Mix)
        {
            if (slot < share)
            {
                return status;
            }

            slot -= share;
        }

        return "Draft";
    }

    public (RegistrationRow Row, List<AuditRow> Audit) Stored(int n, LoadPartner partner, Random random)
    {
        var status = StatusFor(n);
        var id = Guid.NewGuid();
        var actor = partner.UserId.ToString();
        var manager = partner.ChannelManagerId.ToString();
        var customer = $"{SyntheticNames.Company(n, 1)} {Suffixes[n % Suffixes.Length]}";
        var domain = SyntheticNames.Domain(n, 1);
        var amount = 5_000m + random.Next(0, 400) * 1_000m;

        // Open claims are recent; closed ones reach back over the past year.
        var ageDays = status is "Draft" or "Submitted" or "UnderReview" or "ActionRequired" or "Approved" ? random.Next(1, 30) : random.Next(200, 365);
        var created = now.AddDays(-ageDays).AddSeconds(-random.Next(0, 86_400));
        var audit = new List<AuditRow> { Event(id, partner, "registration.drafted", 0, 0, $"Draft registration for {customer} ({partner.Country}) worth {amount:0.00} USD.", actor, created) };
        var row = new RegistrationRow
        {
            Id = id,
            PartnerId = partner.Id,
            RegisteredBy = actor,
            CustomerName = customer,
            CustomerDomain = domain,
            CustomerDuns = n % 3 == 0 ? (100_000_000 + n).ToString(CultureInfo.InvariantCulture) : null,
            Country = partner.Country,
            Amount = amount,
            Currency = "USD",
            ExpectedCloseDate = DateOnly.FromDateTime(created.UtcDateTime).AddDays(90),
            Notes = n % 4 == 0 ? "Met the buying committee; budget approved for next quarter." : null,
            Status = "Draft",
            CreatedAt = created,
            UpdatedAt = created,
            ProductLines = JsonSerializer.Serialize(new[] { Products[n % Products.Length] }, Json),
            Version = 1,
        };
        if (status == "Draft")
        {
            return (row, audit);
        }

        if (status == "Withdrawn")
        {
            var withdrawn = created.AddDays(2);
            audit.Add(Event(id, partner, "registration.withdrawn", 0, 10, "Withdrawn by the partner.", actor, withdrawn));
            return (row with { Status = status, UpdatedAt = withdrawn, ClosedAt = withdrawn, Version = 2 }, audit);
        }

        var submitted = created.AddHours(2);
        row = row with
        {
            Status = "Submitted",
            RulesVersion = 1,
            Tier = partner.Tier,
            ReviewerId = partner.ChannelManagerId,
            SubmittedAt = submitted,
            ReviewDueAt = submitted.AddHours(48),
            UpdatedAt = submitted,
            Version = 2,
        };
        audit.Add(Event(id, partner, "registration.submitted", 0, 1, $"Submitted under rules v1 as {partner.Tier}; review due by {Iso(submitted.AddHours(48))}; duplicate check: clear.", actor, submitted));
        if (status == "Submitted")
        {
            return (row, audit);
        }

        var reviewed = submitted.AddHours(20);
        audit.Add(Event(id, partner, "registration.review_started", 1, 2, "Review started.", manager, reviewed));
        row = row with { Status = "UnderReview", UpdatedAt = reviewed, Version = 3 };
        switch (status)
        {
            case "UnderReview":
                return (row, audit);
            case "ActionRequired":
                const string message = "Please add the customer's DUNS number and the budget owner.";
                audit.Add(Event(id, partner, "registration.returned", 2, 3, $"Returned to the partner: {message}", manager, reviewed.AddHours(1)));
                return (row with { Status = status, ReviewerMessage = message, UpdatedAt = reviewed.AddHours(1), Version = 4 }, audit);
            case "Rejected":
                audit.Add(Event(id, partner, "registration.rejected", 2, 6, "Rejected: NotQualified.", manager, reviewed.AddHours(1)));
                return (row with { Status = status, RejectionReason = "NotQualified", DecidedAt = reviewed.AddHours(1), UpdatedAt = reviewed.AddHours(1), Version = 4 }, audit);
        }

        var decided = reviewed.AddHours(1);
        var protectionEnds = decided.AddDays(ProtectionDays[partner.Tier]);
        audit.Add(Event(id, partner, "registration.approved", 2, 5, $"Approved; protected until {Iso(protectionEnds)}.", manager, decided));
        row = row with { Status = "Approved", DecidedAt = decided, ProtectionEndsAt = protectionEnds, UpdatedAt = decided, Version = 4 };
        switch (status)
        {
            case "Won":
                var won = decided.AddDays(30);
                audit.Add(Event(id, partner, "registration.won", 5, 7, "Closed as won.", actor, won));
                return (row with { Status = status, ClosedAt = won, UpdatedAt = won, Version = 5 }, audit);
            case "Lost":
                var lost = decided.AddDays(30);
                audit.Add(Event(id, partner, "registration.lost", 5, 8, "Closed as lost: Competitor.", actor, lost));
                return (row with { Status = status, LossReason = "Competitor", ClosedAt = lost, UpdatedAt = lost, Version = 5 }, audit);
            case "Expired":
                audit.Add(Event(id, partner, "registration.expired", 5, 9, $"Protection ended at {Iso(protectionEnds)}; the registration expired.", "system", protectionEnds));
                return (row with { Status = status, ClosedAt = protectionEnds, UpdatedAt = protectionEnds, Version = 5 }, audit);
            default:
                return (row, audit);
        }
    }

    /// <summary>A registration as one HTTP create writes it: a fresh customer, a draft and its audit row.</summary>
    public static (RegistrationRow Row, AuditRow Audit) Created(string customerKey, LoadPartner partner, decimal amount, DateTimeOffset at)
    {
        var id = Guid.CreateVersion7(at);
        var actor = partner.UserId.ToString();
        var customer = $"{SyntheticNames.Company(customerKey.GetHashCode(StringComparison.Ordinal), 3)} Ltd";
        var row = new RegistrationRow
        {
            Id = id,
            PartnerId = partner.Id,
            RegisteredBy = actor,
            CustomerName = customer,
            CustomerDomain = SyntheticNames.Domain(customerKey.GetHashCode(StringComparison.Ordinal), 3),
            Country = partner.Country,
            Amount = amount,
            Currency = "USD",
            ExpectedCloseDate = DateOnly.FromDateTime(at.UtcDateTime).AddDays(60),
            Notes = "Met the CISO at a trade show.",
            Status = "Draft",
            CreatedAt = at,
            UpdatedAt = at,
            ProductLines = """["Security"]""",
            Version = 1,
        };
        return (row, Event(id, partner, "registration.drafted", 0, 0, $"Draft registration for {customer} ({partner.Country}) worth {amount:0.00} USD.", actor, at));
    }

    private static AuditRow Event(Guid id, LoadPartner partner, string type, int from, int to, string summary, string actor, DateTimeOffset at) =>
        new("registration", id, type, actor, at, summary, JsonSerializer.Serialize(
            new { registrationId = id, partnerId = partner.Id, type, from, to, summary, actor, occurredAt = at, statusChanged = from != to }, Json));

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Distinct, unrelated company names and domains, so that no two synthetic customers look alike to the duplicate check.</summary>
internal static class SyntheticNames
{
    public static string Word(long n, int salt)
    {
        var random = new Random(unchecked((int)(n * 7919) ^ (salt * 104729)));
        Span<char> letters = stackalloc char[7];
        for (var i = 0; i < letters.Length; i++)
        {
            letters[i] = (char)('a' + random.Next(26));
        }

        letters[0] = char.ToUpperInvariant(letters[0]);
        return new string(letters);
    }

    public static string Company(long n, int salt) => $"{Word(n, salt)} {Word(n, salt + 1)}";

    public static string Domain(long n, int salt) => $"{Word(n, salt).ToLowerInvariant()}{Word(n, salt + 1).ToLowerInvariant()}.com";
}
