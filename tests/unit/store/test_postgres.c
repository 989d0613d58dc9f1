/* SPDX-License-Identifier: MIT */
/* Tests of src/store/postgres.c against a real server (LECTERN_TEST_PG; ctest label `pg`):
 * SQLSTATEs mapped to the statuses sqlite.c gives for the same situations, bytea round trips,
 * connections lost (terminated backends, and a server that goes away and comes back, through
 * a TCP proxy this test stops and restarts), generation announcements between two stores on one
 * database, ids_sync, and several nodes migrating or racing for the last Console Admin at once. */
#include "store_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "lectern/limits.h"
#include "store_int.h"

static int64_t ms_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to 5 s for the generation of s to exceed g. */
static bool generation_passes(lc_store_t *s, uint64_t g) {
    for (int64_t end = ms_now() + 5000; ms_now() < end; sleep_ms(10))
        if (lc_store_generation(s) > g)
            return true;
    return false;
}

/* Terminates every other backend of the test's database (the stores' connections) and waits
 * until they are gone. */
static void terminate_backends(const tdb_t *t) {
    rdb_t *r = rdb_open(t);
    assert_int_equal(rdb_exec(r, "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                                 " WHERE datname = current_database() AND pid <> pg_backend_pid()"),
                     0);
    rdb_close(r);
}

typedef struct fx {
    tdb_t t;
    lc_store_t *s;
    rdb_t *db;
} fx_t;

static int setup(void **state) {
    fx_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    tdb_init(&f->t);
    f->s = tdb_store(&f->t);
    f->db = rdb_open(&f->t);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fx_t *f = *state;
    rdb_close(f->db);
    lc_store_close(f->s);
    tdb_dispose(&f->t);
    free(f);
    return 0;
}

/* ---- open ---------------------------------------------------------------------------------- */

/* A database the server does not have: LC_ENOTFOUND without `create` (nothing created), created
 * with it (lectern init); a second create finds it there. */
static void open_missing_database(void **state) {
    (void)state;
    char name[64], url[1200], sql[128];
    snprintf(name, sizeof name, "lc_test_missing_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    tdb_pg_admin(sql);
    tdb_pg_url(getenv("LECTERN_TEST_PG"), name, url, sizeof url);
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(url, false, &s), LC_ENOTFOUND);
    assert_null(s);
    assert_int_equal(lc_store_open(url, false, &s), LC_ENOTFOUND); /* still not created */
    assert_int_equal(lc_store_open(url, true, &s), LC_OK);
    assert_int_equal(lc_store_migrate(s, NULL), LC_OK);
    lc_store_close(s);
    assert_int_equal(lc_store_open(url, true, &s), LC_OK);
    assert_int_equal(lc_store_ping(s), LC_OK);
    lc_store_close(s);
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
    tdb_pg_admin(sql);
}

/* ---- status mapping ----------------------------------------------------------------------- */

/* Runs q with args in a write transaction (so that the failure aborts it, as on the way to a
 * rollback in the domain) and returns the status lc__db_end gives. */
static int write_one(lc_store_t *s, lc__q_t q, const lc__arg_t *args, int n) {
    lc__db_t db;
    int rc = lc__db_write(s, &db);
    if (rc != LC_OK)
        return rc;
    rc = lc__exec(&db, q, args, n, NULL);
    return lc__db_end(&db, rc);
}

static void sqlstates_map_like_sqlite(void **state) {
    fx_t *f = *state;
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    int64_t tid = 0, uid = 0;
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &tid, &uid), LC_OK);
    int64_t admin_role =
        rdb_int(f->db, "SELECT id FROM roles WHERE builtin = 'console_admin' LIMIT 1");

    struct {
        const char *what;
        lc__q_t q;
        lc__arg_t args[4];
        int n;
        int want;
    } cases[] = {
        /* 23505 unique_violation */
        {"duplicate slug",
         LC__Q_TENANT_INSERT,
         {LC__TEXT("acme"), LC__TEXT("X"), LC__INT(1)},
         3,
         LC_EEXIST},
        /* 23505 through the lower(email) unique index */
        {"email in other case",
         LC__Q_USER_INSERT,
         {LC__INT(tid), LC__TEXT("ADMIN@acme.TEST"), LC__TEXT("Ada"), LC__NULL},
         4,
         LC_EEXIST},
        /* 23503 foreign_key_violation */
        {"unknown tenant",
         LC__Q_USER_INSERT,
         {LC__INT(987654), LC__TEXT("x@y.z"), LC__TEXT("X"), LC__NULL},
         4,
         LC_ENOTFOUND},
        /* 23514 check_violation */
        {"bad slug",
         LC__Q_TENANT_INSERT,
         {LC__TEXT("Bad Slug"), LC__TEXT("X"), LC__INT(1)},
         3,
         LC_EINVAL},
        /* 23502 not_null_violation */
        {"null name", LC__Q_TENANT_INSERT, {LC__TEXT("ok"), LC__NULL, LC__INT(1)}, 3, LC_EINVAL},
        /* P0001: a trigger's RAISE (SQLite: SQLITE_CONSTRAINT_TRIGGER) */
        {"built-in role deleted",
         LC__Q_ROLE_DELETE,
         {LC__INT(tid), LC__INT(admin_role)},
         2,
         LC_EINVAL},
        /* class 22: invalid UTF-8 is the caller's bad value */
        {"invalid UTF-8",
         LC__Q_TENANT_INSERT,
         {LC__TEXT("ok"), LC__TEXT("\xff\xfe"), LC__INT(1)},
         3,
         LC_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* USER_INSERT has 5 parameters: the time goes last. */
        lc__arg_t args[5];
        memcpy(args, cases[i].args, sizeof cases[i].args);
        int n = cases[i].n;
        if (cases[i].q == LC__Q_USER_INSERT)
            args[n++] = LC__INT(1);
        int rc = write_one(f->s, cases[i].q, args, n);
        if (rc != cases[i].want)
            fail_msg("%s: %s, want %s", cases[i].what, lc_status_name(rc),
                     lc_status_name(cases[i].want));
        /* The transaction is gone, the lock free, and the thread's connection usable. */
        assert_true(rdb_write_lock_free(&f->t));
        int64_t n_t = 0;
        assert_int_equal(lc_store_tenant_count(f->s, &n_t), LC_OK);
        assert_int_equal(n_t, 1);
    }
    /* Through the domain: the schema's CHECK on emails. */
    assert_int_equal(lc_store_user_create(f->s, &(lc_actor_t){.tenant_id = tid, .user_id = uid},
                                          &(lc_user_new_t){.email = "no-at-sign", .name = "Eve"},
                                          NULL),
                     LC_EINVAL);
}

