using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

public sealed class PostingTableTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Table_AgreesWithADictionaryThroughAddsRemovalsGrowthAndCompaction(bool compact)
    {
        var table = new PostingTable(expectedKeys: 4, expectedPostings: 4);
        var reference = new Dictionary<ulong, List<int>>();
        var random = new Random(3);

        for (var step = 0; step < 50_000; step++)
        {
            if (compact && step % 10_000 == 5_000)
            {
                table.Compact(); // later adds and removals work on the compacted lists
            }

            // Keys that share their low bits collide on purpose, so probing and backward-shift deletion run.
            var key = ((ulong)(uint)random.Next(8) << 61) | ((ulong)(uint)random.Next(64) << 8);
            var slot = random.Next(200);
            if (random.Next(3) > 0)
            {
                table.Add(key, slot);
                (reference.TryGetValue(key, out var list) ? list : reference[key] = []).Add(slot);
            }
            else
            {
                table.Remove(key, slot);
                if (reference.TryGetValue(key, out var list))
                {
                    list.RemoveAll(s => s == slot);
                    if (list.Count == 0)
                    {
                        reference.Remove(key);
                    }
                }
            }
        }

        table.KeyCount.Should().Be(reference.Count);
        foreach (var (key, expected) in reference)
        {
            var count = table.Find(key, out var posting);
            var slots = new List<int>();
            while (posting != PostingTable.End)
            {
                slots.Add(table.Read(posting, out posting));
            }

            count.Should().Be(expected.Count);
            slots.Should().BeEquivalentTo(expected);
        }

        table.Find(ulong.MaxValue, out var none).Should().Be(0);
        none.Should().Be(PostingTable.End);
    }

    [Fact]
    public void Compact_GivesBackWhatAReservationLeftUnused_AndTheListsStayWhole()
    {
        var table = new PostingTable(expectedKeys: 30_000, expectedPostings: 60_000);
        var reserved = table.SizeInBytes;
        for (var slot = 0; slot < 10_000; slot++)
        {
            table.Add(Key(slot % 2_500), slot);
        }

        for (var slot = 10_000; slot < 11_000; slot++)
        {
            table.Add(Key(slot), slot); // a key of its own: held in its entry, not in a list
        }

        table.Compact();

        // 3,500 keys and the 10,000 listed slots, each with an eighth of room: about 84 KB of keys and 90 KB of lists.
        table.SizeInBytes.Should().BeLessThan(reserved / 5);
        table.Find(Key(10_500), out var single).Should().Be(1);
        table.Read(single, out var afterSingle).Should().Be(10_500);
        afterSingle.Should().Be(PostingTable.End);
        table.Find(Key(7), out var posting).Should().Be(4);
        var slots = new List<int>();
        while (posting != PostingTable.End)
        {
            slots.Add(table.Read(posting, out posting));
        }

        slots.Should().BeEquivalentTo([7, 2_507, 5_007, 7_507]);
        table.Add(ulong.MaxValue, 1);
        table.Find(ulong.MaxValue, out _).Should().Be(1);

        static ulong Key(int i) => unchecked((ulong)i * 0x9E3779B97F4A7C15UL);
    }
}
