#ifndef FLOTILLA_JOURNAL_SCHEMA_H
#define FLOTILLA_JOURNAL_SCHEMA_H

/// The DDL of schema/journal.sql as a NUL-terminated UTF-8 string, embedded at build time.
const char *flotilla_journal_schema(void);

/// The DDL of schema/journal-postgres.sql as a NUL-terminated UTF-8 string, embedded at build time.
const char *flotilla_journal_postgres_schema(void);

#endif