/* bytea both ways: every byte value, zeros inside, two blob columns of one row. */
static void blobs_round_trip(void **state) {
    fx_t *f = *state;
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    int64_t tid = 0, uid = 0;
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &tid, &uid), LC_OK);
    uint8_t sh[32], ch[32];
    for (int i = 0; i < 32; i++) {
        sh[i] = (uint8_t)(i * 8);
        ch[i] = (uint8_t)(255 - i * 8);
    }
    sh[5] = 0;
    assert_int_equal(lc_store_session_create(f->s, tid, uid, sh, ch, 1000, 2000, NULL, NULL),
                     LC_OK);
    lc_session_t out;
    assert_int_equal(lc_store_session_get(f->s, sh, &out), LC_OK);
    assert_memory_equal(out.csrf_hash, ch, 32);
    assert_int_equal(rdb_int(f->db, "SELECT length(session_hash) FROM console_sessions"), 32);
    /* Stored as the bytes themselves (binary parameters), not as text. */
    char sql[256];
    int w = snprintf(sql, sizeof sql, "SELECT CASE WHEN session_hash = '\\x");
    for (int i = 0; i < 32; i++)
        w += snprintf(sql + w, sizeof sql - (size_t)w, "%02x", sh[i]);
    snprintf(sql + w, sizeof sql - (size_t)w, "'::bytea THEN 1 ELSE 0 END FROM console_sessions");
    assert_int_equal(rdb_int(f->db, sql), 1);
    /* Both blob columns of one row, each in its own place. */
    lc__db_t db;
    lc__stmt_t *st = NULL;
    bool row = false;
    assert_int_equal(lc__db_read(f->s, &db), LC_OK);
    assert_int_equal(f->s->ops->prepare(db.c, LC__Q_SESSION_GET, lc__q_sql[LC__Q_SESSION_GET], &st),
                     LC_OK);
    f->s->ops->bind_blob(st, 1, sh, 32);
    assert_int_equal(lc__step(st, &row), LC_OK);
    assert_true(row);
    const void *p = NULL;
    size_t n = 0;
    assert_int_equal(st->ops->col_blob(st, 3, &p, &n), LC_OK);
    assert_int_equal(n, 32);
    assert_memory_equal(p, ch, 32);
    assert_int_equal(lc__step(st, &row), LC_OK);
    assert_false(row);
    lc__done(st);
    uint8_t other[32] = {0};
    assert_int_equal(lc_store_session_get(f->s, other, &out), LC_ENOTFOUND);
}

