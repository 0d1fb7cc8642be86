/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Real KVM on arm64 Linux: a live host probe, writeback of a realized spec
 * to a vCPU with readback (armcpu_kvm_apply), a scratch VM that runs a tiny
 * guest reading its own ID registers, and the raw ONE_REG helpers a
 * migration rehearsal needs.
 *
 * Everything here compiles on every platform; on anything but arm64 Linux
 * with a usable /dev/kvm the functions fail with ARMCPU_ERR_ENV and a
 * message that says why. armcpu_kvm_apply needs only the two file
 * descriptors of the embedder's VM and vCPU: call it after
 * KVM_ARM_VCPU_INIT (and KVM_ARM_VCPU_FINALIZE for SVE) and before the
 * first KVM_RUN, when KVM still lets userspace write ID registers.
 */
#ifndef ARMCPU_KVM_H
#define ARMCPU_KVM_H

#include "armcpu/config.h"
#include "armcpu/host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True on arm64 Linux when /dev/kvm opens; else false with ARMCPU_ERR_ENV
 * and the reason in err. */
ARMCPU_API bool armcpu_kvm_available(armcpu_error *err);

/*
 * Live probe of this machine: a scratch VM with the in-kernel vGICv3 and one
 * vCPU (KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT with PSCI 0.2, PMUv3,
 * pointer auth and SVE where KVM offers them, SVE finalized;
 * KVM_CAP_ARM_WRITABLE_IMP_ID_REGS enabled where offered), every table
 * register read with KVM_GET_ONE_REG (ENOENT and other errors recorded as
 * absent, not as 0), the writable masks of KVM_ARM_GET_REG_WRITABLE_MASKS
 * (none before Linux 6.7: nothing writable), the kernel release and the vCPU
 * features. The snapshot is named "local" (armcpu_host_set_info renames it).
 */
ARMCPU_API armcpu_host *armcpu_kvm_probe(armcpu_error *err);

/* ------------------------------------------------------------ writeback */

typedef enum armcpu_kvm_finding_kind {
    ARMCPU_KVM_WRITTEN,  /* info: one KVM_SET_ONE_REG changed the register */
    ARMCPU_KVM_BLOCKED,  /* failure: the checks block the field against the
                            vCPU's own values and masks; nothing was written */
    ARMCPU_KVM_REFUSED,  /* failure: KVM_SET_ONE_REG failed (errno in err) */
    ARMCPU_KVM_BUSY,     /* failure: EBUSY, the vCPU has already run */
    ARMCPU_KVM_MISMATCH, /* failure: read back, the field is not the model's */
    ARMCPU_KVM_IDENTITY, /* not a failure: MIDR/REVIDR/AIDR stay the host's
                            (the guest sees a different MIDR) */
    ARMCPU_KVM_HOST_GIVEN, /* not a failure: CLIDR/CCSIDR the model leaves
                              unset, and the AArch32 registers of a spec
                              without AArch32, keep the vCPU's values */
    ARMCPU_KVM_UNCHECKED,  /* not a failure: the vCPU does not expose the
                              register the model sets */
    ARMCPU_KVM_RESTORED,   /* info: after a refusal, a register written
                              was rolled back to its value before the apply
                              (wanted) and read back equal (current) */
    ARMCPU_KVM_NOT_RESTORED, /* failure: that rollback failed or read back
                                otherwise (current: the value read back, or
                                the last written when unreadable; err: the
                                ioctl's errno), or a refused register reads
                                back changed: the vCPU is left partial */
} armcpu_kvm_finding_kind;

typedef struct armcpu_kvm_finding {
    armcpu_kvm_finding_kind kind;
    const armcpu_reg *reg;
    const armcpu_field *field; /* NULL: the whole register (WRITTEN, BUSY,
                                  REFUSED without a field to blame) */
    uint64_t wanted;           /* field value (register value when field NULL) */
    uint64_t current;          /* the vCPU's before the write (BLOCKED, REFUSED,
                                  BUSY, WRITTEN) or after it (MISMATCH,
                                  RESTORED, NOT_RESTORED) */
    int err;                   /* errno of the ioctl, else 0 */
    const char *message;       /* one complete line naming all of the above */
    /* a vCPU configuration item (reg and field NULL; wanted and current
     * are the item's values as armcpu_config_format reads them) */
    bool is_config;
    armcpu_config config;
} armcpu_kvm_finding;

