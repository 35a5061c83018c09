using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Application.Referrals;
using CoSell.Application.Registrations;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers;
using CoSell.Domain.Referrals;
using CoSell.Domain.SeedWork;
using FluentValidation;
using MediatR;

namespace CoSell.Application.AccountMapping;

/// <summary>
/// Turns one overlapping account into a referral to the other side in one step: the caller names its own
/// account from the cell (as the cell lists it); the referral carries the caller's own record of the
/// customer, never the other side's. The vendor refers to the partnership's partner, a partner to the vendor.
/// </summary>
[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Rep, Domain.Users.Roles.Partner)]
/// <remarks>An If-Match names the partnership's version: a referral from a cell read before the sharing changed is refused.</remarks>
public sealed record ReferOverlap(Guid PartnershipId, string? Ours, string? Theirs, string? YourAccount, string? YourCountry, ContactInput? Contact, string? Message, IfMatch? ExpectedVersion = null)
    : ICommand<ReferralDto>, IOverlapCellRequest, IVersionedCommand, IRetriedOnConcurrentChange
{
    public Guid? VersionedId => PartnershipId;
}

public sealed class ReferOverlapValidator : AbstractValidator<ReferOverlap>
{
    public ReferOverlapValidator()
    {
        RuleFor(r => r.YourAccount).NotEmpty().MaximumLength(200);
        RuleFor(r => r.YourCountry).Must(CountryCode.IsValid).When(r => r.YourCountry is not null)
            .WithMessage("Give the ISO 3166-1 alpha-2 code of your account's country (as the cell shows it), or leave yourCountry out.");
        RuleFor(r => r.Contact).NotNull().SetValidator(new ContactInputValidator()!);
        RuleFor(r => r.Message).FreeText(Referral.MaximumMessageLength);
    }
}

public sealed class ReferOverlapHandler(
    OverlapCellReader reader,
    IRepository<Partnership> partnerships,
    IAccountRowStore rows,
    IRequestHandler<SendReferral, ReferralDto> send,
    IValidator<SendReferral> referralRules,
    ICurrentUser user) : IRequestHandler<ReferOverlap, ReferralDto>
{
    public async Task<ReferralDto> Handle(ReferOverlap request, CancellationToken cancellationToken)
    {
        // The same 404 as reading the cell: a partnership one is not in, or a cell not shared, does not exist.
        var (_, _, ours, theirs, matrix) = await reader.OpenAsync(request, SharingLevel.Overlaps, cancellationToken);
        var ourRows = matrix.Pairs(ours, theirs).Select(p => p.OurRowId).ToHashSet();
        var found = await rows.FindAsync(ourRows, cancellationToken);
        // An account the cell does not hold answers as a cell that is not shared does: nothing tells the two apart.
        var named = Characters.FoldWhiteSpace(request.YourAccount, CompanyName.MaximumLength);
        var candidates = found.Values
            .Where(a => string.Equals(Characters.FoldWhiteSpace(a.Name, CompanyName.MaximumLength), named, StringComparison.OrdinalIgnoreCase))
            .Where(a => request.YourCountry is null || string.Equals(a.Country, request.YourCountry, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (candidates.Select(a => a.Country).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
        {
            // Two of the caller's own accounts, in different countries, go by this name in the cell: it says which.
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("yourCountry",
                $"Your accounts named '{named}' in this cell are in {string.Join(" and ", candidates.Select(a => a.Country).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))}: give yourCountry too.")]);
        }

        var account = candidates.FirstOrDefault() ?? throw new NotFoundException("overlap cell", $"{request.Ours}/{request.Theirs}");
        var partnership = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId);
        Concurrency.Check(partnership.Version, request.ExpectedVersion, required: false);
        // The cell rests on the partnership as read: a pause or a change of sharing that commits meanwhile refuses the
        // referral, and deciding it again meets the change (412 on a stale If-Match, 404 on a cell no longer shared).
        partnerships.RequireUnchanged(partnership);
        var referral = new SendReferral(
            user.IsPartner() ? null : partnership.PartnerId,
            new CustomerInput(account.Name, account.Domain, account.Country, account.Duns),
            request.Contact,
            null,
            null,
            request.Message ?? $"An account we both have ({ours} here, {theirs} on your side).");

        // The account as the list holds it meets the rules of any referral (a list takes names a referral does not: one
        // letter, words mixing alphabets); what it fails is said of the account named.
        var judged = await referralRules.ValidateAsync(referral, cancellationToken);
        if (!judged.IsValid)
        {
            throw new ValidationException(judged.Errors.Select(e => e.PropertyName.StartsWith(nameof(SendReferral.Customer), StringComparison.Ordinal)
                ? new FluentValidation.Results.ValidationFailure("yourAccount", $"This account, as your list holds it, cannot be referred: {e.ErrorMessage}")
                : e));
        }

        return await send.Handle(referral, cancellationToken);
    }
}