/* ---- connections lost ----------------------------------------------------------------------- */

/* A connection whose backend was terminated (as a server restart does to all of them): an
 * idle one is replaced without the call noticing; one lost in the middle of a call makes that
 * call LC_EUNAVAILABLE, inside a transaction too, and the next call works. */
static void terminated_backends(void **state) {
    fx_t *f = *state;
    int64_t n = -1;
    assert_int_equal(lc_store_tenant_count(f->s, &n), LC_OK);
    uint64_t g = lc_store_generation(f->s);

    terminate_backends(&f->t);
    assert_int_equal(lc_store_tenant_count(f->s, &n), LC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lc__store_connections(f->s), 1);
    /* The listener lost its connection too: back, it advances the generation (what was
     * announced meanwhile is lost). */
    assert_true(generation_passes(f->s, g));

    /* Lost between the call's start and its statement. */
    lc__db_t db;
    assert_int_equal(lc__db_read(f->s, &db), LC_OK);
    terminate_backends(&f->t);
    int64_t v = 0;
    assert_int_equal(lc__exec_i64(&db, LC__Q_TENANT_COUNT, NULL, 0, &v), LC_EUNAVAILABLE);
    assert_int_equal(lc__db_end(&db, LC_EUNAVAILABLE), LC_EUNAVAILABLE);
    assert_int_equal(lc_store_tenant_count(f->s, &n), LC_OK);

    /* Lost inside a write transaction: rolled back by the server, the connection discarded. */
    assert_int_equal(lc__db_write(f->s, &db), LC_OK);
    lc__arg_t t[] = {LC__TEXT("acme"), LC__TEXT("Acme"), LC__INT(1)};
    assert_int_equal(lc__exec(&db, LC__Q_TENANT_INSERT, t, 3, NULL), LC_OK);
    terminate_backends(&f->t);
    int rc = lc__exec(&db, LC__Q_TENANT_COUNT, NULL, 0, NULL);
    assert_int_equal(rc, LC_EUNAVAILABLE);
    assert_int_equal(lc__db_end(&db, rc), LC_EUNAVAILABLE);
    assert_int_equal(lc_store_tenant_count(f->s, &n), LC_OK);
    assert_int_equal(n, 0);
    assert_true(rdb_write_lock_free(&f->t));
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, NULL, NULL), LC_OK);
}

/* A TCP proxy in front of the server, which the test stops (the server "goes away": connections
 * cut, new ones refused) and starts again on the same port. */
typedef struct proxy {
    struct sockaddr_storage to;
    socklen_t tolen;
    int port;
    int lfd;
    int cmd[2], ack[2];
    int pair[64][2];
    int npairs;
    pthread_t th;
} proxy_t;

/* Listens on 127.0.0.1:p->port (0 the first time: any). Runs on the proxy thread too, where
 * cmocka's asserts must not be used: false on failure. */
