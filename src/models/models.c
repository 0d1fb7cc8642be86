/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Model files (docs/model-format.md): parsing, validation and lookup.
 * A file is loaded all or nothing: every model, parent and assignment is
 * checked before any model becomes visible in the context.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/ctx.h"
#include "../util/util.h"

#define MAX_MODEL_FILE (4u << 20)

static void model_free(struct armcpu_model *m)
{
    if (!m || m->builtin)
        return;
    for (size_t i = 0; i < m->n_settings; i++) {
        free((void *)m->settings[i].assign);
        free((void *)m->settings[i].target);
        free((void *)m->settings[i].value);
        free((void *)m->settings[i].source);
        free((void *)m->settings[i].field_source);
    }
    free((void *)m->settings);
    for (size_t i = 0; i < m->n_deviations; i++) {
        free((void *)m->deviations[i].feat);
        free((void *)m->deviations[i].reason);
    }
    free((void *)m->deviations);
    free((void *)m->base);
    free((void *)m->name);
    free((void *)m->parent_name);
    free((void *)m->description);
    free((void *)m->origin);
    free((void *)m->regs);
    free((void *)m->field_source);
    free((void *)m->kernels);
    free((void *)m->namesakes);
    free(m);
}

void armcpu_models_free(struct armcpu_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_models; i++)
        model_free((struct armcpu_model *)ctx->models[i]);
    free(ctx->models);
    ctx->models = NULL;
    ctx->n_models = 0;
}

static int parse_models(const struct armcpu_ctx *ctx, const char *origin,
                        const char *text, size_t len, struct armcpu_model ***fresh_p,
                        size_t *n_fresh_p, armcpu_error *err);
static int commit_models(struct armcpu_ctx *ctx, struct armcpu_model **fresh,
                         size_t n_fresh, armcpu_error *err);

armcpu_ctx *armcpu_ctx_new_empty(armcpu_error *err)
{
    struct armcpu_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
#ifdef ARMCPU_GENERATOR
    if (armcpu_props_build(ctx, err)) {
        armcpu_ctx_free(ctx);
        return NULL;
    }
#else
    armcpu_props_use_builtin(ctx);
#endif
    return ctx;
}

/*
 * The built-in models: compiled at build time (tools/gen-data parses
 * models/ *.model with this file's parser and writes builtin.gen.c), so a
 * context costs a few allocations. The generator itself parses the texts.
 */
armcpu_ctx *armcpu_ctx_new(armcpu_error *err)
{
    struct armcpu_ctx *ctx = armcpu_ctx_new_empty(err);
    if (!ctx)
        return NULL;
#ifdef ARMCPU_GENERATOR
    /* All built-in files first, then parents: a parent may live in any file. */
    struct armcpu_model **fresh = NULL;
    size_t n = 0;
    for (size_t i = 0; i < armcpu_embedded_models_count; i++) {
        const struct armcpu_embedded_file *f = &armcpu_embedded_models[i];
        if (parse_models(ctx, f->name, f->text, strlen(f->text), &fresh, &n, err)) {
            for (size_t j = 0; j < n; j++)
                model_free(fresh[j]);
            free(fresh);
            goto fail;
        }
    }
    if (n && commit_models(ctx, fresh, n, err))
        goto fail;
#else
    if (armcpu_builtin_models_count) {
        ctx->models = malloc(armcpu_builtin_models_count * sizeof *ctx->models);
        if (!ctx->models) {
            armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            goto fail;
        }
        memcpy(ctx->models, armcpu_builtin_models,
               armcpu_builtin_models_count * sizeof *ctx->models);
        ctx->n_models = armcpu_builtin_models_count;
    }
#endif
    return ctx;
fail:
    armcpu_ctx_free(ctx);
    return NULL;
}

void armcpu_ctx_free(armcpu_ctx *ctx)
{
    if (!ctx)
        return;
    armcpu_props_free(ctx);
    armcpu_models_free(ctx);
    free(ctx);
}

static const struct armcpu_model *find_model(const struct armcpu_model *const *list,
                                             size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(list[i]->name, name))
            return list[i];
    return NULL;
}

