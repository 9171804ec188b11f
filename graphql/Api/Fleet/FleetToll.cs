using System.Security.Claims;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;

namespace Actors.Api.Fleet;

/// <summary>Issue 6 item 5: the toll network reports PASSango passages, which the daily follow-up then shows.</summary>
[ExtendObjectType("Mutation")]
public sealed class FleetTollMutations
{
    /// <summary>
    /// Records a toll passage of an OBU and answers its receipt. Only a network's token may call it (the token the
    /// station network uses: a toll charger is issued one the same way). A retry with the same passage id answers the
    /// same receipt and counts once; the same id with other content is refused (<c>PASSAGE_ID_REUSED</c>).
    /// </summary>
    public async Task<TollPassageReceipt> ReportTollPassage(ClaimsPrincipal user, TollPassage passage, [Service] IGrainFactory grains)
    {
        if (!user.IsInRole(FleetTokens.StationNetworkRole))
            throw new GraphQLException("Only a toll network may report toll passages.", "AUTH_NOT_AUTHORIZED");
        if (string.IsNullOrWhiteSpace(passage.ObuNumber))
            throw new FleetValidationException("REQUIRED", "passage.obuNumber", "The OBU number is required.");
        if (passage.ObuNumber.Length > 32)
            throw new FleetValidationException("TOO_LONG", "passage.obuNumber", "An OBU number has at most 32 characters.");
        return await grains.GetGrain<IObuGrain>(passage.ObuNumber).ReportTollPassage(passage, user.Identity?.Name ?? "");
    }
}
