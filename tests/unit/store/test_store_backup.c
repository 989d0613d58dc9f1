/* SPDX-License-Identifier: MIT */
/* Tests of the online backup (lc_store_backup; sqlite.c does the work): a store of several MiB
 * copied while another thread keeps writing to it (the writer goes on during the copy, and the
 * copy is one consistent snapshot that passes integrity_check and opens as a store); an
 * existing file or a missing directory refused with nothing written; a relative path; a backend
 * without a backup; and allocation failures, none of which leaves a file behind. */
#include "store_test.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>

#include "lectern/alloc.h"
#include "store_int.h"

/* Names in dir other than "." and "..", sorted into one string "a|b|c|". */
static void dir_list(const char *dir, char *out, size_t n) {
    struct dirent **names = NULL;
    int count = scandir(dir, &names, NULL, alphasort);
    assert_true(count >= 0);
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < count; i++) {
        const char *d = names[i]->d_name;
        if (strcmp(d, ".") != 0 && strcmp(d, "..") != 0)
            k += (size_t)snprintf(out + k, n - k, "%s|", d);
        free(names[i]);
    }
    free(names);
    assert_true(k < n);
}

/* A store with a tenant and `bulk` more users of 150-character names (written raw: fast). */
static lc_store_t *bulk_store(tdb_t *t, int bulk) {
    lc_store_t *s = tdb_store(t);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_OK);
    sqlite3 *db = raw_open(t);
    char sql[400];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO users (tenant_id, email, name, created_at, updated_at)"
             " SELECT 1, 'bulk' || i || '@acme.test', printf('%%0150d', i), 1, 1 FROM n",
             bulk);
    assert_int_equal(raw_exec(db, sql), SQLITE_OK);
    sqlite3_close(db);
    return s;
}

/* --- backup while another thread writes -------------------------------------------------- */

/* The writer gives up after this long: a backup that cannot finish while writes go on (one
 * that starts over at every commit) then shows as a failure, not as a test that hangs. */
#define WRITER_MAX_S 20

typedef struct writer {
    lc_store_t *s;
    atomic_bool stop;
    atomic_bool gave_up;
    atomic_long commits;
    long failures;
} writer_t;

/* Creates users one transaction each (the user and its audit event together) until stopped. */
static void *write_loop(void *p) {
    writer_t *w = p;
    lc_actor_t act = {.tenant_id = 1, .user_id = 0};
    time_t end = time(NULL) + WRITER_MAX_S;
    for (long i = 0; !atomic_load(&w->stop); i++) {
        if (time(NULL) > end) {
            atomic_store(&w->gave_up, true);
            break;
        }
        char email[64];
        snprintf(email, sizeof email, "w%ld@acme.test", i);
        lc_user_new_t u = {.email = email, .name = "Writer"};
        if (lc_store_user_create(w->s, &act, &u, NULL) == LC_OK)
            atomic_fetch_add(&w->commits, 1);
        else
            w->failures++;
    }
    return NULL;
}

static void backup_while_writing(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = bulk_store(&t, 30000);
    char path[400];
    snprintf(path, sizeof path, "%s/backup.db", t.dir);

    writer_t w = {.s = s};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, write_loop, &w), 0);
    while (atomic_load(&w.commits) < 5)
        usleep(1000);
    /* A backup takes ~100 ms here. Writes made during it show that it does not hold the writer
     * up; a busy machine may keep the writer off the CPU for one backup, not for five. */
    long before = 0, after = 0;
    for (int i = 0; i < 5 && after == before; i++) {
        unlink(path);
        before = atomic_load(&w.commits);
        assert_int_equal(lc_store_backup(s, path), LC_OK);
        after = atomic_load(&w.commits);
    }
    atomic_store(&w.stop, true);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(w.failures, 0);
    /* The copy finished while the writer was writing, and did not hold it up. */
    assert_false(atomic_load(&w.gave_up));
    print_message("writes committed during the backup: %ld\n", after - before);
    assert_true(after > before);

    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_true(sb.st_size > 4 * 1024 * 1024);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    char text[64];
    raw_text(db, "PRAGMA integrity_check", text, sizeof text);
    assert_string_equal(text, "ok");
    raw_text(db, "PRAGMA journal_mode", text, sizeof text);
    assert_string_equal(text, "wal");
    assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM users WHERE email LIKE 'bulk%'"), 30000);
    /* One snapshot: every writer's user with its audit event, none without, and as many as had
     * committed by some moment of the backup. */
    int64_t got = raw_int(db, "SELECT count(*) FROM users WHERE email LIKE 'w%'");
    assert_true(got >= before && got <= after);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM audit_events a WHERE a.action ="
                                 " 'user.create' AND a.target_id IN"
                                 " (SELECT id FROM users WHERE email LIKE 'w%')"),
                     got);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM audit_events a WHERE a.action ="
                                 " 'user.create' AND NOT EXISTS"
                                 " (SELECT 1 FROM users u WHERE u.id = a.target_id)"),
                     0);
    sqlite3_close(db);

    /* It is a store of this binary, as it is. */
    char url[420];
    snprintf(url, sizeof url, "sqlite:%s", path);
    lc_store_t *b = NULL;
    assert_int_equal(lc_store_open(url, false, &b), LC_OK);
    assert_int_equal(lc_store_ping(b), LC_OK);
    int64_t tenants = 0;
    assert_int_equal(lc_store_tenant_count(b, &tenants), LC_OK);
    assert_int_equal(tenants, 1);
    lc_store_close(b);

    /* Nothing else was left in the directory. */
    char list[1024];
    dir_list(t.dir, list, sizeof list);
    assert_null(strstr(list, ".tmp-"));
    lc_store_close(s);
    unlink(path);
    tdb_dispose(&t);
}

