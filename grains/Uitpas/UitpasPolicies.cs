using Actors.Grains.Fleet;
using Actors.Rules;

namespace Actors.Grains.Uitpas;

/// <summary>
/// The UiTPAS policies, asked of the workflows in <c>rules/workflows/uitpas</c>; grains act on the answers and keep the
/// workflow version with each decision. Asking goes through the same catalog wrapper as Fleet's.
/// </summary>
public sealed class UitpasPolicies(WorkflowCatalog workflows)
{
    public const string Registration = "UitpasRegistration";
    public const string Price = "UitpasPrice";
    public const string Tariff = "UitpasTariff";
    public const string CheckIn = "UitpasCheckIn";
    public const string Redeem = "UitpasRedeem";

    private readonly FleetPolicies catalog = new(workflows);

    public ValueTask<FleetPolicies.Answer> Ask(string workflow, params ReadOnlySpan<(string Name, object Value)> inputs) => catalog.Ask(workflow, inputs);

    /// <summary>The first failed rule that carries a <c>Code</c>, in the workflow's order: the reason UiTPAS gives.</summary>
    public static (string Code, string? Field, string Message)? FirstRefusal(FleetPolicies.Answer answer)
    {
        foreach (var result in answer.Results.Where(r => !r.IsSuccess))
        {
            var properties = result.Rule.Properties ?? [];
            if (properties.GetValueOrDefault("Code")?.ToString() is not { } code) continue;
            return (code, properties.GetValueOrDefault("Field")?.ToString(), result.ExceptionMessage);
        }
        return null;
    }

    /// <summary>Throws the first refusal: as bad input when the rule names a field, else as a refusal.</summary>
    public static void ThrowFirstRefusal(FleetPolicies.Answer answer)
    {
        if (FirstRefusal(answer) is not { } refusal) return;
        if (refusal.Field is { } field) throw new UitpasValidationException(refusal.Code, field, refusal.Message);
        throw new UitpasRefusedException(refusal.Code, refusal.Message);
    }
}
