namespace Actors.Grains.Fleet;

/// <summary>
/// A user's alert settings (PASSalert): the anomaly codes followed (<c>*</c> for all), pushed over the API's
/// subscription and/or mailed; and whether the user is one of the customer's selected users told of new invoices (fiche 11).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record AlertSettings(IReadOnlyList<string> Codes, bool Push, bool Email, bool InvoiceMail = false)
{
    public bool Follows(string code) => Codes.Contains("*") || Codes.Contains(code);
}

/// <summary>Event: the mail outbox's order to send one anomaly to one user.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record AlertMailRequested(string Login, string Email, string AnomalyId, string CustomerNumber, string CardNumber, string Code, string Text, bool Declined,
    string? Language = null);

/// <summary>Event: the mail outbox's order to tell one user that an invoice can be downloaded.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record InvoiceMailRequested(string Login, string Email, string Number, string CustomerNumber, string Month, decimal Total, string? Language = null);

public sealed partial class UserGrain
{
    public const int RememberedAlerts = 500;

    public async Task ChangeAlertSettings(AlertSettings settings)
    {
        if (!user.RecordExists) throw new FleetOperationException("UNKNOWN_USER", $"There is no user {LoginName}.");
        if (settings.Codes.Any(string.IsNullOrWhiteSpace)) throw FleetInput.Invalid("INVALID_CODE", "codes", "An anomaly code cannot be empty.");
        State.Alerts = settings with { Codes = [.. settings.Codes.Distinct()] };
        await user.WriteStateAsync();
    }

    public async Task InvoiceAvailable(InvoiceAvailable invoice)
    {
        if (!user.RecordExists || AccessEnded() || !State.Modules.Contains(FleetModule.MyInvoices) || !State.CustomerNumbers.Contains(invoice.CustomerNumber)) return;
        var key = $"invoice:{invoice.Number}";
        if (!State.Alerts.InvoiceMail || State.AlertedAnomalies.Contains(key)) return;
        State.AlertedAnomalies.Add(key);
        if (State.AlertedAnomalies.Count > RememberedAlerts) State.AlertedAnomalies.RemoveRange(0, State.AlertedAnomalies.Count - RememberedAlerts);
        user.RaiseEvent("InvoiceMailRequested", new InvoiceMailRequested(LoginName, State.Profile.Email, invoice.Number, invoice.CustomerNumber, invoice.Month, invoice.Total,
            State.Profile.Language));
        await user.WriteStateAsync();
    }

    [ReadOnly]
    public Task<AlertSettings> AlertSettings() => Task.FromResult(State.Alerts);

    public async Task Alert(FleetAnomalyRaised anomaly)
    {
        if (!user.RecordExists || AccessEnded() || !State.Modules.Contains(FleetModule.PassAlert) || !State.CustomerNumbers.Contains(anomaly.CustomerNumber)) return;
        if (!State.Alerts.Email || !State.Alerts.Follows(anomaly.Code) || State.AlertedAnomalies.Contains(anomaly.AnomalyId)) return;
        State.AlertedAnomalies.Add(anomaly.AnomalyId);
        if (State.AlertedAnomalies.Count > RememberedAlerts) State.AlertedAnomalies.RemoveRange(0, State.AlertedAnomalies.Count - RememberedAlerts);
        user.RaiseEvent("AlertMailRequested", new AlertMailRequested(LoginName, State.Profile.Email, anomaly.AnomalyId, anomaly.CustomerNumber,
            anomaly.CardNumber, anomaly.Code, anomaly.Text, anomaly.Declined, State.Profile.Language));
        await user.WriteStateAsync();
    }
}
