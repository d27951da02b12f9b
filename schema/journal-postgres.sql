-- Flotilla journal on PostgreSQL, schema version 1: the same log as journal.sql, in PostgreSQL's types.
--
-- The Journal target embeds this file at build time (Sources/JournalSchema) and applies it on every
-- open, inside a transaction holding an advisory lock, so every statement here must be idempotent.
-- Tables are created in the connection's search_path, so one database can hold several journals in
-- schemas of their own. Durability is synchronous_commit, set per connection in code.

CREATE TABLE IF NOT EXISTS meta (
    key   text   PRIMARY KEY,
    value bigint NOT NULL
);

INSERT INTO meta (key, value) VALUES ('schema_version', 1) ON CONFLICT (key) DO NOTHING;

-- The one row naming the epoch of the hub allowed to append. A writer learns the epoch when it opens
-- the journal (or wins it in a campaign) and stamps it on every event it inserts; an insert from any
-- other epoch is refused below, so a hub that a newer leader has fenced off (by raising the epoch) can
-- never write again. `holder` holds a lease until `expires` (milliseconds since 1970 on the database's
-- clock), renewed by its campaigns; `address` is the holder's URL, where followers pass writes.
CREATE TABLE IF NOT EXISTS leader (
    id      integer PRIMARY KEY CHECK (id = 1),
    epoch   bigint  NOT NULL CHECK (epoch >= 0),
    holder  text    NOT NULL,
    since   bigint  NOT NULL
);

-- Added after the first release of this schema: a database made before them gets them here.
ALTER TABLE leader ADD COLUMN IF NOT EXISTS address text   NOT NULL DEFAULT '';
ALTER TABLE leader ADD COLUMN IF NOT EXISTS expires bigint NOT NULL DEFAULT 0;

INSERT INTO leader (id, epoch, holder, since) VALUES (1, 0, '', 0) ON CONFLICT (id) DO NOTHING;

-- As in journal.sql: `seq` is the one global order, gapless from 1; `version` counts from 1 within
-- `stream`; `payload` is LZ4-compressed with dictionary `dict_id`, or raw when `dict_id` is 0; `hash`
-- is the SHA-256 chain hash. `epoch` is the leader epoch of the writer that inserted the row.
CREATE TABLE IF NOT EXISTS events (
    seq     bigint PRIMARY KEY,
    stream  text   NOT NULL,
    version bigint NOT NULL CHECK (version >= 1),
    type    text   NOT NULL,
    time    bigint NOT NULL,
    actor   text   NOT NULL,
    dict_id bigint NOT NULL CHECK (dict_id >= 0),
    raw_len bigint NOT NULL CHECK (raw_len >= 0),
    payload bytea  NOT NULL,
    hash    bytea  NOT NULL CHECK (length(hash) = 32),
    epoch   bigint NOT NULL,
    UNIQUE (stream, version)
);

CREATE TABLE IF NOT EXISTS dictionaries (
    id       bigint PRIMARY KEY,
    from_seq bigint NOT NULL,
    raw_len  bigint NOT NULL CHECK (raw_len >= 0),
    bytes    bytea  NOT NULL
);

CREATE TABLE IF NOT EXISTS checkpoints (
    seq     bigint PRIMARY KEY,
    raw_len bigint NOT NULL CHECK (raw_len >= 0),
    image   bytea  NOT NULL,
    hash    bytea  NOT NULL CHECK (length(hash) = 32)
);

-- Append-only, enforced by the database for every connection: no UPDATE, DELETE or TRUNCATE of
-- events or dictionaries.
CREATE OR REPLACE FUNCTION flotilla_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE OR REPLACE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION flotilla_refuse_change();

CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION flotilla_refuse_change();

CREATE OR REPLACE TRIGGER dictionaries_no_change BEFORE UPDATE OR DELETE ON dictionaries
    FOR EACH ROW EXECUTE FUNCTION flotilla_refuse_change();

CREATE OR REPLACE TRIGGER dictionaries_no_truncate BEFORE TRUNCATE ON dictionaries
    FOR EACH STATEMENT EXECUTE FUNCTION flotilla_refuse_change();

-- An insert must extend the log (next seq, next stream version) and come from the leader's epoch.
-- Each check is one backwards index seek. The epoch is read FOR SHARE: a campaign that raises it
-- (FOR UPDATE) waits for a writer's open transaction to end, and that writer's next transaction
-- sees the new epoch, so no commit of the old epoch lands after a new leader has read the tip.
CREATE OR REPLACE FUNCTION flotilla_events_insert_next() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq - 1 IS DISTINCT FROM coalesce((SELECT seq FROM events ORDER BY seq DESC LIMIT 1), 0) THEN
        RAISE EXCEPTION 'events must be appended at the next seq' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.version - 1 IS DISTINCT FROM coalesce(
        (SELECT version FROM events WHERE stream = NEW.stream ORDER BY version DESC LIMIT 1), 0) THEN
        RAISE EXCEPTION 'events must be appended at the next stream version' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.epoch IS DISTINCT FROM (SELECT epoch FROM leader WHERE id = 1 FOR SHARE) THEN
        RAISE EXCEPTION 'events must be appended by the leader''s epoch (this writer holds epoch %)', NEW.epoch
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER events_insert_next BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION flotilla_events_insert_next();

CREATE OR REPLACE FUNCTION flotilla_dictionaries_insert_next() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM (SELECT coalesce(max(id), 0) + 1 FROM dictionaries) THEN
        RAISE EXCEPTION 'dictionaries must be appended at the next id' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER dictionaries_insert_next BEFORE INSERT ON dictionaries
    FOR EACH ROW EXECUTE FUNCTION flotilla_dictionaries_insert_next();

-- Followers wait for commits with LISTEN: every insert statement tells the channel the new tip, delivered
-- when its transaction commits. The channel is one per database; the payload names the schema too.
CREATE OR REPLACE FUNCTION flotilla_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('flotilla_journal', current_schema() || ' ' || (SELECT max(seq) FROM inserted));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION flotilla_events_notify();
