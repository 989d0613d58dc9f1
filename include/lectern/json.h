/* SPDX-License-Identifier: MIT */
/* JSON output. lc_json_write_string() escapes any byte string into a JSON string literal that
 * every parser accepts: `"` and `\` escaped, control characters as \n \t ... or \u00XX,
 * U+2028/U+2029 as \u2028/\u2029 (valid JSON, unsafe in JavaScript source), invalid UTF-8 bytes
 * replaced by U+FFFD. Well-formed UTF-8 is copied as is.
 *
 * lc_jw_t adds structure (objects, arrays, commas) on top for logs and small documents; the
 * GraphQL response writer uses the primitives directly. Input JSON is parsed with jansson. */
#ifndef LECTERN_JSON_H
#define LECTERN_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/buf.h"
#include "lectern/str.h"

/* Primitives: append to b, return b->err. */
int lc_json_write_string(lc_buf_t *b, const char *p, size_t n);
int lc_json_write_str(lc_buf_t *b, lc_str_t s);
int lc_json_write_i64(lc_buf_t *b, int64_t v);
/* Finite doubles in the shortest form that round-trips; NaN and infinities become null. */
int lc_json_write_double(lc_buf_t *b, double v);
int lc_json_write_bool(lc_buf_t *b, bool v);
int lc_json_write_null(lc_buf_t *b);

#define LC_JW_MAX_DEPTH 32

/* Structured writer: tracks whether a comma is due at each nesting level. Misuse (a value
 * without a key inside an object, closing what is not open, nesting past LC_JW_MAX_DEPTH)
 * sets b->err to LC_EINVAL. */
typedef struct lc_jw {
    lc_buf_t *b; /* borrowed */
    int depth;
    uint8_t first[LC_JW_MAX_DEPTH]; /* 1 = no element written yet at this level */
    uint8_t in_obj[LC_JW_MAX_DEPTH];
    bool key_pending; /* a key was written, its value is due */
} lc_jw_t;

void lc_jw_init(lc_jw_t *w, lc_buf_t *b);
void lc_jw_obj_begin(lc_jw_t *w);
void lc_jw_obj_end(lc_jw_t *w);
void lc_jw_arr_begin(lc_jw_t *w);
void lc_jw_arr_end(lc_jw_t *w);
void lc_jw_key(lc_jw_t *w, const char *key);
void lc_jw_key_str(lc_jw_t *w, lc_str_t key);
void lc_jw_str(lc_jw_t *w, lc_str_t v);
void lc_jw_cstr(lc_jw_t *w, const char *v); /* NULL writes null */
void lc_jw_i64(lc_jw_t *w, int64_t v);
void lc_jw_double(lc_jw_t *w, double v);
void lc_jw_bool(lc_jw_t *w, bool v);
void lc_jw_null(lc_jw_t *w);
/* A value that is already serialized JSON, copied verbatim. */
void lc_jw_raw(lc_jw_t *w, lc_str_t json);
/* Returns the buffer's status, or LC_EINVAL if objects or arrays are still open. */
int lc_jw_finish(lc_jw_t *w);

#endif
