/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fleet layer: every answer armcpu gives about hosts, as structured
 * results a VMM or management stack can use without the CLI (QEMU s390x's
 * cpu_models.c keeps comparison and baseline in the model layer the same
 * way). Every answer comes from the one acceptance judgement (armcpu_judge)
 * on the same facts, so commands agree with armcpu_check.
 *
 *   fleets        host classes: identical snapshots folded, with a count
 *   baseline      the fleet's meet: for every field the greatest value every
 *                 host accepts, named by the model needing fewest overrides
 *   plan          the baseline under every known kernel, each spec checked
 *   target-impls  the CPU implementations a guest may run on, for its errata
 *   diff          two hosts field by field (the two-host meet)
 *   compare       QMP query-cpu-model-comparison
 *   fix           the spec made usable on one host
 *   props-info    the values each property may take on a host
 *   models-info   QMP query-cpu-definitions with unavailable-features
 *
 * Answers say what they know: an answer resting on a field whose host limit
 * is unknown (verdict UNKNOWN or UNCHECKED) is never a plain yes
 * (ARMCPU_ANSWER_UNKNOWN: "usable, N fields unknown").
 *
 * Strings returned as `char *` belong to the caller: free them with
 * armcpu_free(). Result handles are freed with their own _free function.
 */
#ifndef ARMCPU_FLEET_H
#define ARMCPU_FLEET_H

#include <stdio.h>

#include "armcpu/host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The three answers to "can this run (there)?" */
typedef enum armcpu_answer {
    ARMCPU_ANSWER_YES,     /* usable / possible / migratable, all known */
    ARMCPU_ANSWER_UNKNOWN, /* nothing blocks, but N fields are unknown */
    ARMCPU_ANSWER_NO,      /* blocked / impossible */
} armcpu_answer;

/* "usable", "unknown", "blocked" */
ARMCPU_API const char *armcpu_answer_name(armcpu_answer a);
/* The answer of a check: blockers first, then unknown fields. */
ARMCPU_API armcpu_answer armcpu_answer_of(size_t blockers, size_t unknown);

/* ------------------------------------------------------------ fleets */

typedef struct armcpu_fleet armcpu_fleet;

ARMCPU_API armcpu_fleet *armcpu_fleet_new(void);
ARMCPU_API void armcpu_fleet_free(armcpu_fleet *f);
/*
 * Adds `count` hosts with this snapshot (the fleet keeps its own copy). A
 * snapshot identical to a class already there in everything the judgement
 * reads (register states, values and masks, vCPU features, kernel) joins it:
 * the class counts it; its name is the first host's.
 */
ARMCPU_API int armcpu_fleet_add(armcpu_fleet *f, const armcpu_host *h, size_t count, armcpu_error *err);
/* Every "*.json" snapshot file of a directory, in name order. */
ARMCPU_API int armcpu_fleet_add_dir(armcpu_fleet *f, const char *dir, armcpu_error *err);
/*
 * Hosts from text, one per line; blank lines and lines starting with '#'
 * are skipped. A line that starts with '{' is a whole JSON snapshot (JSON
 * Lines); any other line is a host as armcpu_host_open takes it (an
 * embedded name or a snapshot file). `origin` names the input in errors,
 * with the line number.
 */
ARMCPU_API int armcpu_fleet_add_lines(armcpu_fleet *f, const char *text, size_t len, const char *origin,
                           armcpu_error *err);
/* The same read from a stream, line by line (standard input, large files). */
ARMCPU_API int armcpu_fleet_add_stream(armcpu_fleet *f, FILE *fp, const char *origin, armcpu_error *err);
/* A path: a directory (add_dir) or a file of lines (add_lines); "-" is
 * standard input. */
ARMCPU_API int armcpu_fleet_add_path(armcpu_fleet *f, const char *path, armcpu_error *err);

ARMCPU_API size_t armcpu_fleet_host_count(const armcpu_fleet *f);  /* hosts, counted */
ARMCPU_API size_t armcpu_fleet_class_count(const armcpu_fleet *f); /* distinct snapshots */
ARMCPU_API const armcpu_host *armcpu_fleet_class_host(const armcpu_fleet *f, size_t i);
ARMCPU_API size_t armcpu_fleet_class_size(const armcpu_fleet *f, size_t i);
/* A copy of the fleet as if every host ran kernel `version`
 * (armcpu_host_apply_kernel on every class; classes that become identical
 * merge). */
