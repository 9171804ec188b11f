using System.Security.Claims;
using System.Text.Json;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;

namespace Actors.Api.Fleet;

/// <summary>A status change of a card, an OBU or a request, as subscribers of a customer number receive it.</summary>
/// <param name="Kind">CARD, OBU or REQUEST.</param>
public sealed record FleetStatusEvent(string Kind, string Number, string CustomerNumber, string Product, string? From, string? To, int? Rank,
    string? RequestId, string? RequestKind);

/// <summary>
/// Turns grain events into the fleet's subscription topics (one per customer number). The host relays every event of
/// the event feed through <see cref="Relay"/>; subscribers only ever open the topics of customers they hold.
/// </summary>
public static class FleetEvents
{
    public static string Topic(string customerNumber) => $"fleet.status/{customerNumber}";

    /// <summary>The subscription message for a grain event, or null when subscribers do not care about it.</summary>
    public static FleetStatusEvent? From(string eventType, JsonElement payload)
    {
        string? Text(string name) => payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int? Int(string name) => payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        return eventType switch
        {
            "CardStatusChanged" or "ObuStatusChanged" or "CardCreated" or "ObuCreated" => new FleetStatusEvent(
                eventType.StartsWith("Card", StringComparison.Ordinal) ? "CARD" : "OBU", Text("number")!, Text("customerNumber")!, Text("product") ?? "",
                eventType.EndsWith("Created", StringComparison.Ordinal) ? null : Text("from"), Text("to"), Int("rank"), null, null),
            "RequestChanged" => new FleetStatusEvent("REQUEST", Text("number")!, Text("customerNumber")!, "", null, Text("status"), null,
                Text("requestId"), Text("kind")),
            _ => null,
        };
    }

    public static ValueTask Relay(ITopicEventSender topics, string eventType, JsonElement payload, CancellationToken cancellation = default) =>
        From(eventType, payload) is { } message ? topics.SendAsync(Topic(message.CustomerNumber), message, cancellation) : ValueTask.CompletedTask;
}

/// <summary>Issue item 10: status changes per customer, only for users holding that customer number and My cards and OBUs.</summary>
[ExtendObjectType("Subscription")]
public sealed class FleetSubscriptions
{
    public async Task<IAsyncEnumerable<FleetStatusEvent>> FleetStatusChanged(ClaimsPrincipal user, string customerNumber,
        [Service] FleetAccess access, [Service] ITopicEventReceiver topics, CancellationToken cancellation)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyCardsAndObus);
        return topics.SubscribeAsync<FleetStatusEvent>(FleetEvents.Topic(customerNumber), cancellation);
    }
}
