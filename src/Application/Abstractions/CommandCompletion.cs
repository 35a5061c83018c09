namespace CoSell.Application.Abstractions;

/// <summary>
/// What a command holds until it has finished: committed and published, or failed. The unit-of-work behaviour runs
/// the steps once the command is over, whichever way it ended (a gate the command entered, for one).
/// </summary>
public sealed class CommandCompletion
{
    private List<Action>? _steps;

    public void WhenFinished(Action step) => (_steps ??= []).Add(step);

    public void Finish()
    {
        var steps = _steps;
        _steps = null;
        foreach (var step in steps ?? [])
        {
            step();
        }
    }
}
