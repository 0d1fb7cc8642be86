/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Output formats: QEMU -cpu (feat and sysreg dialects), libvirt <cpu>. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "armcpu/armcpu.h"
#include "armcpu/model.h"
#include "armcpu/out.h"

/* t-empty: a realizable model with no settings (the table's clean slate);
 * t-hw: a shipped core with hw_prop_ settings in the model itself. */
static const char test_models[] =
    "model t-empty\nversion 1\nparent none\nrealizable yes\n"
    "description test: clean slate\nend\n"
    "model t-hw\nversion 1\nparent neoverse-n1-v1\nrealizable yes\n"
    "description test: hw props in a model\n"
    "source test: hw props\n"
    "hw_prop_TGRAN4_2 = off\nhw_prop_PARANGE = 44\nfeat_AES = aes\n"
    "end\n";

static armcpu_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    armcpu_error err = {0};
    ctx = armcpu_ctx_new(&err);
    if (!ctx) {
        fprintf(stderr, "ctx: %s\n", err.message);
        return -1;
    }
    if (armcpu_ctx_load_model_text(ctx, "test_out.model", test_models,
                                   strlen(test_models), &err)) {
        fprintf(stderr, "load: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    armcpu_ctx_free(ctx);
    return 0;
}

static armcpu_cpu *realize_ok(const char *spec)
{
    armcpu_error err = {0};
    armcpu_cpu *cpu = armcpu_realize(ctx, spec, false, &err);
    if (!cpu)
        fail_msg("realize %s: %s", spec, err.message);
    return cpu;
}

static char *qemu_arg(const char *spec, armcpu_qemu_dialect d, const uint64_t *masks)
{
    armcpu_error err = {0};
    armcpu_cpu *cpu = realize_ok(spec);
    char *s = armcpu_qemu_cpu_arg(ctx, cpu, d, masks, &err);
    armcpu_cpu_free(cpu);
    if (!s)
        fail_msg("qemu arg %s: %s", spec, err.message);
    return s;
}

static char *libvirt_xml(const char *spec)
{
    armcpu_error err = {0};
    armcpu_cpu *cpu = realize_ok(spec);
    char *s = armcpu_libvirt_cpu_xml(ctx, cpu, &err);
    armcpu_cpu_free(cpu);
    if (!s)
        fail_msg("libvirt %s: %s", spec, err.message);
    return s;
}

/* Every register equal; with guest_only, the AArch32 registers of a spec
 * without AArch32 are skipped (they are left to the host, and the sysreg
 * dialect omits them). */
static void regs_equal(const armcpu_cpu *a, const armcpu_cpu *b, const char *what,
                       bool guest_only)
{
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        if (guest_only && !armcpu_cpu_has_aarch32(a) && armcpu_reg_is_aarch32(reg))
            continue;
        uint64_t va = armcpu_cpu_reg_value(a, reg), vb = armcpu_cpu_reg_value(b, reg);
        if (va != vb)
            fail_msg("%s: %s 0x%016llx != 0x%016llx", what, armcpu_reg_name(reg),
                     (unsigned long long)va, (unsigned long long)vb);
    }
}

/* ------------------------------------------------------------ feat dialect */

static void check_feat(const char *spec, const char *want)
{
    char *s = qemu_arg(spec, ARMCPU_QEMU_FEAT, NULL);
    assert_string_equal(s, want);
    free(s);
}