/* What armcpu_kvm_apply did, in order; owned by the caller. */
typedef struct armcpu_kvm_report armcpu_kvm_report;
ARMCPU_API armcpu_kvm_report *armcpu_kvm_report_new(void);
ARMCPU_API void armcpu_kvm_report_free(armcpu_kvm_report *r);
ARMCPU_API size_t armcpu_kvm_report_count(const armcpu_kvm_report *r);
ARMCPU_API const armcpu_kvm_finding *armcpu_kvm_report_at(const armcpu_kvm_report *r, size_t i);
/* Findings of the failure kinds (BLOCKED, REFUSED, BUSY, MISMATCH,
 * NOT_RESTORED). */
ARMCPU_API size_t armcpu_kvm_report_failures(const armcpu_kvm_report *r);
ARMCPU_API const char *armcpu_kvm_finding_kind_name(armcpu_kvm_finding_kind k);
/* KVM ioctls the apply issued: KVM_GET_ONE_REG, KVM_SET_ONE_REG, others
 * (KVM_CHECK_EXTENSION, KVM_ARM_GET_REG_WRITABLE_MASKS). */
ARMCPU_API void armcpu_kvm_report_ioctls(const armcpu_kvm_report *r, size_t *get, size_t *set,
                              size_t *other);
/* What became of the writes after a refused one (armcpu_kvm_apply). */
typedef enum armcpu_kvm_rollback {
    ARMCPU_KVM_ROLLBACK_NONE,    /* no write refused: nothing rolled back */
    ARMCPU_KVM_ROLLBACK_DONE,    /* every register written was set back, and
                                    each written or refused reads back as
                                    before: the vCPU is unchanged */
    ARMCPU_KVM_ROLLBACK_PARTIAL, /* not every one (NOT_RESTORED findings name
                                    them): discard the vCPU */
} armcpu_kvm_rollback;
/* The rollback's outcome; restores (may be NULL): the KVM_SET_ONE_REG it
 * issued, included in armcpu_kvm_report_ioctls's set. */
ARMCPU_API armcpu_kvm_rollback armcpu_kvm_report_rollback(const armcpu_kvm_report *r,
                                                          size_t *restores);
/* The register before the apply and after it (read back); false when the
 * vCPU does not expose it. */
ARMCPU_API bool armcpu_kvm_report_reg(const armcpu_kvm_report *r, const armcpu_reg *reg,
                           uint64_t *before, uint64_t *after);
/* A vCPU configuration item before the apply and after it (read back;
 * for smccc_wa*, whose writes KVM only checks, the host's level); false
 * when the vCPU does not show it (no SVE, no PMU, an older kernel's
 * firmware registers; ipa_bits: the VM's IPA size when armcpu created the
 * VM, else false). */
ARMCPU_API bool armcpu_kvm_report_config(const armcpu_kvm_report *r, armcpu_config c,
                                         uint64_t *before, uint64_t *after);
/* The pre-write verdict of a field against the vCPU (SAME when equal). */
ARMCPU_API armcpu_verdict armcpu_kvm_report_verdict(const armcpu_kvm_report *r,
                                         const armcpu_field *f);

/* armcpu_kvm_apply_ex flags */
#define ARMCPU_KVM_APPLY_FORCE 1u /* skip the refusal before writing: write
                                     what differs and let KVM judge */

/*
 * The KVM_CREATE_VM type a spec needs: KVM_VM_TYPE_ARM_IPA_SIZE(n) for a
 * spec with ipa_bits=n, else 0 (KVM's default, 40 bits). The IPA size is
 * the VM's, fixed when it is created: create the VM with this type; apply
 * cannot change it, nor verify it on a VM it did not create.
 */
ARMCPU_API unsigned long armcpu_cpu_kvm_vm_type(const armcpu_cpu *cpu);

