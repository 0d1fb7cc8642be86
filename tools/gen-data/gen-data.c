/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gen-data: writes the library's built-in tables as C (builtin.gen.c), so a
 * context costs a few allocations instead of building them:
 *   - the property table (src/props/props.c's builder over the field table),
 *     with its name hash, suggestion masks and name lengths;
 *   - the built-in models (models/ *.model, parsed by src/models/models.c):
 *     settings compiled to field assignments, each model realized through
 *     its parent chain (registers and each field's source);
 *   - the writable-mask table of each known kernel (kernels/ *.masks), by
 *     register index, in version order.
 * Built with the library's own sources (-DARMCPU_GENERATOR: the property
 * table built and the model files parsed at run time), so the generated
 * tables are exactly what the code would compute.
 * usage: gen-data OUT.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"

static FILE *out;

static void die(const char *what, const char *why)
{
    fprintf(stderr, "gen-data: %s: %s\n", what, why);
    exit(1);
}

/* A C string literal (or NULL). */
static void lit(const char *s)
{
    if (!s) {
        fputs("NULL", out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            fprintf(out, "\\%03o", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static size_t flat(const armcpu_field *f) { return armcpu_field_flat_index(f); }

/* ------------------------------------------------------------ properties */

static void emit_props(const struct armcpu_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_props; i++) {
        const struct armcpu_prop *p = &ctx->props[i];
        fprintf(out, "static const armcpu_field *const pf%zu[] = {", i);
        for (size_t k = 0; k < p->n_fields; k++)
            fprintf(out, "%s&armcpu_idregs_fields[%zu]", k ? ", " : "", flat(p->fields[k]));
        fprintf(out, "};\n");
        if (!p->n_values)
            continue;
        fprintf(out, "static const struct prop_value pv%zu[] = {", i);
        for (size_t k = 0; k < p->n_values; k++) {
            fprintf(out, "%s{", k ? ", " : "");
            lit(p->values[k].name);
            fprintf(out, ", 0x%llxULL}", (unsigned long long)p->values[k].value);
        }
        fprintf(out, "};\n");
    }
    fprintf(out, "\nconst struct armcpu_prop armcpu_builtin_props[] = {\n");
    for (size_t i = 0; i < ctx->n_props; i++) {
        const struct armcpu_prop *p = &ctx->props[i];
        fprintf(out, "    {");
        lit(p->name);
        fprintf(out, ", %d, %d, ", (int)p->kind, (int)p->type);
        lit(p->description);
        fprintf(out, ", pf%zu, %zu, ", i, p->n_fields);
        if (p->n_values)
            fprintf(out, "pv%zu, %zu, ", i, p->n_values);
        else
            fprintf(out, "NULL, 0, ");
        fprintf(out, "0x%xu, %u, %u},\n", p->frac_bases, p->config, p->config_vq);
    }
    fprintf(out, "};\nconst size_t armcpu_builtin_props_count = %zu;\n\n", ctx->n_props);
    fprintf(out, "const uint32_t armcpu_builtin_prop_hash[] = {");
    for (size_t i = 0; i < ctx->prop_hash_size; i++)
        fprintf(out, "%s%s%u", i ? "," : "", i % 16 ? "" : "\n    ", ctx->prop_hash[i]);
    fprintf(out, "};\nconst size_t armcpu_builtin_prop_hash_size = %zu;\n", ctx->prop_hash_size);
    fprintf(out, "const uint64_t armcpu_builtin_prop_masks[] = {");
    for (size_t i = 0; i < ctx->n_props; i++)
        fprintf(out, "%s%s0x%llxULL", i ? "," : "", i % 6 ? "" : "\n    ",
                (unsigned long long)ctx->prop_masks[i]);
    fprintf(out, "};\nconst size_t armcpu_builtin_prop_lens[] = {");
    for (size_t i = 0; i < ctx->n_props; i++)
        fprintf(out, "%s%s%zu", i ? "," : "", i % 16 ? "" : "\n    ", ctx->prop_lens[i]);
    fprintf(out, "};\nconst uint32_t armcpu_builtin_field_props[] = {");
    for (size_t i = 0; i < armcpu_idregs_fields_count; i++)
        fprintf(out, "%s%s%u", i ? "," : "", i % 16 ? "" : "\n    ", ctx->field_prop[i]);
    fprintf(out, "};\n\n");
}

/* ------------------------------------------------------------ models */

static size_t model_index(const struct armcpu_ctx *ctx, const struct armcpu_model *m)
{
    for (size_t i = 0; i < ctx->n_models; i++)
        if (ctx->models[i] == m)
            return i;
    die(m->name, "parent outside the built-in models");
    return 0;
}

/* The setting whose field_source text this is: "msJ_I". */
static void source_ref(const struct armcpu_ctx *ctx, const char *src)
{
    for (size_t j = 0; j < ctx->n_models; j++)
        for (size_t i = 0; i < ctx->models[j]->n_settings; i++)
            if (ctx->models[j]->settings[i].field_source == src) {
                fprintf(out, "ms%zu_%zu", j, i);
                return;
            }
    die(src, "a field source that no setting owns");
}

static void emit_models(const struct armcpu_ctx *ctx)
{
    size_t nr = armcpu_reg_count(), nf = armcpu_idregs_fields_count;
    /* the source texts first: a model's fields point at its ancestors' */
    for (size_t j = 0; j < ctx->n_models; j++) {
        const struct armcpu_model *m = ctx->models[j];
        for (size_t i = 0; i < m->n_settings; i++) {
            fprintf(out, "static const char ms%zu_%zu[] = ", j, i);
            lit(m->settings[i].field_source);
            fprintf(out, ";\n");
        }
    }
    for (size_t j = 0; j < ctx->n_models; j++) {
        const struct armcpu_model *m = ctx->models[j];
        fprintf(out, "\n/* %s */\n", m->name);
        for (size_t i = 0; i < m->n_settings; i++) {
            const struct model_setting *s = &m->settings[i];
            fprintf(out, "static const struct field_assign ma%zu_%zu[] = {", j, i);
            for (size_t k = 0; k < s->n_assign; k++)
                fprintf(out, "%s{&armcpu_idregs_fields[%zu], 0x%llxULL}", k ? ", " : "",
                        flat(s->assign[k].field), (unsigned long long)s->assign[k].value);
            fprintf(out, "};\n");
        }
        if (m->n_settings) {
            fprintf(out, "static const struct model_setting mst%zu[] = {\n", j);
            for (size_t i = 0; i < m->n_settings; i++) {
                const struct model_setting *s = &m->settings[i];
                fprintf(out, "    {");
                lit(s->target);
                fputs(", ", out);
                lit(s->value);
                fputs(", ", out);
                lit(s->source);
                fprintf(out, ", %d, ma%zu_%zu, %zu, ms%zu_%zu},\n", s->line, j, i, s->n_assign, j,
                        i);
            }
            fprintf(out, "};\n");
        }
        if (m->n_deviations) {
            fprintf(out, "static const struct model_deviation md%zu[] = {\n", j);
            for (size_t i = 0; i < m->n_deviations; i++) {
                fputs("    {", out);
                lit(m->deviations[i].feat);
                fputs(", ", out);
                lit(m->deviations[i].reason);
                fputs("},\n", out);
            }
            fprintf(out, "};\n");
        }
        fprintf(out, "static const uint64_t mr%zu[] = {", j);
        for (size_t r = 0; r < nr; r++)
            fprintf(out, "%s%s0x%llxULL", r ? "," : "", r % 4 ? "" : "\n    ",
                    (unsigned long long)m->regs[r]);
        fprintf(out, "};\nstatic const char *const mf%zu[] = {", j);
        for (size_t i = 0; i < nf; i++) {
            fputs(i ? "," : "", out);
            if (i % 8 == 0)
                fputs("\n    ", out);
            if (m->field_source[i])
                source_ref(ctx, m->field_source[i]);
            else
                fputs("NULL", out);
        }
        fprintf(out, "};\n");
    }
    fprintf(out, "\nstatic const struct armcpu_model mm[] = {\n");
    for (size_t j = 0; j < ctx->n_models; j++) {
        const struct armcpu_model *m = ctx->models[j];
        fputs("    {", out);
        lit(m->base);
        fprintf(out, ", %u, ", m->version);
        lit(m->name);
        fputs(", ", out);
        lit(m->parent_name);
        if (m->parent)
            fprintf(out, ", &mm[%zu], ", model_index(ctx, m->parent));
        else
            fputs(", NULL, ", out);
        fprintf(out, "%s, ", m->realizable ? "true" : "false");
        lit(m->description);
        fputs(", ", out);
        lit(m->origin);
        if (m->n_settings)
            fprintf(out, ", mst%zu, %zu", j, m->n_settings);
        else
            fputs(", NULL, 0", out);
        if (m->n_deviations)
            fprintf(out, ", md%zu, %zu", j, m->n_deviations);
        else
            fputs(", NULL, 0", out);
        fprintf(out, ", mr%zu, mf%zu, 0x%llxULL, %s, true, %u, %u, ", j, j,
                (unsigned long long)m->set_regs, m->aarch32 ? "true" : "false",
                m->kernels_from, m->kernels_to);
        lit(m->kernels);
        fputs(", ", out);
        lit(m->namesakes);
        fputs("},\n", out);
    }
    fprintf(out, "};\n\nconst struct armcpu_model *const armcpu_builtin_models[] = {");
    for (size_t j = 0; j < ctx->n_models; j++)
        fprintf(out, "%s&mm[%zu]", j ? ", " : "", j);
    fprintf(out, "};\nconst size_t armcpu_builtin_models_count = %zu;\n\n", ctx->n_models);
}

/* ------------------------------------------------------------ kernels */

struct kernel {
    char version[32], provenance[1024], capabilities[256];
    unsigned key;
    int has_masks;
    uint64_t *masks;
};

/* "# key: value" of a table, or "". */
static void header(const char *text, const char *key, char *buf, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "# %s:", key);
    buf[0] = 0;
    const char *p = strstr(text, pat);
    if (!p)
        return;
    p += strlen(pat);
    while (*p == ' ')
        p++;
    snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
}

static int cmp_kernel(const void *a, const void *b)
{
    const struct kernel *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* A kernel table's version, from its name (kernels/linux-MAJOR.MINOR.EXT),
 * and its '# provenance:', which every table must give. */
static void table_head(const struct armcpu_embedded_file *f, const char *ext, struct kernel *k)
{
    char why[96];
    snprintf(why, sizeof why, "a kernel table is named linux-MAJOR.MINOR.%s", ext);
    if (strncmp(f->stem, "linux-", 6))
        die(f->name, why);
    snprintf(k->version, sizeof k->version, "%s", f->stem + 6);
    k->key = armcpu_kernel_key(k->version);
    if (!k->key)
        die(f->name, "not a MAJOR.MINOR version");
    header(f->text, "provenance", k->provenance, sizeof k->provenance);
    if (!k->provenance[0])
        die(f->name, "'# provenance:' missing");
}

static void emit_kernels(void)
{
    size_t n = armcpu_embedded_kernels_count, nr = armcpu_reg_count();
    struct kernel *k = calloc(n ? n : 1, sizeof *k);
    if (!k)
        die("kernels", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const struct armcpu_embedded_file *f = &armcpu_embedded_kernels[i];
        table_head(f, "masks", &k[i]);
        char flag[16];
        header(f->text, "masks", flag, sizeof flag);
        if (strcmp(flag, "yes") && strcmp(flag, "no"))
            die(f->name, "'# masks: yes|no' missing");
        k[i].has_masks = !strcmp(flag, "yes");
        header(f->text, "capabilities", k[i].capabilities, sizeof k[i].capabilities);
        k[i].masks = calloc(nr, sizeof *k[i].masks);
        if (!k[i].masks)
            die("kernels", "out of memory");
        for (const char *p = f->text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
            unsigned e[5];
            unsigned long long m;
            if (*p == '#' || *p == '\n')
                continue;
            if (sscanf(p, "(%u,%u,%u,%u,%u) 0x%llx", &e[0], &e[1], &e[2], &e[3], &e[4], &m) != 6)
                die(f->name, "a line is neither '# key: value' nor '(op0,op1,crn,crm,op2) 0xMASK'");
            const armcpu_reg *r = armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], NULL);
            if (r)
                k[i].masks[armcpu_reg_index(r)] = m;
        }
    }
    qsort(k, n, sizeof *k, cmp_kernel);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "static const uint64_t km%zu[] = {", i);
        for (size_t r = 0; r < nr; r++)
            fprintf(out, "%s%s0x%llxULL", r ? "," : "", r % 4 ? "" : "\n    ",
                    (unsigned long long)k[i].masks[r]);
        fprintf(out, "};\n");
    }
    fprintf(out, "\nconst struct armcpu_kernel_table armcpu_builtin_kernels[] = {\n");
    for (size_t i = 0; i < n; i++) {
        fputs("    {", out);
        lit(k[i].version);
        fprintf(out, ", %u, ", k[i].key);
        lit(k[i].provenance);
        fputs(", ", out);
        lit(k[i].capabilities);
        fprintf(out, ", %s, km%zu},\n", k[i].has_masks ? "true" : "false", i);
        free(k[i].masks);
    }
    if (!n)
        fputs("    {NULL, 0, NULL, NULL, false, NULL},\n", out);
    fprintf(out, "};\nconst size_t armcpu_builtin_kernels_count = %zu;\n", n);
    free(k);
}

