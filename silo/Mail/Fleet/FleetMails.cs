using System.Globalization;
using System.Text.Json;
using Actors.Grains.Fleet;
using Actors.Postgres.Events;
using Actors.Postgres.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Mail.Fleet;

/// <summary>
/// CardsOnline's mails, in the user's language (Dutch, French or English): the invitation of a new user and the notice
/// of a changed profile (fiche 10), PASSalert's anomalies (fiche 02), a new invoice (fiche 11), the renewal notice
/// three months before expiry and the reminder on the update's last day (fiche 12). Each carries the portal link.
/// </summary>
public sealed class FleetMails(MailOptions options, IGrainFactory grains, NpgsqlDataSource dataSource) : IMailTemplates
{
    public string Program => "fleet";

    private string Portal => options.Portal(Program);

    public async ValueTask<IReadOnlyList<ComposedMail>> Compose(GrainEvent e, CancellationToken cancellation)
    {
        if (e.Grain.Type == "fleet.user") return User(e.Type, e.Payload) is { } mail ? [mail] : [];
        if (e.Type == "RenewalDecided") return await Renewal(e.Payload.Deserialize<RenewalDecided>(GrainJson.Options)!, cancellation);
        if (e.Type == "RenewalReminder") return await Reminder(e.Payload.Deserialize<RenewalReminder>(GrainJson.Options)!, cancellation);
        return [];
    }

    private ComposedMail? User(string type, JsonElement payload) => type switch
    {
        "AlertMailRequested" => Alert(payload.Deserialize<AlertMailRequested>(GrainJson.Options)!),
        "InvoiceMailRequested" => Invoice(payload.Deserialize<InvoiceMailRequested>(GrainJson.Options)!),
        "UserCreated" => Invitation(payload.Deserialize<UserProfileChanged>(GrainJson.Options)!),
        "UserProfileChanged" => ProfileChanged(payload.Deserialize<UserProfileChanged>(GrainJson.Options)!),
        _ => null,
    };

    /// <summary>Fiche 02 (PASSalert): a use that departs from the card's configuration, declined or only reported.</summary>
    private ComposedMail Alert(AlertMailRequested alert)
    {
        var l = MailLanguages.FromCode(alert.Language);
        var subject = l.Pick($"PASSalert: anomalie {alert.Code} op kaart {alert.CardNumber}",
            $"PASSalert : anomalie {alert.Code} sur la carte {alert.CardNumber}",
            $"PASSalert: anomaly {alert.Code} on card {alert.CardNumber}");
        var outcome = alert.Declined
            ? l.Pick("De transactie werd geweigerd.", "La transaction a été refusée.", "The transaction was declined.")
            : l.Pick("De transactie werd toegestaan; de kaart is niet geblokkeerd.", "La transaction a été acceptée ; la carte n'est pas bloquée.",
                "The transaction was approved; the card is not blocked.");
        return new("AnomalyAlert", new MailRecipient(alert.Email, l), subject, Body(l,
            [l.Pick("Er werd een gebruik vastgesteld dat afwijkt van de configuratie van uw kaart.",
                 "Une utilisation qui s'écarte de la configuration de votre carte a été constatée.",
                 "A use departing from your card's configuration was detected."), alert.Text, outcome,
             l.Pick("U kunt de kaart in het portaal blokkeren.", "Vous pouvez bloquer la carte dans le portail.", "You can block the card in the portal.")],
            [new(l.Pick("Kaart", "Carte", "Card"), alert.CardNumber), new(l.Pick("Klantennummer", "Numéro de client", "Customer number"), alert.CustomerNumber),
             new(l.Pick("Code", "Code", "Code"), alert.Code)]));
    }

    /// <summary>Fiche 11: every selected user gets a mail with a link to the platform when a new invoice is available.</summary>
    private ComposedMail Invoice(InvoiceMailRequested invoice)
    {
        var l = MailLanguages.FromCode(invoice.Language);
        var subject = l.Pick($"Nieuwe factuur {invoice.Number} beschikbaar", $"Nouvelle facture {invoice.Number} disponible",
            $"New invoice {invoice.Number} available");
        return new("InvoiceAvailable", new MailRecipient(invoice.Email, l), subject, Body(l,
            [l.Pick("Er is een nieuwe factuur beschikbaar in Mijn facturen.", "Une nouvelle facture est disponible dans Mes factures.",
                 "A new invoice is available in My invoices."),
             l.Pick("Om veiligheidsredenen worden uw login en paswoord opnieuw gevraagd.", "Pour des raisons de sécurité, votre identifiant et votre mot de passe vous seront redemandés.",
                 "For security, your login and password are asked again.")],
            [new(l.Pick("Factuur", "Facture", "Invoice"), invoice.Number), new(l.Pick("Maand", "Mois", "Month"), invoice.Month),
             new(l.Pick("Klantennummer", "Numéro de client", "Customer number"), invoice.CustomerNumber),
             new(l.Pick("Totaal", "Total", "Total"), Euro(invoice.Total, l))]));
    }