ARMCPU_API armcpu_fleet *armcpu_fleet_with_kernel(const armcpu_fleet *f, const char *version,
                                       armcpu_error *err);

/* ------------------------------------------------------------ baseline */

/*
 * The fleet's meet. For every field, the greatest value (in the order of the
 * kernel's safe rule) that every host class accepts by the judgement; a
 * field no value of which every class accepts is a conflict. Fields a class
 * cannot tell (UNKNOWN, UNCHECKED) are decided by the other classes and
 * counted as unknown. AArch32: the meet of ID_AA64PFR0_EL1.ELx decides
 * whether the spec has AArch32; without it the AArch32 registers are left
 * to the hosts. MIDR/REVIDR/AIDR: the hosts' value where they agree; where
 * they differ, any value where every kernel can write them, else an identity
 * finding (each guest sees its host's; not a conflict). Cache geometry the
 * model does not set stays the hosts' and must agree where some kernel
 * cannot write it.
 *
 * Among the realizable models (or only `base`), the one whose realization
 * needs the fewest overrides to equal the meet names it (ties: the earlier
 * model); the spec is that model plus one override per differing field
 * (aarch32=off where the meet drops AArch32). Fields no class can tell
 * keep the model's value; where that makes KVM write a register whose
 * whole-register rule then refuses a decided field, that is a conflict too.
 * The spec is verified with armcpu_check on every class before it is
 * offered.
 */
typedef struct armcpu_baseline armcpu_baseline;
ARMCPU_API armcpu_baseline *armcpu_fleet_baseline(const armcpu_ctx *ctx, const armcpu_fleet *fleet,
                                       const char *base, armcpu_error *err);
/* The same over an array of hosts (each its own class unless identical). */
ARMCPU_API armcpu_baseline *armcpu_baseline_new(const armcpu_ctx *ctx, const armcpu_host *const *hosts,
                                     size_t n_hosts, const char *base, armcpu_error *err);
ARMCPU_API void armcpu_baseline_free(armcpu_baseline *b);

/* YES: possible, every field known; UNKNOWN: possible, some fields unknown;
 * NO: conflicts. */
ARMCPU_API armcpu_answer armcpu_baseline_answer(const armcpu_baseline *b);
ARMCPU_API bool armcpu_baseline_possible(const armcpu_baseline *b);
/* The spec (NULL when not possible). */
ARMCPU_API const char *armcpu_baseline_spec(const armcpu_baseline *b);
ARMCPU_API const armcpu_model *armcpu_baseline_model(const armcpu_baseline *b);
/* The meet, register by register (the realized spec's value where the spec
 * decides; fields left to the hosts keep the model's). */
ARMCPU_API uint64_t armcpu_baseline_reg_value(const armcpu_baseline *b, const armcpu_reg *reg);
/* Does the meet decide field f (false: host-given, identity difference,
 * conflict, or unknown on every class)? */
ARMCPU_API bool armcpu_baseline_decides(const armcpu_baseline *b, const armcpu_field *f);

ARMCPU_API size_t armcpu_baseline_override_count(const armcpu_baseline *b);
/* Override i, the hosts that need it (the model's own value is refused
 * there) and the first of them (a class index of the fleet). */
ARMCPU_API bool armcpu_baseline_override_at(const armcpu_baseline *b, size_t i, const char **text,
                                 size_t *hosts_needing, size_t *first_class);
ARMCPU_API size_t armcpu_baseline_conflict_count(const armcpu_baseline *b);
/* The field (NULL: bits outside every field) and why: each distinct host
 * value with its class name and whether KVM lets it be written. */
ARMCPU_API const char *armcpu_baseline_conflict_at(const armcpu_baseline *b, size_t i,
                                        const armcpu_field **field);
