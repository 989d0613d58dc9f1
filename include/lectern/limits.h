/* SPDX-License-Identifier: MIT */
/* Every limit lectern enforces, as a named default beside the configuration key that changes
 * it (docs/limits.md explains each). Limits without a key are fixed by design. */
#ifndef LECTERN_LIMITS_H
#define LECTERN_LIMITS_H

/* HTTP (config keys in src/core/config.def) */
#define LC_LIMIT_MAX_BODY_BYTES (1024u * 1024u) /* max_body_bytes -> 413 */
#define LC_LIMIT_MAX_HEADER_BYTES (16u * 1024u) /* max_header_bytes -> 431 (as Node.js) */
#define LC_LIMIT_CONN_TIMEOUT_S 30              /* conn_timeout_s: idle/slow connection */
#define LC_LIMIT_MAX_CONNECTIONS 1024           /* max_connections */
#define LC_LIMIT_SHUTDOWN_TIMEOUT_S 10          /* shutdown_timeout_s: in-flight drain */
#define LC_LIMIT_MAX_THREADS 256                /* threads: upper bound of the key */
#define LC_LIMIT_REQUEST_ARENA_BYTES (64u * 1024u * 1024u) /* fixed: memory of one request */
/* fixed: a chunked body that passes max_body_bytes is read on and dropped so that the client
 * gets its 413 once the body ends (libmicrohttpd 0.9.75 cannot answer mid-body); past this many
 * more bytes the connection is closed instead. */
#define LC_LIMIT_HTTP_DISCARD_BYTES (1024u * 1024u)
/* fixed: libmicrohttpd's per-connection memory pool is max_header_bytes plus this: room for its
 * bookkeeping and the response head, so that our exact header check (and its JSON 431) runs
 * before libmicrohttpd would refuse the head on its own. */
#define LC_LIMIT_HTTP_POOL_SLACK_BYTES (8u * 1024u)

/* Arena chunk (fixed) */
#define LC_ARENA_CHUNK_DEFAULT (16u * 1024u)

/* Configuration file (fixed) */
#define LC_LIMIT_CONFIG_FILE_BYTES (64u * 1024u)
#define LC_LIMIT_CONFIG_LINE_BYTES 4096

/* Store (fixed) */
#define LC_LIMIT_STORE_BUSY_TIMEOUT_MS 5000

/* API (fixed): page size of list fields (`first`), the default when absent and the most a page
 * may hold (a larger `first` is refused with BAD_USER_INPUT, never silently lowered). */
#define LC_LIMIT_API_PAGE_DEFAULT 20
#define LC_LIMIT_API_PAGE_MAX 100

/* Identity (fixed): lengths of names users type */
#define LC_LIMIT_TENANT_SLUG_MAX 63
#define LC_LIMIT_NAME_MAX 200
#define LC_LIMIT_EMAIL_MAX 254
#define LC_LIMIT_PASSWORD_MIN 12
#define LC_LIMIT_PASSWORD_MAX 1024

#endif
