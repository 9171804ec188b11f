using Actors.GraphQL.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GraphQL.Tests.Transport;

/// <summary>graphql-transport-ws: once the server has read a client's Complete, no Next of that operation follows.</summary>
public sealed class ClientCompleteTests
{
    [Fact(Timeout = 60_000)]
    public async Task An_event_the_source_had_in_hand_as_the_client_completed_is_not_sent()
    {
        await using var server = await LibraryServer.StartAsync();
        var library = server.Services.GetRequiredService<Library>();
        await using var ws = await WsClient.ConnectAsync(server.WebSocketUrl);
        await ws.InitAsync();
        await ws.SendAsync(new { id = "late", type = "subscribe", payload = new { query = "subscription { ticksWithLateEvent }" } });
        await ws.ExpectAsync("next");

        await ws.SendAsync(new { id = "late", type = "complete" });
        await library.LateEventStreamsReleased.Reader.ReadAsync(); // the server has let go of the stream, late event and all
        await ws.SendAsync(new { type = "ping" });

        // Messages leave one at a time in order, so a Next of the late event (-1) would arrive before this pong. Ticks
        // (0, 1, ...) sent before the server read the Complete may still be in flight: those are the client's to drop.
        var late = new List<string>();
        while (await ws.ReceiveAsync() is { } message)
        {
            var type = message.GetProperty("type").GetString();
            if (type == "pong") break;
            if (type != "next" || message.GetProperty("payload").GetProperty("data").GetProperty("ticksWithLateEvent").GetInt32() < 0)
                late.Add(message.GetRawText());
        }
        Assert.Empty(late);
        Assert.Null(ws.CloseCode); // the connection stays open for the client's other operations
    }
}