static bool valid_base_name(const char *s)
{
    if (!*s || strlen(s) > 64 || !isalnum((unsigned char)s[0]))
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

/*
 * Turns one model assignment into field assignments: "REG = value" (every
 * field of REG), "REG.FIELD = value", or "property = value". Used both when a
 * file is loaded (so a loaded model cannot fail later) and at realization.
 */
int armcpu_setting_assignments(const struct armcpu_ctx *ctx, const char *target,
                               const char *value, struct field_assign *out,
                               size_t max, size_t *n, armcpu_error *err)
{
    *n = 0;
    uint64_t v;
    if (strchr(target, '.')) {
        const armcpu_field *f = armcpu_field_lookup(target, err);
        if (!f || armcpu_parse_u64(value, target, &v, err) ||
            armcpu_field_set(f, &(uint64_t){0}, v, err))
            return err ? err->code : ARMCPU_ERR_INVALID;
        out[(*n)++] = (struct field_assign){f, v};
        return ARMCPU_OK;
    }
    const armcpu_reg *r = armcpu_reg_by_name(target, NULL);
    if (r) {
        if (armcpu_parse_u64(value, target, &v, err))
            return err ? err->code : ARMCPU_ERR_INVALID;
        if ((v & r->res0_mask) || (~v & r->res1_mask))
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "%s = 0x%llx: RES0 bits 0x%llx must be clear "
                                    "and RES1 bits 0x%llx set",
                                    r->name, (unsigned long long)v,
                                    (unsigned long long)r->res0_mask,
                                    (unsigned long long)r->res1_mask);
        if (r->n_fields > max)
            return armcpu_set_error(err, ARMCPU_ERR_INVALID, "internal: no room");
        for (size_t i = 0; i < r->n_fields; i++)
            out[(*n)++] = (struct field_assign){&r->fields[i],
                                                armcpu_field_get(&r->fields[i], v)};
        return ARMCPU_OK;
    }
    const armcpu_prop *p = armcpu_prop_lookup(ctx, target, err);
    if (!p)
        return err ? err->code : ARMCPU_ERR_NOT_FOUND;
    if (p->kind == ARMCPU_PROP_COMPOSITE)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "composite property %s cannot be used in a "
                                "model; set the fields",
                                p->name);
    bool on;
    return armcpu_prop_parse(p, value, out, max, n, &on, err);
}

/* Checks one assignment and returns the fields it sets. */
static int check_setting(const struct armcpu_ctx *ctx, const char *origin,
                         int line, const char *target, const char *value,
                         struct field_assign *fa, size_t *n, armcpu_error *err)
{
    armcpu_error e = {0};
    if (armcpu_setting_assignments(ctx, target, value, fa, 64, n, &e))
        return armcpu_set_error(err, e.code, "%s:%d: %s", origin, line, e.message);
    return ARMCPU_OK;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    return s;
}

static int add_setting(struct armcpu_model *m, const char *target,
                       const char *value, const char *source, int line,
                       const struct field_assign *fa, size_t n)
{
    struct model_setting *ns =
        realloc((void *)m->settings, (m->n_settings + 1) * sizeof *ns);
    if (!ns)
        return -1;
    m->settings = ns;
    struct model_setting *s = &ns[m->n_settings];
    memset(s, 0, sizeof *s);
    char *t = armcpu_strdup(target), *v = armcpu_strdup(value), *src = armcpu_strdup(source);
    struct field_assign *a = malloc((n ? n : 1) * sizeof *a);
    if (!t || !v || !src || !a) {
        free(t);
        free(v);
        free(src);
        free(a);
        return -1;
    }
    memcpy(a, fa, n * sizeof *a);
    s->target = t;
    s->value = v;
    s->source = src;
    s->line = line;
    s->assign = a;
    s->n_assign = n;
    m->n_settings++;
    return 0;
}

/* The source texts realization records for each setting, once the model's
 * versioned name is known. */
static int name_sources(struct armcpu_model *m)
{
    for (size_t i = 0; i < m->n_settings; i++) {
        struct model_setting *s = (struct model_setting *)&m->settings[i];
        size_t len = strlen(m->name) + strlen(s->source) + 16;
        char *fs = malloc(len);
        if (!fs)
            return -1;
        snprintf(fs, len, "model %s: %s", m->name, s->source);
        s->field_source = fs;
    }
    return 0;
}

/* The model realized from the table defaults through its parent chain
 * (parents first). */
