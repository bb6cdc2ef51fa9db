-- Numbers the owner found wrong (a call logged as "wrong number"). The number is taken off the customer,
-- and an import of an older export never fills it in again; a different number still can be.
CREATE TABLE wrong_phones (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    phone       TEXT NOT NULL,
    marked_at   TEXT NOT NULL,
    PRIMARY KEY (customer_id, phone)
) STRICT, WITHOUT ROWID;
