#!/usr/bin/env python3
"""The peer side of `tools/bench`: appends the benchmark's events through Python's `eventsourcing` 9 SQLite
application recorder (WAL, the sqlite3 module's default synchronous=FULL, checked below) and prints events/s
as one JSON line. Usage: bench-peer.py EVENTS.tsv DB_DIR BATCH REPEATS"""
import json
import os
import sqlite3
import statistics
import sys
import time

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore


def load(path):
    events = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            stream, version, topic, payload = line.rstrip("\n").split("\t", 3)
            events.append(StoredEvent(originator_id=stream, originator_version=int(version), topic=topic,
                                      state=payload.encode("utf-8")))
    return events


def once(events, db, batch):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    datastore = SQLiteDatastore(db, originator_id_type="text")
    recorder = SQLiteApplicationRecorder(datastore)
    recorder.create_table()
    start = time.perf_counter()
    for i in range(0, len(events), batch):
        recorder.insert_events(events[i:i + batch])
    elapsed = time.perf_counter() - start
    with datastore.transaction(commit=False) as c:
        c.execute("PRAGMA synchronous")
        synchronous = c.fetchone()[0]
        c.execute("PRAGMA journal_mode")
        mode = c.fetchone()[0]
    datastore.close()
    return len(events) / elapsed, synchronous, mode


def main():
    path, directory, batch, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    events = load(path)
    db = os.path.join(directory, "peer-eventsourcing.sqlite")
    rates = []
    for _ in range(repeats):
        rate, synchronous, mode = once(events, db, batch)
        rates.append(rate)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    import eventsourcing
    version = getattr(eventsourcing, "__version__", None)
    if version is None:
        from importlib.metadata import version as v
        version = v("eventsourcing")
    print(json.dumps({"events_per_s": statistics.median(rates), "runs": rates, "synchronous": synchronous,
                      "journal_mode": mode, "version": version, "sqlite": sqlite3.sqlite_version}))


if __name__ == "__main__":
    main()
