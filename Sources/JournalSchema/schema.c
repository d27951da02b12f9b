// schema/journal.sql and schema/journal-postgres.sql are the single sources of the journal's DDL. #embed (C23,
// which clang also accepts in the package's default C mode) copies them in at build time, and clang lists the
// files in its dependency output, so editing a .sql rebuilds this target.
#include "JournalSchema.h"

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc23-extensions"
static const char schema[] = {
#embed "../../schema/journal.sql"
    , 0
};

static const char postgres_schema[] = {
#embed "../../schema/journal-postgres.sql"
    , 0
};
#pragma clang diagnostic pop

const char *flotilla_journal_schema(void) {
    return schema;
}

const char *flotilla_journal_postgres_schema(void) {
    return postgres_schema;
}
