/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Two hosts field by field (diff: the two-host meet), two sides compared
 * (QMP query-cpu-model-comparison), and a spec fixed for one host: each
 * through the acceptance judgement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meet.h"
#include "../out/out_internal.h"

static inline bool accepted(armcpu_verdict v)
{
    return v == ARMCPU_VERDICT_SAME || v == ARMCPU_VERDICT_SETTABLE;
}

/* c covers d: d is safe where c is the limit. */
static inline bool covers(const armcpu_field *f, uint64_t c, uint64_t d)
{
    return armcpu_safe_rule(f, armcpu_field_kvm_policy(f), d, c, NULL, 0);
}

/* ------------------------------------------------------------ diff */

struct diff_entry {
    const armcpu_field *field;
    uint64_t a, b, common;
    armcpu_diff_kind kind;
    char *why;
    int config; /* a vCPU configuration item (field NULL), or -1 */
};

struct armcpu_diff {
    struct diff_entry *e;
    size_t n, cap;
    char *name_a, *name_b;
    const armcpu_ctx *ctx;
};

void armcpu_diff_free(armcpu_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->e[i].why);
    free(d->e);
    free(d->name_a);
    free(d->name_b);
    free(d);
}

static int diff_add(armcpu_diff *d, const armcpu_field *f, uint64_t a, uint64_t b,
                    armcpu_diff_kind k, uint64_t common, const char *why, armcpu_error *err)
{
    struct diff_entry *ne = armcpu_grow(d->e, &d->cap, d->n, sizeof *ne, 32);
    if (!ne)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    d->e = ne;
    char *w = why ? armcpu_strdup(why) : NULL;
    if (why && !w)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    d->e[d->n++] = (struct diff_entry){f, a, b, common, k, w, -1};
    return ARMCPU_OK;
}

/* The vCPU configuration items of two hosts: each both record and differ
 * in, with the common value (armcpu_config_meet under the older kernel) or
 * why none; each one records and the other does not, unknown. Items a VMM
 * opts in to are not the hosts' to differ in. */
static int diff_config(armcpu_diff *d, const armcpu_host *a, const armcpu_host *b,
                       armcpu_error *err)
{
    const armcpu_host *hs[2] = {a, b};
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        armcpu_config item = (armcpu_config)c;
        uint64_t va = 0, vb = 0, common = 0;
        bool has_a = armcpu_host_config(a, item, &va), has_b = armcpu_host_config(b, item, &vb);
        if (armcpu_config_vmm_opt_in(item) || (!has_a && !has_b) ||
            (has_a && has_b && va == vb))
            continue;
        char why[400] = "", *conflict = NULL;
        bool differ;
        armcpu_diff_kind k;
        int missing = fleet_config_common(hs, 2, item, &common, &differ, &conflict);
        if (missing == -2)
            return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        if (missing >= 0) {
            k = ARMCPU_DIFF_UNKNOWN;
            snprintf(why, sizeof why, "%s does not record its %s",
                     armcpu_host_name(hs[missing]), armcpu_config_name(item));
        } else if (conflict) {
            k = ARMCPU_DIFF_CONFLICT; /* baseline's conflict, word for word */
            snprintf(why, sizeof why, "%s", conflict);
            free(conflict);
        } else {
            k = ARMCPU_DIFF_COMMON;
            armcpu_config_spec_text(item, common, why, sizeof why);
        }
        if (diff_add(d, NULL, va, vb, k, common, why, err))
            return err ? err->code : ARMCPU_ERR_NOMEM;
        d->e[d->n - 1].config = (int)c;
    }
    return ARMCPU_OK;
}

int armcpu_diff_config_at(const armcpu_diff *d, size_t i)
{
    return i < d->n ? d->e[i].config : -1;
}

static const char *conflict_text(const struct meet *m, const armcpu_reg *r, const armcpu_field *f)
{
    for (size_t i = 0; i < m->n_cf; i++)
        if (m->cf[i].reg == r && m->cf[i].field == f)
            return m->cf[i].text;
    return NULL;
}

