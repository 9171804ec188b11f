using System.Reflection;
using System.Security.Claims;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GraphQL.CodeFirst;

/// <summary>
/// Builds a schema from C# types with Hot Chocolate's conventions: public properties and methods become camelCase fields,
/// nullable reference annotations decide nullability, Task/ValueTask are awaited, IAsyncEnumerable feeds subscriptions,
/// enums become UPPER_SNAKE values, parameters become arguments unless they are services, the context or the principal.
/// Accessors and method calls are compiled once here, so requests pay no reflection.
/// </summary>
public sealed partial class SchemaBuilder
{
    private readonly IServiceProvider? _services;
    private readonly IServiceProviderIsService? _isService;
    private readonly NullabilityInfoContext _nullability = new();
    private readonly Dictionary<Type, ScalarType> _scalars = new()
    {
        [typeof(string)] = Scalars.String, [typeof(char)] = Scalars.String,
        [typeof(int)] = Scalars.Int, [typeof(short)] = Scalars.Int, [typeof(byte)] = Scalars.Int, [typeof(ushort)] = Scalars.Int,
        [typeof(long)] = Scalars.Long, [typeof(uint)] = Scalars.Long,
        [typeof(double)] = Scalars.Float, [typeof(float)] = Scalars.Float,
        [typeof(decimal)] = Scalars.Decimal,
        [typeof(bool)] = Scalars.Boolean,
        [typeof(Guid)] = Scalars.Uuid,
        [typeof(DateTimeOffset)] = Scalars.DateTime,
        [typeof(DateOnly)] = Scalars.Date,
        [typeof(NodaTime.Instant)] = Scalars.Instant,
        [typeof(NodaTime.LocalDate)] = Scalars.LocalDate,
        [typeof(NodaTime.LocalTime)] = Scalars.LocalTime,
        [typeof(NodaTime.Duration)] = Scalars.Duration,
    };
    private readonly Dictionary<Type, NamedType> _outputTypes = [];
    private readonly Dictionary<Type, InputObjectType> _inputTypes = [];
    private readonly Dictionary<Type, EnumType> _enums = [];
    private readonly Dictionary<string, NamedType> _byName = new(StringComparer.Ordinal);
    private readonly Queue<Action> _pending = new();
    private readonly List<Type> _additionalTypes = [];
    private readonly List<NamedType> _manualTypes = [];
    private readonly List<(string Target, Type Extension)> _extensions = [];
    private Type? _query, _mutation, _subscription;
    private ObjectType? _queryType, _mutationType, _subscriptionType;

    /// <param name="services">The application's root services: decide which parameters are services and create root-type instances.</param>
    public SchemaBuilder(IServiceProvider? services = null)
    {
        _services = services;
        _isService = services?.GetService<IServiceProviderIsService>();
    }

    /// <summary>Turns mutations into Hot Chocolate's mutation conventions: one <c>input</c> argument and a payload with typed <c>errors</c>.</summary>
    public bool MutationConventions { get; set; }

    public string? Description { get; set; }

    public SchemaBuilder AddQueryType<T>() { _query = typeof(T); return this; }
    public SchemaBuilder AddMutationType<T>() { _mutation = typeof(T); return this; }
    public SchemaBuilder AddSubscriptionType<T>() { _subscription = typeof(T); return this; }

    /// <summary>Adds a type that is not reachable from the roots (e.g. an implementation of an interface).</summary>
    public SchemaBuilder AddType<T>() { _additionalTypes.Add(typeof(T)); return this; }

    public SchemaBuilder AddType(NamedType type) { _manualTypes.Add(type); return this; }

    /// <summary>Adds the members of <typeparamref name="T"/> to the type named by its <see cref="ExtendObjectTypeAttribute"/>.</summary>
    public SchemaBuilder AddTypeExtension<T>()
    {
        var attribute = typeof(T).GetCustomAttribute<ExtendObjectTypeAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} needs [ExtendObjectType(\"TypeName\")].");
        _extensions.Add((attribute.TypeName, typeof(T)));
        return this;
    }

