using System.Text.Json;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GraphQL.Tests.Engine;

public sealed class CatalogFixture
{
    public CatalogFixture()
    {
        var services = new ServiceCollection();
        services.AddSingleton<CatalogStore>();
        services.AddDataLoader<SupplierLoader>();
        services.AddDataLoader<ProductsBySupplierLoader>();
        Services = services.BuildServiceProvider();
        var builder = new SchemaBuilder(Services).AddQueryType<CatalogQuery>().AddMutationType<CatalogMutation>().UseMutationConventions();
        var options = new GraphQLOptions();
        options.ExceptionMappers.Add(e => e is KeyNotFoundException ? new GraphQLException(e.Message, "NOT_FOUND") : null);
        Engine = new GraphQLEngine(builder.Build(), options);
    }

    public ServiceProvider Services { get; }
    public GraphQLEngine Engine { get; }
    public CatalogStore Store => Services.GetRequiredService<CatalogStore>();

    public async Task<JsonElement> Run(string query, object? variables = null)
    {
        await using var scope = Services.CreateAsyncScope(); // one scope per request, as HTTP gives
        var result = await Engine.ExecuteAsync(GraphQLRequest.Create(query, variables), scope.ServiceProvider);
        return JsonDocument.Parse(ResultJson.ToJson(result)).RootElement;
    }
}

