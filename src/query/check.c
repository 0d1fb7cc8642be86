/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A realized spec against a host: one verdict per field, decided by the
 * kernel's safe rule (armcpu_field_is_safe) and the host's writable masks,
 * as arch/arm64/kvm/sys_regs.c would decide a KVM_SET_ONE_REG.
 */
#include <stdio.h>
#include <string.h>

#include "armcpu/host.h"
#include "../core/ctx.h"

const char *armcpu_verdict_name(armcpu_verdict v)
{
    static const char *const names[] = {"same",     "settable",   "over-promise",
                                        "not-writable", "identity", "host-given",
                                        "unchecked"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

bool armcpu_verdict_blocks(armcpu_verdict v)
{
    return v == ARMCPU_VERDICT_OVERPROMISE || v == ARMCPU_VERDICT_NOT_WRITABLE;
}

static bool is_identity_reg(const char *name)
{
    return !strcmp(name, "MIDR_EL1") || !strcmp(name, "REVIDR_EL1") ||
           !strcmp(name, "AIDR_EL1");
}

static bool is_geometry_reg(const char *name)
{
    return !strcmp(name, "CLIDR_EL1") || !strcmp(name, "CCSIDR_EL1") ||
           !strcmp(name, "CCSIDR2_EL1");
}

static bool model_sets_reg(const armcpu_cpu *cpu, const armcpu_reg *r)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (strcmp(armcpu_cpu_field_source(cpu, &r->fields[i]), "default"))
            return true;
    return false;
}

static uint64_t fields_mask(const armcpu_reg *r)
{
    uint64_t m = 0;
    for (size_t i = 0; i < r->n_fields; i++)
        m |= armcpu_field_mask(&r->fields[i]);
    return m;
}

/* The vCPU feature that was off when the host was measured and that the
 * field's limit depends on, or NULL. */
static const char *feature_off(const armcpu_host *host, const armcpu_field *f)
{
    static const char *const pairs[][2] = {{"sve", "sve"}, {"pmu", "pmu"}, {"pauth", "ptrauth"}};
    for (size_t i = 0; i < 3; i++)
        if (!armcpu_host_vcpu_feature(host, pairs[i][1]) &&
            armcpu_field_in_composite(pairs[i][0], f))
            return pairs[i][1];
    return NULL;
}

size_t armcpu_check(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                    void *opaque)
{
    size_t blockers = 0;
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t mv = armcpu_cpu_reg_value(cpu, r);
        armcpu_reg_state st = armcpu_host_reg_state(host, r);
        uint64_t hv = armcpu_host_reg_value(host, r);
        if (st == ARMCPU_REG_PRESENT && mv == hv)
            continue; /* the common case: nothing to look at */
        bool sets = model_sets_reg(cpu, r);
        bool given = is_geometry_reg(r->name) && !sets;
        bool identity = is_identity_reg(r->name);
        uint64_t mask = armcpu_host_reg_mask(host, r);
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            armcpu_field_check c = {r, f, ARMCPU_VERDICT_SAME, armcpu_field_get(f, mv),
                                    armcpu_field_get(f, hv), ""};
            char reason[256] = "";
            uint64_t fm = armcpu_field_mask(f);
            if (st != ARMCPU_REG_PRESENT) {
                if (!sets)
                    continue;
                c.verdict = ARMCPU_VERDICT_UNCHECKED;
                c.host_value = 0;
                c.reason = st == ARMCPU_REG_ABSENT ? "the host does not expose the register"
                                                   : "the snapshot has no value";
            } else if (c.model_value == c.host_value) {
                continue;
            } else if (feature_off(host, f)) {
                c.verdict = ARMCPU_VERDICT_UNCHECKED;
                c.reason = "the host was measured with this vCPU feature off; its limit "
                           "is unknown";
            } else if (given) {
                c.verdict = ARMCPU_VERDICT_HOST_GIVEN;
            } else if ((mask & fm) == fm) {
                /* KVM's set_clidr takes any CLIDR value; elsewhere the rule. */
                if (!strcmp(r->name, "CLIDR_EL1") || identity ||
                    armcpu_field_is_safe(f, c.model_value, c.host_value, reason,
                                         sizeof reason))
                    c.verdict = ARMCPU_VERDICT_SETTABLE;
                else {
                    c.verdict = ARMCPU_VERDICT_OVERPROMISE;
                    c.reason = reason;
                }
            } else if (identity) {
                c.verdict = ARMCPU_VERDICT_IDENTITY;
                c.reason = "not writable on this host's kernel (needs Linux 6.15+ and "
                           "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS): the guest sees the host's";
            } else {
                c.verdict = ARMCPU_VERDICT_NOT_WRITABLE;
                c.reason = "KVM does not let userspace write this field on this host's "
                           "kernel";
            }
            if (armcpu_verdict_blocks(c.verdict))
                blockers++;
            if (fn)
                fn(&c, opaque);
        }
        uint64_t outside = (mv ^ hv) & ~fields_mask(r);
        if (st == ARMCPU_REG_PRESENT && outside && !given) {
            char reason[160];
            snprintf(reason, sizeof reason,
                     "bits 0x%016llx lie outside the table's fields and differ; KVM "
                     "requires them equal to the host's",
                     (unsigned long long)outside);
            armcpu_field_check c = {r, NULL, ARMCPU_VERDICT_NOT_WRITABLE, mv & outside,
                                    hv & outside, reason};
            blockers++;
            if (fn)
                fn(&c, opaque);
        }
    }
    return blockers;
}

const armcpu_prop *armcpu_field_prop(const armcpu_ctx *ctx, const armcpu_field *f)
{
    const armcpu_prop *sysreg = NULL;
    for (size_t i = 0; i < ctx->n_props; i++) {
        const struct armcpu_prop *p = &ctx->props[i];
        if (p->kind == ARMCPU_PROP_COMPOSITE || p->fields[0] != f)
            continue;
        if (p->kind != ARMCPU_PROP_SYSREG)
            return p;
        sysreg = p;
    }
    return sysreg;
}
