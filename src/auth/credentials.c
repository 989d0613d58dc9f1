/* SPDX-License-Identifier: MIT */
/* Credentials out of HTTP header values: the token of "Authorization: Bearer <token>" and a
 * cookie of a Cookie header. The first thing the API layer runs on a request's credentials;
 * nothing here allocates or knows the store, and fuzz/fuzz_token.c exercises both. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "lectern/auth.h"

static bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

static lc_str_t trim_ows(lc_str_t s) {
    while (s.len && is_ows(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len && is_ows(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

/* credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]   (RFC 7235 §2.1)
 * Bearer credentials: "Bearer" 1*SP b64token                         (RFC 6750 §2.1)
 * Tabs count as spaces, and white space around the value is dropped. */
int lc_auth_bearer_parse(lc_str_t authorization, lc_str_t *token) {
    if (authorization.ptr == NULL)
        return LC_ENOTFOUND;
    lc_str_t v = trim_ows(authorization);
    if (v.len == 0)
        return LC_ENOTFOUND;

    size_t i = 0;
    while (i < v.len && !is_ows(v.ptr[i]))
        i++;
    if (!lc_str_eq_nocase(lc_str_make(v.ptr, i), LC_STR("Bearer")) || i == v.len)
        return LC_EINVAL;
    lc_str_t t = trim_ows(lc_str_make(v.ptr + i, v.len - i));
    for (size_t k = 0; k < t.len; k++)
        if (is_ows(t.ptr[k]))
            return LC_EINVAL;
    *token = t;
    return LC_OK;
}

/* cookie-string = cookie-pair *( ";" SP cookie-pair )   (RFC 6265 §4.2.1)
 * cookie-pair = cookie-name "=" cookie-value; cookie-value may be in DQUOTEs.
 * Read leniently, as browsers write it: any white space around pairs, names and values. */
lc_str_t lc_auth_cookie_get(lc_str_t cookie_header, const char *name) {
    lc_str_t want = lc_str_from(name);
    const char *p = cookie_header.ptr;
    const char *end = p ? p + cookie_header.len : NULL;

    if (p == NULL || want.len == 0)
        return LC_STR_NULL;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (eq) {
            lc_str_t n = trim_ows(lc_str_make(p, (size_t)(eq - p)));
            if (lc_str_eq(n, want)) {
                lc_str_t v = trim_ows(lc_str_make(eq + 1, (size_t)(stop - eq - 1)));
                if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"') {
                    v.ptr++;
                    v.len -= 2;
                }
                return v;
            }
        }
        p = semi ? semi + 1 : end;
    }
    return LC_STR_NULL;
}
