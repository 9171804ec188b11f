using System.Text.Json;
using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using Actors.Rules;
using Actors.Postgres.Storage;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace Actors.Fleet.Tests;

/// <summary>
/// A silo with the fleet grains, the fleet workflows of the repository and the fleet read model, on a fresh database,
/// with time under the test's control.
/// </summary>
public sealed class FleetHarness : IAsyncDisposable
{
    /// <summary>Monday 5 January 2026, 09:00 in Brussels.</summary>
    public static readonly Instant Epoch = Instant.FromUtc(2026, 1, 5, 8, 0);
    private static readonly Lazy<WorkflowCatalog> Workflows = new(() => new WorkflowCatalog(Path.Combine(RepositoryRoot(), "rules", "workflows")));

    private FleetHarness(string connectionString, TestSilo silo, TestTime time)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Silo = silo;
        Time = time;
    }

    public string ConnectionString { get; }
    /// <summary>A real Orleans silo with the fleet grains, on the test database.</summary>
    public TestSilo Silo { get; }
    public IGrainFactory Grains => Silo.Grains;
    public TestTime Time { get; }
    public NpgsqlDataSource DataSource { get; }
    public Instant Now => Time.GetCurrentInstant();

    public static IReadOnlyList<Migration> Migrations { get; } =
        SchemaMigrations.FromAssembly(typeof(FleetReadModel).Assembly, FleetReadModel.Source, FleetReadModel.Folder);

    public static async Task<FleetHarness> Start(string purpose, Instant? start = null)
    {
        var connectionString = await TestPostgres.CreateDatabase(purpose);
        return await Open(connectionString, new TestTime(start ?? Epoch));
    }

    /// <summary>Stops this silo (every activation ends) and starts a new one on the same database and clock.</summary>
    public async Task<FleetHarness> Restart()
    {
        await DisposeAsync();
        return await Open(ConnectionString, Time);
    }

    /// <summary>Starts a second silo on the same database and clock, beside this one: together they form one cluster.</summary>
    public Task<FleetHarness> Beside() => Open(ConnectionString, Time);

    private static async Task<FleetHarness> Open(string connectionString, TestTime time)
    {
        var silo = await TestSilo.Start(connectionString, time, Migrations, services => services.AddSingleton(Workflows.Value), name: "fleet-test");
        return new FleetHarness(connectionString, silo, time);
    }

    public T Grain<T>(string key) where T : IGrainWithStringKey => Silo.Grains.GetGrain<T>(key);

    /// <summary>Moves time forward and lets every business date that falls due run, including those the steps schedule.</summary>
    public async Task Advance(Duration by)
    {
        await Silo.AdvanceTo(Now + by);
    }

    public Task AdvanceTo(Instant at) => Silo.AdvanceTo(at > Now ? at : Now);

    /// <summary>The events of one type, in commit order, with their payloads.</summary>
    public async Task<List<JsonElement>> Events(string eventType, string? grainKey = null)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT payload::text FROM grain_events WHERE event_type = $1 AND ($2::text IS NULL OR grain_key = $2) ORDER BY tx_id, position");
        command.Parameters.Add(new NpgsqlParameter { Value = eventType });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)grainKey ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var events = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        return events;
    }

    public async Task<T?> Scalar<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>A value as stored JSON, to compare records holding lists by value (a grain's answer is a copy).</summary>
    public static string Json(object value) => JsonSerializer.Serialize(value, Actors.Postgres.Serialization.GrainJson.Options);

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

/// <summary>Ready-made customers, settings and orders for the fiches' flows.</summary>
public static class Sample
{
    public const string Customer = "100200";
    public const string OtherCustomer = "100300";

    public static readonly Address Office = new("ACME LOGISTICS", "Havenlaan 12", "2000", "Antwerpen", "BE");

    public static CardSettings Diesel(string plate = "1-ABC-123") => new()
    {
        Plate = plate,
        Division = "Trucks",
        DriverName = "JANSSENS Piet",
        FuelAndEnergy = ["Diesel", "AdBlue"],
        Services = ["CarWash"],
        Limits = [new CardLimit("Diesel", 300, LimitPeriod.Day, LimitBreach.Block), new CardLimit("CarWash", 40, LimitPeriod.Month, LimitBreach.Notify)],
        Controls = new CardControls { TankCapacityLiters = 400, ForbiddenDays = [IsoDayOfWeek.Sunday], Countries = ["BE", "NL", "DE"] },
        ShippingAddress = Office,
    };

    public static ObuSettings Truck(string plate = "1-TRK-001") => new()
    {
        Product = FleetProduct.Passango,
        Plate = plate,
        Division = "Trucks",
        VehicleClass = 4,
        WeightKg = 40000,
        LengthCm = 1650,
        WidthCm = 255,
        HeightCm = 400,
        Axles = 5,
        TechnicalProperties = ["Euro6"],
        TollOperators = ["Viapass", "Telepass"],
        ShippingAddress = Office,
    };

    public static async Task<ICustomerGrain> RegisterCustomer(FleetHarness fleet, string number = Customer)
    {
        var customer = fleet.Grain<ICustomerGrain>(number);
        await customer.Register("ACME LOGISTICS", ["Trucks", "Vans", "Management"]);
        return customer;
    }

    /// <summary>Orders a card and lets the 24 h processing and delivery run: the card is Active.</summary>
    public static async Task<string> ActiveCard(FleetHarness fleet, ICustomerGrain customer, CardSettings? settings = null)
    {
        var number = await customer.CreateCard(new CardOrder(settings ?? Diesel()));
        await fleet.Advance(Duration.FromDays(3));
        return number;
    }
}