    /// <summary>Fiche 10: a new user gets a confirmation mail inviting them to sign in; access is active at once.</summary>
    private ComposedMail Invitation(UserProfileChanged user)
    {
        var l = MailLanguages.FromCode(user.Language);
        return new("Invitation", new MailRecipient(user.Email, l),
            l.Pick("Uw toegang tot CardsOnline", "Votre accès à CardsOnline", "Your access to CardsOnline"), Body(l,
            [l.Pick("Er werd een gebruiker voor u aangemaakt op CardsOnline; uw toegang is onmiddellijk actief.",
                 "Un utilisateur a été créé pour vous sur CardsOnline ; votre accès est immédiatement actif.",
                 "A user was created for you on CardsOnline; your access is active at once."),
             l.Pick("Bij uw eerste aanmelding geeft u NAAM, VOORNAAM en telefoonnummer op exact dezelfde manier in als bij de aanmaak.",
                 "Lors de votre première connexion, saisissez NOM, PRÉNOM et numéro de téléphone exactement comme à la création.",
                 "When you first sign in, enter your NAME, FIRST NAME and phone number exactly as they were registered.")],
            [new(l.Pick("Gebruikersnaam", "Identifiant", "Login"), user.Login)]));
    }

    /// <summary>Fiche 10: users are told by mail when their profile is changed.</summary>
    private ComposedMail ProfileChanged(UserProfileChanged user)
    {
        var l = MailLanguages.FromCode(user.Language);
        return new("ProfileChanged", new MailRecipient(user.Email, l),
            l.Pick("Uw profiel op CardsOnline werd gewijzigd", "Votre profil CardsOnline a été modifié", "Your CardsOnline profile was changed"), Body(l,
            [l.Pick("Volgende gegevens van uw profiel werden gewijzigd:", "Les données suivantes de votre profil ont été modifiées :",
                 "The following details of your profile were changed:") + " " + string.Join(", ", user.Changed.Select(c => Field(c, l))),
             l.Pick("Herkent u deze wijziging niet? Neem dan contact op met uw fleet manager.",
                 "Vous ne reconnaissez pas ce changement ? Contactez votre gestionnaire de flotte.",
                 "Do you not recognise this change? Contact your fleet manager.")],
            [new(l.Pick("Gebruikersnaam", "Identifiant", "Login"), user.Login)]));
    }

    /// <summary>
    /// Fiche 12: three months before expiry the fleet manager is told the card will be renewed with the same configuration
    /// unless they act, or, for a card unused for three months, that it will not be renewed unless asked for in the
    /// portal. Composed from the renewal decision, raised with the notice, so the mail can say which.
    /// </summary>
    private async Task<IReadOnlyList<ComposedMail>> Renewal(RenewalDecided renewal, CancellationToken cancellation)
    {
        if (renewal.Decision is not (nameof(CardStatus.RenewalCandidate) or nameof(CardStatus.Cancelled))) return [];
        return await ToManagers(renewal.CustomerNumber, cancellation, (user, l) =>
        {
            var expiry = renewal.Expiry.ToString("d MMMM yyyy", Culture(l));
            var what = renewal.Decision == nameof(CardStatus.RenewalCandidate)
                ? l.Pick("Zonder tegenbericht wordt de kaart met exact dezelfde configuratie opnieuw bezorgd. U kunt de configuratie tot één maand voor de vervaldatum in het portaal aanpassen.",
                    "Sans réaction de votre part, la carte sera renouvelée avec exactement la même configuration. Vous pouvez modifier la configuration dans le portail jusqu'à un mois avant l'échéance.",
                    "Unless you act, the card is renewed with exactly the same configuration. You can change its configuration in the portal until one month before expiry.")
                : l.Pick("De kaart werd de voorbije 3 maanden niet gebruikt en wordt niet automatisch vernieuwd. Wenst u ze toch te vernieuwen, kies dan Vernieuwen in het portaal.",
                    "La carte n'a pas été utilisée ces 3 derniers mois et ne sera pas renouvelée automatiquement. Pour la renouveler malgré tout, choisissez Renouveler dans le portail.",
                    "The card was not used in the last 3 months and is not renewed automatically. To renew it anyway, choose Renew in the portal.");
            return new ComposedMail("RenewalNotice", Manager(user, l),
                l.Pick($"Uw kaart {renewal.CardNumber} vervalt op {expiry}", $"Votre carte {renewal.CardNumber} expire le {expiry}",
                    $"Your card {renewal.CardNumber} expires on {expiry}"),
                Body(l, [what], [new(l.Pick("Kaart", "Carte", "Card"), renewal.CardNumber), new(l.Pick("Vervaldatum", "Échéance", "Expiry"), expiry),
                    new(l.Pick("Klantennummer", "Numéro de client", "Customer number"), renewal.CustomerNumber)]));
        });
    }

