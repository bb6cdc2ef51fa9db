-- shopkeep schema, version 1: the whole product.
-- Money is INTEGER minor units (cents, kopecks, grosze) plus a 3-letter currency.
-- Dates are ISO 8601 text: 'YYYY-MM-DD' for days, 'YYYY-MM-DDTHH:MM:SS' (shop-local) for moments.
-- Applied once, inside one transaction, by shopkeep.store.migrate. Never edit: add 0002_... instead.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                      -- JSON
) STRICT;

-- One row per import run (also dry runs are not recorded).
CREATE TABLE imports (
    id                INTEGER PRIMARY KEY,
    file_name         TEXT NOT NULL,
    file_hash         TEXT NOT NULL,          -- sha256 of the file bytes
    format            TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    finished_at       TEXT,
    rows_read         INTEGER NOT NULL DEFAULT 0,
    orders_new        INTEGER NOT NULL DEFAULT 0,
    orders_known      INTEGER NOT NULL DEFAULT 0,
    orders_updated    INTEGER NOT NULL DEFAULT 0,
    customers_new     INTEGER NOT NULL DEFAULT 0,
    customers_matched INTEGER NOT NULL DEFAULT 0,
    guest_orders      INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Column mappings the owner gave once, remembered by the exact header set.
CREATE TABLE header_mappings (
    headers_key TEXT PRIMARY KEY,             -- sha256 of the normalised header list
    headers     TEXT NOT NULL,                -- JSON list, for humans
    mapping     TEXT NOT NULL,                -- JSON {canonical_field: header}
    format      TEXT,
    date_format TEXT,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    external_id    TEXT,                      -- the platform's customer id as imported (text, leading zeros kept)
    name           TEXT,
    first_name     TEXT,
    last_name      TEXT,
    email          TEXT,                      -- trimmed, lower-case
    phone          TEXT,                      -- E.164
    city           TEXT,
    country        TEXT,                      -- ISO 3166 alpha-2 where known
    referral_code  TEXT UNIQUE,               -- this customer's own code
    do_not_call    INTEGER NOT NULL DEFAULT 0 CHECK (do_not_call IN (0, 1)),
    language       TEXT,
    birthday       TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    forgotten_at   TEXT                       -- set by `shopkeep forget`: personal fields are NULL
) STRICT;
CREATE INDEX customers_email ON customers(email);
CREATE INDEX customers_phone ON customers(phone);
CREATE INDEX customers_external ON customers(external_id);

-- Identity keys: how a row in any file finds its customer.
-- kind: 'ext:<source>' (platform customer id), 'email', 'phone', 'name'
-- Forgotten customers keep hashed keys (kind 'forgotten:<kind>') so a re-import does not bring them back.
CREATE TABLE customer_keys (
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_keys_customer ON customer_keys(customer_id);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    source         TEXT NOT NULL,             -- platform preset name ('shopify', 'generic', ...)
    order_key      TEXT NOT NULL,             -- the platform's order id, or a stable content key
    order_number   TEXT,                      -- as shown to people ('#1042', 'C536379')
    customer_id    INTEGER REFERENCES customers(id) ON DELETE SET NULL,  -- NULL = guest order
    ordered_at     TEXT NOT NULL,             -- shop-local ISO datetime
    status         TEXT NOT NULL DEFAULT 'paid'
                   CHECK (status IN ('paid', 'pending', 'cancelled', 'refunded', 'voided', 'partially_refunded')),
    kind           TEXT NOT NULL DEFAULT 'order' CHECK (kind IN ('order', 'credit')),  -- credit = cancellation invoice
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    total          INTEGER NOT NULL,          -- gross, minor units; negative only for kind = 'credit'
    refunded       INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0),
    discount       INTEGER NOT NULL DEFAULT 0,
    shipping       INTEGER NOT NULL DEFAULT 0,
    discount_code  TEXT,
    city           TEXT,
    country        TEXT,
    referral_code  TEXT,                      -- the code the buyer used, if any
    import_id      INTEGER REFERENCES imports(id),
    content_hash   TEXT NOT NULL,             -- detects a changed order on re-import
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (source, order_key),
    CHECK ((kind = 'order' AND total >= 0) OR kind = 'credit')
) STRICT;
CREATE INDEX orders_customer ON orders(customer_id, ordered_at);
CREATE INDEX orders_ordered_at ON orders(ordered_at);

