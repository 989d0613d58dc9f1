/* SPDX-License-Identifier: MIT */
/* The GraphQL lexer (Oct 2021 §2.1): turns source text into significant tokens for the
 * parser, one at a time, skipping ignored tokens. It validates everything a token may contain
 * (UTF-8, escapes, number lookahead) in that single pass and allocates nothing; string values
 * are decoded later, and only when they contain escapes or need block-string dedenting.
 * Diagnostics follow graphql-js 16 wording. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "graphql_int.h"

static const char *const token_desc[] = {
#define GQL__X(kind, desc) desc,
    GQL__TOKEN_LIST(GQL__X)
#undef GQL__X
};

const char *gql__token_kind_desc(gql__token_kind_t kind) {
    return (unsigned)kind < GQL__TOK_COUNT ? token_desc[kind] : "<unknown>";
}

/* NameStart :: Letter | `_`; NameContinue :: Letter | Digit | `_` (§2.1.9). */
static inline bool is_name_start(unsigned c) {
    return (unsigned)((c | 0x20) - 'a') < 26u || c == '_';
}
static inline bool is_digit(unsigned c) {
    return (unsigned)(c - '0') < 10u;
}
static inline bool is_name_continue(unsigned c) {
    return is_name_start(c) || is_digit(c);
}
static inline int hex_value(unsigned c) {
    if (is_digit(c))
        return (int)(c - '0');
    if ((unsigned)((c | 0x20) - 'a') < 6u)
        return (int)((c | 0x20) - 'a' + 10);
    return -1;
}
/* Four hex digits at p as a number, or -1. */
static int hex4(const unsigned char *p) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