static bool proxy_listen(proxy_t *p) {
    p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p->lfd < 0)
        return false;
    int one = 1;
    setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->lfd, 16) != 0 ||
        getsockname(p->lfd, (struct sockaddr *)&a, &len) != 0) {
        close(p->lfd);
        p->lfd = -1;
        return false;
    }
    p->port = ntohs(a.sin_port);
    return true;
}

static void proxy_drop(proxy_t *p, int i) {
    close(p->pair[i][0]);
    close(p->pair[i][1]);
    p->pair[i][0] = p->pair[--p->npairs][0];
    p->pair[i][1] = p->pair[p->npairs][1];
}

static void *proxy_main(void *arg) {
    proxy_t *p = arg;
    for (;;) {
        struct pollfd fds[2 + 128];
        int n = 0;
        fds[n++] = (struct pollfd){.fd = p->cmd[0], .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = p->lfd, .events = POLLIN};
        for (int i = 0; i < p->npairs; i++) {
            fds[n++] = (struct pollfd){.fd = p->pair[i][0], .events = POLLIN};
            fds[n++] = (struct pollfd){.fd = p->pair[i][1], .events = POLLIN};
        }
        if (poll(fds, (nfds_t)n, -1) < 0)
            continue;
        if (fds[0].revents) {
            char c = 0;
            if (read(p->cmd[0], &c, 1) != 1)
                c = 'q';
            if (c == 'd' || c == 'q') {
                while (p->npairs > 0)
                    proxy_drop(p, 0);
                if (p->lfd >= 0)
                    close(p->lfd);
                p->lfd = -1;
            } else if (c == 'u' && !proxy_listen(p)) {
                c = '!';
            }
            if (write(p->ack[1], &c, 1) != 1)
                return NULL;
            if (c == 'q')
                return NULL;
            continue;
        }
        if (p->lfd >= 0 && fds[1].revents) {
            int a = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC);
            int b = socket(p->to.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (a >= 0 && b >= 0 && p->npairs < 64 &&
                connect(b, (struct sockaddr *)&p->to, p->tolen) == 0) {
                p->pair[p->npairs][0] = a;
                p->pair[p->npairs++][1] = b;
            } else {
                close(a);
                close(b);
            }
            continue;
        }
        for (int i = 0; i < p->npairs; i++) {
            for (int side = 0; side < 2; side++) {
                if (!fds[2 + 2 * i + side].revents)
                    continue;
                char buf[16384];
                ssize_t got = read(p->pair[i][side], buf, sizeof buf);
                bool ok = got > 0;
                for (ssize_t off = 0; ok && off < got;) {
                    ssize_t w = write(p->pair[i][!side], buf + off, (size_t)(got - off));
                    ok = w > 0;
                    off += w > 0 ? w : 0;
                }
                if (!ok) {
                    proxy_drop(p, i);
                    goto next; /* the poll set is stale */
                }
            }
        }
    next:;
    }
}

static void proxy_cmd(proxy_t *p, char c) {
    char a = 0;
    assert_int_equal(write(p->cmd[1], &c, 1), 1);
    assert_int_equal(read(p->ack[0], &a, 1), 1);
    assert_int_equal(a, c);
}

/* A proxy to the server of LECTERN_TEST_PG (TCP or Unix socket), and the test database's URL
 * through it (query parameters override the URL's host and port). */
