/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * armcpu — named, versioned, migratable CPU models for arm64 KVM guests.
 *
 * Layer 1: the ID-register field table (generated from the Linux kernel's
 * arch/arm64/tools/sysreg and cpufeature.c safe-value policies), field
 * access, the kernel's safe-value rule, and KVM ONE_REG id encoding.
 *
 * Conventions:
 *  - Every function that can fail takes an `armcpu_error *err` (may be NULL)
 *    and returns a negative armcpu_status (or NULL) on failure, with a
 *    message naming what was wrong, where, and what is allowed.
 *  - Register and field handles are opaque, immutable and live for the whole
 *    program (they point into the built-in table). No global mutable state.
 */
#ifndef ARMCPU_ARMCPU_H
#define ARMCPU_ARMCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ARMCPU_VERSION "0.1.0"

/* The library exports these and nothing else (built with hidden symbol
 * visibility and a version script; a test compares the two). */
#if defined(__GNUC__) || defined(__clang__)
#define ARMCPU_API __attribute__((visibility("default")))
#else
#define ARMCPU_API
#endif

/* ---------------------------------------------------------------- errors */

typedef enum armcpu_status {
    ARMCPU_OK = 0,
    ARMCPU_ERR_INVALID = -1,   /* malformed input: syntax, width, range */
    ARMCPU_ERR_NOT_FOUND = -2, /* unknown register, field, model, property */
    ARMCPU_ERR_CONFLICT = -3,  /* contradictory settings */
    ARMCPU_ERR_IO = -4,        /* file could not be read or written */
    ARMCPU_ERR_ENV = -5,       /* environment: no /dev/kvm, ioctl refused */
    ARMCPU_ERR_NOMEM = -6,
    ARMCPU_ERR_UNSUPPORTED = -7, /* an output format cannot express the spec */
} armcpu_status;

#define ARMCPU_ERROR_MESSAGE_MAX 512

/* Caller-owned error record; zero-initialise it before use. */
typedef struct armcpu_error {
    armcpu_status code;
    char message[ARMCPU_ERROR_MESSAGE_MAX];
} armcpu_error;

/* The library's version ("0.1.0"): of the code actually linked, which
 * may differ from the ARMCPU_VERSION a program was compiled against. */
ARMCPU_API const char *armcpu_version(void);

/* The one ownership rule: memory the library hands to the caller (every
 * `char *` text and array a function returns: JSON, XML, -cpu lines, id
 * lists) is released with armcpu_free(); handles (armcpu_host, armcpu_cpu,
 * results) with their own _free function; everything else the caller gets
 * (names, messages, field and register handles) belongs to the library and
 * lives as long as what it came from. NULL is fine. */
ARMCPU_API void armcpu_free(void *p);

/* Every JSON document armcpu writes (the *_to_json functions, every --json
 * of the tool) is an object that starts with its format's name and this
 * version: {"format": "armcpu-baseline", "version": 1, ...}; lists sit under
 * a key ("return" for the QMP-shaped ones). A change of shape is a new
 * version (docs/json-formats.md). Host snapshots have their own format
 * and version (docs/host-format.md). */
#define ARMCPU_JSON_FORMAT_VERSION 1

/* Writes text to path atomically (a temporary file beside it, flushed, then
 * renamed over it): a reader sees the old file or all of the new one. A
 * missing directory or a directory given as path is named as such. */
ARMCPU_API int armcpu_write_text_file(const char *path, const char *text, armcpu_error *err);

/* ------------------------------------------------------- the field table */

typedef struct armcpu_reg armcpu_reg;     /* opaque: one ID register   */
typedef struct armcpu_field armcpu_field; /* opaque: one field of it   */

/*
 * Safe-value policy of a field, as KVM applies it to a userspace write
 * (arch/arm64/kvm/sys_regs.c arm64_check_features over cpufeature.c's
 * arm64_ftr_safe_value). HOST_ONLY marks fields the kernel's policy table
 * does not describe: KVM accepts only the host value there.
 */
