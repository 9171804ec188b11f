using Actors.GraphQL.Execution;

namespace Actors.GraphQL.Types;

/// <summary>The kinds of types introspection reports, in the spec's words.</summary>
public enum TypeKind { Scalar, Object, Interface, Union, Enum, InputObject, List, NonNull }

/// <summary>A GraphQL type: a named type, or a list or non-null wrapper around one.</summary>
public abstract class GraphType
{
    public abstract TypeKind Kind { get; }

    /// <summary>The named type under all list and non-null wrappers.</summary>
    public abstract NamedType Named { get; }

    /// <summary>This type without a non-null wrapper.</summary>
    public GraphType Nullable => this is NonNullType n ? n.OfType : this;

    public bool IsNonNull => this is NonNullType;

    /// <summary>Scalars, enums and input objects (and wrappers of them) may be arguments and variables.</summary>
    public bool IsInputType => Named is ScalarType or EnumType or InputObjectType;

    /// <summary>Scalars and enums are leaves: they have no selection set.</summary>
    public bool IsLeaf => Named is ScalarType or EnumType;

    public GraphType NonNull() => this as NonNullType ?? new NonNullType(this);
    public GraphType ListOf() => new ListType(this);
}

/// <summary>A list of values of <see cref="OfType"/>.</summary>
public sealed class ListType(GraphType ofType) : GraphType
{
    public GraphType OfType { get; } = ofType;
    public override TypeKind Kind => TypeKind.List;
    public override NamedType Named => OfType.Named;
    public override string ToString() => $"[{OfType}]";
}

/// <summary>A value of <see cref="OfType"/> that is never null.</summary>
public sealed class NonNullType : GraphType
{
    public NonNullType(GraphType ofType)
    {
        if (ofType is NonNullType) throw new ArgumentException("A non-null type cannot wrap another non-null type.", nameof(ofType));
        OfType = ofType;
    }

    public GraphType OfType { get; }
    public override TypeKind Kind => TypeKind.NonNull;
    public override NamedType Named => OfType.Named;
    public override string ToString() => $"{OfType}!";
}

/// <summary>A type with a name in the schema.</summary>
public abstract class NamedType(string name) : GraphType
{
    public string Name { get; } = name;
    public string? Description { get; set; }
    public override NamedType Named => this;
    public override string ToString() => Name;
}

/// <summary>A field of an object or interface type, with the resolver that produces its value.</summary>
public sealed class FieldDefinition(string name, GraphType type)
{
    public string Name { get; } = name;
    public GraphType Type { get; set; } = type;
    public string? Description { get; set; }
    public string? DeprecationReason { get; set; }
    public List<ArgumentDefinition> Arguments { get; } = [];

    /// <summary>Reads the value from the parent without a context: the fast path for plain properties.</summary>
    public Func<object, object?>? Getter { get; set; }

    /// <summary>Computes the value; used when <see cref="Getter"/> is null.</summary>
    public FieldResolver? Resolver { get; set; }

    /// <summary>For subscription root fields: opens the source stream whose events become this field's values.</summary>
    public SubscribeResolver? Subscriber { get; set; }

    /// <summary>Who may read this field; null when anyone may.</summary>
    public AuthorizationRule? Authorization { get; set; }

    /// <summary>The field's weight in the operation cost; lists multiply their children by their page size.</summary>
    public int Cost { get; set; } = 1;

    /// <summary>Free-form facts for middleware such as paging (e.g. the default page size).</summary>
    public Dictionary<string, object?> Features { get; } = [];

    public ArgumentDefinition? FindArgument(string argumentName)
    {
        foreach (var argument in Arguments) if (argument.Name == argumentName) return argument;
        return null;
    }
}

/// <summary>An argument of a field or directive, or a field of an input object.</summary>
public sealed class ArgumentDefinition(string name, GraphType type)
{
    public string Name { get; } = name;
    public GraphType Type { get; set; } = type;
    public string? Description { get; set; }
    public string? DeprecationReason { get; set; }
    public bool HasDefaultValue { get; set; }

    /// <summary>The default as an already coerced value (CLR value of the input type).</summary>
    public object? DefaultValue { get; set; }

    /// <summary>Reads the field back from a CLR input object (to print default values).</summary>
    public Func<object, object?>? Getter { get; set; }
}

/// <summary>Roles or a policy a principal must satisfy to read a field.</summary>
public sealed record AuthorizationRule(IReadOnlyList<string> Roles, string? Policy);

