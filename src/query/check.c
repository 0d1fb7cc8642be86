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

/*
 * Values KVM refuses outright in a write of their register, whatever the
 * host has (arch/arm64/kvm/sys_regs.c since 6.7, still in 7.x):
 * set_id_dfr0_el1 refuses CopDbg below Armv8 and PerfMon 1..2;
 * set_id_aa64dfr0_el1 refuses DebugVer below Armv8.
 */
bool armcpu_kvm_field_refused(const armcpu_field *f, uint64_t v, char *why, size_t size)
{
    const char *rn = armcpu_reg_name(armcpu_field_reg(f)), *fn = armcpu_field_name(f);
    if (!strcmp(rn, "ID_DFR0_EL1") && !strcmp(fn, "CopDbg") && v < 6) {
        snprintf(why, size, "KVM (set_id_dfr0_el1) refuses any ID_DFR0_EL1 write with "
                            "CopDbg below Armv8 (0x6)");
        return true;
    }
    if (!strcmp(rn, "ID_DFR0_EL1") && !strcmp(fn, "PerfMon") && v != 0 && v != 0xf && v < 3) {
        snprintf(why, size, "KVM (set_id_dfr0_el1) refuses PerfMon 0x1..0x2 (not PMUv3)");
        return true;
    }
    if (!strcmp(rn, "ID_AA64DFR0_EL1") && !strcmp(fn, "DebugVer") && v < 6) {
        snprintf(why, size, "KVM (set_id_aa64dfr0_el1) refuses DebugVer below Armv8 (0x6)");
        return true;
    }
    return false;
}

/* The first field of a register value that KVM refuses in a write, or NULL. */
const armcpu_field *armcpu_kvm_write_rule(const armcpu_reg *reg, uint64_t v, char *why,
                                          size_t size)
{
    /* only the two debug registers have such rules */
    if (strcmp(reg->name, "ID_DFR0_EL1") && strcmp(reg->name, "ID_AA64DFR0_EL1"))
        return NULL;
    for (size_t i = 0; i < reg->n_fields; i++)
        if (armcpu_kvm_field_refused(&reg->fields[i], armcpu_field_get(&reg->fields[i], v),
                                     why, size))
            return &reg->fields[i];
    return NULL;
}

