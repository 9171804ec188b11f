-- Authorizations (issue 6): one row per answered request, approved or declined, written by the card grain with its
-- counters in one transaction. The daily follow-up searches them per customer.
CREATE TABLE fleet_transactions (
    transaction_id  text PRIMARY KEY,
    customer_number text NOT NULL,
    card_number     text NOT NULL,
    division        text,
    driver_name     text,
    plate           text,
    station_id      text NOT NULL,
    country         text NOT NULL,
    product         text NOT NULL,
    quantity        numeric NOT NULL,
    amount          numeric NOT NULL,
    odometer        int,
    outcome         text NOT NULL,          -- Approved, Declined
    reason_codes    text[] NOT NULL,
    text            text NOT NULL,
    at              timestamptz NOT NULL,
    day             date NOT NULL           -- Brussels calendar
);
CREATE INDEX fleet_transactions_customer_day ON fleet_transactions (customer_number, day, at);
CREATE INDEX fleet_transactions_card ON fleet_transactions (card_number, at);

-- Anomalies (PASSalert): one row per broken limit or control, declined or only notified.
CREATE TABLE fleet_anomalies (
    anomaly_id      text PRIMARY KEY,
    transaction_id  text NOT NULL,
    customer_number text NOT NULL,
    card_number     text NOT NULL,
    division        text,
    code            text NOT NULL,
    text            text NOT NULL,
    declined        boolean NOT NULL,
    station_id      text NOT NULL,
    country         text NOT NULL,
    product         text NOT NULL,
    quantity        numeric NOT NULL,
    amount          numeric NOT NULL,
    at              timestamptz NOT NULL,
    day             date NOT NULL
);
CREATE INDEX fleet_anomalies_customer_day ON fleet_anomalies (customer_number, day, at);
