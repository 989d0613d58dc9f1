/* SPDX-License-Identifier: MIT */
/* `lectern demo`: a fresh data directory with a demo tenant worth exploring (a Console Admin,
 * custom roles and their holders, ~300 learners, courses, ~800 enrollments) and a second tenant
 * to show that tenants are apart; prints the Console URL and the credentials once, then serves
 * exactly as `lectern serve` does. The data is generated deterministically from small lists, so
 * every demo looks the same; only the password differs. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "cli_int.h"
#include "lectern/log.h"
#include "lectern/password.h"

#define DEMO_SLUG "demo"
#define DEMO_NAME "Demo Academy"
#define OTHER_SLUG "other"
#define OTHER_NAME "Other Industries"
#define LEARNERS 300
#define ENROLLMENTS 800
#define DAY (24 * 60 * 60)

/* A name for people and its ASCII spelling for email addresses. */
typedef struct name {
    const char *text, *ascii;
} name_t;

static const name_t first_names[] = {
    {"Amara", "amara"},   {"Ben", "ben"},       {"Chloé", "chloe"}, {"Dmitri", "dmitri"},
    {"Elena", "elena"},   {"Farid", "farid"},   {"Grace", "grace"}, {"Hiroshi", "hiroshi"},
    {"Inès", "ines"},     {"Jonas", "jonas"},   {"Kavya", "kavya"}, {"Liam", "liam"},
    {"Maya", "maya"},     {"Noah", "noah"},     {"Olga", "olga"},   {"Pedro", "pedro"},
    {"Quinn", "quinn"},   {"Rosa", "rosa"},     {"Sven", "sven"},   {"Tariq", "tariq"},
    {"Uma", "uma"},       {"Victor", "victor"}, {"Wen", "wen"},     {"Ximena", "ximena"},
    {"Yusuf", "yusuf"},   {"Zoë", "zoe"},       {"Aisha", "aisha"}, {"Bruno", "bruno"},
    {"Carmen", "carmen"}, {"Diego", "diego"},   {"Emma", "emma"},   {"Felix", "felix"},
    {"Hannah", "hannah"}, {"Ivan", "ivan"},     {"Julia", "julia"}, {"Kofi", "kofi"},
    {"Lucía", "lucia"},   {"Mateo", "mateo"},   {"Nadia", "nadia"}, {"Omar", "omar"},
};

static const name_t last_names[] = {
    {"Adeyemi", "adeyemi"}, {"Bergström", "bergstrom"}, {"Castillo", "castillo"},
    {"Dubois", "dubois"},   {"Eriksen", "eriksen"},     {"Fernández", "fernandez"},
    {"García", "garcia"},   {"Haddad", "haddad"},       {"Ivanova", "ivanova"},
    {"Jensen", "jensen"},   {"Kowalski", "kowalski"},   {"Laurent", "laurent"},
    {"Müller", "muller"},   {"Nakamura", "nakamura"},   {"O'Brien", "obrien"},
    {"Patel", "patel"},     {"Quispe", "quispe"},       {"Rossi", "rossi"},
    {"Schmidt", "schmidt"}, {"Tanaka", "tanaka"},       {"Ueda", "ueda"},
    {"Varga", "varga"},     {"Wójcik", "wojcik"},       {"Xu", "xu"},
    {"Yilmaz", "yilmaz"},   {"Zhang", "zhang"},         {"Andersson", "andersson"},
    {"Bianchi", "bianchi"}, {"Chen", "chen"},           {"Dlamini", "dlamini"},
    {"Evans", "evans"},     {"Fischer", "fischer"},     {"Gómez", "gomez"},
    {"Hoang", "hoang"},     {"Iyer", "iyer"},           {"Johansson", "johansson"},
    {"Kim", "kim"},         {"Lopez", "lopez"},         {"Mensah", "mensah"},
    {"Novak", "novak"},
};

#define NFIRST (sizeof first_names / sizeof first_names[0])
#define NLAST (sizeof last_names / sizeof last_names[0])
/* Learner i gets the name pair (i * STRIDE) mod NFIRST*NLAST: STRIDE is prime to 1600, so no two
 * learners share a pair (hence an email). */
#define STRIDE 613
_Static_assert(LEARNERS <= NFIRST * NLAST, "not enough distinct names");

