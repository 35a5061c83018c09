using CoSell.Application;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

public sealed class ValidatorLifetimeTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ValidatorLifetimeTests(Harness harness) => _harness = harness;

    [Fact]
    public void AValidatorThatNeedsOnlyTheClock_IsBuiltOnce_AndStillJudgesByTheClockOfTheMoment()
    {
        var first = Resolve<CreateRegistration>();
        var second = Resolve<CreateRegistration>();
        second.Should().BeSameAs(first);

        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(2);
        var request = new CreateRegistration(new CustomerInput("Clockwork Ltd", "clockwork.example", "GB", null), ["Cloud"], new MoneyInput(1_000, "USD"), close, null);
        first.Validate(request).IsValid.Should().BeTrue();

        _harness.Time.Advance(TimeSpan.FromDays(3));
        first.Validate(request).Errors.Should().ContainSingle(e => e.PropertyName == nameof(CreateRegistration.ExpectedCloseDate));
    }

    [Fact]
    public void AValidatorThatReadsTheCallerOrTheDatabase_IsBuiltPerRequest()
    {
        Resolve<CreateOpportunity>().Should().NotBeSameAs(Resolve<CreateOpportunity>());
    }

    [Fact]
    public void EveryValidatorResolves_WithoutASingletonHoldingARequestsServices()
    {
        // The harness validates scopes: a singleton validator that took a scoped service would throw here.
        var validated = ApplicationParts.Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
            .Select(t => t.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
            .ToList();
        validated.Should().HaveCountGreaterThan(30);
        using var scope = _harness.Services.CreateScope();
        foreach (var validator in validated)
        {
            scope.ServiceProvider.GetServices(validator).Should().ContainSingle(because: $"{validator} is registered once");
        }
    }

    private IValidator<T> Resolve<T>()
    {
        using var scope = _harness.Services.CreateScope();
        return scope.ServiceProvider.GetServices<IValidator<T>>().Single();
    }
}
