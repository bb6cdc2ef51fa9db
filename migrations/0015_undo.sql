-- Undo is a compensating entry, never a delete of history: an undone call (an outcome, a wrong-number
-- mark) or note stays where it is and is listed here; the call list, the results, the call log and the
-- card leave it out. (Points are undone by a reversing entry in the loyalty ledger instead.)
CREATE TABLE undone (
    kind      TEXT NOT NULL CHECK (kind IN ('call', 'note')),
    target_id INTEGER NOT NULL,
    undone_at TEXT NOT NULL,
    PRIMARY KEY (kind, target_id)
) STRICT, WITHOUT ROWID;
