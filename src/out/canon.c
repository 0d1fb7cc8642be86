/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The canonical spec of a realized CPU (armcpu_cpu_canonical_spec): what
 * every output format is derived from, built from the realized registers
 * rather than from the text the user wrote, and proven by realizing it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_internal.h"

void out_list_add(struct out_list *l, const char *item)
{
    if (l->n < 8)
        sb_add(&l->names, "%s%s", l->n ? ", " : " ", item);
    else if (l->n == 8)
        sb_add(&l->names, " and more");
    l->n++;
}

void out_refused_add(struct out_list *l, const armcpu_reg *r, uint64_t fields)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (fields & armcpu_field_mask(&r->fields[i])) {
            char name[160];
            snprintf(name, sizeof name, "%s.%s", r->name, r->fields[i].name);
            out_list_add(l, name);
        }
}

int out_refused_error(struct out_list *x, const armcpu_host *h, armcpu_error *err)
{
    char *list = sb_take(&x->names);
    int rc = ARMCPU_OK;
    if (x->n)
        rc = armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                              "%zu field%s differ%s from %s that KVM would refuse there:%s "
                              "(armcpu check says why; force to write them anyway)",
                              x->n, x->n == 1 ? "" : "s", x->n == 1 ? "s" : "",
                              armcpu_host_name(h), list ? list : "");
    free(list);
    memset(x, 0, sizeof *x);
    return rc;
}

uint64_t out_fields_to_write(const armcpu_cpu *cpu, const armcpu_host *h, const armcpu_reg *r,
                             uint64_t *refused)
{
    *refused = 0;
    if (out_host_given(cpu, r) || armcpu_host_reg_state(h, r) == ARMCPU_REG_ABSENT)
        return 0;
    armcpu_reg_view view;
    armcpu_host_reg_view(h, r, &view);
    uint64_t v = armcpu_cpu_reg_value(cpu, r), out = 0;
    unsigned flags = armcpu_cpu_judge_flags(cpu, r);
    for (size_t i = 0; i < r->n_fields; i++) {
        const armcpu_field *f = &r->fields[i];
        uint64_t fm = armcpu_field_mask(f);
        /* the check's own judgement decides what a VMM must write */
        switch (armcpu_judge(f, v, flags, &view, NULL, 0)) {
        case ARMCPU_VERDICT_SAME:
            if (view.state == ARMCPU_REG_UNKNOWN)
                out |= fm;
            break;
        case ARMCPU_VERDICT_SETTABLE:
        case ARMCPU_VERDICT_UNKNOWN:
            out |= fm;
            break;
        case ARMCPU_VERDICT_UNCHECKED:
            /* the host's limit is unknown (feature off when measured):
             * written where the kernel lets it be, else the host's shows */
            if ((view.writable & fm) == fm)
                out |= fm;
            break;
        case ARMCPU_VERDICT_OVERPROMISE:
        case ARMCPU_VERDICT_NOT_WRITABLE:
        case ARMCPU_VERDICT_REFUSED:
            out |= fm;
            *refused |= fm;
            break;
        case ARMCPU_VERDICT_IDENTITY:   /* the guest sees the host's */
        case ARMCPU_VERDICT_HOST_GIVEN: /* the spec leaves it to the host */
            break;
        }
    }
    return out;
}

/* Do two realizations give the guest the same CPU: every register, the
 * AArch32 decision, and the cache geometry each sets? */
static bool same_cpu(const armcpu_cpu *a, const armcpu_cpu *b, const armcpu_reg **differs)
{
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if (armcpu_cpu_reg_value(a, r) != armcpu_cpu_reg_value(b, r) ||
            (armcpu_reg_is_geometry(r) && armcpu_cpu_reg_set(a, ri) != armcpu_cpu_reg_set(b, ri))) {
            *differs = r;
            return false;
        }
    }
    *differs = NULL;
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t va = 0, vb = 0;
        bool sa = armcpu_cpu_config(a, (armcpu_config)c, &va),
             sb = armcpu_cpu_config(b, (armcpu_config)c, &vb);
        if (sa != sb || va != vb)
            return false;
    }
    return armcpu_cpu_has_aarch32(a) == armcpu_cpu_has_aarch32(b);
}

/* The vCPU configuration the spec sets, as properties (after the fields:
 * realization applies them last). */
static void add_config_text(struct strbuf *s, const armcpu_cpu *cpu)
{
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t v;
        char t[256];
        if (armcpu_cpu_config(cpu, (armcpu_config)c, &v) &&
            armcpu_config_spec_text((armcpu_config)c, v, t, sizeof t) > 0)
            sb_add(s, ",%s", t);
    }
}