armcpu_diff *armcpu_diff_new(const armcpu_ctx *ctx, const armcpu_host *a, const armcpu_host *b,
                             armcpu_error *err)
{
    armcpu_fleet *fl = armcpu_fleet_new();
    armcpu_diff *d = calloc(1, sizeof *d);
    struct views vs = {0};
    struct meet *m = NULL;
    if (!fl || !d) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto fail;
    }
    d->ctx = ctx;
    if (!(d->name_a = armcpu_strdup(armcpu_host_name(a))) ||
        !(d->name_b = armcpu_strdup(armcpu_host_name(b)))) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (armcpu_fleet_add(fl, a, 1, err) || armcpu_fleet_add(fl, b, 1, err))
        goto fail;
    /* as the baseline: one without SVE (PMU, pointer auth) makes the other
     * a vCPU without it */
    armcpu_fleet *common;
    if (fleet_common_vcpu(fl, &common, err))
        goto fail;
    if (common) {
        armcpu_fleet_free(fl);
        fl = common;
    }
    if (views_build(&vs, fl, err))
        goto fail;
    /* AArch32 as the meet of ELx decides; where ELx is not decided, the
     * smaller of the two (a host without AArch32 wins) */
    size_t nr = armcpu_reg_count();
    uint64_t *regs = calloc(nr, sizeof *regs);
    if (!regs) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto fail;
    }
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    if (pfr0) {
        uint64_t va = armcpu_host_reg_value(a, pfr0), vb = armcpu_host_reg_value(b, pfr0), v = va;
        for (size_t i = 0; i < pfr0->n_fields; i++) {
            const armcpu_field *f = &pfr0->fields[i];
            if (armcpu_field_exception_level(f) >= 0 && armcpu_fget(f, vb) < armcpu_fget(f, va))
                v = armcpu_fwith(f, v, armcpu_fget(f, vb));
        }
        regs[armcpu_reg_index(pfr0)] = v;
    }
    struct meet *m0 = meet_new(&vs, fl, true, 0, err);
    bool spec32 = m0 && meet_aarch32(m0, regs);
    free(regs);
    meet_free(m0);
    if (!(m = meet_new(&vs, fl, spec32, 0, err)))
        goto fail;
    for (size_t ri = 0; ri < nr; ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        armcpu_reg_state sa = armcpu_host_reg_state(a, r), sb = armcpu_host_reg_state(b, r);
        uint64_t va = armcpu_host_reg_value(a, r), vb = armcpu_host_reg_value(b, r);
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            const struct fmeet *x = meet_field_of(m, f);
            uint64_t fa = armcpu_fget(f, va), fb = armcpu_fget(f, vb);
            bool ka = sa == ARMCPU_REG_PRESENT && !(f->groups & armcpu_host_groups_off(a));
            bool kb = sb == ARMCPU_REG_PRESENT && !(f->groups & armcpu_host_groups_off(b));
            bool differ = ka && kb ? fa != fb : ka != kb;
            if (x->kind == MK_CONFLICT) {
                if (diff_add(d, f, fa, fb, ARMCPU_DIFF_CONFLICT, 0, conflict_text(m, r, f), err))
                    goto fail;
                continue;
            }
            if (!differ)
                continue;
            armcpu_diff_kind k;
            uint64_t common = 0;
            const char *why = NULL;
            char buf[160];
            if (!ka || !kb) {
                k = ARMCPU_DIFF_UNKNOWN;
                snprintf(buf, sizeof buf, "%s cannot tell its limit",
                         !ka ? armcpu_host_name(a) : armcpu_host_name(b));
                why = buf;
            } else if (x->kind == MK_GIVEN && armcpu_reg_is_aarch32(r)) {
                k = ARMCPU_DIFF_AARCH32_OFF;
            } else if (x->kind == MK_IDENTITY) {
                k = ARMCPU_DIFF_IDENTITY;
            } else {
                /* decided: the meet; any value (free, geometry KVM takes
                 * from either): the first host's */
                k = ARMCPU_DIFF_COMMON;
                common = x->kind == MK_DECIDED ? x->value : fa;
            }
            if (diff_add(d, f, fa, fb, k, common, why, err))
                goto fail;
        }
        const char *out = conflict_text(m, r, NULL);
        if (out && diff_add(d, NULL, va & ~r->fields_mask, vb & ~r->fields_mask,
                            ARMCPU_DIFF_CONFLICT, 0, out, err))
            goto fail;
    }
    char t[400];
    uint64_t fa = 0, fb = 0;
    if (cntfrq_conflict(a, b, t, sizeof t) && armcpu_host_cntfrq(a, &fa) &&
        armcpu_host_cntfrq(b, &fb) && diff_add(d, NULL, fa, fb, ARMCPU_DIFF_CONFLICT, 0, t, err))
        goto fail;
    if (diff_config(d, a, b, err))
        goto fail;
    meet_free(m);
    views_free(&vs);
    armcpu_fleet_free(fl);
    return d;
