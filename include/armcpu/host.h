/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hosts: what a KVM guest on one host can be given (docs/host-format.md),
 * and the checks of a realized spec against a host: per-field verdicts,
 * fixes, comparison and fleet baselines.
 */
#ifndef ARMCPU_HOST_H
#define ARMCPU_HOST_H

#include "armcpu/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct armcpu_host armcpu_host;

/* Loads and checks a snapshot; errors name the file, the key and why. */
ARMCPU_API armcpu_host *armcpu_host_load_file(const char *path, armcpu_error *err);
ARMCPU_API armcpu_host *armcpu_host_load_json(const char *text, size_t len,
                                   const char *origin, armcpu_error *err);
/*
 * A host argument as the CLI takes it: an embedded snapshot name
 * (armcpu_host_embedded_name), a file path, or "local" (live probe; fails
 * with ARMCPU_ERR_ENV where /dev/kvm is missing).
 */
ARMCPU_API armcpu_host *armcpu_host_open(const char *arg, armcpu_error *err);
/* The embedded snapshots of BASE ("graviton3") as KERNEL's KVM shows them:
 * BASE-linux-<major.minor> of that kernel when embedded, else the newest
 * older measured one (not a DERIVED one) re-derived for KERNEL. NULL with
 * ARMCPU_ERR_NOT_FOUND when none is at or before it. */
ARMCPU_API armcpu_host *armcpu_host_open_for_kernel(const char *base, const char *kernel,
                                                    armcpu_error *err);
ARMCPU_API size_t armcpu_host_embedded_count(void);
ARMCPU_API const char *armcpu_host_embedded_name(size_t i);
ARMCPU_API void armcpu_host_free(armcpu_host *h);

/*
 * A snapshot from a "REGNAME 0xVALUE" listing (one per line, '#' comments;
 * unallocated S3_op1_Cn_Cm_op2 names of a table register are accepted, other
 * names that are not ID registers such as MPIDR_EL1 are skipped), and
 * optionally writable masks from a "REGNAME (op0,op1,crn,crm,op2) 0xMASK"
 * listing (NULL: the kernel reports no masks). The output of the rig's probe
 * (tests/kvm/probe.c, "ARMCPU-PROBE-BEGIN" ... "END") is recognised too: it
 * carries values, masks, the kernel release and the vCPU features.
 */
ARMCPU_API armcpu_host *armcpu_host_import(const char *values, size_t values_len,
                                const char *masks, size_t masks_len,
                                const char *origin, armcpu_error *err);
ARMCPU_API int armcpu_host_set_info(armcpu_host *h, const char *name, const char *kernel,
                         const char *source, armcpu_error *err);
/* For a listing of every register KVM_GET_REG_LIST gives (a Firecracker
 * fingerprint): the table registers it lacks are absent, not unknown. */
ARMCPU_API int armcpu_host_set_unlisted_absent(armcpu_host *h, armcpu_error *err);
/* JSON text (release it with armcpu_free) and atomic save (temporary file
 * + rename). */
ARMCPU_API char *armcpu_host_to_json(const armcpu_host *h);
ARMCPU_API int armcpu_host_save(const armcpu_host *h, const char *path, armcpu_error *err);

/* Set when the snapshot lacks an AArch64 ID register every KVM exposes
 * (table attribute `core`): names them; answers about them are unknown.
 * NULL otherwise. */
ARMCPU_API const char *armcpu_host_warning(const armcpu_host *h);
/* What a vCPU's own mrs read of REG, where the snapshot measured it (the
 * rig's probe runs a guest): CTR_EL0, which KVM does not always trap, then
 * reads the CPU's value rather than KVM's copy. False when not measured. */
ARMCPU_API bool armcpu_host_guest_read(const armcpu_host *h, const armcpu_reg *reg,
                                       uint64_t *value);
/* CNTFRQ_EL0, the system counter's frequency in Hz, when measured: a guest
 * reads the hardware's (no ONE_REG sets it), so hosts whose frequencies
 * differ cannot share a running guest. */
ARMCPU_API bool armcpu_host_cntfrq(const armcpu_host *h, uint64_t *hz);
/* The vCPU configuration item as the host gives it (armcpu/config.h): the
 * host's vector lengths, counters, largest IPA size, firmware registers;
 * false when the snapshot does not record it (unknown). */
ARMCPU_API bool armcpu_host_config(const armcpu_host *h, armcpu_config c, uint64_t *value);
/* Where a recorded item came from when not measured with the snapshot (a
 * document, a derivation), else NULL. */
