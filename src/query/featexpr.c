/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "featexpr.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* or := and ('||' and)* ; and := unary ('&&' unary)* ;
 * unary := '!' unary | '(' or ')' | atom */
struct parser {
    const char *p, *end;
    armcpu_atom_fn atom;
    void *opaque;
    bool bad;
    int depth;
};

static enum armcpu_tv tv_not(enum armcpu_tv a)
{
    return a == ARMCPU_TV_UNKNOWN ? a : a == ARMCPU_TV_TRUE ? ARMCPU_TV_FALSE : ARMCPU_TV_TRUE;
}

static enum armcpu_tv tv_and(enum armcpu_tv a, enum armcpu_tv b)
{
    if (a == ARMCPU_TV_FALSE || b == ARMCPU_TV_FALSE)
        return ARMCPU_TV_FALSE;
    return a == ARMCPU_TV_TRUE && b == ARMCPU_TV_TRUE ? ARMCPU_TV_TRUE : ARMCPU_TV_UNKNOWN;
}

enum armcpu_tv armcpu_tv_or(enum armcpu_tv a, enum armcpu_tv b)
{
    if (a == ARMCPU_TV_TRUE || b == ARMCPU_TV_TRUE)
        return ARMCPU_TV_TRUE;
    return a == ARMCPU_TV_FALSE && b == ARMCPU_TV_FALSE ? ARMCPU_TV_FALSE : ARMCPU_TV_UNKNOWN;
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && isspace((unsigned char)*ps->p))
        ps->p++;
}

static enum armcpu_tv parse_or(struct parser *ps);

static enum armcpu_tv parse_unary(struct parser *ps)
{
    skip_ws(ps);
    if (++ps->depth > 64) { /* the data nests a few levels; refuse abuse */
        ps->bad = true;
        return ARMCPU_TV_UNKNOWN;
    }
    enum armcpu_tv v;
    if (ps->p < ps->end && *ps->p == '!') {
        ps->p++;
        v = tv_not(parse_unary(ps));
    } else if (ps->p < ps->end && *ps->p == '(') {
        ps->p++;
        v = parse_or(ps);
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ')')
            ps->p++;
        else
            ps->bad = true;
    } else {
        const char *s = ps->p;
        while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_'))
            ps->p++;
        if (ps->p == s) {
            ps->bad = true;
            v = ARMCPU_TV_UNKNOWN;
        } else {
            v = ps->atom(s, (size_t)(ps->p - s), ps->opaque);
        }
    }
    ps->depth--;
    return v;
}

static enum armcpu_tv parse_and(struct parser *ps)
{
    enum armcpu_tv v = parse_unary(ps);
    for (;;) {
        skip_ws(ps);
        if (ps->end - ps->p < 2 || strncmp(ps->p, "&&", 2))
            return v;
        ps->p += 2;
        v = tv_and(v, parse_unary(ps));
    }
}

static enum armcpu_tv parse_or(struct parser *ps)
{
    enum armcpu_tv v = parse_and(ps);
    for (;;) {
        skip_ws(ps);
        if (ps->end - ps->p < 2 || strncmp(ps->p, "||", 2))
            return v;
        ps->p += 2;
        v = armcpu_tv_or(v, parse_and(ps));
    }
}

enum armcpu_tv armcpu_feat_expr_eval(const char *s, size_t len,
                                     armcpu_atom_fn atom, void *opaque)
{
    struct parser ps = {s, s + len, atom, opaque, false, 0};
    enum armcpu_tv v = parse_or(&ps);
    skip_ws(&ps);
    return ps.bad || ps.p != ps.end ? ARMCPU_TV_UNKNOWN : v;
}
