using System.Security.Claims;
using System.Text.Json;

namespace Actors.GraphQL.Tests.Engine;

public sealed class ExecutionTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task Field_with_default_argument_resolves()
    {
        var result = await fixture.Run("{ hello a: hello(name: \"Ann\") }");
        Assert.Equal("Hello, world!", result.GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal("Hello, Ann!", result.GetProperty("data").GetProperty("a").GetString());
    }

    [Fact]
    public async Task Nested_query_with_variables_and_fragments()
    {
        var result = await fixture.Run("""
            query Q($id: ID!, $withAuthor: Boolean!) {
              book(id: $id) { ...B author @include(if: $withAuthor) { name born } }
            }
            fragment B on Book { title genre published addedAt readingTime pages __typename }
            """, new { id = "b3", withAuthor = true });
        var book = result.GetProperty("data").GetProperty("book");
        Assert.Equal("Book 3", book.GetProperty("title").GetString());
        Assert.Equal("POETRY", book.GetProperty("genre").GetString());
        Assert.Equal("Book", book.GetProperty("__typename").GetString());
        Assert.Equal("2020-01-01T03:00:00Z", book.GetProperty("addedAt").GetString());
        Assert.Equal("PT1H33M", book.GetProperty("readingTime").GetString());
        Assert.Equal("Stanislaw", book.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("1921-09-12", book.GetProperty("author").GetProperty("born").GetString());
        Assert.False(result.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Skip_removes_field()
    {
        var result = await fixture.Run("query($s: Boolean!) { hello @skip(if: $s) echo(text: \"x\") }", new { s = true });
        Assert.False(result.GetProperty("data").TryGetProperty("hello", out _));
        Assert.Equal("x", result.GetProperty("data").GetProperty("echo").GetString());
    }

    [Fact]
    public async Task Resolver_exception_becomes_error_with_path_and_location_without_details()
    {
        var result = await fixture.Run("{ book(id: \"b1\") { title broken } }");
        var error = result.GetProperty("errors")[0];
        Assert.Equal("Unexpected Execution Error", error.GetProperty("message").GetString());
        Assert.Equal("[\"book\",\"broken\"]", error.GetProperty("path").GetRawText());
        Assert.Equal(1, error.GetProperty("locations")[0].GetProperty("line").GetInt32());
        Assert.DoesNotContain("secret", result.GetRawText());
        // broken is String!: its error nulls the nearest nullable parent, the book.
        Assert.Equal(JsonValueKind.Null, result.GetProperty("data").GetProperty("book").ValueKind);
        Assert.Equal("INTERNAL_SERVER_ERROR", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Null_in_non_null_field_propagates_to_nearest_nullable_parent()
    {
        var result = await fixture.Run("{ book(id: \"b1\") { title missingTitle } hello }");
        Assert.Equal(JsonValueKind.Null, result.GetProperty("data").GetProperty("book").ValueKind);
        Assert.Equal("Hello, world!", result.GetProperty("data").GetProperty("hello").GetString());
        var error = result.GetProperty("errors")[0];
        Assert.Contains("Cannot return null for non-nullable field", error.GetProperty("message").GetString());
        Assert.Equal("[\"book\",\"missingTitle\"]", error.GetProperty("path").GetRawText());
        Assert.Equal(1, result.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task GraphQLException_keeps_message_and_code()
    {
        var result = await fixture.Run("{ throws }");
        var error = result.GetProperty("errors")[0];
        Assert.Equal("This is a resolver error.", error.GetProperty("message").GetString());
        Assert.Equal("CUSTOM_CODE", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("data").ValueKind); // throws is non-null: data becomes null
    }

    [Fact]
    public async Task Async_resolvers_and_lists()
    {
        var result = await fixture.Run("{ slowSum(a: 2, b: 3) echoList(values: [1, 2, 3]) single: echoList(values: 7) books(genre: FICTION) { id author { name } } }");
        var data = result.GetProperty("data");
        Assert.Equal(5, data.GetProperty("slowSum").GetInt32());
        Assert.Equal("[1,2,3]", data.GetProperty("echoList").GetRawText());
        Assert.Equal("[7]", data.GetProperty("single").GetRawText());
        Assert.Equal(5, data.GetProperty("books").GetArrayLength());
        Assert.All(data.GetProperty("books").EnumerateArray(), b => Assert.Equal(0, int.Parse(b.GetProperty("id").GetString()![1..]) % 4));
    }

    [Fact]
    public async Task NodaTime_scalars_round_trip_through_variables_and_literals()
    {
        var result = await fixture.Run("""
            query($at: Instant!, $d: Duration!) {
              echoInstant(at: $at) echoDuration(duration: $d) echoDate(date: "2024-02-29") echoTime(time: "23:59:01.5")
            }
            """, new { at = "2024-03-01T12:30:00.123Z", d = "P1DT2H3M" });
        var data = result.GetProperty("data");
        Assert.Equal("2024-03-01T12:30:00.123Z", data.GetProperty("echoInstant").GetString());
        Assert.Equal("P1DT2H3M", data.GetProperty("echoDuration").GetString());
        Assert.Equal("2024-02-29", data.GetProperty("echoDate").GetString());
        Assert.Equal("23:59:01.5", data.GetProperty("echoTime").GetString());
        var day = await fixture.Run("{ echoDay(day: \"2024-12-31\") }");
        Assert.Equal("2024-12-31", day.GetProperty("data").GetProperty("echoDay").GetString());
    }

    [Fact]
    public async Task Invalid_scalar_variable_is_a_request_error()
    {
        var result = await fixture.Run("query($d: LocalDate!) { echoDate(date: $d) }", new { d = "2024-02-30" });
        Assert.False(result.TryGetProperty("data", out _));
        Assert.Equal("BAD_USER_INPUT", result.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unions_and_interfaces_resolve_concrete_types()
    {
        var result = await fixture.Run("""
            { search(text: "Ursula") { __typename ... on Author { name } ... on Book { title } }
              named { __typename name } }
            """);
        var data = result.GetProperty("data");
        Assert.Equal("Author", data.GetProperty("search")[0].GetProperty("__typename").GetString());
        Assert.Equal("Ursula", data.GetProperty("search")[0].GetProperty("name").GetString());
        Assert.Equal(2, data.GetProperty("named").GetArrayLength());
    }

    [Fact]
    public async Task Mutation_with_input_object_and_defaults()
    {
        var result = await fixture.Run("mutation { addBook(input: { title: \"New\", authorId: \"a1\" }) { title genre pages author { name } } }");
        var book = result.GetProperty("data").GetProperty("addBook");
        Assert.Equal("New", book.GetProperty("title").GetString());
        Assert.Equal("FICTION", book.GetProperty("genre").GetString());
        Assert.Equal(100, book.GetProperty("pages").GetInt32());
        Assert.Equal("Ursula", book.GetProperty("author").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Mutation_root_fields_run_serially_in_document_order()
    {
        lock (Mutation.Log) Mutation.Log.Clear();
        await fixture.Run("mutation { a: append(value: 2) b: append(value: 1) c: append(value: 4) d: append(value: 3) }");
        lock (Mutation.Log) Assert.Equal(["2", "1", "4", "3"], Mutation.Log);
    }

    [Fact]
    public async Task Validation_errors_have_locations_and_no_data()
    {
        var result = await fixture.Run("{ hello nope book { title } }");
        Assert.False(result.TryGetProperty("data", out _));
        var messages = result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains("Cannot query field \"nope\" on type \"Query\".", messages);
        Assert.Contains(messages, m => m!.Contains("argument \"id\" of type \"ID!\" is required"));
    }

    [Fact]
    public async Task Parse_error_reports_location()
    {
        var result = await fixture.Run("{ hello(");
        var error = result.GetProperty("errors")[0];
        Assert.StartsWith("Syntax Error", error.GetProperty("message").GetString());
        Assert.Equal("GRAPHQL_PARSE_FAILED", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Principal_reaches_resolvers_and_authorization_gives_coded_errors()
    {
        var anonymous = await fixture.Run("{ me secret }");
        Assert.Equal("AUTH_NOT_AUTHENTICATED", anonymous.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var alice = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test"));
        var signedIn = await fixture.Run("{ me secret }", user: alice);
        Assert.Equal("alice", signedIn.GetProperty("data").GetProperty("me").GetString());
        Assert.Equal("only for signed-in users", signedIn.GetProperty("data").GetProperty("secret").GetString());

        var notAdmin = await fixture.Run("{ adminSecret }", user: alice);
        Assert.Equal("AUTH_NOT_AUTHORIZED", notAdmin.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "root"), new Claim(ClaimTypes.Role, "admin")], "test"));
        var allowed = await fixture.Run("{ adminSecret }", user: admin);
        Assert.Equal("only for admins", allowed.GetProperty("data").GetProperty("adminSecret").GetString());
    }

    [Fact]
    public async Task Policies_are_evaluated_by_asp_net_core_authorization()
    {
        var minor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "kid"), new Claim("age", "12")], "test"));
        Assert.Equal("AUTH_NOT_AUTHORIZED", (await fixture.Run("{ adultsOnly }", user: minor)).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var adult = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "grown"), new Claim("age", "30")], "test"));
        Assert.Equal("policy satisfied", (await fixture.Run("{ adultsOnly }", user: adult)).GetProperty("data").GetProperty("adultsOnly").GetString());
    }

    [Fact]
    public async Task Subscription_streams_are_not_opened_for_unauthorized_principals()
    {
        var alice = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test"));
        var refused = await fixture.Run("subscription { adminFeed }", user: alice);
        Assert.False(refused.TryGetProperty("data", out _));
        Assert.Equal("AUTH_NOT_AUTHORIZED", refused.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "root"), new Claim(ClaimTypes.Role, "admin")], "test"));
        Assert.Equal("for admins", (await fixture.Run("subscription { adminFeed }", user: admin)).GetProperty("data").GetProperty("adminFeed").GetString());
    }

    [Fact]
    public void Schema_prints_as_sdl_with_hot_chocolate_naming()
    {
        var sdl = fixture.Engine.PrintSchema();
        Assert.Contains("type Query {", sdl);
        Assert.Contains("hello(name: String! = \"world\"): String!", sdl);
        Assert.Contains("enum Genre {", sdl);
        Assert.Contains("SCIENCE_FICTION", sdl);
        Assert.Contains("scalar LocalDate", sdl);
        Assert.Contains("union SearchResult = ", sdl);
        Assert.Contains("input AddBookInput {", sdl);
        Assert.Contains("subtitle: String\n", sdl);
    }

    [Fact]
    public void Sample_schemas_pass_the_type_system_rules()
    {
        fixture.Engine.ValidateSchema();
        new CatalogFixture().Engine.ValidateSchema();
    }

    [Fact]
    public void An_invalid_schema_is_refused_with_its_problems()
    {
        var query = new Types.ObjectType("Query");
        var impl = new Types.ObjectType("Impl");
        var iface = new Types.InterfaceType("Shape");
        iface.Fields.Add(new Types.FieldDefinition("area", Types.Scalars.Float.NonNull()));
        impl.Interfaces.Add(iface); // but Impl has no "area" field
        impl.Fields.Add(new Types.FieldDefinition("name", Types.Scalars.String));
        query.Fields.Add(new Types.FieldDefinition("shape", iface));
        var engine = new Execution.GraphQLEngine(Types.Schema.Create(query, additionalTypes: [impl]), new Execution.GraphQLOptions());
        var error = Assert.Throws<InvalidOperationException>(engine.ValidateSchema);
        Assert.Contains("Shape.area", error.Message);
    }

    [Fact]
    public async Task Input_objects_come_from_json_variables_with_nested_scalars_and_enums()
    {
        var result = await fixture.Run("mutation($in: AddBookInput!) { addBook(input: $in) { title genre pages published } }",
            new { @in = new { title = "Vars", authorId = "a2", genre = "POETRY", pages = 7, published = "2001-02-03" } });
        var book = result.GetProperty("data").GetProperty("addBook");
        Assert.Equal("POETRY", book.GetProperty("genre").GetString());
        Assert.Equal(7, book.GetProperty("pages").GetInt32());
        Assert.Equal("2001-02-03", book.GetProperty("published").GetString());
    }

    [Fact]
    public async Task Unknown_input_field_in_variables_is_a_request_error()
    {
        var result = await fixture.Run("mutation($in: AddBookInput!) { addBook(input: $in) { title } }",
            new { @in = new { title = "x", authorId = "a1", colour = "red" } });
        Assert.False(result.TryGetProperty("data", out _));
        Assert.Contains("colour", result.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Include_and_skip_apply_to_fragments_and_inline_fragments()
    {
        var result = await fixture.Run("""
            query($yes: Boolean!, $no: Boolean!) {
              book(id: "b1") { ...T @include(if: $yes) ... on Book @skip(if: $yes) { pages } ... @include(if: $no) { genre } }
            }
            fragment T on Book { title }
            """, new { yes = true, no = false });
        var book = result.GetProperty("data").GetProperty("book");
        Assert.Equal("Book 1", book.GetProperty("title").GetString());
        Assert.False(book.TryGetProperty("pages", out _));
        Assert.False(book.TryGetProperty("genre", out _));
    }

    [Fact]
    public async Task Operation_name_selects_among_several_operations()
    {
        const string document = "query A { hello } query B { echo(text: \"b\") }";
        var b = await fixture.Run(document, operationName: "B");
        Assert.Equal("b", b.GetProperty("data").GetProperty("echo").GetString());
        var none = await fixture.Run(document);
        Assert.Equal("OPERATION_NOT_FOUND", none.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var unknown = await fixture.Run(document, operationName: "C");
        Assert.Contains("Unknown operation named \"C\"", unknown.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Errors_inside_list_items_carry_the_item_index_in_the_path()
    {
        var result = await fixture.Run("{ books { id missingTitle } }");
        // books is [Book!]! on a non-null root, so the null travels all the way up to data.
        Assert.Equal(JsonValueKind.Null, result.GetProperty("data").ValueKind);
        var paths = result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetRawText()).ToList();
        Assert.Contains("[\"books\",0,\"missingTitle\"]", paths);
    }

    [Fact]
    public async Task Concurrent_requests_sharing_a_cached_plan_keep_their_own_variables()
    {
        const string query = "query($n: String!, $g: Genre) { hello(name: $n) books(genre: $g) { genre } }";
        var genres = new[] { "FICTION", "NON_FICTION", "SCIENCE_FICTION", "POETRY" };
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => fixture.Run(query, new { n = $"n{i}", g = genres[i % 4] }))));
        for (int i = 0; i < results.Length; i++)
        {
            var data = results[i].GetProperty("data");
            Assert.Equal($"Hello, n{i}!", data.GetProperty("hello").GetString());
            Assert.All(data.GetProperty("books").EnumerateArray(), b => Assert.Equal(genres[i % 4], b.GetProperty("genre").GetString()));
        }
    }

    [Fact]
    public async Task OneOf_inputs_take_exactly_one_field()
    {
        Assert.Equal("Book 2", (await fixture.Run("{ find(by: { title: \"Book 2\" }) { title } }")).GetProperty("data").GetProperty("find").GetProperty("title").GetString());
        var both = await fixture.Run("{ find(by: { id: \"b1\", title: \"Book 2\" }) { title } }");
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", both.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var viaVariables = await fixture.Run("query($by: FindBookInput!) { find(by: $by) { title } }", new { by = new { id = "b1", title = "x" } });
        Assert.False(viaVariables.TryGetProperty("data", out _));
    }
}
