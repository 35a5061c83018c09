using System.Net;
using System.Net.Http.Headers;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests;

/// <summary>
/// The body limit on the real server: Kestrel on loopback, where a body sent without its length meets Kestrel's own
/// limit as well as the service's count, and a route's own reading of it fails before any handler runs.
/// </summary>
public sealed class KestrelBodyLimitTests : IClassFixture<KestrelCoSellApp>
{
    private readonly KestrelCoSellApp _app;

    public KestrelBodyLimitTests(KestrelCoSellApp app) => _app = app;

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task ARegistrationOverTheLimit_Is413SayingTheLimit_WithOrWithoutItsLength(bool lengthKnown, bool idempotencyKey)
    {
        var partner = await _app.StreamingClientFor("partner.northwind");
        partner.BaseAddress!.Host.Should().Be("127.0.0.1", "the request goes through Kestrel on loopback");
        var body = Api.RawRegistration(_app, "Huge Kestrel Corp", "huge-kestrel.com");
        body["notes"] = new string('x', 300 * 1024);
        var bytes = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations")
        {
            Content = lengthKnown ? new ByteArrayContent(bytes) : new StreamContent(new UnannouncedLengthStream(bytes)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (idempotencyKey)
        {
            request.Headers.Add("Idempotency-Key", $"huge-kestrel-{lengthKnown}");
        }

        var problem = await Api.Problem(await partner.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        problem["title"]!.GetValue<string>().Should().Be("The request body is too large.");
        problem["detail"]!.GetValue<string>().Should().Be("Request bodies on this route are limited to 256 KiB.");
        var list = await Api.Body(await partner.GetAsync("/api/v1/registrations?pageSize=100"));
        list["items"]!.AsArray().Should().NotContain(item => item!["customer"]!["name"]!.GetValue<string>() == "Huge Kestrel Corp");
    }

    // Before, Kestrel took the chunks and the body was read as if nothing were coded within them: 400 malformed_json.
    [Theory]
    [InlineData("gzip, chunked", "415")]
    [InlineData("chunked", "201")]
    public async Task ABodyCodedWithinItsChunks_IsRefusedAsACodedBodyIs(string transferEncoding, string status)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(Api.RawRegistration(_app, $"Chunked {status} Corp", $"chunked-{status}.com").ToJsonString());

        var answer = await SendChunkedAsync("/api/v1/registrations", json, json.Length, transferEncoding);

        answer.Should().StartWith($"HTTP/1.1 {status}");
        if (status == "415")
        {
            answer.Should().Contain("\"code\":\"unsupported_media_type\"").And.Contain("Transfer-Encoding");
        }
    }

    // Before, Kestrel counted each chunk's size line and line ends against the limit: a 200 KiB body sent in chunks of
    // 16 bytes took 275 KiB on the wire, and was refused 413 as over 256 KiB.
    [Theory]
    [InlineData(200 * 1024, 16, "201")]
    [InlineData(200 * 1024, 1, "201")]
    [InlineData(257 * 1024, 16, "413")]
    public async Task ABodySentInSmallChunks_IsMeasuredWithoutItsFraming(int size, int chunkSize, string status)
    {
        var registration = System.Text.Encoding.UTF8.GetBytes(Api.RawRegistration(_app, $"Small Chunks {size} {chunkSize} Corp", $"small-chunks-{size}-{chunkSize}.com").ToJsonString());
        var json = new byte[size];
        Array.Fill(json, (byte)' ');
        registration.CopyTo(json, 0);

        var answer = await SendChunkedAsync("/api/v1/registrations", json, chunkSize, "chunked");

        answer.Should().StartWith($"HTTP/1.1 {status}");
        if (status == "413")
        {
            answer.Should().Contain("limited to 256 KiB");
        }
    }

    /// <summary>Sends Northwind's JSON body in chunks of the given size over a raw socket, and reads the whole answer.</summary>
    private async Task<string> SendChunkedAsync(string path, byte[] json, int chunkSize, string transferEncoding)
    {
        var token = await _app.TokenFor("partner.northwind");
        var address = _app.ClientOptions.BaseAddress;
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: {transferEncoding}\r\nConnection: close\r\n\r\n";
        using var wire = new MemoryStream();
        wire.Write(System.Text.Encoding.ASCII.GetBytes(head));
        for (var at = 0; at < json.Length; at += chunkSize)
        {
            var length = Math.Min(chunkSize, json.Length - at);
            wire.Write(System.Text.Encoding.ASCII.GetBytes($"{length:x}\r\n"));
            wire.Write(json, at, length);
            wire.Write("\r\n"u8);
        }

        wire.Write("0\r\n\r\n"u8);
        var writing = stream.WriteAsync(wire.GetBuffer().AsMemory(0, (int)wire.Length)).AsTask();
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);

        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            await writing;
        }
        catch (IOException)
        {
            // A refusal may close the connection before the whole body is sent.
        }

        return answer;
    }
}