fail:
    meet_free(m);
    views_free(&vs);
    armcpu_fleet_free(fl);
    armcpu_diff_free(d);
    return NULL;
}

size_t armcpu_diff_count(const armcpu_diff *d) { return d->n; }

bool armcpu_diff_at(const armcpu_diff *d, size_t i, const armcpu_field **field, uint64_t *a,
                    uint64_t *b, armcpu_diff_kind *kind, uint64_t *common, const char **why)
{
    if (i >= d->n)
        return false;
    const struct diff_entry *e = &d->e[i];
    if (field)
        *field = e->field;
    if (a)
        *a = e->a;
    if (b)
        *b = e->b;
    if (kind)
        *kind = e->kind;
    if (common)
        *common = e->common;
    if (why)
        *why = e->why;
    return true;
}

const char *armcpu_diff_kind_name(armcpu_diff_kind k)
{
    static const char *const n[] = {"common", "aarch32=off", "identity", "conflict", "unknown"};
    return (unsigned)k < sizeof n / sizeof n[0] ? n[k] : "?";
}

char *armcpu_diff_to_json(const armcpu_diff *d)
{
    struct json_object *root = armcpu_json_doc("armcpu-diff"), *arr = json_object_new_array();
    size_t fixable = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct diff_entry *e = &d->e[i];
        struct json_object *o = json_object_new_object();
        char name[160], hex[96];
        const armcpu_prop *p = e->field ? armcpu_field_prop(d->ctx, e->field) : NULL;
        armcpu_config item = (armcpu_config)e->config;
        json_object_object_add(o, "property",
                               json_object_new_string(e->config >= 0 ? armcpu_config_name(item)
                                                      : p           ? armcpu_prop_name(p)
                                                                    : "(outside fields)"));
        json_object_object_add(o, "field",
                               json_object_new_string(
                                   e->config >= 0 ? armcpu_config_kvm_name(item)
                                   : e->field     ? fleet_field_name(e->field, name, sizeof name)
                                                  : "(bits outside every field)"));
        /* values in the item's own spelling for the configuration */
#define DIFF_VALUE(v)                                                                          \
    (e->config >= 0 ? armcpu_config_format(item, (v), hex, sizeof hex)                         \
                    : (void)snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)(v)))
        DIFF_VALUE(e->a);
        json_object_object_add(o, d->name_a, json_object_new_string(hex));
        DIFF_VALUE(e->b);
        json_object_object_add(o, strcmp(d->name_a, d->name_b) ? d->name_b : "second",
                               json_object_new_string(hex));
        bool fx = e->kind == ARMCPU_DIFF_COMMON || e->kind == ARMCPU_DIFF_AARCH32_OFF ||
                  e->kind == ARMCPU_DIFF_IDENTITY;
        fixable += fx;
        json_object_object_add(o, "kind", json_object_new_string(armcpu_diff_kind_name(e->kind)));
        json_object_object_add(o, "fixable", json_object_new_boolean(fx));
        if (e->kind == ARMCPU_DIFF_COMMON) {
            DIFF_VALUE(e->common);
            json_object_object_add(o, "common", json_object_new_string(hex));
        }
