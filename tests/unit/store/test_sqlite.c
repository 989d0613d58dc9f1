/* SPDX-License-Identifier: MIT */
/* Tests of src/store/sqlite.c: the file (mode 0600, WAL), a connection per thread, the busy
 * timeout, foreign files, and allocation failures inside lc_store_open and a write. */
#include "store_test.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include "lectern/alloc.h"
#include "lectern/limits.h"
#include "store_int.h"

static void file_mode_and_wal(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    mode_t old = umask(022);
    lc_store_t *s = tdb_store(&t);
    umask(old);
    struct stat sb;
    assert_int_equal(stat(t.path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", t.path);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    sqlite3 *db = raw_open(&t);
    char buf[32];
    raw_text(db, "PRAGMA journal_mode", buf, sizeof buf);
    assert_string_equal(buf, "wal");
    sqlite3_close(db);
    lc_store_close(s);

    /* An existing file keeps its mode (the operator may have chosen it). */
    assert_int_equal(chmod(t.path, 0640), 0);
    assert_int_equal(lc_store_open(t.path, true, &s), LC_OK);
    lc_store_close(s);
    assert_int_equal(stat(t.path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    tdb_dispose(&t);
}

static void foreign_file_refused(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    int fd = open(t.path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    char junk[4096];
    memset(junk, 'x', sizeof junk);
    assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(t.url, false, &s), LC_ESTORE);
    assert_null(s);
    tdb_dispose(&t);
}

/* --- a connection per thread ---------------------------------------------------------------- */

enum { THREADS = 2, ROUNDS = 25 };

typedef struct worker {
    lc_store_t *s;
    pthread_barrier_t *barrier;
    int id;
    int failures;
} worker_t;

static void *work(void *p) {
    worker_t *w = p;
    for (int i = 0; i < ROUNDS; i++) {
        char slug[32], email[64];
        snprintf(slug, sizeof slug, "t%d-%d", w->id, i);
        snprintf(email, sizeof email, "admin%d@t%d.test", i, w->id);
        lc_store_bootstrap_t b = test_bootstrap(slug, email);
        int64_t n = 0;
        if (lc_store_bootstrap_tenant(w->s, &b, NULL, NULL) != LC_OK)
            w->failures++;
        if (lc_store_tenant_count(w->s, &n) != LC_OK || n < 1)
            w->failures++;
        if (lc_store_ping(w->s) != LC_OK)
            w->failures++;
        if (i == 0) {
            /* Both workers now hold a connection; let main count them. */
            pthread_barrier_wait(w->barrier);
            pthread_barrier_wait(w->barrier);
        }
    }
    return NULL;
}

static void connection_per_thread(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    assert_int_equal(lc__store_connections(s), 1);

    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, THREADS + 1);
    pthread_t th[THREADS];
    worker_t w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker_t){s, &barrier, i, 0};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    pthread_barrier_wait(&barrier);
    assert_int_equal(lc__store_connections(s), 1 + THREADS);
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(w[i].failures, 0);
    }
    pthread_barrier_destroy(&barrier);
    /* Exited threads closed their connections. */
    assert_int_equal(lc__store_connections(s), 1);
    int64_t n = 0;
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK);
    assert_int_equal(n, THREADS * ROUNDS);
    lc_store_close(s);
    tdb_dispose(&t);
}

/* Threads that are still alive when the store closes: lc_store_close closes their connections
 * and their exit does not touch the freed store. */
static void *hold(void *p) {
    worker_t *w = p;
    int64_t n = 0;
    if (lc_store_tenant_count(w->s, &n) != LC_OK)
        w->failures++;
    pthread_barrier_wait(w->barrier); /* connection open */
    pthread_barrier_wait(w->barrier); /* store closed */
    return NULL;
}

static void close_with_live_threads(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_t th;
    worker_t w = {s, &barrier, 0, 0};
    assert_int_equal(pthread_create(&th, NULL, hold, &w), 0);
    pthread_barrier_wait(&barrier);
    assert_int_equal(lc__store_connections(s), 2);
    lc_store_close(s);
    pthread_barrier_wait(&barrier);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(w.failures, 0);
    tdb_dispose(&t);
}

