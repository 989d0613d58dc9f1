/* SPDX-License-Identifier: MIT */
/* Opaque IDs and cursors of the API: base64url without padding of "<Type>:<decimal id>". They
 * hide the row numbers' meaning from clients without pretending to be secret: every record is
 * scoped to the caller's tenant by the store, so a guessed ID of another tenant is only ever a
 * missing one. Decoding is strict (one canonical text per ID) and never reads past its input. */
#include <string.h>

#include "api_int.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

/* Encodes n bytes; returns the text's length, or 0 when it does not fit with its NUL. */
static size_t b64_encode(const unsigned char *p, size_t n, char *out, size_t outlen) {
    size_t need = n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
    if (need + 1 > outlen)
        return 0;
    size_t o = 0, i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = b64[v >> 6 & 63];
        out[o++] = b64[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = b64[v >> 6 & 63];
    }
    out[o] = '\0';
    return o;
}

/* Decodes canonical unpadded base64url (unused trailing bits zero); returns the byte count, or
 * -1 for anything else. */
static long b64_decode(lc_str_t s, unsigned char *out, size_t outlen) {
    if (s.len % 4 == 1)
        return -1;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < s.len; i++) {
        int v = b64_value((unsigned char)s.ptr[i]);
        if (v < 0)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= outlen)
                return -1;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0) /* non-zero padding bits: another text of the same bytes */
        return -1;
    return (long)o;
}

size_t lc__api_id_encode(const char *type, int64_t id, char *out, size_t outlen) {
    char raw[LC__API_ID_MAX];
    size_t tl = strlen(type);
    if (id <= 0 || tl == 0 || tl + 21 > sizeof raw)
        return 0;
    memcpy(raw, type, tl);
    raw[tl] = ':';
    char digits[20];
    size_t nd = 0;
    for (uint64_t v = (uint64_t)id; v; v /= 10)
        digits[nd++] = (char)('0' + v % 10);
    for (size_t i = 0; i < nd; i++)
        raw[tl + 1 + i] = digits[nd - 1 - i];
    return b64_encode((const unsigned char *)raw, tl + 1 + nd, out, outlen);
}

char *lc__api_id_format(lc_arena_t *a, const char *type, int64_t id) {
    char buf[LC__API_ID_MAX * 2];
    size_t n = lc__api_id_encode(type, id, buf, sizeof buf);
    return n ? lc_arena_strndup(a, buf, n) : NULL;
}

bool lc__api_id_parse(lc_str_t s, const char *type, int64_t *id) {
    unsigned char raw[LC__API_ID_MAX];
    if (!s.ptr || s.len == 0 || s.len > LC__API_ID_MAX)
        return false;
    long n = b64_decode(s, raw, sizeof raw);
    size_t tl = strlen(type);
    if (n < 0 || (size_t)n < tl + 2 || memcmp(raw, type, tl) != 0 || raw[tl] != ':')
        return false;
    lc_str_t digits = lc_str_make((const char *)raw + tl + 1, (size_t)n - tl - 1);
    /* Canonical decimal: no sign, no leading zero. */
    if (digits.ptr[0] < '1' || digits.ptr[0] > '9')
        return false;
    int64_t v;
    if (lc_str_to_i64(digits, 1, INT64_MAX, &v) != LC_OK)
        return false;
    *id = v;
    return true;
}

int lc__api_id_val(lc_arena_t *a, const char *type, int64_t id, gql_val_t *out) {
    if (id <= 0) {
        *out = gql_val_null();
        return LC_OK;
    }
    char *s = lc__api_id_format(a, type, id);
    if (!s)
        return LC_ENOMEM;
    *out = gql_val_str(lc_str_from(s));
    return LC_OK;
}
