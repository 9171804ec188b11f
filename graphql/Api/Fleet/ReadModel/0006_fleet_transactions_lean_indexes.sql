-- Every authorization inserts a fleet_transactions row, and each index on it costs that insert a B-tree descent, a
-- page write and WAL. No query reads transactions by card (the follow-up and the monthly report filter by customer
-- and day), so the card index goes; add it back with the query that needs it.
DROP INDEX IF EXISTS fleet_transactions_card;