static void test_feat_dialect(void **state)
{
    (void)state;
    check_feat("grace-v1", "grace-v1");
    /* The alias becomes the versioned name. */
    check_feat("grace", "grace-v1");
    /* Canonical order; values exactly as written. */
    check_feat("neoverse-v1-v1,sve=off,feat_AES=aes", "neoverse-v1-v1,feat_AES=aes,sve=off");
    check_feat("neoverse-v1-v1,hw_prop_TGRAN4_2=off,sve=off,feat_AES=aes",
               "neoverse-v1-v1,feat_AES=aes,hw_prop_TGRAN4_2=off,sve=off");
    check_feat("grace,hw_prop_PARANGE=44,feat_AES=0x1,feat_CSV2=1.1",
               "grace-v1,feat_AES=0x1,feat_CSV2=1.1,hw_prop_PARANGE=44");
    check_feat("graviton3-v1,pauth=off,SYSREG_ID_AA64ISAR0_EL1_SHA3=0",
               "graviton3-v1,pauth=off,SYSREG_ID_AA64ISAR0_EL1_SHA3=0");
    /* A model carrying hw_prop_ settings itself: only the name. */
    check_feat("t-hw-v1", "t-hw-v1");
    check_feat("t-hw,cpu_partnum=0xd0c", "t-hw-v1,cpu_partnum=0xd0c");

    /* The output realizes the same registers as the spec. */
    const char *specs[] = {"neoverse-v1-v1,hw_prop_TGRAN4_2=off,sve=off,feat_AES=aes",
                           "grace,hw_prop_PARANGE=44,feat_CSV2=1.1"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        char *s = qemu_arg(specs[i], ARMCPU_QEMU_FEAT, NULL);
        armcpu_cpu *a = realize_ok(specs[i]), *b = realize_ok(s);
        regs_equal(a, b, specs[i], false);
        armcpu_cpu_free(a);
        armcpu_cpu_free(b);
        free(s);
    }
}

/* ------------------------------------------------------------ sysreg dialect */

/* Splits "host,A=1,B=2" into its properties; checks each is SYSREG_..=0x.. */
static size_t sysreg_props(const char *arg, char ***out)
{
    assert_true(strncmp(arg, "host", 4) == 0);
    assert_true(arg[4] == 0 || arg[4] == ',');
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof *v);
    assert_non_null(v);
    const char *p = arg + 4;
    while (*p == ',') {
        p++;
        size_t len = strcspn(p, ",");
        if (n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            assert_non_null(v);
        }
        v[n] = strndup(p, len);
        assert_non_null(v[n]);
        assert_true(strncmp(v[n], "SYSREG_", 7) == 0);
        const char *eq = strchr(v[n], '=');
        assert_non_null(eq);
        assert_true(eq[1] == '0' && eq[2] == 'x' && eq[3]);
        n++;
        p += len;
    }
    assert_true(*p == 0);
    *out = v;
    return n;
}

static void free_props(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* "SYSREG_<REG>_<FIELD>=..." -> the field, by trying every table field. */
static const armcpu_field *field_of_prop(const char *prop)
{
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            char name[160];
            snprintf(name, sizeof name, "SYSREG_%s_%s=", armcpu_reg_name(reg),
                     armcpu_field_name(f));
            if (!strncmp(prop, name, strlen(name)))
                return f;
        }
    }
    fail_msg("no field for %s", prop);
    return NULL;
}

/* Position of a field in table order. */
static size_t field_rank(const armcpu_field *f)
{
    size_t rank = 0;
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++, rank++)
            if (armcpu_reg_field_at(reg, i) == f)
                return rank;
    }
    fail_msg("field not in table");
    return 0;
}

static bool has_prop(char **v, size_t n, const char *prop)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], prop))
            return true;
    return false;
}

/* Every property is a known field in table order, with the cpu's value, and
 * the list realizes the same registers on top of the same model and on a
 * clean slate. */