ARMCPU_API size_t armcpu_baseline_identity_count(const armcpu_baseline *b);
ARMCPU_API const char *armcpu_baseline_identity_at(const armcpu_baseline *b, size_t i);
/* Fields decided with some class unknown, or unknown on every class. */
ARMCPU_API size_t armcpu_baseline_unknown_count(const armcpu_baseline *b);
ARMCPU_API const armcpu_field *armcpu_baseline_unknown_at(const armcpu_baseline *b, size_t i);
/* The vCPU configuration the spec sets (armcpu/config.h): the members'
 * common value of every item whose vCPU feature the spec has, every member
 * records and the members differ in (false otherwise: where they agree the
 * guest gets the same on each). An item some member does not record
 * stays each host's, and makes the answer UNKNOWN: config_unknown_at says
 * which and where ("sve_vls (graviton3-linux-6.12 does not record it)"). */
ARMCPU_API bool armcpu_baseline_config(const armcpu_baseline *b, armcpu_config c, uint64_t *value);
/* The VM limits where the members differ (armcpu_config_vm_limit: the
 * largest IPA size every host takes), stated rather than set. */
ARMCPU_API size_t armcpu_baseline_config_limit_count(const armcpu_baseline *b);
ARMCPU_API const char *armcpu_baseline_config_limit_at(const armcpu_baseline *b, size_t i);
ARMCPU_API size_t armcpu_baseline_config_unknown_count(const armcpu_baseline *b);
ARMCPU_API const char *armcpu_baseline_config_unknown_at(const armcpu_baseline *b, size_t i);
/* The fleet's class names (for override_at's first_class). */
ARMCPU_API const char *armcpu_baseline_class_name(const armcpu_baseline *b, size_t i);
ARMCPU_API size_t armcpu_baseline_host_count(const armcpu_baseline *b);
/* Specs that failed the final check (a defect of armcpu if ever non-zero:
 * their blockers were turned into conflicts instead of being offered). */
ARMCPU_API size_t armcpu_baseline_verification_failures(const armcpu_baseline *b);
ARMCPU_API char *armcpu_baseline_to_json(const armcpu_baseline *b);

/* ------------------------------------------------ target implementations */

/*
 * Errata across a migration domain (Linux 6.15+, host and guest). A guest
 * enables the errata workarounds of the CPU its MIDR_EL1/REVIDR_EL1 name; one
 * that may move between hosts of different implementations can instead be
 * given the list of every implementation it may run on, through two hypercalls
 * of the KVM vendor-hyp service that the VMM answers (KVM forwards them
 * through the SMCCC filter): DISCOVER_IMPL_VER (R1 the version, 1.0; R2 the
 * number of entries) and DISCOVER_IMPL_CPUS(i) (R1/R2/R3 entry i's MIDR_EL1,
 * REVIDR_EL1, AIDR_EL1), enabled by the VMM in KVM_REG_ARM_VENDOR_HYP_BMAP_2;
 * with KVM_CAP_ARM_WRITABLE_IMP_ID_REGS the VMM also writes the same
 * MIDR/REVIDR/AIDR on every host.
 *
 * Returns that list for the fleet as an "armcpu-target-impls" JSON document
 * (docs/json-formats.md): one entry per distinct (MIDR, REVIDR, AIDR) of the
 * host classes, in class order, with the classes that have it and the MIDR
 * decoded; an empty list with the reason where every host agrees; the host
 * classes whose registers the snapshot cannot tell, never dropped silently
 * (the document is then not complete); what the VMM must do. `baseline`
 * (optional, of the same fleet) adds the values every vCPU gets. NULL on
 * error (err says why).
 */
ARMCPU_API char *armcpu_fleet_target_impls(const armcpu_fleet *fleet,
                                           const armcpu_baseline *baseline, armcpu_error *err);

/* ------------------------------------------------------------ plan */

/*
 * The baseline of the fleet under every known kernel table
 * (armcpu_kernel_count), each spec checked on every class under that
 * kernel, then the oldest kernel that makes the fleet migratable.
 */
typedef struct armcpu_plan armcpu_plan;
ARMCPU_API armcpu_plan *armcpu_plan_new(const armcpu_ctx *ctx, const armcpu_fleet *fleet, const char *base,
                             armcpu_error *err);
