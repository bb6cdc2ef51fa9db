-- Issue 19: the call list of a day is computed once and kept. Two versions a day: 'first', the list the owner
-- started the day with (fixed once anyone is called from it; the look-back reads it instead of rebuilding
-- the list as of N days ago), and 'latest', the last one built that day with the signature of the data it
-- was built from (read back while nothing changed). One row per listed customer (section 'call': the list
-- in calling order; 'no_phone': would be called but have no phone), one per version with the counts left out.
CREATE TABLE call_list_days (
    list_date    TEXT NOT NULL,
    version      TEXT NOT NULL CHECK (version IN ('first', 'latest')),
    over_cap     INTEGER NOT NULL,
    do_not_call  INTEGER NOT NULL,
    signature    TEXT NOT NULL,
    built_at     TEXT NOT NULL,
    PRIMARY KEY (list_date, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE call_lists (
    list_date    TEXT NOT NULL,
    version      TEXT NOT NULL,
    section      TEXT NOT NULL CHECK (section IN ('call', 'no_phone')),
    position     INTEGER NOT NULL,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    why          TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    promise_id   INTEGER,
    PRIMARY KEY (list_date, version, section, position),
    FOREIGN KEY (list_date, version) REFERENCES call_list_days(list_date, version) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- The list leaves out customers whose latest order is placed but not paid yet: found among the few pending
-- orders through this index instead of a scan of every order.
CREATE INDEX orders_pending ON orders(customer_id, ordered_at) WHERE status = 'pending';
