using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Actors.Runtime.Serialization;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Runtime.Storage;

/// <summary>
/// Turns read-model changes into SQL: a row record's properties become snake_case columns, the table's
/// primary key (constraint <c>{table}_pkey</c>) decides which row an upsert replaces.
/// </summary>
internal static partial class ReadModelStatements
{
    private static readonly ConcurrentDictionary<(string Table, Type Row, bool Delete), RowShape> Shapes = new();

    public static NpgsqlBatchCommand ToCommand(ReadModelChange change) => change switch
    {
        ReadModelUpsert upsert => Build(upsert.Table, upsert.Row, delete: false),
        ReadModelDelete delete => Build(delete.Table, delete.Key, delete: true),
        _ => throw new ArgumentException($"Unknown read-model change {change.GetType().Name}."),
    };

    private static NpgsqlBatchCommand Build(string table, object row, bool delete)
    {
        var shape = Shapes.GetOrAdd((table, row.GetType(), delete), key => RowShape.For(key.Table, key.Row, key.Delete));
        var command = new NpgsqlBatchCommand(shape.Sql);
        foreach (var property in shape.Properties)
            command.Parameters.Add(ToParameter(property.GetValue(row)));
        return command;
    }

    /// <summary>Maps domain values to what PostgreSQL columns hold: NodaTime to timestamptz/date/time, enums to text.</summary>
    internal static NpgsqlParameter ToParameter(object? value) => value switch
    {
        null => new NpgsqlParameter { Value = DBNull.Value },
        Instant instant => new NpgsqlParameter { Value = instant.ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
        LocalDate date => new NpgsqlParameter { Value = date.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date },
        LocalTime time => new NpgsqlParameter { Value = time.ToTimeOnly(), NpgsqlDbType = NpgsqlDbType.Time },
        Duration duration => new NpgsqlParameter { Value = duration.ToTimeSpan(), NpgsqlDbType = NpgsqlDbType.Interval },
        Enum e => new NpgsqlParameter { Value = e.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
        string or bool or short or int or long or decimal or double or float or Guid or byte[] or string[] or int[] or long[]
            => new NpgsqlParameter { Value = value },
        _ => new NpgsqlParameter { Value = JsonSerializer.Serialize(value, GrainJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb },
    };

    private sealed record RowShape(string Sql, PropertyInfo[] Properties)
    {
        public static RowShape For(string table, Type rowType, bool delete)
        {
            if (!Identifier().IsMatch(table))
                throw new ArgumentException($"'{table}' is not a valid read-model table name (lower case, digits and underscores).");
            var properties = rowType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                .ToArray();
            if (properties.Length == 0)
                throw new ArgumentException($"{rowType.Name} has no public properties to write to {table}.");
            var columns = properties.Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToArray();

            if (delete)
            {
                var where = string.Join(" AND ", columns.Select((c, i) => $"{c} = ${i + 1}"));
                return new RowShape($"DELETE FROM {table} WHERE {where}", properties);
            }
            var values = string.Join(", ", columns.Select((_, i) => $"${i + 1}"));
            var updates = string.Join(", ", columns.Select(c => $"{c} = EXCLUDED.{c}"));
            return new RowShape(
                $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({values}) ON CONFLICT ON CONSTRAINT {table}_pkey DO UPDATE SET {updates}",
                properties);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