typedef enum armcpu_policy {
    ARMCPU_POLICY_LOWER,          /* value <= host (signed compare if signed) */
    ARMCPU_POLICY_HIGHER,         /* value >= host */
    ARMCPU_POLICY_HIGHER_OR_ZERO, /* value == 0 or value >= host (host != 0) */
    ARMCPU_POLICY_EXACT,          /* value == host or value == safe value */
    ARMCPU_POLICY_HOST_ONLY,      /* value == host */
} armcpu_policy;

ARMCPU_API size_t armcpu_reg_count(void);
/* Registers in ascending encoding order; NULL when i is out of range. */
ARMCPU_API const armcpu_reg *armcpu_reg_at(size_t i);
/* Case-insensitive; the "_EL1"/"_EL0" suffix may be omitted. */
ARMCPU_API const armcpu_reg *armcpu_reg_by_name(const char *name, armcpu_error *err);
ARMCPU_API const armcpu_reg *armcpu_reg_by_encoding(unsigned op0, unsigned op1,
                                         unsigned crn, unsigned crm,
                                         unsigned op2, armcpu_error *err);
/* Accepts both U64 and U128 sized ids. */
ARMCPU_API const armcpu_reg *armcpu_reg_by_kvm_id(uint64_t kvm_id, armcpu_error *err);

ARMCPU_API const char *armcpu_reg_name(const armcpu_reg *reg);
ARMCPU_API void armcpu_reg_encoding(const armcpu_reg *reg, unsigned *op0, unsigned *op1,
                         unsigned *crn, unsigned *crm, unsigned *op2);
ARMCPU_API uint64_t armcpu_reg_kvm_id(const armcpu_reg *reg);
ARMCPU_API size_t armcpu_reg_field_count(const armcpu_reg *reg);
/* Fields from the most significant down. */
ARMCPU_API const armcpu_field *armcpu_reg_field_at(const armcpu_reg *reg, size_t i);
/* Res0 / Res1 bits of the register (from the sysreg file). */
ARMCPU_API uint64_t armcpu_reg_res0_mask(const armcpu_reg *reg);
ARMCPU_API uint64_t armcpu_reg_res1_mask(const armcpu_reg *reg);
/* Every field at its default value, RES1 bits set: the clean slate. */
ARMCPU_API uint64_t armcpu_reg_default_value(const armcpu_reg *reg);
/* Index of reg in the table (0 .. armcpu_reg_count()-1). */
ARMCPU_API size_t armcpu_reg_index(const armcpu_reg *reg);
/* One of the AArch64 views of the AArch32 ID registers (op1 0, CRn 0,
 * CRm 1..3: ID_PFR0_EL1 .. ID_MMFR5_EL1, MVFR0-2_EL1). */
ARMCPU_API bool armcpu_reg_is_aarch32(const armcpu_reg *reg);
/* MIDR_EL1, REVIDR_EL1 or AIDR_EL1: they name the CPU, not its features. */
ARMCPU_API bool armcpu_reg_is_identity(const armcpu_reg *reg);
/* CLIDR_EL1, CCSIDR_EL1, CCSIDR2_EL1: cache geometry KVM synthesizes. */
ARMCPU_API bool armcpu_reg_is_geometry(const armcpu_reg *reg);
/* An AArch64 ID register every KVM exposes (ID_AA64PFR0/1, ISAR0/1/2,
 * MMFR0/1/2, DFR0, ZFR0): a snapshot without one is flagged. */
ARMCPU_API bool armcpu_reg_is_core(const armcpu_reg *reg);
/* n for ID_AA64PFR0_EL1.ELn (n = 0..3), else -1. */
ARMCPU_API int armcpu_field_exception_level(const armcpu_field *f);
/* Does an ID_AA64PFR0_EL1 value give AArch32 at some Exception level (an
 * ELn field, bits [4n+3:4n], equal to 2: "AArch64 and AArch32")? */
ARMCPU_API bool armcpu_pfr0_has_aarch32(uint64_t id_aa64pfr0);

/*
 * "REG.FIELD" (e.g. "ID_AA64ISAR0_EL1.AES", suffix optional), or a bare field
 * name when exactly one register has a field of that name. Case-insensitive.
 * On failure the message lists the closest matching names.
 */
