/* SPDX-License-Identifier: MIT */
/* Request ids: a random per-process prefix and a counter, 16 hex digits. Unique within a
 * process, unlikely to collide across nodes, cheap (one atomic add), and they reveal nothing but
 * a request count. Sent back as X-Request-Id and written to the access log. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "http_int.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint32_t prefix;
static atomic_uint_fast32_t counter;

static void seed(void) {
    uint32_t v = 0;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v) {
        /* No entropy call (old kernel, seccomp): ids need only be distinct, not secret. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        v = (uint32_t)ts.tv_nsec ^ ((uint32_t)ts.tv_sec << 12) ^ ((uint32_t)getpid() << 20);
    }
    prefix = v;
}

void lc_http__request_id_format(uint32_t pfx, uint32_t n, char out[LC_HTTP__REQUEST_ID_LEN + 1]) {
    static const char hex[] = "0123456789abcdef";
    uint64_t v = ((uint64_t)pfx << 32) | n;
    for (int i = LC_HTTP__REQUEST_ID_LEN - 1; i >= 0; i--) {
        out[i] = hex[v & 0xf];
        v >>= 4;
    }
    out[LC_HTTP__REQUEST_ID_LEN] = '\0';
}

void lc_http__request_id_next(char out[LC_HTTP__REQUEST_ID_LEN + 1]) {
    pthread_once(&once, seed);
    uint32_t n = (uint32_t)atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed);
    lc_http__request_id_format(prefix, n, out);
}
