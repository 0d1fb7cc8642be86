/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fleet baseline: the richest spec every host can run. For each candidate
 * model, every field must hold a value each host accepts (equal to the
 * host's, or writable there and safe by the kernel's rule); where the model's
 * value does not, the richest value all hosts accept becomes an override.
 * Hosts are first reduced, per register, to their distinct (value, mask)
 * pairs, so a large fleet of similar hosts costs little more than a small one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "armcpu/host.h"
#include "../core/ctx.h"
#include "../util/util.h"

#define MAX_DISTINCT 64

struct variant {
    uint64_t value, mask;
    armcpu_reg_state state;
    size_t first_host; /* the first host with this variant */
    size_t count;      /* how many hosts have it */
};

struct reg_variants {
    struct variant v[MAX_DISTINCT];
    size_t n;
    bool overflow; /* more distinct variants than fit: fall back to hosts */
};

struct override {
    const armcpu_field *field;
    uint64_t value;
    char text[192];
    size_t hosts_needing;
    size_t first_host;
};

struct conflict {
    const armcpu_field *field;
    char text[512];
};

struct armcpu_baseline {
    const struct armcpu_model *model;
    char *spec;
    struct override *ov;
    size_t n_ov;
    struct conflict *cf; /* conflicts, then identity differences */
    size_t n_cf;
    size_t n_identity;
    size_t unchecked_fields;
};

/* Does a host (value hv, mask) accept v for field f? */
static bool accepts(const armcpu_field *f, bool geometry, uint64_t v, uint64_t hv_reg,
                    uint64_t mask)
{
    uint64_t hv = armcpu_field_get(f, hv_reg);
    if (v == hv)
        return true;
    uint64_t fm = armcpu_field_mask(f);
    if ((mask & fm) != fm)
        return false;
    char why[160];
    if (armcpu_rule_refuses(f, v, 0, why, sizeof why))
        return false; /* KVM refuses the value in any write of the register */
    return geometry || armcpu_field_is_safe(f, v, hv, NULL, 0);
}

/* Cache geometry: any value where writable (KVM's set_clidr; CCSIDR is
 * never in a writable mask). */
static bool is_geometry(const armcpu_reg *r) { return r->kind == ARMCPU_REG_KIND_GEOMETRY; }

static bool is_identity(const armcpu_reg *r) { return armcpu_reg_is_identity(r); }

static bool all_accept(const armcpu_field *f, const struct reg_variants *rv,
                       const armcpu_host *const *hosts, size_t n_hosts, uint64_t v)
{
    const armcpu_reg *r = armcpu_field_reg(f);
    bool geo = is_geometry(r) || is_identity(r);
    if (!rv->overflow) {
        for (size_t i = 0; i < rv->n; i++)
            if (rv->v[i].state == ARMCPU_REG_PRESENT &&
                !accepts(f, geo, v, rv->v[i].value, rv->v[i].mask))
                return false;
        return true;
    }
    for (size_t h = 0; h < n_hosts; h++)
        if (armcpu_host_reg_state(hosts[h], r) == ARMCPU_REG_PRESENT &&
            !accepts(f, geo, v, armcpu_host_reg_value(hosts[h], r),
                     armcpu_host_reg_mask(hosts[h], r)))
            return false;
    return true;
}

/* Richest value every host accepts: a candidate that covers every other
 * accepted candidate as far as the safe rule orders them, preferring the
 * model's own value. */
