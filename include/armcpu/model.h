/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Layers 2 and 3: properties on top of the field table, named versioned
 * models, and host-independent realization of a model spec
 * ("grace-v1,feat_AES=aes,sve=off").
 *
 * Everything hangs off an armcpu_ctx: it owns the property table and the
 * models (embedded at build time, plus any loaded with
 * armcpu_ctx_load_model_file). A ctx is immutable between loads, so it can be
 * shared by threads that only read it. There is no global mutable state.
 */
#ifndef ARMCPU_MODEL_H
#define ARMCPU_MODEL_H

#include "armcpu/armcpu.h"
#include "armcpu/config.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct armcpu_ctx armcpu_ctx;
typedef struct armcpu_prop armcpu_prop;
typedef struct armcpu_model armcpu_model;
typedef struct armcpu_cpu armcpu_cpu;

ARMCPU_API armcpu_ctx *armcpu_ctx_new(armcpu_error *err);
/* The property table without the built-in models (for embedders that ship
 * their own model files, and for tests). */
ARMCPU_API armcpu_ctx *armcpu_ctx_new_empty(armcpu_error *err);
ARMCPU_API void armcpu_ctx_free(armcpu_ctx *ctx);
/* Adds the models of a model file (docs/model-format.md). All or nothing. */
ARMCPU_API int armcpu_ctx_load_model_file(armcpu_ctx *ctx, const char *path,
                               armcpu_error *err);
ARMCPU_API int armcpu_ctx_load_model_text(armcpu_ctx *ctx, const char *origin,
                               const char *text, size_t len, armcpu_error *err);

/* ------------------------------------------------------------ properties */

typedef enum armcpu_prop_kind {
    ARMCPU_PROP_SYSREG,     /* SYSREG_<REG>_<FIELD>: raw number           */
    ARMCPU_PROP_FEAT,       /* feat_<Field>: architectural feature level  */
    ARMCPU_PROP_HW,         /* hw_prop_<Field>: implementation-defined    */
    ARMCPU_PROP_FRACTIONAL, /* feat_CSV2=1.1: base + fraction fields      */
    ARMCPU_PROP_COMPOSITE,  /* sve, pauth, pmu, aarch32: on/off groups    */
    ARMCPU_PROP_ID,         /* cpu_partnum, revidr, el1_mode, ...         */
    ARMCPU_PROP_CONFIG,     /* sve128.., pmu_counters, psci_version, ...:
                               the vCPU configuration (armcpu/config.h),
                               no field                                   */
} armcpu_prop_kind;

typedef enum armcpu_prop_type {
    ARMCPU_PROP_TYPE_STRING,  /* one of named values (or its number)  */
    ARMCPU_PROP_TYPE_BOOLEAN, /* on / off (or 1 / 0)                  */
    ARMCPU_PROP_TYPE_NUMERIC, /* a number that fits the field         */
    ARMCPU_PROP_TYPE_FRACTION /* "X" or "X.Y"                         */
} armcpu_prop_type;

ARMCPU_API size_t armcpu_prop_count(const armcpu_ctx *ctx);
ARMCPU_API const armcpu_prop *armcpu_prop_at(const armcpu_ctx *ctx, size_t i);
ARMCPU_API const armcpu_prop *armcpu_prop_lookup(const armcpu_ctx *ctx, const char *name,
                                      armcpu_error *err);
ARMCPU_API const char *armcpu_prop_name(const armcpu_prop *p);
ARMCPU_API armcpu_prop_kind armcpu_prop_kind_of(const armcpu_prop *p);
ARMCPU_API const char *armcpu_prop_kind_name(armcpu_prop_kind k);
ARMCPU_API armcpu_prop_type armcpu_prop_type_of(const armcpu_prop *p);
ARMCPU_API const char *armcpu_prop_type_name(armcpu_prop_type t);
ARMCPU_API const char *armcpu_prop_description(const armcpu_prop *p);
ARMCPU_API size_t armcpu_prop_field_count(const armcpu_prop *p);
ARMCPU_API const armcpu_field *armcpu_prop_field_at(const armcpu_prop *p, size_t i);
/* Named values (STRING and BOOLEAN): spelling and the number it stands for
 * (fractional: base in the high 32 bits, fraction in the low). */
