using System.Globalization;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;
using static CoSell.Domain.SeedWork.TimelineText;

namespace CoSell.Domain.Referrals;

/// <summary>
/// A lead passed between the vendor and one partner. The receiver reads the customer contact only
/// once it accepts; a converted referral stays the source of the registration or opportunity it became.
/// </summary>
public sealed class Referral : AggregateRoot
{
    public const int MaximumProductLines = 20;
    public const int MaximumProductLineLength = 100;
    public const int MaximumMessageLength = 2000;

    private List<string> _productLines = [];

    private Referral()
    {
        Customer = null!;
        Contact = null!;
        SentBy = string.Empty;
    }

    public ReferralDirection Direction { get; private set; }

    /// <summary>The partner on the other side of the vendor: the receiver or the sender.</summary>
    public Guid PartnerId { get; private set; }

    /// <summary>The user id who sent the referral.</summary>
    public string SentBy { get; private set; }

    /// <summary>The vendor user who answers for the referral: its sender, the partner's channel manager, or whoever accepted it.</summary>
    public Guid? VendorUserId { get; private set; }

    public Customer Customer { get; private set; }

    public CustomerContact Contact { get; private set; }

    public IReadOnlyList<string> ProductLines => _productLines;

    public Money? EstimatedValue { get; private set; }

    public string? Message { get; private set; }

    public ReferralStatus Status { get; private set; }

    /// <summary>The rules-of-engagement version that set the accept-by deadline.</summary>
    public int RulesVersion { get; private set; }

    public DateTimeOffset AcceptBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? RespondedAt { get; private set; }

    public string? RespondedBy { get; private set; }

    public DeclineReason? DeclineReason { get; private set; }

    public string? DeclineComment { get; private set; }

    public ReferralConversion? ConvertedTo { get; private set; }

    public Guid? ConvertedId { get; private set; }

    public bool IsReceivedByPartner => Direction == ReferralDirection.VendorToPartner;

    public static Referral Send(
        Guid id,
        ReferralDirection direction,
        Partner partner,
        string sender,
        Guid? vendorUserId,
        Customer customer,
        CustomerContact contact,
        IEnumerable<string>? productLines,
        Money? estimatedValue,
        string? message,
        RulesOfEngagement rules,
        DateTimeOffset at)
    {
        if (!Enum.IsDefined(direction))
        {
            throw new DomainValidationException("referral.direction_unknown", "direction", "Unknown referral direction.");
        }

        if (!partner.IsActive)
        {
            throw new DomainException("partner.suspended", "A suspended partner neither sends nor receives referrals.");
        }

        var lines = (productLines ?? []).Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (lines.Count > MaximumProductLines || lines.Any(l => l.Length > MaximumProductLineLength))
        {
            throw new DomainValidationException("referral.product_lines_invalid", "productLines",
                $"Name at most {MaximumProductLines} product lines of at most {MaximumProductLineLength} characters.");
        }

        FreeText.CheckLength(message, MaximumMessageLength, "referral.text_too_long", "message");

        var referral = new Referral
        {
            Id = id,
            Direction = direction,
            PartnerId = partner.Id,
            SentBy = sender,
            VendorUserId = vendorUserId,
            Customer = customer,
            Contact = contact,
            _productLines = lines,
            EstimatedValue = estimatedValue,
            Message = FreeText.Clean(message),
            Status = ReferralStatus.Pending,
            RulesVersion = rules.Number,
            AcceptBy = at.AddHours(rules.ReferralAcceptSlaHours),
            CreatedAt = at,
            UpdatedAt = at,
        };
        var to = direction == ReferralDirection.VendorToPartner ? $"to {partner.Name}" : $"from {partner.Name} to the vendor";
        referral.Raise(referral.Event("referral.sent", ReferralStatus.Pending,
            $"Referral of {customer.Name} ({customer.Country}) sent {to}; accept by {Instant(referral.AcceptBy)} (rules v{rules.Number}).", sender, at));
        return referral;
    }

    /// <summary>The receiver accepts before the deadline; a vendor acceptor becomes the referral's vendor user.</summary>
    public void Accept(string actor, Guid? vendorUserId, DateTimeOffset at)
    {
        CheckNotOverdue(at);
        Transition(ReferralAction.Accept, "referral.accepted", "Accepted; the customer contact is now shared with the receiver.", actor, at, () =>
        {
            RespondedAt = at;
            RespondedBy = actor;
            if (Direction == ReferralDirection.PartnerToVendor && vendorUserId is { } user)
            {
                VendorUserId = user;
            }
        });
    }

