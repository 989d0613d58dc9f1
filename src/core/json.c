/* SPDX-License-Identifier: MIT */
/* JSON output: string escaping (the part every response and log line depends on) and a small
 * structured writer. Strings are copied in runs: only bytes that need attention leave the fast
 * path. */
#include "lectern/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Bytes that leave the copy-as-is path: controls, '"', '\\', and non-ASCII (checked as UTF-8). */
static inline bool special(unsigned char c) {
    return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0 if ill-formed. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp_out) {
    unsigned c = s[0], cp;
    size_t need;
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
        return 0;
    }
    if (n <= need)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *cp_out = cp;
    return need + 1;
}

int lc_json_write_string(lc_buf_t *b, const char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)p, *e = s + n;
    lc_buf_putc(b, '"');
    while (s < e) {
        const unsigned char *run = s;
        while (s < e && !special(*s))
            s++;
        if (s > run)
            lc_buf_append_fast(b, run, (size_t)(s - run));
        if (s == e)
            break;
        unsigned c = *s;
        if (c >= 0x80) {
            unsigned cp = 0;
            size_t k = utf8_seq(s, (size_t)(e - s), &cp);
            if (k == 0) {
                lc_buf_append_fast(b, "\\ufffd", 6); /* one ill-formed byte -> U+FFFD */
                s++;
            } else if (cp == 0x2028 || cp == 0x2029) {
                lc_buf_append_fast(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
                s += k;
            } else {
                lc_buf_append_fast(b, s, k);
                s += k;
            }
            continue;
        }
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t len = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        lc_buf_append_fast(b, esc, len);
        s++;
    }
    return lc_buf_putc(b, '"');
}

int lc_json_write_str(lc_buf_t *b, lc_str_t s) {
    return lc_json_write_string(b, s.ptr, s.len);
}

int lc_json_write_i64(lc_buf_t *b, int64_t v) {
    return lc_buf_append_i64(b, v);
}

int lc_json_write_double(lc_buf_t *b, double v) {
    if (!isfinite(v))
        return lc_buf_append_fast(b, "null", 4);
    /* -0 keeps its sign ("-0" reads back as -0.0). The range test comes before the cast: casting
     * a double outside int64_t's range is undefined behaviour. */
    if (v == 0 && signbit(v))
        return lc_buf_append_fast(b, "-0", 2);
    if (fabs(v) < 1e15 && v == (double)(int64_t)v)
        return lc_buf_append_i64(b, (int64_t)v);
    char tmp[32];
    /* Shortest of %.15g / %.16g / %.17g that reads back as the same double. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    return lc_buf_append_cstr(b, tmp);
}

int lc_json_write_bool(lc_buf_t *b, bool v) {
    return v ? lc_buf_append_fast(b, "true", 4) : lc_buf_append_fast(b, "false", 5);
}

int lc_json_write_null(lc_buf_t *b) {
    return lc_buf_append_fast(b, "null", 4);
}

/* ---- structured writer ---- */

void lc_jw_init(lc_jw_t *w, lc_buf_t *b) {
    memset(w, 0, sizeof *w);
    w->b = b;
}

static void misuse(lc_jw_t *w) {
    if (w->b->err == LC_OK)
        w->b->err = LC_EINVAL;
}

/* Called before any value: writes the comma due, checks a key precedes values in objects. */
static bool before_value(lc_jw_t *w) {
    if (w->depth == 0)
        return true;
    int d = w->depth - 1;
    if (w->in_obj[d]) {
        if (!w->key_pending) {
            misuse(w);
            return false;
        }
        w->key_pending = false;
        return true;
    }
    if (!w->first[d])
        lc_buf_putc(w->b, ',');
    w->first[d] = 0;
    return true;
}

static void open(lc_jw_t *w, char c, bool obj) {
    if (!before_value(w))
        return;
    if (w->depth >= LC_JW_MAX_DEPTH) {
        misuse(w);
        return;
    }
    w->first[w->depth] = 1;
    w->in_obj[w->depth] = obj;
    w->depth++;
    lc_buf_putc(w->b, c);
}

static void close_(lc_jw_t *w, char c, bool obj) {
    if (w->depth == 0 || w->in_obj[w->depth - 1] != obj || w->key_pending) {
        misuse(w);
        return;
    }
    w->depth--;
    lc_buf_putc(w->b, c);
}

void lc_jw_obj_begin(lc_jw_t *w) {
    open(w, '{', true);
}
void lc_jw_obj_end(lc_jw_t *w) {
    close_(w, '}', true);
}
void lc_jw_arr_begin(lc_jw_t *w) {
    open(w, '[', false);
}
void lc_jw_arr_end(lc_jw_t *w) {
    close_(w, ']', false);
}

void lc_jw_key_str(lc_jw_t *w, lc_str_t key) {
    if (w->depth == 0 || !w->in_obj[w->depth - 1] || w->key_pending) {
        misuse(w);
        return;
    }
    int d = w->depth - 1;
    if (!w->first[d])
        lc_buf_putc(w->b, ',');
    w->first[d] = 0;
    lc_json_write_str(w->b, key);
    lc_buf_putc(w->b, ':');
    w->key_pending = true;
}

void lc_jw_key(lc_jw_t *w, const char *key) {
    lc_jw_key_str(w, lc_str_from(key));
}

void lc_jw_str(lc_jw_t *w, lc_str_t v) {
    if (before_value(w))
        lc_json_write_str(w->b, v);
}

void lc_jw_cstr(lc_jw_t *w, const char *v) {
    if (!v)
        lc_jw_null(w);
    else
        lc_jw_str(w, lc_str_from(v));
}

void lc_jw_i64(lc_jw_t *w, int64_t v) {
    if (before_value(w))
        lc_json_write_i64(w->b, v);
}

void lc_jw_double(lc_jw_t *w, double v) {
    if (before_value(w))
        lc_json_write_double(w->b, v);
}

void lc_jw_bool(lc_jw_t *w, bool v) {
    if (before_value(w))
        lc_json_write_bool(w->b, v);
}

void lc_jw_null(lc_jw_t *w) {
    if (before_value(w))
        lc_json_write_null(w->b);
}

void lc_jw_raw(lc_jw_t *w, lc_str_t json) {
    if (before_value(w))
        lc_buf_append_str(w->b, json);
}

int lc_jw_finish(lc_jw_t *w) {
    if (w->b->err)
        return w->b->err;
    return w->depth == 0 && !w->key_pending ? LC_OK : LC_EINVAL;
}
