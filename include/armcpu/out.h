/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Output formats for a realized CPU (armcpu_realize): the QEMU `-cpu`
 * argument in either property dialect, and a libvirt domain <cpu> element.
 *
 * Every function returns a string the caller releases with armcpu_free(), or NULL
 * with `err` (may be NULL) filled: ARMCPU_ERR_INVALID for a bad argument,
 * ARMCPU_ERR_NOMEM when memory runs out. The output depends only on the
 * arguments (deterministic, table order), never on the host.
 */
#ifndef ARMCPU_OUT_H
#define ARMCPU_OUT_H

#include "armcpu/armcpu.h"
#include "armcpu/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum armcpu_qemu_dialect {
    /*
     * Named-model series: the versioned model name, then the user's
     * properties exactly as written in the spec, in canonical order
     * (armcpu_cpu_user_prop_at): "grace-v1,feat_AES=aes,sve=off".
     */
    ARMCPU_QEMU_FEAT,
    /*
     * Customizable host-model series (`-cpu host,SYSREG_<REG>_<FIELD>=0x..`):
     * "host," then one SYSREG_<REG>_<FIELD>=0x<hex> per field the realized
     * model defines, in table order (registers by encoding, fields from the
     * most significant down). Only registers of the feature ID space
     * (op0 3, op1 0/1/3, CRn 0, CRm 0..7, which includes MIDR_EL1, REVIDR_EL1
     * and AIDR_EL1) are considered. A field is "defined" when its source is
     * not "default" (armcpu_cpu_field_source) or its value differs from the
     * table default: a model, a parent or a user property set it.
     */
    ARMCPU_QEMU_SYSREG,
} armcpu_qemu_dialect;

/*
 * The value of QEMU's `-cpu` option for `cpu`, without a trailing newline.
 *
 * writable_masks (SYSREG dialect only; ignored by FEAT): NULL emits every
 * defined field; otherwise an array of armcpu_reg_count() masks indexed by
 * armcpu_reg_index() (the host's KVM_ARM_GET_REG_WRITABLE_MASKS), and only
 * fields whose bits lie entirely inside their register's mask are emitted.
 * When no field qualifies the result is "host" alone.
 *
 * Note on SYSREG: on `-cpu host` a field that is not listed keeps the
 * host's value. A field the model leaves at its table default (normally
 * "not implemented") is not listed, so the host's value shows through it.
 * Without writable_masks, the list added to the same model, or to a model
 * with no settings of its own, realizes the same registers in armcpu.
 *
 * ctx is not consulted by either dialect today; it is there so that later
 * dialects can look properties up. It may be NULL.
 */
ARMCPU_API char *armcpu_qemu_cpu_arg(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                          armcpu_qemu_dialect dialect,
                          const uint64_t *writable_masks, armcpu_error *err);

/*
 * A libvirt domain <cpu> element (libvirt's domaincommon.rng / cputypes.rng
 * "guestcpu"), multi-line, ending in a newline, indented by two spaces:
 *
 *   <cpu mode='custom' match='exact' check='full'>
 *     <model fallback='forbid'>neoverse-v1-v1</model>
 *     <feature policy='disable' name='sve'/>
 *     <!-- armcpu: not expressible as libvirt features: feat_AES=aes -->
 *   </cpu>
 *
 * The model is the versioned name. Each user property (canonical order,
 * canonical property name) whose value means "on" or "off" becomes a
 * <feature>: policy 'require' for on, 'disable' for off. That covers the
 * composites (sve, pauth, pmu, aarch32), boolean properties, and any other
 * property whose value equals its own "off"/"on" named value
 * (feat_AES=off, hw_prop_TGRAN4_2=0 -> disable). libvirt turns these back
 * into `name=on` / `name=off` on QEMU's command line, which armcpu reads as
 * the same values.
 *
 * libvirt's schema has no way to give a CPU feature a value: <feature>
 * takes only a policy and a name matching [a-zA-Z0-9\-_.]+. Properties with
 * any other value (feat_AES=aes, cpu_partnum=0xd4f, feat_CSV2=1.1,
 * SYSREG_..=0x1) are therefore listed, as name=value separated by spaces,
 * in one XML comment inside the element. libvirt ignores comments, so a
 * domain defined from this XML does NOT get those values: a caller that
 * needs them must apply them another way (or refuse such specs).
 *
 * Text and attributes are XML-escaped; comment text never contains "--".
 * ctx is used to find canonical property names and values; it must be
 * the context cpu was realized with.
 */
ARMCPU_API char *armcpu_libvirt_cpu_xml(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                             armcpu_error *err);

#ifdef __cplusplus
}
#endif
#endif