static int realize_model(struct armcpu_model *m)
{
    if (m->regs)
        return 0;
    if (m->parent && realize_model((struct armcpu_model *)m->parent))
        return -1;
    size_t nr = armcpu_reg_count(), nf = armcpu_idregs_fields_count;
    uint64_t *regs = malloc(nr * sizeof *regs);
    const char **src = calloc(nf ? nf : 1, sizeof *src);
    if (!regs || !src) {
        free(regs);
        free(src);
        return -1;
    }
    if (m->parent) {
        memcpy(regs, m->parent->regs, nr * sizeof *regs);
        memcpy(src, m->parent->field_source, nf * sizeof *src);
    } else {
        for (size_t r = 0; r < nr; r++)
            regs[r] = armcpu_reg_default_value(armcpu_reg_at(r));
    }
    for (size_t i = 0; i < m->n_settings; i++)
        for (size_t k = 0; k < m->settings[i].n_assign; k++) {
            const struct field_assign *a = &m->settings[i].assign[k];
            armcpu_field_set(a->field, &regs[a->field->reg_index], a->value, NULL);
            src[armcpu_field_flat_index(a->field)] = m->settings[i].field_source;
        }
    uint64_t set = 0;
    for (size_t i = 0; i < nf; i++)
        if (src[i] && armcpu_idregs_fields[i].reg_index < 64)
            set |= 1ULL << armcpu_idregs_fields[i].reg_index;
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    m->aarch32 = pfr0 && armcpu_pfr0_has_aarch32(regs[armcpu_reg_index(pfr0)]);
    m->set_regs = set;
    m->regs = regs;
    m->field_source = src;
    return 0;
}

/* The bytes a model file may hold: tab, CR and 0x20..0x7f. */
static const char model_text_bytes[] =
    "\t\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~\x7f";

/* A field's bit in its register's word of parse_models' set (a register
 * has at most 64 fields). */
static uint64_t field_bit(const armcpu_field *f)
{
    return 1ULL << ((size_t)(f - armcpu_field_reg(f)->fields) % 64);
}

/* Parses one file's models and appends them to *fresh (not yet visible). */
static int parse_models(const struct armcpu_ctx *ctx, const char *origin,
                        const char *text, size_t len, struct armcpu_model ***fresh_p,
                        size_t *n_fresh_p, armcpu_error *err)
{
    struct armcpu_model **fresh = *fresh_p;
    size_t n_fresh = *n_fresh_p, n_start = n_fresh;
    struct armcpu_model *cur = NULL;
    char *source = NULL;
    int rc = ARMCPU_OK, ln = 0;
    uint64_t *seen = NULL; /* per register, the fields cur's settings set */
    if (len > MAX_MODEL_FILE)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s: %zu bytes is larger than the %u-byte limit "
                                "for a model file",
                                origin, len, MAX_MODEL_FILE);
    if (memchr(text, 0, len))
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s: contains a NUL byte (a model file is text)",
                                origin);
    const char *p = text, *end = text + len;
