/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * FEAT_ names implemented by a realized register set, by Arm's mapping
 * (AARCHMRS): FEAT_X <-> F >= N under a guard. Guards name the register view
 * (FEAT_AA64EL1, FEAT_AA32EL0, ...: always present in the table) and
 * sometimes other features (FEAT_MTE2, FEAT_SVE || FEAT_SME), which must be
 * implemented themselves; those are resolved to a fixed point.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/ctx.h"
#include "featexpr.h"
#include "query.h"

/* The field value read as a signed number of the field's width. */
static int64_t sv_of(const armcpu_field *f, uint64_t v)
{
    if (f->width >= 64)
        return (int64_t)v;
    uint64_t sign = 1ULL << (f->width - 1);
    return (int64_t)((v ^ sign) - sign);
}

static bool meets_value(const armcpu_field *f, const struct armcpu_value_name *vn,
                        uint64_t v)
{
    /* PMUVer/PerfMon map as N <= value < 0xf (IMPLEMENTATION DEFINED). */
    if (v == 0xf && (!strcmp(f->name, "PMUVer") || !strcmp(f->name, "PerfMon")))
        return false;
    /* Arm's mapping says how to compare (UInt or SInt), which can differ
     * from the kernel's signedness (MTE_frac). */
    if (f->is_signed || vn->feat_sint)
        return sv_of(f, v) >= sv_of(f, vn->value);
    return v >= vn->value;
}

struct feat_set {
    const char **names;
    size_t n;
};

static bool in_set(const struct feat_set *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->names[i]) == len && !strncmp(s->names[i], name, len))
            return true;
    return false;
}

struct guard_ctx {
    const struct feat_set *set;
    bool assume_els; /* treat FEAT_AA64EL2/EL3 as present */
};

static bool name_is(const char *name, size_t len, const char *want)
{
    return strlen(want) == len && !strncmp(want, name, len);
}

static enum armcpu_tv guard_atom(const char *name, size_t len, void *opaque)
{
    const struct guard_ctx *g = opaque;
    /* The register views: an ID register in the table is always read. */
    if (name_is(name, len, "FEAT_AA64EL0") || name_is(name, len, "FEAT_AA64EL1") ||
        name_is(name, len, "FEAT_AA32EL0") || name_is(name, len, "FEAT_AA32EL1"))
        return ARMCPU_TV_TRUE;
    if (g->assume_els && (name_is(name, len, "FEAT_AA64EL2") || name_is(name, len, "FEAT_AA64EL3")))
        return ARMCPU_TV_TRUE;
    return in_set(g->set, name, len) ? ARMCPU_TV_TRUE : ARMCPU_TV_FALSE;
}

static bool guard_holds(const struct armcpu_value_name *vn, const struct feat_set *set,
                        bool assume_els)
{
    struct guard_ctx g = {set, assume_els};
    return !vn->feat_guard || !*vn->feat_guard ||
           armcpu_feat_expr_eval(vn->feat_guard, strlen(vn->feat_guard), guard_atom,
                                 &g) == ARMCPU_TV_TRUE;
}

void armcpu_features_scan(const armcpu_cpu *cpu, armcpu_feature_scan_fn fn,
                          void *opaque)
{
    size_t cap = 0;
    for (size_t r = 0; r < armcpu_reg_count(); r++)
        for (size_t i = 0; i < armcpu_reg_at(r)->n_fields; i++)
            cap += armcpu_reg_at(r)->fields[i].n_values;
    struct feat_set set = {calloc(cap ? cap : 1, sizeof(const char *)), 0};
    if (!set.names)
        return;
    /* Grow the set until no guard changes its answer. */
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t r = 0; r < armcpu_reg_count(); r++) {
            const armcpu_reg *reg = armcpu_reg_at(r);
            uint64_t rv = armcpu_cpu_reg_value(cpu, reg);
            for (size_t i = 0; i < reg->n_fields; i++) {
                const armcpu_field *f = &reg->fields[i];
                for (size_t k = 0; k < f->n_values; k++) {
                    const struct armcpu_value_name *vn = &f->values[k];
                    if (!vn->feat || in_set(&set, vn->feat, strlen(vn->feat)) ||
                        !meets_value(f, vn, armcpu_field_get(f, rv)) ||
                        !guard_holds(vn, &set, false))
                        continue;
                    set.names[set.n++] = vn->feat;
                    grew = true;
                }
            }
        }
    }
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t rv = armcpu_cpu_reg_value(cpu, reg);
        for (size_t i = 0; i < reg->n_fields; i++) {
            const armcpu_field *f = &reg->fields[i];
            for (size_t k = 0; k < f->n_values; k++) {
                const struct armcpu_value_name *vn = &f->values[k];
                if (vn->feat && meets_value(f, vn, armcpu_field_get(f, rv)))
                    fn(vn->feat, f, vn->value, guard_holds(vn, &set, false),
                       guard_holds(vn, &set, true), vn->feat_guard, opaque);
            }
        }
    }
    free(set.names);
}

struct public_fn {
    armcpu_feature_fn fn;
    void *opaque;
};

static void only_implemented(const char *feat, const armcpu_field *f, uint64_t min,
                             bool guard_ok, bool field_valid, const char *guard,
                             void *opaque)
{
    (void)guard;
    (void)field_valid;
    const struct public_fn *p = opaque;
    if (guard_ok)
        p->fn(feat, f, min, p->opaque);
}

void armcpu_cpu_for_each_feature(const armcpu_cpu *cpu, armcpu_feature_fn fn,
                                 void *opaque)
{
    struct public_fn p = {fn, opaque};
    armcpu_features_scan(cpu, only_implemented, &p);
}
