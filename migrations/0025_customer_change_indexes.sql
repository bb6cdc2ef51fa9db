-- Issue 19: every command that shows the figures or the call list first asks whether anything changed
-- (shopkeep.store.analytics.fingerprint and orders_key, shopkeep.store.calls.list_signature): the newest change
-- to a customer, and how many customers are forgotten or asked not to be called. Each was a pass over every
-- customer (15-20 ms at 100k customers, five of them in a `shopkeep calls`); these indexes answer at once.
-- The second holds only the few customers set apart.
CREATE INDEX customers_updated_at ON customers(updated_at);
CREATE INDEX customers_set_apart ON customers(forgotten_at, do_not_call) WHERE forgotten_at IS NOT NULL OR do_not_call = 1;
