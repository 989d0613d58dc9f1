/* SPDX-License-Identifier: MIT */
/* String slice helpers and strict number parsing for configuration and input validation
 * (strtol accepts white space, '+', and trailing junk; these do not). */
#include "lectern/str.h"

#include <ctype.h>

bool lc_str_eq_nocase(lc_str_t a, lc_str_t b) {
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (tolower((unsigned char)a.ptr[i]) != tolower((unsigned char)b.ptr[i]))
            return false;
    return true;
}

bool lc_str_starts_with(lc_str_t s, lc_str_t prefix) {
    return s.len >= prefix.len && memcmp(s.ptr, prefix.ptr, prefix.len) == 0;
}

static bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

lc_str_t lc_str_trim(lc_str_t s) {
    while (s.len && is_ws(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len && is_ws(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

int lc_str_to_i64(lc_str_t s, int64_t min, int64_t max, int64_t *out) {
    size_t i = 0;
    bool neg = false;
    if (s.len && s.ptr[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == s.len)
        return LC_EINVAL;
    uint64_t v = 0;
    bool overflow = false;
    for (; i < s.len; i++) {
        char c = s.ptr[i];
        if (c < '0' || c > '9')
            return LC_EINVAL;
        if (v > (UINT64_MAX - 9) / 10)
            overflow = true;
        else
            v = v * 10 + (uint64_t)(c - '0');
    }
    if (overflow || (!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX + 1))
        return LC_ELIMIT;
    int64_t r = neg ? (int64_t)(0 - v) : (int64_t)v;
    if (r < min || r > max)
        return LC_ELIMIT;
    *out = r;
    return LC_OK;
}

int lc_str_to_size(lc_str_t s, uint64_t max, uint64_t *out) {
    static const struct {
        const char *suffix;
        unsigned shift;
    } units[] = {{"kib", 10}, {"mib", 20}, {"gib", 30}, {"k", 10}, {"m", 20}, {"g", 30}};
    unsigned shift = 0;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        lc_str_t suf = lc_str_from(units[u].suffix);
        if (s.len > suf.len &&
            lc_str_eq_nocase(lc_str_make(s.ptr + s.len - suf.len, suf.len), suf)) {
            s.len -= suf.len;
            shift = units[u].shift;
            break;
        }
    }
    int64_t n;
    int rc = lc_str_to_i64(s, 0, INT64_MAX, &n);
    if (rc != LC_OK)
        return rc;
    if ((uint64_t)n > (max >> shift))
        return LC_ELIMIT;
    *out = (uint64_t)n << shift;
    return LC_OK;
}

int lc_str_to_bool(lc_str_t s, bool *out) {
    static const char *const yes[] = {"on", "true", "yes", "1"};
    static const char *const no[] = {"off", "false", "no", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (lc_str_eq_nocase(s, lc_str_from(yes[i]))) {
            *out = true;
            return LC_OK;
        }
        if (lc_str_eq_nocase(s, lc_str_from(no[i]))) {
            *out = false;
            return LC_OK;
        }
    }
    return LC_EINVAL;
}

bool lc_utf8_valid(const char *p, size_t n) {
    const unsigned char *s = (const unsigned char *)p, *e = s + n;
    while (s < e) {
        unsigned c = *s;
        if (c < 0x80) {
            s++;
            continue;
        }
        size_t need;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(e - s) <= need)
            return false;
        for (size_t k = 1; k <= need; k++) {
            if ((s[k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += need + 1;
    }
    return true;
}
