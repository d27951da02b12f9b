-- Flotilla journal, schema version 1.
--
-- This file is the only copy of the journal's DDL: the Journal target embeds it at build time
-- (C23 #embed in Sources/JournalSchema) and applies it on every open, so every statement here
-- must be idempotent. Connection settings (WAL, synchronous=FULL) are pragmas set in code.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value ANY  NOT NULL
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 1);

-- One row per event. `seq` is the one global order, gapless from 1; `version` counts from 1
-- within `stream`. `payload` is LZ4-compressed with dictionary `dict_id`, or stored raw when
-- `dict_id` is 0; `raw_len` is its uncompressed length. `hash` is the SHA-256 chain hash over
-- the previous row's hash and this event's uncompressed content.
CREATE TABLE IF NOT EXISTS events (
    seq     INTEGER PRIMARY KEY,
    stream  TEXT    NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    type    TEXT    NOT NULL,
    time    INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    dict_id INTEGER NOT NULL CHECK (dict_id >= 0),
    raw_len INTEGER NOT NULL CHECK (raw_len >= 0),
    payload BLOB    NOT NULL,
    hash    BLOB    NOT NULL CHECK (length(hash) = 32),
    UNIQUE (stream, version)
) STRICT;

-- LZ4 dictionaries, numbered from 1. `from_seq` is the first event compressed with the
-- dictionary. `bytes` is itself LZ4-compressed (no dictionary), or raw when its length equals
-- `raw_len`.
CREATE TABLE IF NOT EXISTS dictionaries (
    id       INTEGER PRIMARY KEY,
    from_seq INTEGER NOT NULL,
    raw_len  INTEGER NOT NULL CHECK (raw_len >= 0),
    bytes    BLOB    NOT NULL
) STRICT;

-- Projection images at a `seq`, LZ4-compressed (no dictionary), or raw when the length of
-- `image` equals `raw_len`. `hash` is the chain hash of event `seq` (all zeros at seq 0): a
-- checkpoint is used only while it matches the chain it was taken from. Only the newest few are
-- kept; they can always be rebuilt from the events, so a file whose checkpoints table predates
-- `hash` has it dropped and recreated on open.
CREATE TABLE IF NOT EXISTS checkpoints (
    seq     INTEGER PRIMARY KEY,
    raw_len INTEGER NOT NULL CHECK (raw_len >= 0),
    image   BLOB    NOT NULL,
    hash    BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;

-- Append-only, enforced by the database for every connection but the journal's own writer. An
-- insert must extend the log (next seq, next stream version), which also stops INSERT OR REPLACE
-- from overwriting a row. The writer turns triggers off on its connection (they cost its inserts
-- about 40%), never updates or deletes, and makes the same insert checks once per commit, in its
-- transaction.
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- The insert check runs for every event, so it is one statement that reads the last seq and the
-- stream's last version each with one backwards seek (cheaper per row than max(), and than the two
-- statements of `events_insert_at_end`, which files of this schema version made before it still
-- have and lose here).
DROP TRIGGER IF EXISTS events_insert_at_end;

CREATE TRIGGER IF NOT EXISTS events_insert_next BEFORE INSERT ON events
BEGIN
    SELECT CASE
        WHEN NEW.seq - 1 IS NOT ifnull((SELECT seq FROM events ORDER BY seq DESC LIMIT 1), 0)
        THEN RAISE(ABORT, 'events must be appended at the next seq')
        WHEN NEW.version - 1 IS NOT ifnull(
            (SELECT version FROM events WHERE stream = NEW.stream ORDER BY version DESC LIMIT 1), 0)
        THEN RAISE(ABORT, 'events must be appended at the next stream version')
    END;
END;

CREATE TRIGGER IF NOT EXISTS dictionaries_no_update BEFORE UPDATE ON dictionaries
BEGIN
    SELECT RAISE(ABORT, 'dictionaries are append-only');
END;

CREATE TRIGGER IF NOT EXISTS dictionaries_no_delete BEFORE DELETE ON dictionaries
BEGIN
    SELECT RAISE(ABORT, 'dictionaries are append-only');
END;

CREATE TRIGGER IF NOT EXISTS dictionaries_insert_at_end BEFORE INSERT ON dictionaries
BEGIN
    SELECT RAISE(ABORT, 'dictionaries must be appended at the next id')
    WHERE NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM dictionaries);
END;