static void check_sysreg_roundtrip(const char *spec)
{
    char *arg = qemu_arg(spec, ARMCPU_QEMU_SYSREG, NULL);
    char **v;
    size_t n = sysreg_props(arg, &v);
    assert_true(n > 0);
    armcpu_cpu *cpu = realize_ok(spec);
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        const armcpu_field *f = field_of_prop(v[i]);
        size_t rank = field_rank(f);
        if (i)
            assert_true(rank > last);
        last = rank;
        char want[200];
        snprintf(want, sizeof want, "SYSREG_%s_%s=0x%llx", armcpu_reg_name(armcpu_field_reg(f)),
                 armcpu_field_name(f),
                 (unsigned long long)armcpu_field_get(
                     f, armcpu_cpu_reg_value(cpu, armcpu_field_reg(f))));
        assert_string_equal(v[i], want);
    }
    const char *model = armcpu_model_name(armcpu_cpu_model(cpu));
    const char *bases[] = {model, "t-empty-v1"};
    for (size_t k = 0; k < 2; k++) {
        size_t len = strlen(bases[k]) + strlen(arg) + 1;
        char *spec2 = malloc(len);
        assert_non_null(spec2);
        snprintf(spec2, len, "%s%s", bases[k], arg + 4); /* drop "host" */
        armcpu_cpu *back = realize_ok(spec2);
        regs_equal(cpu, back, spec2, true);
        armcpu_cpu_free(back);
        free(spec2);
    }
    armcpu_cpu_free(cpu);
    free_props(v, n);
    free(arg);
}