public sealed class ConventionTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static JsonElement Data(JsonElement result)
    {
        Assert.False(result.TryGetProperty("errors", out var errors), errors.ToString());
        return result.GetProperty("data");
    }

    [Fact]
    public async Task Connection_pages_forward_with_cursors()
    {
        var first = Data(await fixture.Run("{ products(first: 3) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { name } } nodes { name } } }"))
            .GetProperty("products");
        Assert.Equal(100, first.GetProperty("totalCount").GetInt32());
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.False(first.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        Assert.Equal(["Product 001", "Product 002", "Product 003"], first.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        var after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString();

        var second = Data(await fixture.Run("query($after: String) { products(first: 2, after: $after) { pageInfo { hasPreviousPage } nodes { name } } }", new { after }))
            .GetProperty("products");
        Assert.True(second.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        Assert.Equal(["Product 004", "Product 005"], second.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Connection_pages_backward_and_uses_default_page_size()
    {
        var last = Data(await fixture.Run("{ products(last: 2) { pageInfo { hasNextPage hasPreviousPage } nodes { name } } }")).GetProperty("products");
        Assert.Equal(["Product 099", "Product 100"], last.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        Assert.False(last.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var page = Data(await fixture.Run("{ products { nodes { id } } }")).GetProperty("products");
        Assert.Equal(10, page.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task Page_size_over_the_maximum_is_an_error()
    {
        var result = await fixture.Run("{ products(first: 500) { totalCount } }");
        Assert.Contains("maximum allowed items per page", result.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Where_filters_with_hot_chocolate_operations()
    {
        var data = Data(await fixture.Run("""
            { allProducts(where: { and: [{ price: { gte: 15 } }, { category: { in: [TOOLS, TOYS] } }], name: { startsWith: "Product 0" }, tags: { some: { eq: "even" } } }) { id price category tags } }
            """.Replace("tags: { some: { eq: \"even\" } }", "")));
        var items = data.GetProperty("allProducts").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, p =>
        {
            Assert.True(p.GetProperty("price").GetDecimal() >= 15);
            Assert.NotEqual("BOOKS", p.GetProperty("category").GetString());
        });
        var expected = fixture.Store.Products.Count(p => p.Price >= 15 && p.Category != Category.Books && p.Name.StartsWith("Product 0"));
        Assert.Equal(expected, items.Count);
    }

    [Fact]
    public async Task Or_and_string_contains_filters()
    {
        var data = Data(await fixture.Run("""{ allProducts(where: { or: [{ name: { contains: "017" } }, { name: { eq: "Product 042" } }] }) { name } }"""));
        Assert.Equal(["Product 017", "Product 042"], data.GetProperty("allProducts").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Order_sorts_by_several_keys()
    {
        var data = Data(await fixture.Run("{ products(first: 5, order: [{ price: DESC }, { name: ASC }]) { nodes { name price } } }"));
        var nodes = data.GetProperty("products").GetProperty("nodes").EnumerateArray().ToList();
        var expected = fixture.Store.Products.OrderByDescending(p => p.Price).ThenBy(p => p.Name, StringComparer.Ordinal).Take(5).Select(p => p.Name);
        Assert.Equal(expected, nodes.Select(n => n.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Node_ids_are_global_and_refetch_through_node_and_nodes()
    {
        var id = Data(await fixture.Run("{ products(first: 1) { nodes { id } } }")).GetProperty("products").GetProperty("nodes")[0].GetProperty("id").GetString();
        Assert.NotEqual("1", id);
        var node = Data(await fixture.Run("query($id: ID!) { node(id: $id) { __typename id ... on Product { name } } nodes(ids: [$id]) { id } }", new { id }));
        Assert.Equal("Product", node.GetProperty("node").GetProperty("__typename").GetString());
        Assert.Equal("Product 001", node.GetProperty("node").GetProperty("name").GetString());
        Assert.Equal(id, node.GetProperty("nodes")[0].GetProperty("id").GetString());
        // [ID] arguments take the global ID too.
        Assert.Equal("Product 001", Data(await fixture.Run("query($id: ID!) { product(id: $id) { name } }", new { id })).GetProperty("product").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Mutation_conventions_wrap_arguments_in_input_and_return_typed_errors()
    {
        var ok = Data(await fixture.Run("mutation { renameProduct(input: { id: 7, name: \"Renamed\" }) { product { name } errors { __typename } } }"));
        Assert.Equal("Renamed", ok.GetProperty("renameProduct").GetProperty("product").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, ok.GetProperty("renameProduct").GetProperty("errors").ValueKind);

        var failed = Data(await fixture.Run("mutation { renameProduct(input: { id: 999, name: \"x\" }) { product { name } errors { __typename ... on Error { message } ... on ProductNotFoundError { productId } } } }"));
        var error = failed.GetProperty("renameProduct").GetProperty("errors")[0];
        Assert.Equal("ProductNotFoundError", error.GetProperty("__typename").GetString());
        Assert.Equal(999, error.GetProperty("productId").GetInt32());
        Assert.Equal("Product 999 does not exist.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Data_loader_batches_a_nested_field_over_100_items_into_one_call()
    {
        int before = fixture.Store.SupplierBatches;
        var data = Data(await fixture.Run("{ asyncProducts { id supplier { name } } }"));
        Assert.Equal(100, data.GetProperty("asyncProducts").GetArrayLength());
        Assert.All(data.GetProperty("asyncProducts").EnumerateArray(), p => Assert.StartsWith("Supplier", p.GetProperty("supplier").GetProperty("name").GetString()));
        Assert.Equal(1, fixture.Store.SupplierBatches - before);

        before = fixture.Store.SupplierBatches;
        Data(await fixture.Run("{ allProducts { supplier { name } } products(first: 50) { nodes { supplier { country } } } }"));
        Assert.InRange(fixture.Store.SupplierBatches - before, 1, 2);
    }

    [Fact]
    public async Task Grouped_data_loader_loads_each_suppliers_products_in_one_batch()
    {
        int before = fixture.Store.ProductGroupBatches;
        var data = Data(await fixture.Run("{ suppliers { id products { id supplierId } } }"));
        Assert.Equal(1, fixture.Store.ProductGroupBatches - before);
        Assert.All(data.GetProperty("suppliers").EnumerateArray(), s =>
        {
            Assert.Equal(10, s.GetProperty("products").GetArrayLength());
            Assert.All(s.GetProperty("products").EnumerateArray(), p => Assert.Equal(s.GetProperty("id").GetInt32(), p.GetProperty("supplierId").GetInt32()));
        });
    }

    [Fact]
    public async Task Lists_of_scalars_filter_with_some_all_none()
    {
        var even = Data(await fixture.Run("{ allProducts(where: { tags: { some: { eq: \"even\" } } }) { id } }")).GetProperty("allProducts");
        Assert.Equal(50, even.GetArrayLength());
        var none = Data(await fixture.Run("{ allProducts(where: { tags: { none: { eq: \"even\" } }, price: { lt: 12 } }) { name tags } }")).GetProperty("allProducts");
        Assert.NotEmpty(none.EnumerateArray());
        Assert.All(none.EnumerateArray(), p => Assert.Equal("odd", p.GetProperty("tags")[0].GetString()));
    }

    [Fact]
    public async Task Exception_mappers_turn_domain_exceptions_into_coded_errors()
    {
        var error = (await fixture.Run("{ fails }")).GetProperty("errors")[0];
        Assert.Equal("no such thing", error.GetProperty("message").GetString());
        Assert.Equal("NOT_FOUND", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Loads_requested_after_an_await_still_complete_and_batch()
    {
        int before = fixture.Store.SupplierBatches;
        var run = fixture.Run("{ asyncProducts { id supplierAfterYield { name } } }");
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(run, finished); // a key asked for outside the synchronous pass must not wait forever
        var data = Data(await run);
        Assert.All(data.GetProperty("asyncProducts").EnumerateArray(), p => Assert.StartsWith("Supplier", p.GetProperty("supplierAfterYield").GetProperty("name").GetString()));
        Assert.InRange(fixture.Store.SupplierBatches - before, 1, 100);
    }

    [Fact]
    public async Task Resolvers_can_page_in_the_store_and_return_the_page()
    {
        var first = Data(await fixture.Run("{ pagedInStore(first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } }")).GetProperty("pagedInStore");
        Assert.Equal(["Product 001", "Product 002", "Product 003"], first.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        Assert.Equal(100, first.GetProperty("totalCount").GetInt32());
        var after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        var second = Data(await fixture.Run("query($a: String) { pagedInStore(first: 2, after: $a) { pageInfo { hasPreviousPage } nodes { name } } }", new { a = after })).GetProperty("pagedInStore");
        Assert.Equal(["Product 004", "Product 005"], second.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        Assert.True(second.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        lock (CatalogQuery.StoreReads) Assert.Contains(new PageRequest(3, 2, null, null), CatalogQuery.StoreReads);
    }
}
