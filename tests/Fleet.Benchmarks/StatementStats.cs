using Npgsql;

/// <summary>
/// Where PostgreSQL spends its time per authorization: pg_stat_statements and pg_stat_wal, summed over the rounds over
/// HTTP only (<see cref="Resume"/> to <see cref="Pause"/>), since pgbench's rounds run between them on the same database.
/// Needs a cluster started with <c>shared_preload_libraries=pg_stat_statements</c>.
/// </summary>
sealed class StatementStats(NpgsqlDataSource database)
{
    private readonly Dictionary<long, (long Calls, double Milliseconds, long Rows, string Query)> statements = [];
    private (long Records, long FullPages, long Bytes) wal;
    private Snapshot? resumed;
    private long authorizations;

    public static async Task<StatementStats> Start(string connectionString)
    {
        var database = NpgsqlDataSource.Create(connectionString);
        await database.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").ExecuteNonQueryAsync();
        return new StatementStats(database);
    }

    public async Task Resume() => resumed = await Read();

    public async Task Pause()
    {
        var now = await Read();
        var before = resumed ?? throw new InvalidOperationException("Pause without Resume.");
        authorizations += now.Approved - before.Approved;
        wal = (wal.Records + now.Wal.Records - before.Wal.Records, wal.FullPages + now.Wal.FullPages - before.Wal.FullPages, wal.Bytes + now.Wal.Bytes - before.Wal.Bytes);
        foreach (var (id, s) in now.Statements)
        {
            var b = before.Statements.GetValueOrDefault(id);
            var sum = statements.GetValueOrDefault(id);
            statements[id] = (sum.Calls + s.Calls - b.Calls, sum.Milliseconds + s.Milliseconds - b.Milliseconds, sum.Rows + s.Rows - b.Rows, s.Query);
        }
    }

    public void Print()
    {
        var count = Math.Max(1, authorizations);
        Console.WriteLine($"PostgreSQL per authorization ({authorizations:N0} authorizations over HTTP):");
        foreach (var s in statements.Values.Where(s => s.Calls > 0).OrderByDescending(s => s.Milliseconds).Take(12))
            Console.WriteLine($"  {s.Milliseconds * 1000 / count,8:N1} µs  {(double)s.Calls / count,6:N2} calls  {s.Rows / (double)s.Calls,7:N1} rows/call  {s.Query}");
        Console.WriteLine($"  WAL: {wal.Records / (double)count:N1} records, {wal.FullPages / (double)count:N2} full pages, {wal.Bytes / count:N0} bytes per authorization");
    }

    private sealed record Snapshot(long Approved, (long Records, long FullPages, long Bytes) Wal, Dictionary<long, (long Calls, double Milliseconds, long Rows, string Query)> Statements);

    private async Task<Snapshot> Read()
    {
        var approved = (long)(await database.CreateCommand("SELECT count(*) FROM fleet_transactions").ExecuteScalarAsync())!;
        var read = new Dictionary<long, (long, double, long, string)>();
        await using (var command = database.CreateCommand(
            "SELECT queryid, calls, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) FROM pg_stat_statements " +
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND queryid IS NOT NULL"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                read[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetDouble(2), reader.GetInt64(3), reader.GetString(4));
        await using var walCommand = database.CreateCommand("SELECT wal_records, wal_fpi, wal_bytes::bigint FROM pg_stat_wal");
        await using var walReader = await walCommand.ExecuteReaderAsync();
        await walReader.ReadAsync();
        return new Snapshot(approved, (walReader.GetInt64(0), walReader.GetInt64(1), walReader.GetInt64(2)), read);
    }
}
