using System.Reflection;
using System.Text;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Marks an object type as a Relay node: it implements <c>Node</c>, its <c>id</c> becomes a global ID, and a static [NodeResolver] method refetches it.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NodeAttribute : Attribute;

/// <summary>Relay global IDs: base64 of "TypeName:key", opaque to clients and decodable back to the type and key.</summary>
public static class GlobalId
{
    public static string Encode(string typeName, object key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{typeName}:{Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)}"));

    public static bool TryDecode(string id, out string typeName, out string key)
    {
        typeName = key = "";
        if (id.Length % 4 != 0) return false;
        Span<byte> bytes = stackalloc byte[id.Length];
        if (!Convert.TryFromBase64String(id, bytes, out var written)) return false;
        var text = Encoding.UTF8.GetString(bytes[..written]);
        var colon = text.IndexOf(':');
        if (colon <= 0) return false;
        typeName = text[..colon];
        key = text[(colon + 1)..];
        return true;
    }

    /// <summary>The key of a global ID, or the value itself when it is not one (so raw keys keep working).</summary>
    public static string KeyOf(string id) => TryDecode(id, out _, out var key) ? key : id;
}

public sealed partial class SchemaBuilder
{
    private void ApplyRelayNode()
    {
        var nodeTypes = _byName.Values.OfType<ObjectType>().Where(t => t.ClrType?.GetCustomAttribute<NodeAttribute>() is not null).ToList();
        if (nodeTypes.Count == 0) return;
        var node = new InterfaceType("Node") { Description = "The node interface is implemented by entities that have a global unique identifier." };
        node.Fields.Add(new FieldDefinition("id", Scalars.ID.NonNull()));
        Register(node);
        var resolvers = new Dictionary<string, Func<ResolverContext, string, ValueTask<object?>>>(StringComparer.Ordinal);
        foreach (var type in nodeTypes)
        {
            type.Interfaces.Add(node);
            var idField = type.Fields.Find("id") ?? throw new InvalidOperationException($"Node type {type.Name} needs an Id property.");
            var rawGetter = idField.Getter ?? throw new InvalidOperationException($"Node type {type.Name}: Id must be a property.");
            var typeName = type.Name;
            idField.Type = Scalars.ID.NonNull();
            idField.Getter = o => rawGetter(o) is { } key ? GlobalId.Encode(typeName, key) : null;

            var method = type.ClrType!.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m => m.GetCustomAttribute<NodeResolverAttribute>() is not null)
                ?? throw new InvalidOperationException($"Node type {type.Name} needs a public static method marked [NodeResolver].");
            var parameters = method.GetParameters();
            var invoke = Accessors.Invoker(method);
            var complete = Accessors.Completion(method.ReturnType);
            var convertKey = ClrConverter.For(parameters[0].ParameterType);
            resolvers[typeName] = (ctx, key) =>
            {
                var args = new object?[parameters.Length];
                args[0] = convertKey(key);
                for (int i = 1; i < parameters.Length; i++)
                {
                    var p = parameters[i].ParameterType;
                    args[i] = p == typeof(CancellationToken) ? ctx.Cancellation : p == typeof(ResolverContext) ? ctx : ctx.Services.GetRequiredService(p);
                }
                return complete(invoke(null, args));
            };
        }

        ValueTask<object?> Resolve(ResolverContext ctx, string id)
        {
            if (!GlobalId.TryDecode(id, out var typeName, out var key) || !resolvers.TryGetValue(typeName, out var resolve))
                throw new GraphQLException($"The ID \"{id}\" is not a valid node ID.", "NODE_INVALID_ID");
            return resolve(ctx, key);
        }

        var query = _queryType!;
        var nodeField = new FieldDefinition("node", node) { Description = "Fetches an object given its ID.", Resolver = ctx => Resolve(ctx, ctx.Argument<string>("id")!) };
        nodeField.Arguments.Add(new ArgumentDefinition("id", Scalars.ID.NonNull()) { Description = "ID of the object." });
        var nodesField = new FieldDefinition("nodes", node.ListOf().NonNull())
        {
            Description = "Lookup nodes by a list of IDs.",
            Resolver = async ctx =>
            {
                var ids = (IEnumerable<object?>)ctx.Arguments["ids"]!;
                var results = new List<object?>();
                foreach (var id in ids) results.Add(await Resolve(ctx, (string)id!));
                return results;
            },
        };
        nodesField.Arguments.Add(new ArgumentDefinition("ids", Scalars.ID.NonNull().ListOf().NonNull()) { Description = "The list of node IDs." });
        if (query.Fields.Find("node") is null) query.Fields.Add(nodeField);
        if (query.Fields.Find("nodes") is null) query.Fields.Add(nodesField);
    }
}
