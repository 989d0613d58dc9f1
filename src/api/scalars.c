/* SPDX-License-Identifier: MIT */
/* The API's custom scalars: Date (`YYYY-MM-DD`), DateTime (RFC 3339, UTC out) and JSON (audit
 * details, already JSON text in the store). Inputs are coerced here; a well-typed but malformed
 * date reaches the resolver as its text, which refuses it with BAD_USER_INPUT naming the field
 * (PRODUCT.md: bad input names the field at fault). Calendar arithmetic after H. Hinnant's
 * days_from_civil / civil_from_days (proleptic Gregorian, exact for every int64 day count we
 * accept). */
#include <string.h>

#include "api_int.h"
#include "lectern/json.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m) {
    static const unsigned n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

/* n decimal digits at p -> *out. */
static bool digits(const char *p, size_t n, unsigned *out) {
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return true;
}

/* full-date = date-fullyear "-" date-month "-" date-mday (RFC 3339 §5.6) -> days since epoch */
static bool full_date(const char *p, int64_t *days) {
    unsigned y, m, d;
    if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &m) || p[7] != '-' ||
        !digits(p + 8, 2, &d))
        return false;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return false;
    *days = days_from_civil(y, m, d);
    return true;
}

bool lc__api_date_parse(lc_str_t s, int64_t *out) {
    int64_t days;
    if (s.len != 10 || !full_date(s.ptr, &days))
        return false;
    /* The store keeps dates as unix seconds where 0 means none: 1970-01-01 is not storable. */
    if (days < 1)
        return false;
    *out = days * 86400;
    return true;
}

/* date-time = full-date "T" full-time; full-time = partial-time time-offset;
 * partial-time = time-hour ":" time-minute ":" time-second [time-secfrac];
 * time-offset = "Z" / time-numoffset (RFC 3339 §5.6) */
bool lc__api_datetime_parse(lc_str_t s, int64_t *out) {
    const char *p = s.ptr;
    size_t n = s.len;
    int64_t days;
    unsigned hh, mm, ss;
    if (n < 20 || !full_date(p, &days) || (p[10] != 'T' && p[10] != 't') ||
        !digits(p + 11, 2, &hh) || p[13] != ':' || !digits(p + 14, 2, &mm) || p[16] != ':' ||
        !digits(p + 17, 2, &ss))
        return false;
    if (hh > 23 || mm > 59 || ss > 59)
        return false;
    size_t i = 19;
    if (p[i] == '.') {
        size_t k = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == k || i - k > 9)
            return false;
    }
    int64_t offset = 0;
    if (i < n && (p[i] == 'Z' || p[i] == 'z')) {
        i++;
    } else if (i + 6 == n && (p[i] == '+' || p[i] == '-')) {
        unsigned oh, om;
        if (!digits(p + i + 1, 2, &oh) || p[i + 3] != ':' || !digits(p + i + 4, 2, &om) ||
            oh > 23 || om > 59)
            return false;
        offset = (int64_t)(oh * 3600 + om * 60) * (p[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return false;
    }
    if (i != n)
        return false;
    *out = days * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return true;
}

/* Largest instant we write: 9999-12-31T23:59:59Z; smallest 0000-01-01T00:00:00Z. */
#define MAX_T 253402300799LL
#define MIN_T (-62167219200LL)

bool lc__api_datetime_format(int64_t t, char out[21]) {
    if (t < MIN_T || t > MAX_T)
        return false;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned f[6] = {
        (unsigned)y,          m, d, (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
        (unsigned)(secs % 60)};
    static const char shape[] = "0000-00-00T00:00:00Z";
    memcpy(out, shape, sizeof shape);
    /* Each field written right to left into its digits of the shape. */
    static const uint8_t end[6] = {3, 6, 9, 12, 15, 18}, width[6] = {4, 2, 2, 2, 2, 2};
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < width[i]; k++, f[i] /= 10)
            out[end[i] - k] = (char)('0' + f[i] % 10);
    return true;
}

bool lc__api_date_format(int64_t t, char out[11]) {
    char dt[21];
    if (!lc__api_datetime_format(t, dt))
        return false;
    memcpy(out, dt, 10);
    out[10] = '\0';
    return true;
}

/* ---- Hooks ----------------------------------------------------------------------------------- */

static int time_serialize(lc_buf_t *b, const gql_val_t *v, bool date) {
    char s[21];
    if (v->kind != GQL_VAL_INT)
        return LC_EINVAL;
    if (date ? !lc__api_date_format(v->i, s) : !lc__api_datetime_format(v->i, s))
        return LC_EINVAL;
    return lc_json_write_str(b, lc_str_from(s));
}

static int datetime_serialize(void *ctx, const gql_val_t *v, lc_buf_t *b) {
    (void)ctx;
    return time_serialize(b, v, false);
}

static int date_serialize(void *ctx, const gql_val_t *v, lc_buf_t *b) {
    (void)ctx;
    return time_serialize(b, v, true);
}

static int time_parse(const gql_val_t *in, gql_val_t *out, const char **why, bool date) {
    if (in->kind != GQL_VAL_STRING) {
        *why = date ? "Date must be a string such as \"2026-11-28\"."
                    : "DateTime must be a string such as \"2026-11-28T12:00:00Z\".";
        return LC_EINVAL;
    }
    int64_t t;
    bool ok = date ? lc__api_date_parse(in->s, &t) : lc__api_datetime_parse(in->s, &t);
    /* A malformed text goes on as text: the resolver names the field it came from. */
    *out = ok ? gql_val_int(t) : *in;
    return LC_OK;
}

static int datetime_parse(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                          const char **why) {
    (void)ctx;
    (void)arena;
    return time_parse(in, out, why, false);
}

static int date_parse(void *ctx, lc_arena_t *arena, const gql_val_t *in, gql_val_t *out,
                      const char **why) {
    (void)ctx;
    (void)arena;
    return time_parse(in, out, why, true);
}

/* JSON out: the store's detail text is a JSON object already (checked by the database). */
static int json_serialize(void *ctx, const gql_val_t *v, lc_buf_t *b) {
    (void)ctx;
    if (v->kind != GQL_VAL_RAW)
        return LC_EINVAL;
    return lc_buf_append_str(b, v->s);
}

int lc__api_bind_scalars(gql_schema_t *s) {
    int rc = gql_schema_bind_scalar(s, "DateTime", datetime_serialize, datetime_parse, NULL);
    if (rc == LC_OK)
        rc = gql_schema_bind_scalar(s, "Date", date_serialize, date_parse, NULL);
    if (rc == LC_OK)
        rc = gql_schema_bind_scalar(s, "JSON", json_serialize, NULL, NULL);
    return rc;
}
