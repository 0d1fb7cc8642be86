/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What each kernel's KVM shows a guest: the view rules of kernels/linux-VER.view
 * (tools/gen-data: armcpu_builtin_views), and a snapshot's values
 * re-derived for another kernel. A value the source view hid and the
 * target view shows is marked unknown, never guessed.
 */
#include <stdio.h>
#include <string.h>

#include "armcpu/host.h"
#include "../core/ctx.h"
#include "../util/util.h"

size_t armcpu_view_count(void) { return armcpu_builtin_views_count; }

const char *armcpu_view_version(size_t i)
{
    return i < armcpu_builtin_views_count ? armcpu_builtin_views[i].version : NULL;
}

const char *armcpu_view_provenance(size_t i)
{
    return i < armcpu_builtin_views_count ? armcpu_builtin_views[i].provenance : NULL;
}

bool armcpu_view_table_for(const char *release, size_t *index, bool *exact)
{
    return armcpu_key_table_for(release, &armcpu_builtin_views[0].key, armcpu_builtin_views_count,
                                sizeof armcpu_builtin_views[0], index, exact);
}

/* The rule field `field` follows under configuration cfg, or NULL: the
 * host's value (rules are sorted by field, file order within one). */
static const struct armcpu_view_rule *rule_for(const struct armcpu_view_table *t, size_t field,
                                               unsigned cfg)
{
    size_t lo = 0, hi = t->n_rules;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->rules[mid].field < field)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < t->n_rules && t->rules[i].field == field; i++) {
        const struct armcpu_view_rule *r = &t->rules[i];
        if (!r->cond || (((cfg & r->cond) != 0) != r->negate))
            return r;
    }
    return NULL;
}

/* What a value read under a rule tells of the host's own value. */
enum knowledge { KNOW_NOTHING, KNOW_EXACT, KNOW_AT_LEAST };

static enum knowledge know(const struct armcpu_view_rule *r, uint64_t v, uint64_t *hw)
{
    *hw = v;
    if (!r || r->action == ARMCPU_VIEW_HW)
        return KNOW_EXACT;
    if (r->action == ARMCPU_VIEW_CAP) {
        if (v < r->value)
            return KNOW_EXACT;
        *hw = r->value;
        return KNOW_AT_LEAST;
    }
    return KNOW_NOTHING;
}

static bool same_rule(const struct armcpu_view_rule *a, const struct armcpu_view_rule *b)
{
    return a && b && a->action == b->action && a->value == b->value;
}

unsigned armcpu_host_view_config(const armcpu_host *h)
{
    unsigned cfg = ARMCPU_VIEWCFG_GICV3; /* every VMM armcpu serves gives a vGICv3 */
    static const char *const f[] = {"sve", "ptrauth", "pmu"};
    static const unsigned bit[] = {ARMCPU_VCPU_SVE, ARMCPU_VCPU_PTRAUTH, ARMCPU_VCPU_PMU};
    for (int i = 0; i < 3; i++)
        if (armcpu_host_vcpu_feature(h, f[i]))
            cfg |= bit[i];
    return cfg;
}

static int derive(armcpu_host *h, size_t target, unsigned dst_cfg, armcpu_error *err);

int armcpu_host_derive_view(armcpu_host *h, size_t target, armcpu_error *err)
{
    return derive(h, target, armcpu_host_view_config(h), err);
}

/* The same host's view for a vCPU created with fewer features (KVM hides
 * their fields: the view rules' `unless sve` etc.), under its own kernel's
 * rules; a host whose kernel has no view table gets those fields unknown.
 * Its vcpu_features stay as measured, so the judgement takes the hidden
 * values as known: a spec that gives one of them another value is blocked,
 * not unchecked. A view to judge with, not to derive further. */
armcpu_host *armcpu_host_for_vcpu(const armcpu_host *h, unsigned features, armcpu_error *err)
{
    armcpu_host *d = armcpu_host_dup(h, err);
    if (!d)
        return NULL;
    unsigned have = armcpu_host_view_config(h);
    unsigned keep = have & (features | ~(ARMCPU_VCPU_SVE | ARMCPU_VCPU_PTRAUTH | ARMCPU_VCPU_PMU));
    size_t vi;
    bool exact;
    int rc = ARMCPU_OK;
    if (!armcpu_host_is_bare_metal(h) && armcpu_view_table_for(armcpu_host_kernel(h), &vi, &exact))
        rc = derive(d, vi, keep, err);
    else {
        /* no rules to say what KVM shows: every field of a dropped group unknown */
        unsigned dropped = have & ~keep, groups = 0;
        groups |= dropped & ARMCPU_VCPU_SVE ? 1u << ARMCPU_GROUP_SVE : 0;
        groups |= dropped & ARMCPU_VCPU_PTRAUTH ? 1u << ARMCPU_GROUP_PAUTH : 0;
        groups |= dropped & ARMCPU_VCPU_PMU ? 1u << ARMCPU_GROUP_PMU : 0;
        for (size_t ri = 0; ri < armcpu_reg_count() && !rc; ri++) {
            const armcpu_reg *r = armcpu_reg_at(ri);
            uint64_t u = 0;
            for (size_t j = 0; j < r->n_fields; j++)
                if (r->fields[j].groups & groups)
                    u |= armcpu_fmask(&r->fields[j]);
            if (u && armcpu_host_reg_state(d, r) == ARMCPU_REG_PRESENT)
                rc = armcpu_host_set_reg(d, r, armcpu_host_reg_value(d, r) & ~u,
                                         armcpu_host_reg_unknown(d, r) | u, err);
        }
    }
    /* vcpu_features stay as measured: the dropped features' fields are now
     * known (what KVM shows without them), not a limit measured off */
    if (rc) {
        armcpu_host_free(d);
        return NULL;
    }
    return d;
}

