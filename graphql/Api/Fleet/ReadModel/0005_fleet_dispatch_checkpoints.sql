-- How far a dispatcher of the event log got (issue 6 item 4: alerts and invoice notices become mails once, even when
-- they were raised while no silo ran). Positions only move forward.
CREATE TABLE fleet_dispatch_checkpoints (
    name        text PRIMARY KEY,
    tx_id       xid8 NOT NULL,
    position    bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