static bool common_value(const armcpu_field *f, const struct reg_variants *rv,
                         const armcpu_host *const *hosts, size_t n_hosts, uint64_t model,
                         uint64_t *out)
{
    uint64_t cand[MAX_DISTINCT + 20];
    size_t nc = 0;
    const armcpu_reg *r = armcpu_field_reg(f);
    if (is_geometry(r) || is_identity(r)) {
        /* no order among these values: only what some host has */
        for (size_t i = 0; i < rv->n; i++)
            if (rv->v[i].state == ARMCPU_REG_PRESENT &&
                all_accept(f, rv, hosts, n_hosts, armcpu_field_get(f, rv->v[i].value))) {
                *out = armcpu_field_get(f, rv->v[i].value);
                return true;
            }
        return false;
    }
    if (f->width <= 4) {
        for (uint64_t v = 0; v < (1u << f->width); v++)
            cand[nc++] = v;
    } else {
        cand[nc++] = model;
        cand[nc++] = f->safe_value;
        cand[nc++] = f->default_value;
        for (size_t i = 0; i < rv->n; i++)
            cand[nc++] = armcpu_field_get(f, rv->v[i].value);
    }
    bool found = false;
    uint64_t best = 0;
    for (size_t i = 0; i < nc; i++) {
        uint64_t c = cand[i];
        if (!all_accept(f, rv, hosts, n_hosts, c))
            continue;
        /* only values the model would itself accept below it (no
         * over-promise relative to the model), unless nothing is */
        bool below = armcpu_field_is_safe(f, c, model, NULL, 0);
        bool best_below = found && armcpu_field_is_safe(f, best, model, NULL, 0);
        if (!found || (below && !best_below) ||
            (below == best_below && armcpu_field_is_safe(f, best, c, NULL, 0) &&
             best != c))
            best = c, found = true;
    }
    *out = best;
    return found;
}

/*
 * Every register's distinct (value, mask, state) variants, in the order of
 * the first host that has each, with how many hosts have it. Hosts are the
 * outer loop so that each host's registers are read together (a large fleet
 * does not fit in the cache). A register with more than MAX_DISTINCT
 * variants is marked overflow and left with the first MAX_DISTINCT.
 */
static void variants_all(const armcpu_host *const *hosts, size_t n, struct reg_variants *all)
{
    size_t n_regs = armcpu_reg_count();
    for (size_t ri = 0; ri < n_regs; ri++) {
        all[ri].n = 0;
        all[ri].overflow = false;
    }
    for (size_t h = 0; h < n; h++) {
        for (size_t ri = 0; ri < n_regs; ri++) {
            struct reg_variants *rv = &all[ri];
            if (rv->overflow)
                continue;
            const armcpu_reg *r = armcpu_reg_at(ri);
            armcpu_reg_state st = armcpu_host_reg_state(hosts[h], r);
            uint64_t v = armcpu_host_reg_value(hosts[h], r),
                     m = armcpu_host_reg_mask(hosts[h], r);
            size_t i = 0;
            while (i < rv->n &&
                   (rv->v[i].value != v || rv->v[i].mask != m || rv->v[i].state != st))
                i++;
            if (i < rv->n) {
                rv->v[i].count++;
                continue;
            }
            if (rv->n == MAX_DISTINCT) {
                rv->overflow = true;
                continue;
            }
            rv->v[rv->n++] = (struct variant){v, m, st, h, 1};
        }
    }
}

void armcpu_baseline_free(armcpu_baseline *b)
{
    if (!b)
        return;
    free(b->spec);
    free(b->ov);
    free(b->cf);
    free(b);
}

int armcpu_override_text(const armcpu_ctx *ctx, const armcpu_field *f, uint64_t v, char *buf,
                         size_t size)
{
    const armcpu_prop *p = armcpu_field_prop(ctx, f);
    if (p && p->kind != ARMCPU_PROP_SYSREG && p->kind != ARMCPU_PROP_FRACTIONAL)
        for (size_t i = 0; i < p->n_values; i++)
            if (p->values[i].value == v)
                return snprintf(buf, size, "%s=%s", p->name, p->values[i].name);
    return snprintf(buf, size, "SYSREG_%s_%s=0x%llx", armcpu_field_reg(f)->name, f->name,
                    (unsigned long long)v);
}

/* ID_AA64PFR0_EL1.EL0/EL1: what "aarch32" switches */
static bool is_el01(const armcpu_field *f)
{
    int el = armcpu_field_exception_level(f);
    return el == 0 || el == 1;
}

/* A new slot at the end of b's overrides; NULL when out of memory. */
static struct override *add_override(armcpu_baseline *b, size_t *cap)
{
    if (b->n_ov == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        struct override *no = realloc(b->ov, nc * sizeof *no);
        if (!no)
            return NULL;
        b->ov = no;
        *cap = nc;
    }
    return &b->ov[b->n_ov++];
}