/* ------------------------------------------------------------ views */

struct view_line {
    size_t field; /* flat index */
    unsigned action, cond;
    bool negate;
    unsigned long long value;
    size_t order; /* file order, to keep it within a field */
};

static int cmp_view_line(const void *a, const void *b)
{
    const struct view_line *x = a, *y = b;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void view_die(const char *file, size_t ln, const char *fmt, const char *arg)
{
    char why[512];
    snprintf(why, sizeof why, fmt, arg);
    char where[128];
    snprintf(where, sizeof where, "%s:%zu", file, ln);
    die(where, why);
}

/* kernels/linux-VER.view: "view REG[.FIELD] ACTION [VALUE] [if|unless X]"
 * and "el2 REG.FIELD" (the field's view differs with KVM_ARM_VCPU_HAS_EL2),
 * each optionally followed by "# comment". Anything else stops the build. */
static void emit_views(void)
{
    static const char *const actions[] = {"hide", "cap", "force", "hw", "synth", "hostdep"};
    static const bool takes_value[] = {true, true, true, false, false, false};
    static const char *const conds[] = {"sve", "ptrauth", "pmu", "mte", "el2", "gicv3"};
    static const unsigned cond_bits[] = {ARMCPU_VCPU_SVE, ARMCPU_VCPU_PTRAUTH, ARMCPU_VCPU_PMU,
                                         ARMCPU_VIEWCFG_MTE, ARMCPU_VIEWCFG_EL2,
                                         ARMCPU_VIEWCFG_GICV3};
    /* the kernel first: cmp_kernel orders the files as the mask tables */
    struct view_file {
        struct kernel k;
        struct view_line *lines;
        size_t count;
    };
    size_t n = armcpu_embedded_views_count;
    struct view_file *vf = calloc(n ? n : 1, sizeof *vf);
    if (!vf)
        die("views", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const struct armcpu_embedded_file *f = &armcpu_embedded_views[i];
        struct view_file *v = &vf[i];
        table_head(f, "view", &v->k);
        char kv[32];
        header(f->text, "kernel", kv, sizeof kv);
        if (strcmp(kv, v->k.version))
            die(f->name, "'# kernel:' must name the file's version");
        size_t cap = 0, ln = 0;
        for (const char *p = f->text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
            ln++;
            char line[1024];
            snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
            char *hash = strchr(line, '#');
            if (hash)
                *hash = 0;
            char *tok[8];
            int nt = 0;
            for (char *save = NULL, *t = strtok_r(line, " \t\r", &save); t && nt < 8;
                 t = strtok_r(NULL, " \t\r", &save))
                tok[nt++] = t;
            if (!nt)
                continue;
            struct view_line vl = {0};
            int at = 2;
            bool el2 = !strcmp(tok[0], "el2");
            if (strcmp(tok[0], "view") && !el2)
                view_die(f->name, ln, "a line starts with 'view' or 'el2', not '%s'", tok[0]);
            if (nt < 2)
                view_die(f->name, ln, "%s needs REG[.FIELD]", tok[0]);
            if (el2) {
                if (nt != 2)
                    view_die(f->name, ln, "'el2 REG.FIELD' takes nothing more (%s)", tok[2]);
                vl.action = ARMCPU_VIEW_HOSTDEP;
                vl.cond = ARMCPU_VIEWCFG_EL2;
            } else {
                if (nt < 3)
                    view_die(f->name, ln, "view %s needs an action", tok[1]);
                vl.action = 99;
                for (unsigned a = 0; a < 6; a++)
                    if (!strcmp(tok[2], actions[a]))
                        vl.action = a;
                if (vl.action == 99)
                    view_die(f->name, ln,
                             "unknown action '%s' (hide, cap, force, hw, synth, hostdep)", tok[2]);
                at = 3;
                if (takes_value[vl.action]) {
                    char *end;
                    if (at >= nt || strncmp(tok[at], "0x", 2))
                        view_die(f->name, ln, "%s needs a 0x value", actions[vl.action]);
                    errno = 0;
                    vl.value = strtoull(tok[at], &end, 16);
                    if (*end || errno)
                        view_die(f->name, ln, "bad value '%s'", tok[at]);
                    at++;
                }
                if (at < nt) {
                    if (strcmp(tok[at], "if") && strcmp(tok[at], "unless"))
                        view_die(f->name, ln, "expected 'if X' or 'unless X', got '%s'", tok[at]);
                    vl.negate = !strcmp(tok[at], "unless");
                    if (at + 1 >= nt)
                        view_die(f->name, ln, "'%s' needs a condition", tok[at]);
                    for (unsigned c = 0; c < 6; c++)
                        if (!strcmp(tok[at + 1], conds[c]))
                            vl.cond = cond_bits[c];
                    if (!vl.cond)
                        view_die(f->name, ln,
                                 "unknown condition '%s' (sve, ptrauth, pmu, mte, el2, gicv3)",
                                 tok[at + 1]);
                    if (at + 2 < nt)
                        view_die(f->name, ln, "unexpected '%s' after the condition", tok[at + 2]);
                }
            }
            /* REG.FIELD, or REG: every field of it */
            const armcpu_reg *r = NULL;
            const armcpu_field *one = NULL;
            if (strchr(tok[1], '.')) {
                armcpu_error e = {0};
                if (!(one = armcpu_field_lookup(tok[1], &e)))
                    view_die(f->name, ln, "%s", e.message);
                r = armcpu_field_reg(one);
            } else {
                armcpu_error e = {0};
                if (!(r = armcpu_reg_by_name(tok[1], &e)))
                    view_die(f->name, ln, "%s", e.message);
            }
            for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
                const armcpu_field *fl = armcpu_reg_field_at(r, j);
                if (one && fl != one)
                    continue;
                if (takes_value[vl.action] && !el2 &&
                    vl.value > (armcpu_field_width(fl) >= 64 ? ~0ULL
                                                            : (1ULL << armcpu_field_width(fl)) - 1))
                    view_die(f->name, ln, "the value does not fit %s", tok[1]);
                if (v->count == cap) {
                    cap = cap ? 2 * cap : 64;
                    v->lines = realloc(v->lines, cap * sizeof *v->lines);
                    if (!v->lines)
                        die("views", "out of memory");
                }
                vl.field = armcpu_field_flat_index(fl);
                vl.order = v->count;
                v->lines[v->count++] = vl;
            }
        }
        qsort(v->lines, v->count, sizeof *v->lines, cmp_view_line);
    }
    qsort(vf, n, sizeof *vf, cmp_kernel);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "static const struct armcpu_view_rule vr%zu[] = {", i);
        for (size_t j = 0; j < vf[i].count; j++) {
            const struct view_line *l = &vf[i].lines[j];
            fprintf(out, "%s\n    {%zu, %u, %u, %s, 0x%llxULL}", j ? "," : "", l->field, l->action,
                    l->cond, l->negate ? "true" : "false", l->value);
        }
        if (!vf[i].count)
            fputs("{0, 0, 0, false, 0}", out);
        fprintf(out, "};\n");
    }
    fprintf(out, "\nconst struct armcpu_view_table armcpu_builtin_views[] = {\n");
    for (size_t i = 0; i < n; i++) {
        fputs("    {", out);
        lit(vf[i].k.version);
        fprintf(out, ", %u, ", vf[i].k.key);
        lit(vf[i].k.provenance);
        fprintf(out, ", vr%zu, %zu},\n", i, vf[i].count);
        free(vf[i].lines);
    }
    if (!n)
        fputs("    {NULL, 0, NULL, NULL, 0},\n", out);
    fprintf(out, "};\nconst size_t armcpu_builtin_views_count = %zu;\n", n);
    free(vf);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen-data OUT.c\n");
        return 1;
    }
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    if (!ctx)
        die("the built-in tables", err.message);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    if (!(out = fopen(tmp, "w")))
        die(tmp, strerror(errno));
    fprintf(out, "/* SPDX-License-Identifier: LGPL-2.1-or-later */\n"
                 "/* GENERATED by tools/gen-data: the property table, the built-in models\n"
                 " * (compiled and realized) and the kernel mask tables. */\n"
                 "#include \"core/ctx.h\"\n\n");
    emit_props(ctx);
    emit_models(ctx);
    emit_kernels();
    emit_views();
    if (fclose(out))
        die(tmp, strerror(errno));
    if (rename(tmp, argv[1]))
        die(argv[1], strerror(errno));
    armcpu_ctx_free(ctx);
    return 0;
}
