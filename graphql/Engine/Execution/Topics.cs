using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.GraphQL.Execution;

/// <summary>Publishes subscription events to a topic (Hot Chocolate's ITopicEventSender).</summary>
public interface ITopicEventSender
{
    ValueTask SendAsync<TMessage>(string topic, TMessage message, CancellationToken cancellation = default);
}

/// <summary>Opens a stream of a topic's events for a subscription resolver (Hot Chocolate's ITopicEventReceiver).</summary>
public interface ITopicEventReceiver
{
    IAsyncEnumerable<TMessage> SubscribeAsync<TMessage>(string topic, CancellationToken cancellation = default);
}

/// <summary>
/// In-process topics: every subscriber of a topic gets every message sent after it subscribed, in order.
/// Each subscriber has a bounded buffer; a subscriber that falls behind loses its oldest messages rather than
/// slowing the sender. Events from other silos are the host's job: it relays them into <see cref="SendAsync"/>.
/// </summary>
public sealed class InMemoryTopics(int bufferPerSubscriber = 1024) : ITopicEventSender, ITopicEventReceiver
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<object?>, byte>> _topics = new(StringComparer.Ordinal);

    public ValueTask SendAsync<TMessage>(string topic, TMessage message, CancellationToken cancellation = default)
    {
        if (_topics.TryGetValue(topic, out var subscribers))
            foreach (var channel in subscribers.Keys) channel.Writer.TryWrite(message);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Subscribes at once, as Hot Chocolate does: messages sent after this call are kept for the stream even before it is
    /// first read. The subscription ends when the stream is disposed or <paramref name="cancellation"/> fires.
    /// </summary>
    public IAsyncEnumerable<TMessage> SubscribeAsync<TMessage>(string topic, CancellationToken cancellation = default)
    {
        var channel = Channel.CreateBounded<object?>(new BoundedChannelOptions(bufferPerSubscriber)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        var subscribers = _topics.GetOrAdd(topic, _ => new ConcurrentDictionary<Channel<object?>, byte>());
        subscribers[channel] = 0;
        var leave = cancellation.Register(() => subscribers.TryRemove(channel, out _));
        return Read<TMessage>(channel, subscribers, leave, cancellation);
    }

    private static async IAsyncEnumerable<TMessage> Read<TMessage>(Channel<object?> channel, ConcurrentDictionary<Channel<object?>, byte> subscribers,
        CancellationTokenRegistration leave, [EnumeratorCancellation] CancellationToken cancellation)
    {
        try
        {
            await foreach (var message in channel.Reader.ReadAllAsync(cancellation))
                if (message is TMessage typed) yield return typed;
        }
        finally
        {
            await leave.DisposeAsync();
            subscribers.TryRemove(channel, out _);
        }
    }

    /// <summary>How many subscribers a topic has (for tests and diagnostics).</summary>
    public int SubscriberCount(string topic) => _topics.TryGetValue(topic, out var s) ? s.Count : 0;
}

public static class TopicServiceCollectionExtensions
{
    /// <summary>Registers <see cref="InMemoryTopics"/> as the topic sender and receiver.</summary>
    public static IServiceCollection AddInMemorySubscriptions(this IServiceCollection services)
    {
        services.TryAddSingleton<InMemoryTopics>();
        services.TryAddSingleton<ITopicEventSender>(p => p.GetRequiredService<InMemoryTopics>());
        services.TryAddSingleton<ITopicEventReceiver>(p => p.GetRequiredService<InMemoryTopics>());
        return services;
    }
}
