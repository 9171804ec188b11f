using Actors.Runtime.Storage;
using Actors.Testing;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Npgsql;

namespace Actors.Runtime.Tests;

/// <summary>
/// A group commit writes read-model rows set-based (one <c>unnest</c> per table); these tests hold it to the same
/// rows, value for value, as one statement per row, including nulls, quotes in arrays, enums, NodaTime and JSON.
/// </summary>
public sealed class ReadModelBatchTests
{
    private const string Table = """
        CREATE TABLE shelf_rows (
            code text PRIMARY KEY, label text, count int, weight numeric, active boolean NOT NULL, kind text NOT NULL,
            tags text[], sizes int[], placed_at timestamptz, placed_on date, extra jsonb)
        """;

    public enum ShelfKind { Top, Bottom }
    public sealed record Extra(string Note, int[] Values);
    public sealed record ShelfRow(string Code, string? Label, int? Count, decimal? Weight, bool Active, ShelfKind Kind,
        string[]? Tags, int[]? Sizes, Instant? PlacedAt, LocalDate? PlacedOn, Extra? Extra);
    public sealed record ShelfKey(string Code);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Set_based_rows_equal_row_by_row_rows() => await WithTwoTables(async (database, setBased, rowByRow) =>
    {
        var gen = Gen.Choose(1, 30).SelectMany(n => ArbRow().ListOf(n));
        // The property blocks on its checks; Task.Run keeps them off the test's synchronization context.
        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(gen.ToArbitrary(), rows => Task.Run(() => Matches(rows)).GetAwaiter().GetResult())));