#define FAIL(code, ...)                                                        \
    do {                                                                       \
        rc = armcpu_set_error(err, code, __VA_ARGS__);                         \
        goto out;                                                              \
    } while (0)
    seen = calloc(armcpu_reg_count() + 1, sizeof *seen);
    if (!seen)
        FAIL(ARMCPU_ERR_NOMEM, "out of memory");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        ln++;
        if (ll > 1000)
            FAIL(ARMCPU_ERR_INVALID, "%s:%d: line longer than 1000 bytes", origin, ln);
        char buf[1024];
        memcpy(buf, p, ll);
        buf[ll] = 0;
        p += ll + (nl ? 1 : 0);
        /* The first byte that is not printable ASCII, tab or CR (the text has
         * no NUL: refused above). */
        size_t i = strspn(buf, model_text_bytes);
        if (i < ll)
            FAIL(ARMCPU_ERR_INVALID,
                 "%s:%d: byte 0x%02x at column %zu: model files are "
                 "printable ASCII",
                 origin, ln, (unsigned char)buf[i], i + 1);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *line = trim(buf);
        if (!*line)
            continue;
        char *sp = line;
        while (*sp && !isspace((unsigned char)*sp) && *sp != '=')
            sp++;
        char kw[64];
        size_t kl = (size_t)(sp - line);
        if (kl >= sizeof kw)
            kl = sizeof kw - 1;
        memcpy(kw, line, kl);
        kw[kl] = 0;
        char *arg = trim(sp);
        if (!strcmp(kw, "model")) {
            if (cur)
                FAIL(ARMCPU_ERR_INVALID, "%s:%d: 'model' inside model %s (missing 'end')",
                     origin, ln, cur->base);
            if (!valid_base_name(arg))
                FAIL(ARMCPU_ERR_INVALID,
                     "%s:%d: model name '%s' is not valid (lower-case letters, "
                     "digits, '-' and '_', at most 64)",
                     origin, ln, arg);
            cur = calloc(1, sizeof *cur);
            memset(seen, 0, (armcpu_reg_count() + 1) * sizeof *seen);
            if (!cur || !(cur->base = armcpu_strdup(arg)) ||
                !(cur->origin = armcpu_strdup(origin)))
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
            free(source);
            source = NULL;
            continue;
        }
        if (!cur)
            FAIL(ARMCPU_ERR_INVALID, "%s:%d: '%s' outside a model block (start "
                                     "one with 'model NAME')",
                 origin, ln, kw);
        if (!strcmp(kw, "version")) {
            char *e;
            errno = 0;
            unsigned long v = strtoul(arg, &e, 10);
            if (!isdigit((unsigned char)*arg) || *e || v == 0 || v > 999 || errno)
                FAIL(ARMCPU_ERR_INVALID,
                     "%s:%d: version '%s' is not a number 1..999", origin, ln, arg);
            cur->version = (unsigned)v;
        } else if (!strcmp(kw, "parent")) {
            if (!*arg)
                FAIL(ARMCPU_ERR_INVALID, "%s:%d: parent needs a model name or 'none'",
                     origin, ln);
            free((void *)cur->parent_name);
            cur->parent_name = strcmp(arg, "none") ? armcpu_strdup(arg) : NULL;
            if (strcmp(arg, "none") && !cur->parent_name)
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
        } else if (!strcmp(kw, "realizable")) {
            if (strcmp(arg, "yes") && strcmp(arg, "no"))
                FAIL(ARMCPU_ERR_INVALID, "%s:%d: realizable must be yes or no, not '%s'",
                     origin, ln, arg);
            cur->realizable = !strcmp(arg, "yes");
        } else if (!strcmp(kw, "kernels")) {
            /* kernels 6.15- | 6.12-6.14: major.minor, both ends included */
            char *dash = strchr(arg, '-');
            unsigned from = 0, to = 0;
            if (dash) {
                *dash = 0;
                from = armcpu_kernel_key(arg);
                to = dash[1] ? armcpu_kernel_key(dash + 1) : 0;
                bool exact = from && strspn(arg, "0123456789.") == strlen(arg) &&
                             (!dash[1] || (to && strspn(dash + 1, "0123456789.") ==
                                                     strlen(dash + 1)));
                *dash = '-';
                if (!exact)
                    from = 0;
            }
            if (!dash || !from || (to && to < from) || strchr(dash + 1, '-'))
                FAIL(ARMCPU_ERR_INVALID,
                     "%s:%d: kernels '%s' is not a range MAJOR.MINOR-[MAJOR.MINOR] "
                     "(e.g. 6.15- or 6.12-6.14, the first end not after the second)",
                     origin, ln, arg);
            if (cur->kernels)
                FAIL(ARMCPU_ERR_CONFLICT, "%s:%d: model %s has a second 'kernels' line",
                     origin, ln, cur->base);
            cur->kernels_from = from;
            cur->kernels_to = to;
            if (!(cur->kernels = armcpu_strdup(arg)))
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
        } else if (!strcmp(kw, "namesakes")) {
            /* snapshot base names: what valid_base_name allows, space-separated */
            size_t good = strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789-_. ");
            if (!*arg || good != strlen(arg))
                FAIL(ARMCPU_ERR_INVALID,
                     "%s:%d: namesakes needs host names (lower-case letters, digits, "
                     "'-', '_', '.'), space-separated: '%s'",
                     origin, ln, arg);
            if (cur->namesakes)
                FAIL(ARMCPU_ERR_CONFLICT, "%s:%d: model %s has a second 'namesakes' line",
                     origin, ln, cur->base);
            if (!(cur->namesakes = armcpu_strdup(arg)))
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
        } else if (!strcmp(kw, "description")) {
            free((void *)cur->description);
            if (!(cur->description = armcpu_strdup(arg)))
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
        } else if (!strcmp(kw, "source")) {
            if (!*arg)
                FAIL(ARMCPU_ERR_INVALID, "%s:%d: source needs a text", origin, ln);
            free(source);
            if (!(source = armcpu_strdup(arg)))
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
        } else if (!strcmp(kw, "deviation")) {
            /* deviation FEAT_X reason: a feature the model's architecture
             * version makes mandatory that this CPU does not implement. */
            char *sp2 = arg;
            while (*sp2 && !isspace((unsigned char)*sp2))
                sp2++;
            char *reason = trim(sp2);
            if (strncmp(arg, "FEAT_", 5) || sp2 == arg + 5 || !*reason)
                FAIL(ARMCPU_ERR_INVALID,
                     "%s:%d: deviation needs 'FEAT_NAME reason with its source'",
                     origin, ln);
            *sp2 = 0;
            struct model_deviation *nd =
                realloc((void *)cur->deviations, (cur->n_deviations + 1) * sizeof *nd);
            if (!nd)
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
            cur->deviations = nd;
            nd[cur->n_deviations].feat = armcpu_strdup(arg);
            nd[cur->n_deviations].reason = armcpu_strdup(reason);
            cur->n_deviations++;
            if (!nd[cur->n_deviations - 1].feat || !nd[cur->n_deviations - 1].reason)
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
        } else if (!strcmp(kw, "end")) {
            if (!cur->version)
                FAIL(ARMCPU_ERR_INVALID, "%s:%d: model %s has no 'version'", origin,
                     ln, cur->base);
            char full[96];
            snprintf(full, sizeof full, "%s-v%u", cur->base, cur->version);
            if (!(cur->name = armcpu_strdup(full)) || name_sources(cur))
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
            if (find_model(ctx->models, ctx->n_models, full) ||
                find_model((const struct armcpu_model *const *)fresh, n_fresh, full))
                FAIL(ARMCPU_ERR_CONFLICT, "%s:%d: model %s is already defined", origin,
                     ln, full);
            struct armcpu_model **nf = realloc(fresh, (n_fresh + 1) * sizeof *nf);
            if (!nf)
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
            fresh = nf;
            fresh[n_fresh++] = cur;
            cur = NULL;
        } else if (*arg == '=') {
            char *value = trim(arg + 1);
            if (!*value)
                FAIL(ARMCPU_ERR_INVALID, "%s:%d: '%s =' needs a value", origin, ln, kw);
            if (!source)
                FAIL(ARMCPU_ERR_INVALID,
                     "%s:%d: %s has no provenance: put a 'source TEXT' line "
                     "before it",
                     origin, ln, kw);
            struct field_assign fa[64];
            size_t nfa;
            if ((rc = check_setting(ctx, origin, ln, kw, value, fa, &nfa, err)))
                goto out;
            /* one field, one assignment per model, however it is spelled
             * (the search for the message only when a field was set) */
            bool maybe = false;
            for (size_t k = 0; k < nfa; k++)
                if (seen[fa[k].field->reg_index] & field_bit(fa[k].field))
                    maybe = true;
            for (size_t i = 0; maybe && i < cur->n_settings; i++)
                for (size_t j = 0; j < cur->settings[i].n_assign; j++)
                    for (size_t k = 0; k < nfa; k++)
                        if (cur->settings[i].assign[j].field == fa[k].field)
                            FAIL(ARMCPU_ERR_CONFLICT,
                                 "%s:%d: %s sets %s.%s, already set by %s at line %d "
                                 "of model %s",
                                 origin, ln, kw,
                                 armcpu_reg_name(armcpu_field_reg(fa[k].field)),
                                 armcpu_field_name(fa[k].field),
                                 cur->settings[i].target, cur->settings[i].line,
                                 cur->base);
            if (add_setting(cur, kw, value, source, ln, fa, nfa))
                FAIL(ARMCPU_ERR_NOMEM, "out of memory");
            for (size_t k = 0; k < nfa; k++)
                seen[fa[k].field->reg_index] |= field_bit(fa[k].field);
        } else {
            FAIL(ARMCPU_ERR_INVALID,
                 "%s:%d: unknown line '%s' (expected model, version, parent, "
                 "realizable, description, kernels, namesakes, source, deviation, "
                 "TARGET = VALUE or end)",
                 origin, ln, line);
        }
    }
    if (cur)
        FAIL(ARMCPU_ERR_INVALID, "%s: model %s is not closed with 'end'", origin,
             cur->base);
    if (n_fresh == n_start)
        FAIL(ARMCPU_ERR_INVALID, "%s: no model in the file", origin);
