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

struct fake {
    uint64_t value[256], limit[256], mask[ARMCPU_KVM_MASK_COUNT];
    size_t fail_set; /* 1-based: the KVM_SET_ONE_REG that fails with EINVAL (0: none) */
    bool fail_after; /* and every one after it */
    int err[256]; /* GET error per table register */
    bool has_masks, ran;
    size_t gets, sets;
};

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
    armcpu_host_free(h);
    return f;
}

static int fake_get(void *o, uint64_t id, uint64_t *v)
{
    struct fake *f = o;
    const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
    f->gets++;
    if (!r)
        return ENOENT;
    size_t i = armcpu_reg_index(r);
    if (f->err[i])
        return f->err[i];
    *v = f->value[i];
    return 0;
}

/* Linux 6.12's rule (set_id_reg, arm64_check_features): bits outside the
 * mask unchanged, writable fields safe against the vCPU's limit (the value
 * KVM first showed, so a register can always be set back to it), EBUSY
 * after a run; and the fail_set-th write fails, whatever it is. */
static int fake_set(void *o, uint64_t id, uint64_t v)
{
    struct fake *f = o;
    const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
    f->sets++;
    if (f->fail_set && (f->sets == f->fail_set || (f->fail_after && f->sets > f->fail_set)))
        return EINVAL;
    if (!r)
        return ENOENT;
    size_t i = armcpu_reg_index(r);
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
    struct armcpu_kvm_backend b = {f,         fake_get,          fake_set, fake_masks,
                                   "6.12.0-test", "sve,pmu,ptrauth", "unit test"};
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

/* All or nothing: the k-th of a spec's K writes fails, for every k; the
 * k - 1 written before are set back and read back, the vCPU ends as it
 * began; and when the restores fail too, the error says half-applied. */
static void test_apply_all_or_nothing(void **state)
{
    (void)state;
    const char *spec = N1_FIXED ",feat_AES=aes,feat_SHA2=sha256,feat_LRCPC=off,el2_mode=aarch64";
    struct fake *f = fake_from(N1);
    struct armcpu_kvm_backend b = backend(f);
    armcpu_cpu *cpu = realize(spec);
    armcpu_kvm_report *r = armcpu_kvm_report_new();
    armcpu_error err = {0};
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_OK);
    size_t writes = f->sets;
    assert_true(writes >= 3); /* the test means something */
    assert_int_equal(count(r, ARMCPU_KVM_WRITTEN), writes);
    free(f);
    for (size_t k = 1; k <= writes; k++) {
        f = fake_from(N1);
        b = backend(f);
        f->fail_set = k;
        memset(&err, 0, sizeof err);
        assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_CONFLICT);
        assert_non_null(strstr(err.message, "nothing changed"));
        assert_int_equal(count(r, ARMCPU_KVM_REFUSED), 1);
        assert_int_equal(count(r, ARMCPU_KVM_RESTORED), k - 1);
        assert_int_equal(count(r, ARMCPU_KVM_NOT_RESTORED), 0);
        assert_int_equal(f->sets, k + (k - 1)); /* no write after the refusal but the restores */
        for (size_t i = 0; i < armcpu_reg_count(); i++)
            if (f->value[i] != f->limit[i])
                fail_msg("fail at write %zu: %s left 0x%016llx, was 0x%016llx", k,
                         armcpu_reg_name(armcpu_reg_at(i)), (unsigned long long)f->value[i],
                         (unsigned long long)f->limit[i]);
        free(f);
    }
    /* the restores refused as well: said, not hidden */
    f = fake_from(N1);
    b = backend(f);
    f->fail_set = writes;
    f->fail_after = true;
    assert_int_equal(armcpu_kvm_apply_backend(&b, cpu, 0, r, &err), ARMCPU_ERR_ENV);
    assert_non_null(strstr(err.message, "half-applied"));
    assert_int_equal(count(r, ARMCPU_KVM_NOT_RESTORED), writes - 1);
    free(f);
    armcpu_kvm_report_free(r);
    armcpu_cpu_free(cpu);
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
        cmocka_unit_test(test_no_kvm_here),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    armcpu_ctx_free(ctx);
    return rc;
}
