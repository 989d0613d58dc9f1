/* SPDX-License-Identifier: MIT */
/* songs-server: the songs workload of the public cross-language GraphQL benchmark, served by
 * lectern's engine (gql), HTTP server (lc_http) and GraphQL-over-HTTP handler (lc_gqlhttp) at
 * /graphql. It exists to compare our engine with other servers on the same work, and as a
 * conformance fixture for graphql-http's audit and the differential tests against graphql-js.
 *
 * Data: the embedded songs.json, loaded once into C structs; likes are atomic counters that
 * the `like` mutation increments. */
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gql/schema.h"
#include "lectern/alloc.h"
#include "lectern/config.h"
#include "lectern/embed.h"
#include "lectern/graphql_http.h"
#include "lectern/json.h"
#include "lectern/http.h"
#include "lectern/log.h"

extern const lc_embed_file_t lc_songs_assets[];

typedef struct artist artist_t;

typedef struct song {
    lc_str_t name;
    int64_t duration;
    lc_str_t release;
    _Atomic int64_t likes;
    const artist_t *artist;
} song_t;

struct artist {
    lc_str_t name;
    gql_val_t *origin; /* GQL_VAL_STRING items */
    uint32_t norigin;
    song_t *songs;
    uint32_t nsongs;
};

typedef struct songs_db {
    lc_arena_t arena; /* owns everything, including the strings */
    artist_t *artists;
    uint32_t nartists;
    const gql_schema_type_t *artist_type, *song_type;
} songs_db_t;

static songs_db_t db;

