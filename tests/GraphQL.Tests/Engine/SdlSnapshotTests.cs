namespace Actors.GraphQL.Tests.Engine;

public sealed class SdlSnapshotTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public void Conventions_have_hot_chocolates_shape_in_sdl()
    {
        var sdl = fixture.Engine.PrintSchema();
        var products = sdl[sdl.IndexOf("  products(", StringComparison.Ordinal)..sdl.IndexOf("): ProductsConnection!", StringComparison.Ordinal)];
        var order = new[] { "first: Int", "after: String", "last: Int", "before: String", "where: ProductFilterInput", "order: [ProductSortInput!]" }
            .Select(a => products.IndexOf(a, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Contains("type ProductsEdge {", sdl);
        Assert.Contains("input StringOperationFilterInput {", sdl);
        Assert.Contains("input ListStringOperationFilterInput {", sdl);
        Assert.Contains("enum SortEnumType {", sdl);
        Assert.Contains("renameProduct(input: RenameProductInput!): RenameProductPayload!", sdl);
        Assert.Contains("union RenameProductError = ProductNotFoundError", sdl);
        Assert.Contains("type Product implements Node {", sdl);
        Assert.Contains("  ): Node\n", sdl);
        Assert.Contains("ids: [ID!]!", sdl);
    }
}