    /// <summary>Fiche 12's 31 January reminder: on the update's last day, what will happen to the card unless the fleet manager acts today.</summary>
    private async Task<IReadOnlyList<ComposedMail>> Reminder(RenewalReminder reminder, CancellationToken cancellation) =>
        await ToManagers(reminder.CustomerNumber, cancellation, (user, l) =>
        {
            var lastDay = reminder.LastDay.ToString("d MMMM yyyy", Culture(l));
            var what = reminder.Status == CardStatus.RenewalCandidate
                ? l.Pick("Vandaag is de laatste dag om de configuratie van de kaart aan te passen of de vernieuwing te annuleren; daarna wordt ze vernieuwd zoals ze is.",
                    "Aujourd'hui est le dernier jour pour modifier la configuration de la carte ou annuler son renouvellement ; ensuite elle sera renouvelée telle quelle.",
                    "Today is the last day to change the card's configuration or cancel its renewal; after today it is renewed as it is.")
                : l.Pick("De kaart wordt niet vernieuwd. Vandaag is de laatste dag om in het portaal Vernieuwen te kiezen.",
                    "La carte ne sera pas renouvelée. Aujourd'hui est le dernier jour pour choisir Renouveler dans le portail.",
                    "The card will not be renewed. Today is the last day to choose Renew in the portal.");
            return new ComposedMail("RenewalReminder", Manager(user, l),
                l.Pick($"Herinnering: vernieuwing van kaart {reminder.CardNumber}", $"Rappel : renouvellement de la carte {reminder.CardNumber}",
                    $"Reminder: renewal of card {reminder.CardNumber}"),
                Body(l, [what], [new(l.Pick("Kaart", "Carte", "Card"), reminder.CardNumber),
                    new(l.Pick("Laatste dag", "Dernier jour", "Last day"), lastDay),
                    new(l.Pick("Klantennummer", "Numéro de client", "Customer number"), reminder.CustomerNumber)]));
        });

    private static MailRecipient Manager(UserView user, MailLanguage l) => new(user.Profile.Email, l, $"{user.Profile.FirstName} {user.Profile.Name}");

    /// <summary>One mail per active fleet manager of the customer, in each one's language.</summary>
    private async Task<IReadOnlyList<ComposedMail>> ToManagers(string customerNumber, CancellationToken cancellation, Func<UserView, MailLanguage, ComposedMail> compose)
    {
        var mails = new List<ComposedMail>();
        foreach (var login in await Managers(customerNumber, cancellation))
            if (await grains.GetGrain<IUserGrain>(login).Get() is { Status: UserStatus.Active } user)
                mails.Add(compose(user, MailLanguages.FromCode(user.Profile.Language)));
        return mails;
    }

    /// <summary>The fleet managers of a customer: its active users who manage cards (fiche 12's "ter attentie van de Fleet Manager").</summary>
    private async Task<List<string>> Managers(string customerNumber, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT login FROM fleet_users WHERE customer_numbers @> ARRAY[$1]::text[] AND $2 = ANY(modules) AND status = 'Active' ORDER BY login");
        command.Parameters.Add(new NpgsqlParameter { Value = customerNumber, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = nameof(FleetModule.MyCardsAndObus), NpgsqlDbType = NpgsqlDbType.Text });
        var logins = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) logins.Add(reader.GetString(0));
        return logins;
    }

    private MailBody Body(MailLanguage l, IReadOnlyList<string> paragraphs, IReadOnlyList<MailFact> facts) => new(
        l.Pick("Beste,", "Madame, Monsieur,", "Hello,"), paragraphs, facts,
        new MailLink(l.Pick("Naar CardsOnline", "Vers CardsOnline", "Go to CardsOnline"), Portal),
        l.Pick("Met vriendelijke groeten, CardsOnline", "Meilleures salutations, CardsOnline", "Kind regards, CardsOnline"));

    private static string Field(string field, MailLanguage l) => field switch
    {
        "name" => l.Pick("naam", "nom", "name"),
        "firstName" => l.Pick("voornaam", "prénom", "first name"),
        "email" => l.Pick("e-mail", "e-mail", "e-mail"),
        "phone" => l.Pick("telefoonnummer", "numéro de téléphone", "phone number"),
        "language" => l.Pick("taal", "langue", "language"),
        "rights" => l.Pick("rechten", "droits", "rights"),
        _ => field,
    };

    private static CultureInfo Culture(MailLanguage l) => CultureInfo.GetCultureInfo(l.Pick("nl-BE", "fr-BE", "en-GB"));

    private static string Euro(decimal amount, MailLanguage l) => "€ " + amount.ToString("N2", Culture(l));
}
