/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The KVM logic without KVM: the snapshot of a vCPU and armcpu_kvm_apply's
 * plan, refusals and readback, against a fake register backend that behaves
 * as Linux 6.12 does (writable masks, the safe rule, EBUSY after a run,
 * MIDR not writable), seeded from the embedded qemu-neoverse-n1-linux-6.12.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "armcpu/kvm.h"
#include "kvm/kvm_internal.h"

#define N1 "qemu-neoverse-n1-linux-6.12"
#define N1_FIXED "neoverse-n1-v1,SYSREG_ID_DFR0_EL1_CopSDbg=0x0"

/* A fault of one register: its from-th call and every later one fail with
 * err; for a set, err 0 takes the write (returns 0) and keeps the value. */
struct fault {
    const armcpu_reg *reg; /* NULL: none */
    size_t from;           /* 1-based, counting that register's calls only */
    int err;
};

struct fake {
    uint64_t value[256], limit[256], mask[ARMCPU_KVM_MASK_COUNT];
    size_t fail_set; /* 1-based: the KVM_SET_ONE_REG that fails with EINVAL (0: none) */
    bool fail_after; /* and every one after it */
    struct fault set_fault, get_fault;
    size_t reg_sets[256], reg_gets[256];
    int err[256]; /* GET error per table register */
    bool has_masks, ran;
    size_t gets, sets;
    /* the vCPU configuration (armcpu/config.h) as Linux 6.12 keeps it:
     * cfg the vCPU's (VM's) value, host the limits, has: shown */
    bool has[ARMCPU_CONFIG_COUNT];
    uint64_t cfg[ARMCPU_CONFIG_COUNT], host[ARMCPU_CONFIG_COUNT];
    uint64_t pmcr_low; /* PMCR_EL0 without N */
    bool finalized;    /* KVM_ARM_VCPU_FINALIZE done: SVE_VLS EPERM */
    bool drop_cfg[ARMCPU_CONFIG_COUNT]; /* take the write, keep the value */
};

/* The firmware registers' config items by ONE_REG id (-1: none). */
static int cfg_of_id(uint64_t id)
{
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        if (c != ARMCPU_CONFIG_SVE_VLS && c != ARMCPU_CONFIG_PMU_COUNTERS &&
            armcpu_config_kvm_id((armcpu_config)c) == id && id)
            return (int)c;
    return -1;
}

/* The 6.12 defaults where the snapshot records no vCPU configuration: the
 * items of a QEMU TCG host under Linux 6.12 (no BMAP_2 before 6.15). */
static void fake_config(struct fake *f, const armcpu_host *h)
{
    static const uint64_t dflt[ARMCPU_CONFIG_COUNT] = {
        [ARMCPU_CONFIG_SVE_VLS] = 0x1,         [ARMCPU_CONFIG_PMU_COUNTERS] = 6,
        [ARMCPU_CONFIG_IPA_BITS] = 48,         [ARMCPU_CONFIG_PSCI_VERSION] = 0x10001,
        [ARMCPU_CONFIG_SMCCC_WA1] = 1,         [ARMCPU_CONFIG_SMCCC_WA2] = 0,
        [ARMCPU_CONFIG_SMCCC_WA3] = 1,         [ARMCPU_CONFIG_FW_STD_BMAP] = 0x1,
        [ARMCPU_CONFIG_FW_STD_HYP_BMAP] = 0x1, [ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP] = 0x3,
    };
    uint64_t pfr0 = armcpu_host_reg_value(h, armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL));
    uint64_t dfr0 = armcpu_host_reg_value(h, armcpu_reg_by_name("ID_AA64DFR0_EL1", NULL));
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t v;
        if (armcpu_host_config(h, (armcpu_config)c, &v)) {
            f->has[c] = true;
        } else {
            v = dflt[c];
            f->has[c] = c != ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2;
            if (c == ARMCPU_CONFIG_SVE_VLS)
                f->has[c] = (pfr0 >> 32 & 0xf) != 0;
            if (c == ARMCPU_CONFIG_PMU_COUNTERS)
                f->has[c] = (dfr0 >> 8 & 0xf) != 0;
        }
        f->cfg[c] = f->host[c] = v;
    }
    f->pmcr_low = 0x41;
    f->finalized = true;
}

static bool faulted(const struct fault *ft, const armcpu_reg *r, size_t *calls)
{
    if (ft->reg != r)
        return false;
    return ++*calls >= ft->from;
}

static struct fake *fake_from(const char *host_name)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open(host_name, &err);
    if (!h)
        fail_msg("%s", err.message);
    struct fake *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->has_masks = armcpu_host_has_masks(h);
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        armcpu_reg_state st = armcpu_host_reg_state(h, r);
        f->err[i] = st == ARMCPU_REG_PRESENT ? 0 : ENOENT;
        f->value[i] = f->limit[i] = armcpu_host_reg_value(h, r);
        int k = armcpu_kvm_mask_index(r);
        assert_true(k >= 0);
        f->mask[k] = armcpu_host_reg_mask(h, r);
    }
    fake_config(f, h);
    armcpu_host_free(h);
    return f;
}

static int fake_get(void *o, uint64_t id, uint64_t *v)
{
    struct fake *f = o;
    const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
    f->gets++;
    if (id == ARMCPU_KVM_REG_PMCR_EL0) {
        if (!f->has[ARMCPU_CONFIG_PMU_COUNTERS])
            return ENOENT;
        *v = f->pmcr_low | f->cfg[ARMCPU_CONFIG_PMU_COUNTERS] << 11;
        return 0;
    }
    int c = cfg_of_id(id);
    if (c >= 0) {
        if (!f->has[c])
            return ENOENT;
        *v = f->cfg[c];
        return 0;
    }
    if (!r)
        return ENOENT;
    size_t i = armcpu_reg_index(r);
    if (faulted(&f->get_fault, r, &f->reg_gets[i]))
        return f->get_fault.err;
    if (f->err[i])
        return f->err[i];
    *v = f->value[i];
    return 0;
}