ARMCPU_API void armcpu_plan_free(armcpu_plan *p);
ARMCPU_API size_t armcpu_plan_kernel_count(const armcpu_plan *p);
ARMCPU_API const char *armcpu_plan_kernel(const armcpu_plan *p, size_t i);
ARMCPU_API bool armcpu_plan_measured(const armcpu_plan *p, size_t i); /* false: derived table */
ARMCPU_API const armcpu_baseline *armcpu_plan_baseline(const armcpu_plan *p, size_t i);
/* Capabilities the VMM must enable for the spec (or "") and notes for it. */
ARMCPU_API const char *armcpu_plan_capabilities(const armcpu_plan *p, size_t i);
ARMCPU_API size_t armcpu_plan_note_count(const armcpu_plan *p, size_t i);
ARMCPU_API const char *armcpu_plan_note_at(const armcpu_plan *p, size_t i, size_t k);
/* Index of the oldest kernel whose answer is not NO, and of the oldest
 * measured one; -1 when none. */
ARMCPU_API long armcpu_plan_oldest(const armcpu_plan *p);
ARMCPU_API long armcpu_plan_oldest_measured(const armcpu_plan *p);
ARMCPU_API armcpu_answer armcpu_plan_answer(const armcpu_plan *p);
ARMCPU_API char *armcpu_plan_to_json(const armcpu_plan *p);

/*
 * A rolling kernel upgrade (plan --from A --to B): every host is taken as
 * kernel A's KVM shows it and as kernel B's (armcpu_host_apply_kernel: views
 * re-derived, masks replaced). The spec is the baseline of both views of
 * every host, so a guest started under A keeps running and can move either
 * way while the hosts upgrade. Per host, a host-passthrough guest started
 * under A (what it saw) is checked against the same host under B: the fields
 * that block or are unknown, with the values before and after.
 */
typedef struct armcpu_upgrade armcpu_upgrade;
ARMCPU_API armcpu_upgrade *armcpu_upgrade_new(const armcpu_ctx *ctx, const armcpu_fleet *fleet,
                                              const char *from, const char *to, const char *base,
                                              armcpu_error *err);
ARMCPU_API void armcpu_upgrade_free(armcpu_upgrade *u);
ARMCPU_API const char *armcpu_upgrade_from(const armcpu_upgrade *u);
ARMCPU_API const char *armcpu_upgrade_to(const armcpu_upgrade *u);
ARMCPU_API const armcpu_baseline *armcpu_upgrade_baseline(const armcpu_upgrade *u);
ARMCPU_API armcpu_answer armcpu_upgrade_answer(const armcpu_upgrade *u); /* the spec's */
ARMCPU_API size_t armcpu_upgrade_host_count(const armcpu_upgrade *u);
ARMCPU_API const char *armcpu_upgrade_host_name(const armcpu_upgrade *u, size_t i);
ARMCPU_API armcpu_answer armcpu_upgrade_passthrough(const armcpu_upgrade *u, size_t i);
ARMCPU_API size_t armcpu_upgrade_field_count(const armcpu_upgrade *u, size_t i);
ARMCPU_API bool armcpu_upgrade_field_at(const armcpu_upgrade *u, size_t i, size_t k,
                                        const armcpu_field **field, uint64_t *before,
                                        uint64_t *after, armcpu_verdict *verdict,
                                        const char **reason);
/* Entry k of host i is a vCPU configuration item (field NULL; before and
 * after in its terms): the item, else -1. The passthrough guest carries
 * the configuration its host recorded under A (its saved firmware
 * registers and vector lengths), judged against the host under B. */
ARMCPU_API int armcpu_upgrade_config_at(const armcpu_upgrade *u, size_t i, size_t k);
ARMCPU_API char *armcpu_upgrade_to_json(const armcpu_upgrade *u);

/* ------------------------------------------------------------ diff */

typedef enum armcpu_diff_kind {
    ARMCPU_DIFF_COMMON,      /* fixable: a value both accept (the meet) */
    ARMCPU_DIFF_AARCH32_OFF, /* fixable by aarch32=off (only one host has
                                AArch32; the registers stay each host's) */
    ARMCPU_DIFF_IDENTITY,    /* MIDR/REVIDR/AIDR: each guest sees its host's */
    ARMCPU_DIFF_CONFLICT,    /* not fixable: baseline's conflict */
    ARMCPU_DIFF_UNKNOWN,     /* one host cannot tell its limit */
} armcpu_diff_kind;

