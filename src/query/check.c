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

/*
 * Values KVM refuses outright in a write of their register (why: NULL when
 * only the answer matters), whatever the
 * host has (arch/arm64/kvm/sys_regs.c since 6.7, still in 7.x):
 * set_id_dfr0_el1 refuses CopDbg below Armv8 and PerfMon 1..2;
 * set_id_aa64dfr0_el1 refuses DebugVer below Armv8.
 */
/* The rule alone, without a message: inlined into the checks' loops. */
static inline bool kvm_refuses(const armcpu_field *f, uint64_t v)
{
    switch (f->kvm_rule) {
    case ARMCPU_KVM_RULE_ARMV8_DEBUG:
        return v < 6;
    case ARMCPU_KVM_RULE_PMUV3_OR_NONE:
        return v != 0 && v != 0xf && v < 3;
    }
    return false;
}

bool armcpu_kvm_field_refused(const armcpu_field *f, uint64_t v, char *why, size_t size)
{
    const char *rn = armcpu_field_reg(f)->name;
    switch (f->kvm_rule) {
    case ARMCPU_KVM_RULE_ARMV8_DEBUG:
        if (v >= 6)
            return false;
        if (why)
            snprintf(why, size, "KVM (%s) refuses %s below Armv8 (0x6) in any %s write",
                 !strcmp(rn, "ID_DFR0_EL1") ? "set_id_dfr0_el1" : "set_id_aa64dfr0_el1",
                 f->name, rn);
        return true;
    case ARMCPU_KVM_RULE_PMUV3_OR_NONE:
        if (v == 0 || v == 0xf || v >= 3)
            return false;
        if (why)
            snprintf(why, size, "KVM (set_id_dfr0_el1) refuses PerfMon 0x1..0x2 (not PMUv3)");
        return true;
    }
    return false;
}