#undef DIFF_VALUE
        if (e->kind == ARMCPU_DIFF_AARCH32_OFF)
            json_object_object_add(o, "by", json_object_new_string("aarch32=off"));
        if (e->why)
            json_object_object_add(o, "why", json_object_new_string(e->why));
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "hosts", json_object_new_array());
    json_object_array_add(json_object_object_get(root, "hosts"), json_object_new_string(d->name_a));
    json_object_array_add(json_object_object_get(root, "hosts"), json_object_new_string(d->name_b));
    json_object_object_add(root, "differences", arr);
    json_object_object_add(root, "fixable", json_object_new_int64((int64_t)fixable));
    return armcpu_json_text(root);
}

/* ------------------------------------------------------------ compare */

struct armcpu_comparison {
    armcpu_comparison_result result;
    const armcpu_field **f;
    size_t n, cap;
    const char **props;
    size_t n_props;
    size_t n_config; /* configuration items that differ */
};

void armcpu_comparison_free(armcpu_comparison *c)
{
    if (!c)
        return;
    free(c->f);
    free(c->props);
    free(c);
}

/* Does a side leave the register to the host (it does not define it)? */
static bool side_leaves(const armcpu_cpu *cpu, const armcpu_host *host, const armcpu_reg *r)
{
    return !host && armcpu_reg_is_geometry(r) && !armcpu_cpu_reg_set(cpu, armcpu_reg_index(r));
}

/* Can a host side tell whether it takes the other side's value of f? */
static bool host_tells(const armcpu_host *h, const armcpu_field *f, uint64_t other_reg,
                       unsigned other_flags)
{
    if (!h)
        return true;
    armcpu_reg_view v;
    armcpu_host_reg_view(h, armcpu_field_reg(f), &v);
    if (!armcpu_view_knows(&v, f))
        return false;
    /* SAME here, for a differing field: the host shows the other side's
     * value on the other side's vCPU (h is that vCPU's view: a feature it
     * lacks hides the field), so the two differ in vCPU features only, which
     * check does not count either */
    armcpu_verdict vd = armcpu_judge(f, other_reg, other_flags, &v, NULL, 0);
    return !armcpu_verdict_unknown(vd) && vd != ARMCPU_VERDICT_SAME;
}

/* A side's value of a configuration item: the spec's, else the host's
 * (a side on a host), else none (each host's: not comparable). */
static bool side_config(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_config c,
                        uint64_t *v)
{
    return armcpu_cpu_config(cpu, c, v) || (host && armcpu_host_config(host, c, v));
}

static int add_prop_name(armcpu_comparison *c, const char *pn)
{
    for (size_t k = 0; k < c->n_props; k++)
        if (!strcmp(c->props[k], pn))
            return 0;
    const char **np = realloc(c->props, (c->n_props + 1) * sizeof *np);
    if (!np)
        return -1;
    c->props = np;
    c->props[c->n_props++] = pn;
    return 0;
}

/* The vCPU configuration: a side covers the other where, as a host, it
 * would take the other's value (armcpu_config_judge); an item one side
 * leaves to its host (a named model sets none) is not compared, as cache
 * geometry a model leaves is not. The responsible properties: each
 * differing sveN, else the item's. */