/* Linux 6.12's rule (set_id_reg, arm64_check_features): bits outside the
 * mask unchanged, writable fields safe against the vCPU's limit (the value
 * KVM first showed, so a register can always be set back to it), EBUSY
 * after a run; and the fail_set-th write fails, whatever it is, as does
 * set_fault's register. */
static int fake_set(void *o, uint64_t id, uint64_t v)
{
    struct fake *f = o;
    const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
    f->sets++;
    if (f->fail_set && (f->sets == f->fail_set || (f->fail_after && f->sets > f->fail_set)))
        return EINVAL;
    int c = cfg_of_id(id);
    if (id == ARMCPU_KVM_REG_PMCR_EL0) {
        /* sys_regs.c set_pmcr (6.7+): N only before the first run and up
         * to the host's, else silently kept; returns 0 either way */
        if (!f->has[ARMCPU_CONFIG_PMU_COUNTERS])
            return ENOENT;
        uint64_t n = v >> 11 & 0x1f;
        if (!f->ran && n <= f->host[ARMCPU_CONFIG_PMU_COUNTERS] &&
            !f->drop_cfg[ARMCPU_CONFIG_PMU_COUNTERS])
            f->cfg[ARMCPU_CONFIG_PMU_COUNTERS] = n;
        f->pmcr_low = v & 0xff;
        return 0;
    }
    if (c >= 0) {
        /* hypercalls.c kvm_arm_set_fw_reg / _bmap */
        if (!f->has[c])
            return ENOENT;
        uint64_t h = f->host[c];
        switch (c) {
        case ARMCPU_CONFIG_PSCI_VERSION:
            if (v != 0x2 && !(v >= 0x10000 && v <= h))
                return EINVAL;
            break;
        case ARMCPU_CONFIG_SMCCC_WA1:
        case ARMCPU_CONFIG_SMCCC_WA3:
            return (v & ~0xfull) || v > h ? EINVAL : 0; /* checked, not stored */
        case ARMCPU_CONFIG_SMCCC_WA2:
            return (v & ~0xfull) || (v >= 2 ? 3 : 0) > h ? EINVAL : 0;
        default: /* the bitmaps */
            if (v & ~h)
                return EINVAL;
            if (f->ran && v != f->cfg[c])
                return EBUSY;
        }
        if (!f->drop_cfg[c])
            f->cfg[c] = v;
        return 0;
    }
    if (!r)
        return ENOENT;
    size_t i = armcpu_reg_index(r);
    if (faulted(&f->set_fault, r, &f->reg_sets[i]))
        return f->set_fault.err;
    if (v == f->value[i])
        return 0;
    if (f->ran)
        return EBUSY;
    uint64_t m = f->has_masks ? f->mask[armcpu_kvm_mask_index(r)] : 0;
    if ((v & ~m) != (f->value[i] & ~m))
        return EINVAL;
    for (size_t k = 0; k < armcpu_reg_field_count(r); k++) {
        const armcpu_field *fl = armcpu_reg_field_at(r, k);
        if (!armcpu_field_is_safe(fl, armcpu_field_get(fl, v), armcpu_field_get(fl, f->limit[i]),
                                  NULL, 0))
            return EINVAL;
    }
    f->value[i] = v;
    return 0;
}

/* guest.c get_sve_vls / set_sve_vls: EPERM once finalized; the host's
 * lengths up to the largest written, which the host must have */
static int fake_get_vls(void *o, uint64_t w[8])
{
    struct fake *f = o;
    f->gets++;
    if (!f->has[ARMCPU_CONFIG_SVE_VLS])
        return ENOENT;
    memset(w, 0, 8 * sizeof *w);
    w[0] = f->cfg[ARMCPU_CONFIG_SVE_VLS];
    return 0;
}

static int fake_set_vls(void *o, const uint64_t w[8])
{
    struct fake *f = o;
    f->sets++;
    if (f->fail_set && (f->sets == f->fail_set || (f->fail_after && f->sets > f->fail_set)))
        return EINVAL;
    if (!f->has[ARMCPU_CONFIG_SVE_VLS])
        return ENOENT;
    if (f->finalized)
        return EPERM;
    uint64_t h = f->host[ARMCPU_CONFIG_SVE_VLS], v = w[0];
    for (int i = 1; i < 8; i++)
        if (w[i])
            return EINVAL;
    if (!v)
        return EINVAL;
    unsigned top = 63 - (unsigned)__builtin_clzll(v);
    uint64_t below = top >= 63 ? ~0ull : (2ull << top) - 1;
    if (v > below || (v ^ h) & below || !(h >> top & 1))
        return EINVAL;
    f->cfg[ARMCPU_CONFIG_SVE_VLS] = v;
    return 0;
}

static int fake_ipa(void *o, unsigned *bits)
{
    struct fake *f = o;
    if (!f->has[ARMCPU_CONFIG_IPA_BITS])
        return EINVAL;
    *bits = (unsigned)f->host[ARMCPU_CONFIG_IPA_BITS];
    return 0;
}

static int fake_masks(void *o, uint64_t masks[ARMCPU_KVM_MASK_COUNT])
{
    struct fake *f = o;
    if (!f->has_masks)
        return ENOTSUP;
    memcpy(masks, f->mask, sizeof f->mask);
    return 0;
}

static struct armcpu_kvm_backend backend(struct fake *f)
{
    struct armcpu_kvm_backend b = {f,         fake_get,          fake_set,    fake_masks,
                                   "6.12.0-test", "sve,pmu,ptrauth", "unit test", fake_get_vls,
                                   fake_set_vls, fake_ipa,          40};
    return b;
}

static armcpu_ctx *ctx;

static armcpu_cpu *realize(const char *spec)
{
    armcpu_error err = {0};
    armcpu_cpu *c = armcpu_realize(ctx, spec, false, &err);
    if (!c)
        fail_msg("%s: %s", spec, err.message);
    return c;
}

