using System.Data;
using Npgsql;

// Outside the Actors namespace: the project's own Actors.Grain, IRemindable, IGrainStorage and
// InconsistentStateException would otherwise hide Orleans' types of the same names.
namespace OrleansCluster.Tests;

/// <summary>
/// Runs a statement from OrleansQuery the way Orleans' providers do: named parameters typed by their .NET type
/// (DbExtensions.CreateParameter maps typeof(T) to a DbType and sends DBNull for null).
/// </summary>
internal static class Sql
{
    public static async Task<string> Query(NpgsqlDataSource db, string key)
    {
        await using var command = db.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key");
        command.Parameters.AddWithValue("key", key);
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"no query {key}");
    }

    public static NpgsqlParameter P<T>(string name, T? value) => new(name, DbTypeOf(typeof(T))) { Value = (object?)value ?? DBNull.Value };

    private static DbType DbTypeOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) => DbType.Int32,
        var t when t == typeof(long) => DbType.Int64,
        var t when t == typeof(string) => DbType.String,
        var t when t == typeof(DateTime) => DbType.DateTime,
        var t when t == typeof(byte[]) => DbType.Binary,
        var t => throw new ArgumentException($"no DbType for {t}"),
    };

    public static async Task<List<Dictionary<string, object?>>> Rows(NpgsqlDataSource db, string key, params NpgsqlParameter[] parameters)
    {
        await using var command = db.CreateCommand(await Query(db, key));
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return rows;
    }

    /// <summary>What Orleans reads from a "boolean" query: the single column of the first row, through Convert.ToBoolean.</summary>
    public static async Task<bool> Flag(NpgsqlDataSource db, string key, params NpgsqlParameter[] parameters)
    {
        var rows = await Rows(db, key, parameters);
        Assert.Single(rows[0]);
        return Convert.ToBoolean(rows[0].Values.Single());
    }

    public static async Task<T> Scalar<T>(NpgsqlDataSource db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