    /// <summary>Maps a CLR type to a scalar (custom scalars, or another mapping for a built-in CLR type).</summary>
    public SchemaBuilder BindScalar<TClr>(ScalarType scalar) { _scalars[typeof(TClr)] = scalar; return this; }

    public SchemaBuilder UseMutationConventions() { MutationConventions = true; return this; }

    public Schema Build()
    {
        if (_query is null) throw new InvalidOperationException("A schema needs a query type: call AddQueryType<T>().");
        _queryType = RootType(_query, "Query", isSubscription: false, isMutation: false);
        if (_mutation is not null) _mutationType = RootType(_mutation, "Mutation", false, true);
        if (_subscription is not null) _subscriptionType = RootType(_subscription, "Subscription", true, false);
        foreach (var manual in _manualTypes) _byName[manual.Name] = manual;
        foreach (var type in _additionalTypes) OutputNamed(type);
        Drain();
        foreach (var (target, extension) in _extensions)
        {
            var owner = _byName.GetValueOrDefault(target) as ObjectType
                ?? throw new InvalidOperationException($"[ExtendObjectType(\"{target}\")] on {extension.Name}: no object type named \"{target}\".");
            bool isRoot = owner == _queryType || owner == _mutationType || owner == _subscriptionType;
            AddMembers(owner, extension, InstanceOf(extension), isRoot, owner == _subscriptionType, owner == _mutationType, extendedClr: isRoot ? null : owner.ClrType);
            Drain();
        }
        LinkAbstractTypes();
        ApplyRelayNode();
        return Schema.Create(_queryType, _mutationType, _subscriptionType,
            _byName.Values.Where(t => t is not ObjectType o || o.Fields.Count > 0), Description);
    }

    private void Drain()
    {
        while (_pending.Count > 0) _pending.Dequeue()();
    }

    private ObjectType RootType(Type clr, string name, bool isSubscription, bool isMutation)
    {
        var type = new ObjectType(name) { Description = Describe(clr), Authorization = AuthorizationOf(clr, null) };
        Register(type);
        _pending.Enqueue(() => AddMembers(type, clr, InstanceOf(clr), isRoot: true, isSubscription, isMutation, extendedClr: null));
        return type;
    }

    /// <summary>Root and extension classes: one instance from DI when registered, else one created for the schema's lifetime.</summary>
    private Func<ResolverContext, object?> InstanceOf(Type clr)
    {
        if (_isService?.IsService(clr) == true) return ctx => ctx.Services.GetRequiredService(clr);
        var instance = new Lazy<object>(() => _services is not null
            ? ActivatorUtilities.CreateInstance(_services, clr)
            : Activator.CreateInstance(clr) ?? throw new InvalidOperationException($"Cannot create {clr.Name}."));
        return _ => instance.Value;
    }

    private void Register(NamedType type)
    {
        if (_byName.TryGetValue(type.Name, out var existing) && !ReferenceEquals(existing, type))
            throw new InvalidOperationException($"Two types would be named \"{type.Name}\"; rename one with [GraphQLName].");
        _byName[type.Name] = type;
    }

    // ---------------------------------------------------------------- type mapping

    /// <summary>The output type of a member of CLR type <paramref name="clr"/>, with nullability from <paramref name="info"/>.</summary>
    internal GraphType Output(Type clr, NullabilityInfo? info, bool isId)
    {
        var (unwrapped, unwrappedInfo) = UnwrapAsync(clr, info);
        clr = unwrapped; info = unwrappedInfo;
        bool nullable;
        if (Nullable.GetUnderlyingType(clr) is { } underlying) { nullable = true; clr = underlying; }
        else nullable = !clr.IsValueType && info?.ReadState != NullabilityState.NotNull;
        GraphType type;
        var element = ClrConverter.ElementType(clr);
        if (element is not null) type = new ListType(Output(element, ElementInfo(info), isId));
        else if (isId) type = Scalars.ID;
        else type = OutputNamed(clr);
        return nullable ? type : type.NonNull();
    }