static void proxy_start(proxy_t *p, const tdb_t *t, char *url, size_t n) {
    memset(p, 0, sizeof *p);
    PGconn *pg = PQconnectdb(t->url);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    const char *host = PQhost(pg), *addr = PQhostaddr(pg);
    int port = (int)strtol(PQport(pg), NULL, 10);
    if (host[0] == '/') {
        struct sockaddr_un *u = (struct sockaddr_un *)&p->to;
        u->sun_family = AF_UNIX;
        snprintf(u->sun_path, sizeof u->sun_path, "%s/.s.PGSQL.%d", host, port);
        p->tolen = sizeof *u;
    } else if (strchr(addr, ':') != NULL) {
        struct sockaddr_in6 *in = (struct sockaddr_in6 *)&p->to;
        in->sin6_family = AF_INET6;
        in->sin6_port = htons((uint16_t)port);
        assert_int_equal(inet_pton(AF_INET6, addr, &in->sin6_addr), 1);
        p->tolen = sizeof *in;
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *)&p->to;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        assert_int_equal(inet_pton(AF_INET, addr, &in->sin_addr), 1);
        p->tolen = sizeof *in;
    }
    PQfinish(pg);
    assert_int_equal(pipe(p->cmd), 0);
    assert_int_equal(pipe(p->ack), 0);
    assert_true(proxy_listen(p));
    assert_int_equal(pthread_create(&p->th, NULL, proxy_main, p), 0);
    snprintf(url, n, "%s%shost=127.0.0.1&port=%d", t->url, strchr(t->url, '?') ? "&" : "?",
             p->port);
}

static void proxy_stop(proxy_t *p) {
    proxy_cmd(p, 'q');
    pthread_join(p->th, NULL);
    for (int i = 0; i < 2; i++) {
        close(p->cmd[i]);
        close(p->ack[i]);
    }
}

/* The server goes away and comes back: every call in between is a quick LC_EUNAVAILABLE
 * (after the first, none waits for a connect), reads, writes and /readyz's ping alike; then
 * calls succeed again without reopening the store, and the listener is back. */
static void server_goes_away_and_comes_back(void **state) {
    fx_t *f = *state;
    proxy_t p;
    char url[1200];
    proxy_start(&p, &f->t, url, sizeof url);
    lc_store_t *s = NULL;
    assert_int_equal(lc_store_open(url, false, &s), LC_OK);
    int64_t n = -1;
    assert_int_equal(lc_store_tenant_count(s, &n), LC_OK); /* and the listener connected */
    uint64_t g = lc_store_generation(s);
    assert_int_equal(g, 1);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");

    proxy_cmd(&p, 'd');
    assert_int_equal(lc_store_tenant_count(s, &n), LC_EUNAVAILABLE);
    int64_t slowest = 0;
    for (int i = 0; i < 20; i++) {
        int64_t t0 = ms_now();
        assert_int_equal(lc_store_tenant_count(s, &n), LC_EUNAVAILABLE);
        assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_EUNAVAILABLE);
        assert_int_equal(lc_store_ping(s), LC_EUNAVAILABLE);
        int64_t dt = ms_now() - t0;
        slowest = dt > slowest ? dt : slowest;
    }
    assert_true(slowest < 500);
    assert_int_equal(lc_store_generation(s), g);

    proxy_cmd(&p, 'u');
    int rc = LC_EUNAVAILABLE;
    for (int64_t end = ms_now() + 5000; rc != LC_OK && ms_now() < end; sleep_ms(20))
        rc = lc_store_tenant_count(s, &n);
    assert_int_equal(rc, LC_OK);
    assert_int_equal(lc_store_bootstrap_tenant(s, &b, NULL, NULL), LC_OK);
    assert_int_equal(lc_store_ping(s), LC_OK);
    assert_true(generation_passes(s, g));
    lc_store_close(s);
    proxy_stop(&p);
}

/* ---- announcements ------------------------------------------------------------------------- */

/* A write that changes authorization on one node advances the generation of another node's
 * store (through NOTIFY and its listener); a write that changes none does not. */