static size_t count(const armcpu_kvm_report *r, armcpu_kvm_finding_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < armcpu_kvm_report_count(r); i++)
        n += armcpu_kvm_report_at(r, i)->kind == k;
    return n;
}

static const armcpu_kvm_finding *first(const armcpu_kvm_report *r, armcpu_kvm_finding_kind k)
{
    for (size_t i = 0; i < armcpu_kvm_report_count(r); i++)
        if (armcpu_kvm_report_at(r, i)->kind == k)
            return armcpu_kvm_report_at(r, i);
    return NULL;
}

static void test_mask_index(void **state)
{
    (void)state;
    assert_int_equal(armcpu_kvm_mask_index(armcpu_reg_by_name("MIDR_EL1", NULL)), 0);
    assert_int_equal(armcpu_kvm_mask_index(armcpu_reg_by_name("ID_AA64ISAR0_EL1", NULL)), 48);
    assert_int_equal(armcpu_kvm_mask_index(armcpu_reg_by_name("CLIDR_EL1", NULL)), 65);
    assert_int_equal(armcpu_kvm_mask_index(armcpu_reg_by_name("CTR_EL0", NULL)), 129);
    assert_int_equal(armcpu_kvm_mask_index(armcpu_reg_by_name("DCZID_EL0", NULL)), 135);
}

/* The probe's snapshot of a vCPU equals the snapshot it was seeded from. */
static void test_snapshot(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_error err = {0};
    armcpu_host *h = armcpu_kvm_host_from_backend(&b, &err), *want = armcpu_host_open(N1, &err);
    assert_non_null(h);
    assert_non_null(want);
    assert_string_equal(armcpu_host_name(h), "local");
    assert_string_equal(armcpu_host_kernel(h), "6.12.0-test");
    assert_true(armcpu_host_has_masks(h));
    assert_true(armcpu_host_vcpu_feature(h, "sve"));
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        assert_int_equal(armcpu_host_reg_state(h, r), armcpu_host_reg_state(want, r));
        if (armcpu_host_reg_state(h, r) != ARMCPU_REG_PRESENT)
            continue;
        assert_int_equal(armcpu_host_reg_value(h, r), armcpu_host_reg_value(want, r));
        assert_int_equal(armcpu_host_reg_mask(h, r), armcpu_host_reg_mask(want, r));
    }
    /* DCZID_EL0 reads ENOENT on this host: absent, not 0 */
    assert_int_equal(armcpu_host_reg_state(h, armcpu_reg_by_name("DCZID_EL0", NULL)),
                     ARMCPU_REG_ABSENT);
    armcpu_host_free(h);
    /* Before Linux 6.7: no masks, nothing writable */
    f->has_masks = false;
    h = armcpu_kvm_host_from_backend(&b, &err);
    assert_non_null(h);
    assert_false(armcpu_host_has_masks(h));
    assert_int_equal(armcpu_host_reg_mask(h, armcpu_reg_by_name("ID_AA64ISAR0_EL1", NULL)), 0);
    armcpu_host_free(h);
    armcpu_host_free(want);
    free(f);
}

/* A usable spec: one SET_ONE_REG per differing register, read back equal. */
static void test_apply_usable(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_cpu *cpu = realize(N1_FIXED);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    size_t get, set, other;
    armcpu_kvm_report_ioctls(r, &get, &set, &other);
    assert_int_equal(set, count(r, ARMCPU_KVM_WRITTEN));
    assert_int_equal(set, f->sets);
    assert_true(set >= 1);
    assert_int_equal(armcpu_kvm_report_failures(r), 0);
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *reg = armcpu_reg_at(i);
        uint64_t before, after;
        if (!armcpu_kvm_report_reg(r, reg, &before, &after) ||
            !strcmp(armcpu_reg_name(reg), "CLIDR_EL1"))
            continue;
        assert_int_equal(after, armcpu_cpu_reg_value(cpu, reg));
    }
    /* applying again writes nothing */
    f->sets = 0;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    assert_int_equal(f->sets, 0);
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
    free(f);
}

/* Blocked: refused before any write, naming register, field, wanted, current. */
static void test_apply_blocked(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_cpu *cpu = realize(N1_FIXED ",feat_SHA3=on");
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
    assert_int_equal(f->sets, 0);
    assert_non_null(strstr(err.message, "refused before any write"));
    const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_BLOCKED);
    assert_non_null(x);
    assert_string_equal(armcpu_reg_name(x->reg), "ID_AA64ISAR0_EL1");
    assert_string_equal(armcpu_field_name(x->field), "SHA3");
    assert_int_equal(x->wanted, 1);
    assert_int_equal(x->current, 0);
    /* forced: KVM (the fake) refuses it; the refusal names the field */
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, ARMCPU_KVM_APPLY_FORCE, r, &err),
                     ARMCPU_ERR_CONFLICT);
    x = first(r, ARMCPU_KVM_REFUSED);
    assert_non_null(x);
    assert_string_equal(armcpu_field_name(x->field), "SHA3");
    assert_int_equal(x->err, EINVAL);
    assert_non_null(strstr(x->message, "EINVAL"));
    assert_non_null(strstr(x->message, "op0:3 op1:0 crn:0 crm:6 op2:0"));
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
    free(f);
}

/* KVM's whole-register rule (CopDbg >= Armv8) blocks before writing. */
static void test_apply_kvm_rule(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_cpu *cpu = realize(N1_FIXED ",SYSREG_ID_DFR0_EL1_CopDbg=0x0");
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, NULL), ARMCPU_ERR_CONFLICT);
    assert_int_equal(f->sets, 0);
    const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_BLOCKED);
    assert_non_null(x);
    assert_string_equal(armcpu_field_name(x->field), "CopDbg");
    assert_non_null(strstr(x->message, "set_id_dfr0_el1"));
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
    free(f);
}