/*
 * Writes a realized spec to a vCPU: reads the vCPU's current value of every
 * table register and the VM's writable masks, checks the spec against them
 * (armcpu_check), and refuses before any write when a field is blocked;
 * otherwise writes only the writable registers that differ, one
 * KVM_SET_ONE_REG each (fields the model leaves to the host, identity fields
 * KVM cannot write, and registers the vCPU does not expose keep the vCPU's
 * bits), then reads every register back and compares it with the model.
 * All or nothing: when KVM refuses a write (at the first refusal; with
 * ARMCPU_KVM_APPLY_FORCE after trying every register and reading each back
 * against the model, so each refusal and each dropped value is reported),
 * every register written is set back to the value it had before the apply,
 * in reverse order, and read back, as is every refused one (RESTORED
 * findings, armcpu_kvm_report_rollback DONE: the vCPU is unchanged). If a
 * rollback write or readback fails, the report says which registers hold
 * which values (NOT_RESTORED, rollback PARTIAL) and the error says the vCPU
 * is left partially applied and must be discarded.
 * Every refusal names register, field, wanted and current value. MIDR,
 * REVIDR and AIDR differences are IDENTITY findings, not failures.
 *
 * The vCPU configuration items the spec sets (armcpu/config.h) are judged
 * with the registers (a blocked one refuses the apply before any write)
 * and, after the registers, written where the vCPU's value differs and
 * read back: pmu_counters (PMCR_EL0.N; KVM 6.7+ silently keeps its own N
 * for one above the host's, so only the read-back proves it), psci_version
 * and the fw_*_bmap bitmaps (EBUSY after the first run) as KVM stores them;
 * smccc_wa1..3, which KVM only checks against the host's level, by the
 * write's success. They take part in the all-or-nothing rollback like the
 * registers. sve_vls: KVM takes the vector lengths only before
 * KVM_ARM_VCPU_FINALIZE, which this call comes after, so the vCPU must be
 * created with them (armcpu_kvm_vcpu_new_vm, as realize --kvm and migrate
 * do): apply verifies them, and a vCPU with other lengths fails it (the
 * write it tries is refused, EPERM, before anything else is written when
 * the lengths are the first item that differs). ipa_bits: the VM's type
 * (armcpu_cpu_kvm_vm_type), verified on a vCPU of armcpu_kvm_vcpu_new_vm
 * and reported UNCHECKED on a caller's VM.
 *
 * Returns ARMCPU_OK when every field the model sets reads back as the
 * model's; ARMCPU_ERR_CONFLICT when something is blocked, refused, busy or
 * mismatched (err: the first such finding; report: all of them);
 * ARMCPU_ERR_ENV when KVM itself cannot be used, or the vCPU is left
 * partially applied. report may be NULL.
 */
ARMCPU_API int armcpu_kvm_apply(int vm_fd, int vcpu_fd, const armcpu_cpu *cpu,
                     armcpu_kvm_report *report, armcpu_error *err);
ARMCPU_API int armcpu_kvm_apply_ex(int vm_fd, int vcpu_fd, const armcpu_cpu *cpu, unsigned flags,
                        armcpu_kvm_report *report, armcpu_error *err);

/* ------------------------------------------------------------ scratch vCPU */

/*
 * A scratch VM set up as armcpu_kvm_probe describes (plus the PMU
 * initialised and 64 KiB of guest memory), ready for armcpu_kvm_apply and a
 * run of the ID-register guest.
 */
typedef struct armcpu_kvm_vcpu armcpu_kvm_vcpu;
ARMCPU_API armcpu_kvm_vcpu *armcpu_kvm_vcpu_new(armcpu_error *err);
/* The same with only the vCPU features (ARMCPU_VCPU_*) in `features` that
 * KVM offers: a spec's armcpu_cpu_vcpu_features. */
ARMCPU_API armcpu_kvm_vcpu *armcpu_kvm_vcpu_new_with(unsigned features, armcpu_error *err);
/* armcpu_kvm_apply_ex on a vCPU of armcpu_kvm_vcpu_new*: the same, knowing
 * which vCPU features it was created with. */
