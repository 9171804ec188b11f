using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.Channels;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using NodaTime;

namespace Actors.GraphQL.Tests.Engine;

// A small, domain-free sample schema (books and authors) that exercises the code-first conventions.

public enum Genre { Fiction, NonFiction, ScienceFiction, Poetry }

public interface INamed
{
    string Name { get; }
}

[UnionType]
public interface ISearchResult;

public sealed record Author(string Id, string Name, LocalDate Born) : INamed, ISearchResult
{
    public IEnumerable<Book> Books([Service] Library library) => library.Books.Where(b => b.AuthorId == Id);
}

public sealed record Book(string Id, string Title, string AuthorId, Genre Genre, LocalDate Published, Instant AddedAt, Duration ReadingTime, LocalTime? OpeningHour, int Pages)
    : ISearchResult
{
    [ID] public string BookId => Id;
    public string? Subtitle => null;
    public Task<Author> AuthorAsync([Service] Library library) => Task.FromResult(library.Authors.Single(a => a.Id == AuthorId));
    public Author? AuthorSync([Service] Library library) => library.Authors.SingleOrDefault(a => a.Id == AuthorId);

    /// <summary>Always fails, to test error paths.</summary>
    public string Broken() => throw new InvalidOperationException("secret internal detail");

    /// <summary>Non-null but resolves to null, to test null propagation.</summary>
    public string MissingTitle() => null!;

    [Authorize(Roles = ["librarian"])] public string InternalNote => $"note on {Title}";
}

[OneOf]
public sealed class FindBookInput
{
    [ID] public string? Id { get; init; }
    public string? Title { get; init; }
}

public sealed record AddBookInput(string Title, string AuthorId, Genre Genre = Genre.Fiction, int Pages = 100, LocalDate? Published = null);

public sealed class Library
{
    public List<Author> Authors { get; } =
    [
        new("a1", "Ursula", new LocalDate(1929, 10, 21)),
        new("a2", "Stanislaw", new LocalDate(1921, 9, 12)),
    ];

    public List<Book> Books { get; } = [];

    public Channel<Book> Added { get; } = Channel.CreateUnbounded<Book>();

    /// <summary>One item each time the server disposes a <c>ticksWithLateEvent</c> stream.</summary>
    public Channel<bool> LateEventStreamsReleased { get; } = Channel.CreateUnbounded<bool>();

    public Library()
    {
        for (int i = 1; i <= 120; i++)
            Books.Add(new Book($"b{i}", $"Book {i}", i % 2 == 0 ? "a1" : "a2", (Genre)(i % 4), new LocalDate(1950 + i % 60, 1 + i % 12, 1 + i % 28),
                Instant.FromUtc(2020, 1, 1, 0, 0).Plus(Duration.FromHours(i)), Duration.FromMinutes(90 + i), i % 3 == 0 ? new LocalTime(9, 30) : null, 100 + i));
    }
}

public sealed class Query
{
    public string Hello(string name = "world") => $"Hello, {name}!";

    public IEnumerable<Book> Books([Service] Library library, Genre? genre = null) =>
        genre is null ? library.Books.Take(5) : library.Books.Where(b => b.Genre == genre).Take(5);

    public Book? Book([ID] string id, [Service] Library library) => library.Books.FirstOrDefault(b => b.Id == id);

    public IReadOnlyList<Author> Authors([Service] Library library) => library.Authors;

    public Book? Find(FindBookInput by, [Service] Library library) =>
        library.Books.FirstOrDefault(b => by.Id is not null ? b.Id == by.Id : b.Title == by.Title);

    public IEnumerable<INamed> Named([Service] Library library) => library.Authors;

    public IEnumerable<ISearchResult> Search(string text, [Service] Library library) =>
        library.Authors.Where(a => a.Name.Contains(text)).Cast<ISearchResult>()
            .Concat(library.Books.Where(b => b.Title == text));

    public async Task<int> SlowSum(int a, int b)
    {
        await Task.Yield();
        return a + b;
    }

    public async ValueTask<string?> Echo(string? text)
    {
        await Task.Yield();
        return text;
    }

