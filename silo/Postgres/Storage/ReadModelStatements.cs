using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Actors.Postgres.Serialization;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Postgres.Storage;

/// <summary>
/// Turns read-model changes into SQL: a row record's properties become snake_case columns, the table's
/// primary key (constraint <c>{table}_pkey</c>) decides which row an upsert replaces.
/// </summary>
/// <remarks>
/// A group commit writes the upserts of many grains to one table as one <c>unnest</c> statement: one parse, one
/// plan and one round of protocol for the batch instead of one per row. Rows are owned by their grain, so two
/// upserts of one row in a batch are an exception; PostgreSQL refuses them (SQLSTATE 21000) and the batch is
/// retried one commit at a time, where each change is its own statement, in order.
/// </remarks>
internal static partial class ReadModelStatements
{
    private static readonly ConcurrentDictionary<(string Table, Type Row, Write Write), RowShape> Shapes = new();

    /// <summary>What a statement does with its rows.</summary>
    private enum Write { Upsert, Insert, Delete }

    /// <summary>
    /// The statements for <paramref name="changes"/>, in order. With <paramref name="setBased"/>, upserts (or inserts) of
    /// one row type are written together, when the batch has no deletes and each table gets one row type and one kind of
    /// write (so no order is lost).
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> ToCommands(IReadOnlyList<ReadModelChange> changes, bool setBased)
    {
        if (changes.Count == 0) return [];
        if (!setBased || changes.Count == 1 || !CanGroup(changes)) return changes.Select(ToCommand);
        // Grouped by table, row type and write (cheap to hash), not by the shape record, whose equality compares its SQL text.
        return changes.Select(RowOf)
            .GroupBy(change => (change.Table, Type: change.Row.GetType(), change.Write))
            .Select(group =>
            {
                var shape = Shape(group.Key.Table, group.Key.Type, group.Key.Write);
                var rows = group.Select(change => change.Row).ToList();
                return rows.Count == 1 ? shape.Row(rows[0]) : shape.Rows(rows);
            });
    }

    public static NpgsqlBatchCommand ToCommand(ReadModelChange change)
    {
        var (table, row, write) = RowOf(change);
        return Shape(table, row.GetType(), write).Row(row);
    }

    private static (string Table, object Row, Write Write) RowOf(ReadModelChange change) => change switch
    {
        ReadModelUpsert upsert => (upsert.Table, upsert.Row, Write.Upsert),
        ReadModelInsert insert => (insert.Table, insert.Row, Write.Insert),
        ReadModelDelete delete => (delete.Table, delete.Key, Write.Delete),
        _ => throw new ArgumentException($"Unknown read-model change {change.GetType().Name}."),
    };

