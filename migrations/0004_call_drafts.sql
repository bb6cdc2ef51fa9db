-- Half-typed call notes, saved on every keystroke so a crash or a closed terminal loses nothing.
CREATE TABLE call_drafts (
    customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
