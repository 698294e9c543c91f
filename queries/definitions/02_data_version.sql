-- The data version that read caches are keyed on (dashboard.db.engine.data_version): it
-- changes when a write commits, in the committing transaction, and a long writer (an
-- import) holds no lock that other writers queue behind.
--
-- Why two steps. The version is one row (data_version). Bumping it at each write statement
-- kept that row locked until the writer committed, so an examen save waited for a whole
-- import. Instead, a write statement only notes its transaction (noter_changement(): a row
-- of data_version_transaction keyed by the transaction id, nobody else's row to wait for),
-- and that row's deferred constraint trigger (migration 0005) bumps the version at COMMIT:
-- the version row is locked for the commit step only, and the new version becomes visible
-- together with the data, never before it (a reader that cached older data under a newer
-- version would stay stale). A transaction bumps the version once, however many writes it made.
--
-- Writers run in READ COMMITTED (all of them do): under REPEATABLE READ the commit-time
-- UPDATE of a row that another writer bumped since the snapshot would fail to serialise.

-- What a write does: note that this transaction changed data. A second write of the same
-- transaction finds its own row (ON CONFLICT: no wait, no second trigger event).
CREATE OR REPLACE FUNCTION noter_changement() RETURNS void LANGUAGE sql AS $$
    INSERT INTO data_version_transaction DEFAULT VALUES ON CONFLICT DO NOTHING
$$;

-- The statement trigger of every versioned table (AFTER INSERT/UPDATE/DELETE/TRUNCATE).
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM noter_changement();
    RETURN NULL;
END $$;

-- The deferred constraint trigger of data_version_transaction: runs at COMMIT (or at
-- SET CONSTRAINTS ... IMMEDIATE, and a later write notes the transaction again).
CREATE OR REPLACE FUNCTION data_version_au_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1, changed_at = clock_timestamp();
    DELETE FROM data_version_transaction WHERE xid = NEW.xid;
    RETURN NULL;
END $$;
