// schema/journal.sql is the single source of the journal's DDL. #embed (C23, which clang also accepts in
// the package's default C mode) copies it in at build time, and clang lists the file in its dependency
// output, so editing the .sql rebuilds this target.
#include "JournalSchema.h"

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc23-extensions"
static const char schema[] = {
#embed "../../schema/journal.sql"
    , 0
};
#pragma clang diagnostic pop

const char *flotilla_journal_schema(void) {
    return schema;
}