typedef struct armcpu_diff armcpu_diff;
/* The fields whose values differ between two hosts, each with what the
 * two-host meet makes of it: the not-fixable ones are exactly the
 * conflicts armcpu_baseline_new reports for the pair, but for those a
 * baseline's model causes itself (a KVM whole-register rule refusing the
 * register its values for fields no host decides make it write; the
 * AArch32 registers when neither host tells ID_AA64PFR0_EL1, where diff
 * leaves them to the hosts and a model with AArch32 judges them). */
ARMCPU_API armcpu_diff *armcpu_diff_new(const armcpu_ctx *ctx, const armcpu_host *a, const armcpu_host *b,
                             armcpu_error *err);
ARMCPU_API void armcpu_diff_free(armcpu_diff *d);
ARMCPU_API size_t armcpu_diff_count(const armcpu_diff *d);
/* Field i (NULL: bits outside every field), both values, the kind, the
 * common value (COMMON) and the reason (CONFLICT, UNKNOWN). */
ARMCPU_API bool armcpu_diff_at(const armcpu_diff *d, size_t i, const armcpu_field **field, uint64_t *a,
                    uint64_t *b, armcpu_diff_kind *kind, uint64_t *common, const char **why);
ARMCPU_API const char *armcpu_diff_kind_name(armcpu_diff_kind k);
/* Entry i is a vCPU configuration item (field NULL; values, common and why
 * in its terms: armcpu_config_format): the item, else -1. */
ARMCPU_API int armcpu_diff_config_at(const armcpu_diff *d, size_t i);
ARMCPU_API char *armcpu_diff_to_json(const armcpu_diff *d);

/* ------------------------------------------------------------ compare */

typedef enum armcpu_comparison_result {
    ARMCPU_CMP_IDENTICAL,
    ARMCPU_CMP_SUPERSET, /* A covers B: every field of B is safe where A is the limit */
    ARMCPU_CMP_SUBSET,
    ARMCPU_CMP_INCOMPATIBLE,
} armcpu_comparison_result;

/*
 * QMP query-cpu-model-comparison of two sides, each a realized spec or a
 * host (cpu from armcpu_realize_on_host "host" and the host itself). Only
 * checkable differences count: not MIDR/REVIDR/AIDR (they name a CPU), not
 * registers a side leaves to the host (cache geometry a spec does not set,
 * AArch32 registers unless both have AArch32), and not fields a host side
 * cannot tell (armcpu_judge of the other side's value says UNKNOWN or
 * UNCHECKED). Superset/subset follow the kernel's safe rule field by field;
 * whether KVM can write a value on a host is armcpu_check's question.
 */
typedef struct armcpu_comparison armcpu_comparison;
ARMCPU_API armcpu_comparison *armcpu_compare(const armcpu_ctx *ctx, const armcpu_cpu *a,
                                  const armcpu_host *host_a, const armcpu_cpu *b,
                                  const armcpu_host *host_b, armcpu_error *err);
ARMCPU_API void armcpu_comparison_free(armcpu_comparison *c);
ARMCPU_API armcpu_comparison_result armcpu_comparison_result_of(const armcpu_comparison *c);
ARMCPU_API const char *armcpu_comparison_result_name(armcpu_comparison_result r);
/* The differing fields and their property names (responsible-properties:
 * each name once, in table order). */
ARMCPU_API size_t armcpu_comparison_field_count(const armcpu_comparison *c);
ARMCPU_API const armcpu_field *armcpu_comparison_field_at(const armcpu_comparison *c, size_t i);
ARMCPU_API size_t armcpu_comparison_property_count(const armcpu_comparison *c);
ARMCPU_API const char *armcpu_comparison_property_at(const armcpu_comparison *c, size_t i);
ARMCPU_API char *armcpu_comparison_to_json(const armcpu_comparison *c);

/* ------------------------------------------------------------ fix */

/*
 * The spec made usable on a host: every blocked field gets the greatest
 * value the host accepts that the spec's value covers (the host's own where
 * nothing else is accepted), with aarch32=off where that drops AArch32; in
 * rounds, until armcpu_check finds no blocker. Unfixable: blockers no
 * property reaches (bits outside every field).
 */
typedef struct armcpu_fix armcpu_fix;
ARMCPU_API armcpu_fix *armcpu_fix_new(const armcpu_ctx *ctx, const char *spec, const armcpu_host *host,
                           armcpu_error *err);
