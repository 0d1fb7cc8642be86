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
    armcpu_policy policy;
    armcpu_policy kvm_policy; /* what KVM applies (PMUVer, DebugVer, PerfMon: LOWER) */
    unsigned kvm_rule;        /* ARMCPU_KVM_RULE_*: values KVM refuses outright */
    uint64_t safe_value;
    uint64_t default_value;
    unsigned groups; /* ARMCPU_GROUP_* bits */
    const struct armcpu_value_name *values;
    uint16_t n_values;
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
    /* 4-bit aligned fields of feature registers without a KVM-specific
     * rule, by policy (the checks judge them nibble-parallel): */
    uint64_t lower_nibbles;             /* unsigned LOWER */
    uint64_t signed_lower_nibbles;      /* signed LOWER */
    uint64_t host_only_nibbles;         /* HOST_ONLY */
    uint64_t exact_nibbles;             /* EXACT */
    uint64_t exact_safe;                /* their safe values, in place */
    unsigned kind;                      /* ARMCPU_REG_KIND_* */
};

enum {
    ARMCPU_KVM_RULE_NONE,
    ARMCPU_KVM_RULE_ARMV8_DEBUG,   /* below Armv8 (0x6) refused */
    ARMCPU_KVM_RULE_PMUV3_OR_NONE, /* 0x1..0x2 refused (0: none, 0xf: IMPDEF) */
};

enum {
    ARMCPU_REG_KIND_FEATURE,    /* an ordinary feature ID register */
    ARMCPU_REG_KIND_IDENTITY,   /* MIDR_EL1, REVIDR_EL1, AIDR_EL1 */
    ARMCPU_REG_KIND_GEOMETRY,   /* CLIDR_EL1, CCSIDR_EL1, CCSIDR2_EL1 */
    ARMCPU_REG_KIND_WRITE_RULE, /* ID_DFR0_EL1, ID_AA64DFR0_EL1: KVM write rules */
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

/* armcpu_reg_is_aarch32, inline for the checks' hot loop: op0 3, op1 0,
 * CRn 0, CRm 1..3 (ID_PFR0_EL1 .. ID_MMFR5_EL1, MVFR0-2_EL1). */
static inline bool armcpu_idreg_is_aarch32(const struct armcpu_reg *r)
{
    return r->op0 == 3 && r->op1 == 0 && r->crn == 0 && r->crm >= 1 && r->crm <= 3;
}

#endif
