using System.Text.Json;
using Actors.Grains.Uitpas;
using Actors.Rules;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace Actors.Uitpas.Tests;

/// <summary>
/// A silo with the UiTPAS grains and the repository's workflows on a fresh database, with time under the test's control,
/// and a card system (Gent) with two counters, staff, activities, tariffs and rewards.
/// </summary>
public sealed class UitpasHarness : IAsyncDisposable
{
    /// <summary>Monday 5 January 2026, 09:00 in Brussels.</summary>
    public static readonly Instant Epoch = Instant.FromUtc(2026, 1, 5, 8, 0);
    private static readonly Lazy<WorkflowCatalog> Workflows = new(() => new WorkflowCatalog(Path.Combine(RepositoryRoot(), "rules", "workflows")));

    private UitpasHarness(string connectionString, TestSilo silo, TestTime time)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Silo = silo;
        Time = time;
    }

    public string ConnectionString { get; }
    public TestSilo Silo { get; }
    public IGrainFactory Grains => Silo.Grains;
    public TestTime Time { get; }
    public NpgsqlDataSource DataSource { get; }
    public Instant Now => Time.GetCurrentInstant();
    public LocalDate Today => UitpasCalendar.Today(Now);

    public static async Task<UitpasHarness> Start(string purpose, Instant? start = null)
    {
        var connectionString = await TestPostgres.CreateDatabase(purpose);
        return await Open(connectionString, new TestTime(start ?? Epoch));
    }

    /// <summary>Stops this silo (every activation ends) and starts a new one on the same database and clock.</summary>
    public async Task<UitpasHarness> Restart()
    {
        await DisposeAsync();
        return await Open(ConnectionString, Time);
    }

    private static async Task<UitpasHarness> Open(string connectionString, TestTime time)
    {
        var silo = await TestSilo.Start(connectionString, time, [], services => services.AddSingleton(Workflows.Value), name: "uitpas-test");
        return new UitpasHarness(connectionString, silo, time);
    }

    public T Grain<T>(string key) where T : IGrainWithStringKey => Silo.Grains.GetGrain<T>(key);
    public IPassHolderGrain Holder(string nationalNumber) => Grain<IPassHolderGrain>(nationalNumber);
    public IPassGrain Pass(string number) => Grain<IPassGrain>(number);

    public Task Advance(Duration by) => Silo.AdvanceTo(Now + by);
    public Task AdvanceTo(Instant at) => Silo.AdvanceTo(at > Now ? at : Now);

    /// <summary>The events of one type, in commit order.</summary>
    public async Task<List<JsonElement>> Events(string eventType)
    {
        await using var command = DataSource.CreateCommand("SELECT payload::text FROM grain_events WHERE event_type = $1 ORDER BY tx_id, position");
        command.Parameters.Add(new NpgsqlParameter { Value = eventType });
        var events = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        return events;
    }

    /// <summary>Everything written so far: state rows with their versions and the events; equal before and after = nothing written.</summary>
    public async Task<string> Written()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT coalesce(string_agg(grain_type || '/' || grain_key || '@' || version::text, ',' ORDER BY grain_type, grain_key), '') || '|' || (SELECT count(*) FROM grain_events)::text FROM grain_state");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln"))) return directory.FullName;
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
