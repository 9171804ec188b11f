using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;

namespace Actors.GraphQL.Tests.Engine;

// A second sample schema for Hot Chocolate's conventions: paging, filtering, sorting, Node, mutation conventions, data loaders.

public enum Category { Tools, Toys, Books }

public sealed record Supplier(int Id, string Name, string Country)
{
    public Task<IReadOnlyList<Product>?> Products(ProductsBySupplierLoader loader, CancellationToken cancellation) => loader.LoadAsync(Id, cancellation);
}

public sealed class ProductsBySupplierLoader(BatchScheduler scheduler, CatalogStore data) : GroupedDataLoader<int, Product>(scheduler)
{
    protected override Task<ILookup<int, Product>> LoadGroupsAsync(IReadOnlyList<int> keys, CancellationToken cancellation)
    {
        Interlocked.Increment(ref data.ProductGroupBatches);
        return Task.FromResult(data.Products.Where(p => keys.Contains(p.SupplierId)).ToLookup(p => p.SupplierId));
    }
}

[Node]
public sealed record Product(int Id, string Name, decimal Price, Category Category, int SupplierId, IReadOnlyList<string> Tags)
{
    [NodeResolver]
    public static Product? Get(int id, CatalogStore data) => data.Products.FirstOrDefault(p => p.Id == id);

    public Task<Supplier?> Supplier(SupplierLoader loader, CancellationToken cancellation) => loader.LoadAsync(SupplierId, cancellation);

    public Supplier? SupplierDirect => null;

    /// <summary>Asks the loader only after awaiting something else, outside the executor's synchronous pass.</summary>
    public async Task<Supplier?> SupplierAfterYield(SupplierLoader loader, CancellationToken cancellation)
    {
        await Task.Yield();
        return await loader.LoadAsync(SupplierId, cancellation);
    }
}

public sealed class CatalogStore
{
    public List<Supplier> Suppliers { get; } = Enumerable.Range(1, 10).Select(i => new Supplier(i, $"Supplier {i}", i % 2 == 0 ? "DE" : "FR")).ToList();

    public List<Product> Products { get; } = Enumerable.Range(1, 100)
        .Select(i => new Product(i, $"Product {i:000}", 10m + i % 7, (Category)(i % 3), 1 + i % 10, i % 2 == 0 ? ["even"] : ["odd"]))
        .ToList();

    /// <summary>Batch calls seen by the supplier loader, to prove batching.</summary>
    public int SupplierBatches;
    public int ProductGroupBatches;
    public List<int> SupplierBatchSizes { get; } = [];
}

public sealed class SupplierLoader(BatchScheduler scheduler, CatalogStore data) : BatchDataLoader<int, Supplier>(scheduler)
{
    protected override async Task<IReadOnlyDictionary<int, Supplier>> LoadBatchAsync(IReadOnlyList<int> keys, CancellationToken cancellation)
    {
        Interlocked.Increment(ref data.SupplierBatches);
        lock (data.SupplierBatchSizes) data.SupplierBatchSizes.Add(keys.Count);
        await Task.Yield();
        return data.Suppliers.Where(s => keys.Contains(s.Id)).ToDictionary(s => s.Id);
    }
}

public sealed class ProductNotFoundException(int productId) : Exception($"Product {productId} does not exist.")
{
    public int ProductId { get; } = productId;
}

public sealed class CatalogQuery
{
    [UsePaging(DefaultPageSize = 10, MaxPageSize = 50)]
    [UseFiltering]
    [UseSorting]
    public IEnumerable<Product> Products(CatalogStore data) => data.Products;

    [UseFiltering]
    [UseSorting]
    public IEnumerable<Product> AllProducts(CatalogStore data) => data.Products;

    /// <summary>Pages "in the database": reads the offsets and returns the page it fetched.</summary>
    [UsePaging(MaxPageSize = 100)]
    public Page<Product> PagedInStore(ResolverContext context, CatalogStore data)
    {
        var page = Paging.ArgumentsOf(context);
        lock (StoreReads) StoreReads.Add(page);
        var fetched = data.Products.Skip(page.Offset).Take(page.Count ?? 10).ToList(); // stands for OFFSET/LIMIT
        return new Page<Product>(fetched, page.Offset, data.Products.Count);
    }

    public static List<PageRequest> StoreReads { get; } = [];

    public async Task<IEnumerable<Product>> AsyncProducts(CatalogStore data)
    {
        await Task.Yield();
        return data.Products;
    }

    public IEnumerable<Supplier> Suppliers(CatalogStore data) => data.Suppliers;

    public string Fails() => throw new KeyNotFoundException("no such thing");

    public Product? Product([ID] string id, CatalogStore data) => data.Products.FirstOrDefault(p => p.Id.ToString() == id);
}

public sealed class CatalogMutation
{
    [Error<ProductNotFoundException>]
    public Product RenameProduct(int id, string name, CatalogStore data)
    {
        var index = data.Products.FindIndex(p => p.Id == id);
        if (index < 0) throw new ProductNotFoundException(id);
        data.Products[index] = data.Products[index] with { Name = name };
        return data.Products[index];
    }
}
