/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Output formats for a realized CPU (armcpu_realize): the QEMU `-cpu`
 * argument in either property dialect, a libvirt domain <cpu> element in
 * two forms, a Firecracker custom CPU template.
 *
 * Every function returns a string the caller releases with armcpu_free(), or NULL
 * with `err` (may be NULL) filled: ARMCPU_ERR_INVALID for a bad argument,
 * ARMCPU_ERR_UNSUPPORTED / ARMCPU_ERR_CONFLICT when the format cannot say
 * the spec, ARMCPU_ERR_NOMEM when memory runs out. The output depends only
 * on the arguments (deterministic, table order).
 */
#ifndef ARMCPU_OUT_H
#define ARMCPU_OUT_H

#include "armcpu/armcpu.h"
#include "armcpu/host.h"
#include "armcpu/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every artifact is derived from the realized registers, never from the
 * text of the spec, and equals the spec: a value the format cannot say is
 * an error (ARMCPU_ERR_UNSUPPORTED) naming it, never a comment.
 */

/* Options of the host-facing formats. */
typedef struct armcpu_out_opts {
    /* The host the artifact is for (its snapshot's view), or NULL. */
    const armcpu_host *host;
    /* Without a host, the kernel whose writable-mask table decides which
     * fields the SYSREG dialect lists (NULL: the newest table with masks). */
    const char *kernel;
    /* With a host: also write fields that differ from the host's and that
     * its kernel cannot write (KVM then refuses them; for testing). */
    bool force;
} armcpu_out_opts;

/*
 * The canonical spec of a realized CPU: its versioned model name, then
 * "C=off" for each composite (sve, pauth, pmu, aarch32) whose whole group
 * the CPU has off, then one override per field that still differs from
 * that (armcpu_override_text, table order). Realizing it gives the same
 * registers, the same AArch32 decision and the same cache geometry; this is
 * verified before it is returned (ARMCPU_ERR_CONFLICT when a CPU cannot be
 * written so, e.g. one realized on "host").
 */
ARMCPU_API char *armcpu_cpu_canonical_spec(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                                           armcpu_error *err);

typedef enum armcpu_qemu_dialect {
    /*
     * Named-model series (RFC v1/v2, `-cpu MODEL,feat_X=..`): the canonical
     * spec (armcpu_cpu_canonical_spec). opts are not consulted.
     */
    ARMCPU_QEMU_FEAT,
    /*
     * Customizable host model series (`-cpu host,SYSREG_<REG>_<FIELD>=0x..`):
     * "host" then one SYSREG_ property per field, table order, over the
     * registers of the feature ID space (op0 3, op1 0/1/3, CRn 0, CRm 0..7)
     * the spec does not leave to the host (AArch32 registers without
     * AArch32, cache geometry it does not set).
     *   - With opts->host: every field whose value differs from the host's
     *     view, table defaults included (on `-cpu host` an unlisted field
     *     keeps the host's), every field of a register the host data has no
     *     value for; none of a register KVM does not expose; not the
     *     identity fields the host's kernel cannot write (the guest sees the
     *     host's, as armcpu_check says). A differing field the kernel cannot
     *     write is an error naming it (ARMCPU_ERR_CONFLICT) unless force.
     *   - Without: every field writable on opts->kernel's table, with its
     *     value; a field no kernel lets userspace write is the host's, which
     *     armcpu_check holds equal to the spec.
     */
    ARMCPU_QEMU_SYSREG,
} armcpu_qemu_dialect;

/* The value of QEMU's `-cpu` option, without a trailing newline. */
ARMCPU_API char *armcpu_qemu_cpu_arg(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                                     armcpu_qemu_dialect dialect, const armcpu_out_opts *opts,
                                     armcpu_error *err);

typedef enum armcpu_libvirt_form {
    /*
     * Today's libvirt (domaincommon.rng "guestcpu"): the versioned model
     * with fallback forbidden, and a <feature> per canonical property whose
     * value is on or off (policy require / disable). A spec needing any
     * other value is ARMCPU_ERR_UNSUPPORTED, naming the properties.
     */
    ARMCPU_LIBVIRT_CUSTOM,
    /*
     * The libvirt RFC "Arm CPU features with supported values" (Sandesh
     * Patel, 24 June 2026, unmerged): composites as on/off features, every
     * other property <feature policy='require' name='P' value='V'/>, so
     * every spec is expressible (fractional ones too: value='0.0').
     */
    ARMCPU_LIBVIRT_VALUES,
} armcpu_libvirt_form;

/* A libvirt domain <cpu> element, multi-line, ending in a newline. */
ARMCPU_API char *armcpu_libvirt_cpu_xml(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                                        armcpu_libvirt_form form, armcpu_error *err);

/*
 * A Firecracker custom CPU template (JSON) for opts->host (required):
 * reg_modifiers, one per register the spec must write on that host (the
 * SYSREG dialect's rules, over every register KVM exposes), each with the
 * bits of the fields to write set to the spec's and "x" (the vCPU's own)
 * everywhere else; vcpu_features index 0 with PMU_V3, SVE and PTRAUTH_ADDRESS
 * + PTRAUTH_GENERIC as the spec has them, "x" for the other bits.
 */
ARMCPU_API char *armcpu_firecracker_template(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                                             const armcpu_out_opts *opts, armcpu_error *err);

#ifdef __cplusplus
}
#endif
#endif