/* The first field of a register value that KVM refuses in a write, or NULL. */
const armcpu_field *armcpu_kvm_write_rule(const armcpu_reg *reg, uint64_t v, char *why,
                                          size_t size)
{
    if (reg->kind != ARMCPU_REG_KIND_WRITE_RULE)
        return NULL;
    for (size_t i = 0; i < reg->n_fields; i++)
        if (kvm_refuses(&reg->fields[i], field_get(&reg->fields[i], v))) {
            armcpu_kvm_field_refused(&reg->fields[i], field_get(&reg->fields[i], v), why, size);
            return &reg->fields[i];
        }
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




static inline bool feature_off(unsigned off, const armcpu_field *f)
{
    return (f->groups & off) != 0;
}

/* Bits of a register whose fields belong to an "off" group. */
static inline uint64_t off_bits(unsigned off, const armcpu_reg *r)
{
    uint64_t m = 0;
    for (unsigned g = 0; g < 4; g++)
        if (off & (1u << g))
            m |= r->group_mask[g];
    return m;
}

/* Nibble-parallel helpers: one result bit per nibble, at its lowest bit. */
#define NIBBLE_LSB 0x1111111111111111ULL

static inline uint64_t nibble_any(uint64_t x)
{
    return (x | x >> 1 | x >> 2 | x >> 3) & NIBBLE_LSB;
}

static inline uint64_t nibble_all(uint64_t x)
{
    return x & x >> 1 & x >> 2 & x >> 3 & NIBBLE_LSB;
}

/* Nibbles where a > b (unsigned): each nibble is compared in its own byte
 * lane, so no borrow crosses lanes. */
static inline uint64_t nibble_gt(uint64_t a, uint64_t b)
{
    const uint64_t lo = 0x0f0f0f0f0f0f0f0fULL, one = 0x0101010101010101ULL;
    uint64_t even = ((((a & lo) | (lo + one)) - (b & lo) - one) >> 4) & one;
    uint64_t odd = (((((a >> 4) & lo) | (lo + one)) - ((b >> 4) & lo) - one) >> 4) & one;
    return even | odd << 4;
}

/* The sum of the eight byte counts of x (each < 256), in 16-bit lanes. */
static inline size_t lane_sum(uint64_t x)
{
    x = (x & 0x00ff00ff00ff00ffULL) + ((x >> 8) & 0x00ff00ff00ff00ffULL);
    return (size_t)((x * 0x0001000100010001ULL) >> 48);
}

/* The verdict of one field the nibble masks do not cover, as a blocker
 * count (0 or 1): the same decisions as the callback path below. */
static size_t field_blocks(const armcpu_reg *r, const armcpu_field *f, uint64_t mv,
                           uint64_t hv, uint64_t mask, unsigned off,
                           const armcpu_field *rule)
{
    if (feature_off(off, f))
        return 0; /* unchecked */
    if (f == rule)
        return 1; /* refused */
    uint64_t fm = field_mask(f);
    if ((mask & fm) == fm)
        return !(r->kind == ARMCPU_REG_KIND_GEOMETRY && !strcmp(r->name, "CLIDR_EL1")) &&
               !armcpu_field_is_safe(f, field_get(f, mv), field_get(f, hv), NULL, 0);
    return 1; /* not writable (identity registers never come here) */
}

/*
 * The blocker count alone, register by register: the 4-bit fields of a
 * register (LOWER, signed LOWER, HOST_ONLY, EXACT; whole nibbles, never in
 * identity or geometry registers) are judged at once with the masks the
 * generator writes per register, one bit per nibble; the rest field by
 * field. A unit test holds it equal to the callback path.
 */
static size_t count_blockers(const armcpu_cpu *cpu, const armcpu_host *host)
{
    size_t blockers = 0;
    uint64_t lanes = 0; /* nibble-mask blockers, as byte counts */
    unsigned off = armcpu_host_groups_off(host);
    const uint64_t *model = armcpu_cpu_reg_values(cpu), *hval, *hmask;
    const armcpu_reg_state *hstate;
    armcpu_host_arrays(host, &hval, &hmask, &hstate);
    /* a byte of `lanes` gains at most 2 per register: with more than 120
     * registers (not today's table) sum it after each one */
    const bool flush_each = armcpu_idregs_count > 120;
    const bool aarch32 = armcpu_cpu_has_aarch32(cpu);
    const uint64_t set_mask = armcpu_cpu_set_mask(cpu); /* registers 0..63 */
    for (size_t ri = 0; ri < armcpu_idregs_count; ri++) {
        uint64_t mv = model[ri], hv = hval[ri], diff = mv ^ hv;
        if (!diff || hstate[ri] != ARMCPU_REG_PRESENT)
            continue; /* same, or unchecked: never blocking */
        const armcpu_reg *r = &armcpu_idregs[ri];
        if (!aarch32 && armcpu_idreg_is_aarch32(r))
            continue; /* host-given: UNKNOWN to a guest without AArch32 */
        uint64_t mask = hmask ? hmask[ri] : 0;
        /* bits outside every field must equal the host's */
        uint64_t outside = diff & ~r->fields_mask;
        if (r->kind == ARMCPU_REG_KIND_IDENTITY) {
            blockers += outside != 0; /* fields: settable or the host's, never blocking */
            continue;
        }
        if (r->kind == ARMCPU_REG_KIND_GEOMETRY &&
            !(ri < 64 ? set_mask >> ri & 1 : armcpu_cpu_reg_set(cpu, ri)))
            continue; /* host-given */
        blockers += outside != 0;
        uint64_t fast = r->lower_nibbles | r->signed_lower_nibbles | r->host_only_nibbles |
                        r->exact_nibbles;
        uint64_t live = off ? ~off_bits(off, r) & NIBBLE_LSB : NIBBLE_LSB;
        uint64_t changed = nibble_any(diff) & live;
        uint64_t lower = changed & (r->lower_nibbles | r->signed_lower_nibbles);
        uint64_t exact = changed & r->exact_nibbles;
        uint64_t blocked = changed & r->host_only_nibbles; /* any difference blocks */
        if (lower | exact) {
            uint64_t writable = nibble_all(mask);
            /* LOWER: not writable, or above the host's (signed where so) */
            uint64_t sflip = r->signed_lower_nibbles & 0x8888888888888888ULL;
            if (lower)
                blocked |= lower & (~writable | nibble_gt(mv ^ sflip, hv ^ sflip));
            /* EXACT: only the host's value or, writable, the safe value */
            if (exact)
                blocked |= exact & (~writable | nibble_any((mv ^ r->exact_safe) &
                                                           r->exact_nibbles));
        }
        /* per-byte partial counts (0..2 per register), summed after the loop */
        lanes += (blocked & 0x0101010101010101ULL) + ((blocked >> 4) & 0x0101010101010101ULL);
        if (flush_each) {
            blockers += lane_sum(lanes);
            lanes = 0;
        }
        uint64_t rest = diff & r->fields_mask & ~fast;
        const armcpu_field *rule = NULL;
        if (r->kind == ARMCPU_REG_KIND_WRITE_RULE && (diff & mask)) {
            /* KVM's whole-register rules judge any write of the register */
            for (size_t i = 0; i < r->n_fields && !rule; i++)
                if (r->fields[i].kvm_rule != ARMCPU_KVM_RULE_NONE &&
                    kvm_refuses(&r->fields[i], field_get(&r->fields[i], mv)))
                    rule = &r->fields[i];
            if (rule && !(diff & field_mask(rule)))
                blockers++;
        }
        for (size_t i = 0; i < r->n_fields && rest; i++) {
            const armcpu_field *f = &r->fields[i];
            uint64_t fm = field_mask(f);
            if (!(rest & fm))
                continue;
            rest &= ~fm;
            blockers += field_blocks(r, f, mv, hv, mask, off, rule);
        }
    }
    return blockers + lane_sum(lanes);
}

/*
 * The verdicts are decided in this order, for a field whose value differs
 * from a present register's: vCPU feature off (UNCHECKED), host-given
 * geometry, KVM write rule (REFUSED), writable (SETTABLE or OVERPROMISE by
 * the safe rule), identity, else NOT_WRITABLE; the AArch32 registers of a
 * spec without AArch32 are HOST_GIVEN. Without a callback only the
 * count matters: count_blockers.
 */
size_t armcpu_check(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                    void *opaque)
{
    if (!fn)
        return count_blockers(cpu, host);
    size_t blockers = 0;
    unsigned off = armcpu_host_groups_off(host);
    const uint64_t *model = armcpu_cpu_reg_values(cpu), *hval, *hmask;
    const armcpu_reg_state *hstate;
    armcpu_host_arrays(host, &hval, &hmask, &hstate);
    const bool aarch32 = armcpu_cpu_has_aarch32(cpu);
    for (size_t ri = 0; ri < armcpu_idregs_count; ri++) {
        const armcpu_reg *r = &armcpu_idregs[ri];
        uint64_t mv = model[ri], hv = hval[ri];
        armcpu_reg_state st = hstate[ri];
        if (st == ARMCPU_REG_PRESENT && mv == hv)
            continue; /* the common case: nothing to look at */
        bool geometry = r->kind == ARMCPU_REG_KIND_GEOMETRY;
        /* a spec without AArch32 leaves the AArch32 registers to the host */
        bool unused32 = !aarch32 && armcpu_idreg_is_aarch32(r);
        if (unused32 && st != ARMCPU_REG_PRESENT)
            continue;
        /* whether the model sets the register matters only for geometry
         * registers and registers the host does not have */
        bool sets = (geometry || st != ARMCPU_REG_PRESENT) && armcpu_cpu_reg_set(cpu, ri);
        bool given = (geometry && !sets) || unused32;
        bool identity = r->kind == ARMCPU_REG_KIND_IDENTITY;
        uint64_t mask = hmask ? hmask[ri] : 0;
        if (st != ARMCPU_REG_PRESENT) {
            if (!sets)
                continue;
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
        char rule_why[160]; /* written only when a rule fires */
        rule_why[0] = 0;
        const armcpu_field *rule = !unused32 && (diff & mask) &&
                                           r->kind == ARMCPU_REG_KIND_WRITE_RULE
                                       ? armcpu_kvm_write_rule(r, mv, rule_why, sizeof rule_why)
                                       : NULL;
        if (rule && !(diff & field_mask(rule))) {
            armcpu_field_check c = {r, rule, ARMCPU_VERDICT_REFUSED, field_get(rule, mv),
                                    field_get(rule, hv), rule_why};
            blockers++;
            fn(&c, opaque);
        }
        uint64_t per_field = diff & r->fields_mask;
        for (size_t i = 0; i < r->n_fields && per_field; i++) {
            const armcpu_field *f = &r->fields[i];
            uint64_t fm = field_mask(f);
            if (!(per_field & fm))
                continue; /* SAME, or counted above */
            armcpu_field_check c = {r, f, ARMCPU_VERDICT_SAME, field_get(f, mv),
                                    field_get(f, hv), ""};
            char reason[256]; /* written by armcpu_field_is_safe when used */
            if (feature_off(off, f)) {
                c.verdict = ARMCPU_VERDICT_UNCHECKED;
                c.reason = "the host was measured with this vCPU feature off; its limit "
                           "is unknown";
            } else if (given) {
                c.verdict = ARMCPU_VERDICT_HOST_GIVEN;
                if (unused32)
                    c.reason = "the spec has no AArch32 (ID_AA64PFR0_EL1.EL0..EL3 below 2), "
                               "so this AArch32 ID register is UNKNOWN to its guest: the vCPU "
                               "keeps the host's";
            } else if (f == rule) {
                c.verdict = ARMCPU_VERDICT_REFUSED;
                c.reason = rule_why;
            } else if ((mask & fm) == fm) {
                /* KVM's set_clidr takes any CLIDR value; elsewhere the rule. */
                if ((geometry && !strcmp(r->name, "CLIDR_EL1")) || identity ||
                    armcpu_field_is_safe(f, c.model_value, c.host_value, reason, sizeof reason))
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
            fn(&c, opaque);
        }
        uint64_t outside = diff & ~r->fields_mask;
        if (outside && !given) {
            char reason[160];
            blockers++;
            snprintf(reason, sizeof reason,
                     "bits 0x%016llx lie outside the table's fields and differ; KVM "
                     "requires them equal to the host's",
                     (unsigned long long)outside);
            armcpu_field_check c = {r, NULL, ARMCPU_VERDICT_NOT_WRITABLE, mv & outside,
                                    hv & outside, reason};
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
