using Actors.Runtime.Activations;
using Actors.Runtime.Storage;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

/// <summary>Starts silos (grain runtimes) on one test database, with time under the test's control.</summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    public static readonly Instant Epoch = Instant.FromUtc(2026, 1, 5, 8, 0);
    private static readonly Migration TestTables = new("tests", 1, "test_counters",
        "CREATE TABLE test_counters (counter text PRIMARY KEY, value int NOT NULL)");

    private readonly List<GrainRuntime> silos = [];
    /// <summary>Each silo's own connection pool: the runtime does not own the data source it is given.</summary>
    private readonly Dictionary<GrainRuntime, NpgsqlDataSource> pools = [];

    private RuntimeHarness(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public TestTime Time { get; } = new(Epoch);

    public static async Task<RuntimeHarness> Create(string purpose) => new(await TestPostgres.CreateDatabase(purpose));

    /// <summary>Starts one more silo on the database.</summary>
    public async Task<GrainRuntime> StartSilo(Action<RuntimeOptions>? configure = null, string? name = null)
    {
        var options = new RuntimeOptions { RunBackgroundLoops = false, SiloName = name ?? $"silo-{silos.Count + 1}" };
        configure?.Invoke(options);
        var pool = RuntimeDatabase.Open(ConnectionString);
        var silo = new GrainRuntime(options, pool,
            new GrainCatalog().Scan(typeof(CounterGrain).Assembly), new ServiceCollection().BuildServiceProvider(),
            Time, Time, migrations: [TestTables]);
        await silo.StartAsync();
        silos.Add(silo);
        pools[silo] = pool;
        return silo;
    }

    /// <summary>Reads through a silo started for this read only (no activation of it can be stale), then stops it.</summary>
    public async Task<T> ReadThroughNewSilo<T>(Func<GrainRuntime, Task<T>> read)
    {
        var silo = await StartSilo(name: "reader");
        try { return await read(silo); }
        finally
        {
            silos.Remove(silo);
            await silo.DisposeAsync();
            if (pools.Remove(silo, out var pool)) await pool.DisposeAsync(); // else its connections stay open for minutes
        }
    }

    public async Task<T?> Scalar<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos) await silo.DisposeAsync();
        foreach (var pool in pools.Values) await pool.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
