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
    uint64_t safe_value;
    uint64_t default_value;
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

#endif