ARMCPU_API const char *armcpu_host_config_source(const armcpu_host *h, armcpu_config c);
ARMCPU_API int armcpu_host_set_config(armcpu_host *h, armcpu_config c, uint64_t value,
                                      const char *source, armcpu_error *err);
ARMCPU_API void armcpu_host_clear_config(armcpu_host *h, armcpu_config c);
/* The host as a vCPU created with only `features` (ARMCPU_VCPU_*) of those
 * it was measured with sees it: KVM hides the others' fields (the kernel's
 * view rules say how), known values to judge a spec against (its
 * vcpu_features stay as measured); a new host (armcpu_host_free). A host
 * whose kernel has no view rules gets the dropped features' fields unknown. */
ARMCPU_API armcpu_host *armcpu_host_for_vcpu(const armcpu_host *h, unsigned features,
                                             armcpu_error *err);
ARMCPU_API const char *armcpu_host_name(const armcpu_host *h);
ARMCPU_API const char *armcpu_host_kernel(const armcpu_host *h);
ARMCPU_API const char *armcpu_host_source(const armcpu_host *h);
ARMCPU_API bool armcpu_host_has_masks(const armcpu_host *h);
/*
 * The KVM vCPU features the values were read with: "sve", "pmu", "ptrauth".
 * A field whose limit depends on a feature that was off (e.g. SVE fields of
 * a snapshot taken without the sve vCPU feature) is unchecked, not blocked.
 * Snapshots without the key are taken to have all of them.
 */
ARMCPU_API bool armcpu_host_vcpu_feature(const armcpu_host *h, const char *feature);
ARMCPU_API int armcpu_host_set_vcpu_features(armcpu_host *h, const char *list, armcpu_error *err);
/* The ARMCPU_VCPU_* of a comma-separated KVM_ARM_VCPU_INIT feature list as
 * KVM tools write it ("psci-0.2,pmu-v3,ptrauth-address,ptrauth-generic,sve"
 * or "sve,pmu,ptrauth"): a token starting with sve, pmu or ptrauth names
 * the feature, others (psci) are no ARMCPU_VCPU_* and are skipped. */
ARMCPU_API unsigned armcpu_vcpu_features_of_list(const char *list);
ARMCPU_API armcpu_reg_state armcpu_host_reg_state(const armcpu_host *h,
                                       const armcpu_reg *reg);
ARMCPU_API uint64_t armcpu_host_reg_value(const armcpu_host *h, const armcpu_reg *reg);
ARMCPU_API uint64_t armcpu_host_reg_mask(const armcpu_host *h, const armcpu_reg *reg);
/* Bits of reg whose value cannot be known from the snapshot: a view derived
 * for another kernel (armcpu_host_apply_kernel) that shows fields the
 * snapshot's own view hid. They read 0 in armcpu_host_reg_value. */
ARMCPU_API uint64_t armcpu_host_reg_unknown(const armcpu_host *h, const armcpu_reg *reg);
/* Is the snapshot a bare-metal EL1 read ("view": "host") rather than what a
 * KVM guest sees? */
ARMCPU_API bool armcpu_host_is_bare_metal(const armcpu_host *h);
/* Marks an imported listing as a bare-metal read (its values are the CPU's
 * own): armcpu_host_apply_kernel then derives that kernel's guest view. */
ARMCPU_API void armcpu_host_mark_bare_metal(armcpu_host *h);
/* Is every bit of the field writable on this host? */
ARMCPU_API bool armcpu_host_field_writable(const armcpu_host *h, const armcpu_field *f);

/*
 * armcpu_realize, where the spec may also start with "host": the host's own
 * values (from the snapshot) replace the model chain, then the properties
 * apply as usual. host may be NULL for named models.
 */
ARMCPU_API armcpu_cpu *armcpu_realize_on_host(const armcpu_ctx *ctx, const char *spec,
                                   const armcpu_host *host, bool allow_abstract,
                                   armcpu_error *err);

/* ------------------------------------------------------------ kernels */

/*
 * Writable-mask tables of known KVM versions (kernels/linux-<ver>.masks:
 * measured by the rig, or derived from the kernel's history where not), in
 * ascending version order. Writable masks depend on the kernel, not the CPU.
 */
ARMCPU_API size_t armcpu_kernel_count(void);
ARMCPU_API const char *armcpu_kernel_version(size_t i);    /* "6.12" */
ARMCPU_API void armcpu_kernel_provenance(size_t i, char *buf, size_t size);
/* Capabilities a VMM must enable for all the masks to apply, or "". */
ARMCPU_API void armcpu_kernel_capabilities(size_t i, char *buf, size_t size);
/*
 * The table for a kernel release ("6.16", "6.16.3-arm64"): the table of that
 * version (*exact true), or else the nearest older one (*exact false);
 * false when the release names no version or every table is newer.
 */