/* After KVM_RUN: EBUSY, reported as such. */
static void test_apply_busy(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    f->ran = true;
    armcpu_cpu *cpu = realize(N1_FIXED);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
    const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_BUSY);
    assert_non_null(x);
    assert_int_equal(x->err, EBUSY);
    assert_non_null(strstr(x->message, "already run"));
    assert_int_equal(count(r, ARMCPU_KVM_MISMATCH), 0);
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
    free(f);
}

/* A different MIDR on a kernel that cannot write it: an identity finding. */
static void test_apply_identity(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_cpu *cpu = realize(N1_FIXED ",cpu_partnum=0xd0b");
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_IDENTITY);
    assert_non_null(x);
    assert_string_equal(armcpu_reg_name(x->reg), "MIDR_EL1");
    assert_non_null(strstr(x->message, "the guest would see a different MIDR"));
    assert_non_null(strstr(x->message, "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS"));
    assert_int_equal(armcpu_kvm_report_failures(r), 0);
    /* a kernel whose mask says writable but refuses (6.15+ without the cap):
     * still an identity finding, not a failure */
    f->mask[0] = 0xffffffff;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    x = first(r, ARMCPU_KVM_IDENTITY);
    assert_non_null(x);
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
    free(f);
}

/* read_all's reads of the vCPU configuration: SVE_VLS, PMCR_EL0 and the
 * 8 firmware registers (ipa_bits is a KVM_CHECK_EXTENSION) */
#define CFG_READS 10
#define AON_SPEC N1_FIXED ",feat_AES=aes,feat_SHA2=sha256,feat_LRCPC=off,el2_mode=aarch64"

/* The spec's writes, in order, on a fresh fake; their number. */
static size_t write_order(const armcpu_cpu *cpu, const armcpu_reg **order, size_t max)
{
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    size_t n = 0;
    for (size_t i = 0; i < armcpu_kvm_report_count(r); i++)
        if (armcpu_kvm_report_at(r, i)->kind == ARMCPU_KVM_WRITTEN && n < max)
            order[n++] = armcpu_kvm_report_at(r, i)->reg;
    assert_int_equal(n, f->sets);
    assert_int_equal(armcpu_kvm_report_rollback(r, NULL), ARMCPU_KVM_ROLLBACK_NONE);
    armcpu_kvm_report_free(r);
    free(f);
    return n;
}

/* The whole fake register file equals was. */
static void assert_unchanged(const struct fake *f, const uint64_t *was, const char *what, size_t k)
{
    for (size_t i = 0; i < armcpu_reg_count(); i++)
        if (f->value[i] != was[i])
            fail_msg("%s, write %zu refused: %s left 0x%016llx, was 0x%016llx", what, k,
                     armcpu_reg_name(armcpu_reg_at(i)), (unsigned long long)f->value[i],
                     (unsigned long long)was[i]);
}

/* All or nothing: the k-th of a spec's N writes fails, for every k; the k - 1
 * written before are rolled back in reverse order and read back, and the
 * whole register file ends as it began. Forced, every other register is
 * written and read back first, then all are rolled back the same way. */
static void test_apply_all_or_nothing(void **state)
{
    (void)state;
    armcpu_cpu *cpu = realize(AON_SPEC);
    const armcpu_reg *order[64];
    size_t n = write_order(cpu, order, 64);
    assert_true(n >= 3); /* the test means something */
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    uint64_t was[256];
    for (int forced = 0; forced <= 1; forced++) {
        for (size_t k = 1; k <= n; k++) {
            struct fake *f = fake_from(N1);
            struct armcpu_kvm_backend b = backend(f);
            memcpy(was, f->value, sizeof was);
            f->fail_set = k;
            armcpu_error err = {0};
            assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, forced ? ARMCPU_KVM_APPLY_FORCE : 0,
                                                      r, &err),
                             ARMCPU_ERR_CONFLICT);
            assert_unchanged(f, was, forced ? "forced" : "not forced", k);
            assert_non_null(strstr(err.message, "not applied, nothing changed"));
            /* the refusal names the k-th register */
            assert_true(count(r, ARMCPU_KVM_REFUSED) >= 1);
            for (size_t i = 0; i < armcpu_kvm_report_count(r); i++)
                if (armcpu_kvm_report_at(r, i)->kind == ARMCPU_KVM_REFUSED)
                    assert_ptr_equal(armcpu_kvm_report_at(r, i)->reg, order[k - 1]);
            /* exactly the registers written, rolled back last written first,
             * each to its value before the apply and read back so */
            size_t rolled = forced ? n - 1 : k - 1, seen = 0;
            for (size_t i = 0; i < armcpu_kvm_report_count(r); i++) {
                const armcpu_kvm_finding *x = armcpu_kvm_report_at(r, i);
                if (x->kind != ARMCPU_KVM_RESTORED)
                    continue;
                size_t j = rolled - 1 - seen++; /* index among the written */
                const armcpu_reg *want = order[forced && j >= k - 1 ? j + 1 : j];
                assert_ptr_equal(x->reg, want);
                assert_int_equal(x->wanted, was[armcpu_reg_index(want)]);
                assert_int_equal(x->current, was[armcpu_reg_index(want)]);
                uint64_t before, after;
                assert_true(armcpu_kvm_report_reg(r, want, &before, &after));
                assert_int_equal(after, before);
            }
            assert_int_equal(seen, rolled);
            assert_int_equal(count(r, ARMCPU_KVM_NOT_RESTORED), 0);
            size_t restores, get, set;
            assert_int_equal(armcpu_kvm_report_rollback(r, &restores), ARMCPU_KVM_ROLLBACK_DONE);
            assert_int_equal(restores, rolled);
            armcpu_kvm_report_ioctls(r, &get, &set, NULL);
            assert_int_equal(set, f->sets);
            /* not forced: no write after the refusal but the rollback's */
            assert_int_equal(f->sets, (forced ? n : k) + rolled);
            /* the snapshot's reads, (forced: the readback of those present,)
             * one per register rolled back and one of the refused */
            size_t present = 0;
            for (size_t i = 0; i < armcpu_reg_count(); i++)
                present += f->err[i] == 0;
            assert_int_equal(get, armcpu_reg_count() + CFG_READS + (forced ? present : 0) + rolled + 1);
            free(f);
        }
    }
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
}

