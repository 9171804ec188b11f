namespace Actors;

/// <summary>
/// A fact a grain raises; appended to the event table in the same transaction as the grain's state,
/// and delivered in commit order to subscribers (GraphQL subscriptions, notifications).
/// </summary>
/// <param name="Type">The event's name in the domain's words, e.g. <c>CardBlocked</c>.</param>
/// <param name="Payload">A record serialized as JSON.</param>
public sealed record GrainEventDraft(string Type, object Payload);

/// <summary>
/// A row of a query table (read model), written in the same transaction as the grain's state, so searches
/// never disagree with state. The row is a record whose properties map to the table's snake_case columns;
/// the table's primary key decides which row is replaced.
/// </summary>
public abstract record ReadModelChange(string Table);

/// <summary>Inserts or replaces the row with the same primary key.</summary>
public sealed record ReadModelUpsert(string Table, object Row) : ReadModelChange(Table);

/// <summary>
/// Adds a row that is written once and never replaced, such as a card transaction or an anomaly. A plain insert costs
/// PostgreSQL less than an upsert (no check for a row to replace, no confirmation record); a row with the same primary
/// key already there fails the commit.
/// </summary>
public sealed record ReadModelInsert(string Table, object Row) : ReadModelChange(Table);

/// <summary>Deletes the row whose primary key columns equal the properties of <paramref name="Key"/>.</summary>
public sealed record ReadModelDelete(string Table, object Key) : ReadModelChange(Table);
