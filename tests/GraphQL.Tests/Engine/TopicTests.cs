using Actors.GraphQL.Execution;

namespace Actors.GraphQL.Tests.Engine;

public sealed class TopicTests
{
    [Fact]
    public async Task A_subscriber_gets_what_is_sent_after_it_subscribed_even_before_it_reads()
    {
        var topics = new InMemoryTopics();
        using var cancel = new CancellationTokenSource();
        var stream = topics.SubscribeAsync<string>("news", cancel.Token);
        await topics.SendAsync("news", "first");
        Assert.Equal(1, topics.SubscriberCount("news"));

        await using var reader = stream.GetAsyncEnumerator(cancel.Token);
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("first", reader.Current);
    }

    [Fact]
    public async Task Cancelling_a_subscription_that_was_never_read_unsubscribes_it()
    {
        var topics = new InMemoryTopics();
        using var cancel = new CancellationTokenSource();
        _ = topics.SubscribeAsync<string>("news", cancel.Token);
        Assert.Equal(1, topics.SubscriberCount("news"));

        await cancel.CancelAsync();
        Assert.Equal(0, topics.SubscriberCount("news"));
    }
}
