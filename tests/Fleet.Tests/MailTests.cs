using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MimeKit;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// Mail from the outbox to a real SMTP server: the invitation and profile notice (fiche 10), PASSalert (fiche 02),
/// new invoices (fiche 11) and the renewal notice (fiche 12), each once per event and recipient, through a mail
/// server that goes away and a dispatching host that restarts.
/// </summary>
public sealed class MailTests : IAsyncLifetime
{
    private TestSmtp smtp = null!;

    public Task InitializeAsync()
    {
        smtp = TestSmtp.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    private static string Kind(MimeMessage m) => m.Headers["X-Mail-Kind"] ?? "";
    private static string To(MimeMessage m) => m.To.Mailboxes.Single().Address;

    private static Task CreateUser(FleetHarness fleet, string login, string email, string? language = null, params string[] customers) =>
        fleet.Grain<IUserGrain>(login).Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", email, "0470123456", language), Enum.GetValues<FleetModule>(), customers, null, "Fleet#2026"));

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_new_user_is_invited_and_told_of_profile_changes_in_their_language_with_the_portal_link()
    {
        await using var server = await FleetServer.Start("mailinvite", smtp.Configuration());
        await CreateUser(server.Fleet, "sofie", "sofie@acme.be");
        await CreateUser(server.Fleet, "chloe", "chloe@acme.be", "fr");
        var invitations = await smtp.WaitFor(2);
        var dutch = Assert.Single(invitations, m => To(m) == "sofie@acme.be");
        Assert.Equal("fleet/Invitation", Kind(dutch));
        Assert.Equal("Uw toegang tot CardsOnline", dutch.Subject);
        Assert.Contains("sofie", dutch.TextBody);
        Assert.Contains("NAAM, VOORNAAM en telefoonnummer", dutch.TextBody);
        Assert.Contains("https://cardsonline.test/", dutch.TextBody);
        Assert.Contains("href=\"https://cardsonline.test/\"", dutch.HtmlBody);
        Assert.Equal("cardsonline@fleet.test", dutch.From.Mailboxes.Single().Address);
        Assert.Equal("Votre accès à CardsOnline", Assert.Single(invitations, m => To(m) == "chloe@acme.be").Subject);

        await server.Fleet.Grain<IUserGrain>("chloe").ChangeProfile(new UserProfile("VERSTRAETEN", "CHLOE", "chloe@acme.be", "0470123456", "en"));
        var changed = (await smtp.Exactly(3))[2];
        Assert.Equal(("chloe@acme.be", "fleet/ProfileChanged", "Your CardsOnline profile was changed"), (To(changed), Kind(changed), changed.Subject));
        Assert.Contains("first name, language", changed.TextBody);
        Assert.Equal(3, smtp.Received.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_user_chooses_the_language_of_their_mails_through_the_api()
    {
        await using var server = await FleetServer.Start("maillanguage", smtp.Configuration());
        await CreateUser(server.Fleet, "sofie", "sofie@acme.be");
        await smtp.WaitFor(1);
        var token = (await server.Data("mutation { login(login: \"sofie\", password: \"Fleet#2026\") { token } }")).GetProperty("login").GetProperty("token").GetString();
        const string Change = "mutation($p: UserProfileInput!) { changeMyProfile(profile: $p) { profile { language } } }";
        var refused = await server.Post(Change, new { p = new { name = "VERSTRAETEN", firstName = "SOFIE", email = "sofie@acme.be", phone = "0470123456", language = "de" } }, token);
        Assert.Contains("INVALID_LANGUAGE", refused.ToString());
        var changed = await server.Data(Change, new { p = new { name = "VERSTRAETEN", firstName = "SOFIE", email = "sofie@acme.be", phone = "0470123456", language = "fr" } }, token);
        Assert.Equal("fr", changed.GetProperty("changeMyProfile").GetProperty("profile").GetProperty("language").GetString());
        var notice = (await smtp.Exactly(2))[1];
        Assert.Equal("Votre profil CardsOnline a été modifié", notice.Subject);
        Assert.Contains("langue", notice.TextBody);
        Assert.Contains("Content-Language: fr", notice.ToString());   // MimeKit's parser files it under the body's headers
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Anomaly_alerts_and_the_new_invoice_notice_reach_the_users_who_follow_them()
    {
        await using var server = await FleetServer.Start("mailalert", smtp.Configuration());
        var customer = await Sample.RegisterCustomer(server.Fleet);
        var card = await Sample.ActiveCard(server.Fleet, customer);
        await CreateUser(server.Fleet, "manager", "sofie@acme.be", "nl", Sample.Customer);
        await CreateUser(server.Fleet, "watcher", "wim@acme.be", "fr", Sample.Customer);
        await smtp.WaitFor(2);   // the invitations
        await server.Fleet.Grain<IUserGrain>("manager").ChangeAlertSettings(new AlertSettings(["*"], Push: false, Email: true, InvoiceMail: true));
        await server.Fleet.Grain<IUserGrain>("watcher").ChangeAlertSettings(new AlertSettings(["DAY_AMOUNT_LIMIT"], Push: false, Email: true));
        var network = server.Services.GetRequiredService<FleetTokens>().IssueStationNetwork("station-network-be");
        object Fill(decimal amount, string key) => new
        {
            cardNumber = card, rank = 1, pinCorrect = true, product = "Diesel", quantity = 40, amount, odometer = 150_000, idempotencyKey = key,
            station = new { id = "BE-0001", country = "BE", timeZone = "Europe/Brussels" },
        };
        const string Authorize = "mutation($r: AuthorizationRequestInput!) { authorize(request: $r) { outcome } }";
        await server.Data(Authorize, new { r = Fill(200, "a1") }, network);
        Assert.Equal("DECLINED", (await server.Data(Authorize, new { r = Fill(150, "a2") }, network)).GetProperty("authorize").GetProperty("outcome").GetString());

        var alerts = (await smtp.WaitFor(4)).Where(m => Kind(m) == "fleet/AnomalyAlert").ToList();
        Assert.Equal(["sofie@acme.be", "wim@acme.be"], alerts.Select(To).Order());
        var dutch = alerts.Single(m => To(m) == "sofie@acme.be");
        Assert.Equal($"PASSalert: anomalie DAY_AMOUNT_LIMIT op kaart {card}", dutch.Subject);
        Assert.Contains("De transactie werd geweigerd.", dutch.TextBody);
        Assert.Contains(Sample.Customer, dutch.TextBody);
        Assert.Equal($"PASSalert : anomalie DAY_AMOUNT_LIMIT sur la carte {card}", alerts.Single(m => To(m) == "wim@acme.be").Subject);

        await server.Fleet.AdvanceTo(Instant.FromUtc(2026, 2, 2, 0, 0));   // 2 February 01:00 in Brussels: January is issued
        var invoice = Assert.Single(await smtp.WaitFor(5), m => Kind(m) == "fleet/InvoiceAvailable");
        Assert.Equal("sofie@acme.be", To(invoice));   // the watcher did not ask for invoice mails
        Assert.Equal($"Nieuwe factuur {Sample.Customer}-202601 beschikbaar", invoice.Subject);
        Assert.Contains("€ 200,00", invoice.TextBody);
        Assert.Contains("2026-01", invoice.HtmlBody);
        await smtp.Exactly(5);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_fleet_manager_is_told_three_months_before_expiry_whether_the_card_is_renewed_and_reminded_on_the_last_day()
    {
        await using var server = await FleetServer.Start("mailrenewal", smtp.Configuration());
        var customer = await Sample.RegisterCustomer(server.Fleet);
        var card = await Sample.ActiveCard(server.Fleet, customer);
        await CreateUser(server.Fleet, "manager", "sofie@acme.be", "en", Sample.Customer);
        await smtp.WaitFor(1);
        await server.Fleet.Grain<ICardGrain>(card).RecordUse(new LocalDate(2026, 2, 1));   // then unused: cancelled at the notice
        await server.Fleet.AdvanceTo(FleetCalendar.StartOf(new LocalDate(2029, 10, 31)));
        var notice = Assert.Single(await smtp.WaitFor(2), m => Kind(m) == "fleet/RenewalNotice");
        Assert.Equal($"Your card {card} expires on 31 January 2030", notice.Subject);
        Assert.Contains("not used in the last 3 months", notice.TextBody);
        Assert.Equal("SOFIE VERSTRAETEN", notice.To.Mailboxes.Single().Name);

        // The update ends with November (edits close on 1 December for a January expiry): the reminder comes on its last day, once.
        await server.Fleet.AdvanceTo(FleetCalendar.StartOf(new LocalDate(2029, 11, 30)) - Duration.FromMinutes(1));
        await smtp.Exactly(2);
        await server.Fleet.AdvanceTo(FleetCalendar.StartOf(new LocalDate(2029, 12, 2)));
        var reminder = Assert.Single(await smtp.Exactly(3), m => Kind(m) == "fleet/RenewalReminder");
        Assert.Equal($"Reminder: renewal of card {card}", reminder.Subject);
        Assert.Contains("30 November 2029", reminder.TextBody);
        Assert.Contains("Today is the last day to choose Renew", reminder.TextBody);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_mail_arrives_once_when_the_mail_server_goes_away_mid_stream_and_returns()
    {
        await using var server = await FleetServer.Start("mailoutage", smtp.Configuration());
        for (var i = 0; i < 5; i++) await CreateUser(server.Fleet, $"before{i}", $"before{i}@acme.be");
        await smtp.WaitFor(5);

        await smtp.Stop();
        for (var i = 0; i < 5; i++) await CreateUser(server.Fleet, $"during{i}", $"during{i}@acme.be");
        await Until(async () => await server.Fleet.Scalar<long>("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND attempts > 1 AND last_error IS NOT NULL") == 5);
        var health = await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(5L, health.Entries["mail"].Data["waiting"]);

        smtp.Resume();
        for (var i = 0; i < 5; i++) await CreateUser(server.Fleet, $"after{i}", $"after{i}@acme.be");
        var received = await smtp.Exactly(15);
        Assert.Equal(15, received.Select(To).Distinct().Count());
        Assert.Equal(15, received.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(0L, await server.Fleet.Scalar<long>("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_mail_arrives_once_when_the_dispatching_host_restarts_in_the_middle()
    {
        var server = await FleetServer.Start("mailrestart", smtp.Configuration());
        try
        {
            for (var i = 0; i < 4; i++) await CreateUser(server.Fleet, $"first{i}", $"first{i}@acme.be");
            await smtp.WaitFor(2);   // some are out, the rest may be queued or still in the log
            server = await server.Restart(async fleet =>
            {
                for (var i = 0; i < 4; i++) await CreateUser(fleet, $"down{i}", $"down{i}@acme.be");
            });
            for (var i = 0; i < 4; i++) await CreateUser(server.Fleet, $"back{i}", $"back{i}@acme.be");
            var received = await smtp.Exactly(12);
            Assert.Equal(12, received.Select(To).Distinct().Count());
            Assert.Equal(12, await server.Fleet.Scalar<long>("SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_mail_the_server_never_takes_is_kept_with_its_last_error_and_counted_on_health()
    {
        await smtp.Stop();
        await using var server = await FleetServer.Start("mailfailed", smtp.Configuration(maxAttempts: 3));
        await CreateUser(server.Fleet, "sofie", "sofie@acme.be");
        await Until(async () => await server.Fleet.Scalar<long>("SELECT count(*) FROM mail_outbox WHERE failed_at IS NOT NULL") == 1);
        Assert.Equal(3, await server.Fleet.Scalar<int>("SELECT attempts FROM mail_outbox"));
        Assert.False(string.IsNullOrEmpty(await server.Fleet.Scalar<string>("SELECT last_error FROM mail_outbox")));
        var mail = (await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["mail"];
        Assert.Equal(HealthStatus.Degraded, mail.Status);
        Assert.Equal(1L, mail.Data["failed"]);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Without_an_smtp_server_each_mail_is_an_eml_file()
    {
        var directory = Directory.CreateTempSubdirectory("mail-").FullName;
        await using var server = await FleetServer.Start("maileml", new Dictionary<string, string?> { ["Mail:Directory"] = directory, ["Mail:PollInterval"] = "00:00:00.05" });
        await CreateUser(server.Fleet, "sofie", "sofie@acme.be");
        await Until(() => Task.FromResult(Directory.GetFiles(directory, "*.eml").Length == 1));
        var message = await MimeMessage.LoadAsync(Directory.GetFiles(directory, "*.eml").Single());
        Assert.Equal("Uw toegang tot CardsOnline", message.Subject);
        Assert.IsType<MultipartAlternative>(message.Body);
        Assert.NotNull(message.TextBody);
        Assert.NotNull(message.HtmlBody);
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Polls a condition on the mail machinery (retries run on the wall clock), bounded.</summary>
    private static async Task Until(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail("The condition did not hold within 30 s");
    }
}