static int compare_config(const armcpu_ctx *ctx, armcpu_comparison *c, const armcpu_cpu *a,
                          const armcpu_host *host_a, const armcpu_cpu *b,
                          const armcpu_host *host_b, bool *a_covers_b, bool *b_covers_a)
{
    for (unsigned i = 0; i < ARMCPU_CONFIG_COUNT; i++) {
        armcpu_config item = (armcpu_config)i;
        uint64_t va = 0, vb = 0;
        bool sa = side_config(a, host_a, item, &va), sb = side_config(b, host_b, item, &vb);
        if (!sa || !sb || va == vb)
            continue; /* a side that leaves it to the host does not define it */
        c->n_config++;
        *a_covers_b &= !armcpu_verdict_blocks(armcpu_config_judge(item, vb, true, va, 0, NULL, 0));
        *b_covers_a &= !armcpu_verdict_blocks(armcpu_config_judge(item, va, true, vb, 0, NULL, 0));
        if (item != ARMCPU_CONFIG_SVE_VLS) {
            if (add_prop_name(c, armcpu_config_name(item)))
                return -1;
            continue;
        }
        for (unsigned vq = 1; vq <= 16; vq++) {
            char name[16];
            snprintf(name, sizeof name, "sve%u", vq * 128);
            const armcpu_prop *p =
                (va ^ vb) >> (vq - 1) & 1 ? armcpu_prop_lookup(ctx, name, NULL) : NULL;
            if (p && add_prop_name(c, armcpu_prop_name(p)))
                return -1;
        }
    }
    return 0;
}

armcpu_comparison *armcpu_compare(const armcpu_ctx *ctx, const armcpu_cpu *a,
                                  const armcpu_host *host_a, const armcpu_cpu *b,
                                  const armcpu_host *host_b, armcpu_error *err)
{
    armcpu_comparison *c = calloc(1, sizeof *c);
    if (!c) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    bool a_covers_b = true, b_covers_a = true;
    /* each host judges the other side's spec as that spec's vCPU sees it */
    const armcpu_host *ja = host_a ? armcpu_host_for_spec(b, host_a) : NULL;
    const armcpu_host *jb = host_b ? armcpu_host_for_spec(a, host_b) : NULL;
    /* AArch32 registers count only where both sides have AArch32: a side
     * without it does not define them, and ID_AA64PFR0_EL1.ELx already
     * decides who covers whom */
    bool both32 = armcpu_cpu_has_aarch32(a) && armcpu_cpu_has_aarch32(b);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t av = armcpu_cpu_reg_value(a, r), bv = armcpu_cpu_reg_value(b, r);
        if (av == bv || armcpu_reg_is_identity(r) || (!both32 && armcpu_reg_is_aarch32(r)) ||
            side_leaves(a, host_a, r) || side_leaves(b, host_b, r))
            continue;
        unsigned fa_flags = armcpu_cpu_judge_flags(a, r), fb_flags = armcpu_cpu_judge_flags(b, r);
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            uint64_t x = armcpu_fget(f, av), y = armcpu_fget(f, bv);
            if (x == y || !host_tells(ja, f, bv, fb_flags) || !host_tells(jb, f, av, fa_flags))
                continue;
            a_covers_b &= covers(f, x, y);
            b_covers_a &= covers(f, y, x);
            const armcpu_field **nf = armcpu_grow(c->f, &c->cap, c->n, sizeof *nf, 32);
            if (nf)
                c->f = nf;
            if (!nf || add_prop_name(c, armcpu_prop_name(armcpu_field_prop(ctx, f)))) {
                armcpu_comparison_free(c);
                armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
                return NULL;
            }
            c->f[c->n++] = f;
        }
    }
    if (compare_config(ctx, c, a, host_a, b, host_b, &a_covers_b, &b_covers_a)) {
        armcpu_comparison_free(c);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->result = c->n == 0 && c->n_config == 0 ? ARMCPU_CMP_IDENTICAL
                : a_covers_b ? ARMCPU_CMP_SUPERSET
                : b_covers_a ? ARMCPU_CMP_SUBSET
                             : ARMCPU_CMP_INCOMPATIBLE;
    return c;
}

armcpu_comparison_result armcpu_comparison_result_of(const armcpu_comparison *c)
{
    return c->result;
}

const char *armcpu_comparison_result_name(armcpu_comparison_result r)
{
    static const char *const n[] = {"identical", "superset", "subset", "incompatible"};
    return (unsigned)r < 4 ? n[r] : "?";
}

