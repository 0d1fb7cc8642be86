/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Architecture consistency of a realized spec, from Arm's AARCHMRS feature
 * data (requires / mandatory_if expressions over FEAT_ names and versions).
 *
 * A feature is *decidable* when the field table maps it to an ID-register
 * value; its state is then known from the registers. Other features (e.g.
 * FEAT_PAuth, defined by an algorithm choice) are unknown, and expressions
 * are evaluated in three-valued logic: a check that depends on an unknown is
 * reported as undecidable, never as an error.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ctx.h"
#include "../util/util.h"
#include "featexpr.h"
#include "query.h"

struct lint_state {
    const bool *implemented; /* per armcpu_feat_deps row */
    const bool *decidable;
    const bool *version;     /* arch rows: true when the model claims it */
    bool version_known;
};

static long dep_index(const char *name, size_t len)
{
    for (size_t i = 0; i < armcpu_feat_deps_count; i++)
        if (strlen(armcpu_feat_deps[i].name) == len &&
            !strncmp(armcpu_feat_deps[i].name, name, len))
            return (long)i;
    return -1;
}

static enum armcpu_tv lint_atom(const char *name, size_t len, void *opaque)
{
    const struct lint_state *st = opaque;
    long i = dep_index(name, len);
    if (i < 0)
        return ARMCPU_TV_UNKNOWN; /* a name the data does not define */
    if (armcpu_feat_deps[i].is_arch)
        return !st->version_known ? ARMCPU_TV_UNKNOWN
               : st->version[i]   ? ARMCPU_TV_TRUE
                                  : ARMCPU_TV_FALSE;
    if (!st->decidable[i])
        return ARMCPU_TV_UNKNOWN;
    return st->implemented[i] ? ARMCPU_TV_TRUE : ARMCPU_TV_FALSE;
}

static enum armcpu_tv eval(struct lint_state *st, const char *s, size_t len)
{
    return armcpu_feat_expr_eval(s, len, lint_atom, st);
}

/* The next `sep`-separated part of *cur (NULL at the end). */
static const char *next_part(const char **cur, const char *sep, size_t *len)
{
    const char *part = *cur;
    if (!part || !*part)
        return NULL;
    const char *at = strstr(part, sep);
    *len = at ? (size_t)(at - part) : strlen(part);
    *cur = at ? at + strlen(sep) : NULL;
    return part;
}

struct finding_list {
    char **items;
    size_t n;
};

struct collect {
    bool *implemented;
    struct finding_list *problems;
};

static void add_finding(struct finding_list *l, const char *text);

/* Implemented features; a field that claims a feature whose guard fails
 * (ID_AA64ZFR0_EL1 values without SVE) is a broken dependency. */
static void collect_feature(const char *feat, const armcpu_field *f, uint64_t min,
                            bool guard_ok, bool field_valid, const char *guard,
                            void *opaque)
{
    struct collect *c = opaque;
    /* A field that only has meaning under its guard must read 0 without it
     * (min 0 is met by 0 itself: MTE_frac when MTE is hidden). */
    if (!field_valid && min > 0) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s (%s.%s >= %llu) requires %s", feat,
                 armcpu_field_reg(f)->name, f->name, (unsigned long long)min, guard);
        add_finding(c->problems, buf);
        return;
    }
    if (!guard_ok)
        return;
    long i = dep_index(feat, strlen(feat));
    if (i >= 0)
        c->implemented[i] = true;
}

/* Marks the claimed version and every version it implies (arch rows). */
static void claim_version(bool *version, long i)
{
    if (i < 0 || version[i])
        return;
    version[i] = true;
    const struct armcpu_feat_dep *d = &armcpu_feat_deps[i];
    const char *lists[2] = {d->optional_from, d->requires_};
    for (int k = 0; k < 2; k++)
        for (const char *p = lists[k]; *p;) {
            while (*p && !(p[0] == 'v' && isdigit((unsigned char)p[1])))
                p++;
            const char *s = p;
            while (*p && (isalnum((unsigned char)*p) || *p == '_'))
                p++;
            long j = dep_index(s, (size_t)(p - s));
            if (j >= 0 && armcpu_feat_deps[j].is_arch)
                claim_version(version, j);
        }
}

/* "arm-v8_4-a" -> "v8Ap4": the nearest architecture model in the chain. */
static long model_version(const armcpu_model *m)
{
    for (; m; m = armcpu_model_parent(m)) {
        unsigned x, y;
        char tail[8];
        if (sscanf(armcpu_model_base_name(m), "arm-v%u_%u-%7s", &x, &y, tail) == 3 &&
            !strcmp(tail, "a")) {
            char v[32];
            snprintf(v, sizeof v, "v%uAp%u", x, y);
            return dep_index(v, strlen(v));
        }
    }
    return -1;
}

static bool declared_deviation(const armcpu_model *m, const char *feat,
                               const char **reason)
{
    for (; m; m = m->parent)
        for (size_t i = 0; i < m->n_deviations; i++)
            if (!strcmp(m->deviations[i].feat, feat)) {
                *reason = m->deviations[i].reason;
                return true;
            }
    return false;
}

static void add_finding(struct finding_list *l, const char *text)
{
    char **n = realloc(l->items, (l->n + 1) * sizeof *n);
    if (!n)
        return;
    l->items = n;
    if ((n[l->n] = armcpu_strdup(text)))
        l->n++;
}

