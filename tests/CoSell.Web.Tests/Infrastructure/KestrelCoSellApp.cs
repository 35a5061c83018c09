namespace CoSell.Web.Tests.Infrastructure;

/// <summary>
/// The same host served by Kestrel on a free loopback port rather than the in-memory test server, for what only a
/// real server does: its own body limits, a body sent in chunks, HEAD answered without a body.
/// </summary>
public sealed class KestrelCoSellApp : CoSellApp
{
    public KestrelCoSellApp()
    {
        UseKestrel(0);
        StartServer();
    }
}
