using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace Actors.Postgres.Storage;

/// <summary>One versioned schema change: applied once, in order, recorded in <c>schema_migrations</c>.</summary>
/// <param name="Source">Who owns the change: <c>runtime</c>, or a program such as <c>fleet</c>.</param>
public sealed record Migration(string Source, int Version, string Name, string Sql);

/// <summary>Applies migrations at start, under an advisory lock so silos starting together do not race.</summary>
public static partial class SchemaMigrations
{
    private const long MigrationLockKey = 0x4163746F7273; // "Actors"

    /// <summary>The runtime's own migrations, embedded as <c>Schema/NNNN_name.sql</c>.</summary>
    public static IReadOnlyList<Migration> Runtime { get; } = FromAssembly(typeof(SchemaMigrations).Assembly, "runtime");

    /// <summary>
    /// Reads embedded resources named <c>NNNN_name.sql</c> from an assembly; with <paramref name="folder"/>, only those
    /// embedded from that folder (e.g. <c>Fleet.ReadModel</c>), so each program numbers its own migrations.
    /// </summary>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly, string source, string? folder = null) =>
        [.. assembly.GetManifestResourceNames()
            .Where(name => folder is null || name.Contains($".{folder}.", StringComparison.Ordinal))
            .Select(name => (name, match: FileName().Match(name)))
            .Where(x => x.match.Success)
            .Select(x =>
            {
                using var stream = assembly.GetManifestResourceStream(x.name)!;
                using var reader = new StreamReader(stream);
                return new Migration(source, int.Parse(x.match.Groups["version"].Value), x.match.Groups["name"].Value, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)];

    /// <summary>Reads <c>NNNN_name.sql</c> files from a folder.</summary>
    public static IReadOnlyList<Migration> FromDirectory(string directory, string source) =>
        [.. Directory.EnumerateFiles(directory, "*.sql")
            .Select(path => (path, match: FileName().Match(Path.GetFileName(path))))
            .Where(x => x.match.Success)
            .Select(x => new Migration(source, int.Parse(x.match.Groups["version"].Value), x.match.Groups["name"].Value, File.ReadAllText(x.path)))
            .OrderBy(m => m.Version)];

    public static async Task Apply(NpgsqlDataSource dataSource, IEnumerable<Migration> migrations, CancellationToken cancellation = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using (var setup = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                source text NOT NULL, version int NOT NULL, name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (source, version));
            SELECT pg_advisory_lock(@key);
            """, connection))
        {
            setup.Parameters.AddWithValue("key", MigrationLockKey);
            await setup.ExecuteNonQueryAsync(cancellation);
        }
        try
        {
            var applied = new HashSet<(string, int)>();
            await using (var read = new NpgsqlCommand("SELECT source, version FROM schema_migrations", connection))
            await using (var rows = await read.ExecuteReaderAsync(cancellation))
                while (await rows.ReadAsync(cancellation)) applied.Add((rows.GetString(0), rows.GetInt32(1)));

            foreach (var migration in migrations.OrderBy(m => m.Source == "runtime" ? 0 : 1).ThenBy(m => m.Source).ThenBy(m => m.Version))
            {
                if (applied.Contains((migration.Source, migration.Version))) continue;
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                    await apply.ExecuteNonQueryAsync(cancellation);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (source, version, name) VALUES (@source, @version, @name)", connection, transaction))
                {
                    record.Parameters.AddWithValue("source", migration.Source);
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellation);
                }
                await transaction.CommitAsync(cancellation);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [GeneratedRegex(@"(?:^|\.)(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileName();
}
