using Actors.GraphQL.CodeFirst;
using Actors.Runtime.Storage;

namespace Actors.Api;

/// <summary>
/// The back office's GraphQL schema: a root <see cref="Query"/> that each program extends with its own types
/// (<c>[ExtendObjectType("Query")]</c> classes under <c>graphql/Api/&lt;Program&gt;/</c>), and the read-model tables
/// those programs query.
/// </summary>
public static class BackOfficeSchema
{
    /// <summary>The programs whose read-model tables live under <c>graphql/Api/&lt;Program&gt;/ReadModel</c>.</summary>
    private static readonly string[] Programs = ["Fleet", "Alfapass", "Uitpas"];

    public static void Configure(SchemaBuilder schema)
    {
        schema.AddQueryType<Query>();
    }

    /// <summary>Each program's read-model migrations, numbered per program.</summary>
    public static IEnumerable<Migration> Migrations() =>
        Programs.SelectMany(program => SchemaMigrations.FromAssembly(typeof(BackOfficeSchema).Assembly, program.ToLowerInvariant(), $"{program}.ReadModel"));
}
