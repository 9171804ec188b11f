using System.Collections;
using System.Reflection;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Applies the field middleware attributes in Hot Chocolate's order: paging outermost, then filtering, then sorting.</summary>
internal static class Conventions
{
    public static void Apply(SchemaBuilder builder, FieldDefinition field, MemberInfo member, string ownerName)
    {
        var paging = member.GetCustomAttribute<UsePagingAttribute>();
        var filtering = member.GetCustomAttribute<UseFilteringAttribute>() is not null;
        var sorting = member.GetCustomAttribute<UseSortingAttribute>() is not null;
        if (paging is null && !filtering && !sorting) return;

        var clrType = field.Features.TryGetValue("clrType", out var t) ? (Type)t! : throw new InvalidOperationException("no CLR type");
        var elementClr = ClrConverter.ElementType(clrType)
            ?? throw new InvalidOperationException($"{member.DeclaringType?.Name}.{member.Name}: paging, filtering and sorting need a list.");
        if (field.Type.Nullable is not ListType list) throw new InvalidOperationException($"{member.Name} is not a list field.");

        // The inner resolver yields the whole list; the middleware narrow it in order filter -> sort -> page.
        FieldResolver inner = field.Resolver ?? (field.Getter is { } getter ? ctx => new ValueTask<object?>(getter(ctx.Parent!)) : ctx => new ValueTask<object?>((object?)null));
        field.Getter = null;
        Func<ResolverContext, IEnumerable, IEnumerable> pipeline = (_, items) => items;

        if (filtering)
        {
            var filter = Filtering.For(builder, elementClr);
            field.Arguments.Add(new ArgumentDefinition("where", filter.InputType));
            var previous = pipeline;
            pipeline = (ctx, items) => ctx.Arguments.TryGetValue("where", out var w) && w is IReadOnlyDictionary<string, object?> where
                ? filter.Apply(previous(ctx, items), where)
                : previous(ctx, items);
        }
        if (sorting)
        {
            var sort = Sorting.For(builder, elementClr);
            field.Arguments.Add(new ArgumentDefinition("order", sort.InputType.NonNull().ListOf()));
            var previous = pipeline;
            pipeline = (ctx, items) => ctx.Arguments.TryGetValue("order", out var o) && o is IList { Count: > 0 } order
                ? sort.Apply(previous(ctx, items), order)
                : previous(ctx, items);
        }

        if (paging is not null)
        {
            var connection = Paging.ConnectionType(builder, field.Name, list.OfType, paging.IncludeTotalCount);
            field.Type = connection.NonNull();
            field.Arguments.Add(new ArgumentDefinition("first", Scalars.Int) { Description = "Returns the first _n_ elements from the list." });
            field.Arguments.Add(new ArgumentDefinition("after", Scalars.String) { Description = "Returns the elements in the list that come after the specified cursor." });
            field.Arguments.Add(new ArgumentDefinition("last", Scalars.Int) { Description = "Returns the last _n_ elements from the list." });
            field.Arguments.Add(new ArgumentDefinition("before", Scalars.String) { Description = "Returns the elements in the list that come before the specified cursor." });
            field.Features["pageSize"] = paging.DefaultPageSize;
            // Hot Chocolate lists the paging arguments first, then where and order.
            foreach (var name in new[] { "where", "order" })
                if (field.FindArgument(name) is { } argument) { field.Arguments.Remove(argument); field.Arguments.Add(argument); }
            var final = pipeline;
            field.Resolver = async ctx =>
            {
                var value = await inner(ctx);
                if (value is IPage page) return Connection.FromPage(page); // the resolver paged (and filtered) itself
                var items = value is IEnumerable e ? final(ctx, e) : Array.Empty<object>();
                return Paging.Slice(ctx, items, paging);
            };
        }
        else
        {
            var final = pipeline;
            field.Resolver = async ctx =>
            {
                var value = await inner(ctx);
                return value is IEnumerable e ? final(ctx, e) : value;
            };
        }
    }
}
