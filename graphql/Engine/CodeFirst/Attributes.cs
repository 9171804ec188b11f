namespace Actors.GraphQL.CodeFirst;

/// <summary>Names a type, field, argument or enum value explicitly.</summary>
[AttributeUsage(AttributeTargets.All)]
public sealed class GraphQLNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

[AttributeUsage(AttributeTargets.All)]
public sealed class GraphQLDescriptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

/// <summary>Keeps a member out of the schema.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Field)]
public sealed class GraphQLIgnoreAttribute : Attribute;

[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class GraphQLDeprecatedAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>Makes a field or argument of type <c>ID</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Parameter)]
public sealed class IDAttribute : Attribute;

/// <summary>A resolver parameter taken from the request's services.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ServiceAttribute : Attribute;

/// <summary>A resolver parameter that receives the parent object (in type extensions).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ParentAttribute : Attribute;

/// <summary>Marks a C# interface as a GraphQL union of the object types that implement it.</summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class UnionTypeAttribute : Attribute;

/// <summary>Adds the members of this class as fields of another object type (e.g. "Query" split over classes).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ExtendObjectTypeAttribute(string typeName) : Attribute
{
    public string TypeName { get; } = typeName;
}

/// <summary>The weight of a field in the operation cost (default 1).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method)]
public sealed class GraphQLCostAttribute(int weight) : Attribute
{
    public int Weight { get; } = weight;
}

/// <summary>Turns a list field into a Relay cursor connection (first/after/last/before, edges, nodes, pageInfo, totalCount).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method)]
public sealed class UsePagingAttribute : Attribute
{
    public int DefaultPageSize { get; set; } = 10;
    public int MaxPageSize { get; set; } = 50;
    public bool IncludeTotalCount { get; set; } = true;
}

/// <summary>Adds a <c>where</c> argument with Hot Chocolate's filter input shape for the list's element type.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method)]
public sealed class UseFilteringAttribute : Attribute;

/// <summary>Adds an <c>order</c> argument with Hot Chocolate's sort input shape for the list's element type.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method)]
public sealed class UseSortingAttribute : Attribute;

/// <summary>A mutation whose exceptions of <paramref name="exceptionType"/> become typed errors in its payload.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ErrorAttribute(Type exceptionType) : Attribute
{
    public Type ExceptionType { get; } = exceptionType;
}

/// <summary>Generic form of <see cref="ErrorAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ErrorAttribute<TException>() : Attribute where TException : Exception
{
    public Type ExceptionType => typeof(TException);
}

/// <summary>Resolves an object by its ID for the Relay <c>node</c> field; put it on a static or instance method of the type or its query class.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeResolverAttribute : Attribute;

/// <summary>
/// Requires an authenticated principal for a field (or every field of a type), and optionally one of some roles or a policy.
/// Like Hot Chocolate's, it may go on properties; ASP.NET Core's [Authorize] is honoured too where C# allows it.
/// Failures are GraphQL errors with code AUTH_NOT_AUTHENTICATED or AUTH_NOT_AUTHORIZED.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface | AttributeTargets.Property | AttributeTargets.Method, AllowMultiple = true)]
public sealed class AuthorizeAttribute : Attribute
{
    public AuthorizeAttribute() { }
    public AuthorizeAttribute(string policy) => Policy = policy;

    public string[]? Roles { get; set; }
    public string? Policy { get; set; }
}

/// <summary>Makes an input type a <c>@oneOf</c> input: exactly one field must be given, and not null.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OneOfAttribute : Attribute;