    public Instant EchoInstant(Instant at) => at;
    public LocalDate EchoDate(LocalDate date) => date;
    public Duration EchoDuration(Duration duration) => duration;
    public LocalTime EchoTime(LocalTime time) => time;
    public IReadOnlyList<int> EchoList(IReadOnlyList<int> values) => values;
    public Genre EchoGenre(Genre genre) => genre;

    public string? Me(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;

    [Authorize] public string Secret => "only for signed-in users";

    [Authorize(Roles = ["admin"])] public string AdminSecret => "only for admins";

    [Authorize(Policy = "Adults")] public string AdultsOnly => "policy satisfied";

    public DateOnly EchoDay(DateOnly day) => day;

    public async Task<bool> Publish(string topic, string message, [Service] ITopicEventSender sender)
    {
        await sender.SendAsync(topic, message);
        return true;
    }

    public string Throws() => throw new GraphQLException("This is a resolver error.", "CUSTOM_CODE");

    /// <summary>Blocks until cancelled, to test execution timeouts.</summary>
    public async Task<string> Hang(CancellationToken cancellation)
    {
        await Task.Delay(Timeout.Infinite, cancellation);
        return "never";
    }
}

public sealed class Mutation
{
    private static int _sequence;
    public static List<string> Log { get; } = [];

    public Book AddBook(AddBookInput input, [Service] Library library)
    {
        var id = $"new{Interlocked.Increment(ref _sequence)}";
        var book = new Book(id, input.Title, input.AuthorId, input.Genre, input.Published ?? new LocalDate(2024, 1, 1),
            Instant.FromUtc(2024, 1, 1, 0, 0), Duration.FromHours(2), null, input.Pages);
        lock (library.Books) library.Books.Add(book);
        library.Added.Writer.TryWrite(book);
        return book;
    }

    /// <summary>Records the order in which mutation fields run.</summary>
    public async Task<int> Append(int value)
    {
        await Task.Delay(value % 2 == 0 ? 1 : 0);
        lock (Log) Log.Add(value.ToString());
        return value;
    }
}

public sealed class Subscription
{
    public async IAsyncEnumerable<int> Countdown(int from, [EnumeratorCancellation] CancellationToken cancellation)
    {
        for (int i = from; i >= 0; i--)
        {
            cancellation.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return i;
        }
    }

    /// <summary>An endless stream: one tick right away, then one per 100 ms until the client completes.</summary>
    public async IAsyncEnumerable<int> Ticks([EnumeratorCancellation] CancellationToken cancellation)
    {
        for (int i = 0; ; i++)
        {
            yield return i;
            await Task.Delay(100, cancellation);
        }
    }

    /// <summary>
    /// One tick right away, then one a second, and one more the moment the client completes the stream: a source that has
    /// an event in hand as it is cancelled, as a busy topic has. The server must drop that one; the library hears when the
    /// server let go of the stream.
    /// </summary>
    public async IAsyncEnumerable<int> TicksWithLateEvent([Service] Library library, [EnumeratorCancellation] CancellationToken cancellation)
    {
        try
        {
            for (int i = 0; ; i++)
            {
                yield return i;
                if (!await Waited(TimeSpan.FromSeconds(1), cancellation)) break;
            }
            yield return -1; // the late event: after the client's complete
        }
        finally { library.LateEventStreamsReleased.Writer.TryWrite(true); }
    }

    /// <summary>False when cancelled first.</summary>
    private static async Task<bool> Waited(TimeSpan delay, CancellationToken cancellation)
    {
        try { await Task.Delay(delay, cancellation); return true; }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Messages of a named topic, published through ITopicEventSender.</summary>
    public IAsyncEnumerable<string> OnMessage(string topic, [Service] ITopicEventReceiver receiver, CancellationToken cancellation) =>
        receiver.SubscribeAsync<string>(topic, cancellation);

    public IAsyncEnumerable<Book> BookAdded([Service] Library library, CancellationToken cancellation) =>
        library.Added.Reader.ReadAllAsync(cancellation);

    [Authorize(Roles = ["admin"])]
    public async IAsyncEnumerable<string> AdminFeed([EnumeratorCancellation] CancellationToken cancellation)
    {
        await Task.Yield();
        yield return "for admins";
    }

    public async IAsyncEnumerable<string> WhoAmI(ClaimsPrincipal user, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await Task.Yield();
        yield return user.Identity?.Name ?? "anonymous";
    }
}