size_t armcpu_comparison_field_count(const armcpu_comparison *c) { return c->n; }
const armcpu_field *armcpu_comparison_field_at(const armcpu_comparison *c, size_t i)
{
    return i < c->n ? c->f[i] : NULL;
}
size_t armcpu_comparison_property_count(const armcpu_comparison *c) { return c->n_props; }
const char *armcpu_comparison_property_at(const armcpu_comparison *c, size_t i)
{
    return i < c->n_props ? c->props[i] : NULL;
}

char *armcpu_comparison_to_json(const armcpu_comparison *c)
{
    struct json_object *root = armcpu_json_doc("armcpu-compare"), *arr = json_object_new_array();
    json_object_object_add(root, "result",
                           json_object_new_string(armcpu_comparison_result_name(c->result)));
    for (size_t i = 0; i < c->n_props; i++)
        json_object_array_add(arr, json_object_new_string(c->props[i]));
    json_object_object_add(root, "responsible-properties", arr);
    return armcpu_json_text(root);
}

/* ------------------------------------------------------------ fix */

struct armcpu_fix {
    char *spec; /* NULL when unfixable */
    char **ov;
    size_t n_ov;
    char **unfixable;
    size_t n_unfixable;
    size_t unknown;
};

void armcpu_fix_free(armcpu_fix *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n_ov; i++)
        free(x->ov[i]);
    for (size_t i = 0; i < x->n_unfixable; i++)
        free(x->unfixable[i]);
    free(x->ov);
    free(x->unfixable);
    free(x->spec);
    free(x);
}

static int push(char ***arr, size_t *n, const char *text)
{
    char *t = armcpu_strdup(text);
    char **na = t ? realloc(*arr, (*n + 1) * sizeof *na) : NULL;
    if (!na) {
        free(t);
        return ARMCPU_ERR_NOMEM;
    }
    *arr = na;
    (*arr)[(*n)++] = t;
    return ARMCPU_OK;
}

struct blocked {
    const armcpu_field *f[512];
    const armcpu_reg *r[512];
    int config[512]; /* the vCPU configuration item blocked, or -1 */
    char why[512][160];
    size_t n;
    size_t unknown;
};

static void collect_blocked(const armcpu_field_check *c, void *opaque)
{
    struct blocked *b = opaque;
    b->unknown += armcpu_verdict_unknown(c->verdict);
    if (!armcpu_verdict_blocks(c->verdict) || b->n == 512)
        return;
    b->f[b->n] = c->field;
    b->r[b->n] = c->reg;
    b->config[b->n] = c->is_config ? (int)c->config : -1;
    snprintf(b->why[b->n], sizeof b->why[0], "%s", c->reason);
    b->n++;
}

/* The greatest value the host accepts for f that the spec's value covers;
 * the host's own where none is covered. */
static uint64_t fix_value(const armcpu_field *f, uint64_t want, const struct view *v, unsigned flags)
{
    uint64_t hv = armcpu_fget(f, v->v.value), cand[16];
    size_t nc = 0;
    if (f->width <= 4)
        for (uint64_t c = 0; c < (1u << f->width); c++)
            cand[nc++] = c;
    else {
        cand[nc++] = hv;
        cand[nc++] = want;
        cand[nc++] = f->safe_value;
        cand[nc++] = f->default_value;
        cand[nc++] = 0;
    }
    bool found = false;
    uint64_t best = hv;
    for (size_t i = 0; i < nc; i++) {
        uint64_t c = cand[i];
        if (!covers(f, want, c) || !accepted(meet_judge(f, c, flags, v, NULL, 0)))
            continue;
        if (!found || (covers(f, c, best) && !covers(f, best, c)))
            best = c;
        found = true;
    }
    return best;
}

/* The spec realized on the host and checked, its blocked fields in *bl;
 * NULL (err set) when it does not realize. */
static armcpu_cpu *realize_and_check(const armcpu_ctx *ctx, const char *spec,
                                     const armcpu_host *host, struct blocked *bl,
                                     size_t *blockers, armcpu_error *err)
{
    armcpu_cpu *cpu = armcpu_realize_on_host(ctx, spec, host, false, err);
    if (!cpu)
        return NULL;
    memset(bl, 0, sizeof *bl);
    size_t n = armcpu_check(cpu, host, collect_blocked, bl);
    if (blockers)
        *blockers = n;
    return cpu;
}

