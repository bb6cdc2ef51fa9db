-- Issue 19: the orders grouped per customer (shopkeep.store.analytics.order_columns) are kept, so that a
-- command run later (another day's `calls`, `export customers`, the app) does not read every order again.
-- One row: the columns of the latest computation, with what they were read from (the orders' count, last id
-- and last change; the as-of day; the shop currency). Read back only while all of that still holds and no
-- order falls between that day and the day asked for; anything else recomputes and replaces the row.
CREATE TABLE retention_columns (
    slot        INTEGER PRIMARY KEY CHECK (slot = 1),
    orders_key  TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    currency    TEXT NOT NULL,
    months      TEXT NOT NULL,
    built_at    TEXT NOT NULL,
    data        BLOB NOT NULL
) STRICT;
