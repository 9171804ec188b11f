-- Monthly invoices (fiche 11), written by the invoice grain; searched per customer by status and number.
CREATE TABLE fleet_invoices (
    number          text PRIMARY KEY,
    customer_number text NOT NULL,
    month           text NOT NULL,          -- yyyy-MM
    status          text NOT NULL,          -- Open, Issued
    total           numeric NOT NULL,
    lines           int NOT NULL,
    issued_at       timestamptz,
    downloads       int NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX fleet_invoices_customer ON fleet_invoices (customer_number, month DESC);