ARMCPU_API const armcpu_field *armcpu_field_lookup(const char *name, armcpu_error *err);
ARMCPU_API const armcpu_field *armcpu_reg_field_by_name(const armcpu_reg *reg,
                                             const char *name,
                                             armcpu_error *err);

ARMCPU_API const armcpu_reg *armcpu_field_reg(const armcpu_field *f);
ARMCPU_API const char *armcpu_field_name(const armcpu_field *f);
ARMCPU_API unsigned armcpu_field_lsb(const armcpu_field *f);
ARMCPU_API unsigned armcpu_field_width(const armcpu_field *f);
ARMCPU_API bool armcpu_field_is_signed(const armcpu_field *f);
ARMCPU_API uint64_t armcpu_field_mask(const armcpu_field *f); /* in register position */
ARMCPU_API armcpu_policy armcpu_field_policy(const armcpu_field *f);
ARMCPU_API const char *armcpu_policy_name(armcpu_policy p); /* "LOWER", "EXACT", ... */
ARMCPU_API uint64_t armcpu_field_safe_value(const armcpu_field *f);
/* The clean-slate value: the sysreg file's NI where it names one, else 0. */
ARMCPU_API uint64_t armcpu_field_default(const armcpu_field *f);

ARMCPU_API size_t armcpu_field_value_count(const armcpu_field *f);
/* Named value i: number, sysreg enum name, Arm ARM FEAT_ name or NULL. */
ARMCPU_API bool armcpu_field_value_at(const armcpu_field *f, size_t i, uint64_t *value,
                           const char **name, const char **feat);
/* Sysreg enum name of value v, or NULL when the value has no name. */
ARMCPU_API const char *armcpu_field_value_name(const armcpu_field *f, uint64_t v);

/* ------------------------------------------------------- field access */

/* Raw (unsigned) field bits of a register value. */
ARMCPU_API uint64_t armcpu_field_get(const armcpu_field *f, uint64_t reg_value);
/* Sign-extended field value (for signed fields 0xf reads as -1). */
ARMCPU_API int64_t armcpu_field_get_signed(const armcpu_field *f, uint64_t reg_value);
/* Replace the field's bits; fails if v does not fit the field. */
ARMCPU_API int armcpu_field_set(const armcpu_field *f, uint64_t *reg_value, uint64_t v,
                     armcpu_error *err);

/* ------------------------------------------------------- the safe rule */

/*
 * Would KVM accept `value` for this field when its limit (the sanitised
 * value KVM reports for the vCPU, not raw hardware) is `host`? Considers the
 * field rule alone, as if the field were writable. Returns true/false; on
 * false and when `reason` is not NULL, writes a one-line explanation.
 * A value or host value wider than the field is never safe.
 */
ARMCPU_API bool armcpu_field_is_safe(const armcpu_field *f, uint64_t value,
                          uint64_t host, char *reason, size_t reason_size);
/* The policy KVM actually applies (PMUVer/DebugVer/PerfMon: LOWER). */
ARMCPU_API armcpu_policy armcpu_field_kvm_policy(const armcpu_field *f);

/*
 * Values that are safe for the field given `host`. For fields of up to 4
 * bits every safe value is written to `values` (up to 16), count in *n.
 * For wider fields the answer is a set of ranges [lo,hi] (at most 2):
 * ranges[2*k], ranges[2*k+1], count in *n.
 */
ARMCPU_API void armcpu_field_safe_values(const armcpu_field *f, uint64_t host,
                              uint64_t values[16], size_t *n);
ARMCPU_API void armcpu_field_safe_ranges(const armcpu_field *f, uint64_t host,
                              uint64_t ranges[4], size_t *n);

/* ------------------------------------------------------- the judgement */

/*
 * What KVM reports for one register of a vCPU: the single input of the
 * acceptance judgement on the host side.
 */
typedef enum armcpu_reg_state {
    ARMCPU_REG_UNKNOWN, /* no value at all (not in the snapshot) */
    ARMCPU_REG_PRESENT, /* value (and mask) known */
    ARMCPU_REG_ABSENT,  /* KVM does not expose it as a ONE_REG (e.g. ENOENT) */
} armcpu_reg_state;