ARMCPU_API size_t armcpu_prop_value_count(const armcpu_prop *p);
ARMCPU_API bool armcpu_prop_value_at(const armcpu_prop *p, size_t i, const char **name,
                          uint64_t *value);
/* Human-readable list of what the property accepts. */
ARMCPU_API void armcpu_prop_allowed(const armcpu_prop *p, char *buf, size_t size);

/* ------------------------------------------------------------ models */

ARMCPU_API size_t armcpu_model_count(const armcpu_ctx *ctx);
ARMCPU_API const armcpu_model *armcpu_model_at(const armcpu_ctx *ctx, size_t i);
/* Versioned name ("grace-v1") or alias ("grace": newest version). */
ARMCPU_API const armcpu_model *armcpu_model_lookup(const armcpu_ctx *ctx,
                                        const char *name, armcpu_error *err);
/* The same, an alias resolved for a kernel release ("6.12.117+deb13-arm64",
 * "7.3"; NULL or unparsable: the newest version): the newest version whose
 * `kernels` range holds it, else the newest. A versioned name is itself. */
ARMCPU_API const armcpu_model *armcpu_model_lookup_for_kernel(const armcpu_ctx *ctx,
                                                   const char *name, const char *kernel,
                                                   armcpu_error *err);
/* `kernels` as written ("6.15-", "6.12-6.14"), or NULL: made for every kernel. */
ARMCPU_API const char *armcpu_model_kernels(const armcpu_model *m);
/* Does the version's `kernels` range hold this armcpu_kernel_key (0: yes)? */
ARMCPU_API bool armcpu_model_serves_kernel(const armcpu_model *m, unsigned kernel);
/* `namesakes`: the embedded host snapshots' base names the model is named
 * after (space-separated: "graviton3 qemu10-neoverse-v1"), or NULL. */
ARMCPU_API const char *armcpu_model_namesakes(const armcpu_model *m);
ARMCPU_API const char *armcpu_model_name(const armcpu_model *m);      /* grace-v1 */
ARMCPU_API const char *armcpu_model_base_name(const armcpu_model *m); /* grace    */
ARMCPU_API unsigned armcpu_model_version(const armcpu_model *m);
ARMCPU_API const armcpu_model *armcpu_model_parent(const armcpu_model *m);
ARMCPU_API bool armcpu_model_realizable(const armcpu_model *m);
ARMCPU_API const char *armcpu_model_description(const armcpu_model *m);
ARMCPU_API const char *armcpu_model_origin(const armcpu_model *m); /* file it came from */
/* True when the unversioned alias resolves to this model. */
ARMCPU_API bool armcpu_model_is_newest(const armcpu_ctx *ctx, const armcpu_model *m);
ARMCPU_API size_t armcpu_model_setting_count(const armcpu_model *m);
/* Setting i as written: target ("ID_AA64ISAR0_EL1", "REG.FIELD" or a
 * property name), value text, and source. */
ARMCPU_API bool armcpu_model_setting_at(const armcpu_model *m, size_t i,
                             const char **target, const char **value,
                             const char **source);

/* Declared deviations (`deviation FEAT_X reason` in the model file). */
ARMCPU_API size_t armcpu_model_deviation_count(const armcpu_model *m);
ARMCPU_API bool armcpu_model_deviation_at(const armcpu_model *m, size_t i,
                               const char **feat, const char **reason);

/* ------------------------------------------------------------ realization */

/*
 * Realizes "MODEL[,prop=value...]" from a clean slate of table defaults:
 * parent chain from the root, the model, then field properties, then
 * composites (which win, with a warning when they override a field
 * property). The result does not depend on the order properties are written.
 * Abstract models are refused unless allow_abstract.
 */
ARMCPU_API armcpu_cpu *armcpu_realize(const armcpu_ctx *ctx, const char *spec,
                           bool allow_abstract, armcpu_error *err);
