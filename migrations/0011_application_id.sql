-- Mark the file as a shopkeep database: PRAGMA application_id, 0x53484B50 ("SHKP"), bytes 68-71 of the
-- header. shopkeep.store.Store.open refuses an SQLite file carrying another mark (or none, unless it
-- already holds shopkeep's schema) before changing anything in it. The value must equal
-- shopkeep.store.APPLICATION_ID. Like user_version, it is written inside this migration's transaction.
PRAGMA application_id = 1397246800;