CREATE TABLE order_lines (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line_no     INTEGER NOT NULL,
    sku         TEXT,
    product     TEXT,
    quantity    REAL NOT NULL DEFAULT 1,      -- a count, not money: may be 0.5 kg
    unit_price  INTEGER,                      -- minor units
    line_total  INTEGER NOT NULL,             -- minor units
    UNIQUE (order_id, line_no)
) STRICT;

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX notes_customer ON notes(customer_id);

-- Call scripts per reason and language; the shipped defaults are seeded by the app, edits live here.
CREATE TABLE call_scripts (
    reason     TEXT NOT NULL,
    language   TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,                 -- JSON {opening, questions[], talking_points[], offers[]}
    updated_at TEXT NOT NULL,
    PRIMARY KEY (reason, language)
) STRICT;

-- Contact log.
CREATE TABLE calls (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    called_at    TEXT NOT NULL,
    outcome      TEXT NOT NULL
                 CHECK (outcome IN ('no_answer', 'will_return', 'not_interested', 'call_later', 'wrong_number', 'welcomed', 'other')),
    reason       TEXT,                        -- forgot, delivery, prices, moved, let_down, compensation, first_purchase, other
    offer        TEXT,
    note         TEXT,
    callback_on  TEXT,                        -- date the owner asked to call again
    list_date    TEXT                         -- the "as of" day of the list the call came from
) STRICT;
CREATE INDEX calls_customer ON calls(customer_id, called_at);
CREATE INDEX calls_called_at ON calls(called_at);

-- Compensation promised in a call: due by a date, closed when given.
CREATE TABLE promises (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    call_id     INTEGER REFERENCES calls(id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('refund', 'credit', 'bonus', 'other')),
    amount      INTEGER,                      -- minor units or points, by kind
    description TEXT,
    due_on      TEXT NOT NULL,
    closed_at   TEXT,
    closed_how  TEXT
) STRICT;
CREATE INDEX promises_open ON promises(due_on) WHERE closed_at IS NULL;

-- Loyalty points: append-only ledger; the balance is the sum of deltas and never negative.
CREATE TABLE loyalty_ledger (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers(id),
    delta           INTEGER NOT NULL CHECK (delta <> 0),
    reason          TEXT NOT NULL,            -- purchase, refund, review, follow, newsletter, birthday, bonus, apology, referral, redeem, expiry, adjust
    reference       TEXT,                     -- e.g. 'order:123'
    created_at      TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    note            TEXT
) STRICT;
CREATE INDEX loyalty_ledger_customer ON loyalty_ledger(customer_id);

CREATE TRIGGER loyalty_ledger_no_negative
BEFORE INSERT ON loyalty_ledger
WHEN NEW.delta < 0
 AND (SELECT coalesce(sum(delta), 0) FROM loyalty_ledger WHERE customer_id = NEW.customer_id) + NEW.delta < 0
BEGIN
    SELECT RAISE(ABORT, 'loyalty balance would become negative');
END;

CREATE TRIGGER loyalty_ledger_no_update
BEFORE UPDATE ON loyalty_ledger
BEGIN
    SELECT RAISE(ABORT, 'loyalty ledger entries are never changed; add a reversing entry');
END;

CREATE TRIGGER loyalty_ledger_no_delete
BEFORE DELETE ON loyalty_ledger
BEGIN
    SELECT RAISE(ABORT, 'loyalty ledger entries are never deleted; add a reversing entry');
END;

CREATE TABLE tier_changes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    from_tier   TEXT,
    to_tier     TEXT NOT NULL,
    changed_at  TEXT NOT NULL
) STRICT;
CREATE INDEX tier_changes_customer ON tier_changes(customer_id, changed_at);

CREATE TABLE referrals (
    id           INTEGER PRIMARY KEY,
    referrer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    referred_id  INTEGER NOT NULL UNIQUE REFERENCES customers(id) ON DELETE CASCADE,
    source       TEXT NOT NULL CHECK (source IN ('import', 'manual')),
    code         TEXT,
    created_at   TEXT NOT NULL,
    flag         TEXT,                        -- why it is not rewarded: self, same_phone, same_email, same_address
    rewarded_at  TEXT,
    CHECK (referrer_id <> referred_id)
) STRICT;
CREATE INDEX referrals_referrer ON referrals(referrer_id);
