/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal layout of the generated ID-register table (idregs.gen.c). */
#ifndef ARMCPU_SRC_REGS_IDREGS_H
#define ARMCPU_SRC_REGS_IDREGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "armcpu/armcpu.h"

struct armcpu_value_name {
    uint64_t value;
    const char *name; /* sysreg enum name, e.g. "PMULL" */
    const char *feat; /* Arm ARM feature, e.g. "FEAT_PMULL", or NULL */
    bool feat_sint;   /* Arm's condition compares signed: SInt(F) >= value */
    const char *feat_guard; /* when the mapping applies, e.g. "(FEAT_AA64EL1 && FEAT_MTE2)" */
};

struct armcpu_field {
    const char *name;
    uint16_t reg_index;
    uint8_t lsb;
    uint8_t width;
    bool is_signed;
    armcpu_policy policy;       /* cpufeature.c's (Linux 6.12) */
    armcpu_policy kvm_policy;   /* what KVM applies from kvm_policy_since on: its
                                   own (extra file KvmPolicy) or, for a field 6.12's
                                   cpufeature.c lacks, a later one's (--policy-at) */
    uint32_t kvm_policy_since;  /* kernel key (6007 = 6.7); 0: every kernel */
    unsigned kvm_rule;          /* ARMCPU_KVM_RULE_*: values KVM refuses outright */
    uint32_t kvm_rule_since;    /* kernel key of the rule's first release */
    const char *kvm_rule_handler; /* KVM's set handler that applies it */
    uint8_t kvm_rule_partner;   /* zero-needs-host-bit: field index that must be 0
                                   too (0xff: none) */
    uint8_t kvm_rule_host_field; /* zero-needs-host-bit: field index in the
                                    register's rule_host_reg */
    uint64_t safe_value;
    uint64_t default_value;
    unsigned groups; /* ARMCPU_GROUP_* bits */
    const struct armcpu_value_name *values;
    uint16_t n_values;
    bool untrapped; /* `Untrapped`: the guest reads the hardware's value
                       unless KVM traps the register; kvm_rule_host_field in
                       the register's rule_host_reg decides (FEAT_EVT) */
};

struct armcpu_reg {
    const char *name;
    uint8_t op0, op1, crn, crm, op2;
    const struct armcpu_field *fields;
    uint16_t n_fields;
    uint64_t res0_mask;
    uint64_t res1_mask;
    uint64_t fields_mask;               /* every field's bits */
    uint64_t group_mask[4];             /* bits of each ARMCPU_GROUP_* */
    /* 4-bit aligned fields judged by the plain rule on every kernel (not
     * in identity or geometry registers, no KVM policy or write rule of
     * their own), by policy: the checks judge them nibble-parallel */
    uint64_t lower_nibbles;             /* unsigned LOWER */
    uint64_t signed_lower_nibbles;      /* signed LOWER */
    uint64_t host_only_nibbles;         /* HOST_ONLY */
    uint64_t exact_nibbles;             /* EXACT */
    uint64_t exact_safe;                /* their safe values, in place */
    unsigned kind;                      /* ARMCPU_REG_KIND_* */
    unsigned flags;                     /* ARMCPU_REGF_* */
    uint16_t rule_host_reg;             /* the host register its write rules
                                           read (0xffff: none) */
    uint64_t rule_fields;               /* bit i: fields[i] has a write rule */
    uint64_t default_value;             /* every field at its default, RES1 set */
    uint8_t bit_field[64];              /* each bit's index in fields (0xff: none) */
    uint64_t off_mask[8];               /* bits of the groups in each combination
                                           of ARMCPU_VCPU_* (SVE, PTRAUTH, PMU) */
};

/* Write rules (extra file `WriteRule`). */
enum {
    ARMCPU_KVM_RULE_NONE,
    ARMCPU_KVM_RULE_BELOW_ARMV8,   /* below Armv8 (0x6) refused */
    ARMCPU_KVM_RULE_PMUV3_OR_NONE, /* 0x1..0x2 refused, 0xf rewritten to 0 */
    ARMCPU_KVM_RULE_IMPDEF_DROPPED, /* 0xf rewritten to 0 */
    ARMCPU_KVM_RULE_ZERO_NEEDS_HOST_BIT, /* 0 (and the partner 0) refused where the
                                            host's rule_host field is 0 */
};