out:
#undef FAIL
    free(seen);
    model_free(cur);
    free(source);
    *fresh_p = fresh;
    *n_fresh_p = n_fresh;
    return rc;
}

/* Resolves parents among existing and new models, refuses cycles, then makes
 * the new models visible. Frees them on failure. */
static int commit_models(struct armcpu_ctx *ctx, struct armcpu_model **fresh,
                         size_t n_fresh, armcpu_error *err)
{
    int rc = ARMCPU_OK;
    for (size_t i = 0; i < n_fresh && !rc; i++) {
        struct armcpu_model *m = fresh[i];
        if (!m->parent_name)
            continue;
        const struct armcpu_model *par = find_model(ctx->models, ctx->n_models, m->parent_name);
        if (!par)
            par = find_model((const struct armcpu_model *const *)fresh, n_fresh, m->parent_name);
        if (!par)
            rc = armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                                  "%s: model %s has parent '%s', which is not "
                                  "defined (parents are full versioned names, e.g. "
                                  "neoverse-v2-v1)",
                                  m->origin, m->name, m->parent_name);
        m->parent = par;
    }
    for (size_t i = 0; i < n_fresh && !rc; i++) {
        size_t depth = 0;
        for (const struct armcpu_model *a = fresh[i]; a && !rc; a = a->parent) {
            if (++depth > n_fresh + ctx->n_models)
                rc = armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                      "%s: model %s is in a parent cycle",
                                      fresh[i]->origin, fresh[i]->name);
            else if (depth > ARMCPU_MAX_MODEL_DEPTH)
                rc = armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                      "%s: model %s has more than %d ancestors "
                                      "(the deepest chain armcpu realizes)",
                                      fresh[i]->origin, fresh[i]->name,
                                      ARMCPU_MAX_MODEL_DEPTH - 1);
        }
    }
    /* compiled: each model's realized registers (parents first) */
    for (size_t i = 0; i < n_fresh && !rc; i++)
        if (realize_model(fresh[i]))
            rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    if (!rc) {
        const struct armcpu_model **all =
            realloc(ctx->models, (ctx->n_models + n_fresh) * sizeof *all);
        if (!all)
            rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        else {
            ctx->models = all;
            memcpy(ctx->models + ctx->n_models, fresh, n_fresh * sizeof *fresh);
            ctx->n_models += n_fresh;
            n_fresh = 0;
        }
    }
    for (size_t i = 0; i < n_fresh; i++)
        model_free(fresh[i]);
    free(fresh);
    return rc;
}