ARMCPU_API bool armcpu_kernel_table_for(const char *release, size_t *index, bool *exact);
/*
 * "What if this host ran kernel VERSION": the host as VERSION's KVM shows it.
 * Values are re-derived from the snapshot's own kernel's view rules (or a
 * bare-metal read) to VERSION's (armcpu_view_table_for; a field the
 * snapshot's view hid and VERSION shows becomes unknown:
 * armcpu_host_reg_unknown); the writable masks (and whether it has any)
 * become VERSION's table, or the nearest older one where there is none
 * (armcpu_kernel_table_for). The host's kernel becomes VERSION, so the
 * judgement's per-version rules are VERSION's. The AArch32 registers get
 * mask 0 on a host without AArch32 (they read 0 there). Fails, naming the
 * snapshot, where its kernel has no view rules.
 */
ARMCPU_API int armcpu_host_apply_kernel(armcpu_host *h, const char *version, armcpu_error *err);

/*
 * KVM's guest-view rules (kernels/linux-VER.view): per kernel, what a guest
 * reads for each field given the host's value and the vCPU configuration.
 * armcpu_view_table_for: the table for a release (or the nearest older;
 * *exact false then). armcpu_host_view_config: the configuration a
 * snapshot's view is for (ARMCPU_VCPU_* plus a vGICv3).
 */
ARMCPU_API size_t armcpu_view_count(void);
ARMCPU_API const char *armcpu_view_version(size_t i);
ARMCPU_API const char *armcpu_view_provenance(size_t i);
ARMCPU_API bool armcpu_view_table_for(const char *release, size_t *index, bool *exact);
ARMCPU_API unsigned armcpu_host_view_config(const armcpu_host *h);

/* ------------------------------------------------------------ checks */

typedef struct armcpu_field_check {
    const armcpu_reg *reg;     /* NULL for a vCPU configuration item */
    const armcpu_field *field; /* NULL: bits outside every field of reg */
    armcpu_verdict verdict;
    uint64_t model_value;
    uint64_t host_value;
    const char *reason; /* why blocked, else "" */
    /* set (reg and field NULL): a vCPU configuration item the spec sets,
     * judged by armcpu_config_judge; model_value is the spec's, host_value
     * the host's (0 when unknown) */
    bool is_config;
    armcpu_config config;
} armcpu_field_check;

typedef void (*armcpu_check_fn)(const armcpu_field_check *c, void *opaque);

/*
 * Checks every field of a realized spec against a host with the acceptance
 * judgement (armcpu_judge); calls fn (may be NULL) for each field whose
 * verdict is not SAME, once per register whose bits outside every field
 * differ (field NULL), and, after the registers, for each vCPU
 * configuration item the spec sets whose verdict is not SAME (is_config).
 * Returns the number of blocking verdicts.
 */
ARMCPU_API size_t armcpu_check(const armcpu_cpu *cpu, const armcpu_host *host,
                    armcpu_check_fn fn, void *opaque);
/*
 * The same count without the per-field callbacks (nibble-parallel where the
 * table allows; a unit test holds it equal to armcpu_check's callbacks on
 * every model, spec variant, snapshot and kernel), and in *unknown (may be
 * NULL) the fields whose verdict is UNKNOWN or UNCHECKED.
 */
ARMCPU_API size_t armcpu_check_count(const armcpu_cpu *cpu, const armcpu_host *host, size_t *unknown);

/* The spec_flags armcpu_judge takes for register reg of a realized spec. */
ARMCPU_API unsigned armcpu_cpu_judge_flags(const armcpu_cpu *cpu, const armcpu_reg *reg);
/* A host's register as the judgement reads it. */
ARMCPU_API void armcpu_host_reg_view(const armcpu_host *h, const armcpu_reg *reg, armcpu_reg_view *view);

/* The property that names a field for people: feat_ / hw_prop_ / cpu_* /
 * fractional, else its SYSREG_ property. */
ARMCPU_API const armcpu_prop *armcpu_field_prop(const armcpu_ctx *ctx,
                                     const armcpu_field *f);

/*
 * Override text for one field: "feat_AES=aes" when the field's friendly
 * property names the value, else "SYSREG_<REG>_<FIELD>=0x..". Returns the
 * length as snprintf does.
 */
ARMCPU_API int armcpu_override_text(const armcpu_ctx *ctx, const armcpu_field *f,
                         uint64_t value, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
