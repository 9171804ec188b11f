using Actors.Postgres.Events;

namespace Actors.Mail;

/// <summary>
/// One program's mails: which events become mails, to whom, in which words. A template returns no mail for events that
/// are not its own; it must give the same mails for the same event, since an event may be read again after a restart.
/// </summary>
public interface IMailTemplates
{
    /// <summary>The program's name, kept with each message (<c>fleet</c>, <c>alfapass</c>, <c>uitpas</c>).</summary>
    string Program { get; }

    /// <summary>The mails one committed event asks for; none for most events.</summary>
    ValueTask<IReadOnlyList<ComposedMail>> Compose(GrainEvent e, CancellationToken cancellation);
}
