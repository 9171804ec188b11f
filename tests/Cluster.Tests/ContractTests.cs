using Npgsql;
using static OrleansCluster.Tests.Sql;

// Outside the Actors namespace, like the other files here.
namespace OrleansCluster.Tests;

/// <summary>
/// The statements in OrleansQuery run directly, with the parameter names and .NET types Orleans' providers send, on
/// cluster and service ids no silo uses: what each must return for success, for a conflict, and for ring ranges.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ContractTests(ClusterFixture fixture)
{
    private NpgsqlDataSource Db => fixture.Database;

    private static NpgsqlParameter[] Silo(string cluster, int port, int? version, int status = 2) =>
    [
        P("DeploymentId", cluster), P("Address", "10.0.0.1"), P("Port", port), P("Generation", 7),
        P("SiloName", $"silo-{port}"), P("HostName", "host"), P("Status", status), P("ProxyPort", port + 1000),
        P("StartTime", new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc)),
        P("IAmAliveTime", new DateTime(2026, 3, 1, 8, 0, 5, DateTimeKind.Utc)), P("Version", version),
    ];

    private static NpgsqlParameter[] Update(string cluster, int port, int version, int status, string? suspects) =>
    [
        P("DeploymentId", cluster), P("Address", "10.0.0.1"), P("Port", port), P("Generation", 7), P("Status", status),
        P("SuspectTimes", suspects), P("IAmAliveTime", new DateTime(2026, 3, 1, 8, 1, 0, DateTimeKind.Utc)), P("Version", version),
    ];

    private async Task<int> Version(string cluster) =>
        (int)(await Rows(Db, "MembershipReadAllKey", P("DeploymentId", cluster)))[0]["Version"]!;

    [Fact]
    public async Task Membership_changes_succeed_only_on_the_version_read_and_move_it_by_one()
    {
        const string cluster = "contract-membership";
        Assert.True(await Flag(Db, "InsertMembershipVersionKey", P("DeploymentId", cluster)));
        Assert.False(await Flag(Db, "InsertMembershipVersionKey", P("DeploymentId", cluster)));

        // An empty cluster reads as one row: the version, with no silo (StartTime NULL).
        var empty = await Rows(Db, "MembershipReadAllKey", P("DeploymentId", cluster));
        Assert.Equal(0, Assert.Single(empty)["Version"]);
        Assert.Null(empty[0]["StartTime"]);

        Assert.True(await Flag(Db, "InsertMembershipKey", Silo(cluster, 11111, 0)));
        Assert.Equal(1, await Version(cluster));
        Assert.False(await Flag(Db, "InsertMembershipKey", Silo(cluster, 11111, 1)));   // the silo is there already
        Assert.False(await Flag(Db, "InsertMembershipKey", Silo(cluster, 22222, 0)));   // stale version
        Assert.Equal(1, await Version(cluster));                                        // neither moved it
        Assert.True(await Flag(Db, "InsertMembershipKey", Silo(cluster, 22222, 1)));

        Assert.False(await Flag(Db, "UpdateMembershipKey", Update(cluster, 11111, 1, 3, null)));   // stale
        Assert.False(await Flag(Db, "UpdateMembershipKey", Update(cluster, 33333, 2, 3, null)));   // no such silo
        Assert.Equal(2, await Version(cluster));
        Assert.True(await Flag(Db, "UpdateMembershipKey", Update(cluster, 11111, 2, 3, "S10.0.0.1:22222:7,2026-03-01 08:00:30.000 GMT")));
        Assert.Equal(3, await Version(cluster));

        var one = Assert.Single(await Rows(Db, "MembershipReadRowKey",
            P("DeploymentId", cluster), P("Address", "10.0.0.1"), P("Port", 11111), P("Generation", 7)));
        Assert.Equal(3, one["Status"]);
        Assert.Equal("S10.0.0.1:22222:7,2026-03-01 08:00:30.000 GMT", one["SuspectTimes"]);
        Assert.Equal(3, one["Version"]);
        Assert.Equal(new DateTime(2026, 3, 1, 8, 1, 0, DateTimeKind.Utc), one["IAmAliveTime"]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)one["StartTime"]!).Kind);

        // The heartbeat moves the time, not the version.
        await Rows(Db, "UpdateIAmAlivetimeKey", P("DeploymentId", cluster), P("Address", "10.0.0.1"), P("Port", 22222),
            P("Generation", 7), P("IAmAliveTime", new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(3, await Version(cluster));

        var gateways = await Rows(Db, "GatewaysQueryKey", P("DeploymentId", cluster), P("Status", 3));
        Assert.Equal(12111, Assert.Single(gateways)["ProxyPort"]);

        await Rows(Db, "DeleteMembershipTableEntriesKey", P("DeploymentId", cluster));
        Assert.Empty(await Rows(Db, "MembershipReadAllKey", P("DeploymentId", cluster)));
    }

    [Fact]
    public async Task Concurrent_membership_inserts_on_one_version_let_exactly_one_win()
    {
        const string cluster = "contract-race";
        Assert.True(await Flag(Db, "InsertMembershipVersionKey", P("DeploymentId", cluster)));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Flag(Db, "InsertMembershipKey", Silo(cluster, 40000 + i, 0))));
        Assert.Single(results, r => r);
        Assert.Equal(1, await Version(cluster));
        Assert.Single(await Rows(Db, "MembershipReadAllKey", P("DeploymentId", cluster)));
    }

    [Fact]
    public async Task Cleanup_deletes_only_dead_silos_older_than_the_cut_off()
    {
        const string cluster = "contract-cleanup";
        await Flag(Db, "InsertMembershipVersionKey", P("DeploymentId", cluster));
        Assert.True(await Flag(Db, "InsertMembershipKey", Silo(cluster, 1, 0, status: 6)));   // dead, alive at 08:00:05
        Assert.True(await Flag(Db, "InsertMembershipKey", Silo(cluster, 2, 1, status: 3)));   // active, same time
        Assert.True(await Flag(Db, "InsertMembershipKey", Silo(cluster, 3, 2, status: 6)));
        await Rows(Db, "UpdateIAmAlivetimeKey", P("DeploymentId", cluster), P("Address", "10.0.0.1"), P("Port", 3),
            P("Generation", 7), P("IAmAliveTime", new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc)));

        await Rows(Db, "CleanupDefunctSiloEntriesKey", P("DeploymentId", cluster), P("IAmAliveTime", new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc)));
        var left = (await Rows(Db, "MembershipReadAllKey", P("DeploymentId", cluster))).Select(r => (int)r["Port"]!).Order();
        Assert.Equal([2, 3], left);
    }

    [Fact]
    public async Task Reminder_upsert_returns_the_etag_and_delete_needs_the_current_one()
    {
        NpgsqlParameter[] Upsert(long periodMs) =>
        [
            P("ServiceId", "contract-reminders"), P("GrainHash", 42), P("GrainId", "g/1"), P("ReminderName", "r"),
            P("StartTime", new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc)),
            periodMs <= int.MaxValue ? P("Period", (int)periodMs) : P("Period", periodMs),
        ];
        Assert.Equal(0, Assert.Single(await Rows(Db, "UpsertReminderRowKey", Upsert(60_000)))["Version"]);
        Assert.Equal(1, Assert.Single(await Rows(Db, "UpsertReminderRowKey", Upsert(60L * 24 * 3600 * 1000 * 30)))["Version"]);
        var row = Assert.Single(await Rows(Db, "ReadReminderRowKey", P("ServiceId", "contract-reminders"), P("GrainId", "g/1"), P("ReminderName", "r")));
        Assert.Equal(60L * 24 * 3600 * 1000 * 30, row["Period"]);   // a period past int milliseconds is sent as long

        NpgsqlParameter[] Delete(int version) =>
            [P("ServiceId", "contract-reminders"), P("GrainId", "g/1"), P("ReminderName", "r"), P("Version", version)];
        Assert.False(await Flag(Db, "DeleteReminderRowKey", Delete(0)));
        Assert.True(await Flag(Db, "DeleteReminderRowKey", Delete(1)));
        Assert.Empty(await Rows(Db, "ReadReminderRowsKey", P("ServiceId", "contract-reminders"), P("GrainId", "g/1")));
    }

    private static readonly uint[] Hashes =
        [0, 1, 5, 6, 0x10, 0x11, 0x1000, 0x7FFFFFF0, 0x7FFFFFFF, 0x80000000, 0x80000010, 0xFFFFFFF0, 0xFFFFFFFF];

    /// <summary>Orleans' ring: (begin, end], wrapping past uint.MaxValue when begin >= end (begin = end is the whole ring).</summary>
    private static bool InRing(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    [Theory]
    [InlineData(0x10u, 0x1000u)]              // plain
    [InlineData(0xFFFFFFF0u, 0x10u)]          // wraps in uint, not in int
    [InlineData(0x7FFFFFF0u, 0x80000010u)]    // wraps in int, not in uint
    [InlineData(0x80000010u, 0x7FFFFFF0u)]    // wraps in both
    [InlineData(5u, 5u)]                      // the whole ring
    [InlineData(0u, 0xFFFFFFFFu)]
    public async Task Range_reads_return_exactly_the_reminders_of_the_range(uint begin, uint end)
    {
        var service = $"contract-range-{begin:x}-{end:x}";
        foreach (var hash in Hashes)
            foreach (var s in new[] { service, service + "-other" })
                await Rows(Db, "UpsertReminderRowKey", P("ServiceId", s), P("GrainHash", (int)hash), P("GrainId", $"g/{hash:x}"),
                    P("ReminderName", "r"), P("StartTime", new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc)), P("Period", 60_000));

        // The provider picks the statement as RelationalOrleansQueries.ReadReminderRowsAsync does.
        var key = (int)begin < (int)end ? "ReadRangeRows1Key" : "ReadRangeRows2Key";
        var rows = await Rows(Db, key, P("ServiceId", service), P("BeginHash", (int)begin), P("EndHash", (int)end));

        var expected = Hashes.Where(h => InRing(h, begin, end)).Select(h => $"g/{h:x}").Order().ToList();
        Assert.Equal(expected, rows.Select(r => (string)r["GrainId"]!).Order().ToList());
        Assert.All(rows, r => Assert.Equal(60_000L, r["Period"]));
    }

    [Fact]
    public async Task Range_reads_use_the_grain_hash_index()
    {
        await using var connection = await Db.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        foreach (var key in new[] { "ReadRangeRows1Key", "ReadRangeRows2Key" })
        {
            var sql = (await Query(Db, key)).Replace("@ServiceId", "'s'").Replace("@BeginHash", "1").Replace("@EndHash", "2");
            await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection);
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            Assert.Contains(plan, line => line.Contains("orleans_reminders_by_hash"));
        }
    }
}