/* A rollback that fails (its write refused or dropped, its readback or the
 * refused register's unreadable): the report names the register and the
 * value it is left with, the error says partially applied, discard it. */
static void test_apply_rollback_fails(void **state)
{
    (void)state;
    armcpu_cpu *cpu = realize(AON_SPEC);
    const armcpu_reg *order[64];
    size_t n = write_order(cpu, order, 64);
    assert_true(n >= 3);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    /* the last write fails; the first written register's second set or get fails */
    const struct {
        bool get;
        int err;
        size_t reg; /* in write order */
        const char *says;
    } cases[] = {
        {false, EIO, 0, "rolling back to 0x"},
        {false, 0, 0, "(KVM_SET_ONE_REG took it) but it reads back 0x"},
        {true, EIO, 0, "cannot be read back (KVM_GET_ONE_REG failed with EIO)"},
        {true, EIO, n - 1, "KVM refused its write, but it cannot be read back"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct fake *f = fake_from(N1);
        struct armcpu_kvm_backend b = backend(f);
        uint64_t was[256];
        memcpy(was, f->value, sizeof was);
        const armcpu_reg *bad = order[cases[c].reg];
        size_t bi = armcpu_reg_index(bad);
        f->fail_set = n;
        struct fault ft = {bad, 2, cases[c].err};
        *(cases[c].get ? &f->get_fault : &f->set_fault) = ft;
        armcpu_error err = {0};
        assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_ENV);
        assert_non_null(strstr(err.message, "left partially applied, discard it"));
        assert_non_null(strstr(err.message, armcpu_reg_name(bad)));
        assert_int_equal(armcpu_kvm_report_rollback(r, NULL), ARMCPU_KVM_ROLLBACK_PARTIAL);
        assert_int_equal(count(r, ARMCPU_KVM_NOT_RESTORED), 1);
        const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_NOT_RESTORED);
        assert_ptr_equal(x->reg, bad);
        assert_int_equal(x->wanted, was[bi]);
        assert_int_equal(x->err, cases[c].err);
        if (!strstr(x->message, cases[c].says))
            fail_msg("case %zu: '%s' does not say '%s'", c, x->message, cases[c].says);
        /* every other written register rolled back */
        assert_int_equal(count(r, ARMCPU_KVM_RESTORED), cases[c].reg == n - 1 ? n - 1 : n - 2);
        if (cases[c].get) { /* the register is as before, but that is not proven */
            assert_int_equal(f->value[bi], was[bi]);
            assert_int_equal(x->current, was[bi]);
        } else { /* left at the written value, read back and named */
            assert_int_not_equal(f->value[bi], was[bi]);
            assert_int_equal(x->current, f->value[bi]);
            char now[80];
            snprintf(now, sizeof now, "%s now 0x%016llx (was 0x%016llx)", armcpu_reg_name(bad),
                     (unsigned long long)f->value[bi], (unsigned long long)was[bi]);
            assert_non_null(strstr(err.message, now));
        }
        for (size_t i = 0; i < armcpu_reg_count(); i++)
            if (i != bi && f->value[i] != was[i])
                fail_msg("case %zu: %s left changed", c, armcpu_reg_name(armcpu_reg_at(i)));
        free(f);
    }
    /* every rollback write refused: each register named */
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    f->fail_set = n;
    f->fail_after = true;
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_ENV);
    assert_non_null(strstr(err.message, "partially applied"));
    assert_int_equal(count(r, ARMCPU_KVM_NOT_RESTORED), n - 1);
    assert_int_equal(armcpu_kvm_report_failures(r), 1 + (n - 1));
    for (size_t i = 0; i + 1 < n; i++)
        assert_non_null(strstr(err.message, armcpu_reg_name(order[i])));
    free(f);
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
}

/* KVM takes every write but keeps its own value of the k-th register (a
 * dropped write, as Linux 7.3 does with ID_AA64MMFR2_EL1.NV): the apply
 * fails on the readback and undoes every write, so nothing changed. */
static void test_apply_dropped_write(void **state)
{
    (void)state;
    armcpu_cpu *cpu = realize(AON_SPEC);
    const armcpu_reg *order[64];
    size_t n = write_order(cpu, order, 64);
    assert_true(n >= 3);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    for (size_t k = 1; k <= n; k++) {
        struct fake *f = fake_from(N1);
        struct armcpu_kvm_backend b = backend(f);
        uint64_t was[256];
        memcpy(was, f->value, sizeof was);
        struct fault ft = {order[k - 1], 1, 0}; /* every set taken, the value kept */
        f->set_fault = ft;
        armcpu_error err = {0};
        assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
        assert_unchanged(f, was, "dropped write", k);
        assert_non_null(strstr(err.message, "not applied, nothing changed: KVM took every write"));
        assert_true(count(r, ARMCPU_KVM_MISMATCH) >= 1);
        assert_ptr_equal(first(r, ARMCPU_KVM_MISMATCH)->reg, order[k - 1]);
        assert_int_equal(count(r, ARMCPU_KVM_REFUSED), 0);
        /* every register written rolled back, the dropped one among them */
        assert_int_equal(count(r, ARMCPU_KVM_RESTORED), n);
        assert_int_equal(armcpu_kvm_report_rollback(r, NULL), ARMCPU_KVM_ROLLBACK_DONE);
        free(f);
    }
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
}

/* The vCPU's features must be the spec's (armcpu_cpu_vcpu_features): a
 * vCPU created with SVE cannot take a spec without it (KVM shows SVE's
 * fields and lets none be written to 0), nor one without a PMU the spec
 * needs; refused before any write, saying which KVM_ARM_VCPU_INIT feature. */
