using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>
/// "My requests": every order is taken into production within 24 hours and delivered 2 days later. The times are
/// kept on the request, so a late or repeated reminder tick moves each request exactly once.
/// </summary>
public static class FleetRequests
{
    public const string ReminderName = "requests";
    public static readonly Duration ProductionAfter = Duration.FromHours(24);
    public static readonly Duration DeliveryAfter = Duration.FromHours(72);

    public static FleetRequest Open(string number, IEnumerable<FleetRequest> existing, RequestKind kind, Instant now) =>
        new($"{number}-{existing.Count() + 1}", kind, RequestStatus.New, now, now);

    /// <summary>Moves each request whose time has come; returns the moved requests.</summary>
    public static List<FleetRequest> Advance(List<FleetRequest> requests, Instant now)
    {
        var moved = new List<FleetRequest>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var next = request.Status switch
            {
                RequestStatus.New when now >= request.RequestedAt + ProductionAfter => RequestStatus.InProduction,
                RequestStatus.InProduction when now >= request.RequestedAt + DeliveryAfter => RequestStatus.Done,
                _ => request.Status,
            };
            if (next == RequestStatus.InProduction && now >= request.RequestedAt + DeliveryAfter) next = RequestStatus.Done;
            if (next == request.Status) continue;
            requests[i] = request with { Status = next, UpdatedAt = now };
            moved.Add(requests[i]);
        }
        return moved;
    }

    /// <summary>When the next request moves, or null when none is pending.</summary>
    public static Instant? NextDue(IEnumerable<FleetRequest> requests) =>
        requests.Select(r => r.Status switch
            {
                RequestStatus.New => r.RequestedAt + ProductionAfter,
                RequestStatus.InProduction => r.RequestedAt + DeliveryAfter,
                _ => (Instant?)null,
            })
            .Where(t => t is not null).Min();
}