ARMCPU_API int armcpu_kvm_vcpu_apply(armcpu_kvm_vcpu *v, const armcpu_cpu *cpu, unsigned flags,
                                     armcpu_kvm_report *report, armcpu_error *err);
/* KVM_REG_ARM64_SVE_VLS: the SVE vector-length set, 8 x u64 (bit n-1 of
 * the set: vector length 128*n bits). */
#define ARMCPU_KVM_REG_SVE_VLS 0x606000000015ffffULL
/* The same, with SVE's vector-length set written before the finalization
 * (KVM refuses it after; sve_vls NULL: KVM's default, every length the host
 * has). A set the host cannot give: ARMCPU_ERR_CONFLICT. */
ARMCPU_API armcpu_kvm_vcpu *armcpu_kvm_vcpu_new_sve(unsigned features, const uint64_t *sve_vls,
                                                    armcpu_error *err);
/* The same on a VM created with vm_type (KVM_CREATE_VM's argument:
 * armcpu_cpu_kvm_vm_type of the spec; 0 the default 40-bit IPA). */
ARMCPU_API armcpu_kvm_vcpu *armcpu_kvm_vcpu_new_vm(unsigned features, const uint64_t *sve_vls,
                                                   unsigned long vm_type, armcpu_error *err);
ARMCPU_API void armcpu_kvm_vcpu_free(armcpu_kvm_vcpu *v);
ARMCPU_API int armcpu_kvm_vcpu_vm_fd(const armcpu_kvm_vcpu *v);
ARMCPU_API int armcpu_kvm_vcpu_fd(const armcpu_kvm_vcpu *v);
/* "psci-0.2,pmu-v3,ptrauth-address,ptrauth-generic,sve" (those enabled). */
ARMCPU_API const char *armcpu_kvm_vcpu_features(const armcpu_kvm_vcpu *v);
/* The snapshot of this vCPU as it is now (what armcpu_kvm_probe returns). */
ARMCPU_API armcpu_host *armcpu_kvm_vcpu_snapshot(armcpu_kvm_vcpu *v, armcpu_error *err);

typedef enum armcpu_kvm_guest_status {
    ARMCPU_KVM_GUEST_SKIPPED, /* the vCPU does not expose the register */
    ARMCPU_KVM_GUEST_READ,    /* value is what `mrs` returned in the guest */
    ARMCPU_KVM_GUEST_UNDEF,   /* the `mrs` trapped; value is the ESR_EL1 */
} armcpu_kvm_guest_status;

/*
 * Runs a tiny guest on the scratch vCPU: at EL1 with the MMU off it executes
 * `mrs x0, <reg>` for every table register the vCPU exposes and stores x0 to
 * an unmapped address, so each value leaves as a KVM_EXIT_MMIO; an exception
 * vector reports a trapping `mrs` the same way. values and status have
 * armcpu_reg_count() entries, in table order. After this the vCPU has run:
 * KVM refuses ID-register changes (EBUSY).
 */
ARMCPU_API int armcpu_kvm_guest_read_idregs(armcpu_kvm_vcpu *v, uint64_t *values,
                                 armcpu_kvm_guest_status *status, armcpu_error *err);

/* ------------------------------------------------------------ raw ONE_REG */

/* KVM_GET_REG_LIST: every register id of the vCPU (an array to release
 * with armcpu_free). */
ARMCPU_API int armcpu_kvm_reg_list(int vcpu_fd, uint64_t **ids, size_t *n, armcpu_error *err);
/* Bytes of a ONE_REG id's value (from its KVM_REG_SIZE bits). */
ARMCPU_API size_t armcpu_kvm_reg_size(uint64_t id);
/* KVM_GET_ONE_REG / KVM_SET_ONE_REG into / from buf of armcpu_kvm_reg_size
 * bytes. Return 0 or the errno. */
ARMCPU_API int armcpu_kvm_get_reg(int vcpu_fd, uint64_t id, void *buf);
ARMCPU_API int armcpu_kvm_set_reg(int vcpu_fd, uint64_t id, const void *buf);
/* "MIDR_EL1", "core x1", "fw 0x...", or the sysreg encoding: for messages. */
ARMCPU_API void armcpu_kvm_reg_describe(uint64_t id, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