/* KVM vCPU features (KVM_ARM_VCPU_INIT) whose fields KVM hides when off. */
#define ARMCPU_VCPU_SVE 1u     /* KVM_ARM_VCPU_SVE */
#define ARMCPU_VCPU_PTRAUTH 2u /* KVM_ARM_VCPU_PTRAUTH_ADDRESS + _GENERIC */
#define ARMCPU_VCPU_PMU 4u     /* KVM_ARM_VCPU_PMU_V3 */

typedef struct armcpu_reg_view {
    armcpu_reg_state state;
    uint64_t value;         /* KVM's value for the vCPU (its limit) */
    uint64_t writable;      /* KVM_ARM_GET_REG_WRITABLE_MASKS bits; 0 without masks */
    unsigned features_off;  /* ARMCPU_VCPU_* the value was read without */
    unsigned kernel;        /* armcpu_kernel_key of the host's kernel; 0 unknown */
    /* the host register the register's write rules read
     * (armcpu_reg_rule_host: CLIDR_EL1's set_clidr reads CTR_EL0) */
    armcpu_reg_state rule_host_state;
    uint64_t rule_host_value;
    uint64_t unknown;       /* bits whose value is not known (a view derived for
                               another kernel that shows what the snapshot's
                               view hid); they read 0 in value */
} armcpu_reg_view;

/* Does a guest read f from the CPU itself where KVM does not trap f's
 * register (CTR_EL0.TminLine on a FEAT_EVT host)? Its verdict is then
 * host-given, and what the guest reads is the hardware's, not KVM's copy. */
ARMCPU_API bool armcpu_field_untrapped(const armcpu_field *f);

/* Does the view give f's value: the register present, the field's vCPU
 * feature on when measured, none of its bits unknown? */
ARMCPU_API bool armcpu_view_knows(const armcpu_reg_view *view, const armcpu_field *f);

/* The host register reg's KVM write rules read, or NULL. */
ARMCPU_API const armcpu_reg *armcpu_reg_rule_host(const armcpu_reg *reg);

/* "6.12.117+deb13-arm64" -> 6012 (major * 1000 + minor); 0 when the text
 * does not start with MAJOR.MINOR (the newest known rules then apply). */
ARMCPU_API unsigned armcpu_kernel_key(const char *release);

typedef enum armcpu_verdict {
    ARMCPU_VERDICT_SAME,         /* spec value == host value */
    ARMCPU_VERDICT_SETTABLE,     /* writable and accepted: KVM will take it */
    ARMCPU_VERDICT_OVERPROMISE,  /* blocks: writable, but unsafe against the
                                    host by the kernel's rule */
    ARMCPU_VERDICT_NOT_WRITABLE, /* blocks: differs and KVM cannot write it */
    ARMCPU_VERDICT_IDENTITY,     /* MIDR/REVIDR/AIDR differ and cannot be
                                    written: the guest sees the host's */
    ARMCPU_VERDICT_HOST_GIVEN,   /* the spec leaves the register to the host:
                                    cache geometry it does not set, AArch32
                                    registers of a spec without AArch32 */
    ARMCPU_VERDICT_UNCHECKED,    /* unknown: the host was measured with the
                                    field's vCPU feature off, its limit is
                                    unknown */
    ARMCPU_VERDICT_REFUSED,      /* blocks: KVM refuses the value in any
                                    write of its register (e.g.
                                    ID_DFR0_EL1.CopDbg below Armv8) */
    ARMCPU_VERDICT_UNKNOWN,      /* unknown: no host value (register not in
                                    the snapshot, or not exposed by KVM while
                                    the spec gives it a value) */
} armcpu_verdict;

ARMCPU_API const char *armcpu_verdict_name(armcpu_verdict v);
/* OVERPROMISE, NOT_WRITABLE, REFUSED */
ARMCPU_API bool armcpu_verdict_blocks(armcpu_verdict v);
/* UNCHECKED, UNKNOWN: the answer rests on something the host data cannot
 * tell; an answer with such fields is never a plain "usable". */
