-- Issue 19: a cold `shopkeep find` looks a query's words up here instead of building the whole search index
-- (shopkeep.lookup.find). Each customer's folded name and email words (shopkeep.lookup), and how their name
-- words sound, made once per customer by the first search that finds them missing (lookup.keep_words);
-- `lookup_done` marks the customers whose words are here. Any change to a customer's name or email, forgetting
-- them or deleting them takes their words out in the same transaction (the triggers below): a search never
-- reads words a customer no longer has, and no word of a forgotten customer stays behind.
CREATE TABLE lookup_words (
    word         TEXT NOT NULL,     -- folded (shopkeep.translit)
    field        TEXT NOT NULL CHECK (field IN ('name', 'email')),
    customer_id  INTEGER NOT NULL,
    position     INTEGER NOT NULL,  -- its place among the words of the field
    written      TEXT NOT NULL,     -- as written there, lower-case
    PRIMARY KEY (word, field, customer_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX lookup_words_customer ON lookup_words(customer_id);

CREATE TABLE lookup_sounds (
    sound        TEXT NOT NULL,
    word         TEXT NOT NULL,
    customer_id  INTEGER NOT NULL,
    PRIMARY KEY (sound, word, customer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX lookup_sounds_customer ON lookup_sounds(customer_id);

CREATE TABLE lookup_done (customer_id INTEGER PRIMARY KEY) STRICT;

CREATE TRIGGER lookup_words_changed AFTER UPDATE OF name, first_name, last_name, email, forgotten_at ON customers
WHEN OLD.name IS NOT NEW.name OR OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name
  OR OLD.email IS NOT NEW.email OR OLD.forgotten_at IS NOT NEW.forgotten_at
BEGIN
    DELETE FROM lookup_words WHERE customer_id = OLD.id;
    DELETE FROM lookup_sounds WHERE customer_id = OLD.id;
    DELETE FROM lookup_done WHERE customer_id = OLD.id;
END;

CREATE TRIGGER lookup_words_gone AFTER DELETE ON customers
BEGIN
    DELETE FROM lookup_words WHERE customer_id = OLD.id;
    DELETE FROM lookup_sounds WHERE customer_id = OLD.id;
    DELETE FROM lookup_done WHERE customer_id = OLD.id;
END;