    /// <summary>
    /// Hands a partner's referral still waiting for the vendor to the partner's channel manager of now, or to none: the
    /// manager it went to no longer answers for the partner. One the vendor sent, one already answered, or one past its
    /// accept-by time (no longer waiting, even before the expiry job writes it expired) keeps its user, and lapses there.
    /// </summary>
    public void RouteTo(Guid? vendorUserId, string actor, DateTimeOffset at)
    {
        if (Direction != ReferralDirection.PartnerToVendor || Status != ReferralStatus.Pending || IsOverdue(at) || VendorUserId == vendorUserId)
        {
            return;
        }

        var former = VendorUserId;
        VendorUserId = vendorUserId;
        UpdatedAt = at;
        var summary = vendorUserId is null ? "The partner has no channel manager now: the referral waits for any vendor user to answer it." : "Passed to the partner's new channel manager.";
        Raise(Event("referral.rerouted", Status, summary, actor, at) with { FormerVendorUserId = former, WaitedForAnyVendorUser = former is null });
    }

    public void Decline(DeclineReason reason, string? comment, string actor, DateTimeOffset at)
    {
        if (!Enum.IsDefined(reason))
        {
            throw new DomainValidationException("referral.reason_unknown", "reason", "Unknown decline reason.");
        }

        FreeText.CheckLength(comment, MaximumMessageLength, "referral.text_too_long", "comment");

        CheckNotOverdue(at);
        var text = FreeText.Clean(comment);
        Transition(ReferralAction.Decline, "referral.declined", $"Declined: {reason}.{(text is null ? string.Empty : " " + text)}", actor, at, () =>
        {
            RespondedAt = at;
            RespondedBy = actor;
            DeclineReason = reason;
            DeclineComment = text;
        });
    }

    public bool IsOverdue(DateTimeOffset at) => Status == ReferralStatus.Pending && AcceptBy <= at;

    public void Expire(DateTimeOffset at)
    {
        if (!IsOverdue(at))
        {
            throw new DomainException("referral.not_overdue", "Only a pending referral past its accept-by deadline expires.");
        }

        Transition(ReferralAction.Expire, "referral.expired", $"Expired unanswered at {Instant(AcceptBy)}.", Actors.System, at);
    }

    /// <summary>
    /// Refuses, as <see cref="RecordConversion"/> would, to make this referral a <paramref name="kind"/>: the wrong kind
    /// for its direction, or a referral that is not accepted (pending, expired, or already answered otherwise). A pending
    /// referral past its accept-by deadline is expired, whether or not the expiry service has written it yet.
    /// </summary>
    public void EnsureConvertible(ReferralConversion kind, DateTimeOffset at)
    {
        var expected = Direction == ReferralDirection.VendorToPartner ? ReferralConversion.Registration : ReferralConversion.Opportunity;
        if (kind != expected)
        {
            throw new DomainException("referral.wrong_direction", $"A referral {(IsReceivedByPartner ? "to a partner" : "to the vendor")} becomes {(expected == ReferralConversion.Registration ? "a registration" : "an opportunity")}.");
        }

        if (Status == ReferralStatus.Pending)
        {
            CheckNotOverdue(at);
        }

        if (!ReferralLifecycle.TryMove(Status, ReferralAction.Convert, out _))
        {
            throw Refusal(ReferralAction.Convert);
        }
    }

    /// <summary>Records the registration or opportunity the accepted referral became.</summary>
    public void RecordConversion(ReferralConversion kind, Guid createdId, string actor, DateTimeOffset at)
    {
        EnsureConvertible(kind, at);
        Transition(ReferralAction.Convert, "referral.converted", $"Converted into {(kind == ReferralConversion.Registration ? "registration" : "opportunity")} {createdId}.", actor, at, () =>
        {
            ConvertedTo = kind;
            ConvertedId = createdId;
        });
    }

    private void CheckNotOverdue(DateTimeOffset at)
    {
        if (IsOverdue(at))
        {
            throw new DomainException("referral.expired", $"This referral had to be answered by {Instant(AcceptBy)}.");
        }
    }

    private DomainException Refusal(ReferralAction action) => new(
        Status == ReferralStatus.Pending ? "referral.not_accepted" : Status == ReferralStatus.Expired ? "referral.expired" : "referral.already_answered",
        $"A referral that is {Status} cannot be {Past(action)}.");

    private void Transition(ReferralAction action, string type, string summary, string actor, DateTimeOffset at, Action? apply = null)
    {
        var from = Status;
        var answeredBy = VendorUserId;
        if (!ReferralLifecycle.TryMove(Status, action, out var to))
        {
            throw Refusal(action);
        }

        Status = to;
        apply?.Invoke();
        UpdatedAt = at;
        Raise(Event(type, from, summary, actor, at) with
        {
            FormerVendorUserId = answeredBy == VendorUserId ? null : answeredBy,
            WaitedForAnyVendorUser = Direction == ReferralDirection.PartnerToVendor && answeredBy is null,
        });
    }

    private ReferralEvent Event(string type, ReferralStatus from, string summary, string actor, DateTimeOffset at) =>
        new(Id, PartnerId, VendorUserId, Direction, type, from, Status, summary, actor, at);

    private static string Past(ReferralAction action) => action switch
    {
        ReferralAction.Accept => "accepted",
        ReferralAction.Decline => "declined",
        ReferralAction.Expire => "expired",
        ReferralAction.Convert => "converted",
        _ => action.ToString(),
    };
}
