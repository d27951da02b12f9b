#ifndef FLOTILLA_CSQLITE_SHIM_H
#define FLOTILLA_CSQLITE_SHIM_H

#include <sqlite3.h>

/// `SQLITE_TRANSIENT` is a cast macro that Swift cannot import: SQLite copies the bound bytes.
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/// `sqlite3_db_config` is variadic, which Swift cannot call: its `SQLITE_DBCONFIG_ENABLE_TRIGGER` form, which
/// stores the setting now in effect in `enabled`.
static inline int csqlite_enable_triggers(sqlite3 *db, int enable, int *enabled) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, enable, enabled);
}

#endif