static const lc_embed_file_t *asset(const char *name) {
    for (const lc_embed_file_t *f = lc_songs_assets; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

static lc_str_t dup_str(json_t *j) {
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    char *d = s ? lc_arena_strndup(&db.arena, s, n) : NULL;
    return d ? lc_str_make(d, n) : LC_STR_NULL;
}

/* Loads songs.json into db. Returns LC_OK, LC_EINVAL for unexpected data, LC_ENOMEM. */
static int load_data(void) {
    const lc_embed_file_t *f = asset("songs.json");
    json_error_t err;
    json_t *root = json_loadb((const char *)f->data, f->len, 0, &err);
    int rc = LC_EINVAL;
    json_t *artists = json_object_get(root, "artists");
    if (!json_is_array(artists))
        goto out;
    rc = LC_ENOMEM;
    db.nartists = (uint32_t)json_array_size(artists);
    db.artists = lc_arena_calloc(&db.arena, db.nartists, sizeof *db.artists);
    if (!db.artists)
        goto out;
    for (uint32_t i = 0; i < db.nartists; i++) {
        json_t *a = json_array_get(artists, i);
        artist_t *ar = &db.artists[i];
        json_t *origin = json_object_get(a, "origin");
        json_t *songs = json_object_get(a, "songs");
        ar->name = dup_str(json_object_get(a, "name"));
        ar->norigin = (uint32_t)json_array_size(origin);
        ar->nsongs = (uint32_t)json_array_size(songs);
        ar->origin = lc_arena_calloc(&db.arena, ar->norigin, sizeof *ar->origin);
        ar->songs = lc_arena_calloc(&db.arena, ar->nsongs, sizeof *ar->songs);
        if (!ar->name.ptr || (ar->norigin && !ar->origin) || (ar->nsongs && !ar->songs))
            goto out;
        for (uint32_t k = 0; k < ar->norigin; k++)
            ar->origin[k] = gql_val_str(dup_str(json_array_get(origin, k)));
        for (uint32_t k = 0; k < ar->nsongs; k++) {
            json_t *s = json_array_get(songs, k);
            song_t *so = &ar->songs[k];
            so->name = dup_str(json_object_get(s, "name"));
            so->duration = json_integer_value(json_object_get(s, "duration"));
            so->release = dup_str(json_object_get(s, "release"));
            atomic_init(&so->likes, json_integer_value(json_object_get(s, "likes")));
            so->artist = ar;
        }
    }
    rc = LC_OK;
out:
    json_decref(root);
    return rc;
}

/* ---- Resolvers ------------------------------------------------------------------------------ */

static gql_val_t artist_val(const artist_t *a) {
    return a ? gql_val_object(a, db.artist_type) : gql_val_null();
}

static const artist_t *find_artist(lc_str_t name) {
    for (uint32_t i = 0; i < db.nartists; i++)
        if (lc_str_eq(db.artists[i].name, name))
            return &db.artists[i];
    return NULL;
}

static int q_artists(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out) {
    (void)parent;
    (void)args;
    gql_val_t *items = lc_arena_alloc(info->arena, db.nartists * sizeof *items);
    if (!items)
        return LC_ENOMEM;
    for (uint32_t i = 0; i < db.nartists; i++)
        items[i] = artist_val(&db.artists[i]);
    *out = gql_val_list(items, db.nartists);
    return LC_OK;
}

static int q_artist(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                    gql_val_t *out) {
    (void)info;
    (void)parent;
    *out = artist_val(find_artist(args[0].s));
    return LC_OK;
}

static int artist_name(const gql_resolve_info_t *info, const gql_val_t *parent,
                       const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    *out = gql_val_str(((const artist_t *)parent->obj.ptr)->name);
    return LC_OK;
}

static int artist_origin(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    const artist_t *a = parent->obj.ptr;
    *out = gql_val_list(a->origin, a->norigin);
    return LC_OK;
}

static int artist_songs(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)args;
    const artist_t *a = parent->obj.ptr;
    gql_val_t *items = lc_arena_alloc(info->arena, a->nsongs * sizeof *items);
    if (!items)
        return LC_ENOMEM;
    for (uint32_t i = 0; i < a->nsongs; i++)
        items[i] = gql_val_object(&a->songs[i], db.song_type);
    *out = gql_val_list(items, a->nsongs);
    return LC_OK;
}

static int song_name(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                     gql_val_t *out) {
    (void)info;
    (void)args;
    *out = gql_val_str(((const song_t *)parent->obj.ptr)->name);
    return LC_OK;
}

static int song_duration(const gql_resolve_info_t *info, const gql_val_t *parent,
                         const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    *out = gql_val_int(((const song_t *)parent->obj.ptr)->duration);
    return LC_OK;
}

static int song_release(const gql_resolve_info_t *info, const gql_val_t *parent,
                        const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    const song_t *s = parent->obj.ptr;
    *out = s->release.ptr ? gql_val_str(s->release) : gql_val_null();
    return LC_OK;
}

static int song_likes(const gql_resolve_info_t *info, const gql_val_t *parent,
                      const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    song_t *s = (song_t *)parent->obj.ptr;
    *out = gql_val_int(atomic_load_explicit(&s->likes, memory_order_relaxed));
    return LC_OK;
}

static int song_artist(const gql_resolve_info_t *info, const gql_val_t *parent,
                       const gql_val_t *args, gql_val_t *out) {
    (void)info;
    (void)args;
    *out = artist_val(((const song_t *)parent->obj.ptr)->artist);
    return LC_OK;
}

/* Mutation.like(artist:, song:): the song with one more like, or null when there is none. */
static int m_like(const gql_resolve_info_t *info, const gql_val_t *parent, const gql_val_t *args,
                  gql_val_t *out) {
    (void)info;
    (void)parent;
    const artist_t *a = find_artist(args[0].s);
    *out = gql_val_null();
    for (uint32_t i = 0; a && i < a->nsongs; i++) {
        if (lc_str_eq(a->songs[i].name, args[1].s)) {
            atomic_fetch_add_explicit(&a->songs[i].likes, 1, memory_order_relaxed);
            *out = gql_val_object(&a->songs[i], db.song_type);
            break;
        }
    }
    return LC_OK;
}

/* Date: the release date as its ISO 8601 string, in and out. */
static int date_serialize(void *ctx, const gql_val_t *v, lc_buf_t *b) {
    (void)ctx;
    if (v->kind != GQL_VAL_STRING)
        return LC_EINVAL;
    return lc_json_write_str(b, v->s);
}

static int date_parse(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                      const char **why) {
    (void)ctx;
    (void)arena;
    if (in->kind != GQL_VAL_STRING) {
        *why = "Date must be a string such as \"2017-05-05\"";
        return LC_EINVAL;
    }
    *out = *in;
    return LC_OK;
}

static int bind_all(gql_schema_t *s) {
    static const struct {
        const char *coordinate;
        gql_resolve_fn fn;
    } binds[] = {
        {"Query.artists", q_artists},     {"Query.artist", q_artist},
        {"Artist.name", artist_name},     {"Artist.origin", artist_origin},
        {"Artist.songs", artist_songs},   {"Song.name", song_name},
        {"Song.duration", song_duration}, {"Song.release", song_release},
        {"Song.likes", song_likes},       {"Song.artist", song_artist},
        {"Mutation.like", m_like},
    };
    for (size_t i = 0; i < sizeof binds / sizeof binds[0]; i++) {
        int rc = gql_schema_bind(s, binds[i].coordinate, binds[i].fn, NULL);
        if (rc != LC_OK) {
            fprintf(stderr, "songs-server: cannot bind %s\n", binds[i].coordinate);
            return rc;
        }
    }
    return gql_schema_bind_scalar(s, "Date", date_serialize, date_parse, NULL);
}

static void usage(void) {
    fprintf(stderr, "Usage: songs-server [--listen HOST:PORT] [--threads N] [--access-log]\n"
                    "Serves the songs benchmark schema at /graphql (default 127.0.0.1:8000, one "
                    "thread per core).\n");
}

int main(int argc, char **argv) {
    lc_http_options_t o;
    lc_http_options_default(&o);
    char host[64] = "127.0.0.1";
    uint16_t port = 8000;
    o.access_log = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--listen") == 0 && i + 1 < argc) {
            lc_config_t c;
            char err[LC_CONFIG_ERR_MAX];
            if (lc_config_init(&c) != LC_OK ||
                lc_config_set(&c, LC_CFG_KEY_listen, lc_str_from(argv[++i]), LC_CFG_SRC_FLAG,
                              "--listen", err) != LC_OK) {
                fprintf(stderr, "songs-server: %s\n", err);
                lc_config_dispose(&c);
                return 2;
            }
            snprintf(host, sizeof host, "%s", c.listen_host);
            port = c.listen_port;
            lc_config_dispose(&c);
        } else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
            int64_t n;
            if (lc_str_to_i64(lc_str_from(argv[++i]), 0, 256, &n) != LC_OK) {
                fprintf(stderr, "songs-server: --threads takes a number from 0 to 256\n");
                return 2;
            }
            o.threads = (unsigned)n;
        } else if (strcmp(a, "--access-log") == 0) {
            o.access_log = true;
        } else {
            usage();
            return strcmp(a, "--help") == 0 ? 0 : 2;
        }
    }
    o.host = host;
    o.port = port;

    int rc = 1;
    gql_schema_t *schema = NULL;
    lc_gql_http_t *gh = NULL;
    lc_http_server_t *server = NULL;
    lc_arena_init(&db.arena, 0, 0);
    if (load_data() != LC_OK) {
        fprintf(stderr, "songs-server: cannot load songs.json\n");
        goto out;
    }
    const lc_embed_file_t *sdl = asset("songs.graphql");
    lc_arena_t scratch;
    lc_arena_init(&scratch, 0, 0);
    gql_diags_t diags;
    gql_diags_init(&diags, &scratch, 0);
    if (gql_schema_build((const char *)sdl->data, sdl->len, &diags, &schema) != LC_OK) {
        for (const gql_diag_t *d = diags.head; d; d = d->next)
            fprintf(stderr, "songs-server: schema: %.*s\n", (int)d->message.len, d->message.ptr);
        lc_arena_dispose(&scratch);
        goto out;
    }
    lc_arena_dispose(&scratch);
    db.artist_type = gql_schema_find_type(schema, LC_STR("Artist"));
    db.song_type = gql_schema_find_type(schema, LC_STR("Song"));
    if (bind_all(schema) != LC_OK)
        goto out;
    lc_gql_http_options_t go = {.schema = schema};
    if (lc_gql_http_create(&go, &gh) != LC_OK)
        goto out;
    const lc_http_route_t routes[] = {
        {"/graphql", LC_HTTP_GET | LC_HTTP_POST, lc_gql_http_handle, gh},
    };
    if (lc_http_server_create(&o, routes, 1, &server) != LC_OK) {
        fprintf(stderr, "songs-server: cannot listen on %s:%u\n", host, port);
        goto out;
    }
    lc_http_wait_for_shutdown_signal();
    rc = 0;
out:
    lc_http_server_destroy(server);
    lc_gql_http_destroy(gh);
    gql_schema_destroy(schema);
    lc_arena_dispose(&db.arena);
    return rc;
}