/* --- refusals ---------------------------------------------------------------------------- */

static void existing_file_refused(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = bulk_store(&t, 10);
    char path[400], list[1024], after[1024];
    snprintf(path, sizeof path, "%s/precious.db", t.dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("precious", f);
    fclose(f);
    dir_list(t.dir, list, sizeof list);

    assert_int_equal(lc_store_backup(s, path), LC_EEXIST);
    /* The store's own file too, and a directory. */
    assert_int_equal(lc_store_backup(s, t.path), LC_EEXIST);
    assert_int_equal(lc_store_backup(s, t.dir), LC_EEXIST);
    char buf[32] = {0};
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "precious");
    dir_list(t.dir, after, sizeof after);
    assert_string_equal(after, list);

    /* A missing directory: nothing is created. */
    snprintf(path, sizeof path, "%s/missing/backup.db", t.dir);
    assert_int_equal(lc_store_backup(s, path), LC_ENOTFOUND);
    dir_list(t.dir, after, sizeof after);
    assert_string_equal(after, list);

    assert_int_equal(lc_store_backup(NULL, path), LC_EINVAL);
    assert_int_equal(lc_store_backup(s, NULL), LC_EINVAL);
    assert_int_equal(lc_store_backup(s, ""), LC_EINVAL);

    /* A backend without an online backup (PostgreSQL). */
    lc__store_ops_t ops = lc__store_sqlite_ops;
    ops.backup = NULL;
    lc_store_t fake = {.ops = &ops};
    snprintf(path, sizeof path, "%s/pg.db", t.dir);
    assert_int_equal(lc_store_backup(&fake, path), LC_EUNAVAILABLE);
    dir_list(t.dir, after, sizeof after);
    assert_string_equal(after, list);

    char p[420];
    snprintf(p, sizeof p, "%s/precious.db", t.dir);
    unlink(p);
    lc_store_close(s);
    tdb_dispose(&t);
}

/* A path without a directory part: the current one. */
static void relative_path(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = bulk_store(&t, 10);
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(t.dir), 0);
    int rc = lc_store_backup(s, "rel.db");
    struct stat sb;
    int st = stat("rel.db", &sb);
    unlink("rel.db");
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, LC_OK);
    assert_int_equal(st, 0);
    lc_store_close(s);
    tdb_dispose(&t);
}

/* Fail the 1st, 2nd, 3rd... allocation of a backup (SQLite's included): each is a clean
 * LC_ENOMEM that leaves nothing at the path or beside it. */
static void out_of_memory(void **state) {
    (void)state;
    tdb_t t;
    tdb_init(&t);
    lc_store_t *s = bulk_store(&t, 200);
    char path[400], list[1024], after[1024];
    snprintf(path, sizeof path, "%s/oom.db", t.dir);
    dir_list(t.dir, list, sizeof list);
    int rc = LC_ENOMEM;
    long n = 0;
    for (; n < 100000 && rc != LC_OK; n++) {
        lc_alloc_fail_after(n);
        rc = lc_store_backup(s, path);
        lc_alloc_fail_reset();
        if (rc != LC_OK) {
            if (rc != LC_ENOMEM)
                fail_msg("n=%ld: %s", n, lc_status_name(rc));
            dir_list(t.dir, after, sizeof after);
            assert_string_equal(after, list);
        }
    }
    assert_int_equal(rc, LC_OK);
    assert_true(n > 10);
    print_message("lc_store_backup: %ld allocation failures checked\n", n - 1);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM users"), 201);
    sqlite3_close(db);
    unlink(path);
    lc_store_close(s);
    tdb_dispose(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backup_while_writing),
        cmocka_unit_test(existing_file_refused),
        cmocka_unit_test(relative_path),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
