using Npgsql;

/// <summary>
/// Where PostgreSQL spends its time per authorization: pg_stat_statements and pg_stat_wal between a start and a print.
/// Needs a cluster started with <c>shared_preload_libraries=pg_stat_statements</c>.
/// </summary>
sealed class StatementStats(NpgsqlDataSource database, long approvedBefore)
{
    public static async Task<StatementStats> Start(string connectionString)
    {
        var database = NpgsqlDataSource.Create(connectionString);
        await database.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").ExecuteNonQueryAsync();
        await database.CreateCommand("SELECT pg_stat_statements_reset(), pg_stat_reset_shared('wal')").ExecuteNonQueryAsync();
        var approved = (long)(await database.CreateCommand("SELECT count(*) FROM fleet_transactions").ExecuteScalarAsync())!;
        return new StatementStats(database, approved);
    }

    public async Task Print(long approvedNow)
    {
        var authorizations = Math.Max(1, approvedNow - approvedBefore);
        Console.WriteLine($"PostgreSQL per authorization ({authorizations:N0} authorizations):");
        await using (var command = database.CreateCommand(
            "SELECT calls, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) FROM pg_stat_statements " +
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 12"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                Console.WriteLine($"  {reader.GetDouble(1) * 1000 / authorizations,8:N1} µs  {(double)reader.GetInt64(0) / authorizations,6:N2} calls  {reader.GetInt64(2) / (double)reader.GetInt64(0),7:N1} rows/call  {reader.GetString(3)}");
        await using (var command = database.CreateCommand("SELECT wal_records, wal_fpi, wal_bytes::bigint FROM pg_stat_wal"))
        await using (var reader = await command.ExecuteReaderAsync())
            if (await reader.ReadAsync())
                Console.WriteLine($"  WAL: {reader.GetInt64(0) / (double)authorizations:N1} records, {reader.GetInt64(1) / (double)authorizations:N2} full pages, {reader.GetInt64(2) / authorizations:N0} bytes per authorization");
    }
}
