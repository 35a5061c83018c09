using CoSell.Application.Abstractions;

namespace CoSell.Application.Tests;

/// <summary>What an <c>after</c> is read as: a list's cursor, an old cursor that names no list, or an id.</summary>
public sealed class ListPlaceTests
{
    private static readonly ListPlace Place = new(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero), Guid.Parse("C0FFEE00-C0FF-EE00-C0FF-EE00C0FFEE00"));

    [Fact]
    public void AListsCursor_ReadsBackAsItsPlace_NamingTheList()
    {
        ListPlace.TryParseCursor(Place.ToCursor(ReadingList.Conflicts), out var place, out var list).Should().BeTrue();

        place.Should().Be(Place);
        list.Should().Be(ReadingList.Conflicts);
    }

    /// <summary>
    /// Upper-case hex digits beginning with A to F decode as base64 to an instant a cursor could hold: as 32 characters
    /// they are an id without its hyphens, never a place.
    /// </summary>
    [Theory]
    [InlineData("A1B2C3D4E5F60718293A4B5C6D7E8F90")]
    [InlineData("C0FFEE00C0FFEE00C0FFEE00C0FFEE00")]
    [InlineData("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("c0ffee00c0ffee00c0ffee00c0ffee00")]
    public void AnIdInHexDigits_IsNoCursor(string id)
    {
        Guid.TryParse(id, out _).Should().BeTrue("it is an id");

        ListPlace.TryParseCursor(id, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void ACursorOfBeforeCursorsNamedTheirList_StillReadsAsAPlaceInAnyList()
    {
        var bytes = new byte[24];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, Place.At.UtcTicks);
        Place.Id.TryWriteBytes(bytes.AsSpan(8), bigEndian: true, out _);
        var untagged = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        ListPlace.TryParseCursor(untagged, out var place, out var list).Should().BeTrue();

        place.Should().Be(Place);
        list.Should().BeNull();
    }
}