int armcpu_ctx_load_model_text(armcpu_ctx *ctx, const char *origin,
                               const char *text, size_t len, armcpu_error *err)
{
    struct armcpu_model **fresh = NULL;
    size_t n = 0;
    int rc = parse_models(ctx, origin, text, len, &fresh, &n, err);
    if (rc) {
        for (size_t i = 0; i < n; i++)
            model_free(fresh[i]);
        free(fresh);
        return rc;
    }
    return commit_models(ctx, fresh, n, err);
}

int armcpu_ctx_load_model_file(armcpu_ctx *ctx, const char *path,
                               armcpu_error *err)
{
    size_t n;
    char *buf = armcpu_read_text_file(path, MAX_MODEL_FILE, "model file", &n, err);
    if (!buf)
        return err ? err->code : ARMCPU_ERR_IO;
    int rc = n == 0 ? armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: empty model file", path)
                    : armcpu_ctx_load_model_text(ctx, path, buf, n, err);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------ lookup */

size_t armcpu_model_count(const armcpu_ctx *ctx) { return ctx->n_models; }

const armcpu_model *armcpu_model_at(const armcpu_ctx *ctx, size_t i)
{
    return i < ctx->n_models ? ctx->models[i] : NULL;
}

static const struct armcpu_model *newest(const armcpu_ctx *ctx, const char *base)
{
    const struct armcpu_model *best = NULL;
    for (size_t i = 0; i < ctx->n_models; i++)
        if (!strcasecmp(ctx->models[i]->base, base) &&
            (!best || ctx->models[i]->version > best->version))
            best = ctx->models[i];
    return best;
}

bool armcpu_model_serves_kernel(const armcpu_model *m, unsigned kernel)
{
    if (!m->kernels_from || !kernel)
        return true;
    return kernel >= m->kernels_from && (!m->kernels_to || kernel <= m->kernels_to);
}

/* The newest version of base whose `kernels` range holds kernel (0: the
 * newest version): an unversioned name per kernel, as x86 QEMU resolves its
 * CPU names per machine type. None serving it: the newest. */
static const struct armcpu_model *newest_for(const armcpu_ctx *ctx, const char *base,
                                             unsigned kernel)
{
    const struct armcpu_model *best = NULL;
    for (size_t i = 0; i < ctx->n_models; i++)
        if (!strcasecmp(ctx->models[i]->base, base) &&
            armcpu_model_serves_kernel(ctx->models[i], kernel) &&
            (!best || ctx->models[i]->version > best->version))
            best = ctx->models[i];
    return best ? best : newest(ctx, base);
}

const armcpu_model *armcpu_model_lookup(const armcpu_ctx *ctx, const char *name,
                                        armcpu_error *err)
{
    return armcpu_model_lookup_for_kernel(ctx, name, NULL, err);
}

const armcpu_model *armcpu_model_lookup_for_kernel(const armcpu_ctx *ctx, const char *name,
                                                   const char *kernel, armcpu_error *err)
{
    const struct armcpu_model *m = find_model(ctx->models, ctx->n_models, name);
    if (!m)
        m = newest_for(ctx, name, armcpu_kernel_key(kernel));
    if (m)
        return m;
    if (!err)
        return NULL; /* nobody reads a suggestion */
    armcpu_suggest s;
    char hint[300];
    armcpu_suggest_init(&s, name);
    for (size_t i = 0; i < ctx->n_models; i++)
        armcpu_suggest_offer(&s, ctx->models[i]->name);
    armcpu_suggest_format(&s, hint, sizeof hint);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "unknown model '%s'%s (%zu models are loaded)", name, hint,
                     ctx->n_models);
    return NULL;
}

