using System.Collections;
using System.Globalization;
using System.Text;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>A page of a Relay cursor connection, as Hot Chocolate shapes it.</summary>
public sealed record Connection(IReadOnlyList<Edge> Edges, PageInfo PageInfo, int TotalCount)
{
    /// <summary>The connection of a page a resolver fetched itself.</summary>
    public static Connection FromPage(IPage page)
    {
        var items = page.Items;
        int offset = page.Offset, totalCount = page.TotalCount;
        var edges = new Edge[items.Count];
        for (int i = 0; i < edges.Length; i++) edges[i] = new Edge(Paging.Cursor(offset + i), items[i]);
        return new Connection(edges, new PageInfo(offset + items.Count < totalCount, offset > 0,
            edges.Length > 0 ? edges[0].Cursor : null, edges.Length > 0 ? edges[^1].Cursor : null), totalCount);
    }
}

/// <summary>A page fetched by the resolver (see <see cref="Page{T}"/>).</summary>
public interface IPage
{
    IReadOnlyList<object?> Items { get; }
    int Offset { get; }
    int TotalCount { get; }
}

/// <summary>
/// What a [UsePaging] resolver returns when it pages in the database (with the offsets of <see cref="Paging.ArgumentsOf"/>):
/// the fetched items, where they start, and how many there are in all. Filtering and sorting are then the resolver's job too.
/// </summary>
public sealed class Page<T>(IReadOnlyList<T> items, int offset, int totalCount) : IReadOnlyList<T>, IPage
{
    public int Offset { get; } = offset;
    public int TotalCount { get; } = totalCount;
    public int Count => items.Count;
    public T this[int index] => items[index];
    IReadOnlyList<object?> IPage.Items => items as IReadOnlyList<object?> ?? items.Cast<object?>().ToList();
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The page a client asked for, as offsets: skip <see cref="Offset"/> items, take <see cref="Count"/> (null: up to the end, then last).</summary>
public readonly record struct PageRequest(int Offset, int? Count, int? Last, int? Before);

public sealed record Edge(string Cursor, object? Node);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

/// <summary>Relay cursor connections over in-memory sequences: cursors are base64 offsets, as Hot Chocolate's default.</summary>
public static class Paging
{
    private static readonly ObjectType PageInfoType = BuildPageInfo();

    internal static ObjectType ConnectionType(SchemaBuilder builder, string fieldName, GraphType nodeType, bool includeTotalCount)
    {
        var prefix = char.ToUpperInvariant(fieldName[0]) + fieldName[1..];
        if (builder.FindNamed(prefix + "Connection") is ObjectType existing) return existing;
        if (builder.FindNamed("PageInfo") is null) builder.RegisterType(PageInfoType);

        var edge = builder.NewObjectType(prefix + "Edge", "An edge in a connection.");
        edge.Fields.Add(new FieldDefinition("cursor", Scalars.String.NonNull()) { Description = "A cursor for use in pagination.", Getter = o => ((Edge)o).Cursor });
        edge.Fields.Add(new FieldDefinition("node", nodeType) { Description = "The item at the end of the edge.", Getter = o => ((Edge)o).Node });

        var connection = builder.NewObjectType(prefix + "Connection", "A connection to a list of items.");
        connection.Fields.Add(new FieldDefinition("pageInfo", PageInfoType.NonNull()) { Description = "Information to aid in pagination.", Getter = o => ((Connection)o).PageInfo });
        connection.Fields.Add(new FieldDefinition("edges", edge.NonNull().ListOf()) { Description = "A list of edges.", Getter = o => ((Connection)o).Edges });
        connection.Fields.Add(new FieldDefinition("nodes", nodeType.ListOf()) { Description = "A flattened list of the nodes.", Getter = o => ((Connection)o).Edges.Select(e => e.Node) });
        if (includeTotalCount)
            connection.Fields.Add(new FieldDefinition("totalCount", Scalars.Int.NonNull()) { Description = "Identifies the total count of items in the connection.", Getter = o => ((Connection)o).TotalCount });
        return connection;
    }

