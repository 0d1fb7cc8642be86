/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The KVM logic behind include/armcpu/kvm.h, separated from the ioctls so
 * that the unit tests can run it on any machine against a fake register
 * backend (tests/unit/test_kvm.c).
 */
#ifndef ARMCPU_SRC_KVM_INTERNAL_H
#define ARMCPU_SRC_KVM_INTERNAL_H

#include <stdint.h>

#include "armcpu/kvm.h"

/* Index of a feature-ID-space register in KVM's writable-mask array
 * (op0=3, CRn=0; op1 0,1,3 -> 0,1,2; (op1' << 6) | (CRm << 3) | op2). */
#define ARMCPU_KVM_MASK_COUNT 192
int armcpu_kvm_mask_index(const armcpu_reg *reg);

/* What the logic needs from a vCPU. Each callback returns 0 or an errno. */
struct armcpu_kvm_backend {
    void *opaque;
    int (*get_reg)(void *opaque, uint64_t id, uint64_t *value);
    int (*set_reg)(void *opaque, uint64_t id, uint64_t value);
    /* ENOTSUP: the kernel has no writable masks (before Linux 6.7) */
    int (*get_masks)(void *opaque, uint64_t masks[ARMCPU_KVM_MASK_COUNT]);
    const char *kernel;   /* uname release, for snapshots */
    const char *features; /* snapshot vcpu_features, comma list ("sve,pmu,ptrauth") */
    const char *source;   /* snapshot provenance */
    /* The vCPU configuration beyond the u64 ONE_REGs (armcpu/config.h);
     * NULL: the backend has none (the item is not measured). */
    /* KVM_REG_ARM64_SVE_VLS, a U512 (8 x u64): ENOENT without SVE; KVM
     * takes a write only before KVM_ARM_VCPU_FINALIZE (EPERM after) */
    int (*get_vls)(void *opaque, uint64_t words[8]);
    int (*set_vls)(void *opaque, const uint64_t words[8]);
    /* KVM_CHECK_EXTENSION(KVM_CAP_ARM_VM_IPA_SIZE): the host's largest */
    int (*ipa_limit)(void *opaque, unsigned *bits);
    /* the IPA size the VM was created with (0: not known, a caller's VM) */
    unsigned vm_ipa_bits;
};

/* PMCR_EL0's ONE_REG id (op0 3, op1 3, CRn 9, CRm 12, op2 0) and N. */
#define ARMCPU_KVM_REG_PMCR_EL0 0x603000000013dce0ULL
#define ARMCPU_KVM_PMCR_N(v) ((unsigned)((v) >> 11) & 0x1fu)

/* Snapshot of the backend's vCPU (values, masks, kernel, features). */
armcpu_host *armcpu_kvm_host_from_backend(const struct armcpu_kvm_backend *b,
                                          armcpu_error *err);

/* armcpu_kvm_apply_ex on a backend; counts its own calls as ioctls. */
int armcpu_kvm_apply_backend(const struct armcpu_kvm_backend *b, const armcpu_cpu *cpu,
                             unsigned flags, armcpu_kvm_report *report,
                             armcpu_error *err);

#endif
