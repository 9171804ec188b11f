using System.Net;
using System.Text;

namespace Actors.Mail;

/// <summary>The languages a program writes its mails in; Dutch first, as the seeds are written in it.</summary>
public enum MailLanguage { Dutch, French, English }

/// <summary>Reads the language codes stored on profiles (<c>nl</c>, <c>fr</c>, <c>en</c>).</summary>
public static class MailLanguages
{
    /// <summary>The language of <paramref name="code"/>, Dutch when there is none or it is unknown.</summary>
    public static MailLanguage FromCode(string? code) => code?.Trim().ToLowerInvariant() switch
    {
        "fr" => MailLanguage.French,
        "en" => MailLanguage.English,
        _ => MailLanguage.Dutch,
    };

    public static string Code(this MailLanguage language) => language switch
    {
        MailLanguage.French => "fr",
        MailLanguage.English => "en",
        _ => "nl",
    };

    /// <summary>Picks the text of <paramref name="language"/>.</summary>
    public static string Pick(this MailLanguage language, string dutch, string french, string english) => language switch
    {
        MailLanguage.French => french,
        MailLanguage.English => english,
        _ => dutch,
    };
}

/// <summary>Who a mail goes to.</summary>
public sealed record MailRecipient(string Address, MailLanguage Language, string? Name = null);

/// <summary>
/// A mail a program's templates made of one event: what it is (<paramref name="Kind"/>, e.g. <c>AnomalyAlert</c>), to
/// whom, and its subject and bodies, plain text and HTML.
/// </summary>
public sealed record ComposedMail(string Kind, MailRecipient To, string Subject, MailBody Body);

/// <summary>A mail's content, written once and rendered both as plain text and as HTML.</summary>
/// <param name="Greeting">The opening line.</param>
/// <param name="Paragraphs">What the mail says, in order.</param>
/// <param name="Facts">Label and value pairs (card number, amount…), shown as a list.</param>
/// <param name="Link">The portal link and the words on it.</param>
/// <param name="Closing">The last line, the sender's name.</param>
public sealed record MailBody(string Greeting, IReadOnlyList<string> Paragraphs, IReadOnlyList<MailFact> Facts, MailLink Link, string Closing)
{
    public string Text()
    {
        var text = new StringBuilder().Append(Greeting).Append("\n\n");
        foreach (var paragraph in Paragraphs) text.Append(paragraph).Append("\n\n");
        foreach (var fact in Facts) text.Append("  ").Append(fact.Label).Append(": ").Append(fact.Value).Append('\n');
        if (Facts.Count > 0) text.Append('\n');
        text.Append(Link.Text).Append(": ").Append(Link.Url).Append("\n\n").Append(Closing).Append('\n');
        return text.ToString();
    }

    public string Html()
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append("<p>").Append(E(Greeting)).Append("</p>");
        foreach (var paragraph in Paragraphs) html.Append("<p>").Append(E(paragraph)).Append("</p>");
        if (Facts.Count > 0)
        {
            html.Append("<table>");
            foreach (var fact in Facts) html.Append("<tr><th align=\"left\">").Append(E(fact.Label)).Append("</th><td>").Append(E(fact.Value)).Append("</td></tr>");
            html.Append("</table>");
        }
        html.Append("<p><a href=\"").Append(E(Link.Url)).Append("\">").Append(E(Link.Text)).Append("</a></p>");
        html.Append("<p>").Append(E(Closing)).Append("</p></body></html>");
        return html.ToString();
    }
}

public sealed record MailFact(string Label, string Value);

public sealed record MailLink(string Text, string Url);

/// <summary>A queued message as the outbox keeps it.</summary>
public sealed record OutboxMessage(
    string MessageId, string Program, string Kind, string Recipient, string? RecipientName, string Language, string Subject,
    string Text, string Html, int Attempts);