        async Task<bool> Matches(IList<ShelfRow> generated)
        {
            var rows = generated.DistinctBy(r => r.Code).ToList();
            await Write(database, setBased, rows.Select(r => new ReadModelUpsert(setBased, r)).ToList<ReadModelChange>(), grouped: true);
            await Write(database, rowByRow, rows.Select(r => new ReadModelUpsert(rowByRow, r)).ToList<ReadModelChange>(), grouped: false);
            Assert.Equal(await Dump(database, rowByRow), await Dump(database, setBased));
            return true;
        }
    });

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_batch_is_one_statement_per_table_and_replaces_existing_rows() => await WithTwoTables(async (database, table, _) =>
    {
        var first = Enumerable.Range(0, 5).Select(i => new ShelfRow($"c{i}", "old", i, null, true, ShelfKind.Top, ["a"], null, null, null, null)).ToList();
        await Write(database, table, [.. first.Select(r => new ReadModelUpsert(table, r))], grouped: true);
        var second = first.Select(r => r with { Label = "new \"quoted\", {braced}", Tags = ["x,y", "z\\w", null!] }).ToList();
        var commands = ReadModelStatements.ToCommands([.. second.Select(r => new ReadModelUpsert(table, r))], setBased: true).ToList();
        Assert.Single(commands);
        await Write(database, table, [.. second.Select(r => new ReadModelUpsert(table, r))], grouped: true);
        Assert.Equal(5L, await Scalar<long>(database, $"SELECT count(*) FROM {table} WHERE label = 'new \"quoted\", {{braced}}'"));
        Assert.Equal("{\"x,y\",\"z\\\\w\",NULL}", await Scalar<string>(database, $"SELECT tags::text FROM {table} WHERE code = 'c3'"));
    });

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Rows_written_once_are_plain_inserts_and_a_second_insert_of_a_row_fails_its_commit() => await WithTwoTables(async (database, table, _) =>
    {
        var rows = Enumerable.Range(0, 4).Select(i => new ShelfRow($"t{i}", "first", i, 2.5m, true, ShelfKind.Top, ["a,b"], [i], null, null, null)).ToList();
        var commands = ReadModelStatements.ToCommands([.. rows.Select(r => new ReadModelInsert(table, r))], setBased: true).ToList();
        Assert.DoesNotContain("ON CONFLICT", Assert.Single(commands).CommandText);
        await Write(database, table, [.. rows.Select(r => new ReadModelInsert(table, r))], grouped: true);
        Assert.Equal(4L, await Scalar<long>(database, $"SELECT count(*) FROM {table} WHERE label = 'first' AND tags = '{{\"a,b\"}}'"));

        // Written alone or with others, a row that is already there is refused, and nothing of that commit is written.
        foreach (var grouped in new[] { false, true })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => Write(database, table,
                [new ReadModelInsert(table, rows[0] with { Code = $"new{grouped}" }), new ReadModelInsert(table, rows[2] with { Label = "second" })], grouped));
            Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        }
        Assert.Equal(4L, await Scalar<long>(database, $"SELECT count(*) FROM {table}"));
        Assert.Equal("first", await Scalar<string>(database, $"SELECT label FROM {table} WHERE code = 't2'"));

        // An insert and an upsert on one table keep their order: two statements, the upsert last.
        ReadModelChange[] mixed = [new ReadModelInsert(table, rows[0] with { Code = "m" }), new ReadModelUpsert(table, rows[0] with { Code = "m", Label = "upserted" })];
        Assert.Equal(2, ReadModelStatements.ToCommands(mixed, setBased: true).Count());
        await Write(database, table, mixed, grouped: true);
        Assert.Equal("upserted", await Scalar<string>(database, $"SELECT label FROM {table} WHERE code = 'm'"));
    });

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Deletes_or_two_row_types_on_one_table_keep_the_order_of_the_changes() => await WithTwoTables(async (database, table, _) =>
    {
        var row = new ShelfRow("k", "one", 1, 1.5m, true, ShelfKind.Bottom, null, [1, 2], Instant.FromUtc(2026, 3, 29, 1, 30), new LocalDate(2026, 3, 29), new Extra("n", [3]));
        ReadModelChange[] changes = [new ReadModelUpsert(table, row), new ReadModelDelete(table, new ShelfKey("k")), new ReadModelUpsert(table, row with { Label = "two" })];
        Assert.Equal(3, ReadModelStatements.ToCommands(changes, setBased: true).Count());
        await Write(database, table, changes, grouped: true);
        Assert.Equal("two", await Scalar<string>(database, $"SELECT label FROM {table} WHERE code = 'k'"));
    });

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Two_upserts_of_one_row_in_a_set_based_statement_are_refused_so_the_batch_is_retried_commit_by_commit() => await WithTwoTables(async (database, table, _) =>
    {
        var row = new ShelfRow("same", "a", 1, null, false, ShelfKind.Top, null, null, null, null, null);
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            Write(database, table, [new ReadModelUpsert(table, row), new ReadModelUpsert(table, row with { Label = "b" })], grouped: true));
        Assert.Equal("21000", error.SqlState); // StateCommits retries each commit alone, where rows are written one by one
        Assert.Equal(0L, await Scalar<long>(database, $"SELECT count(*) FROM {table}"));
    });

    private static Gen<ShelfRow> ArbRow() =>
        from code in Gen.Elements("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l")
        from label in Gen.OneOf(Gen.Constant<string?>(null), ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => (string?)s.Get.Replace("\0", "")))
        from count in Gen.OneOf(Gen.Constant<int?>(null), ArbMap.Default.GeneratorFor<int>().Select(i => (int?)i))
        from weight in Gen.OneOf(Gen.Constant<decimal?>(null), Gen.Choose(-100000, 100000).Select(i => (decimal?)(i / 100m)))
        from active in ArbMap.Default.GeneratorFor<bool>()
        from kind in Gen.Elements(ShelfKind.Top, ShelfKind.Bottom)
        from tags in Gen.OneOf(Gen.Constant<string[]?>(null), Gen.Elements("", "x", "a,b", "q\"uote", "back\\slash", "{}", "NULL", "sp ace").ArrayOf().Select(a => (string[]?)a))
        from sizes in Gen.OneOf(Gen.Constant<int[]?>(null), ArbMap.Default.GeneratorFor<int>().ArrayOf().Select(a => (int[]?)a))
        from seconds in Gen.Choose(0, 100_000_000)
        from placed in ArbMap.Default.GeneratorFor<bool>()
        from extra in Gen.OneOf(Gen.Constant<Extra?>(null), Gen.Elements("é", "\"", "n").Select(n => (Extra?)new Extra(n, [seconds % 7])))
        select new ShelfRow(code, label, count, weight, active, kind, tags, sizes,
            placed ? Instant.FromUnixTimeSeconds(seconds) : null, placed ? new LocalDate(2024, 2, 29).PlusDays(seconds % 1000) : null, extra);

    private static async Task WithTwoTables(Func<NpgsqlDataSource, string, string, Task> test)
    {
        await using var database = NpgsqlDataSource.Create(await TestPostgres.CreateDatabase("readmodelbatch"));
        foreach (var name in new[] { "shelf_rows", "shelf_rows_one_by_one" })
            await database.CreateCommand(Table.Replace("shelf_rows", name).Replace("PRIMARY KEY", $"CONSTRAINT {name}_pkey PRIMARY KEY")).ExecuteNonQueryAsync();
        await test(database, "shelf_rows", "shelf_rows_one_by_one");
    }

    private static async Task Write(NpgsqlDataSource database, string table, IReadOnlyList<ReadModelChange> changes, bool grouped)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in ReadModelStatements.ToCommands(changes, setBased: grouped)) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync();
    }

    private static async Task<string> Dump(NpgsqlDataSource database, string table) =>
        await Scalar<string>(database, $"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY code), '') FROM (SELECT * FROM {table}) t") ?? "";

    private static async Task<T?> Scalar<T>(NpgsqlDataSource database, string sql) =>
        await database.CreateCommand(sql).ExecuteScalarAsync() is T value ? value : default;
}
