using Npgsql;

namespace Actors.Postgres.Storage;

/// <summary>The runtime's way to PostgreSQL.</summary>
public static class RuntimeDatabase
{
    /// <summary>
    /// A data source on which the statements the runtime repeats (state reads and writes, events, read-model rows,
    /// reminders) are prepared once per connection instead of parsed and planned on every call. A connection string
    /// that sets <c>Max Auto Prepare</c> itself keeps its own choice (0 turns preparation off).
    /// </summary>
    public static NpgsqlDataSource Open(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 200;
            settings.AutoPrepareMinUsages = 2;
        }
        // The runtime changes no session settings, so a connection going back to the pool needs no reset: that saves
        // three statements (RESET ALL and friends) each time, as many as there are commits and state reads.
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) settings.NoResetOnClose = true;
        return NpgsqlDataSource.Create(settings.ConnectionString);
    }
}
