-- Issue 19: the call list of a day is computed once and kept, so that the same day reuses it and the
-- look-back reads what the list was (instead of rebuilding it as of N days ago). One row per listed customer
-- (section 'call': the list in calling order; 'no_phone': would be called but have no phone), and one per
-- day with the counts left out and the signature of the data it was built from.
CREATE TABLE call_list_days (
    list_date    TEXT PRIMARY KEY,
    over_cap     INTEGER NOT NULL,
    do_not_call  INTEGER NOT NULL,
    signature    TEXT NOT NULL,
    built_at     TEXT NOT NULL
) STRICT;

CREATE TABLE call_lists (
    list_date    TEXT NOT NULL REFERENCES call_list_days(list_date) ON DELETE CASCADE,
    section      TEXT NOT NULL CHECK (section IN ('call', 'no_phone')),
    position     INTEGER NOT NULL,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    why          TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    promise_id   INTEGER,
    PRIMARY KEY (list_date, section, position)
) STRICT, WITHOUT ROWID;

-- The list leaves out customers whose latest order is placed but not paid yet: found among the few pending
-- orders through this index instead of a scan of every order.
CREATE INDEX orders_pending ON orders(customer_id, ordered_at) WHERE status = 'pending';