const char *armcpu_model_name(const armcpu_model *m) { return m->name; }
const char *armcpu_model_base_name(const armcpu_model *m) { return m->base; }
unsigned armcpu_model_version(const armcpu_model *m) { return m->version; }
const armcpu_model *armcpu_model_parent(const armcpu_model *m) { return m->parent; }
bool armcpu_model_realizable(const armcpu_model *m) { return m->realizable; }
const char *armcpu_model_origin(const armcpu_model *m) { return m->origin; }

const char *armcpu_model_kernels(const armcpu_model *m) { return m->kernels; }
const char *armcpu_model_namesakes(const armcpu_model *m) { return m->namesakes; }

const char *armcpu_model_description(const armcpu_model *m)
{
    return m->description ? m->description : "";
}

bool armcpu_model_is_newest(const armcpu_ctx *ctx, const armcpu_model *m)
{
    return newest(ctx, m->base) == m;
}

size_t armcpu_model_setting_count(const armcpu_model *m) { return m->n_settings; }

bool armcpu_model_setting_at(const armcpu_model *m, size_t i, const char **target,
                             const char **value, const char **source)
{
    if (i >= m->n_settings)
        return false;
    if (target)
        *target = m->settings[i].target;
    if (value)
        *value = m->settings[i].value;
    if (source)
        *source = m->settings[i].source;
    return true;
}

size_t armcpu_model_deviation_count(const armcpu_model *m) { return m->n_deviations; }

bool armcpu_model_deviation_at(const armcpu_model *m, size_t i, const char **feat,
                               const char **reason)
{
    if (i >= m->n_deviations)
        return false;
    if (feat)
        *feat = m->deviations[i].feat;
    if (reason)
        *reason = m->deviations[i].reason;
    return true;
}
