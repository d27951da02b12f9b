// Loaded into `flotilla serve` by flotilla-crash-test (LD_PRELOAD). Each write to a SQLite WAL file first waits
// FLOTILLA_CRASH_TEST_WAL_WRITE_DELAY_US microseconds, so that a commit takes as long as on a slow disk and
// SIGKILLs drawn at random moments land mid-commit: here an fsync takes 0.1 ms and a whole commit well under
// 1 ms, and what a killed process has written is kept by the kernel anyway.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "slow_writes.h"

static long delay_us(void) {
    // Racing first calls read the same environment, so the race is harmless.
    static long value = -1;
    if (value < 0) {
        const char *text = getenv(FLOTILLA_CRASH_TEST_WAL_WRITE_DELAY);
        value = text ? atol(text) : 0;
    }
    return value;
}

static int is_wal(int fd) {
    char link[64];
    char path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, path, sizeof path - 1);
    if (length < 4) return 0;
    path[length] = 0;
    return strcmp(path + length - 4, "-wal") == 0;
}

static void pause_before_write(int fd) {
    long micros = delay_us();
    if (micros <= 0 || !is_wal(fd)) return;
    struct timespec pause = {micros / 1000000, (micros % 1000000) * 1000};
    nanosleep(&pause, NULL);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off64_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off64_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t, off64_t))dlsym(RTLD_NEXT, "pwrite64");
    pause_before_write(fd);
    return real(fd, buffer, count, offset);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    pause_before_write(fd);
    return real(fd, buffer, count, offset);
}
