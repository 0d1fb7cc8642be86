/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The rest of the guest-visible CPU: what a KVM guest sees beyond the ID
 * registers and a migration must keep, as "configuration items" with one
 * rule each (docs/vcpu-config.md):
 *
 *   sve_vls        the SVE vector lengths (KVM_REG_ARM64_SVE_VLS)
 *   pmu_counters   the PMU's event counters (PMCR_EL0.N)
 *   ipa_bits       the guest's physical address size (the VM type)
 *   psci_version   KVM_REG_ARM_PSCI_VERSION
 *   smccc_wa1..3   KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1/2/3 (a floor: the
 *                  guest sees the host's level; KVM refuses a saved level
 *                  above it)
 *   fw_*_bmap      the hypercall services (KVM_REG_ARM_*_BMAP)
 *
 * A spec sets an item with its property (sve128..sve2048, pmu_counters=N,
 * ipa_bits=N, psci_version=1.1, smccc_wa1=avail, fw_std_bmap=0x1, ...);
 * one it does not set is the host's, like a host-given field. A host
 * snapshot records what it measured (an item it lacks is unknown). The
 * checks judge every item the spec sets against the host with the rule of
 * the host's kernel; baselines set every item to the fleet's common value.
 */
#ifndef ARMCPU_CONFIG_H
#define ARMCPU_CONFIG_H

#include "armcpu/armcpu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum armcpu_config {
    ARMCPU_CONFIG_SVE_VLS,
    ARMCPU_CONFIG_PMU_COUNTERS,
    ARMCPU_CONFIG_IPA_BITS,
    ARMCPU_CONFIG_PSCI_VERSION,
    ARMCPU_CONFIG_SMCCC_WA1,
    ARMCPU_CONFIG_SMCCC_WA2,
    ARMCPU_CONFIG_SMCCC_WA3,
    ARMCPU_CONFIG_FW_STD_BMAP,
    ARMCPU_CONFIG_FW_STD_HYP_BMAP,
    ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP,
    ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2,
    ARMCPU_CONFIG_COUNT
} armcpu_config;

/* "sve_vls", "pmu_counters", ...: the snapshot key and the check's name. */
ARMCPU_API const char *armcpu_config_name(armcpu_config c);
ARMCPU_API const char *armcpu_config_description(armcpu_config c);
/* By name (case-insensitive); -1 with ARMCPU_ERR_NOT_FOUND naming the
 * allowed ones. */
ARMCPU_API int armcpu_config_by_name(const char *name, armcpu_error *err);
/* The KVM ONE_REG id that carries it, or 0 (ipa_bits: the VM type). */
ARMCPU_API uint64_t armcpu_config_kvm_id(armcpu_config c);
/* What KVM calls it: "KVM_REG_ARM64_SVE_VLS", "PMCR_EL0.N", ... */
ARMCPU_API const char *armcpu_config_kvm_name(armcpu_config c);
/* The spec properties that set it to value: "sve128=on,sve256=on",
 * "pmu_counters=6", "psci_version=1.1". Returns the length as snprintf. */
ARMCPU_API int armcpu_config_spec_text(armcpu_config c, uint64_t value, char *buf, size_t size);
/* The vCPU feature (ARMCPU_VCPU_SVE, _PMU) without which it does not
 * exist, or 0. */
ARMCPU_API unsigned armcpu_config_needs(armcpu_config c);
/* Does KVM keep a written value (false: smccc_wa*, whose write is only
 * checked against the host's level)? */
ARMCPU_API bool armcpu_config_stored(armcpu_config c);
/* The value as snapshots and properties spell it: "128,256" (sve_vls: bit
 * vq-1 for a vector of vq x 128 bits), "6", "1.1", "avail", "0x3". */
ARMCPU_API void armcpu_config_format(armcpu_config c, uint64_t value, char *buf, size_t size);
/* The inverse of armcpu_config_format (numbers are accepted for the named
 * levels and versions); errors say what is allowed. */
ARMCPU_API int armcpu_config_parse(armcpu_config c, const char *text, uint64_t *value,
                                   armcpu_error *err);

/*
 * The judgement of one item: a spec's value against a host's (host_known
 * false: the snapshot did not record it) under the host's kernel (an
 * armcpu_kernel_key; 0: the newest rules). SAME when KVM takes it and the
 * guest sees it; REFUSED with the reason (KVM's handler named); UNKNOWN
 * when the host's value is not known.
 */
ARMCPU_API armcpu_verdict armcpu_config_judge(armcpu_config c, uint64_t spec, bool host_known,
                                              uint64_t host, unsigned kernel, char *reason,
                                              size_t size);
/*
 * The greatest value two hosts both take (the meet, for baselines):
 * sve_vls the lengths both have up to the first they disagree on, counts
 * and levels the smaller, bitmaps the common bits. False (with the reason)
 * when no value is taken by both (kernel: the older key of the two; see
 * armcpu_config_judge).
 */
ARMCPU_API bool armcpu_config_meet(armcpu_config c, uint64_t a, uint64_t b, unsigned kernel,
                                   uint64_t *meet, char *reason, size_t size);

/*
 * A host's recorded item as another kernel's KVM would show it (what a
 * snapshot re-derived for that kernel records): the CPU's own (vector
 * lengths, counters, IPA size up to 48 bits) kept; the kernel's own
 * (PSCI version, hypercall bitmaps) from that kernel's defaults where the
 * kernel sources say them; else false (unknown: the workaround levels,
 * which follow each kernel's mitigation code). `from`, `to`: kernel keys.
 */
ARMCPU_API bool armcpu_config_for_kernel(armcpu_config c, uint64_t value, unsigned from,
                                         unsigned to, uint64_t *out);
/* An item a guest gets only when its VMM opts in (fw_vendor_hyp_bmap_2:
 * the VMM answers those hypercalls itself): a host records the services
 * its kernel supports, its guests get none unless the spec sets them;
 * baselines leave it to the VMM. */
ARMCPU_API bool armcpu_config_vmm_opt_in(armcpu_config c);
/* An item that bounds what the VMM may create rather than what the guest
 * sees (ipa_bits: the VM's memory map must fit every host's limit): a
 * baseline states the fleet's limit instead of setting it, so a VMM that
 * sizes the VM itself (QEMU's virt machine) can still run the spec. */
ARMCPU_API bool armcpu_config_vm_limit(armcpu_config c);
/* The value nearest the spec's that the host takes (fix): the host's
 * vector lengths up to the shorter longest of the two, the smaller count,
 * the common bits, the host's level or version. False when none is. */
ARMCPU_API bool armcpu_config_fix(armcpu_config c, uint64_t spec, uint64_t host, unsigned kernel,
                                  uint64_t *fixed);

#ifdef __cplusplus
}
#endif
#endif
