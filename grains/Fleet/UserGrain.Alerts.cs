namespace Actors.Grains.Fleet;

/// <summary>
/// A user's alert settings (PASSalert): the anomaly codes followed (<c>*</c> for all), pushed over the API's
/// subscription and/or mailed.
/// </summary>
public sealed record AlertSettings(IReadOnlyList<string> Codes, bool Push, bool Email)
{
    public bool Follows(string code) => Codes.Contains("*") || Codes.Contains(code);
}

/// <summary>Event: the mail outbox's order to send one anomaly to one user.</summary>
public sealed record AlertMailRequested(string Login, string Email, string AnomalyId, string CustomerNumber, string CardNumber, string Code, string Text, bool Declined);

public sealed partial class UserGrain
{
    public const int RememberedAlerts = 500;

    public async Task ChangeAlertSettings(AlertSettings settings)
    {
        if (!RecordExists) throw new FleetOperationException("UNKNOWN_USER", $"There is no user {LoginName}.");
        if (settings.Codes.Any(string.IsNullOrWhiteSpace)) throw FleetInput.Invalid("INVALID_CODE", "codes", "An anomaly code cannot be empty.");
        State.Alerts = settings with { Codes = [.. settings.Codes.Distinct()] };
        await WriteStateAsync();
    }

    [ReadOnly]
    public Task<AlertSettings> AlertSettings() => Task.FromResult(State.Alerts);

    public async Task Alert(FleetAnomalyRaised anomaly)
    {
        if (!RecordExists || AccessEnded() || !State.Modules.Contains(FleetModule.PassAlert) || !State.CustomerNumbers.Contains(anomaly.CustomerNumber)) return;
        if (!State.Alerts.Email || !State.Alerts.Follows(anomaly.Code) || State.AlertedAnomalies.Contains(anomaly.AnomalyId)) return;
        State.AlertedAnomalies.Add(anomaly.AnomalyId);
        if (State.AlertedAnomalies.Count > RememberedAlerts) State.AlertedAnomalies.RemoveRange(0, State.AlertedAnomalies.Count - RememberedAlerts);
        RaiseEvent("AlertMailRequested", new AlertMailRequested(LoginName, State.Profile.Email, anomaly.AnomalyId, anomaly.CustomerNumber,
            anomaly.CardNumber, anomaly.Code, anomaly.Text, anomaly.Declined));
        await WriteStateAsync();
    }
}