size_t gql__utf8_decode(const unsigned char *p, size_t n, uint32_t *cp) {
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2)
        return 0; /* continuation byte or overlong 2-byte lead */
    if (c < 0xE0) {
        if (n < 2 || (p[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0; /* overlong, or a UTF-16 surrogate */
        *cp = v;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                     ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

static size_t utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the longest prefix of p[0..n) that does not end inside a UTF-8 sequence. */
static size_t utf8_clip(const char *p, size_t n) {
    size_t i = n;
    while (i > 0 && ((unsigned char)p[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return 0;
    unsigned lead = (unsigned char)p[i - 1];
    size_t need = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return n - (i - 1) >= need ? n : i - 1;
}

/* ---- Locations and diagnostics ----------------------------------------------------------- */

gql_loc_t gql_loc_at(const char *src, size_t len, size_t offset) {
    if (offset > len)
        offset = len;
    uint32_t line = 1, col = 0;
    for (size_t i = 0; i < offset; i++) {
        unsigned c = (unsigned char)src[i];
        if (c == '\n') {
            line++;
            col = 0;
        } else if (c == '\r') {
            if (i + 1 < len && src[i + 1] == '\n') {
                col++; /* the LF of CRLF ends the line */
            } else {
                line++;
                col = 0;
            }
        } else if ((c & 0xC0) != 0x80) {
            col += c >= 0xF0 ? 2 : 1; /* a 4-byte sequence is a UTF-16 surrogate pair */
        }
    }
    return (gql_loc_t){line, col + 1, (uint32_t)offset};
}

int gql__error_at(gql_error_t *err, const char *src, size_t len, size_t offset, const char *fmt,
                  ...) {
    if (!err)
        return LC_EINVAL;
    static const char prefix[] = "Syntax Error: ";
    memcpy(err->message, prefix, sizeof prefix);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message + sizeof prefix - 1, sizeof err->message - (sizeof prefix - 1),
                      fmt, ap);
    va_end(ap);
    size_t total = strlen(err->message);
    if (n > 0 && (size_t)n + sizeof prefix - 1 >= sizeof err->message) {
        /* Truncated: end on a character boundary. */
        total = utf8_clip(err->message, total);
        err->message[total] = '\0';
    }
    err->loc = gql_loc_at(src, len, offset);
    err->limit = GQL_PARSE_LIMIT_NONE;
    return LC_EINVAL;
}

void gql__code_point_desc(const char *src, size_t len, size_t offset, char *out, size_t cap) {
    if (offset >= len) {
        snprintf(out, cap, "<EOF>");
        return;
    }
    const unsigned char *p = (const unsigned char *)src + offset;
    uint32_t cp;
    if (gql__utf8_decode(p, len - offset, &cp) == 0)
        cp = p[0]; /* not reached for the lexer's callers: invalid UTF-8 is reported first */
    if (cp == '"')
        snprintf(out, cap, "'\"'");
    else if (cp >= 0x20 && cp <= 0x7E)
        snprintf(out, cap, "\"%c\"", (char)cp);
    else
        snprintf(out, cap, "U+%04X", (unsigned)cp);
}

void gql__token_desc(const char *src, const gql__token_t *t, char *out, size_t cap) {
    const char *kind = gql__token_kind_desc((gql__token_kind_t)t->kind);
    size_t klen = strlen(kind);
    if (t->kind < GQL__TOK_NAME || cap < klen + sizeof " \"...\"") {
        snprintf(out, cap, "%s", kind);
        return;
    }
    /* graphql-js quotes the whole value; it is cut (with "...") only where out cannot hold it,
     * or at a NUL, which a C string cannot carry. */
    memcpy(out, kind, klen);
    memcpy(out + klen, " \"", 2);
    char *value = out + klen + 2;
    size_t room = cap - klen - sizeof " \"\"";
    size_t n;
    if (t->kind == GQL__TOK_STRING || t->kind == GQL__TOK_BLOCK_STRING) {
        n = gql__token_string_copy(src, t, value, room);
    } else {
        n = t->end - t->start;
        memcpy(value, src + t->start, n < room ? n : room);
    }
    size_t shown = n < room ? n : room;
    const char *nul = memchr(value, '\0', shown);
    bool cut = n > room || nul;
    if (nul)
        shown = (size_t)(nul - value);
    if (cut && shown > room - 3)
        shown = room - 3;
    if (cut) {
        shown = utf8_clip(value, shown);
        memcpy(value + shown, "...", 3);
        shown += 3;
    }
    memcpy(value + shown, "\"", 2);
}

/* ---- Token values ------------------------------------------------------------------------ */

/* StringValue (§2.9.4): the characters between the quotes, escapes resolved. raw is known to
 * be well formed (the lexer checked it). Writes at most cap bytes, returns the full length. */
static size_t decode_string(const unsigned char *raw, size_t n, char *out, size_t cap) {
    size_t o = 0;
    char tmp[4];
    for (size_t i = 0; i < n;) {
        unsigned c = raw[i];
        if (c != '\\') {
            if (o < cap)
                out[o] = (char)c;
            o++;
            i++;
            continue;
        }
        unsigned e = raw[i + 1];
        size_t k = 1;
        switch (e) {
        case 'b':
            tmp[0] = '\b';
            break;
        case 'f':
            tmp[0] = '\f';
            break;
        case 'n':
            tmp[0] = '\n';
            break;
        case 'r':
            tmp[0] = '\r';
            break;
        case 't':
            tmp[0] = '\t';
            break;
        case 'u': {
            uint32_t cp = (uint32_t)hex4(raw + i + 2);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* A surrogate pair \uD83D\uDE00 is one code point. */
                uint32_t lo = (uint32_t)hex4(raw + i + 8);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            k = utf8_encode(cp, tmp);
            i += 4;
            break;
        }
        default: /* " \ / */
            tmp[0] = (char)e;
            break;
        }
        i += 2;
        for (size_t j = 0; j < k; j++, o++)
            if (o < cap)
                out[o] = tmp[j];
    }
    return o;
}

/* BlockStringValue(rawValue) (§2.9.4): split into lines at LF, CR or CRLF; remove the common
 * indentation of all lines but the first; drop leading and trailing blank lines; join with LF.
 * `\"""` stands for `"""`. The plan is computed first so that the common case, a result that
 * is a contiguous run of the source, needs no copy. */
typedef struct block_plan {
    size_t first_start; /* offset of the first non-blank line */
    size_t last_end;    /* end offset of the last non-blank line */
    uint32_t first;     /* index of the first non-blank line; UINT32_MAX when all are blank */
    uint32_t last;
    size_t common;    /* common indentation of lines after the first; SIZE_MAX if none */
    bool crlf_or_cr;  /* a CR terminator lies between first and last */
    size_t first_cut; /* indentation removed from the first kept line */
} block_plan_t;

static void block_plan(const unsigned char *raw, size_t n, block_plan_t *pl) {
    pl->first = UINT32_MAX;
    pl->last = 0;
    pl->common = SIZE_MAX;
    pl->crlf_or_cr = false;
    pl->first_start = pl->last_end = 0;
    bool cr_seen_since_first = false;
    uint32_t idx = 0;
    size_t i = 0;
    for (;;) {
        size_t start = i, indent = 0;
        while (i < n && (raw[i] == ' ' || raw[i] == '\t'))
            i++;
        indent = i - start;
        while (i < n && raw[i] != '\n' && raw[i] != '\r')
            i++;
        size_t end = i;
        if (end > start + indent) { /* not blank */
            if (pl->first == UINT32_MAX) {
                pl->first = idx;
                pl->first_start = start;
                cr_seen_since_first = false;
            }
            pl->last = idx;
            pl->last_end = end;
            if (cr_seen_since_first)
                pl->crlf_or_cr = true;
            if (idx != 0 && indent < pl->common)
                pl->common = indent;
        }
        if (i >= n)
            break;
        if (raw[i] == '\r') {
            cr_seen_since_first = true;
            i += (i + 1 < n && raw[i + 1] == '\n') ? 2 : 1;
        } else {
            i++;
        }
        idx++;
    }
    pl->first_cut = 0;
    if (pl->first != UINT32_MAX && pl->first != 0)
        pl->first_cut = pl->common; /* common <= the first kept line's indentation */
}

/* Writes the block string value into out (at most cap bytes); returns its full length. */
static size_t block_write(const unsigned char *raw, size_t n, const block_plan_t *pl, char *out,
                          size_t cap) {
    if (pl->first == UINT32_MAX)
        return 0;
    size_t o = 0, i = pl->first_start;
    uint32_t idx = pl->first;
    for (;;) {
        size_t start = i, end = i;
        while (end < n && raw[end] != '\n' && raw[end] != '\r')
            end++;
        if (idx != 0) {
            size_t cut = pl->common == SIZE_MAX ? 0 : pl->common;
            start = end - start < cut ? end : start + cut;
        }
        for (size_t j = start; j < end;) {
            if (raw[j] == '\\' && end - j >= 4 && raw[j + 1] == '"' && raw[j + 2] == '"' &&
                raw[j + 3] == '"') {
                for (int q = 0; q < 3; q++, o++)
                    if (o < cap)
                        out[o] = '"';
                j += 4;
                continue;
            }
            if (o < cap)
                out[o] = (char)raw[j];
            o++;
            j++;
        }
        if (idx == pl->last)
            break;
        if (o < cap)
            out[o] = '\n';
        o++;
        i = end + ((raw[end] == '\r' && end + 1 < n && raw[end + 1] == '\n') ? 2 : 1);
        idx++;
    }
    return o;
}

static void token_raw(const char *src, const gql__token_t *t, const unsigned char **raw,
                      size_t *n) {
    size_t q = t->kind == GQL__TOK_BLOCK_STRING ? 3 : 1;
    *raw = (const unsigned char *)src + t->start + q;
    *n = t->end - t->start - 2 * q;
}

size_t gql__token_string_copy(const char *src, const gql__token_t *t, char *out, size_t cap) {
    const unsigned char *raw;
    size_t n;
    token_raw(src, t, &raw, &n);
    if (t->kind == GQL__TOK_STRING)
        return decode_string(raw, n, out, cap);
    block_plan_t pl;
    block_plan(raw, n, &pl);
    return block_write(raw, n, &pl, out, cap);
}

int gql__token_string_value(lc_arena_t *arena, const char *src, const gql__token_t *t,
                            lc_str_t *out) {
    const unsigned char *raw;
    size_t n;
    token_raw(src, t, &raw, &n);
    if (t->kind == GQL__TOK_STRING) {
        if (!(t->flags & GQL__TOKF_ESCAPED)) {
            *out = lc_str_make((const char *)raw, n);
            return LC_OK;
        }
        char *d = lc_arena_alloc(arena, n); /* decoding never lengthens */
        if (!d)
            return LC_ENOMEM;
        *out = lc_str_make(d, decode_string(raw, n, d, n));
        return LC_OK;
    }
    block_plan_t pl;
    block_plan(raw, n, &pl);
    if (pl.first == UINT32_MAX) {
        *out = lc_str_make((const char *)raw, 0);
        return LC_OK;
    }
    bool contiguous =
        !(t->flags & GQL__TOKF_ESCAPED) &&
        (pl.first == pl.last || ((pl.common == 0 || pl.common == SIZE_MAX) && !pl.crlf_or_cr));
    if (contiguous) {
        size_t start = pl.first_start + pl.first_cut;
        *out = lc_str_make((const char *)raw + start, pl.last_end - start);
        return LC_OK;
    }
    char *d = lc_arena_alloc(arena, n);
    if (!d)
        return LC_ENOMEM;
    *out = lc_str_make(d, block_write(raw, n, &pl, d, n));
    return LC_OK;
}

/* ---- Lexing ------------------------------------------------------------------------------ */

void gql__lexer_init(gql__lexer_t *lx, const char *src, size_t len) {
    lx->src = src;
    lx->len = (uint32_t)len;
    lx->pos = 0;
    lx->line = 1;
    lx->line_start = 0;
    lx->col_adjust = 0;
}

static inline void new_line(gql__lexer_t *lx, uint32_t pos) {
    lx->line++;
    lx->line_start = pos;
    lx->col_adjust = 0;
}

static int invalid_utf8(gql__lexer_t *lx, uint32_t pos, gql_error_t *err) {
    return gql__error_at(err, lx->src, lx->len, pos,
                         "Invalid UTF-8 sequence starting with byte 0x%02X.",
                         (unsigned char)lx->src[pos]);
}

/* A non-ASCII character inside a string or comment: must be well-formed UTF-8. Returns its
 * length, or 0 after reporting the error. */
static uint32_t lex_utf8(gql__lexer_t *lx, uint32_t pos, gql_error_t *err) {
    uint32_t cp;
    size_t n = gql__utf8_decode((const unsigned char *)lx->src + pos, lx->len - pos, &cp);
    if (n == 0) {
        invalid_utf8(lx, pos, err);
        return 0;
    }
    lx->col_adjust += n == 4 ? 2 : (uint32_t)n - 1;
    return (uint32_t)n;
}

static int char_error(gql__lexer_t *lx, uint32_t pos, const char *what, gql_error_t *err) {
    char cp[24];
    gql__code_point_desc(lx->src, lx->len, pos, cp, sizeof cp);
    return gql__error_at(err, lx->src, lx->len, pos, "%s: %s.", what, cp);
}

/* Comment :: `#` CommentChar* [lookahead != CommentChar] (§2.1.4). CommentChar is a
 * SourceCharacter but not a LineTerminator; control characters other than tab are not
 * SourceCharacters in Oct 2021, so the comment ends before one, which the caller then reports
 * as an unexpected character (graphql-js 16 follows the later spec and reads on). */
static int lex_comment(gql__lexer_t *lx, uint32_t *ppos, gql_error_t *err) {
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t pos = *ppos + 1, len = lx->len;
    while (pos < len) {
        unsigned c = s[pos];
        if ((c >= 0x20 && c < 0x80) || c == '\t') {
            pos++;
        } else if (c < 0x20) {
            break; /* a LineTerminator, or a control character */
        } else {
            uint32_t n = lex_utf8(lx, pos, err);
            if (!n)
                return LC_EINVAL;
            pos += n;
        }
    }
    *ppos = pos;
    return LC_OK;
}

/* Bytes of src[pos..len) that hold `units` UTF-16 code units, as graphql-js's
 * source.slice(pos, pos + units) for a quote in a message: whole characters only (a supplementary
 * character that would be cut in half is left out, UTF-8 cannot carry the half), stopping at a
 * NUL (a C string cannot carry it) or at ill-formed UTF-8. */
static uint32_t utf16_slice(const unsigned char *s, uint32_t len, uint32_t pos, uint32_t units) {
    uint32_t end = pos;
    while (units > 0 && end < len && s[end] != 0) {
        uint32_t cp;
        size_t n = gql__utf8_decode(s + end, len - end, &cp);
        if (n == 0 || (cp > 0xFFFF ? 2u : 1u) > units)
            break;
        uint32_t u = cp > 0xFFFF ? 2 : 1;
        end += (uint32_t)n;
        units -= u;
    }
    return end - pos;
}

static void invalid_unicode_escape(gql__lexer_t *lx, uint32_t pos, uint32_t units,
                                   gql_error_t *err) {
    uint32_t n = utf16_slice((const unsigned char *)lx->src, lx->len, pos, units);
    gql__error_at(err, lx->src, lx->len, pos, "Invalid Unicode escape sequence: \"%.*s\".", (int)n,
                  lx->src + pos);
}

/* `\u{` HexDigit+ `}` at s[pos] == '\\': a later spec's escape, not October 2021's, so always
 * an error. The quote is graphql-js 16's: the whole escape when graphql-js would accept it,
 * else up to the character where its readEscapedUnicodeVariableWidth stops. */
static uint32_t lex_braced_escape(gql__lexer_t *lx, uint32_t pos, gql_error_t *err) {
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t len = lx->len, point = 0, size = 3;
    while (size < 12) {
        unsigned c = pos + size < len ? s[pos + size] : 256u;
        size++;
        if (c == '}')
            break;
        int h = hex_value(c);
        /* graphql-js shifts in a 32-bit signed integer: the sign bit set is a failure. */
        if (h < 0 || (point & 0x08000000u))
            break;
        point = (point << 4) | (uint32_t)h;
    }
    invalid_unicode_escape(lx, pos, size, err);
    return 0;
}

/* EscapedUnicode / EscapedCharacter (§2.9.4) at s[pos] == '\\'. Oct 2021 has only the fixed
 * four-digit form; like graphql-js 16, a surrogate pair written as two escapes is one code
 * point, and a lone surrogate is an error. Messages quote what graphql-js quotes: the six
 * code units from the backslash for `\u`, else the backslash and the character after it.
 * Returns the escape's length, or 0 on error. */
static uint32_t lex_escape(gql__lexer_t *lx, uint32_t pos, gql_error_t *err) {
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t len = lx->len;
    unsigned e = pos + 1 < len ? s[pos + 1] : 256u;
    switch (e) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return 2;
    case 'u': {
        if (pos + 2 < len && s[pos + 2] == '{')
            return lex_braced_escape(lx, pos, err);
        int v = pos + 6 <= len ? hex4(s + pos + 2) : -1;
        if (v >= 0 && (v < 0xD800 || v > 0xDFFF))
            return 6;
        if (v >= 0xD800 && v <= 0xDBFF && pos + 12 <= len && s[pos + 6] == '\\' &&
            s[pos + 7] == 'u') {
            int lo = hex4(s + pos + 8);
            if (lo >= 0xDC00 && lo <= 0xDFFF)
                return 12;
        }
        invalid_unicode_escape(lx, pos, 6, err);
        return 0;
    }
    case 0:
        /* graphql-js quotes the NUL; a C string cannot, so say what it is. */
        gql__error_at(err, lx->src, len, pos + 1, "Invalid character within String: U+0000.");
        return 0;
    default: {
        uint32_t cp, n = 1;
        if (e == 256u) {
            n = 0; /* the end of the input: the backslash alone */
        } else if (e >= 0x80 &&
                   (n = (uint32_t)gql__utf8_decode(s + pos + 1, len - pos - 1, &cp)) == 0) {
            invalid_utf8(lx, pos + 1, err);
            return 0;
        }
        gql__error_at(err, lx->src, len, pos, "Invalid character escape sequence: \"\\%.*s\".",
                      (int)n, lx->src + pos + 1);
        return 0;
    }
    }
}

/* StringValue :: `"` StringCharacter* `"` (§2.9.4). */
static int lex_string(gql__lexer_t *lx, gql__token_t *t, gql_error_t *err) {
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t pos = t->start + 1, len = lx->len;
    for (;;) {
        if (pos >= len)
            return gql__error_at(err, lx->src, len, len, "Unterminated string.");
        unsigned c = s[pos];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            pos++;
        } else if (c == '"') {
            break;
        } else if (c == '\\') {
            uint32_t n = lex_escape(lx, pos, err);
            if (!n)
                return LC_EINVAL;
            t->flags |= GQL__TOKF_ESCAPED;
            pos += n;
        } else if (c == '\t') {
            pos++;
        } else if (c == '\n' || c == '\r') {
            return gql__error_at(err, lx->src, len, pos, "Unterminated string.");
        } else if (c < 0x20) {
            return char_error(lx, pos, "Invalid character within String", err);
        } else {
            uint32_t n = lex_utf8(lx, pos, err);
            if (!n)
                return LC_EINVAL;
            pos += n;
        }
    }
    t->kind = GQL__TOK_STRING;
    t->end = pos + 1;
    return LC_OK;
}

/* BlockString :: `"""` BlockStringCharacter* `"""` (§2.9.4). Line terminators inside count as
 * lines for the locations of later tokens. */
static int lex_block_string(gql__lexer_t *lx, gql__token_t *t, gql_error_t *err) {
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t pos = t->start + 3, len = lx->len;
    for (;;) {
        if (pos >= len)
            return gql__error_at(err, lx->src, len, len, "Unterminated string.");
        unsigned c = s[pos];
        if (c == '"') {
            if (pos + 2 < len && s[pos + 1] == '"' && s[pos + 2] == '"')
                break;
            pos++;
        } else if (c == '\\') {
            if (pos + 3 < len && s[pos + 1] == '"' && s[pos + 2] == '"' && s[pos + 3] == '"') {
                t->flags |= GQL__TOKF_ESCAPED;
                pos += 4;
            } else {
                pos++;
            }
        } else if (c >= 0x20 && c < 0x80) {
            pos++;
        } else if (c == '\n') {
            pos++;
            new_line(lx, pos);
        } else if (c == '\r') {
            pos += (pos + 1 < len && s[pos + 1] == '\n') ? 2 : 1;
            new_line(lx, pos);
        } else if (c == '\t') {
            pos++;
        } else if (c < 0x20) {
            return char_error(lx, pos, "Invalid character within String", err);
        } else {
            uint32_t n = lex_utf8(lx, pos, err);
            if (!n)
                return LC_EINVAL;
            pos += n;
        }
    }
    t->kind = GQL__TOK_BLOCK_STRING;
    t->end = pos + 3;
    return LC_OK;
}

/* IntValue :: IntegerPart [lookahead != {Digit, `.`, NameStart}]
 * FloatValue :: IntegerPart FractionalPart ExponentPart? | IntegerPart ExponentPart,
 *               [lookahead != {Digit, `.`, NameStart}]   (§2.9.1, §2.9.2)
 * IntegerPart :: NegativeSign? 0 | NegativeSign? NonZeroDigit Digit* */
static int lex_number(gql__lexer_t *lx, gql__token_t *t, gql_error_t *err) {
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t pos = t->start, len = lx->len;
    bool is_float = false;
#define AT(p) ((p) < len ? (unsigned)s[p] : 256u)
    if (AT(pos) == '-')
        pos++;
    if (AT(pos) == '0') {
        pos++;
        if (is_digit(AT(pos)))
            return char_error(lx, pos, "Invalid number, unexpected digit after 0", err);
    } else {
        if (!is_digit(AT(pos)))
            return char_error(lx, pos, "Invalid number, expected digit but got", err);
        while (is_digit(AT(pos)))
            pos++;
    }
    if (AT(pos) == '.') {
        is_float = true;
        pos++;
        if (!is_digit(AT(pos)))
            return char_error(lx, pos, "Invalid number, expected digit but got", err);
        while (is_digit(AT(pos)))
            pos++;
    }
    if (AT(pos) == 'e' || AT(pos) == 'E') {
        is_float = true;
        pos++;
        if (AT(pos) == '+' || AT(pos) == '-')
            pos++;
        if (!is_digit(AT(pos)))
            return char_error(lx, pos, "Invalid number, expected digit but got", err);
        while (is_digit(AT(pos)))
            pos++;
    }
    if (AT(pos) == '.' || is_name_start(AT(pos)))
        return char_error(lx, pos, "Invalid number, expected digit but got", err);
#undef AT
    t->kind = is_float ? GQL__TOK_FLOAT : GQL__TOK_INT;
    t->end = pos;
    return LC_OK;
}

int gql__lex(gql__lexer_t *lx, gql__token_t *t, gql_error_t *err) {
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t pos = lx->pos, len = lx->len;
    int rc = LC_OK;
    gql__token_kind_t kind;
    uint32_t size = 1;

    for (;;) {
        /* Runs of blanks (indentation) are the commonest bytes: skip them before dispatching. */
        while (pos < len && (s[pos] == ' ' || s[pos] == ',' || s[pos] == '\t'))
            pos++;
        if (pos >= len) {
            kind = GQL__TOK_EOF;
            size = 0;
            goto single;
        }
        unsigned c = s[pos];
        switch (c) {
        /* Ignored :: UnicodeBOM | WhiteSpace | LineTerminator | Comment | Comma (§2.1.7) */
        case ' ':
        case '\t':
        case ',':
            pos++;
            continue;
        case '\n':
            pos++;
            new_line(lx, pos);
            continue;
        case '\r':
            pos += (pos + 1 < len && s[pos + 1] == '\n') ? 2 : 1;
            new_line(lx, pos);
            continue;
        case '#':
            rc = lex_comment(lx, &pos, err);
            if (rc != LC_OK)
                goto out;
            continue;
        /* Punctuator :: ! $ & ( ) ... : = @ [ ] { | } (§2.1.8) */
        case '!':
            kind = GQL__TOK_BANG;
            goto single;
        case '$':
            kind = GQL__TOK_DOLLAR;
            goto single;
        case '&':
            kind = GQL__TOK_AMP;
            goto single;
        case '(':
            kind = GQL__TOK_PAREN_L;
            goto single;
        case ')':
            kind = GQL__TOK_PAREN_R;
            goto single;
        case ':':
            kind = GQL__TOK_COLON;
            goto single;
        case '=':
            kind = GQL__TOK_EQUALS;
            goto single;
        case '@':
            kind = GQL__TOK_AT;
            goto single;
        case '[':
            kind = GQL__TOK_BRACKET_L;
            goto single;
        case ']':
            kind = GQL__TOK_BRACKET_R;
            goto single;
        case '{':
            kind = GQL__TOK_BRACE_L;
            goto single;
        case '|':
            kind = GQL__TOK_PIPE;
            goto single;
        case '}':
            kind = GQL__TOK_BRACE_R;
            goto single;
        case '.':
            if (pos + 2 < len && s[pos + 1] == '.' && s[pos + 2] == '.') {
                kind = GQL__TOK_SPREAD;
                size = 3;
                goto single;
            }
            rc = char_error(lx, pos, "Unexpected character", err);
            goto out;
        case '"':
            t->flags = 0;
            t->start = pos;
            t->line = lx->line;
            t->column = pos - lx->line_start - lx->col_adjust + 1;
            if (pos + 2 < len && s[pos + 1] == '"' && s[pos + 2] == '"')
                rc = lex_block_string(lx, t, err);
            else
                rc = lex_string(lx, t, err);
            if (rc == LC_OK)
                lx->pos = t->end;
            goto out;
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
            t->flags = 0;
            t->start = pos;
            t->line = lx->line;
            t->column = pos - lx->line_start - lx->col_adjust + 1;
            rc = lex_number(lx, t, err);
            if (rc == LC_OK)
                lx->pos = t->end;
            goto out;
        default:
            break;
        }
        if (is_name_start(c)) {
            uint32_t end = pos + 1;
            while (end < len && is_name_continue(s[end]))
                end++;
            kind = GQL__TOK_NAME;
            size = end - pos;
            goto single;
        }
        if (c >= 0x80) {
            uint32_t cp;
            size_t n = gql__utf8_decode(s + pos, len - pos, &cp);
            if (n == 0) {
                rc = invalid_utf8(lx, pos, err);
                goto out;
            }
            if (cp == 0xFEFF) { /* UnicodeBOM: ignored */
                lx->col_adjust += 2;
                pos += 3;
                continue;
            }
            rc = char_error(lx, pos, "Unexpected character", err);
            goto out;
        }
        if (c == '\'') {
            rc = gql__error_at(err, lx->src, len, pos,
                               "Unexpected single quote character ('), did you mean to use a "
                               "double quote (\")?");
            goto out;
        }
        /* Control characters too: graphql-js 16 says "Unexpected" for every Unicode scalar
         * value, and "Invalid" only for a lone surrogate, which UTF-8 cannot carry. */
        rc = char_error(lx, pos, "Unexpected character", err);
        goto out;
    }

single:
    t->kind = (uint8_t)kind;
    t->flags = 0;
    t->start = pos;
    t->end = pos + size;
    t->line = lx->line;
    t->column = pos - lx->line_start - lx->col_adjust + 1;
    lx->pos = t->end;
out:
    return rc;
}