static void announce_reaches_other_store(void **state) {
    fx_t *f = *state;
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    int64_t tid = 0, uid = 0;
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &tid, &uid), LC_OK);
    lc_store_t *other = NULL;
    assert_int_equal(lc_store_open(f->t.url, false, &other), LC_OK);
    int64_t n = 0;
    assert_int_equal(lc_store_tenant_count(other, &n), LC_OK); /* starts its listener */
    /* Both listeners are connected before the first statement of their store runs. */
    assert_int_equal(rdb_int(f->db,
                             "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                             " current_database() AND application_name = 'lectern listener'"),
                     2);
    uint64_t g = lc_store_generation(other);
    assert_int_equal(g, 1);

    lc_actor_t act = {.tenant_id = tid, .user_id = uid, .ip = "192.0.2.1"};
    assert_int_equal(lc_store_tenant_set_rate(f->s, &act, 50, 10), LC_OK);
    assert_true(generation_passes(other, g));
    g = lc_store_generation(other);
    int64_t bob = 0;
    lc_user_new_t u = {.email = "bob@acme.test", .name = "Bob"};
    assert_int_equal(lc_store_user_create(f->s, &act, &u, &bob), LC_OK);
    sleep_ms(300);
    assert_int_equal(lc_store_generation(other), g);
    /* The other way round. A write that would bump but fails announces nothing (the NOTIFY
     * is rolled back with it); one that succeeds does. */
    uint64_t g0 = lc_store_generation(f->s);
    assert_int_equal(lc_store_user_set_status(other, &act, uid, LC_DEACTIVATED), LC_ECONFLICT);
    sleep_ms(300);
    assert_int_equal(lc_store_generation(f->s), g0);
    assert_int_equal(lc_store_user_set_status(other, &act, bob, LC_DEACTIVATED), LC_OK);
    assert_true(generation_passes(f->s, g0));
    lc_store_close(other);
}

/* ---- ids_sync ------------------------------------------------------------------------------ */

static void ids_sync_moves_sequences(void **state) {
    fx_t *f = *state;
    assert_int_equal(rdb_exec(f->db, "INSERT INTO tenants (id, slug, name, created_at, updated_at)"
                                     " VALUES (1000, 'copied', 'Copied', 1, 1)"),
                     0);
    assert_int_equal(rdb_exec(f->db, "INSERT INTO users (id, tenant_id, email, name, created_at,"
                                     " updated_at) VALUES (77, 1000, 'a@b.c', 'A', 1, 1)"),
                     0);
    lc__db_t db;
    assert_int_equal(lc__db_write(f->s, &db), LC_OK);
    assert_non_null(f->s->ops->ids_sync);
    assert_int_equal(lc__db_end(&db, f->s->ops->ids_sync(db.c)), LC_OK);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    int64_t tid = 0, uid = 0;
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &tid, &uid), LC_OK);
    assert_int_equal(tid, 1001);
    assert_int_equal(uid, 78);
    /* Empty tables start at 1; running it again changes nothing. */
    assert_int_equal(rdb_int(f->db, "SELECT min(id) FROM roles"), 1);
    assert_int_equal(lc__db_write(f->s, &db), LC_OK);
    assert_int_equal(lc__db_end(&db, f->s->ops->ids_sync(db.c)), LC_OK);
    b = test_bootstrap("globex", "admin@globex.test");
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &tid, NULL), LC_OK);
    assert_int_equal(tid, 1002);
    assert_null(lc__store_postgres_ops.backup);
}

/* A writer waits for the write lock (held here by another session, as by another node's
 * transaction) up to SQLite's busy timeout, then gets LC_EBUSY as on SQLite; readers are not
 * blocked; once the lock is free the write goes through. */
static void busy_timeout(void **state) {
    fx_t *f = *state;
    int64_t n = -1;
    assert_int_equal(lc_store_tenant_count(f->s, &n), LC_OK);
    assert_int_equal(rdb_exec(f->db, "BEGIN"), 0);
    assert_int_equal(rdb_exec(f->db, "SELECT pg_advisory_xact_lock(30510775313724014)"), 0);
    assert_false(rdb_write_lock_free(&f->t));
    assert_int_equal(lc_store_tenant_count(f->s, &n), LC_OK);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    int64_t t0 = ms_now();
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, NULL, NULL), LC_EBUSY);
    assert_true(ms_now() - t0 >= LC_LIMIT_STORE_BUSY_TIMEOUT_MS * 9 / 10);
    assert_int_equal(rdb_exec(f->db, "COMMIT"), 0);
    assert_true(rdb_write_lock_free(&f->t));
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, NULL, NULL), LC_OK);
}

/* ---- several nodes ------------------------------------------------------------------------- */

/* Nodes starting at once on a fresh database: each migration runs exactly once, the others
 * wait for it and find it done. */