typedef struct course {
    const char *title, *code, *status;
} course_t;

/* The draft course comes last and gets no enrollments. */
static const course_t courses[] = {
    {"Workplace Safety Essentials", "SAFE-101", "published"},
    {"Data Privacy and GDPR", "PRIV-110", "published"},
    {"Introduction to SQL", "DATA-120", "published"},
    {"Giving Effective Feedback", "LEAD-201", "published"},
    {"Project Management Fundamentals", "PM-101", "published"},
    {"Customer Service Excellence", "CS-101", "published"},
    {"Python for Analysts", "DATA-220", "published"},
    {"Respect at Work", "HR-100", "published"},
    {"Presentation Skills", "COMM-150", "published"},
    {"Cybersecurity Awareness 2023", "SEC-100-2023", "archived"},
    {"Leading Remote Teams", "LEAD-310", "published"},
    {"Negotiation Basics", "COMM-210", "draft"},
};
#define NCOURSES (sizeof courses / sizeof courses[0])
#define NOPEN (NCOURSES - 1) /* courses that take enrollments: 11, a prime */

/* Console users of the demo tenant besides its admin: they share the admin's password. */
typedef struct staff {
    const char *email, *name, *role;
} staff_t;

static const staff_t staff[] = {
    {"tokens@demo.test", "Tomás Reyes", "Token Manager"},
    {"support@demo.test", "Sam Okafor", "Support"},
    {"courses@demo.test", "Priya Nair", "Course Manager"},
};
#define NSTAFF (sizeof staff / sizeof staff[0])

typedef struct role_def {
    const char *name, *description;
    lc_permset_t perms;
} role_def_t;

#define P(x) lc_permset_of(LC_PERM_##x)

typedef struct seed {
    lc_store_t *store;
    lc_arena_t *arena;
    const char *password; /* borrowed */
    int64_t now;
    uint64_t rng;
    /* What was made, for the summary. */
    int64_t users, learners, deactivated, enrollments, other_users;
} seed_t;

