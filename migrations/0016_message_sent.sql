-- A message (email or SMS) sent to a customer without a phone is logged like a call: outcome 'message_sent'.
-- SQLite cannot widen a CHECK in place: the calls table is rebuilt, every row copied with its id. Dropping
-- the old table sets promises.call_id to NULL (ON DELETE SET NULL, foreign keys are on), so the links are
-- kept aside first and written back after; the indexes are made again.
CREATE TABLE calls_new (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    called_at    TEXT NOT NULL,
    outcome      TEXT NOT NULL
                 CHECK (outcome IN ('no_answer', 'will_return', 'not_interested', 'call_later', 'wrong_number',
                                    'welcomed', 'other', 'message_sent')),
    reason       TEXT,                        -- forgot, delivery, prices, moved, let_down, compensation, first_purchase, other
    offer        TEXT,
    note         TEXT,
    callback_on  TEXT,                        -- date the owner asked to call again
    list_date    TEXT                         -- the "as of" day of the list the call came from
) STRICT;

INSERT INTO calls_new (id, customer_id, called_at, outcome, reason, offer, note, callback_on, list_date)
SELECT id, customer_id, called_at, outcome, reason, offer, note, callback_on, list_date FROM calls;

CREATE TEMP TABLE promise_calls AS SELECT id, call_id FROM promises WHERE call_id IS NOT NULL;

DROP TABLE calls;

ALTER TABLE calls_new RENAME TO calls;

UPDATE promises SET call_id = (SELECT p.call_id FROM temp.promise_calls p WHERE p.id = promises.id)
WHERE id IN (SELECT id FROM temp.promise_calls);

DROP TABLE temp.promise_calls;

CREATE INDEX calls_customer ON calls(customer_id, called_at);
CREATE INDEX calls_called_at ON calls(called_at);