    internal GraphType Input(Type clr, NullabilityInfo? info, bool isId, bool forceNullable = false)
    {
        bool nullable;
        if (Nullable.GetUnderlyingType(clr) is { } underlying) { nullable = true; clr = underlying; }
        else nullable = !clr.IsValueType && info?.WriteState != NullabilityState.NotNull && info?.ReadState != NullabilityState.NotNull;
        GraphType type;
        var element = ClrConverter.ElementType(clr);
        if (element is not null) type = new ListType(Input(element, ElementInfo(info), isId));
        else if (isId) type = Scalars.ID;
        else if (_scalars.TryGetValue(clr, out var scalar)) type = scalar;
        else if (clr.IsEnum) type = Enum(clr);
        else type = InputObject(clr);
        return nullable || forceNullable ? type : type.NonNull();
    }

    private static NullabilityInfo? ElementInfo(NullabilityInfo? info) =>
        info is null ? null : info.ElementType ?? (info.GenericTypeArguments.Length == 1 ? info.GenericTypeArguments[0] : null);

    internal static (Type, NullabilityInfo?) UnwrapAsync(Type clr, NullabilityInfo? info)
    {
        while (clr.IsGenericType && (clr.GetGenericTypeDefinition() == typeof(Task<>) || clr.GetGenericTypeDefinition() == typeof(ValueTask<>)
                                     || clr.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)))
        {
            clr = clr.GetGenericArguments()[0];
            info = info?.GenericTypeArguments.Length == 1 ? info.GenericTypeArguments[0] : null;
        }
        return (clr, info);
    }

    internal NamedType OutputNamed(Type clr)
    {
        if (_scalars.TryGetValue(clr, out var scalar)) return scalar;
        if (clr.IsEnum) return Enum(clr);
        if (_outputTypes.TryGetValue(clr, out var known)) return known;
        if (clr.IsInterface)
        {
            if (clr.GetCustomAttribute<UnionTypeAttribute>() is not null)
            {
                var union = new UnionType(NameOf(clr)) { Description = Describe(clr), ClrType = clr };
                _outputTypes[clr] = union;
                Register(union);
                return union;
            }
            var @interface = new InterfaceType(NameOf(clr)) { Description = Describe(clr), ClrType = clr };
            _outputTypes[clr] = @interface;
            Register(@interface);
            _pending.Enqueue(() => AddMembers(@interface, clr, null, isRoot: false, false, false, null));
            return @interface;
        }
        if (clr.IsPrimitive || clr == typeof(object) || clr.IsGenericTypeDefinition)
            throw new InvalidOperationException($"The CLR type {clr} has no GraphQL type; bind a scalar with BindScalar<{clr.Name}>().");
        var type = new ObjectType(NameOf(clr)) { Description = Describe(clr), ClrType = clr, Authorization = AuthorizationOf(clr, null) };
        _outputTypes[clr] = type;
        Register(type);
        _pending.Enqueue(() => AddMembers(type, clr, null, isRoot: false, false, false, null));
        return type;
    }

    private EnumType Enum(Type clr)
    {
        if (_enums.TryGetValue(clr, out var known)) return known;
        var type = new EnumType(NameOf(clr)) { Description = Describe(clr), ClrType = clr };
        foreach (var field in clr.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetCustomAttribute<GraphQLIgnoreAttribute>() is not null) continue;
            type.Add(new EnumValueDefinition(field.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.UpperSnake(field.Name), field.GetValue(null)!)
            {
                Description = field.GetCustomAttribute<GraphQLDescriptionAttribute>()?.Description,
                DeprecationReason = DeprecationOf(field),
            });
        }
        _enums[clr] = type;
        Register(type);
        return type;
    }

    private InputObjectType InputObject(Type clr)
    {
        if (_inputTypes.TryGetValue(clr, out var known)) return known;
        var name = clr.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.Type(clr);
        if (!name.EndsWith("Input", StringComparison.Ordinal)) name += "Input";
        var type = new InputObjectType(name) { Description = Describe(clr), ClrType = clr, IsOneOf = clr.GetCustomAttribute<OneOfAttribute>() is not null };
        _inputTypes[clr] = type;
        Register(type);
        _pending.Enqueue(() => InputObjectBinding.Bind(this, type, clr));
        return type;
    }

    private static string NameOf(Type clr) => clr.GetCustomAttribute<GraphQLNameAttribute>()?.Name
        ?? (clr.IsInterface && clr.Name.Length > 1 && clr.Name[0] == 'I' && char.IsUpper(clr.Name[1]) ? clr.Name[1..] : Naming.Type(clr));

    internal NullabilityInfo Nullability(PropertyInfo property) => _nullability.Create(property);
    internal NullabilityInfo Nullability(ParameterInfo parameter) => _nullability.Create(parameter);

    // ---------------------------------------------------------------- fields

    private static readonly HashSet<string> ExcludedMethods = ["ToString", "GetHashCode", "Equals", "GetType", "Deconstruct", "<Clone>$", "PrintMembers", "CompareTo", "Dispose", "DisposeAsync", "GetEnumerator"];

    private void AddMembers(IFieldsType owner, Type clr, Func<ResolverContext, object?>? instance, bool isRoot, bool isSubscription, bool isMutation, Type? extendedClr)
    {
        var classRule = AuthorizationOf(clr, null);
        var members = new List<MemberInfo>();
        var types = clr.IsInterface ? new[] { clr }.Concat(clr.GetInterfaces()) : [clr];
        foreach (var t in types)
        {
            members.AddRange(t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetMethod!.IsPublic && p.GetIndexParameters().Length == 0));
            members.AddRange(t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => !m.IsSpecialName && m.DeclaringType != typeof(object) && !m.IsGenericMethodDefinition && m.ReturnType != typeof(void)
                            && !ExcludedMethods.Contains(m.Name) && (isRoot || extendedClr is not null || !m.IsStatic)
                            && m.GetCustomAttribute<NodeResolverAttribute>() is null));
        }
        foreach (var member in members)
        {
            if (member.GetCustomAttribute<GraphQLIgnoreAttribute>() is not null) continue;
            var name = member.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.Field(member.Name);
            if (owner.Fields.Find(name) is not null) continue; // overloads and shadowed members: first wins
            FieldDefinition field;
            if (member is PropertyInfo property) field = PropertyField(name, property, instance);
            else field = MethodField(name, (MethodInfo)member, instance, isSubscription, extendedClr);
            field.Description = Describe(member);
            field.DeprecationReason = DeprecationOf(member);
            field.Authorization = AuthorizationOf(member, classRule);
            if (member.GetCustomAttribute<GraphQLCostAttribute>() is { } cost) field.Cost = cost.Weight;
            if (owner is ObjectType) Conventions.Apply(this, field, member, owner.Name);
            if (isMutation && MutationConventions && member is MethodInfo method) field = MutationConvention.Apply(this, field, method);
            owner.Fields.Add(field);
        }
    }

    private FieldDefinition PropertyField(string name, PropertyInfo property, Func<ResolverContext, object?>? instance)
    {
        var type = Output(property.PropertyType, Nullability(property), property.GetCustomAttribute<IDAttribute>() is not null);
        var getter = Accessors.Getter(property);
        var field = new FieldDefinition(name, type);
        field.Features["clrType"] = property.PropertyType;
        if (instance is null) field.Getter = getter;
        else field.Resolver = ctx => new ValueTask<object?>(getter(instance(ctx)!));
        return field;
    }

    private FieldDefinition MethodField(string name, MethodInfo method, Func<ResolverContext, object?>? instance, bool isSubscription, Type? extendedClr)
    {
        var returnInfo = _nullability.Create(method.ReturnParameter);
        var isId = method.GetCustomAttribute<IDAttribute>() is not null;
        var field = new FieldDefinition(name, Output(method.ReturnType, returnInfo, isId));
        field.Features["clrType"] = UnwrapAsync(method.ReturnType, null).Item1;
        var binders = new List<Func<ResolverContext, object?>>();
        foreach (var parameter in method.GetParameters())
            binders.Add(ParameterBinder(field, parameter, extendedClr));
        var invoke = Accessors.Invoker(method);
        var complete = Accessors.Completion(method.ReturnType);
        var bind = binders.ToArray();
        bool isStatic = method.IsStatic;
        Func<ResolverContext, object?> target = instance ?? (ctx => ctx.Parent);

        object? Call(ResolverContext ctx)
        {
            var arguments = bind.Length == 0 ? [] : new object?[bind.Length];
            for (int i = 0; i < bind.Length; i++) arguments[i] = bind[i](ctx);
            try { return invoke(isStatic ? null : target(ctx), arguments); }
            catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
        }

        if (isSubscription && IsStream(method.ReturnType))
        {
            field.Subscriber = async ctx => Accessors.AsObjectStream(await complete(Call(ctx)));
            field.Resolver = ctx => new ValueTask<object?>(ctx.Parent);
        }
        else field.Resolver = ctx => complete(Call(ctx));
        return field;
    }

    private static bool IsStream(Type type)
    {
        for (; type.IsGenericType; type = type.GetGenericArguments()[0])
            if (type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)) return true;
        return false;
    }

    private Func<ResolverContext, object?> ParameterBinder(FieldDefinition field, ParameterInfo parameter, Type? extendedClr)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken)) return ctx => ctx.Cancellation;
        if (type == typeof(ResolverContext)) return ctx => ctx;
        if (type == typeof(ClaimsPrincipal)) return ctx => ctx.User;
        if (type == typeof(IServiceProvider)) return ctx => ctx.Services;
        if (parameter.GetCustomAttribute<ParentAttribute>() is not null || extendedClr is not null && type.IsAssignableFrom(extendedClr) && type != typeof(object))
            return ctx => ctx.Parent;
        if (parameter.GetCustomAttribute<ServiceAttribute>() is not null || _isService?.IsService(type) == true)
            return ctx => ctx.Services.GetRequiredService(type);

        var name = parameter.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.CamelCase(parameter.Name!);
        var isId = parameter.GetCustomAttribute<IDAttribute>() is not null;
        var argument = new ArgumentDefinition(name, Input(type, Nullability(parameter), isId, forceNullable: parameter.HasDefaultValue && parameter.DefaultValue is null))
        {
            Description = parameter.GetCustomAttribute<GraphQLDescriptionAttribute>()?.Description,
            DeprecationReason = parameter.GetCustomAttribute<GraphQLDeprecatedAttribute>()?.Reason,
        };
        if (parameter.HasDefaultValue && parameter.DefaultValue is not null)
        {
            argument.HasDefaultValue = true;
            var clrDefault = parameter.DefaultValue;
            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (target.IsEnum) clrDefault = System.Enum.ToObject(target, clrDefault);
            argument.DefaultValue = clrDefault;
        }
        field.Arguments.Add(argument);
        var convertValue = ClrConverter.For(type);
        // [ID] arguments accept Relay global IDs and hand the resolver the key inside.
        Func<object?, object?> convert = isId && type == typeof(string) ? v => convertValue(v is string s ? GlobalId.KeyOf(s) : v) : convertValue;
        object? fallback = parameter.HasDefaultValue ? parameter.DefaultValue : type.IsValueType ? Activator.CreateInstance(type) : null;
        return ctx => ctx.Arguments.TryGetValue(name, out var value) ? convert(value) : fallback;
    }

    // ---------------------------------------------------------------- metadata

    internal static string? Describe(MemberInfo member) => member.GetCustomAttribute<GraphQLDescriptionAttribute>()?.Description;

    private static string? DeprecationOf(MemberInfo member) =>
        member.GetCustomAttribute<GraphQLDeprecatedAttribute>()?.Reason ?? member.GetCustomAttribute<ObsoleteAttribute>()?.Message
        ?? (member.GetCustomAttribute<ObsoleteAttribute>() is not null ? "No longer supported." : null);

    private static AuthorizationRule? AuthorizationOf(MemberInfo member, AuthorizationRule? inherited)
    {
        if (member.GetCustomAttribute<AllowAnonymousAttribute>() is not null) return null;
        var ours = member.GetCustomAttributes<AuthorizeAttribute>().ToList();
        var aspNet = member.GetCustomAttributes<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>().ToList();
        if (ours.Count == 0 && aspNet.Count == 0) return inherited;
        var roles = ours.SelectMany(a => a.Roles ?? [])
            .Concat(aspNet.SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .ToList();
        var policy = ours.Select(a => a.Policy).Concat(aspNet.Select(a => a.Policy)).FirstOrDefault(p => p is not null);
        return new AuthorizationRule(roles, policy);
    }

    // ---------------------------------------------------------------- interfaces and unions

    private void LinkAbstractTypes()
    {
        var objects = _byName.Values.OfType<ObjectType>().Where(o => o.ClrType is not null).ToList();
        foreach (var abstractType in _byName.Values.ToList())
        {
            var clr = abstractType switch { InterfaceType i => i.ClrType, UnionType u => u.ClrType, _ => null };
            if (clr is null) continue;
            foreach (var type in objects)
            {
                if (!clr.IsAssignableFrom(type.ClrType)) continue;
                if (abstractType is InterfaceType i && !type.Interfaces.Contains(i)) type.Interfaces.Add(i);
                if (abstractType is UnionType u && !u.Types.Contains(type)) u.Types.Add(type);
            }
        }
        // Interfaces implemented by interfaces.
        foreach (var i in _byName.Values.OfType<InterfaceType>().Where(i => i.ClrType is not null).ToList())
            foreach (var parent in i.ClrType!.GetInterfaces())
                if (_outputTypes.GetValueOrDefault(parent) is InterfaceType p && !i.Interfaces.Contains(p)) i.Interfaces.Add(p);
        foreach (var type in objects)
            foreach (var i in type.Interfaces.ToList())
                foreach (var inherited in i.Interfaces)
                    if (!type.Interfaces.Contains(inherited)) type.Interfaces.Add(inherited);
    }

    internal ObjectType NewObjectType(string name, string? description = null)
    {
        if (_byName.GetValueOrDefault(name) is ObjectType existing) return existing;
        var type = new ObjectType(name) { Description = description };
        Register(type);
        return type;
    }

    internal InputObjectType? FindInput(string name) => _byName.GetValueOrDefault(name) as InputObjectType;
    internal NamedType? FindNamed(string name) => _byName.GetValueOrDefault(name);
    internal void RegisterType(NamedType type) => Register(type);
    internal void Enqueue(Action action) => _pending.Enqueue(action);
    internal bool IsScalar(Type clr) => _scalars.ContainsKey(Nullable.GetUnderlyingType(clr) ?? clr);
    internal EnumType EnumOf(Type clr) => Enum(clr);
    internal ScalarType? ScalarOf(Type clr) => _scalars.GetValueOrDefault(Nullable.GetUnderlyingType(clr) ?? clr);
    internal ObjectType QueryType => _queryType!;
    internal Dictionary<string, Filtering> Filters { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, Sorting> Sorts { get; } = new(StringComparer.Ordinal);
}