/* Register kinds and flags (extra file `Register`, Group aarch32). */
enum {
    ARMCPU_REG_KIND_FEATURE,  /* an ordinary feature ID register */
    ARMCPU_REG_KIND_IDENTITY, /* `identity`: MIDR_EL1, REVIDR_EL1, AIDR_EL1 */
    ARMCPU_REG_KIND_GEOMETRY, /* `geometry`: CLIDR_EL1, CCSIDR_EL1, CCSIDR2_EL1 */
};
enum {
    ARMCPU_REGF_WRITE_RULE = 1, /* some field has a write rule */
    ARMCPU_REGF_ANY_VALUE = 2,  /* `any-value`: KVM takes any value where writable */
    ARMCPU_REGF_CORE = 4,       /* `core`: every KVM exposes it */
    ARMCPU_REGF_AARCH32 = 8,    /* an AArch32 ID register (Group aarch32) */
    ARMCPU_REGF_UNTRAPPED = 16, /* a field the guest may read from the CPU (`Untrapped`) */
};

/* Field groups (tools/gen-idregs/extra-idregs.txt `Group`): the fields a
 * KVM vCPU feature controls, and the composite properties. */
enum {
    ARMCPU_GROUP_SVE = 0,
    ARMCPU_GROUP_PAUTH = 1,
    ARMCPU_GROUP_PMU = 2,
    ARMCPU_GROUP_AARCH32 = 3,
};

/* Arm AARCHMRS feature rows, verbatim: expressions over FEAT_ names and
 * architecture versions (vXApY); `requires` clauses are separated by " ; ",
 * `mandatory_if` alternatives by " | ". */
struct armcpu_feat_dep {
    const char *name;
    bool is_arch; /* an architecture version row (v8Ap4), not a feature */
    const char *optional_from;
    const char *mandatory_if;
    const char *requires_;
};
extern const struct armcpu_feat_dep armcpu_feat_deps[];
extern const size_t armcpu_feat_deps_count;

extern const struct armcpu_reg armcpu_idregs[];
extern const size_t armcpu_idregs_count;
/* Every field, register by register (armcpu_reg.fields points into it):
 * a field's index here is its flat index. */
extern const struct armcpu_field armcpu_idregs_fields[];
extern const size_t armcpu_idregs_fields_count;

static inline size_t armcpu_field_flat_index(const struct armcpu_field *f)
{
    return (size_t)(f - armcpu_idregs_fields);
}

/* A field's bits, value and replacement, inline for the hot loops (the
 * public armcpu_field_get/_set check their arguments). */
static inline uint64_t armcpu_width_mask(unsigned width)
{
    return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}
static inline uint64_t armcpu_fmask(const struct armcpu_field *f)
{
    return armcpu_width_mask(f->width) << f->lsb;
}
static inline uint64_t armcpu_fget(const struct armcpu_field *f, uint64_t reg)
{
    return (reg >> f->lsb) & armcpu_width_mask(f->width);
}
static inline uint64_t armcpu_fwith(const struct armcpu_field *f, uint64_t reg, uint64_t v)
{
    uint64_t m = armcpu_fmask(f);
    return (reg & ~m) | ((v << f->lsb) & m);
}

/* The kernel's safe rule for one field under policy p (the policy of the
 * host's kernel: armcpu_field_policy_for). */
bool armcpu_safe_rule(const armcpu_field *f, armcpu_policy p, uint64_t value, uint64_t host,
                      char *reason, size_t reason_size);

/* The write rules that look at the field's value alone (below-armv8,
 * pmuv3-or-none, impdef-dropped), in force under `kernel` (0: newest): the
 * one definition, inline for the checks' loop. */
static inline bool armcpu_rule_value_refuses(const struct armcpu_field *f, uint64_t v,
                                             unsigned kernel)
{
    if (kernel && f->kvm_rule_since > kernel)
        return false;
    switch (f->kvm_rule) {
    case ARMCPU_KVM_RULE_BELOW_ARMV8:
        return v < 6;
    case ARMCPU_KVM_RULE_PMUV3_OR_NONE:
        return v != 0 && (v < 3 || v == 0xf); /* 1..2 refused, 0xf rewritten to 0 */
    case ARMCPU_KVM_RULE_IMPDEF_DROPPED:
        return v == 0xf;
    }
    return false;
}

/* Does f's write rule (if any, in force under `kernel`) refuse value v?
 * The reason, when wanted, names KVM's handler. */
bool armcpu_rule_refuses(const armcpu_field *f, uint64_t v, unsigned kernel, char *why,
                         size_t size);

/* The write-rule part of armcpu_judge for a written register, inline for
 * the checks' count-only loop: SAME (no rule fires), REFUSED or UNKNOWN. */
armcpu_verdict armcpu_judge_rule(const armcpu_field *f, uint64_t spec_reg,
                                 const armcpu_reg_view *h, char *reason, size_t size);

/* armcpu_reg_is_aarch32, inline for the checks' hot loop. */
static inline bool armcpu_idreg_is_aarch32(const struct armcpu_reg *r)
{
    return (r->flags & ARMCPU_REGF_AARCH32) != 0;
}

#endif