static void concurrent_migrations(void **state) {
    (void)state;
    enum { NODES = 4 };
    int want = (int)lc__migration_count(&lc__store_postgres_ops);
    for (int round = 0; round < 3; round++) {
        tdb_t t;
        tdb_init(&t);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, NODES);
        tdb_migrator_t m[NODES];
        pthread_t th[NODES];
        for (int i = 0; i < NODES; i++) {
            m[i] = (tdb_migrator_t){t.url, &go, -1, -1};
            assert_int_equal(pthread_create(&th[i], NULL, tdb_migrator_main, &m[i]), 0);
        }
        int applied = 0;
        for (int i = 0; i < NODES; i++) {
            assert_int_equal(pthread_join(th[i], NULL), 0);
            assert_int_equal(m[i].rc, LC_OK);
            applied += m[i].applied;
        }
        pthread_barrier_destroy(&go);
        assert_int_equal(applied, want);
        rdb_t *r = rdb_open(&t);
        assert_int_equal(rdb_int(r, "SELECT count(*) FROM schema_migrations"), want);
        rdb_close(r);
        tdb_dispose(&t);
    }
}

/* Two admins deactivating each other through two nodes: the write lock is cluster-wide, so
 * exactly one succeeds. */
static void last_admin_race_across_nodes(void **state) {
    fx_t *f = *state;
    lc_store_t *other = NULL;
    assert_int_equal(lc_store_open(f->t.url, false, &other), LC_OK);
    lc_store_bootstrap_t b = test_bootstrap("acme", "admin@acme.test");
    int64_t tid = 0, first = 0;
    assert_int_equal(lc_store_bootstrap_tenant(f->s, &b, &tid, &first), LC_OK);
    int64_t admin = rdb_int(f->db, "SELECT id FROM roles WHERE builtin = 'console_admin'");
    for (int round = 0; round < 5; round++) {
        char email[64];
        snprintf(email, sizeof email, "second%d@acme.test", round);
        int64_t second = 0;
        lc_user_new_t u = {.email = email,
                           .name = "Second",
                           .password_hash = TEST_HASH,
                           .role_ids = &admin,
                           .nroles = 1};
        lc_actor_t act = {.tenant_id = tid, .user_id = first};
        assert_int_equal(lc_store_user_create(f->s, &act, &u, &second), LC_OK);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, 2);
        tdb_deactivator_t r[2] = {{f->s, {.tenant_id = tid, .user_id = first}, second, &go, 0},
                                  {other, {.tenant_id = tid, .user_id = second}, first, &go, 0}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, tdb_deactivator_main, &r[i]), 0);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_join(th[i], NULL), 0);
        pthread_barrier_destroy(&go);
        assert_true((r[0].rc == LC_OK && r[1].rc == LC_ECONFLICT) ||
                    (r[0].rc == LC_ECONFLICT && r[1].rc == LC_OK));
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id"
                 " WHERE u.status = 'active' AND ur.role_id = %lld",
                 (long long)admin);
        assert_int_equal(rdb_int(f->db, sql), 1);
        first = r[0].rc == LC_OK ? first : second;
    }
    lc_store_close(other);
}

int main(void) {
    /* Only against PostgreSQL: without LECTERN_TEST_PG, exit 77 (skipped). */
    setenv("LC_TEST_BACKEND", "postgres", 1);
    tdb_check_backend();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_missing_database),
        cmocka_unit_test_setup_teardown(sqlstates_map_like_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(blobs_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(terminated_backends, setup, teardown),
        cmocka_unit_test_setup_teardown(server_goes_away_and_comes_back, setup, teardown),
        cmocka_unit_test_setup_teardown(announce_reaches_other_store, setup, teardown),
        cmocka_unit_test_setup_teardown(ids_sync_moves_sequences, setup, teardown),
        cmocka_unit_test_setup_teardown(busy_timeout, setup, teardown),
        cmocka_unit_test(concurrent_migrations),
        cmocka_unit_test_setup_teardown(last_admin_race_across_nodes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, tdb_group_setup, NULL);
}
