using CoSell.Application.Abstractions;
using CoSell.Application.Registrations;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.DuplicateChecks;

public sealed record DuplicateMatchDto(Guid ClaimId, ClaimKind Kind, double Score, IReadOnlyList<string> Reasons);

/// <summary>A partner learns the verdict alone; vendor roles also get the score and every match with its reasons.</summary>
public sealed record DuplicateCheckResult(DuplicateVerdict Verdict, double? Score, IReadOnlyList<DuplicateMatchDto>? Matches);

/// <summary>
/// Checks a customer against every live claim before (or without) registering it. Partners' own claims
/// are left out of their checks; every check is audited and partners are rate-limited at the edge.
/// </summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
public sealed record CheckForDuplicates(CustomerInput? Customer, IReadOnlyList<string>? ProductLines) : ICommand<DuplicateCheckResult>;

public sealed class CheckForDuplicatesValidator : AbstractValidator<CheckForDuplicates>
{
    public CheckForDuplicatesValidator()
    {
        RuleFor(c => c.Customer).NotNull().SetValidator(new CustomerInputValidator()!);
        RuleFor(c => c.ProductLines).Labels(0, DealRegistration.MaximumProductLines, DealRegistration.MaximumProductLineLength,
            $"At most {DealRegistration.MaximumProductLines} product lines of at most {DealRegistration.MaximumProductLineLength} visible characters, without control characters, direction controls or {TextRules.InvisibleCharacters}.");
    }
}

public sealed class CheckForDuplicatesHandler(IClaimCollisionDetector detector, IAuditTrail audit, ICurrentUser user, TimeProvider time)
    : IRequestHandler<CheckForDuplicates, DuplicateCheckResult>
{
    public async Task<DuplicateCheckResult> Handle(CheckForDuplicates request, CancellationToken cancellationToken)
    {
        var c = request.Customer!;
        var customer = Customer.Create(c.Name, c.Domain, c.Country, c.Duns);
        var partner = user.IsPartner() ? user.PartnerId : null;
        // A partner's verdict weighs the customer alone: one moved by product lines or dates would tell a rival claim's
        // product lines and status to a partner that asks again with other ones.
        var query = new DuplicateQuery(customer, request.ProductLines ?? [], null, partner) { CustomerOnly = partner is not null };
        var result = await detector.AssessAsync(query, cancellationToken);
        var verdict = result.Verdict;
        audit.Append(new AuditRecord(
            AuditAggregates.DuplicateCheck,
            Guid.CreateVersion7(),
            "duplicate_check.performed",
            user.UserId,
            time.GetUtcNow(),
            $"{(partner is null ? $"A {user.Role}" : $"Partner {partner}")} checked '{customer.Name}' ({customer.Country}{(customer.Domain is null ? "" : ", " + customer.Domain.Registrable)}): {EnumNames.Of(verdict)}."));
        return user.IsPartner()
            ? new DuplicateCheckResult(verdict, null, null)
            : new DuplicateCheckResult(verdict, result.Score, result.Matches.Select(m => new DuplicateMatchDto(m.ClaimId, m.Kind, m.Score, m.Reasons)).ToList());
    }
}