ARMCPU_API bool armcpu_verdict_unknown(armcpu_verdict v);

/* armcpu_judge spec_flags */
#define ARMCPU_JUDGE_AARCH32 1u /* the spec implements AArch32 at some EL */
#define ARMCPU_JUDGE_SETS 2u    /* the spec sets a field of this register
                                   (else it is the table default) */

/*
 * The acceptance judgement, the one rule every check, fix, comparison,
 * baseline, plan, props-info and KVM writeback of armcpu uses: will KVM on
 * this host accept the spec's value of field f, and will the guest then see
 * it? spec_reg is the spec's whole register (KVM's whole-register write
 * rules judge it), host what KVM reports for the register. In order:
 * host-given (an AArch32 register of a spec without AArch32, or cache
 * geometry the spec does not set), unknown (no host value; a register KVM
 * does not expose counts only where the spec gives the field a value other
 * than the table default), unchecked (vCPU feature off), refused (a write of
 * the register happens and a write rule refuses the field), same, identity
 * registers (settable where writable, else identity), settable or
 * over-promise (writable: the table's any-value rule or the kernel's safe
 * rule with KVM's policy for the host's kernel; a field cpufeature.c does
 * not describe must equal the host's), else not-writable. A host-given
 * field is SAME where the host has no value or the same one. A one-line reason
 * goes to `reason` (may be NULL) for every verdict but SAME and SETTABLE.
 */
ARMCPU_API armcpu_verdict armcpu_judge(const armcpu_field *f, uint64_t spec_reg, unsigned spec_flags,
                            const armcpu_reg_view *host, char *reason, size_t reason_size);
/* The same for the register's bits outside every field: they must equal
 * the host's (host-given registers and registers without a host value
 * excepted: SAME). */
ARMCPU_API armcpu_verdict armcpu_judge_outside(const armcpu_reg *reg, uint64_t spec_reg,
                                    unsigned spec_flags, const armcpu_reg_view *host,
                                    char *reason, size_t reason_size);
/* The policy KVM applies to f under a kernel (armcpu_kernel_key; 0: newest). */
ARMCPU_API armcpu_policy armcpu_field_policy_for(const armcpu_field *f, unsigned kernel);

/* ------------------------------------------------------- KVM ONE_REG ids */

#define ARMCPU_KVM_REG_ARM64 0x6000000000000000ULL
#define ARMCPU_KVM_REG_SIZE_U64 0x0030000000000000ULL
#define ARMCPU_KVM_REG_SIZE_U128 0x0040000000000000ULL
#define ARMCPU_KVM_REG_SIZE_MASK 0x00f0000000000000ULL
#define ARMCPU_KVM_REG_ARM64_SYSREG (0x0013ULL << 16)

/* size_bits: 64 or 128. Fails on out-of-range op fields. */
ARMCPU_API int armcpu_kvm_id_encode(unsigned op0, unsigned op1, unsigned crn,
                         unsigned crm, unsigned op2, unsigned size_bits,
                         uint64_t *id, armcpu_error *err);
ARMCPU_API int armcpu_kvm_id_decode(uint64_t id, unsigned *op0, unsigned *op1,
                         unsigned *crn, unsigned *crm, unsigned *op2,
                         unsigned *size_bits, armcpu_error *err);
/* "op0:3 op1:0 crn:0 crm:7 op2:4" (as in KVM's error messages), both ways. */
ARMCPU_API void armcpu_encoding_format(unsigned op0, unsigned op1, unsigned crn,
                            unsigned crm, unsigned op2, char *buf,
                            size_t size);
ARMCPU_API int armcpu_encoding_parse(const char *text, unsigned *op0, unsigned *op1,
                          unsigned *crn, unsigned *crm, unsigned *op2,
                          armcpu_error *err);

/* ------------------------------------------------------- helpers */

/*
 * Parse an unsigned number: decimal, 0x hex or 0b binary, no sign, no
 * trailing junk, at most 64 bits. `what` names the input in the message.
 */
ARMCPU_API int armcpu_parse_u64(const char *text, const char *what, uint64_t *out,
                     armcpu_error *err);

#ifdef __cplusplus
}
#endif
#endif