/* Baseline for one model; NULL on allocation failure. */
static armcpu_baseline *for_model(const armcpu_ctx *ctx, const struct armcpu_model *m,
                                  const armcpu_host *const *hosts, size_t n_hosts,
                                  const struct reg_variants *all_rv, unsigned groups_off,
                                  armcpu_error *err)
{
    armcpu_baseline *b = calloc(1, sizeof *b);
    armcpu_cpu *cpu = b ? armcpu_realize(ctx, m->name, false, err) : NULL;
    if (!cpu) {
        free(b);
        return NULL;
    }
    b->model = m;
    size_t cap_ov = 0, cap_cf = 0;
    /* AArch32 first: the AArch32 registers come before ID_AA64PFR0_EL1 in
     * the table and matter only if the spec keeps AArch32 somewhere. */
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    bool spec_aa32 = armcpu_cpu_has_aarch32(cpu), drop_aa32 = false;
    if (spec_aa32 && pfr0) {
        const struct reg_variants *rv = &all_rv[armcpu_reg_index(pfr0)];
        uint64_t pv = armcpu_cpu_reg_value(cpu, pfr0);
        spec_aa32 = false;
        for (size_t i = 0; i < pfr0->n_fields; i++) {
            const armcpu_field *f = &pfr0->fields[i];
            if (armcpu_field_exception_level(f) < 0)
                continue;
            uint64_t v = armcpu_field_get(f, pv), c;
            if (!(f->groups & groups_off) && !all_accept(f, rv, hosts, n_hosts, v) &&
                common_value(f, rv, hosts, n_hosts, v, &c))
                v = c;
            spec_aa32 |= v == 2;
        }
        if (!spec_aa32) {
            /* some host refuses AArch32: one "aarch32=off" (EL0/EL1 AArch64
             * only, the AArch32 registers cleared) instead of ELx overrides */
            drop_aa32 = true;
            struct override *o = add_override(b, &cap_ov);
            if (!o)
                goto oom;
            *o = (struct override){NULL, 0, "aarch32=off", 0, 0};
            /* who needs it: per distinct (value, mask) of the register when
             * they fit, else host by host */
            size_t nv = rv->overflow ? n_hosts : rv->n;
            for (size_t k = 0; k < nv; k++) {
                const armcpu_host *h = rv->overflow ? hosts[k] : NULL;
                armcpu_reg_state st = h ? armcpu_host_reg_state(h, pfr0) : rv->v[k].state;
                uint64_t hv = h ? armcpu_host_reg_value(h, pfr0) : rv->v[k].value;
                uint64_t hm = h ? armcpu_host_reg_mask(h, pfr0) : rv->v[k].mask;
                bool refuses = false;
                for (size_t i = 0; i < pfr0->n_fields && st == ARMCPU_REG_PRESENT; i++) {
                    const armcpu_field *f = &pfr0->fields[i];
                    if (is_el01(f) && armcpu_field_get(f, pv) == 2 && !accepts(f, false, 2, hv, hm))
                        refuses = true;
                }
                if (!refuses)
                    continue;
                size_t first = h ? k : rv->v[k].first_host;
                if (!o->hosts_needing || first < o->first_host)
                    o->first_host = first;
                o->hosts_needing += h ? 1 : rv->v[k].count;
            }
        }
    }
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        const struct reg_variants *rv = &all_rv[ri];
        uint64_t mv_reg = armcpu_cpu_reg_value(cpu, r);
        if (!spec_aa32 && armcpu_reg_is_aarch32(r))
            continue; /* UNKNOWN to a guest without AArch32: left to the host */
        /* fast path: one variant equal to the model's value */
        if (!rv->overflow && rv->n == 1 && rv->v[0].state == ARMCPU_REG_PRESENT &&
            rv->v[0].value == mv_reg)
            continue;
        bool given = is_geometry(r);
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            uint64_t mv = armcpu_field_get(f, mv_reg);
            if (drop_aa32 && r == pfr0 && is_el01(f) && mv > 1)
                mv = 1; /* what aarch32=off leaves */
            if (given && !strcmp(armcpu_cpu_field_source(cpu, f), "default")) {
                /* not pinned by the model: the guest sees the host's; hosts must
                 * agree or the guest view changes on migration */
                bool differ = false;
                for (size_t k = 1; k < rv->n && !rv->overflow; k++)
                    differ |= armcpu_field_get(f, rv->v[k].value) !=
                              armcpu_field_get(f, rv->v[0].value);
                if (!differ)
                    continue;
            }
            if (f->groups & groups_off) {
                /* a host was measured with this field's vCPU feature off */
                b->unchecked_fields++;
                continue;
            }
            if (all_accept(f, rv, hosts, n_hosts, mv))
                continue;
            uint64_t c;
            if (common_value(f, rv, hosts, n_hosts, mv, &c)) {
                struct override *o = add_override(b, &cap_ov);
                if (!o)
                    goto oom;
                o->field = f;
                o->value = c;
                armcpu_override_text(ctx, f, c, o->text, sizeof o->text);
                o->hosts_needing = 0;
                o->first_host = 0;
                bool geo = is_geometry(r) || is_identity(r);
                if (!rv->overflow) {
                    /* hosts with the same variant answer alike */
                    for (size_t k = 0; k < rv->n; k++)
                        if (rv->v[k].state == ARMCPU_REG_PRESENT &&
                            !accepts(f, geo, mv, rv->v[k].value, rv->v[k].mask)) {
                            if (!o->hosts_needing || rv->v[k].first_host < o->first_host)
                                o->first_host = rv->v[k].first_host;
                            o->hosts_needing += rv->v[k].count;
                        }
                    continue;
                }
                for (size_t h = 0; h < n_hosts; h++) {
                    if (armcpu_host_reg_state(hosts[h], r) == ARMCPU_REG_PRESENT &&
                        !accepts(f, geo, mv, armcpu_host_reg_value(hosts[h], r),
                                 armcpu_host_reg_mask(hosts[h], r))) {
                        if (!o->hosts_needing)
                            o->first_host = h;
                        o->hosts_needing++;
                    }
                }
                continue;
            }
            bool identity_diff = is_identity(r);
            if (b->n_cf + b->n_identity == cap_cf) {
                cap_cf = cap_cf ? cap_cf * 2 : 16;
                struct conflict *nc = realloc(b->cf, cap_cf * sizeof *nc);
                if (!nc)
                    goto oom;
                b->cf = nc;
            }
            /* identity differences go after the conflicts: not writable, the
             * guest sees each host's own MIDR (reported, not blocking) */
            struct conflict *cf;
            if (identity_diff) {
                cf = &b->cf[b->n_cf + b->n_identity++];
            } else {
                if (b->n_identity)
                    memmove(&b->cf[b->n_cf + 1], &b->cf[b->n_cf], b->n_identity * sizeof *cf);
                cf = &b->cf[b->n_cf++];
            }
            cf->field = f;
            size_t used = (size_t)snprintf(cf->text, sizeof cf->text,
                                           identity_diff ? "%s.%s differs and not every host's "
                                                           "kernel lets it be written; the "
                                                           "guest sees each host's own:"
                                                         : "%s.%s: no value every host accepts:",
                                           r->name, f->name);
            char refused[160] = "";
            for (size_t k = 0; k < rv->n && !rv->overflow && used < sizeof cf->text; k++) {
                uint64_t fm = armcpu_field_mask(f), hv = armcpu_field_get(f, rv->v[k].value);
                used += (size_t)snprintf(
                    cf->text + used, sizeof cf->text - used, " %s has 0x%llx (%s)",
                    armcpu_host_name(hosts[rv->v[k].first_host]), (unsigned long long)hv,
                    (rv->v[k].mask & fm) == fm ? "writable" : "not writable");
                if (!*refused)
                    armcpu_rule_refuses(f, hv, 0, refused, sizeof refused);
            }
            if (*refused && used < sizeof cf->text)
                snprintf(cf->text + used, sizeof cf->text - used, "; %s", refused);
        }
    }
    armcpu_cpu_free(cpu);
    return b;