/* splitmix64: a fixed sequence, so that every demo has the same data. */
static uint32_t next(seed_t *s, uint32_t bound) {
    uint64_t z = (s->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (uint32_t)(z % bound);
}

/* Creates a user; password true gives them the demo password (hashed for each: own salt). */
static int user(seed_t *s, const lc_actor_t *a, const char *email, const char *name, bool password,
                const int64_t *roles, uint32_t nroles, int64_t *id) {
    char hash[LC_PASSWORD_HASH_MAX];
    int rc = LC_OK;
    if (password)
        rc = lc_password_hash(s->password, strlen(s->password), hash);
    if (rc == LC_OK) {
        lc_user_new_t u = {email, name, password ? hash : NULL, roles, nroles};
        rc = lc_store_user_create(s->store, a, &u, id);
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}

static int role_of(seed_t *s, int64_t tenant_id, lc_role_builtin_t builtin, int64_t *id) {
    lc_role_t *roles = NULL;
    uint32_t n = 0;
    int rc = lc__cli_roles(s->store, s->arena, tenant_id, &roles, &n);
    for (uint32_t i = 0; rc == LC_OK && i < n; i++) {
        if (roles[i].builtin == builtin) {
            *id = roles[i].id;
            return LC_OK;
        }
    }
    return rc == LC_OK ? LC_ENOTFOUND : rc;
}

/* A tenant with its admin (the demo password) and built-in roles; *learner_role its Learner. */
static int tenant(seed_t *s, const char *slug, const char *name, const char *email,
                  const char *admin_name, int64_t *tenant_id, int64_t *learner_role) {
    char hash[LC_PASSWORD_HASH_MAX];
    int rc = lc_password_hash(s->password, strlen(s->password), hash);
    if (rc == LC_OK) {
        lc_store_bootstrap_t b = {slug, name, email, admin_name, hash};
        rc = lc_store_bootstrap_tenant(s->store, &b, tenant_id, NULL);
    }
    sodium_memzero(hash, sizeof hash);
    if (rc == LC_OK)
        rc = role_of(s, *tenant_id, LC_ROLE_LEARNER, learner_role);
    return rc;
}

/* An enrollment of learner in course with a plausible history: status, progress and dates
 * that fit each other. Archived courses only have finished enrollments. */
static int enroll(seed_t *s, const lc_actor_t *a, int64_t learner, int64_t course, bool archived) {
    lc_enrollment_t e = {.user_id = learner, .course_id = course};
    uint32_t r = next(s, 100);
    if (archived)
        r = r < 80 ? 60 : 95;
    if (r < 22) {
        e.status = "enrolled";
    } else if (r < 57) {
        e.status = "in_progress";
        e.progress = 5 + next(s, 91);
        e.started_at = s->now - (int64_t)(1 + next(s, 120)) * DAY - next(s, DAY);
    } else if (r < 90) {
        e.status = "completed";
        e.progress = 100;
        e.started_at = s->now - (int64_t)(30 + next(s, 335)) * DAY - next(s, DAY);
        e.ended_at = e.started_at + (int64_t)(3 + next(s, 25)) * DAY + next(s, DAY);
    } else {
        e.status = "withdrawn";
        e.progress = next(s, 61);
        e.started_at = s->now - (int64_t)(20 + next(s, 280)) * DAY - next(s, DAY);
        e.ended_at = e.started_at + (int64_t)(1 + next(s, 15)) * DAY + next(s, DAY);
    }
    int rc = lc_store_enrollment_create(s->store, a, &e, NULL);
    if (rc == LC_OK)
        s->enrollments++;
    return rc;
}

static int seed_demo(seed_t *s) {
    int64_t tid = 0, learner_role = 0, course_ids[NCOURSES], learners[LEARNERS];
    int rc = tenant(s, DEMO_SLUG, DEMO_NAME, "admin@demo.test", "Alex Morgan", &tid, &learner_role);
    if (rc != LC_OK)
        return rc;
    s->users = 1;
    lc_actor_t a = {.tenant_id = tid};

    const role_def_t roles[] = {
        {"Token Manager", "Reads, generates and manages the tenant's developer tokens.",
         P(READ_DEVELOPER_TOKENS) | P(CREATE_DEVELOPER_TOKENS) | P(UPDATE_DEVELOPER_TOKENS)},
        {"Support", "Looks up and corrects users' details for the help desk.",
         P(READ_USERS) | P(UPDATE_USERS)},
        {"Course Manager", "Runs the course catalog and enrolls learners.",
         P(READ_COURSES) | P(CREATE_COURSES) | P(UPDATE_COURSES) | P(READ_ENROLLMENTS) |
             P(CREATE_ENROLLMENTS) | P(UPDATE_ENROLLMENTS)},
    };
    int64_t role_ids[sizeof roles / sizeof roles[0]];
    for (size_t i = 0; i < sizeof roles / sizeof roles[0] && rc == LC_OK; i++)
        rc = lc_store_role_create(s->store, &a, roles[i].name, roles[i].description, roles[i].perms,
                                  &role_ids[i]);
    for (size_t i = 0; i < NSTAFF && rc == LC_OK; i++) {
        int64_t rid = 0;
        for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++)
            if (strcmp(roles[k].name, staff[i].role) == 0)
                rid = role_ids[k];
        rc = user(s, &a, staff[i].email, staff[i].name, true, &rid, 1, NULL);
        s->users++;
    }
    for (size_t i = 0; i < NCOURSES && rc == LC_OK; i++)
        rc = lc_store_course_create(s->store, &a, courses[i].title, courses[i].code,
                                    courses[i].status, &course_ids[i]);
    for (uint32_t i = 0; i < LEARNERS && rc == LC_OK; i++) {
        uint32_t pair = (i * STRIDE + 7) % (uint32_t)(NFIRST * NLAST);
        const name_t *f = &first_names[pair % NFIRST], *l = &last_names[pair / NFIRST];
        char email[128], name[128];
        snprintf(email, sizeof email, "%s.%s@demo.test", f->ascii, l->ascii);
        snprintf(name, sizeof name, "%s %s", f->text, l->text);
        rc = user(s, &a, email, name, false, &learner_role, 1, &learners[i]);
        s->users++;
        s->learners++;
    }
    /* About one learner in twenty-five has left. */
    for (uint32_t i = 0; i < LEARNERS && rc == LC_OK; i++) {
        if (next(s, 25) != 0)
            continue;
        rc = lc_store_user_set_status(s->store, &a, learners[i], LC_DEACTIVATED);
        s->deactivated++;
    }
    /* One to five courses each until there are ENROLLMENTS; the last learners have none yet. A
     * step prime to NOPEN visits distinct courses. */
    for (uint32_t i = 0; i < LEARNERS && rc == LC_OK && s->enrollments < ENROLLMENTS; i++) {
        uint32_t k = 1 + next(s, 5), start = next(s, NOPEN), step = 1 + next(s, NOPEN - 1);
        for (uint32_t m = 0; m < k && rc == LC_OK && s->enrollments < ENROLLMENTS; m++) {
            uint32_t c = (start + m * step) % NOPEN;
            rc = enroll(s, &a, learners[i], course_ids[c],
                        strcmp(courses[c].status, "archived") == 0);
        }
    }
    return rc;
}

/* A second tenant: the same kinds of data, none of it visible from the demo tenant. */
static int seed_other(seed_t *s) {
    static const char *const people[][2] = {
        {"li.wei@other.test", "Li Wei"},           {"marta.silva@other.test", "Marta Silva"},
        {"john.doe@other.test", "John Doe"},       {"fatima.zahra@other.test", "Fatima Zahra"},
        {"erik.larsen@other.test", "Erik Larsen"}, {"ana.popescu@other.test", "Ana Popescu"},
    };
    int64_t tid = 0, learner_role = 0, course = 0;
    int rc =
        tenant(s, OTHER_SLUG, OTHER_NAME, "admin@other.test", "Morgan Lee", &tid, &learner_role);
    if (rc != LC_OK)
        return rc;
    lc_actor_t a = {.tenant_id = tid};
    s->other_users = 1;
    rc =
        lc_store_course_create(s->store, &a, "Forklift Operation", "OPS-100", "published", &course);
    for (size_t i = 0; i < sizeof people / sizeof people[0] && rc == LC_OK; i++) {
        int64_t uid = 0;
        rc = user(s, &a, people[i][0], people[i][1], false, &learner_role, 1, &uid);
        s->other_users++;
        if (rc == LC_OK && i % 2 == 0) {
            lc_enrollment_t e = {.user_id = uid, .course_id = course, .status = "enrolled"};
            rc = lc_store_enrollment_create(s->store, &a, &e, NULL);
        }
    }
    return rc;
}

/* The Console URL once the server listens (the port is known only then with port 0). */
static void listening(void *ctx, const char *host, unsigned port) {
    (void)ctx;
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
        host = "localhost";
    bool v6 = strchr(host, ':') != NULL;
    printf("\nConsole: http://%s%s%s:%u/console/   (tenant \"%s\"; Ctrl-C stops the server)\n",
           v6 ? "[" : "", host, v6 ? "]" : "", port, DEMO_SLUG);
    fflush(stdout);
}

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int run(lc_cli_t *cli) {
    const lc_config_t *c = &cli->config;
    char generated[LC__CLI_GENERATED_MAX] = {0};
    const char *password = NULL;
    bool is_generated = false;
    lc_store_t *store = NULL;
    lc_arena_t arena;
    int rc = LC_EXIT_FAIL;

    lc_arena_init(&arena, 0, 0);
    if (!c->store[0]) {
        char db[4200];
        struct stat st;
        snprintf(db, sizeof db, "%s/lectern.db", c->data_dir);
        if (stat(db, &st) == 0) {
            lc__cli_err(cli,
                        "%s already holds a lectern database; nothing was changed. Serve it "
                        "with `lectern serve --data-dir %s`, or give demo a new directory with "
                        "--data-dir",
                        c->data_dir, c->data_dir);
            goto out;
        }
    }
    if (lc_auth_init() != LC_OK) {
        lc__cli_err(cli, "cannot initialise the crypto library");
        goto out;
    }
    rc = lc__cli_admin_password(cli, generated, &password, &is_generated);
    if (rc != LC_EXIT_OK)
        goto out;
    rc = LC_EXIT_FAIL;
    if (!c->store[0]) {
        int e = lc__cli_make_dirs(c->data_dir);
        if (e) {
            lc__cli_err(cli, "cannot create data directory %s: %s", c->data_dir, strerror(e));
            goto out;
        }
    }
    if (lc__cli_open_store(c, true, &store) != LC_EXIT_OK || lc__cli_migrate(store) != LC_EXIT_OK)
        goto out;
    int64_t tenants = 0;
    int src = lc_store_tenant_count(store, &tenants);
    if (src == LC_OK && tenants > 0) {
        lc__cli_err(cli,
                    "the store already holds %lld tenant%s; nothing was changed. Serve it with "
                    "`lectern serve`, or give demo a new --data-dir",
                    (long long)tenants, tenants == 1 ? "" : "s");
        goto out;
    }

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    seed_t s = {.store = store,
                .arena = &arena,
                .password = password,
                .now = lc__cli_now(),
                .rng = 20240501};
    if (src == LC_OK)
        src = seed_demo(&s);
    if (src == LC_OK)
        src = seed_other(&s);
    if (src != LC_OK) {
        lc__cli_err(cli,
                    "cannot create the demo data: %s (details in the log above); remove %s "
                    "and try again",
                    lc_status_text(src), c->store[0] ? "the store's tables" : c->data_dir);
        goto out;
    }
    double took = seconds_since(&t0);
    lc_log_rec_t r;
    lc_log_begin(&r, LC_LOG_INFO, "demo.seeded");
    lc_log_i64(&r, "users", s.users + s.other_users);
    lc_log_i64(&r, "enrollments", s.enrollments);
    lc_log_i64(&r, "ms", (int64_t)(took * 1000));
    lc_log_end(&r);

    char url[4096], where[4096], flags[4200];
    lc__cli_store_url(c, url, sizeof url);
    lc_config_mask_url(url, where, sizeof where);
    lc__cli_store_flags(c, flags, sizeof flags);
    printf("lectern demo: data in %s (seeded in %.2f s)\n\n", c->store[0] ? where : c->data_dir,
           took);
    printf("Tenant \"%s\" (%s): %lld users (%lld learners, %lld of them deactivated), %zu "
           "courses, %lld enrollments,\n  custom roles Token Manager, Support, Course Manager\n",
           DEMO_SLUG, DEMO_NAME, (long long)s.users, (long long)s.learners,
           (long long)s.deactivated, NCOURSES, (long long)s.enrollments);
    printf("Tenant \"%s\" (%s): %lld users, to show that tenants never see each other\n\n",
           OTHER_SLUG, OTHER_NAME, (long long)s.other_users);
    printf("Console users, all with the same password:\n");
    printf("  %-20s %-8s %s\n", "admin@demo.test", DEMO_SLUG, "Console Admin");
    for (size_t i = 0; i < NSTAFF; i++)
        printf("  %-20s %-8s %s\n", staff[i].email, DEMO_SLUG, staff[i].role);
    printf("  %-20s %-8s %s\n", "admin@other.test", OTHER_SLUG, "Console Admin");
    if (is_generated) {
        lc__cli_print_generated(generated);
    } else {
        printf("  password: from LECTERN_ADMIN_PASSWORD\n");
    }
    printf("\nLater: lectern serve %s\n", flags);
    fflush(stdout);
    sodium_memzero(generated, sizeof generated);

    rc = lc__cli_serve(cli, store, listening, NULL);
out:
    sodium_memzero(generated, sizeof generated);
    lc_store_close(store);
    lc_arena_dispose(&arena);
    if (rc == LC_EXIT_OK)
        lc_log_msg(LC_LOG_INFO, "server.stopped", "lectern stopped");
    return rc;
}

static const lc_cli_opt_t opts[] = {{NULL, NULL, NULL}};

const lc_cli_cmd_t lc__cmd_demo = {
    .name = "demo",
    .summary = "create a demo data directory, print its credentials, and serve it",
    .description =
        "Creates a fresh data directory (--data-dir; refuses one that already holds a database) "
        "with\n"
        "a demo tenant \"demo\" (Demo Academy): its Console Admin admin@demo.test; custom roles "
        "Token\n"
        "Manager, Support and Course Manager with a user each (tokens@, support@, "
        "courses@demo.test);\n"
        "300 learners, 12 courses and 800 enrollments; and a second tenant \"other\". Prints the\n"
        "Console URL and the password all the Console users share (LECTERN_ADMIN_PASSWORD, or\n"
        "generated and shown once), then serves exactly as `lectern serve` does (--listen "
        "HOST:PORT).",
    .opts = opts,
    .run = run,
};