armcpu_fix *armcpu_fix_new(const armcpu_ctx *ctx, const char *spec, const armcpu_host *host,
                           armcpu_error *err)
{
    armcpu_fix *x = calloc(1, sizeof *x);
    struct blocked *bl = calloc(1, sizeof *bl);
    struct strbuf s = {0};
    if (!x || !bl)
        goto oom;
    /* from the spec's canonical form, one override per field, so a fix
     * replaces what set its field (feat_CSV2=1.1 and CSV2_frac); a spec on
     * "host" stays as written */
    armcpu_cpu *c0 = armcpu_realize_on_host(ctx, spec, host, false, err);
    if (!c0)
        goto failed;
    char *canon = armcpu_cpu_model(c0) ? out_canonical_by_field(ctx, c0, NULL) : NULL;
    armcpu_cpu_free(c0);
    sb_add(&s, "%s", canon ? canon : spec);
    free(canon);
    bool dropped32 = false;
    /* rounds: a fix can give AArch32 back (the host's ELx where it cannot be
     * written) and so bring its registers into the check; 4 is a guard */
    for (int round = 0; round < 4; round++) {
        if (s.oom)
            goto oom;
        armcpu_cpu *cpu = realize_and_check(ctx, s.s, host, bl, NULL, err);
        if (!cpu)
            goto failed;
        x->unknown = bl->unknown;
        if (!bl->n) {
            armcpu_cpu_free(cpu);
            break;
        }
        /* ID_AA64PFR0_EL1 after this round's ELx fixes */
        const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
        uint64_t p = pfr0 ? armcpu_cpu_reg_value(cpu, pfr0) : 0;
        for (size_t i = 0; i < bl->n; i++)
            if (bl->f[i] && armcpu_field_exception_level(bl->f[i]) >= 0)
                p = armcpu_fwith(bl->f[i], p, armcpu_fget(bl->f[i], armcpu_host_reg_value(host, pfr0)));
        bool drop32 = !dropped32 && armcpu_cpu_has_aarch32(cpu) && !armcpu_pfr0_has_aarch32(p);
        if (drop32) {
            sb_add(&s, ",aarch32=off");
            if (push(&x->ov, &x->n_ov, "aarch32=off"))
                goto oom_cpu;
            dropped32 = true;
        }
        for (size_t i = 0; i < bl->n; i++) {
            const armcpu_field *f = bl->f[i];
            int el = f ? armcpu_field_exception_level(f) : -1;
            if (bl->config[i] >= 0) {
                armcpu_config c = (armcpu_config)bl->config[i];
                uint64_t want = 0, hv = 0, nv;
                char t[256];
                armcpu_cpu_config(cpu, c, &want);
                armcpu_host_config(host, c, &hv);
                if (!armcpu_config_fix(c, want, hv, armcpu_host_kernel_key(host), &nv)) {
                    snprintf(t, sizeof t, "%s: %s", armcpu_config_name(c), bl->why[i]);
                    if (push(&x->unfixable, &x->n_unfixable, t))
                        goto oom_cpu;
                    continue;
                }
                armcpu_config_spec_text(c, nv, t, sizeof t);
                out_spec_set_config(ctx, &s, c, nv);
                if (push(&x->ov, &x->n_ov, t))
                    goto oom_cpu;
                continue;
            }
            if (drop32 && (armcpu_reg_is_aarch32(bl->r[i]) || el == 0 || el == 1))
                continue; /* aarch32=off covers it */
            if (!f) {
                char t[256];
                snprintf(t, sizeof t, "%s: %s", armcpu_reg_name(bl->r[i]), bl->why[i]);
                if (push(&x->unfixable, &x->n_unfixable, t))
                    goto oom_cpu;
                continue;
            }
            struct view v = {{0}, 1, 0};
            armcpu_host_reg_view(host, armcpu_field_reg(f), &v.v);
            uint64_t want = armcpu_fget(f, armcpu_cpu_reg_value(cpu, armcpu_field_reg(f)));
            uint64_t nv = fix_value(f, want, &v, armcpu_cpu_judge_flags(cpu, armcpu_field_reg(f)) |
                                                     ARMCPU_JUDGE_SETS);
            char t[256];
            armcpu_override_text(ctx, f, nv, t, sizeof t);
            out_spec_set_field(ctx, &s, f, t);
            if (push(&x->ov, &x->n_ov, t))
                goto oom_cpu;
        }
        armcpu_cpu_free(cpu);
        if (x->n_unfixable)
            break;
        continue;
    oom_cpu:
        armcpu_cpu_free(cpu);
        goto oom;
    }
    if (s.oom)
        goto oom;
    if (!x->n_unfixable) {
        /* the answer must pass: say so only if it does */
        size_t blockers;
        armcpu_cpu *cpu = realize_and_check(ctx, s.s, host, bl, &blockers, err);
        if (!cpu)
            goto failed;
        x->unknown = bl->unknown;
        armcpu_cpu_free(cpu);
        for (size_t i = 0; i < bl->n && blockers; i++) {
            char t[256], nm[160];
            snprintf(t, sizeof t, "%s: still blocked after the fixes: %s",
                     bl->config[i] >= 0 ? armcpu_config_name((armcpu_config)bl->config[i])
                     : bl->f[i]         ? fleet_field_name(bl->f[i], nm, sizeof nm)
                                        : armcpu_reg_name(bl->r[i]),
                     bl->why[i]);
            if (push(&x->unfixable, &x->n_unfixable, t))
                goto oom;
        }
    }
    if (!x->n_unfixable) {
        x->spec = s.s;
        s.s = NULL;
    }
    free(s.s);
    free(bl);
    return x;
oom:
    armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
failed:
    free(s.s);
    free(bl);
    armcpu_fix_free(x);
    return NULL;
}

