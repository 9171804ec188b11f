using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Api.Fleet;

/// <summary>An anomaly as subscribers receive it (PASSalert).</summary>
public sealed record FleetAnomalyEvent(string AnomalyId, string TransactionId, string CardNumber, string CustomerNumber, string? Division,
    string Code, string Text, bool Declined, string StationId, string Country, string Product, decimal Quantity, decimal Amount, NodaTime.Instant At);

/// <summary>Issue 6 item 1: the station network's authorization.</summary>
[ExtendObjectType("Mutation")]
public sealed class FleetStationMutations
{
    /// <summary>
    /// Approves or declines a fill or service at a station, with reason codes and a text for the pump. Only a station
    /// network's token may call it. A retry with the same idempotency key answers the same and counts once.
    /// </summary>
    public async Task<AuthorizationAnswer> Authorize(ClaimsPrincipal user, AuthorizationRequest request, [Service] IGrainFactory grains)
    {
        if (!user.IsInRole(FleetTokens.StationNetworkRole))
            throw new GraphQLException("Only a station network may authorize transactions.", "AUTH_NOT_AUTHORIZED");
        if (string.IsNullOrWhiteSpace(request.CardNumber) || request.CardNumber.Length > 32)
            throw new FleetValidationException("REQUIRED", "request.cardNumber", "The card number is required.");
        return await grains.GetGrain<ICardGrain>(request.CardNumber).Authorize(request);
    }

    /// <summary>PASSalert: the anomaly codes the caller follows (<c>*</c> for all), pushed and/or mailed.</summary>
    public async Task<AlertSettings> ChangeMyAlertSettings(ClaimsPrincipal user, IReadOnlyList<string> codes, bool push, bool email, bool? invoiceMail,
        [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var (login, _) = await access.Of(user);
        await grains.GetGrain<IUserGrain>(login).ChangeAlertSettings(new AlertSettings(codes, push, email, invoiceMail ?? false));
        return await grains.GetGrain<IUserGrain>(login).AlertSettings();
    }
}

/// <summary>Issue 6 item 4: anomalies pushed to users who follow them.</summary>
[ExtendObjectType("Subscription")]
public sealed class FleetAlertSubscriptions
{
    /// <summary>
    /// The anomalies of a customer the caller holds with PASSalert, of the codes their alert settings follow with push on.
    /// Settings are read per anomaly, so a change applies to an open subscription at once.
    /// </summary>
    public async Task<IAsyncEnumerable<FleetAnomalyEvent>> FleetAnomalies(ClaimsPrincipal user, string customerNumber,
        [Service] FleetAccess access, [Service] IGrainFactory grains, [Service] ITopicEventReceiver topics, CancellationToken cancellation)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.PassAlert);
        var (login, _) = await access.Of(user);
        return Followed(grains.GetGrain<IUserGrain>(login), topics.SubscribeAsync<FleetAnomalyEvent>(FleetAlerts.Topic(customerNumber), cancellation), cancellation);
    }

    private static async IAsyncEnumerable<FleetAnomalyEvent> Followed(IUserGrain user, IAsyncEnumerable<FleetAnomalyEvent> anomalies,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var anomaly in anomalies.WithCancellation(cancellation))
        {
            var settings = await user.AlertSettings();
            if (settings.Push && settings.Follows(anomaly.Code)) yield return anomaly;
        }
    }
}

/// <summary>
/// What anomalies and invoices become for users: <see cref="Push"/> puts a <c>FleetAnomalyRaised</c> event on the
/// customer's anomaly topic (live, per silo); <see cref="Dispatch"/> asks each PASSalert user of the customer to mail it
/// (the user grain decides by its alert settings and mails each anomaly once), and hands <c>InvoiceAvailable</c> to the
/// customer's My invoices users (mailed to those who selected invoice mail).
/// </summary>
public sealed class FleetAlerts(IGrainFactory grains, NpgsqlDataSource dataSource, ILogger<FleetAlerts> logger)
{
    public static string Topic(string customerNumber) => $"fleet.anomaly/{customerNumber}";

    public ValueTask Push(ITopicEventSender topics, string eventType, JsonElement payload, CancellationToken cancellation)
    {
        if (eventType != "FleetAnomalyRaised") return ValueTask.CompletedTask;
        var anomaly = payload.Deserialize<FleetAnomalyRaised>(Actors.Postgres.Serialization.GrainJson.Options)!;
        return topics.SendAsync(Topic(anomaly.CustomerNumber), new FleetAnomalyEvent(anomaly.AnomalyId, anomaly.TransactionId, anomaly.CardNumber,
            anomaly.CustomerNumber, anomaly.Division, anomaly.Code, anomaly.Text, anomaly.Declined, anomaly.StationId, anomaly.Country,
            anomaly.Product, anomaly.Quantity, anomaly.Amount, anomaly.At), cancellation);
    }

    /// <summary>Hands the event to the users it concerns; false when it concerns nobody (not an anomaly or an invoice).</summary>
    public async ValueTask<bool> Dispatch(string eventType, JsonElement payload, CancellationToken cancellation)
    {
        switch (eventType)
        {
            case "InvoiceAvailable":
                var invoice = payload.Deserialize<InvoiceAvailable>(Actors.Postgres.Serialization.GrainJson.Options)!;
                foreach (var login in await Users(invoice.CustomerNumber, FleetModule.MyInvoices, cancellation))
                    await ForOne(login, () => grains.GetGrain<IUserGrain>(login).InvoiceAvailable(invoice));
                return true;
            case "FleetAnomalyRaised":
                var anomaly = payload.Deserialize<FleetAnomalyRaised>(Actors.Postgres.Serialization.GrainJson.Options)!;
                foreach (var login in await Users(anomaly.CustomerNumber, FleetModule.PassAlert, cancellation))
                    await ForOne(login, () => grains.GetGrain<IUserGrain>(login).Alert(anomaly));
                return true;
            default:
                return false;
        }
    }

    /// <summary>A user grain that cannot take a notice must not hold back everyone else's: it is logged and passed over.</summary>
    private async Task ForOne(string login, Func<Task> handOver)
    {
        try { await handOver(); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Handing a notice to user {Login} failed", login); }
    }

    private async Task<List<string>> Users(string customerNumber, FleetModule module, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT login FROM fleet_users WHERE customer_numbers @> ARRAY[$1]::text[] AND $2 = ANY(modules) AND status = 'Active'");
        command.Parameters.Add(new NpgsqlParameter { Value = customerNumber, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = module.ToString(), NpgsqlDbType = NpgsqlDbType.Text });
        var logins = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) logins.Add(reader.GetString(0));
        return logins;
    }
}
