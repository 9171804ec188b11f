-- PASSango toll transactions (issue 6 item 5): one row per toll passage a toll charger reported, written by the OBU
-- grain with its state in one transaction. The toll charger's passage id is unique per OBU, so a retry rewrites its row.
CREATE TABLE fleet_toll_transactions (
    obu_number       text NOT NULL,
    passage_id       text NOT NULL,
    customer_number  text NOT NULL,
    product          text NOT NULL,          -- Passango, LiberT
    plate            text,
    division         text,
    toll_domain      text NOT NULL,          -- toll domain or road operator
    country          text NOT NULL,
    entry_point      text NOT NULL,          -- or the segment
    exit_point       text,
    distance_km      numeric NOT NULL,
    tariff_class     text NOT NULL,          -- as the toll charger applied it
    obu_tariff_class text NOT NULL,          -- the OBU's own, from its toll conditions
    amount           numeric NOT NULL,       -- EUR incl. VAT
    passed_at        timestamptz NOT NULL,
    day              date NOT NULL,          -- Brussels calendar of passed_at
    reported_by      text NOT NULL,          -- the network's token name
    recorded_at      timestamptz NOT NULL,
    CONSTRAINT fleet_toll_transactions_pkey PRIMARY KEY (obu_number, passage_id)
);
CREATE INDEX fleet_toll_transactions_customer_day ON fleet_toll_transactions (customer_number, day, passed_at);