    private static ObjectType BuildPageInfo()
    {
        var type = new ObjectType("PageInfo") { Description = "Information about pagination in a connection." };
        type.Fields.Add(new FieldDefinition("hasNextPage", Scalars.Boolean.NonNull()) { Description = "Indicates whether more edges exist following the set defined by the clients arguments.", Getter = o => ((PageInfo)o).HasNextPage });
        type.Fields.Add(new FieldDefinition("hasPreviousPage", Scalars.Boolean.NonNull()) { Description = "Indicates whether more edges exist prior the set defined by the clients arguments.", Getter = o => ((PageInfo)o).HasPreviousPage });
        type.Fields.Add(new FieldDefinition("startCursor", Scalars.String) { Description = "When paginating backwards, the cursor to continue.", Getter = o => ((PageInfo)o).StartCursor });
        type.Fields.Add(new FieldDefinition("endCursor", Scalars.String) { Description = "When paginating forwards, the cursor to continue.", Getter = o => ((PageInfo)o).EndCursor });
        return type;
    }

    public static string Cursor(int index) => Convert.ToBase64String(Encoding.UTF8.GetBytes(index.ToString(CultureInfo.InvariantCulture)));

    private static int? Offset(string? cursor)
    {
        if (cursor is null) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return index;
        }
        catch (FormatException) { }
        throw new GraphQLException($"The cursor \"{cursor}\" is not valid.", "PAGING_INVALID_CURSOR");
    }

    /// <summary>
    /// The paging arguments of a [UsePaging] field as offsets, for resolvers that page in the database: the first item
    /// wanted is <c>Offset</c>; with <c>Count</c> take that many; with <c>Last</c>, the last n before <c>Before</c> (or the end).
    /// </summary>
    public static PageRequest ArgumentsOf(ResolverContext context)
    {
        int start = Offset(context.Argument<string>("after")) is { } after ? after + 1 : 0;
        int? before = Offset(context.Argument<string>("before"));
        var first = context.Argument<int?>("first");
        var last = context.Argument<int?>("last");
        if (first < 0 || last < 0) throw new GraphQLException("first and last must not be negative.", "PAGING_INVALID_ARGUMENT");
        int? count = first;
        if (before is { } b) count = count is { } c ? Math.Min(c, Math.Max(0, b - start)) : Math.Max(0, b - start);
        return new PageRequest(start, count, last, before);
    }

    internal static Connection Slice(ResolverContext context, IEnumerable source, UsePagingAttribute options)
    {
        var first = context.Argument<int?>("first");
        var last = context.Argument<int?>("last");
        if (first < 0 || last < 0) throw new GraphQLException("first and last must not be negative.", "PAGING_INVALID_ARGUMENT");
        if (first > options.MaxPageSize || last > options.MaxPageSize)
            throw new GraphQLException($"The maximum allowed items per page were exceeded (the limit is {options.MaxPageSize}).", "PAGING_MAX_PAGE_SIZE_EXCEEDED");

        var items = source as IList ?? source.Cast<object?>().ToList();
        int total = items.Count;
        int start = 0, end = total;
        if (Offset(context.Argument<string>("after")) is { } after) start = Math.Clamp(after + 1, 0, total);
        if (Offset(context.Argument<string>("before")) is { } before) end = Math.Clamp(before, start, total);
        if (first is null && last is null) first = options.DefaultPageSize;
        if (first is { } f) end = Math.Min(end, start + f);
        if (last is { } l) start = Math.Max(start, end - l);

        var edges = new Edge[end - start];
        for (int i = start; i < end; i++) edges[i - start] = new Edge(Cursor(i), items[i]);
        var info = new PageInfo(end < total, start > 0, edges.Length > 0 ? edges[0].Cursor : null, edges.Length > 0 ? edges[^1].Cursor : null);
        return new Connection(edges, info, total);
    }
}