static void test_apply_vcpu_features(void **state)
{
    (void)state;
    const struct {
        const char *host, *spec, *says;
    } cases[] = {
        {"qemu-max-linux-6.12", "host,sve=off", "the vCPU has SVE and the spec none: create it without KVM_ARM_VCPU_SVE"},
        {"qemu-max-linux-6.12", "host,pauth=off", "create it without KVM_ARM_VCPU_PTRAUTH_ADDRESS and _GENERIC"},
        {N1, "host,SYSREG_ID_AA64DFR0_EL1_PMUVer=0x0,SYSREG_ID_DFR0_EL1_PerfMon=0x0",
         "the vCPU has a PMU and the spec none: create it without KVM_ARM_VCPU_PMU_V3"},
        /* a spec needing SVE on a vCPU without: its fields block it first */
        {N1, "neoverse-v1-v1", "fields blocked on this vCPU"},
    };
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct fake *f = fake_from(cases[c].host);
        struct armcpu_kvm_backend b = backend(f);
        armcpu_error err = {0};
        armcpu_host *h = armcpu_host_open(cases[c].host, &err);
        assert_non_null(h);
        armcpu_cpu *cpu = armcpu_realize_on_host(ctx, cases[c].spec, h, false, &err);
        if (!cpu)
            fail_msg("%s: %s", cases[c].spec, err.message);
        assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
        if (!strstr(err.message, cases[c].says) || !strstr(err.message, "refused before any write"))
            fail_msg("%s on %s: '%s' does not say '%s'", cases[c].spec, cases[c].host, err.message,
                     cases[c].says);
        assert_int_equal(f->sets, 0);
        armcpu_cpu_free(cpu);
        armcpu_host_free(h);
        free(f);
    }
    armcpu_kvm_report_free(r);
}

static void test_no_kvm_here(void **state)
{
    (void)state;
#if !(defined(__aarch64__) && defined(__linux__))
    armcpu_error err = {0};
    assert_null(armcpu_kvm_probe(&err));
    assert_int_equal(err.code, ARMCPU_ERR_ENV);
    assert_non_null(strstr(err.message, "arm64"));
    armcpu_cpu *cpu = realize(N1_FIXED);
    assert_int_equal(armcpu_kvm_apply(-1, -1, cpu, NULL, &err), ARMCPU_ERR_ENV);
    assert_false(armcpu_kvm_available(NULL));
    armcpu_cpu_free(cpu);
    armcpu_host *h = armcpu_host_open("local", &err);
    assert_null(h);
    assert_int_equal(err.code, ARMCPU_ERR_ENV);
#endif
    char d[64];
    armcpu_kvm_reg_describe(armcpu_reg_kvm_id(armcpu_reg_by_name("MIDR_EL1", NULL)), d, sizeof d);
    assert_string_equal(d, "MIDR_EL1");
    armcpu_kvm_reg_describe(0x6030000000100040ULL, d, sizeof d);
    assert_string_equal(d, "core pc");
    assert_int_equal(armcpu_kvm_reg_size(0x6030000000100040ULL), 8);
    assert_int_equal(armcpu_kvm_reg_size(0x6040000000100054ULL), 16);
}

/* ---- the vCPU configuration items ---- */

#define CFG_SPEC                                                                           \
    ",pmu_counters=5,psci_version=1.0,smccc_wa1=not_avail,fw_std_bmap=0x0,"                \
    "fw_std_hyp_bmap=0x0,fw_vendor_hyp_bmap=0x1"
/* the config items CFG_SPEC writes (smccc_wa1 only checked) */
static const armcpu_config cfg_written[] = {
    ARMCPU_CONFIG_PMU_COUNTERS,  ARMCPU_CONFIG_PSCI_VERSION,    ARMCPU_CONFIG_SMCCC_WA1,
    ARMCPU_CONFIG_FW_STD_BMAP,   ARMCPU_CONFIG_FW_STD_HYP_BMAP, ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP,
};
#define N_CFG_WRITTEN (sizeof cfg_written / sizeof cfg_written[0])

/* The snapshot records every item the vCPU shows, none it does not. */
static void test_config_snapshot(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_error err = {0};
    armcpu_host *h = armcpu_kvm_host_from_backend(&b, &err);
    assert_non_null(h);
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t v;
        assert_int_equal(armcpu_host_config(h, (armcpu_config)c, &v), f->has[c]);
        if (f->has[c])
            assert_int_equal(v, f->cfg[c]);
    }
    assert_false(armcpu_host_config(h, ARMCPU_CONFIG_SVE_VLS, NULL)); /* N1: no SVE */
    armcpu_host_free(h);
    /* an SVE vCPU: its vector lengths, read as the U512 */
    f->has[ARMCPU_CONFIG_SVE_VLS] = true;
    f->cfg[ARMCPU_CONFIG_SVE_VLS] = f->host[ARMCPU_CONFIG_SVE_VLS] = 0x3;
    uint64_t v = 0;
    assert_non_null(h = armcpu_kvm_host_from_backend(&b, &err));
    assert_true(armcpu_host_config(h, ARMCPU_CONFIG_SVE_VLS, &v));
    assert_int_equal(v, 0x3);
    char *json = armcpu_host_to_json(h);
    assert_non_null(strstr(json, "\"sve_vls\": \"128,256\""));
    armcpu_free(json);
    armcpu_host_free(h);
    free(f);
}

static void assert_cfg_unchanged(const struct fake *f, const uint64_t *was, const char *what,
                                 size_t k)
{
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        if (f->cfg[c] != was[c])
            fail_msg("%s, write %zu refused: %s left 0x%llx, was 0x%llx", what, k,
                     armcpu_config_name((armcpu_config)c), (unsigned long long)f->cfg[c],
                     (unsigned long long)was[c]);
}

/* Every item the spec sets written once and read back (smccc_wa1: the
 * host's level; the write's success is the proof); again: nothing but the
 * check-only write. */
