using Actors.Testing;
using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

/// <summary>Journaled grains: entries after the last snapshot, replay on activation, and stale activations refused.</summary>
public sealed class JournalTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Entries_after_the_last_snapshot_are_journaled_and_replayed_by_a_new_activation()
    {
        await using var harness = await RuntimeHarness.Create("journal");
        var silo = await harness.StartSilo();
        var ledger = silo.GetGrain<IJournaledLedgerGrain>("a");
        foreach (var item in Enumerable.Range(1, 10)) await ledger.Append($"{item}");

        // The first write and every 4th are snapshots (versions 1, 5, 9); version 10 is the one entry after the last.
        Assert.Equal(10L, await harness.Scalar<long>("SELECT version FROM grain_state WHERE grain_key = 'a'"));
        Assert.Equal(9, await harness.Scalar<int>("SELECT jsonb_array_length(state->'items') FROM grain_state WHERE grain_key = 'a'"));
        Assert.Equal("10", await harness.Scalar<string>("SELECT string_agg(version::text, ',') FROM grain_journal WHERE grain_key = 'a'"));
        Assert.Equal(10L, await harness.Scalar<long>("SELECT count(*) FROM test_counters WHERE counter LIKE 'a:%'")); // rows commit with entries

        var fresh = await harness.StartSilo();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"{i}"), await fresh.GetGrain<IJournaledLedgerGrain>("a").Items());

        // A whole-state write is a snapshot too: it takes the journal's place.
        await fresh.GetGrain<IJournaledLedgerGrain>("a").Snapshot();
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM grain_journal WHERE grain_key = 'a'"));
        Assert.Equal(10, await harness.Scalar<int>("SELECT jsonb_array_length(state->'items') FROM grain_state WHERE grain_key = 'a'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task An_append_moves_only_the_version_so_its_WAL_does_not_carry_the_state()
    {
        await using var harness = await RuntimeHarness.Create("journalwal");
        var ledger = (await harness.StartSilo()).GetGrain<IJournaledLedgerGrain>("w");
        // About 1.5 KB of state that does not compress, so it stays in the row (as a card's does) instead of in TOAST.
        await ledger.Append(string.Concat(Enumerable.Range(0, 40).Select(_ => Guid.NewGuid().ToString("N"))));
        var snapshotAt = await harness.Scalar<DateTime>("SELECT updated_at FROM grain_state WHERE grain_key = 'w'");
        harness.Time.Advance(NodaTime.Duration.FromMinutes(5));

        await harness.Scalar<int>("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
        var before = await harness.Scalar<string>("SELECT pg_current_wal_insert_lsn()::text");
        await ledger.Append("small");
        var after = await harness.Scalar<string>("SELECT pg_current_wal_insert_lsn()::text");
        // The insert position may be ahead of what is flushed (a background record not yet written out), and
        // pg_walinspect refuses an end it cannot read yet; a checkpoint flushes everything up to it.
        await harness.Scalar<int>("CHECKPOINT");

        // PostgreSQL logs a same-page update as the bytes between the first and the last changed column; with the version
        // alone that is a few bytes, where moving updated_at (stored after the state) too would log the state again. (A page
        // image after a checkpoint is not the update's doing, so it is left out.)
        var stateRowWal = await harness.Scalar<long>(
            """
            SELECT coalesce(sum(w.record_length - w.fpi_length), 0) FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) w, pg_class c, pg_database d
            WHERE c.relname = 'grain_state' AND d.datname = current_database() AND w.record_type LIKE '%UPDATE%'
              AND w.block_ref LIKE format('%% rel %s/%s/%s %%', CASE c.reltablespace WHEN 0 THEN d.dattablespace ELSE c.reltablespace END, d.oid, pg_relation_filenode(c.oid))
            """, before!, after!);
        Assert.InRange(stateRowWal, 1L, 400L);
        // Version 2 is an entry, not a snapshot: the row keeps the time of its last whole write.
        Assert.Equal(2L, await harness.Scalar<long>("SELECT version FROM grain_state WHERE grain_key = 'w'"));
        Assert.Equal(snapshotAt, await harness.Scalar<DateTime>("SELECT updated_at FROM grain_state WHERE grain_key = 'w'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_stale_activation_can_neither_append_nor_snapshot_and_loses_nothing_on_retry()
    {
        await using var harness = await RuntimeHarness.Create("journalstale");
        var a = await harness.StartSilo();
        var b = await harness.StartSilo();
        await a.GetGrain<IJournaledLedgerGrain>("x").Append("a1");
        Assert.Equal(["a1"], await b.GetGrain<IJournaledLedgerGrain>("x").Items()); // b's activation is at version 1 now

        // a moves on past a snapshot (versions 2-4 journaled, 5 a snapshot that removed them, 6 journaled).
        foreach (var item in new[] { "a2", "a3", "a4", "a5", "a6" }) await a.GetGrain<IJournaledLedgerGrain>("x").Append(item);

        // b's version 2 would fall under a's snapshot: refused, not slipped in below it.
        await Assert.ThrowsAsync<InconsistentStateException>(() => b.GetGrain<IJournaledLedgerGrain>("x").Append("b1"));
        await b.GetGrain<IJournaledLedgerGrain>("x").Append("b1"); // the retry re-reads and appends after a's
        await Assert.ThrowsAsync<InconsistentStateException>(() => a.GetGrain<IJournaledLedgerGrain>("x").Snapshot());

        var fresh = await harness.StartSilo();
        Assert.Equal(["a1", "a2", "a3", "a4", "a5", "a6", "b1"], await fresh.GetGrain<IJournaledLedgerGrain>("x").Items());
        Assert.Equal(7L, await harness.Scalar<long>("SELECT version FROM grain_state WHERE grain_key = 'x'"));
        Assert.Equal("6,7", await harness.Scalar<string>("SELECT string_agg(version::text, ',' ORDER BY version) FROM grain_journal WHERE grain_key = 'x'"));
    }
}