const char *armcpu_verdict_name(armcpu_verdict v)
{
    static const char *const names[] = {"same",     "settable",   "over-promise",
                                        "not-writable", "identity", "host-given",
                                        "unchecked", "refused"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

bool armcpu_verdict_blocks(armcpu_verdict v)
{
    return v == ARMCPU_VERDICT_OVERPROMISE || v == ARMCPU_VERDICT_NOT_WRITABLE ||
           v == ARMCPU_VERDICT_REFUSED;
}

/* The first letter rules out most registers (ID_*) without a strcmp. */
static bool is_identity_reg(const char *name)
{
    return (name[0] == 'M' || name[0] == 'R' || name[0] == 'A') &&
           (!strcmp(name, "MIDR_EL1") || !strcmp(name, "REVIDR_EL1") ||
            !strcmp(name, "AIDR_EL1"));
}

static bool is_geometry_reg(const char *name)
{
    return name[0] == 'C' && (!strcmp(name, "CLIDR_EL1") || !strcmp(name, "CCSIDR_EL1") ||
                              !strcmp(name, "CCSIDR2_EL1"));
}

static bool model_sets_reg(const armcpu_cpu *cpu, const armcpu_reg *r)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (strcmp(armcpu_cpu_field_source(cpu, &r->fields[i]), "default"))
            return true;
    return false;
}

/* armcpu_field_get / armcpu_field_mask, inlined: this is the hot loop. */
static inline uint64_t width_mask(unsigned width)
{
    return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}

static inline uint64_t field_mask(const armcpu_field *f)
{
    return width_mask(f->width) << f->lsb;
}

static inline uint64_t field_get(const armcpu_field *f, uint64_t v)
{
    return (v >> f->lsb) & width_mask(f->width);
}

static uint64_t fields_mask(const armcpu_reg *r)
{
    uint64_t m = 0;
    for (size_t i = 0; i < r->n_fields; i++)
        m |= field_mask(&r->fields[i]);
    return m;
}

/* The vCPU features (composite, KVM name) a field's limit can depend on. */
static const char *const feature_pairs[][2] = {{"sve", "sve"}, {"pmu", "pmu"}, {"pauth", "ptrauth"}};
#define N_FEATURE_PAIRS (sizeof feature_pairs / sizeof feature_pairs[0])

/* Bit i set: feature_pairs[i] was off when the host was measured. */
static unsigned features_off(const armcpu_host *host)
{
    unsigned off = 0;
    for (size_t i = 0; i < N_FEATURE_PAIRS; i++)
        if (!armcpu_host_vcpu_feature(host, feature_pairs[i][1]))
            off |= 1u << i;
    return off;
}

/* The vCPU feature that was off when the host was measured and that the
 * field's limit depends on, or NULL. */
static const char *feature_off(unsigned off, const armcpu_field *f)
{
    for (size_t i = 0; i < N_FEATURE_PAIRS; i++)
        if ((off & (1u << i)) && armcpu_field_in_composite(feature_pairs[i][0], f))
            return feature_pairs[i][1];
    return NULL;
}

/*
 * The verdicts are decided in this order, for a field whose value differs
 * from a present register's: vCPU feature off (UNCHECKED), host-given
 * geometry, writable (SETTABLE or OVERPROMISE by the safe rule), identity,
 * else NOT_WRITABLE. Without a callback only the blocker count matters, so
 * the costly feature test is made only for fields that would otherwise block,
 * and the safe rule is asked for no reason text.
 */
size_t armcpu_check(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                    void *opaque)
{
    size_t blockers = 0;
    unsigned off = features_off(host);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t mv = armcpu_cpu_reg_value(cpu, r);
        armcpu_reg_state st = armcpu_host_reg_state(host, r);
        uint64_t hv = armcpu_host_reg_value(host, r);
        if (st == ARMCPU_REG_PRESENT && mv == hv)
            continue; /* the common case: nothing to look at */
        bool geometry = is_geometry_reg(r->name);
        /* whether the model sets the register matters only for geometry
         * registers and registers the host does not have */
        bool sets = (geometry || st != ARMCPU_REG_PRESENT) && model_sets_reg(cpu, r);
        bool given = geometry && !sets;
        bool identity = is_identity_reg(r->name);
        bool clidr = geometry && !strcmp(r->name, "CLIDR_EL1");
        uint64_t mask = armcpu_host_reg_mask(host, r);
        if (st != ARMCPU_REG_PRESENT) {
            if (!sets || !fn)
                continue; /* UNCHECKED fields never block */
            for (size_t i = 0; i < r->n_fields; i++) {
                const armcpu_field *f = &r->fields[i];
                armcpu_field_check c = {r, f, ARMCPU_VERDICT_UNCHECKED, field_get(f, mv), 0,
                                        st == ARMCPU_REG_ABSENT
                                            ? "the host does not expose the register"
                                            : "the snapshot has no value"};
                fn(&c, opaque);
            }
            continue;
        }
        uint64_t diff = mv ^ hv;
        /* A write happens when a writable field differs: KVM's whole-register
         * rules then judge the model's value of the register. */
        char rule_why[160] = "";
        const armcpu_field *rule = (diff & mask)
                                       ? armcpu_kvm_write_rule(r, mv, rule_why, sizeof rule_why)
                                       : NULL;
        if (rule && !(diff & field_mask(rule))) {
            armcpu_field_check c = {r, rule, ARMCPU_VERDICT_REFUSED, field_get(rule, mv),
                                    field_get(rule, hv), rule_why};
            blockers++;
            if (fn)
                fn(&c, opaque);
        }
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            uint64_t fm = field_mask(f);
            if (!(diff & fm))
                continue; /* SAME */
            armcpu_field_check c = {r, f, ARMCPU_VERDICT_SAME, field_get(f, mv),
                                    field_get(f, hv), ""};
            char reason[256]; /* written by armcpu_field_is_safe when used */
            if (fn && feature_off(off, f)) {
                c.verdict = ARMCPU_VERDICT_UNCHECKED;
                c.reason = "the host was measured with this vCPU feature off; its limit "
                           "is unknown";
            } else if (given) {
                c.verdict = ARMCPU_VERDICT_HOST_GIVEN;
            } else if (f == rule) {
                c.verdict = ARMCPU_VERDICT_REFUSED;
                c.reason = rule_why;
            } else if ((mask & fm) == fm) {
                /* KVM's set_clidr takes any CLIDR value; elsewhere the rule. */
                if (clidr || identity ||
                    armcpu_field_is_safe(f, c.model_value, c.host_value, fn ? reason : NULL,
                                         fn ? sizeof reason : 0))
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
            if (!fn) {
                /* the feature test comes first when there is a callback */
                if (armcpu_verdict_blocks(c.verdict) && !feature_off(off, f))
                    blockers++;
                continue;
            }
            if (armcpu_verdict_blocks(c.verdict))
                blockers++;
            fn(&c, opaque);
        }
        uint64_t outside = diff & ~fields_mask(r);
        if (outside && !given) {
            char reason[160];
            blockers++;
            if (fn) {
                snprintf(reason, sizeof reason,
                         "bits 0x%016llx lie outside the table's fields and differ; KVM "
                         "requires them equal to the host's",
                         (unsigned long long)outside);
                armcpu_field_check c = {r, NULL, ARMCPU_VERDICT_NOT_WRITABLE, mv & outside,
                                        hv & outside, reason};
                fn(&c, opaque);
            }
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
