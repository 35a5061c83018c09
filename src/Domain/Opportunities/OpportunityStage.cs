namespace CoSell.Domain.Opportunities;

public enum OpportunityStage
{
    Qualify,
    Develop,
    Propose,
    Negotiate,
    ClosedWon,
    ClosedLost,
}

/// <summary>
/// The stage moves in one table: forward to any later open stage (deals skip stages), back one step
/// (a proposal goes back to development), closed as won or lost from any open stage. Closed stages are final.
/// </summary>
public static class OpportunityStages
{
    private static readonly Dictionary<OpportunityStage, IReadOnlySet<OpportunityStage>> Moves = new()
    {
        [OpportunityStage.Qualify] = Set(OpportunityStage.Develop, OpportunityStage.Propose, OpportunityStage.Negotiate, OpportunityStage.ClosedWon, OpportunityStage.ClosedLost),
        [OpportunityStage.Develop] = Set(OpportunityStage.Qualify, OpportunityStage.Propose, OpportunityStage.Negotiate, OpportunityStage.ClosedWon, OpportunityStage.ClosedLost),
        [OpportunityStage.Propose] = Set(OpportunityStage.Develop, OpportunityStage.Negotiate, OpportunityStage.ClosedWon, OpportunityStage.ClosedLost),
        [OpportunityStage.Negotiate] = Set(OpportunityStage.Propose, OpportunityStage.ClosedWon, OpportunityStage.ClosedLost),
        [OpportunityStage.ClosedWon] = Set(),
        [OpportunityStage.ClosedLost] = Set(),
    };

    public static IReadOnlyDictionary<OpportunityStage, IReadOnlySet<OpportunityStage>> AllowedMoves => Moves;

    /// <summary>Stages in which the opportunity is still being worked.</summary>
    public static readonly IReadOnlySet<OpportunityStage> Open = Set(OpportunityStage.Qualify, OpportunityStage.Develop, OpportunityStage.Propose, OpportunityStage.Negotiate);

    public static bool CanMove(OpportunityStage from, OpportunityStage to) => Moves.TryGetValue(from, out var targets) && targets.Contains(to);

    public static bool IsOpen(OpportunityStage stage) => Open.Contains(stage);

    private static HashSet<OpportunityStage> Set(params OpportunityStage[] stages) => [.. stages];
}
