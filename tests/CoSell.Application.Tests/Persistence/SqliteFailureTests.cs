using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;

namespace CoSell.Application.Tests.Persistence;

public sealed class SqliteFailureTests
{
    [Fact]
    public void AnIoError_NamesItsExtendedCode()
    {
        var failedLock = new SqliteException("SQLite Error 10: 'disk I/O error'.", 10, 3850);

        SqliteFailure.Describe(failedLock).Should().Be("SQLite Error 10: 'disk I/O error' (extended code 3850).");
    }

    [Fact]
    public void AnErrorWithNoMoreToSay_IsItsMessage()
    {
        var notADatabase = new SqliteException("SQLite Error 26: 'file is not a database'.", 26, 26);

        SqliteFailure.Describe(notADatabase).Should().Be("SQLite Error 26: 'file is not a database'.");
    }

    [Fact]
    public void TheFailureBehindWrappers_IsFound()
    {
        var busy = new SqliteException("SQLite Error 5: 'database is locked'.", 5, 5);

        SqliteFailure.Of(new InvalidOperationException("saving", new AggregateException(busy))).Should().BeSameAs(busy);
    }
}