ARMCPU_API void armcpu_cpu_free(armcpu_cpu *cpu);
/* The model realized, or NULL for a spec "host,..." (armcpu_realize_on_host). */
ARMCPU_API const armcpu_model *armcpu_cpu_model(const armcpu_cpu *cpu);
/* Versioned model name, or "host". */
ARMCPU_API const char *armcpu_cpu_name(const armcpu_cpu *cpu);
ARMCPU_API uint64_t armcpu_cpu_reg_value(const armcpu_cpu *cpu, const armcpu_reg *reg);
/*
 * Does the spec implement AArch32 at some Exception level
 * (ID_AA64PFR0_EL1.EL0..EL3 == 2)? Without it, the AArch32 ID registers are
 * UNKNOWN to its guest (Arm ARM, "When FEAT_AA32 is implemented"; KVM makes
 * them RAZ/WI where the host has no AArch32 EL0), so checks, KVM writeback
 * and baselines leave them to the host (verdict HOST_GIVEN).
 */
ARMCPU_API bool armcpu_cpu_has_aarch32(const armcpu_cpu *cpu);
/* The KVM vCPU features (ARMCPU_VCPU_SVE, _PMU, _PTRAUTH) the realized
 * values need: create the vCPU with exactly these (KVM_ARM_VCPU_INIT), since
 * KVM shows a feature's fields only with it and lets none be written to 0
 * (sve=off on an SVE host means a vCPU without KVM_ARM_VCPU_SVE). Checks
 * judge the spec against the host's view for this configuration. */
ARMCPU_API unsigned armcpu_cpu_vcpu_features(const armcpu_cpu *cpu);
/* The vCPU configuration item the spec sets (its property: sve128..,
 * pmu_counters, ...), in *value; false when it leaves it to the host. */
ARMCPU_API bool armcpu_cpu_config(const armcpu_cpu *cpu, armcpu_config c, uint64_t *value);
/* Where the field's value came from: "default", "model grace-v1: <source>",
 * or "property feat_AES=aes". */
ARMCPU_API const char *armcpu_cpu_field_source(const armcpu_cpu *cpu,
                                    const armcpu_field *f);
ARMCPU_API size_t armcpu_cpu_warning_count(const armcpu_cpu *cpu);
ARMCPU_API const char *armcpu_cpu_warning_at(const armcpu_cpu *cpu, size_t i);
/* The property's current value in the spelling the property accepts. */
ARMCPU_API void armcpu_cpu_prop_value(const armcpu_cpu *cpu, const armcpu_prop *p,
                           char *buf, size_t size);
/* The user's properties as given, canonical order (for static expansion). */
ARMCPU_API size_t armcpu_cpu_user_prop_count(const armcpu_cpu *cpu);
ARMCPU_API bool armcpu_cpu_user_prop_at(const armcpu_cpu *cpu, size_t i,
                             const char **name, const char **value);

/*
 * Calls fn for every Arm FEAT_ name the realized registers implement, in
 * table order. The mapping is Arm's (AARCHMRS Features.json): FEAT_X is
 * implemented when its field holds at least the value that names it
 * (signed compare for signed fields; PMUVer/PerfMon 0xf, IMPLEMENTATION
 * DEFINED, implements none).
 */
typedef void (*armcpu_feature_fn)(const char *feat, const armcpu_field *f,
                                  uint64_t min_value, void *opaque);
ARMCPU_API void armcpu_cpu_for_each_feature(const armcpu_cpu *cpu, armcpu_feature_fn fn,
                                 void *opaque);

/*
 * Architecture consistency from Arm's AARCHMRS data: every implemented
 * FEAT's `requires` clauses hold; and when the model descends from an
 * arm-vX_Y-a model, every FEAT mandatory at vX.Y is implemented (unless the
 * model declares a `deviation`). Calls fn for each finding; returns the
 * number of errors and warnings. ERROR: the model itself breaks the rule;
 * WARNING: the user's properties do; UNDECIDABLE: the ID registers cannot
 * tell (e.g. FEAT_PAuth); DEVIATION: declared by the model with a source.
 */
typedef enum armcpu_lint_kind {
    ARMCPU_LINT_ERROR,
    ARMCPU_LINT_WARNING,
    ARMCPU_LINT_UNDECIDABLE,
    ARMCPU_LINT_DEVIATION,
} armcpu_lint_kind;
typedef void (*armcpu_lint_fn)(armcpu_lint_kind kind, const char *message,
                               void *opaque);
ARMCPU_API size_t armcpu_cpu_lint(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                       armcpu_lint_fn fn, void *opaque);
ARMCPU_API const char *armcpu_lint_kind_name(armcpu_lint_kind k);

#ifdef __cplusplus
}
#endif
#endif