/* --- locking ---------------------------------------------------------------------------------- */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A writer waits for the lock up to the busy timeout, then gets LC_EBUSY; readers are not
 * blocked by a writer (WAL). */
static void busy_timeout(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    sqlite3 *db = raw_open(&t);
    assert_int_equal(raw_exec(db, "BEGIN IMMEDIATE"), SQLITE_OK);

    int64_t n = -1;
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK);
    assert_int_equal(n, 0);

    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    double t0 = now_s();
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_EBUSY);
    double waited = now_s() - t0;
    assert_true(waited >= LC_LIMIT_STORE_BUSY_TIMEOUT_MS / 1000.0 * 0.9);

    assert_int_equal(raw_exec(db, "COMMIT"), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_OK);
    lc_store_close(s);
    tdb_dispose(&t);
}

/* --- allocation failures ---------------------------------------------------------------------- */

/* Fail the 1st, 2nd, 3rd... allocation of lc_store_open (SQLite's included): each is a clean
 * LC_ENOMEM with nothing leaked (LeakSanitizer checks at exit in the asan build). */
static void open_out_of_memory(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    int rc = LC_ENOMEM;
    long n = 0;
    lc_store_t *s = NULL;
    for (; n < 100000 && rc != LC_OK; n++) {
        s = NULL;
        lc_alloc_fail_after(n);
        rc = lc_store_open(t.url, true, &s);
        long failures = lc_alloc_failures();
        lc_alloc_fail_reset();
        if (rc != LC_OK) {
            if (rc != LC_ENOMEM)
                fail_msg("n=%ld: %s", n, lc_status_name(rc));
            assert_null(s);
            assert_true(failures > 0);
        }
    }
    assert_int_equal(rc, LC_OK);
    /* SQLite's allocations are counted too: opening takes many more than the store's own. */
    assert_true(n > 10);
    print_message("lc_store_open: %ld allocation failures checked\n", n - 1);
    assert_int_equal(lc_store_migrate(s, NULL), LC_OK);
    lc_store_close(s);
    tdb_dispose(&t);
}

/* The same for a write transaction: a failure leaves nothing behind. */
static void bootstrap_out_of_memory(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = tdb_store(&t);
    /* Fresh connection state: the statement cache is cold, so preparing fails too. */
    lc_store_close(s);
    assert_int_equal(lc_store_open(t.url, false, &s), LC_OK);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    int rc = LC_ENOMEM;
    long n = 0;
    for (; n < 100000 && rc != LC_OK; n++) {
        lc_alloc_fail_after(n);
        rc = lc_store_bootstrap_tenant(s, &b, NULL, NULL);
        lc_alloc_fail_reset();
        if (rc != LC_OK) {
            if (rc != LC_ENOMEM)
                fail_msg("n=%ld: %s", n, lc_status_name(rc));
            int64_t count = -1;
            assert_true(raw_write_lock_free(&t));
            assert_int_equal(lc_store_tenant_count(s, &count), LC_OK);
            assert_int_equal(count, 0);
        }
    }
    assert_int_equal(rc, LC_OK);
    assert_true(n > 1);
    print_message("lc_store_bootstrap_tenant: %ld allocation failures checked\n", n - 1);
    int64_t count = -1;
    assert_int_equal(lc_store_tenant_count(s, &count), LC_OK);
    assert_int_equal(count, 1);
    lc_store_close(s);
    sqlite3 *db = raw_open(&t);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM roles"), 2);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM users"), 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM user_roles"), 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM audit_events"), 1);
    sqlite3_close(db);
    tdb_dispose(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_mode_and_wal),
        cmocka_unit_test(foreign_file_refused),
        cmocka_unit_test(connection_per_thread),
        cmocka_unit_test(close_with_live_threads),
        cmocka_unit_test(busy_timeout),
        cmocka_unit_test(open_out_of_memory),
        cmocka_unit_test(bootstrap_out_of_memory),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
