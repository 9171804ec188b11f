using System.Security.Claims;
using Actors.Grains.Fleet;
using Actors.GraphQL.Execution;

namespace Actors.Api.Fleet;

/// <summary>
/// Tenancy (issue item 2): who is calling, for which customer numbers and modules. Whatever does not belong to the
/// caller is answered as if it did not exist.
/// </summary>
public sealed class FleetAccess(IGrainFactory grains)
{
    /// <summary>The caller's access; an anonymous or ended user has none.</summary>
    public async Task<(string Login, UserAccess Access)> Of(ClaimsPrincipal user)
    {
        // A station network's token names the network, never a user: it opens no portal data.
        var login = user.Identity?.IsAuthenticated == true && !user.IsInRole(FleetTokens.StationNetworkRole) ? user.Identity.Name : null;
        if (string.IsNullOrEmpty(login)) throw new GraphQLException("Log in first: send the token of the login mutation as a bearer token.", "AUTH_NOT_AUTHENTICATED");
        return (login, await grains.GetGrain<IUserGrain>(login).Access());
    }

    /// <summary>The customer numbers the caller may see in a module.</summary>
    public async Task<IReadOnlyList<string>> Customers(ClaimsPrincipal user, FleetModule module)
    {
        var (_, access) = await Of(user);
        return access.Active && access.Modules.Contains(module) ? access.CustomerNumbers : [];
    }

    public async Task RequireCustomer(ClaimsPrincipal user, string customerNumber, FleetModule module)
    {
        var (_, access) = await Of(user);
        if (!access.Allows(customerNumber, module))
            throw new GraphQLException($"There is no customer with number {customerNumber}.", "UNKNOWN_CUSTOMER",
                new Dictionary<string, object?> { ["field"] = "customerNumber" });
    }

    /// <summary>The card if the caller may see it in the module, else null.</summary>
    public async Task<CardView?> Card(ClaimsPrincipal user, string number, FleetModule module = FleetModule.MyCardsAndObus)
    {
        var (_, access) = await Of(user);
        var card = await grains.GetGrain<ICardGrain>(number).Get();
        return card is not null && card.Status != CardStatus.Deleted && access.Allows(card.CustomerNumber, module) ? card : null;
    }

    public async Task<ObuView?> Obu(ClaimsPrincipal user, string number)
    {
        var (_, access) = await Of(user);
        var obu = await grains.GetGrain<IObuGrain>(number).Get();
        return obu is not null && obu.Status != CardStatus.Deleted && access.Allows(obu.CustomerNumber, FleetModule.MyCardsAndObus) ? obu : null;
    }

    public async Task<CardView> RequireCard(ClaimsPrincipal user, string number) =>
        await Card(user, number) ?? throw NotFound("cardNumber", $"There is no card {number}.");

    public async Task<ObuView> RequireObu(ClaimsPrincipal user, string number) =>
        await Obu(user, number) ?? throw NotFound("obuNumber", $"There is no OBU {number}.");

    public static GraphQLException NotFound(string field, string message) =>
        new(message, "NOT_FOUND", new Dictionary<string, object?> { ["field"] = field });
}