/* Does `trial` (the model with one more composite off) agree with the
 * target on every field the composite covers, and change one of them? */
static bool composite_fits(const armcpu_prop *p, const armcpu_cpu *target, const armcpu_cpu *cur,
                           const armcpu_cpu *trial)
{
    bool changes = false;
    for (size_t i = 0; i < armcpu_prop_field_count(p); i++) {
        const armcpu_field *f = armcpu_prop_field_at(p, i);
        const armcpu_reg *r = armcpu_field_reg(f);
        uint64_t t = armcpu_field_get(f, armcpu_cpu_reg_value(target, r));
        if (armcpu_field_get(f, armcpu_cpu_reg_value(trial, r)) != t)
            return false;
        changes |= armcpu_field_get(f, armcpu_cpu_reg_value(cur, r)) != t;
    }
    return changes;
}

/* The fractional property (feat_CSV2=1.1) a field is half of, appended
 * with the target's value, both fields marked done; false when none. */
static bool fraction_of(const armcpu_ctx *ctx, const armcpu_cpu *cpu, const armcpu_field *f,
                        struct strbuf *s, uint64_t *done)
{
    for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
        const armcpu_prop *p = armcpu_prop_at(ctx, i);
        if (armcpu_prop_type_of(p) != ARMCPU_PROP_TYPE_FRACTION)
            continue;
        bool mine = false;
        for (size_t k = 0; k < armcpu_prop_field_count(p); k++)
            mine |= armcpu_prop_field_at(p, k) == f;
        if (!mine)
            continue;
        char value[64];
        armcpu_cpu_prop_value(cpu, p, value, sizeof value);
        sb_add(s, ",%s=%s", armcpu_prop_name(p), value);
        for (size_t k = 0; k < armcpu_prop_field_count(p); k++) {
            const armcpu_field *g = armcpu_prop_field_at(p, k);
            done[armcpu_reg_index(armcpu_field_reg(g))] |= armcpu_field_mask(g);
        }
        return true;
    }
    return false;
}

/* The canonical text, with fractional properties (feat_CSV2=1.1) for the
 * field pairs that have them or with their fields one by one. */
static char *canonical_text(const armcpu_ctx *ctx, const armcpu_cpu *cpu, bool fractions,
                            armcpu_error *err)
{
    const armcpu_model *m = armcpu_cpu_model(cpu);
    struct strbuf s = {0};
    sb_add(&s, "%s", armcpu_model_name(m));
    armcpu_cpu *cur = NULL, *trial = NULL;
    uint64_t *done = calloc(armcpu_reg_count(), sizeof *done);
    if (s.oom || !done)
        goto oom;
    if (!(cur = armcpu_realize(ctx, s.s, false, err)))
        goto fail;
    /* composites first: one word where the target has a whole group off */
    for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
        const armcpu_prop *p = armcpu_prop_at(ctx, i);
        if (armcpu_prop_kind_of(p) != ARMCPU_PROP_COMPOSITE)
            continue;
        size_t keep = s.len;
        sb_add(&s, ",%s=off", armcpu_prop_name(p));
        if (s.oom)
            goto oom;
        trial = armcpu_realize(ctx, s.s, false, NULL);
        if (trial && composite_fits(p, cpu, cur, trial)) {
            armcpu_cpu_free(cur);
            cur = trial;
        } else {
            armcpu_cpu_free(trial);
            s.len = keep;
            s.s[keep] = 0;
        }
        trial = NULL;
    }
    /* then one override per field that still differs (table order; a
     * fractional pair as one property at its first field); a cache-geometry
     * register the target sets is set even where equal */
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t t = armcpu_cpu_reg_value(cpu, r), c = armcpu_cpu_reg_value(cur, r);
        bool must_set = armcpu_reg_is_geometry(r) && armcpu_cpu_reg_set(cpu, ri) &&
                        !armcpu_cpu_reg_set(cur, ri);
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            if ((!((t ^ c) & armcpu_field_mask(f)) || (done[ri] & armcpu_field_mask(f))) &&
                !must_set)
                continue;
            if (fractions && !must_set && fraction_of(ctx, cpu, f, &s, done))
                continue;
            char text[256];
            armcpu_override_text(ctx, f, armcpu_field_get(f, t), text, sizeof text);
            sb_add(&s, ",%s", text);
            must_set = false;
        }
    }
    add_config_text(&s, cpu);
    if (s.oom)
        goto oom;
    armcpu_cpu_free(cur);
    if (!(cur = armcpu_realize(ctx, s.s, false, err)))
        goto fail;
    const armcpu_reg *differs;
    if (!same_cpu(cpu, cur, &differs)) {
        if (differs)
            armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                             "%s cannot be written as a spec: %s realizes 0x%016llx, not "
                             "0x%016llx (bits outside every field of the table)",
                             armcpu_cpu_name(cpu), armcpu_reg_name(differs),
                             (unsigned long long)armcpu_cpu_reg_value(cur, differs),
                             (unsigned long long)armcpu_cpu_reg_value(cpu, differs));
        else
            armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                             "%s cannot be written as a spec: AArch32 or the vCPU "
                             "configuration differs",
                             armcpu_cpu_name(cpu));
        goto fail;
    }
    armcpu_cpu_free(cur);
    free(done);
    return sb_take(&s);
