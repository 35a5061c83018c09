namespace CoSell.Domain.SeedWork;

public static class Actors
{
    /// <summary>The actor recorded for changes made by the service itself (expiry, auto-approval).</summary>
    public const string System = "system";
}
