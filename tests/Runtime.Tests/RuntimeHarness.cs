using Actors.Postgres.Storage;
using Actors.Testing;
using NodaTime;
using Npgsql;

namespace Actors.Runtime.Tests;

/// <summary>Starts Orleans silos on one test database, with time under the test's control.</summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    public static readonly Instant Epoch = Instant.FromUtc(2026, 1, 5, 8, 0);
    public static readonly Migration TestTables = new("tests", 1, "test_counters",
        "CREATE TABLE test_counters (counter text PRIMARY KEY, value int NOT NULL)");

    private readonly List<TestSilo> silos = [];

    private RuntimeHarness(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public TestTime Time { get; } = new(Epoch);
    public IReadOnlyList<TestSilo> Silos => silos;

    public static async Task<RuntimeHarness> Create(string purpose) => new(await TestPostgres.CreateDatabase(purpose));

    /// <summary>Starts one more silo on the database; it joins the cluster of those already running.</summary>
    public async Task<TestSilo> StartSilo(string? name = null)
    {
        var silo = await TestSilo.Start(ConnectionString, Time, [TestTables], name: name ?? $"silo-{silos.Count + 1}");
        silos.Add(silo);
        return silo;
    }

    /// <summary>Moves time forward and lets every business date that falls due run.</summary>
    public async Task Advance(Duration by)
    {
        Time.Advance(by);
        await silos.First(s => !s.IsStopped).Settle();
    }

    public async Task<T?> Scalar<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task Execute(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos) await silo.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