ARMCPU_API void armcpu_fix_free(armcpu_fix *x);
/* YES / UNKNOWN (fixed, some fields unknown) / NO (unfixable) */
ARMCPU_API armcpu_answer armcpu_fix_answer(const armcpu_fix *x);
ARMCPU_API const char *armcpu_fix_spec(const armcpu_fix *x); /* NULL when unfixable */
ARMCPU_API size_t armcpu_fix_override_count(const armcpu_fix *x);
ARMCPU_API const char *armcpu_fix_override_at(const armcpu_fix *x, size_t i);
ARMCPU_API size_t armcpu_fix_unknown_count(const armcpu_fix *x);
ARMCPU_API size_t armcpu_fix_unfixable_count(const armcpu_fix *x);
ARMCPU_API const char *armcpu_fix_unfixable_at(const armcpu_fix *x, size_t i);
ARMCPU_API char *armcpu_fix_to_json(const armcpu_fix *x);

/* ------------------------------------------------------------ props-info */

/*
 * For every property that names one field (not composites; fractional
 * properties by their two fields), the values a spec may give it on this
 * host: those armcpu_judge calls SAME or SETTABLE for the field alone on
 * the host's register. A field whose host limit is unknown lists nothing
 * and says so.
 */
typedef struct armcpu_props_info armcpu_props_info;
ARMCPU_API armcpu_props_info *armcpu_props_info_new(const armcpu_ctx *ctx, const armcpu_host *host,
                                         armcpu_error *err);
ARMCPU_API void armcpu_props_info_free(armcpu_props_info *p);
ARMCPU_API size_t armcpu_props_info_count(const armcpu_props_info *p);
ARMCPU_API const armcpu_prop *armcpu_props_info_prop(const armcpu_props_info *p, size_t i);
ARMCPU_API bool armcpu_props_info_writable(const armcpu_props_info *p, size_t i);
/* false: the host cannot tell (no value, or its vCPU feature was off) */
ARMCPU_API bool armcpu_props_info_known(const armcpu_props_info *p, size_t i);
/* Supported values: named values as their names, numbers as 0x.., wide
 * fields as ranges "0xA-0xB". */
ARMCPU_API size_t armcpu_props_info_value_count(const armcpu_props_info *p, size_t i);
ARMCPU_API const char *armcpu_props_info_value_at(const armcpu_props_info *p, size_t i, size_t k);
/* Does the host accept value v (field value) for property i's first field? */
ARMCPU_API bool armcpu_props_info_accepts(const armcpu_props_info *p, size_t i, uint64_t v);
ARMCPU_API char *armcpu_props_info_to_json(const armcpu_props_info *p);

/* ------------------------------------------------------------ models-info */

/*
 * QMP query-cpu-definitions on a host: every realizable model with the
 * properties that block it (unavailable-features: the properties of
 * armcpu_check's blocking verdicts, each once) and how many fields are
 * unknown.
 */
typedef struct armcpu_models_info armcpu_models_info;
ARMCPU_API armcpu_models_info *armcpu_models_info_new(const armcpu_ctx *ctx, const armcpu_host *host,
                                           armcpu_error *err);
ARMCPU_API void armcpu_models_info_free(armcpu_models_info *m);
ARMCPU_API size_t armcpu_models_info_count(const armcpu_models_info *m);
ARMCPU_API const armcpu_model *armcpu_models_info_model(const armcpu_models_info *m, size_t i);
ARMCPU_API armcpu_answer armcpu_models_info_answer(const armcpu_models_info *m, size_t i);
ARMCPU_API size_t armcpu_models_info_unknown(const armcpu_models_info *m, size_t i);
ARMCPU_API size_t armcpu_models_info_blocker_count(const armcpu_models_info *m, size_t i);
ARMCPU_API const char *armcpu_models_info_blocker_at(const armcpu_models_info *m, size_t i, size_t k);
/* query-cpu-definitions: "unavailable-features" is absent for a model whose
 * answer is UNKNOWN (QMP: runnability information is not available). */
ARMCPU_API char *armcpu_models_info_to_json(const armcpu_models_info *m);
/* libvirt domain capabilities <cpu>: usable='yes|no|unknown' and
 * <blockers> (upstream libvirt's schema). */
ARMCPU_API char *armcpu_models_info_to_domcaps(const armcpu_models_info *m);

#ifdef __cplusplus
}
#endif
#endif
