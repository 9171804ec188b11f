using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;

// Outside the Actors namespace: the project's own Actors.Grain, IRemindable, IGrainStorage and
// InconsistentStateException would otherwise hide Orleans' types of the same names.
namespace OrleansCluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;
    private NpgsqlDataSource Db => fixture.Database;

    private static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    private sealed record SiloRow(string Address, int Port, int Generation, int Status, DateTime IAmAlive);

    /// <summary>Our own read of orleans_membership, not Orleans' query.</summary>
    private async Task<List<SiloRow>> SiloRows()
    {
        await using var command = Db.CreateCommand(
            "SELECT address, port, generation, status, i_am_alive_time FROM orleans_membership WHERE cluster_id = @c ORDER BY port");
        command.Parameters.AddWithValue("c", Cluster.Options.ClusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<SiloRow>();
        while (await reader.ReadAsync())
            rows.Add(new SiloRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetDateTime(4)));
        return rows;
    }

    private static string Key(SiloAddress a) => $"{a.Endpoint.Address}:{a.Endpoint.Port}@{a.Generation}";
    private static string Key(SiloRow r) => $"{r.Address}:{r.Port}@{r.Generation}";

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: still {value} after {seconds} s");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task The_three_silos_are_active_in_orleans_membership()
    {
        var active = Cluster.GetActiveSilos().Select(s => Key(s.SiloAddress)).Order().ToList();
        Assert.Equal(3, active.Count);
        var rows = await Eventually(SiloRows, r => r.Count(x => x.Status == 3) == 3, "three Active rows");
        Assert.Equal(active, rows.Where(r => r.Status == 3).Select(Key).Order());

        // Each join moved the version at least twice (insert as Joining, update to Active).
        var version = await Sql.Scalar<int>(Db, "SELECT version FROM orleans_membership_version WHERE cluster_id = @c", ("c", Cluster.Options.ClusterId));
        Assert.True(version >= 6, $"version {version}");

        // The client found its gateways through GatewaysQueryKey.
        var (value, _) = await Cluster.Client.GetGrain<ICounterGrain>("through-the-gateway").Increment();
        Assert.Equal(1, value);
    }

    [Fact]
    public async Task A_persisted_counter_survives_deactivation_and_is_read_on_another_silo()
    {
        var counter = Cluster.Client.GetGrain<ICounterGrain>("survivor");
        for (var i = 1; i <= 3; i++) Assert.Equal(i, (await counter.Increment()).Value);
        var (_, firstSilo) = await counter.Get();

        // Each new activation reads the state back from orleans_storage; deactivate until one lands elsewhere.
        var (value, secondSilo) = await Eventually(async () =>
        {
            await counter.Deactivate();
            var read = await counter.Get();
            Assert.Equal(3, read.Value);
            return read;
        }, r => r.Silo != firstSilo, "an activation on another silo");
        Assert.Equal(3, value);
        Assert.Equal(4, (await counter.Increment()).Value);

        var stored = await Sql.Scalar<int>(Db, "SELECT version FROM orleans_storage WHERE grain_id_extension = 'survivor'");
        Assert.Equal(4, stored);
        Assert.NotEqual(firstSilo, secondSilo);
    }

    [Fact]
    public async Task A_stale_write_or_clear_is_refused_and_changes_nothing()
    {
        var storage = Services(Cluster.GetActiveSilos().First()).GetRequiredKeyedService<IGrainStorage>("adonet");
        var grain = GrainId.Create("stalecounter", "stale-1");
        var a = new GrainState<CounterState>(new CounterState());
        var b = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("stalecounter", grain, a);
        await storage.ReadStateAsync("stalecounter", grain, b);
        Assert.False(a.RecordExists);
        Assert.Null(a.ETag);

        a.State!.Value = 1;
        await storage.WriteStateAsync("stalecounter", grain, a);
        b.State!.Value = 100;
        // Both read "no row": the second insert is refused.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("stalecounter", grain, b));

        await storage.ReadStateAsync("stalecounter", grain, b);
        Assert.Equal(1, b.State!.Value);
        Assert.Equal(a.ETag, b.ETag);

        a.State!.Value = 2;
        await storage.WriteStateAsync("stalecounter", grain, a);
        b.State!.Value = 200;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("stalecounter", grain, b));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("stalecounter", grain, b));

        var fresh = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("stalecounter", grain, fresh);
        Assert.Equal(2, fresh.State!.Value);

        // A clear keeps the row and moves its version: the activation holding the old etag is still refused.
        await storage.ClearStateAsync("stalecounter", grain, a);
        Assert.False(a.RecordExists);
        await storage.ReadStateAsync("stalecounter", grain, fresh);
        Assert.False(fresh.RecordExists);
        Assert.Equal(0, fresh.State!.Value);
        Assert.Equal(a.ETag, fresh.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("stalecounter", grain, b));
        fresh.State!.Value = 7;
        await storage.WriteStateAsync("stalecounter", grain, fresh);

        // Another grain of the same type with the same key but no extension is a different row.
        var other = GrainId.Create("stalecounter", "stale-2");
        var c = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("stalecounter", other, c);
        Assert.False(c.RecordExists);
        Assert.Equal(1L, await Sql.Scalar<long>(Db, "SELECT count(*) FROM orleans_storage WHERE grain_id_extension = 'stale-1' AND payload IS NOT NULL AND version = 4"));
    }

    [Fact]
    public async Task A_registered_reminder_is_stored_read_fires_on_the_test_clock_and_unregisters()
    {
        var grain = Cluster.Client.GetGrain<IReminderGrain>("wake-me");
        var registeredAt = ClusterFixture.ReminderTime.GetUtcNow();
        await grain.Register("renewal", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));

        await using (var command = Db.CreateCommand(
            "SELECT grain_hash, period_ms, version, start_time FROM orleans_reminders WHERE service_id = @s AND grain_id = @g AND reminder_name = 'renewal'"))
        {
            command.Parameters.AddWithValue("s", Cluster.Options.ServiceId);
            command.Parameters.AddWithValue("g", grain.GetGrainId().ToString());
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "the reminder row");
            Assert.Equal((int)grain.GetGrainId().GetUniformHashCode(), reader.GetInt32(0));
            Assert.Equal(120_000L, reader.GetInt64(1));
            Assert.Equal(0, reader.GetInt32(2));
            var start = reader.GetFieldValue<DateTimeOffset>(3);
            Assert.InRange(start - registeredAt, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(61));
        }

        Assert.Equal("renewal", (await grain.Read("renewal"))?.Name);
        Assert.Null(await grain.Read("no-such-reminder"));

        var key = "wake-me/renewal";
        Assert.False(ReminderGrain.Ticks.ContainsKey(key), "no tick before the test clock moves");
        // Move the reminder service's clock in small steps (a step can land before the service arms its wait), and
        // poll briefly in real time for the delivery: no business time is waited for.
        var ticks = await Eventually(async () =>
        {
            ClusterFixture.ReminderTime.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(50);
            return ReminderGrain.Ticks.TryGetValue(key, out var q) ? q.ToArray() : [];
        }, t => t.Length > 0, "a reminder tick");
        Assert.True(ClusterFixture.ReminderTime.GetUtcNow() - registeredAt >= TimeSpan.FromMinutes(1), "not before it was due");

        await grain.Unregister("renewal");
        Assert.Null(await grain.Read("renewal"));
        Assert.Equal(0L, await Sql.Scalar<long>(Db, "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'renewal'"));
        Assert.NotEmpty(ticks);
    }

    [Fact]
    public async Task A_stopped_silo_shows_Dead_and_cleanup_deletes_only_old_dead_rows()
    {
        var extra = await Cluster.StartAdditionalSiloAsync();
        var extraKey = Key(extra.SiloAddress);
        await Eventually(SiloRows, r => r.Any(x => Key(x) == extraKey && x.Status == 3), "the extra silo Active");
        await Cluster.StopSiloAsync(extra);

        var rows = await Eventually(SiloRows, r => r.Any(x => Key(x) == extraKey && x.Status == 6), "the stopped silo Dead");
        var dead = rows.Single(x => Key(x) == extraKey);
        var table = Services(Cluster.GetActiveSilos().First()).GetRequiredService<IMembershipTable>();

        // Cut-off before its last heartbeat: kept.
        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(dead.IAmAlive.AddSeconds(-1), TimeSpan.Zero));
        Assert.Contains(await SiloRows(), x => Key(x) == extraKey);

        // Cut-off in the future: the dead row goes, live silos (older heartbeats too) stay.
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(10));
        var after = await SiloRows();
        Assert.DoesNotContain(after, x => x.Status == 6);
        Assert.Equal(3, after.Count(x => x.Status == 3));
    }
}
