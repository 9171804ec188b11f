-- Fleet status (fiche 06): one row per card or OBU, written by the card and OBU grains with their state.
CREATE TABLE fleet_status (
    number          text PRIMARY KEY,
    customer_number text NOT NULL,
    product         text NOT NULL,          -- FleetCard, Passango, LiberT
    plate           text,
    holder_name     text,
    status          text NOT NULL,
    rank            int  NOT NULL,
    division        text,
    driver_name     text,
    last_used_on    date,
    expiry_date     date,
    pin_type        text,
    linked_number   text,
    settings        jsonb NOT NULL,         -- general info, limits and controls, for the export
    updated_at      timestamptz NOT NULL
);
-- Every search is within the customer numbers a user holds, so each index leads with the customer number.
CREATE INDEX fleet_status_customer_number ON fleet_status (customer_number, number);
CREATE INDEX fleet_status_customer_status ON fleet_status (customer_number, status);
CREATE INDEX fleet_status_customer_plate ON fleet_status (customer_number, plate text_pattern_ops);
CREATE INDEX fleet_status_customer_division ON fleet_status (customer_number, division);
CREATE INDEX fleet_status_customer_driver ON fleet_status (customer_number, driver_name);
CREATE INDEX fleet_status_customer_last_use ON fleet_status (customer_number, last_used_on);
CREATE INDEX fleet_status_customer_expiry ON fleet_status (customer_number, expiry_date);

-- My requests: orders of cards and OBUs and how far they are.
CREATE TABLE fleet_requests (
    request_id      text PRIMARY KEY,
    customer_number text NOT NULL,
    number          text NOT NULL,
    product         text NOT NULL,
    kind            text NOT NULL,
    status          text NOT NULL,
    requested_at    timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX fleet_requests_customer ON fleet_requests (customer_number, requested_at DESC);
CREATE INDEX fleet_requests_number ON fleet_requests (number);

-- Driver codes (fiche 13), searched per customer and division.
CREATE TABLE fleet_driver_codes (
    customer_number text NOT NULL,
    code            text NOT NULL,
    driver_name     text NOT NULL,
    division        text,
    status          text NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (customer_number, code)
);
CREATE INDEX fleet_driver_codes_division ON fleet_driver_codes (customer_number, division);

-- Users (fiche 10), listed per customer number they are granted.
CREATE TABLE fleet_users (
    login            text PRIMARY KEY,
    name             text NOT NULL,
    first_name       text NOT NULL,
    email            text NOT NULL,
    customer_numbers text[] NOT NULL,
    modules          text[] NOT NULL,
    valid_until      date,
    status           text NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX fleet_users_customers ON fleet_users USING gin (customer_numbers);