oom:
    armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
fail:
    armcpu_cpu_free(cur);
    armcpu_cpu_free(trial);
    free(done);
    free(s.s);
    return NULL;
}

char *out_canonical_by_field(const armcpu_ctx *ctx, const armcpu_cpu *cpu, armcpu_error *err)
{
    if (!armcpu_cpu_model(cpu)) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s is not a named model", armcpu_cpu_name(cpu));
        return NULL;
    }
    return canonical_text(ctx, cpu, false, err);
}

/* Drops from spec s (after its model) the tokens whose property `match`
 * picks. */
static void spec_drop(const armcpu_ctx *ctx, struct strbuf *s,
                      bool (*match)(const armcpu_prop *p, const void *arg), const void *arg)
{
    size_t out = 0, in = 0, len = s->len;
    bool first = true;
    while (in <= len) {
        size_t end = in;
        while (end < len && s->s[end] != ',')
            end++;
        bool drop = false;
        if (!first) {
            char name[256];
            size_t nl = 0;
            while (in + nl < end && s->s[in + nl] != '=' && nl < sizeof name - 1) {
                name[nl] = s->s[in + nl];
                nl++;
            }
            name[nl] = 0;
            const armcpu_prop *p = armcpu_prop_lookup(ctx, name, NULL);
            drop = p && match(p, arg);
        }
        if (!drop) {
            if (!first)
                s->s[out++] = ',';
            memmove(s->s + out, s->s + in, end - in);
            out += end - in;
        }
        first = false;
        in = end + 1;
    }
    s->len = out;
    s->s[out] = 0;
}

/* a single-field property that sets the field */
static bool sets_field(const armcpu_prop *p, const void *f)
{
    return p->kind != ARMCPU_PROP_COMPOSITE && p->kind != ARMCPU_PROP_CONFIG &&
           p->n_fields == 1 && p->fields[0] == f;
}

/* a property of the configuration item (every sveN for sve_vls) */
static bool sets_config(const armcpu_prop *p, const void *c)
{
    return p->kind == ARMCPU_PROP_CONFIG && p->config == *(const armcpu_config *)c + 1u;
}

void out_spec_set_field(const armcpu_ctx *ctx, struct strbuf *s, const armcpu_field *f,
                        const char *text)
{
    if (s->oom || !s->s)
        return;
    spec_drop(ctx, s, sets_field, f);
    sb_add(s, ",%s", text);
}

void out_spec_set_config(const armcpu_ctx *ctx, struct strbuf *s, armcpu_config c, uint64_t value)
{
    if (s->oom || !s->s)
        return;
    spec_drop(ctx, s, sets_config, &c);
    char t[256];
    if (armcpu_config_spec_text(c, value, t, sizeof t) > 0)
        sb_add(s, ",%s", t);
}

char *armcpu_cpu_canonical_spec(const armcpu_ctx *ctx, const armcpu_cpu *cpu, armcpu_error *err)
{
    if (!ctx || !cpu) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "canonical spec: no %s given",
                         ctx ? "realized cpu" : "context");
        return NULL;
    }
    if (!armcpu_cpu_model(cpu)) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "canonical spec: %s is not a named model (a spec on 'host' has no "
                         "model to name)",
                         armcpu_cpu_name(cpu));
        return NULL;
    }
    /* a fraction a property cannot say (a refinement of a base value that
     * has none) is said field by field */
    armcpu_error e1 = {0};
    char *s = canonical_text(ctx, cpu, true, &e1);
    if (s || e1.code == ARMCPU_ERR_NOMEM) {
        if (!s && err)
            *err = e1;
        return s;
    }
    return canonical_text(ctx, cpu, false, err);
}