oom:
    armcpu_cpu_free(cpu);
    armcpu_baseline_free(b);
    armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return NULL;
}

static size_t feature_count_of(const armcpu_ctx *ctx, const struct armcpu_model *m)
{
    armcpu_cpu *cpu = armcpu_realize(ctx, m->name, false, NULL);
    size_t n = 0;
    if (!cpu)
        return 0;
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        for (size_t i = 0; i < reg->n_fields; i++)
            n += armcpu_cpu_reg_value(cpu, reg) != 0 &&
                 armcpu_field_get(&reg->fields[i], armcpu_cpu_reg_value(cpu, reg)) !=
                     reg->fields[i].default_value;
    }
    armcpu_cpu_free(cpu);
    return n;
}

armcpu_baseline *armcpu_baseline_new(const armcpu_ctx *ctx, const armcpu_host *const *hosts,
                                     size_t n_hosts, const char *base, armcpu_error *err)
{
    if (n_hosts == 0) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "baseline needs at least one host");
        return NULL;
    }
    const struct armcpu_model *only = NULL;
    if (base) {
        only = armcpu_model_lookup(ctx, base, err);
        if (!only)
            return NULL;
        if (!only->realizable) {
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "--base %s is abstract; give a realizable model", only->name);
            return NULL;
        }
    }
    struct reg_variants *rv = calloc(armcpu_reg_count(), sizeof *rv);
    if (!rv) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    variants_all(hosts, n_hosts, rv);
    unsigned groups_off = 0; /* vCPU features off in some host's measurement */
    for (size_t h = 0; h < n_hosts; h++)
        groups_off |= armcpu_host_groups_off(hosts[h]);
    armcpu_baseline *best = NULL;
    size_t best_features = 0;
    for (size_t i = 0; i < ctx->n_models; i++) {
        const struct armcpu_model *m = ctx->models[i];
        if ((only && m != only) || !m->realizable)
            continue;
        armcpu_baseline *b = for_model(ctx, m, hosts, n_hosts, rv, groups_off, err);
        if (!b) {
            armcpu_baseline_free(best);
            free(rv);
            return NULL;
        }
        /* possible first, then fewest overrides, then the richer model */
        size_t feats = feature_count_of(ctx, m);
        bool better = !best || (b->n_cf == 0 && best->n_cf != 0) ||
                      ((b->n_cf == 0) == (best->n_cf == 0) &&
                       (b->n_ov < best->n_ov ||
                        (b->n_ov == best->n_ov && feats > best_features)));
        if (better) {
            armcpu_baseline_free(best);
            best = b;
            best_features = feats;
        } else {
            armcpu_baseline_free(b);
        }
    }
    free(rv);
    if (!best) {
        armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND, "no realizable model to start from");
        return NULL;
    }
    size_t len = strlen(best->model->name) + 1;
    for (size_t i = 0; i < best->n_ov; i++)
        len += strlen(best->ov[i].text) + 1;
    best->spec = malloc(len);
    if (!best->spec) {
        armcpu_baseline_free(best);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    strcpy(best->spec, best->model->name);
    for (size_t i = 0; i < best->n_ov; i++) {
        strcat(best->spec, ",");
        strcat(best->spec, best->ov[i].text);
    }
    return best;
}

