namespace CoSell.Web.Identity;

/// <summary>A setting the service cannot run without is missing or unsafe: the start is refused with this message.</summary>
public sealed class StartupRefusedException(string message) : InvalidOperationException(message);