    private static bool CanGroup(IReadOnlyList<ReadModelChange> changes)
    {
        var writes = new Dictionary<string, (Type, Write)>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var (table, row, write) = RowOf(change);
            if (write == Write.Delete) return false;
            if (writes.TryGetValue(table, out var seen) && seen != (row.GetType(), write)) return false;
            writes[table] = (row.GetType(), write);
        }
        return true;
    }

    private static RowShape Shape(string table, Type row, Write write) =>
        Shapes.GetOrAdd((table, row, write), key => RowShape.For(key.Table, key.Row, key.Write));

    /// <summary>Maps domain values to what PostgreSQL columns hold: NodaTime to timestamptz/date/time, enums to text.</summary>
    internal static NpgsqlParameter ToParameter(object? value) => value switch
    {
        null => new NpgsqlParameter { Value = DBNull.Value },
        _ => Column.For(value.GetType()).Parameter(value),
    };

    private sealed record RowShape(string Table, string Sql, string SetSql, PropertyInfo[] Properties, Column[] Columns)
    {
        public static RowShape For(string table, Type rowType, Write write)
        {
            if (!Identifier().IsMatch(table))
                throw new ArgumentException($"'{table}' is not a valid read-model table name (lower case, digits and underscores).");
            var properties = rowType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                .ToArray();
            if (properties.Length == 0)
                throw new ArgumentException($"{rowType.Name} has no public properties to write to {table}.");
            var names = properties.Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToArray();
            var columns = properties.Select(p => Column.For(p.PropertyType)).ToArray();

            if (write == Write.Delete)
            {
                var where = string.Join(" AND ", names.Select((c, i) => $"{c} = ${i + 1}"));
                return new RowShape(table, $"DELETE FROM {table} WHERE {where}", "", properties, columns);
            }
            var list = string.Join(", ", names);
            var conflict = write == Write.Insert ? "" : $" ON CONFLICT ON CONSTRAINT {table}_pkey DO UPDATE SET {string.Join(", ", names.Select(c => $"{c} = EXCLUDED.{c}"))}";
            var values = string.Join(", ", names.Select((_, i) => $"${i + 1}"));
            var unnest = string.Join(", ", columns.Select((c, i) => $"${i + 1}::{c.ArrayType}"));
            var selected = string.Join(", ", names.Select((n, i) => columns[i].FromArray(n)));
            return new RowShape(table,
                $"INSERT INTO {table} ({list}) VALUES ({values}){conflict}",
                $"INSERT INTO {table} ({list}) SELECT {selected} FROM unnest({unnest}) AS u({list}){conflict}",
                properties, columns);
        }

        /// <summary>One row's statement; parameters are typed by the row's declared types, so nulls do not change the statement's shape.</summary>
        public NpgsqlBatchCommand Row(object row)
        {
            var command = new NpgsqlBatchCommand(Sql);
            for (var i = 0; i < Properties.Length; i++) command.Parameters.Add(Columns[i].Parameter(Properties[i].GetValue(row)));
            return command;
        }

        /// <summary>Many rows in one statement: one array parameter per column.</summary>
        public NpgsqlBatchCommand Rows(IReadOnlyList<object> rows)
        {
            var command = new NpgsqlBatchCommand(SetSql);
            for (var i = 0; i < Properties.Length; i++)
            {
                var property = Properties[i];
                command.Parameters.Add(Columns[i].ArrayParameter(rows.Select(property.GetValue)));
            }
            return command;
        }
    }

    /// <summary>How one CLR type is written: as a parameter of one row, and as an array for <c>unnest</c>.</summary>
    private sealed record Column(string ArrayType, NpgsqlDbType Type, Func<object, object> Convert, Func<IEnumerable<object?>, Array> ToArray, string? ElementCast = null)
    {
        private static readonly ConcurrentDictionary<Type, Column> Known = new();

        public static Column For(Type declared) => Known.GetOrAdd(declared, Create);

        public NpgsqlParameter Parameter(object? value) => value is null
            ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = ElementCast is null ? Type : NpgsqlDbType.Array | Type }
            : ElementCast is null ? new NpgsqlParameter { Value = Convert(value), NpgsqlDbType = Type }
            : new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Array | Type };

        public NpgsqlParameter ArrayParameter(IEnumerable<object?> values) =>
            new() { Value = ToArray(values), NpgsqlDbType = NpgsqlDbType.Array | (ElementCast is null ? Type : NpgsqlDbType.Text) };

        /// <summary>The select-list entry for this column of the unnested arrays (array columns travel as literals).</summary>
        public string FromArray(string name) => ElementCast is null ? name : $"{name}::{ElementCast}";

        private static Column Create(Type declared)
        {
            var type = Nullable.GetUnderlyingType(declared) ?? declared;
            if (type == typeof(string)) return Of<string>("text[]", NpgsqlDbType.Text, v => v);
            if (type == typeof(bool)) return Of<bool?>("boolean[]", NpgsqlDbType.Boolean, v => (bool)v);
            if (type == typeof(short)) return Of<short?>("smallint[]", NpgsqlDbType.Smallint, v => (short)v);
            if (type == typeof(int)) return Of<int?>("integer[]", NpgsqlDbType.Integer, v => (int)v);
            if (type == typeof(long)) return Of<long?>("bigint[]", NpgsqlDbType.Bigint, v => (long)v);
            if (type == typeof(decimal)) return Of<decimal?>("numeric[]", NpgsqlDbType.Numeric, v => (decimal)v);
            if (type == typeof(double)) return Of<double?>("double precision[]", NpgsqlDbType.Double, v => (double)v);
            if (type == typeof(float)) return Of<float?>("real[]", NpgsqlDbType.Real, v => (float)v);
            if (type == typeof(Guid)) return Of<Guid?>("uuid[]", NpgsqlDbType.Uuid, v => (Guid)v);
            if (type == typeof(byte[])) return Of<byte[]>("bytea[]", NpgsqlDbType.Bytea, v => (byte[])v);
            if (type == typeof(Instant)) return Of<DateTime?>("timestamptz[]", NpgsqlDbType.TimestampTz, v => ((Instant)v).ToDateTimeUtc());
            if (type == typeof(LocalDate)) return Of<DateOnly?>("date[]", NpgsqlDbType.Date, v => ((LocalDate)v).ToDateOnly());
            if (type == typeof(LocalTime)) return Of<TimeOnly?>("time[]", NpgsqlDbType.Time, v => ((LocalTime)v).ToTimeOnly());
            if (type == typeof(Duration)) return Of<TimeSpan?>("interval[]", NpgsqlDbType.Interval, v => ((Duration)v).ToTimeSpan());
            if (type.IsEnum) return Of<string>("text[]", NpgsqlDbType.Text, v => v.ToString()!);
            if (type == typeof(string[])) return ListOf("text[]", NpgsqlDbType.Text, v => Quoted((string?)v));
            if (type == typeof(int[])) return ListOf("integer[]", NpgsqlDbType.Integer, v => ((int)v!).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (type == typeof(long[])) return ListOf("bigint[]", NpgsqlDbType.Bigint, v => ((long)v!).ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Anything else (settings, addresses, lists of records) is kept whole as JSON.
            return Of<string>("jsonb[]", NpgsqlDbType.Jsonb, v => JsonSerializer.Serialize(v, v.GetType(), GrainJson.Options));
        }

        private static Column Of<T>(string arrayType, NpgsqlDbType type, Func<object, object> convert) =>
            new(arrayType, type, convert, values => values.Select(v => v is null ? default : (T)convert(v)).ToArray());

        /// <summary>An array column: one row binds the array itself; an unnest binds each row's array as a literal and casts it back.</summary>
        private static Column ListOf(string arrayType, NpgsqlDbType element, Func<object?, string> literal) =>
            new("text[]", element, v => v, values => values.Select(v => v is null ? null : Literal((Array)v, literal)).ToArray(), arrayType);

        private static string Literal(Array items, Func<object?, string> literal)
        {
            var text = new StringBuilder("{");
            foreach (var item in items)
            {
                if (text.Length > 1) text.Append(',');
                text.Append(item is null ? "NULL" : literal(item));
            }
            return text.Append('}').ToString();
        }

        private static string Quoted(string? value) =>
            value is null ? "NULL" : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