bool armcpu_baseline_possible(const armcpu_baseline *b) { return b->n_cf == 0; }
const char *armcpu_baseline_spec(const armcpu_baseline *b) { return b->spec; }
const armcpu_model *armcpu_baseline_model(const armcpu_baseline *b) { return b->model; }
size_t armcpu_baseline_unchecked(const armcpu_baseline *b) { return b->unchecked_fields; }
size_t armcpu_baseline_override_count(const armcpu_baseline *b) { return b->n_ov; }
size_t armcpu_baseline_conflict_count(const armcpu_baseline *b) { return b->n_cf; }

bool armcpu_baseline_override_at(const armcpu_baseline *b, size_t i, const char **text,
                                 size_t *hosts_needing, size_t *first_host)
{
    if (i >= b->n_ov)
        return false;
    *text = b->ov[i].text;
    *hosts_needing = b->ov[i].hosts_needing;
    *first_host = b->ov[i].first_host;
    return true;
}

const char *armcpu_baseline_conflict_at(const armcpu_baseline *b, size_t i)
{
    return i < b->n_cf ? b->cf[i].text : NULL;
}

size_t armcpu_baseline_identity_count(const armcpu_baseline *b) { return b->n_identity; }

const char *armcpu_baseline_identity_at(const armcpu_baseline *b, size_t i)
{
    return i < b->n_identity ? b->cf[b->n_cf + i].text : NULL;
}
