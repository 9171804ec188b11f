-- One row per message: written with the checkpoint of the event it came from, in one transaction, so each event's mails
-- are queued once; sent_at is set only after the SMTP server accepted the message. A crash between the two resends
-- with the same Message-Id, which lets the receiving side recognise the repeat.
CREATE TABLE mail_outbox (
    message_id      text PRIMARY KEY,
    program         text NOT NULL,
    kind            text NOT NULL,
    event_tx_id     xid8 NOT NULL,
    event_position  bigint NOT NULL,
    recipient       text NOT NULL,
    recipient_name  text NULL,
    language        text NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text NULL,
    sent_at         timestamptz NULL,
    failed_at       timestamptz NULL,
    UNIQUE (event_tx_id, event_position, recipient)
);
-- The deliverer's queue: what is neither sent nor given up, by when it is due.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
-- Operators look for the messages given up on.
CREATE INDEX mail_outbox_failed ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL;

-- Where the mail dispatcher is in the event log.
CREATE TABLE mail_checkpoints (
    name       text PRIMARY KEY,
    tx_id      xid8 NOT NULL,
    position   bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Mail starts with what happens after it is installed: the log before it is history, not news to send.
INSERT INTO mail_checkpoints (name, tx_id, position)
SELECT 'mail', tx_id, position FROM (
    (SELECT tx_id, position FROM grain_events ORDER BY tx_id DESC, position DESC LIMIT 1)
    UNION ALL SELECT '0'::xid8, 0) AS head
ORDER BY tx_id DESC, position DESC LIMIT 1;