/// <summary>An object type: a set of fields, and the interfaces it implements.</summary>
public sealed class ObjectType(string name) : NamedType(name), IFieldsType
{
    public override TypeKind Kind => TypeKind.Object;
    public FieldMap Fields { get; } = new();
    public List<InterfaceType> Interfaces { get; } = [];

    /// <summary>The CLR type whose instances are values of this type, used to resolve abstract types.</summary>
    public Type? ClrType { get; set; }

    /// <summary>Decides whether a value is of this type when the CLR type alone does not.</summary>
    public Func<object, bool>? IsTypeOf { get; set; }

    public AuthorizationRule? Authorization { get; set; }
}

/// <summary>An interface type: fields that implementing object types share.</summary>
public sealed class InterfaceType(string name) : NamedType(name), IFieldsType
{
    public override TypeKind Kind => TypeKind.Interface;
    public FieldMap Fields { get; } = new();
    public List<InterfaceType> Interfaces { get; } = [];
    public Type? ClrType { get; set; }
}

/// <summary>Object and interface types: the types fields can be selected on.</summary>
public interface IFieldsType
{
    string Name { get; }
    FieldMap Fields { get; }
    List<InterfaceType> Interfaces { get; }
}

/// <summary>A union: one of several object types.</summary>
public sealed class UnionType(string name) : NamedType(name)
{
    public override TypeKind Kind => TypeKind.Union;
    public List<ObjectType> Types { get; } = [];
    public Type? ClrType { get; set; }
}

/// <summary>Fields by name, in definition order.</summary>
public sealed class FieldMap : IEnumerable<FieldDefinition>
{
    private readonly Dictionary<string, FieldDefinition> _byName = new(StringComparer.Ordinal);
    private readonly List<FieldDefinition> _ordered = [];

    public int Count => _ordered.Count;

    public void Add(FieldDefinition field)
    {
        if (!_byName.TryAdd(field.Name, field)) throw new InvalidOperationException($"Field \"{field.Name}\" is defined twice.");
        _ordered.Add(field);
    }

    public bool Remove(string name)
    {
        if (!_byName.Remove(name, out var field)) return false;
        _ordered.Remove(field);
        return true;
    }

    public FieldDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    public IEnumerator<FieldDefinition> GetEnumerator() => _ordered.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>An enum type: named values, each bound to a CLR value.</summary>
public sealed class EnumType(string name) : NamedType(name)
{
    private readonly Dictionary<string, EnumValueDefinition> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<object, EnumValueDefinition> _byValue = [];

    public override TypeKind Kind => TypeKind.Enum;
    public List<EnumValueDefinition> Values { get; } = [];
    public Type? ClrType { get; set; }

    public void Add(EnumValueDefinition value)
    {
        Values.Add(value);
        _byName[value.Name] = value;
        _byValue[value.Value] = value;
    }

    public EnumValueDefinition? FindByName(string valueName) => _byName.GetValueOrDefault(valueName);
    public EnumValueDefinition? FindByValue(object value) => _byValue.GetValueOrDefault(value);
}

public sealed record EnumValueDefinition(string Name, object Value)
{
    public string? Description { get; init; }
    public string? DeprecationReason { get; init; }
}

/// <summary>An input object type: named input fields, optionally built into a CLR object.</summary>
public sealed class InputObjectType(string name) : NamedType(name)
{
    public override TypeKind Kind => TypeKind.InputObject;
    public List<ArgumentDefinition> Fields { get; } = [];
    public Type? ClrType { get; set; }

    /// <summary>Builds the CLR value from the coerced fields (only those given or defaulted); null keeps the dictionary.</summary>
    public Func<IReadOnlyDictionary<string, object?>, object>? Build { get; set; }

    /// <summary>When set, exactly one field must be given (the <c>@oneOf</c> rule).</summary>
    public bool IsOneOf { get; set; }

    public ArgumentDefinition? FindField(string fieldName)
    {
        foreach (var field in Fields) if (field.Name == fieldName) return field;
        return null;
    }
}

/// <summary>A directive the schema understands.</summary>
public sealed class DirectiveDefinition(string name, IReadOnlyList<string> locations, bool isRepeatable = false)
{
    public string Name { get; } = name;
    public string? Description { get; set; }
    public IReadOnlyList<string> Locations { get; } = locations;
    public bool IsRepeatable { get; } = isRepeatable;
    public List<ArgumentDefinition> Arguments { get; } = [];
}