static void test_config_apply(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_cpu *cpu = realize(N1_FIXED CFG_SPEC);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    assert_int_equal(armcpu_kvm_report_failures(r), 0);
    size_t cfg_w = 0;
    for (size_t i = 0; i < armcpu_kvm_report_count(r); i++) {
        const armcpu_kvm_finding *x = armcpu_kvm_report_at(r, i);
        if (x->kind == ARMCPU_KVM_WRITTEN && x->is_config) {
            assert_int_equal(x->config, cfg_written[cfg_w]);
            assert_null(x->reg);
            cfg_w++;
        }
    }
    assert_int_equal(cfg_w, N_CFG_WRITTEN);
    for (size_t k = 0; k < N_CFG_WRITTEN; k++) {
        armcpu_config c = cfg_written[k];
        uint64_t want, before, after;
        assert_true(armcpu_cpu_config(cpu, c, &want));
        assert_true(armcpu_kvm_report_config(r, c, &before, &after));
        assert_int_equal(before, f->host[c]);
        if (armcpu_config_stored(c)) {
            assert_int_equal(f->cfg[c], want);
            assert_int_equal(after, want);
        } else {
            assert_int_equal(after, f->host[c]); /* KVM reads the host's level */
        }
    }
    /* ipa_bits: the VM's (40, the default type), not a register */
    uint64_t ipa;
    assert_true(armcpu_kvm_report_config(r, ARMCPU_CONFIG_IPA_BITS, &ipa, NULL));
    assert_int_equal(ipa, 40);
    f->sets = 0;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    assert_int_equal(f->sets, 1); /* smccc_wa1 again: checked, never kept */
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
    free(f);
}

/* The k-th write refused, for every k, registers and configuration items
 * alike, forced or not: every register and item reads back as before. */
static void test_config_all_or_nothing(void **state)
{
    (void)state;
    armcpu_cpu *cpu = realize(AON_SPEC CFG_SPEC);
    struct fake *f0 = fake_from(N1);
    struct armcpu_kvm_backend b0 = backend(f0);
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b0, cpu, 0, NULL, &err), ARMCPU_OK);
    size_t n = f0->sets;
    assert_true(n >= 3 + N_CFG_WRITTEN);
    free(f0);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    for (int forced = 0; forced <= 1; forced++)
        for (size_t k = 1; k <= n; k++) {
            struct fake *f = fake_from(N1);
            struct armcpu_kvm_backend b = backend(f);
            uint64_t was[256], cwas[ARMCPU_CONFIG_COUNT];
            memcpy(was, f->value, sizeof was);
            memcpy(cwas, f->cfg, sizeof cwas);
            f->fail_set = k;
            assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, forced ? ARMCPU_KVM_APPLY_FORCE : 0,
                                                      r, &err),
                             ARMCPU_ERR_CONFLICT);
            assert_unchanged(f, was, forced ? "forced" : "not forced", k);
            assert_cfg_unchanged(f, cwas, forced ? "forced" : "not forced", k);
            assert_int_equal(armcpu_kvm_report_rollback(r, NULL), ARMCPU_KVM_ROLLBACK_DONE);
            assert_int_equal(count(r, ARMCPU_KVM_NOT_RESTORED), 0);
            assert_non_null(strstr(err.message, "not applied, nothing changed"));
            /* the k-th write is a config item's when k > the registers' */
            const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_REFUSED);
            assert_non_null(x);
            assert_int_equal(x->is_config, k > n - N_CFG_WRITTEN);
            for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
                uint64_t before, after;
                if (armcpu_kvm_report_config(r, (armcpu_config)c, &before, &after) &&
                    armcpu_config_stored((armcpu_config)c))
                    assert_int_equal(after, before);
            }
            free(f);
        }
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
}

/* PMCR_EL0.N above the host's: the check refuses it before any write;
 * forced, KVM 6.7+ takes the write and keeps its N (set_pmcr), apply reads
 * that back and rolls everything back. So does an N KVM drops for another
 * reason (a PMU in strict mode, 7.3). */
static void test_config_pmu_ignored(void **state)
{
    (void)state;
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    char spec[256];
    snprintf(spec, sizeof spec, AON_SPEC ",psci_version=1.0,pmu_counters=%u",
             (unsigned)f->host[ARMCPU_CONFIG_PMU_COUNTERS] + 1);
    armcpu_cpu *cpu = realize(spec);
    uint64_t was[256], cwas[ARMCPU_CONFIG_COUNT];
    memcpy(was, f->value, sizeof was);
    memcpy(cwas, f->cfg, sizeof cwas);
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
    assert_int_equal(f->sets, 0);
    const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_BLOCKED);
    assert_non_null(x);
    assert_true(x->is_config);
    assert_int_equal(x->config, ARMCPU_CONFIG_PMU_COUNTERS);
    assert_non_null(strstr(x->message, "pmu_counters"));
    /* forced: written, ignored, read back, rolled back */
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, ARMCPU_KVM_APPLY_FORCE, r, &err),
                     ARMCPU_ERR_CONFLICT);
    assert_non_null(x = first(r, ARMCPU_KVM_MISMATCH));
    assert_true(x->is_config);
    assert_int_equal(x->config, ARMCPU_CONFIG_PMU_COUNTERS);
    assert_non_null(strstr(x->message, "set_pmcr"));
    assert_int_equal(armcpu_kvm_report_rollback(r, NULL), ARMCPU_KVM_ROLLBACK_DONE);
    assert_unchanged(f, was, "forced pmu_counters", 0);
    assert_cfg_unchanged(f, cwas, "forced pmu_counters", 0);
    armcpu_cpu_free(cpu);
    /* a lower N that KVM keeps its own of, not forced */
    f->drop_cfg[ARMCPU_CONFIG_PMU_COUNTERS] = true;
    cpu = realize(AON_SPEC ",psci_version=1.0,pmu_counters=2");
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
    assert_non_null(x = first(r, ARMCPU_KVM_MISMATCH));
    assert_int_equal(x->config, ARMCPU_CONFIG_PMU_COUNTERS);
    assert_int_equal(armcpu_kvm_report_rollback(r, NULL), ARMCPU_KVM_ROLLBACK_DONE);
    assert_unchanged(f, was, "dropped pmu_counters", 0);
    assert_cfg_unchanged(f, cwas, "dropped pmu_counters", 0);
    assert_non_null(strstr(err.message, "not applied, nothing changed"));
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
    free(f);
}

