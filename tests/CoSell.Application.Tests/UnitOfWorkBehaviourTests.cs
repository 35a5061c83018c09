using CoSell.Application.Abstractions;
using CoSell.Application.Behaviours;
using CoSell.Application.Registrations;
using CoSell.Domain.SeedWork;

namespace CoSell.Application.Tests;

/// <summary>How a commit lost to a concurrent change is answered: 412 only when the caller's own precondition failed.</summary>
public sealed class UnitOfWorkBehaviourTests
{
    private static readonly Guid Registration = Guid.NewGuid();

    [Fact]
    public async Task ACommitThatFailsOnTheAggregateTheCallerNamedWithIfMatch_IsAFailedPrecondition()
    {
        var act = () => Run(new SubmitRegistration(Registration, ExpectedVersion: 3), failedOn: Registration);

        (await act.Should().ThrowAsync<PreconditionFailedException>()).Which.CurrentVersion.Should().Be(4);
    }

    [Fact]
    public async Task ACommitThatFailsOnAnotherAggregate_IsAConflict_EvenWithIfMatch()
    {
        var act = () => Run(new SubmitRegistration(Registration, ExpectedVersion: 3), failedOn: Guid.NewGuid());

        (await act.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("conflict.concurrent_change");
    }

    [Fact]
    public async Task ACommitThatFailsWithoutIfMatch_IsAConflict()
    {
        var act = () => Run(new SubmitRegistration(Registration), failedOn: Registration);

        (await act.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("conflict.concurrent_change");
    }

    [Fact]
    public async Task WhateverTheOutcome_WhatTheCommandHeldIsLetGo()
    {
        var completion = new CommandCompletion();
        var released = 0;
        completion.WhenFinished(() => released++);
        var behaviour = new UnitOfWorkBehaviour<SubmitRegistration, RegistrationDto>(new FailingCommit(Registration), completion, new NoAnswerRecorder());

        var act = () => behaviour.Handle(new SubmitRegistration(Registration, ExpectedVersion: 3), CancellationToken.None, () => Task.FromResult<RegistrationDto>(null!));

        await act.Should().ThrowAsync<PreconditionFailedException>();
        released.Should().Be(1);
    }

    private static Task<RegistrationDto> Run(SubmitRegistration command, Guid failedOn) =>
        new UnitOfWorkBehaviour<SubmitRegistration, RegistrationDto>(new FailingCommit(failedOn), new CommandCompletion(), new NoAnswerRecorder())
            .Handle(command, CancellationToken.None, () => Task.FromResult<RegistrationDto>(null!));

    /// <summary>A commit that another change beat to the given aggregate, now at version 4.</summary>
    private sealed class FailingCommit(Guid aggregate) : IUnitOfWork
    {
        public Task CommitAsync(CancellationToken cancellationToken) => throw new PreconditionFailedException(4, aggregateId: aggregate);

        public void Discard()
        {
        }
    }
}