static void test_sysreg_dialect(void **state)
{
    (void)state;
    char *arg = qemu_arg("grace-v1", ARMCPU_QEMU_SYSREG, NULL);
    char **v;
    size_t n = sysreg_props(arg, &v);
    assert_true(has_prop(v, n, "SYSREG_ID_AA64ISAR0_EL1_AES=0x2"));
    assert_true(has_prop(v, n, "SYSREG_MIDR_EL1_PartNum=0xd4f"));
    /* Fields no model sets stay out (cache geometry is the host's). */
    for (size_t i = 0; i < n; i++)
        assert_null(strstr(v[i], "SYSREG_CLIDR_EL1_"));
    free_props(v, n);
    /* Deterministic. */
    char *again = qemu_arg("grace", ARMCPU_QEMU_SYSREG, NULL);
    assert_string_equal(arg, again);
    free(again);
    free(arg);

    /* A user property that lowers a field shows its value. */
    arg = qemu_arg("neoverse-v1-v1,sve=off,feat_AES=aes", ARMCPU_QEMU_SYSREG, NULL);
    n = sysreg_props(arg, &v);
    assert_true(has_prop(v, n, "SYSREG_ID_AA64ISAR0_EL1_AES=0x1"));
    assert_true(has_prop(v, n, "SYSREG_ID_AA64PFR0_EL1_SVE=0x0"));
    free_props(v, n);
    free(arg);

    const char *specs[] = {
        "grace-v1",
        "neoverse-v1-v1,sve=off,feat_AES=aes",
        "neoverse-v1-v1,hw_prop_TGRAN4_2=off,hw_prop_PARANGE=44,pauth=off",
        "t-hw-v1",
        "graviton3-v1,feat_CSV2=1.1,cpu_partnum=0xd0c",
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        check_sysreg_roundtrip(specs[i]);

    /* Without AArch32 the AArch32 registers are left to the host. */
    arg = qemu_arg("neoverse-v1-v1,aarch32=off", ARMCPU_QEMU_SYSREG, NULL);
    assert_null(strstr(arg, "SYSREG_ID_DFR0_EL1_"));
    assert_null(strstr(arg, "SYSREG_MVFR0_EL1_"));
    assert_non_null(strstr(arg, "SYSREG_ID_AA64PFR0_EL1_EL0=0x1"));
    free(arg);
    arg = qemu_arg("neoverse-v1-v1", ARMCPU_QEMU_SYSREG, NULL);
    assert_non_null(strstr(arg, "SYSREG_ID_DFR0_EL1_CopDbg=0x"));
    free(arg);

    /* On a clean slate only what the user set is listed. */
    arg = qemu_arg("t-empty,feat_AES=pmull", ARMCPU_QEMU_SYSREG, NULL);
    assert_string_equal(arg, "host,SYSREG_ID_AA64ISAR0_EL1_AES=0x2");
    free(arg);
    arg = qemu_arg("t-empty", ARMCPU_QEMU_SYSREG, NULL);
    n = sysreg_props(arg, &v);
    assert_int_equal(n, 0);
    free_props(v, n);
    free(arg);
}

static void test_sysreg_writable_masks(void **state)
{
    (void)state;
    size_t nregs = armcpu_reg_count();
    uint64_t *masks = calloc(nregs, sizeof *masks);
    assert_non_null(masks);
    /* Nothing writable: host alone. */
    char *arg = qemu_arg("grace-v1", ARMCPU_QEMU_SYSREG, masks);
    assert_string_equal(arg, "host");
    free(arg);

    const armcpu_field *aes = armcpu_field_lookup("ID_AA64ISAR0_EL1.AES", NULL);
    const armcpu_field *sha1 = armcpu_field_lookup("ID_AA64ISAR0_EL1.SHA1", NULL);
    assert_non_null(aes);
    assert_non_null(sha1);
    size_t ri = armcpu_reg_index(armcpu_field_reg(aes));
    masks[ri] = armcpu_field_mask(aes);
    arg = qemu_arg("grace-v1", ARMCPU_QEMU_SYSREG, masks);
    assert_string_equal(arg, "host,SYSREG_ID_AA64ISAR0_EL1_AES=0x2");
    free(arg);

    /* A field only partly writable is left out. */
    masks[ri] = armcpu_field_mask(sha1) | (armcpu_field_mask(aes) & (armcpu_field_mask(aes) >> 1));
    arg = qemu_arg("grace-v1", ARMCPU_QEMU_SYSREG, masks);
    assert_string_equal(arg, "host,SYSREG_ID_AA64ISAR0_EL1_SHA1=0x1");
    free(arg);

    /* All bits writable: the same as no restriction. */
    for (size_t i = 0; i < nregs; i++)
        masks[i] = ~UINT64_C(0);
    arg = qemu_arg("grace-v1", ARMCPU_QEMU_SYSREG, masks);
    char *all = qemu_arg("grace-v1", ARMCPU_QEMU_SYSREG, NULL);
    assert_string_equal(arg, all);
    free(all);
    free(arg);

    /* The feat dialect ignores the masks. */
    for (size_t i = 0; i < nregs; i++)
        masks[i] = 0;
    arg = qemu_arg("grace-v1,sve=off", ARMCPU_QEMU_FEAT, masks);
    assert_string_equal(arg, "grace-v1,sve=off");
    free(arg);
    free(masks);
}

static void test_qemu_errors(void **state)
{
    (void)state;
    armcpu_error err = {0};
    assert_null(armcpu_qemu_cpu_arg(ctx, NULL, ARMCPU_QEMU_FEAT, NULL, &err));
    assert_int_equal(err.code, ARMCPU_ERR_INVALID);
    assert_null(armcpu_qemu_cpu_arg(ctx, NULL, ARMCPU_QEMU_FEAT, NULL, NULL));
    armcpu_cpu *cpu = realize_ok("grace-v1");
    memset(&err, 0, sizeof err);
    assert_null(armcpu_qemu_cpu_arg(ctx, cpu, (armcpu_qemu_dialect)42, NULL, &err));
    assert_int_equal(err.code, ARMCPU_ERR_INVALID);
    assert_non_null(strstr(err.message, "dialect"));
    memset(&err, 0, sizeof err);
    assert_null(armcpu_libvirt_cpu_xml(NULL, cpu, &err));
    assert_int_equal(err.code, ARMCPU_ERR_INVALID);
    memset(&err, 0, sizeof err);
    assert_null(armcpu_libvirt_cpu_xml(ctx, NULL, &err));
    assert_int_equal(err.code, ARMCPU_ERR_INVALID);
    armcpu_cpu_free(cpu);
}

/* ------------------------------------------------------------ libvirt */

static void check_libvirt(const char *spec, const char *want)
{
    char *s = libvirt_xml(spec);
    assert_string_equal(s, want);
    free(s);
}

#define CPU_OPEN "<cpu mode='custom' match='exact' check='full'>\n"
#define CPU_CLOSE "</cpu>\n"

static void test_libvirt(void **state)
{
    (void)state;
    check_libvirt("grace-v1", CPU_OPEN "  <model fallback='forbid'>grace-v1</model>\n" CPU_CLOSE);
    check_libvirt("grace", CPU_OPEN "  <model fallback='forbid'>grace-v1</model>\n" CPU_CLOSE);
    check_libvirt("neoverse-v1-v1,sve=off,feat_AES=aes",
                  CPU_OPEN "  <model fallback='forbid'>neoverse-v1-v1</model>\n"
                           "  <feature policy='disable' name='sve'/>\n"
                           "  <!-- armcpu: not expressible as libvirt features: feat_AES=aes -->\n"
                  CPU_CLOSE);
    /* Composites on/off (any spelling), boolean feat_, hw_prop_ with an
     * off value, a string property given its off value (by name or number). */
    check_libvirt("neoverse-v1-v1,pmu=on,PAUTH=0,aarch32=false,feat_XS=on,feat_BF16=off,"
                  "hw_prop_TGRAN4_2=off,feat_AES=0,feat_SHA1=off",
                  CPU_OPEN "  <model fallback='forbid'>neoverse-v1-v1</model>\n"
                           "  <feature policy='disable' name='aarch32'/>\n"
                           "  <feature policy='disable' name='feat_AES'/>\n"
                           "  <feature policy='disable' name='feat_BF16'/>\n"
                           "  <feature policy='disable' name='feat_SHA1'/>\n"
                           "  <feature policy='require' name='feat_XS'/>\n"
                           "  <feature policy='disable' name='hw_prop_TGRAN4_2'/>\n"
                           "  <feature policy='disable' name='pauth'/>\n"
                           "  <feature policy='require' name='pmu'/>\n"
                  CPU_CLOSE);
    /* Values that are neither on nor off, in canonical order. */
    check_libvirt("neoverse-v1-v1,hw_prop_PARANGE=44,cpu_partnum=0xd40,feat_CSV2=1.1,"
                  "SYSREG_ID_AA64ISAR0_EL1_SHA3=0x0,el1_mode=aarch64,sve=off",
                  CPU_OPEN "  <model fallback='forbid'>neoverse-v1-v1</model>\n"
                           "  <feature policy='disable' name='sve'/>\n"
                           "  <!-- armcpu: not expressible as libvirt features: cpu_partnum=0xd40 "
                           "el1_mode=aarch64 feat_CSV2=1.1 hw_prop_PARANGE=44 "
                           "SYSREG_ID_AA64ISAR0_EL1_SHA3=0x0 -->\n"
                  CPU_CLOSE);
    /* A model with hw_prop_ settings of its own: just the model name. */
    check_libvirt("t-hw-v1", CPU_OPEN "  <model fallback='forbid'>t-hw-v1</model>\n" CPU_CLOSE);
}

/* The output is well-formed in the ways that matter without an XML parser:
 * nothing but the documented lines, no "--" inside the comment. */
static void test_libvirt_shape(void **state)
{
    (void)state;
    char *s = libvirt_xml("graviton3-v1,sve=off,feat_AES=aes,feat_CSV2=1.1,hw_prop_PARANGE=48");
    assert_true(strncmp(s, CPU_OPEN, strlen(CPU_OPEN)) == 0);
    size_t len = strlen(s);
    assert_true(len > strlen(CPU_CLOSE));
    assert_string_equal(s + len - strlen(CPU_CLOSE), CPU_CLOSE);
    const char *c = strstr(s, "<!--");
    assert_non_null(c);
    const char *end = strstr(c, "-->");
    assert_non_null(end);
    for (const char *p = c + 4; p < end; p++)
        assert_false(p[0] == '-' && p[1] == '-');
    assert_null(strstr(end + 3, "<!--"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feat_dialect),
        cmocka_unit_test(test_sysreg_dialect),
        cmocka_unit_test(test_sysreg_writable_masks),
        cmocka_unit_test(test_qemu_errors),
        cmocka_unit_test(test_libvirt),
        cmocka_unit_test(test_libvirt_shape),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