static armcpu_cpu *on_self(const armcpu_host *h, const char *spec)
{
    armcpu_error err = {0};
    armcpu_cpu *c = armcpu_realize_on_host(ctx, spec, h, false, &err);
    if (!c)
        fail_msg("%s: %s", spec, err.message);
    return c;
}

/* sve_vls: KVM takes it only before the finalization. A finalized vCPU
 * with other lengths: the write is refused (EPERM), nothing else written;
 * one not yet finalized: written and read back; lengths the host cannot
 * give: refused before any write. ipa_bits: the VM's, never written. */
static void test_config_sve_ipa(void **state)
{
    (void)state;
    struct fake *f = fake_from("qemu-max-linux-6.12");
    assert_true(f->has[ARMCPU_CONFIG_SVE_VLS]);
    f->cfg[ARMCPU_CONFIG_SVE_VLS] = f->host[ARMCPU_CONFIG_SVE_VLS] = 0x3; /* 128,256 */
    struct armcpu_kvm_backend b = backend(f);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    armcpu_host *self = armcpu_kvm_host_from_backend(&b, &err);
    assert_non_null(self);
#define ON_SELF(spec) on_self(self, spec)
    armcpu_cpu *cpu = ON_SELF("host,sve128=on");
    uint64_t vls;
    assert_true(armcpu_cpu_config(cpu, ARMCPU_CONFIG_SVE_VLS, &vls));
    assert_int_equal(vls, 0x1);
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
    const armcpu_kvm_finding *x = first(r, ARMCPU_KVM_REFUSED);
    assert_non_null(x);
    assert_int_equal(x->config, ARMCPU_CONFIG_SVE_VLS);
    assert_int_equal(x->err, EPERM);
    assert_non_null(strstr(x->message, "armcpu_kvm_vcpu_new_vm"));
    assert_int_equal(f->cfg[ARMCPU_CONFIG_SVE_VLS], 0x3);
    assert_int_equal(armcpu_kvm_report_rollback(r, NULL), ARMCPU_KVM_ROLLBACK_DONE);
    f->finalized = false;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    uint64_t before, after;
    assert_true(armcpu_kvm_report_config(r, ARMCPU_CONFIG_SVE_VLS, &before, &after));
    assert_int_equal(before, 0x3);
    assert_int_equal(after, 0x1);
    assert_int_equal(f->cfg[ARMCPU_CONFIG_SVE_VLS], 0x1);
    /* applied to a vCPU created with them: nothing to write */
    f->finalized = true;
    f->sets = 0;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    assert_int_equal(f->sets, 0);
    armcpu_cpu_free(cpu);
    /* 512-bit vectors this host lacks: refused before any write */
    cpu = ON_SELF("host,sve128=on,sve256=on,sve384=on,sve512=on");
    f->sets = 0;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
    assert_int_equal(f->sets, 0);
    assert_non_null(x = first(r, ARMCPU_KVM_BLOCKED));
    assert_int_equal(x->config, ARMCPU_CONFIG_SVE_VLS);
    armcpu_cpu_free(cpu);
    /* ipa_bits: the VM type; 40 (this VM's) passes, 44 needs another VM,
     * and on a caller's VM it cannot be verified */
    cpu = ON_SELF("host,ipa_bits=40");
    assert_int_equal(armcpu_cpu_kvm_vm_type(cpu), 40);
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    armcpu_cpu_free(cpu);
    cpu = ON_SELF("host,ipa_bits=44");
    assert_int_equal(armcpu_cpu_kvm_vm_type(cpu), 44);
    f->sets = 0;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
    assert_int_equal(f->sets, 0);
    assert_non_null(x = first(r, ARMCPU_KVM_BLOCKED));
    assert_non_null(strstr(x->message, "armcpu_cpu_kvm_vm_type"));
    b.vm_ipa_bits = 0;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    assert_non_null(x = first(r, ARMCPU_KVM_UNCHECKED));
    assert_int_equal(x->config, ARMCPU_CONFIG_IPA_BITS);
    assert_false(armcpu_kvm_report_config(r, ARMCPU_CONFIG_IPA_BITS, NULL, NULL));
    armcpu_cpu_free(cpu);
    cpu = ON_SELF("host");
    assert_int_equal(armcpu_cpu_kvm_vm_type(cpu), 0);
    armcpu_cpu_free(cpu);
#undef ON_SELF
    armcpu_host_free(self);
    armcpu_kvm_report_free(r);
    free(f);
}

int main(void)
{
    armcpu_error err = {0};
    ctx = armcpu_ctx_new(&err);
    if (!ctx) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_index),     cmocka_unit_test(test_snapshot),
        cmocka_unit_test(test_apply_usable),   cmocka_unit_test(test_apply_blocked),
        cmocka_unit_test(test_apply_kvm_rule), cmocka_unit_test(test_apply_busy),
        cmocka_unit_test(test_apply_identity), cmocka_unit_test(test_apply_all_or_nothing),
        cmocka_unit_test(test_apply_rollback_fails),
        cmocka_unit_test(test_apply_dropped_write),
        cmocka_unit_test(test_apply_vcpu_features), cmocka_unit_test(test_no_kvm_here),
        cmocka_unit_test(test_config_snapshot),     cmocka_unit_test(test_config_apply),
        cmocka_unit_test(test_config_all_or_nothing),
        cmocka_unit_test(test_config_pmu_ignored),  cmocka_unit_test(test_config_sve_ipa),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    armcpu_ctx_free(ctx);
    return rc;
}
