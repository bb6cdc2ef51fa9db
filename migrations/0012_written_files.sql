-- Erasure on request reaches every copy (issue 14): what `forget` needs to find and correct.

-- Every file shopkeep wrote for the owner outside the database: exports, rejects files, backups.
-- Recorded (by shopkeep.outputs) before the file is put in place, so no such file exists unlisted.
-- `forget` scrubs the backups still there and names the exports and rejects files that still hold the
-- person, for the owner to delete.
CREATE TABLE written_files (
    id         INTEGER PRIMARY KEY,
    path       TEXT NOT NULL,                 -- absolute
    kind       TEXT NOT NULL CHECK (kind IN ('export', 'rejects', 'backup')),
    what       TEXT,                          -- customers, calls, segments; the imported file's name for rejects
    written_at TEXT NOT NULL
) STRICT;
CREATE INDEX written_files_path ON written_files(path);

-- The loyalty ledger stays append-only; the one correction allowed is erasing text that names a person
-- (an erasure request): a row here, written first, says which entry, when, why and what its note became.
-- Amounts, reasons, references and dates of an entry never change; nor do these rows.
CREATE TABLE ledger_redactions (
    id          INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES loyalty_ledger(id),
    note_after  TEXT NOT NULL,                -- the entry's note once redacted ('[erased]' where text was)
    redacted_at TEXT NOT NULL,
    why         TEXT NOT NULL                 -- e.g. 'erasure request for customer #12'
) STRICT;
CREATE INDEX ledger_redactions_entry ON ledger_redactions(entry_id);

CREATE TRIGGER ledger_redactions_no_update
BEFORE UPDATE ON ledger_redactions
BEGIN
    SELECT RAISE(ABORT, 'ledger redactions are never changed');
END;

CREATE TRIGGER ledger_redactions_no_delete
BEFORE DELETE ON ledger_redactions
BEGIN
    SELECT RAISE(ABORT, 'ledger redactions are never deleted');
END;

DROP TRIGGER loyalty_ledger_no_update;

CREATE TRIGGER loyalty_ledger_no_update
BEFORE UPDATE ON loyalty_ledger
WHEN NOT (
    NEW.id = OLD.id
    AND NEW.customer_id = OLD.customer_id
    AND NEW.delta = OLD.delta
    AND NEW.reason = OLD.reason
    AND NEW.reference IS OLD.reference
    AND NEW.created_at = OLD.created_at
    AND NEW.idempotency_key IS OLD.idempotency_key
    AND EXISTS (SELECT 1 FROM ledger_redactions r WHERE r.entry_id = OLD.id AND r.note_after = NEW.note)
)
BEGIN
    SELECT RAISE(ABORT, 'loyalty ledger entries are never changed; add a reversing entry');
END;
