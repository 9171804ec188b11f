using Actors.GraphQL.CodeFirst;

namespace Actors.GraphQL.Benchmarks;

public enum Genre { Fiction, NonFiction, Poetry }

public sealed class Author(string id, string name)
{
    [ID] public string Id { get; } = id;
    public string Name { get; } = name;
    internal List<Book> AllBooks { get; } = [];
    public IEnumerable<Book> Books(Genre? genre = null) => genre is null ? AllBooks : AllBooks.Where(b => b.Genre == genre);
}

public sealed record Book([property: ID] string Id, string Title, int Pages, Genre Genre, Author Author);

/// <summary>The same 100 authors with 10 books each as js/server.mjs.</summary>
public sealed class BenchmarkQuery
{
    private static readonly List<Author> All = Create();

    private static List<Author> Create()
    {
        var authors = new List<Author>();
        for (int a = 0; a < 100; a++)
        {
            var author = new Author($"a{a}", $"Author {a}");
            for (int b = 0; b < 10; b++) author.AllBooks.Add(new Book($"a{a}b{b}", $"Book {b} of {a}", 100 + b, (Genre)((a + b) % 3), author));
            authors.Add(author);
        }
        return authors;
    }

    public IEnumerable<Author> Authors(int first) => All.Take(first);
}