static int derive(armcpu_host *h, size_t target, unsigned dst_cfg, armcpu_error *err)
{
    if (target >= armcpu_builtin_views_count)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "no such view table");
    const struct armcpu_view_table *to = &armcpu_builtin_views[target], *from = NULL;
    if (!armcpu_host_is_bare_metal(h)) {
        size_t si;
        bool exact;
        if (!armcpu_view_table_for(armcpu_host_kernel(h), &si, &exact))
            return armcpu_set_error(
                err, ARMCPU_ERR_NOT_FOUND,
                "snapshot %s was read under kernel '%s', for which armcpu has no view rules "
                "(oldest: %s): which fields that KVM hid is not known, so Linux %s's view "
                "cannot be derived from it",
                armcpu_host_name(h), armcpu_host_kernel(h),
                armcpu_builtin_views_count ? armcpu_builtin_views[0].version : "none",
                to->version);
        from = &armcpu_builtin_views[si];
    }
    unsigned cfg = armcpu_host_view_config(h);
    const uint64_t *unk = armcpu_host_unknown_array(h);
    /* another vCPU configuration under the same rules changes only the
     * fields of the features that differ: every rule conditioned on sve,
     * pmu or ptrauth is on a field of that group (kernels/linux-VER.view) */
    unsigned changed = cfg ^ dst_cfg, cg = 0;
    cg |= changed & ARMCPU_VCPU_SVE ? 1u << ARMCPU_GROUP_SVE : 0;
    cg |= changed & ARMCPU_VCPU_PMU ? 1u << ARMCPU_GROUP_PMU : 0;
    cg |= changed & ARMCPU_VCPU_PTRAUTH ? 1u << ARMCPU_GROUP_PAUTH : 0;
    bool config_only = from == to && changed;
    /* every KVM shows the AArch32 ID registers as zeros on a host without
     * AArch32 EL0 (sys_regs.c aa32_id_visibility: REG_RAZ unless
     * kvm_supports_32bit_el0()), whatever the per-field rules say */
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    bool aa32 = !pfr0 || armcpu_host_reg_state(h, pfr0) != ARMCPU_REG_PRESENT ||
                armcpu_pfr0_has_aarch32(armcpu_host_reg_value(h, pfr0));
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if (armcpu_host_reg_state(h, r) != ARMCPU_REG_PRESENT)
            continue;
        if (!aa32 && armcpu_reg_is_aarch32(r)) {
            if (armcpu_host_set_reg(h, r, 0, 0, err))
                return err ? err->code : ARMCPU_ERR_NOMEM;
            continue;
        }
        uint64_t v = armcpu_host_reg_value(h, r), out = v, unknown = 0;
        if (config_only) {
            bool any = false;
            for (size_t j = 0; j < r->n_fields && !any; j++)
                any = (r->fields[j].groups & cg) != 0;
            if (!any)
                continue; /* nothing of this register depends on the change */
        }
        for (size_t j = 0; j < r->n_fields; j++) {
            const armcpu_field *f = &r->fields[j];
            if (config_only && !(f->groups & cg)) {
                unknown |= unk ? unk[ri] & armcpu_fmask(f) : 0;
                continue;
            }
            size_t fi = armcpu_field_flat_index(f);
            uint64_t fm = armcpu_fmask(f), fv = armcpu_fget(f, v), hw = 0, nv = 0;
            const struct armcpu_view_rule *src = from ? rule_for(from, fi, cfg) : NULL;
            const struct armcpu_view_rule *dst = rule_for(to, fi, dst_cfg);
            if (from == to && src == dst && dst_cfg != cfg) {
                /* another vCPU configuration: only its own rules change */
                unknown |= unk ? unk[ri] & fm : 0;
                continue;
            }
            enum knowledge k = unk && (unk[ri] & fm) ? KNOW_NOTHING : know(src, fv, &hw);
            bool known = true;
            if (!dst || dst->action == ARMCPU_VIEW_HW) {
                known = k == KNOW_EXACT;
                nv = hw;
            } else if (dst->action == ARMCPU_VIEW_CAP) {
                known = k == KNOW_EXACT || (k == KNOW_AT_LEAST && dst->value <= hw);
                nv = hw < dst->value ? hw : dst->value;
            } else if (dst->action == ARMCPU_VIEW_HIDE || dst->action == ARMCPU_VIEW_FORCE) {
                nv = dst->value;
            } else {
                /* synthesised or host-dependent: what the snapshot's kernel
                 * computed by the same rule (CLIDR_EL1 from 6.12 to 7.3, CSV2
                 * from the host's Spectre state in every kernel); a different
                 * rule computes something the snapshot does not say */
                known = same_rule(src, dst) && !(unk && (unk[ri] & fm));
                nv = fv;
            }
            out &= ~fm;
            if (known)
                out |= nv << f->lsb;
            else
                unknown |= fm;
        }
        if (armcpu_host_set_reg(h, r, out, unknown, err))
            return err ? err->code : ARMCPU_ERR_NOMEM;
    }
    armcpu_host_set_bare_metal(h, false);
    /* what a guest's mrs read was that kernel's (trapping rules differ) */
    if (from != to)
        armcpu_host_clear_guest_reads(h);
    return ARMCPU_OK;
}
