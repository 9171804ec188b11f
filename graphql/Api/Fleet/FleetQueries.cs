using System.Security.Claims;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using NodaTime;

namespace Actors.Api.Fleet;

/// <summary>A card or OBU in the fleet status (fiche 06), as the connection lists it.</summary>
public sealed record FleetItem(
    string Number, string CustomerNumber, string Product, string? Plate, string? HolderName, CardStatus Status, int Rank, string? Division,
    string? DriverName, LocalDate? LastUsedOn, LocalDate? ExpiryDate, string? PinType, string? LinkedNumber);

/// <summary>The fleet program's queries; each reads only the customer numbers and modules granted to the caller.</summary>
[ExtendObjectType("Query")]
public sealed class FleetQueries
{
    /// <summary>Fiche 06: cards and OBUs, searchable by number, plate, status, last use, division, driver.</summary>
    [UsePaging(DefaultPageSize = 50, MaxPageSize = 500)]
    [UseFiltering]
    [UseSorting]
    public async Task<IReadOnlyList<FleetItem>> FleetStatus(ClaimsPrincipal user, [Service] FleetAccess access, [Service] FleetStatusSearch search)
    {
        var customers = await access.Customers(user, FleetModule.MyCardsAndObus);
        var items = new List<FleetItem>();
        if (customers.Count == 0) return items;
        await foreach (var i in search.All(new FleetStatusFilter(customers)))
            items.Add(new FleetItem(i.Number, i.CustomerNumber, i.Product, i.Plate, i.HolderName, Enum.Parse<CardStatus>(i.Status), i.Rank, i.Division, i.DriverName,
                i.LastUsedOn, i.ExpiryDate, i.PinType, i.LinkedNumber));
        return items;
    }

    public Task<CardView?> Card(ClaimsPrincipal user, string number, [Service] FleetAccess access) => access.Card(user, number);

    public Task<ObuView?> Obu(ClaimsPrincipal user, string number, [Service] FleetAccess access) => access.Obu(user, number);

    /// <summary>My requests: orders and how far they are, newest first.</summary>
    public async Task<IReadOnlyList<FleetRequestItem>> MyRequests(ClaimsPrincipal user, bool open, [Service] FleetAccess access, [Service] FleetLists lists)
    {
        var customers = await access.Customers(user, FleetModule.MyCardsAndObus);
        return customers.Count == 0 ? [] : await lists.Requests(customers, open);
    }

    public async Task<IReadOnlyList<DriverCodeItem>> DriverCodes(ClaimsPrincipal user, string? division, [Service] FleetAccess access, [Service] FleetLists lists)
    {
        var customers = await access.Customers(user, FleetModule.MyDriverCodes);
        return customers.Count == 0 ? [] : await lists.DriverCodes(customers, division);
    }

    public async Task<IReadOnlyList<FleetUserItem>> FleetUsers(ClaimsPrincipal user, [Service] FleetAccess access, [Service] FleetLists lists)
    {
        var customers = await access.Customers(user, FleetModule.MyAccount);
        return customers.Count == 0 ? [] : await lists.Users(customers);
    }

    /// <summary>The caller: profile, rights and customer numbers.</summary>
    public async Task<UserView?> Me(ClaimsPrincipal user, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var (login, _) = await access.Of(user);
        return await grains.GetGrain<IUserGrain>(login).Get();
    }
}