static bool has_finding(const struct finding_list *l, const char *text)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i], text))
            return true;
    return false;
}

/* Runs the checks; problems go to `problems`, others to `notes` (kind in
 * the first word: "undecidable:", "deviation:"). */
static void run_checks(const armcpu_cpu *cpu, struct finding_list *problems,
                       struct finding_list *notes)
{
    size_t n = armcpu_feat_deps_count;
    bool *implemented = calloc(n ? n : 1, sizeof *implemented);
    bool *decidable = calloc(n ? n : 1, sizeof *decidable);
    bool *version = calloc(n ? n : 1, sizeof *version);
    if (!implemented || !decidable || !version)
        goto out;
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        for (size_t i = 0; i < reg->n_fields; i++)
            for (size_t k = 0; k < reg->fields[i].n_values; k++) {
                const char *feat = reg->fields[i].values[k].feat;
                long j = feat ? dep_index(feat, strlen(feat)) : -1;
                if (j >= 0)
                    decidable[j] = true;
            }
    }
    struct collect c = {implemented, problems};
    armcpu_features_scan(cpu, collect_feature, &c);
    const armcpu_model *model = armcpu_cpu_model(cpu);
    long claimed = model_version(model);
    claim_version(version, claimed);
    struct lint_state st = {implemented, decidable, version, claimed >= 0};
    char buf[1024];
    for (size_t i = 0; i < n; i++) {
        const struct armcpu_feat_dep *d = &armcpu_feat_deps[i];
        bool active = d->is_arch ? version[i] : implemented[i];
        /* requires: every clause must hold for an implemented feature or a
         * claimed architecture version. */
        const char *cur = d->requires_, *part;
        size_t plen;
        while (active && (part = next_part(&cur, " ; ", &plen))) {
                enum armcpu_tv v = eval(&st, part, plen);
                if (v == ARMCPU_TV_TRUE)
                    continue;
                snprintf(buf, sizeof buf, "%s%s requires %.*s",
                         v == ARMCPU_TV_FALSE ? "" : "undecidable: ", d->name, (int)plen,
                         part);
                add_finding(v == ARMCPU_TV_FALSE ? problems : notes, buf);
            }
        /* mandatory_if: with a claimed version, every feature it makes
         * mandatory must be implemented. */
        if (d->is_arch || !*d->mandatory_if || claimed < 0)
            continue;
        enum armcpu_tv must = ARMCPU_TV_FALSE;
        cur = d->mandatory_if;
        while ((part = next_part(&cur, " | ", &plen)))
            must = armcpu_tv_or(must, eval(&st, part, plen));
        if (must != ARMCPU_TV_TRUE || implemented[i])
            continue;
        const char *why = NULL;
        if (!decidable[i]) {
            snprintf(buf, sizeof buf,
                     "undecidable: %s is mandatory (%s) but no ID field shows it",
                     d->name, d->mandatory_if);
            add_finding(notes, buf);
        } else if (declared_deviation(model, d->name, &why)) {
            snprintf(buf, sizeof buf, "deviation: %s is mandatory (%s), not implemented: %s",
                     d->name, d->mandatory_if, why);
            add_finding(notes, buf);
        } else {
            snprintf(buf, sizeof buf, "%s is mandatory (%s) but not implemented",
                     d->name, d->mandatory_if);
            add_finding(problems, buf);
        }
    }
out:
    free(implemented);
    free(decidable);
    free(version);
}

static void free_list(struct finding_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

size_t armcpu_cpu_lint(const armcpu_ctx *ctx, const armcpu_cpu *cpu, armcpu_lint_fn fn,
                       void *opaque)
{
    struct finding_list problems = {0}, notes = {0}, base = {0}, base_notes = {0};
    run_checks(cpu, &problems, &notes);
    /* A problem the model has without the user's properties is the model's
     * error; one the properties introduce is a warning on the spec. */
    if (armcpu_cpu_user_prop_count(cpu) && armcpu_cpu_model(cpu)) {
        armcpu_cpu *plain = armcpu_realize(ctx, armcpu_model_name(armcpu_cpu_model(cpu)),
                                           true, NULL);
        if (plain) {
            run_checks(plain, &base, &base_notes);
            armcpu_cpu_free(plain);
        }
    }
    size_t count = 0;
    for (size_t i = 0; i < problems.n; i++) {
        bool model_own = !armcpu_cpu_user_prop_count(cpu) || has_finding(&base, problems.items[i]);
        fn(model_own ? ARMCPU_LINT_ERROR : ARMCPU_LINT_WARNING, problems.items[i], opaque);
        count++;
    }
    for (size_t i = 0; i < notes.n; i++) {
        const char *t = notes.items[i];
        bool dev = !strncmp(t, "deviation: ", 11);
        fn(dev ? ARMCPU_LINT_DEVIATION : ARMCPU_LINT_UNDECIDABLE, strchr(t, ' ') + 1, opaque);
    }
    free_list(&problems);
    free_list(&notes);
    free_list(&base);
    free_list(&base_notes);
    return count;
}

const char *armcpu_lint_kind_name(armcpu_lint_kind k)
{
    static const char *const names[] = {"error", "warning", "undecidable", "deviation"};
    return (unsigned)k < 4 ? names[k] : "?";
}
