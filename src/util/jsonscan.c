/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A strict JSON syntax scanner (RFC 8259): the snapshot loader refuses a
 * duplicate key (json-c keeps the last one silently), and the fleet's JSON
 * Lines reader recognises a line identical to an earlier one but for the
 * host name without parsing it again.
 */
#include <stdint.h>
#include <string.h>

#include "jsonscan.h"

#define MAX_DEPTH 16
#define MAX_KEYS 128 /* keys of one object checked for duplicates */

struct st {
    const char *p, *end, *start;
    int depth;
    struct armcpu_json_scan *out;
};

static bool fail(struct st *s, const char *why)
{
    if (!s->out->why) {
        s->out->why = why;
        s->out->error_at = (size_t)(s->p - s->start);
    }
    return false;
}

static void ws(struct st *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool hex4(struct st *s)
{
    for (int i = 0; i < 4; i++, s->p++) {
        char c = s->p < s->end ? *s->p : 0;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return fail(s, "bad \\u escape");
    }
    return true;
}

/* Bytes a string's scan must stop at: the quote, the backslash and the
 * control characters. */
static const bool special[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

/* Whether one of the eight bytes of w may be special (a quote, a backslash
 * or below 0x20): the classic zero-byte test on w ^ '"', w ^ '\\' and a
 * less-than-0x20 test; a false positive only follows a true one, and
 * either way the byte loop decides. */
static bool word_has_special(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    uint64_t zq = (q - ones) & ~q, zb = (b - ones) & ~b, lt = (w - ones * 0x20) & ~w;
    return ((zq | zb | lt) & highs) != 0;
}

/* A string; its text (without quotes) in *t / *n, *plain: no escapes. */
static bool str(struct st *s, const char **t, size_t *n, bool *plain)
{
    if (s->p >= s->end || *s->p != '"')
        return fail(s, "expected a string");
    const char *b = ++s->p;
    *plain = true;
    while (s->p < s->end) {
        /* the common bytes first, without the checks below */
        const char *q = s->p, *end = s->end;
        while (end - q >= 8) {
            uint64_t w;
            memcpy(&w, q, 8);
            if (word_has_special(w))
                break;
            q += 8;
        }
        while (q < end && !special[(unsigned char)*q])
            q++;
        s->p = q;
        if (s->p >= s->end)
            break;
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            *t = b;
            *n = (size_t)(s->p - b);
            s->p++;
            return true;
        }
        if (c < 0x20)
            return fail(s, "control character in a string");
        s->p++;
        if (c == '\\') {
            *plain = false;
            if (s->p >= s->end)
                break;
            c = (unsigned char)*s->p++;
            if (c == 'u') {
                if (!hex4(s))
                    return false;
            } else if (!c || !strchr("\"\\/bfnrt", c)) {
                return fail(s, "bad escape in a string");
            }
        }
    }
    return fail(s, "unterminated string");
}

static bool value(struct st *s, const char *key, size_t key_len);

static bool digits(struct st *s)
{
    const char *b = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    return s->p > b;
}

static bool number(struct st *s)
{
    if (s->p < s->end && *s->p == '-')
        s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (!digits(s))
        return fail(s, "expected a value");
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!digits(s))
            return fail(s, "bad number");
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!digits(s))
            return fail(s, "bad number");
    }
    return true;
}

static bool literal(struct st *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n))
        return fail(s, "expected a value");
    s->p += n;
    return true;
}

static bool object(struct st *s, const char *parent, size_t parent_len)
{
    const char *keys[MAX_KEYS];
    size_t lens[MAX_KEYS], nk = 0;
    bool top = s->depth == 1;
    s->p++; /* '{' */
    ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return true;
    }
    while (1) {
        const char *k;
        size_t kn;
        bool plain;
        if (!str(s, &k, &kn, &plain))
            return false;
        if (s->out->dup_keys) {
            for (size_t i = 0; i < nk; i++)
                if (lens[i] == kn && !memcmp(keys[i], k, kn)) {
                    s->out->dup = k;
                    s->out->dup_len = kn;
                    s->out->dup_parent = parent;
                    s->out->dup_parent_len = parent_len;
                    return fail(s, "duplicate key");
                }
            if (nk < MAX_KEYS) {
                keys[nk] = k;
                lens[nk++] = kn;
            }
        }
        ws(s);
        if (s->p >= s->end || *s->p != ':')
            return fail(s, "expected ':'");
        s->p++;
        ws(s);
        if (top && plain && kn == 4 && !memcmp(k, "name", 4)) {
            s->out->names++;
            if (s->p < s->end && *s->p == '"') {
                if (!str(s, &s->out->name, &s->out->name_len, &s->out->name_plain))
                    return false;
            } else if (!value(s, k, kn)) {
                return false;
            }
        } else if (!value(s, k, kn)) {
            return false;
        }
        ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == '}') {
            s->p++;
            return true;
        }
        return fail(s, "expected ',' or '}'");
    }
}

static bool array(struct st *s)
{
    s->p++; /* '[' */
    ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return true;
    }
    while (1) {
        if (!value(s, NULL, 0))
            return false;
        ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == ']') {
            s->p++;
            return true;
        }
        return fail(s, "expected ',' or ']'");
    }
}

static bool value(struct st *s, const char *key, size_t key_len)
{
    if (s->p >= s->end)
        return fail(s, "unexpected end of the text");
    if (++s->depth > MAX_DEPTH)
        return fail(s, "nested too deep");
    bool ok, plain;
    const char *t;
    size_t n;
    switch (*s->p) {
    case '{': ok = object(s, key, key_len); break;
    case '[': ok = array(s); break;
    case '"': ok = str(s, &t, &n, &plain); break;
    case 't': ok = literal(s, "true"); break;
    case 'f': ok = literal(s, "false"); break;
    case 'n': ok = literal(s, "null"); break;
    default: ok = number(s);
    }
    s->depth--;
    return ok;
}

bool armcpu_json_scan(const char *text, size_t len, struct armcpu_json_scan *out)
{
    bool dup = out->dup_keys;
    memset(out, 0, sizeof *out);
    out->dup_keys = dup;
    struct st s = {text, text + len, text, 0, out};
    ws(&s);
    if (!value(&s, NULL, 0))
        return false;
    ws(&s);
    if (s.p != s.end)
        return fail(&s, "unexpected data after the document");
    return true;
}