armcpu_answer armcpu_fix_answer(const armcpu_fix *x)
{
    return x->n_unfixable ? ARMCPU_ANSWER_NO : x->unknown ? ARMCPU_ANSWER_UNKNOWN : ARMCPU_ANSWER_YES;
}
const char *armcpu_fix_spec(const armcpu_fix *x) { return x->spec; }
size_t armcpu_fix_override_count(const armcpu_fix *x) { return x->n_ov; }
const char *armcpu_fix_override_at(const armcpu_fix *x, size_t i)
{
    return i < x->n_ov ? x->ov[i] : NULL;
}
size_t armcpu_fix_unknown_count(const armcpu_fix *x) { return x->unknown; }
size_t armcpu_fix_unfixable_count(const armcpu_fix *x) { return x->n_unfixable; }
const char *armcpu_fix_unfixable_at(const armcpu_fix *x, size_t i)
{
    return i < x->n_unfixable ? x->unfixable[i] : NULL;
}

char *armcpu_fix_to_json(const armcpu_fix *x)
{
    struct json_object *root = armcpu_json_doc("armcpu-fix");
    json_object_object_add(root, "answer",
                           json_object_new_string(armcpu_answer_name(armcpu_fix_answer(x))));
    if (x->spec)
        json_object_object_add(root, "spec", json_object_new_string(x->spec));
    struct json_object *ov = json_object_new_array(), *un = json_object_new_array();
    for (size_t i = 0; i < x->n_ov; i++)
        json_object_array_add(ov, json_object_new_string(x->ov[i]));
    for (size_t i = 0; i < x->n_unfixable; i++)
        json_object_array_add(un, json_object_new_string(x->unfixable[i]));
    json_object_object_add(root, "overrides", ov);
    json_object_object_add(root, "unfixable", un);
    json_object_object_add(root, "unknown-fields", json_object_new_int64((int64_t)x->unknown));
    return armcpu_json_text(root);
}
