#ifndef FLOTILLA_SLOW_WRITES_H
#define FLOTILLA_SLOW_WRITES_H

/// The environment variable that sets how many microseconds each write to a SQLite WAL file waits first.
#define FLOTILLA_CRASH_TEST_WAL_WRITE_DELAY "FLOTILLA_CRASH_TEST_WAL_WRITE_DELAY_US"

#endif
