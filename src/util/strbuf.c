/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growing string for the library's texts (util.h: struct strbuf). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Room for n more bytes and a NUL; false (and oom set) when there is none. */
static bool sb_reserve(struct strbuf *b, size_t n)
{
    if (b->oom)
        return false;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = true;
            return false;
        }
        b->s = ns;
        b->cap = cap;
    }
    return true;
}

void sb_add(struct strbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (!sb_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *fleet_field_name(const armcpu_field *f, char *buf, size_t size)
{
    snprintf(buf, size, "%s.%s", armcpu_reg_name(armcpu_field_reg(f)), armcpu_field_name(f));
    return buf;
}

void sb_put(struct strbuf *b, const char *s, size_t n)
{
    if (!sb_reserve(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sb_json_string(struct strbuf *b, const char *s)
{
    sb_put(b, "\"", 1);
    const char *run = s;
    for (;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (!c)
            break;
        sb_put(b, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"': sb_put(b, "\\\"", 2); break;
        case '\\': sb_put(b, "\\\\", 2); break;
        case '\b': sb_put(b, "\\b", 2); break;
        case '\f': sb_put(b, "\\f", 2); break;
        case '\n': sb_put(b, "\\n", 2); break;
        case '\r': sb_put(b, "\\r", 2); break;
        case '\t': sb_put(b, "\\t", 2); break;
        default: sb_add(b, "\\u%04x", c);
        }
    }
    sb_put(b, run, (size_t)(s - run));
    sb_put(b, "\"", 1);
}

char *sb_take(struct strbuf *b)
{
    if (b->oom) {
        free(b->s);
        return NULL;
    }
    if (!b->s) {
        char *e = malloc(1);
        if (e)
            *e = 0;
        return e;
    }
    return b->s;
}

