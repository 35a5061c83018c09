namespace CoSell.Web.Tests.Infrastructure;

/// <summary>A readable stream that does not tell its length, so the body goes without Content-Length.</summary>
internal sealed class UnannouncedLengthStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
