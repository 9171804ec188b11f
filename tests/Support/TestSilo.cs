using System.Net;
using System.Net.Sockets;
using Actors.Postgres.Events;
using Actors.Postgres.Hosting;
using Actors.Postgres.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Reminders;

namespace Actors.Testing;

/// <summary>
/// A real Orleans silo in this process, on a test database: ADO.NET membership and reminders, the back office's grain
/// storage, and time from a <see cref="TestTime"/> both for the grains (<see cref="IClock"/>) and for Orleans' reminders.
/// Several on one database form one cluster.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    /// <summary>A reminder ticks again this often (test time) until its date is handled; see <see cref="Settle"/>.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    private readonly IHost host;
    private readonly TestTime? testTime;
    private readonly NpgsqlDataSource dataSource;
    private bool stopped;

    private TestSilo(IHost host, TestTime? time, string name)
    {
        this.host = host;
        testTime = time;
        Name = name;
        dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
    }

    public string Name { get; }
    public bool IsStopped => stopped;
    private TestTime Time => testTime ?? throw new InvalidOperationException("This silo runs on the machine's clock: time cannot be moved.");
    public IServiceProvider Services => host.Services;
    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();
    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();
    public EventFeed Events => host.Services.GetRequiredService<EventFeed>();

    /// <summary>Applies the schema (and <paramref name="migrations"/>) and starts a silo; it joins the silos already on the database.</summary>
    public static Task<TestSilo> Start(string connectionString, TestTime time, IEnumerable<Migration>? migrations = null,
        Action<IServiceCollection>? services = null, string name = "silo") =>
        Start(connectionString, time, time, time, migrations, services, name);

    /// <summary>A silo on the machine's clock (benchmarks): business time and reminders as in production.</summary>
    public static Task<TestSilo> OnSystemClock(string connectionString, IEnumerable<Migration>? migrations = null,
        Action<IServiceCollection>? services = null, string name = "silo") =>
        Start(connectionString, null, SystemClock.Instance, TimeProvider.System, migrations, services, name);

    private static async Task<TestSilo> Start(string connectionString, TestTime? testTime, IClock clock, TimeProvider reminderTime,
        IEnumerable<Migration>? migrations, Action<IServiceCollection>? services, string name)
    {
        await using (var schema = RuntimeDatabase.Open(connectionString))
            await SchemaMigrations.Apply(schema, [.. SchemaMigrations.Runtime, .. migrations ?? []]);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = FreePort().ToString(),
            ["Orleans:GatewayPort"] = FreePort().ToString(),
            ["Actors:SiloName"] = name,
            ["Actors:WakeUps:RetryPeriod"] = RetryPeriod.ToString(),
        });
        builder.Services.AddSingleton(clock);
        builder.Services.AddKeyedSingleton(ReminderTimeProviderNames.Reminders, reminderTime);
        services?.Invoke(builder.Services);
        builder.UseOrleans(silo =>
        {
            silo.UsePostgres(connectionString, builder.Configuration);
            silo.Configure<ReminderOptions>(o =>
            {
                o.MinimumReminderPeriod = RetryPeriod;
                o.RefreshReminderListPeriod = RetryPeriod;
            });
            // A silo stopped or killed by a test is declared dead within seconds, not the minute of production.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, testTime, name);
    }

    /// <summary>
    /// Lets every business date due by now run: while any grain keeps a wake-up due at or before now, time moves on by one
    /// <see cref="RetryPeriod"/> (a second) so Orleans' reminder ticks come, and the grains act. Orleans skips a tick that
    /// fell in a jump of time and ticks again one period later, which is what the step waits for; it never waits for a
    /// business date on the wall clock. Each step moves test time a second, so a test sees time a few seconds past the
    /// moment it moved to. Dates whose steps keep failing are left due after twenty tries.
    /// </summary>
    public async Task Settle()
    {
        var time = Time;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var quiet = 0;
        var unchanged = 0;
        var last = "";
        while (true)
        {
            var due = await DueWakeUps();
            if (due.Count == 0)
            {
                // A tick handled a moment ago may still be writing its next date; look twice.
                if (++quiet >= 2) return;
                await Task.Delay(5);
                continue;
            }
            quiet = 0;
            // Dates whose steps keep failing stay due (Orleans retries them each period): after twenty tries, the caller sees them so.
            var now = string.Join(",", due);
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
            if (unchanged >= 20) return;
            if (started.Elapsed > TimeSpan.FromSeconds(90))
                throw new TimeoutException($"Business dates still due after 90 s: {string.Join(", ", due.Take(10))}");
            time.Advance(RetryPeriod);
            await Task.Delay(15);
        }
    }

    /// <summary>
    /// Lets time pass up to <paramref name="target"/> as it passes for a running silo: each business date is reached in
    /// turn, in date order, and its steps run before the next (a single jump would be an outage, after which dates due
    /// together may run in any order).
    /// </summary>
    public async Task AdvanceTo(Instant target)
    {
        var time = Time;
        await Settle();
        while (await NextWakeUp() is { } next && next <= target)
        {
            var now = time.GetCurrentInstant();
            if (next > now) time.Advance(next - now);
            await Settle();
        }
        var at = time.GetCurrentInstant();
        if (target > at) time.Advance(target - at);
        await Settle();
    }

    /// <summary>The earliest business date kept after now, if any.</summary>
    private async Task<Instant?> NextWakeUp()
    {
        await using var command = dataSource.CreateCommand(
            "SELECT min(w.value::timestamptz) FROM grain_state g, jsonb_each_text(g.wake_ups) w WHERE g.wake_ups IS NOT NULL AND w.value::timestamptz > $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Time.GetCurrentInstant().ToDateTimeUtc() });
        return await command.ExecuteScalarAsync() is DateTime next ? Instant.FromDateTimeUtc(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : null;
    }

    /// <summary>The wake-ups due at or before now, as grain/name.</summary>
    public async Task<List<string>> DueWakeUps()
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT g.grain_type || '/' || g.grain_key || ' ' || w.key FROM grain_state g, jsonb_each_text(g.wake_ups) w
            WHERE g.wake_ups IS NOT NULL AND w.value::timestamptz <= $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Time.GetCurrentInstant().ToDateTimeUtc() });
        var due = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) due.Add(reader.GetString(0));
        return due;
    }

    /// <summary>Stops the silo gracefully: it leaves the cluster and its activations end.</summary>
    public async Task Stop()
    {
        if (stopped) return;
        stopped = true;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(cancellation.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        if (host is IAsyncDisposable asyncHost) await asyncHost.DisposeAsync(); else host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
