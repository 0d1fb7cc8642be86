/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Output formats (include/armcpu/out.h): every artifact is parsed back,
 * applied the way its consumer applies it, and compared with the realized
 * spec register by register, on every embedded snapshot, every realizable
 * model and spec variants; plus the exact text of a few cases.
 */
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "armcpu/armcpu.h"
#include "armcpu/fleet.h"
#include "armcpu/host.h"
#include "armcpu/model.h"
#include "armcpu/out.h"

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

static armcpu_host *host_ok(const char *name)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open(name, &err);
    if (!h)
        fail_msg("host %s: %s", name, err.message);
    return h;
}

/* The same guest CPU: every register, the AArch32 decision, which
 * cache-geometry registers the spec sets. */
static void same_cpu(const armcpu_cpu *a, const armcpu_cpu *b, const char *what)
{
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t va = armcpu_cpu_reg_value(a, r), vb = armcpu_cpu_reg_value(b, r);
        if (va != vb)
            fail_msg("%s: %s 0x%016llx != 0x%016llx", what, armcpu_reg_name(r),
                     (unsigned long long)va, (unsigned long long)vb);
        /* whether the spec sets a register matters for cache geometry */
        if (armcpu_reg_is_geometry(r) &&
            armcpu_cpu_judge_flags(a, r) != armcpu_cpu_judge_flags(b, r))
            fail_msg("%s: %s set by one and not the other", what, armcpu_reg_name(r));
    }
    assert_int_equal(armcpu_cpu_has_aarch32(a), armcpu_cpu_has_aarch32(b));
}

static bool in_feature_id_space(const armcpu_reg *r)
{
    unsigned op0, op1, crn, crm, op2;
    armcpu_reg_encoding(r, &op0, &op1, &crn, &crm, &op2);
    return op0 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) && crn == 0 && crm <= 7;
}

static bool host_given(const armcpu_cpu *cpu, const armcpu_reg *r)
{
    unsigned fl = armcpu_cpu_judge_flags(cpu, r);
    return (armcpu_reg_is_aarch32(r) && !(fl & ARMCPU_JUDGE_AARCH32)) ||
           (armcpu_reg_is_geometry(r) && !(fl & ARMCPU_JUDGE_SETS));
}

/* The fields armcpu_check cannot promise on h (UNCHECKED: the host was
 * measured with the feature off; IDENTITY: each guest sees its host's). */
static void not_promised(const armcpu_field_check *c, void *opaque)
{
    uint64_t *skip = opaque;
    if (c->field && (c->verdict == ARMCPU_VERDICT_UNCHECKED || c->verdict == ARMCPU_VERDICT_IDENTITY))
        skip[armcpu_reg_index(c->reg)] |= armcpu_field_mask(c->field);
}

/* What the guest sees after a VMM applied an artifact onto host h (vals:
 * the host's values with the artifact's writes): every field the spec
 * decides and armcpu_check promises equals the spec. `space`: only
 * registers of the feature ID space (the SYSREG_ properties' reach). */
static void guest_equals_spec(const armcpu_cpu *cpu, const armcpu_host *h, const uint64_t *vals,
                              bool space, const char *what)
{
    uint64_t *skip = calloc(armcpu_reg_count(), sizeof *skip);
    assert_non_null(skip);
    armcpu_check(cpu, h, not_promised, skip);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if ((space && !in_feature_id_space(r)) || host_given(cpu, r) ||
            armcpu_host_reg_state(h, r) == ARMCPU_REG_ABSENT)
            continue;
        for (size_t i = 0; i < armcpu_reg_field_count(r); i++) {
            const armcpu_field *f = armcpu_reg_field_at(r, i);
            if (skip[ri] & armcpu_field_mask(f))
                continue;
            uint64_t want = armcpu_field_get(f, armcpu_cpu_reg_value(cpu, r));
            if (armcpu_field_get(f, vals[ri]) != want)
                fail_msg("%s on %s: the guest sees %s.%s 0x%llx, the spec has 0x%llx", what,
                         armcpu_host_name(h), armcpu_reg_name(r), armcpu_field_name(f),
                         (unsigned long long)armcpu_field_get(f, vals[ri]),
                         (unsigned long long)want);
        }
    }
    free(skip);
}

static uint64_t *host_values(const armcpu_host *h)
{
    uint64_t *v = calloc(armcpu_reg_count(), sizeof *v);
    assert_non_null(v);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++)
        v[ri] = armcpu_host_reg_value(h, armcpu_reg_at(ri));
    return v;
}

/* "SYSREG_<REG>_<FIELD>" -> the field, by trying every table field. */
static const armcpu_field *sysreg_field(const char *name, size_t len)
{
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        for (size_t i = 0; i < armcpu_reg_field_count(r); i++) {
            const armcpu_field *f = armcpu_reg_field_at(r, i);
            char n[160];
            int k = snprintf(n, sizeof n, "SYSREG_%s_%s", armcpu_reg_name(r), armcpu_field_name(f));
            if ((size_t)k == len && !strncmp(name, n, len))
                return f;
        }
    }
    fail_msg("no field for %.*s", (int)len, name);
    return NULL;
}

/* Applies "host,SYSREG_..=0x..,..." onto vals the way QEMU's host model
 * does (each property replaces its field); the fields listed, in *listed. */
static void apply_sysreg(const char *arg, uint64_t *vals, uint64_t *listed)
{
    assert_true(strncmp(arg, "host", 4) == 0);
    const char *p = arg + 4;
    /* the vCPU features first (vcpu_of has made vals that vCPU's view) */
    while (!strncmp(p, ",sve=off", 8) || !strncmp(p, ",pmu=off", 8) ||
           !strncmp(p, ",pauth=off", 10))
        p += p[1] == 'p' && p[2] == 'a' ? 10 : 8;
    while (*p == ',') {
        p++;
        const char *eq = strchr(p, '=');
        assert_non_null(eq);
        const armcpu_field *f = sysreg_field(p, (size_t)(eq - p));
        char *end;
        assert_true(eq[1] == '0' && eq[2] == 'x');
        uint64_t v = strtoull(eq + 1, &end, 16);
        assert_true(*end == ',' || *end == 0);
        size_t ri = armcpu_reg_index(armcpu_field_reg(f));
        assert_int_equal(listed[ri] & armcpu_field_mask(f), 0); /* once */
        listed[ri] |= armcpu_field_mask(f);
        assert_int_equal(armcpu_field_set(f, &vals[ri], v, NULL), 0);
        p = end;
    }
    assert_true(*p == 0);
}

/* Applies a Firecracker template's reg_modifiers onto vals (0 clear, 1 set,
 * x keep), checking the schema's shape; returns its vCPU feature bitmap. */
static char *apply_firecracker(const char *text, uint64_t *vals)
{
    struct json_object *root = json_tokener_parse(text);
    assert_non_null(root);
    struct json_object *mods, *feats;
    assert_true(json_object_object_get_ex(root, "reg_modifiers", &mods));
    assert_true(json_object_object_get_ex(root, "vcpu_features", &feats));
    for (size_t i = 0; i < json_object_array_length(mods); i++) {
        struct json_object *m = json_object_array_get_idx(mods, i), *a, *b;
        assert_true(json_object_object_get_ex(m, "addr", &a));
        assert_true(json_object_object_get_ex(m, "bitmap", &b));
        const char *addr = json_object_get_string(a), *bits = json_object_get_string(b);
        assert_true(strncmp(addr, "0x", 2) == 0);
        armcpu_error err = {0};
        const armcpu_reg *r = armcpu_reg_by_kvm_id(strtoull(addr, NULL, 16), &err);
        if (!r)
            fail_msg("addr %s: %s", addr, err.message);
        assert_int_equal(strlen(bits), 130);
        assert_true(strncmp(bits, "0b", 2) == 0);
        uint64_t *v = &vals[armcpu_reg_index(r)];
        for (int k = 0; k < 128; k++) {
            char c = bits[2 + k];
            int bit = 127 - k;
            assert_true(c == '0' || c == '1' || c == 'x');
            if (bit >= 64) {
                assert_true(c == 'x'); /* 64-bit registers */
                continue;
            }
            if (c != 'x')
                *v = (*v & ~(1ULL << bit)) | ((uint64_t)(c == '1') << bit);
        }
    }
    assert_int_equal(json_object_array_length(feats), 1);
    struct json_object *f0 = json_object_array_get_idx(feats, 0), *idx, *bm;
    assert_true(json_object_object_get_ex(f0, "index", &idx));
    assert_int_equal(json_object_get_int(idx), 0);
    assert_true(json_object_object_get_ex(f0, "bitmap", &bm));
    char *out = strdup(json_object_get_string(bm));
    json_object_put(root);
    return out;
}

/* A libvirt <cpu> back into a spec (model, then name=on/off/value). */
static char *libvirt_to_spec(const char *xml)
{
    char *spec = calloc(1, strlen(xml) + 1);
    assert_non_null(spec);
    const char *m = strstr(xml, "<model fallback='forbid'>");
    assert_non_null(m);
    m += strlen("<model fallback='forbid'>");
    const char *e = strstr(m, "</model>");
    assert_non_null(e);
    memcpy(spec, m, (size_t)(e - m));
    for (const char *p = strstr(e, "<feature "); p; p = strstr(p + 1, "<feature ")) {
        char policy[16], name[128], value[64] = "";
        assert_true(sscanf(p, "<feature policy='%15[a-z]' name='%127[^']'", policy, name) == 2);
        const char *v = strstr(p, " value='"), *close = strstr(p, "/>");
        assert_non_null(close);
        if (v && v < close)
            assert_true(sscanf(v, " value='%63[^']'", value) == 1);
        else
            snprintf(value, sizeof value, "%s", !strcmp(policy, "require") ? "on" : "off");
        sprintf(spec + strlen(spec), ",%s=%s", name, value);
    }
    return spec;
}

/* ------------------------------------------------------------ exact texts */

static char *canonical(const char *spec)
{
    armcpu_cpu *cpu = realize_ok(spec);
    armcpu_error err = {0};
    char *s = armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_FEAT, NULL, &err);
    if (!s)
        fail_msg("canonical %s: %s", spec, err.message);
    armcpu_cpu *back = realize_ok(s);
    same_cpu(cpu, back, spec);
    armcpu_cpu_free(back);
    armcpu_cpu_free(cpu);
    return s;
}

static void check_canonical(const char *spec, const char *want)
{
    char *s = canonical(spec);
    assert_string_equal(s, want);
    armcpu_free(s);
}

static void test_canonical_spec(void **state)
{
    (void)state;
    check_canonical("grace-v1", "grace-v1");
    check_canonical("grace", "grace-v2");
    /* composites as one word, overrides in table order, whatever the user
     * wrote (values the model already has vanish) */
    check_canonical("neoverse-v1-v1,feat_AES=aes,sve=off", "neoverse-v1-v1,sve=off,feat_AES=aes");
    check_canonical("neoverse-v1-v1,sve=on", "neoverse-v1-v1");
    check_canonical("neoverse-v1-v1,feat_AES=pmull", "neoverse-v1-v1");
    /* fractional pairs as one property */
    check_canonical("graviton3-v1,feat_CSV2=1.1,feat_NV=0.0",
                    "graviton3-v1,feat_CSV2=1.1,feat_NV=0.0");
    /* one field of a composite's group is an override, not the composite */
    check_canonical("neoverse-v1-v1,feat_SVE=0", "neoverse-v1-v1,feat_SVE=off");
}

static void test_libvirt_forms(void **state)
{
    (void)state;
    armcpu_error err = {0};
    armcpu_cpu *cpu = realize_ok("neoverse-v1-v1,sve=off,feat_AES=aes,feat_NV=0.0");
    assert_null(armcpu_libvirt_cpu_xml(ctx, cpu, ARMCPU_LIBVIRT_CUSTOM, &err));
    assert_int_equal(err.code, ARMCPU_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "feat_AES=aes"));
    assert_non_null(strstr(err.message, "feat_NV=0.0"));
    char *x = armcpu_libvirt_cpu_xml(ctx, cpu, ARMCPU_LIBVIRT_VALUES, &err);
    assert_non_null(x);
    assert_string_equal(x, "<cpu mode='custom' match='exact' check='full'>\n"
                           "  <model fallback='forbid'>neoverse-v1-v1</model>\n"
                           "  <feature policy='disable' name='sve'/>\n"
                           "  <feature policy='require' name='feat_AES' value='aes'/>\n"
                           "  <feature policy='require' name='feat_NV' value='0.0'/>\n"
                           "</cpu>\n");
    armcpu_free(x);
    armcpu_cpu_free(cpu);
    cpu = realize_ok("neoverse-v1-v1,sve=off,pmu=off,feat_BF16=off");
    x = armcpu_libvirt_cpu_xml(ctx, cpu, ARMCPU_LIBVIRT_CUSTOM, &err);
    assert_non_null(x);
    assert_string_equal(x, "<cpu mode='custom' match='exact' check='full'>\n"
                           "  <model fallback='forbid'>neoverse-v1-v1</model>\n"
                           "  <feature policy='disable' name='sve'/>\n"
                           "  <feature policy='disable' name='pmu'/>\n"
                           "  <feature policy='disable' name='feat_BF16'/>\n"
                           "</cpu>\n");
    armcpu_free(x);
    armcpu_cpu_free(cpu);
}

static void test_sysreg_exact(void **state)
{
    (void)state;
    armcpu_error err = {0};
    /* with a host: the fields that differ from its view, table defaults
     * included (the host's EL2 1 must be lowered to the model's 0) */
    armcpu_host *h = host_ok("qemu-neoverse-n1-linux-6.12");
    armcpu_cpu *cpu = realize_ok("neoverse-n1-v1,feat_CopSDbg=0");
    armcpu_out_opts o = {h, NULL, false};
    char *s = armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &o, &err);
    assert_non_null(s);
    /* N1 has no SVE or pointer auth: a vCPU without them (QEMU sve=off, pauth=off) */
    assert_string_equal(s, "host,sve=off,pauth=off,SYSREG_ID_AA64PFR0_EL1_EL2=0x0,SYSREG_CTR_EL0_IDC=0x0");
    armcpu_free(s);
    /* a differing field the kernel cannot write is an error naming it
     * (Linux 6.1 lets userspace write no ID register) */
    assert_int_equal(armcpu_host_apply_kernel(h, "6.1", &err), 0);
    s = armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &o, &err);
    if (s)
        fail_msg("no error: %s", s);
    assert_int_equal(err.code, ARMCPU_ERR_CONFLICT);
    /* EL2, IDC, and DebugVer: Linux 6.1 shows every guest DebugVer 6
     * (kernels/linux-6.1.view), the model has 8 */
    assert_non_null(strstr(err.message, "3 fields differ from qemu-neoverse-n1-linux-6.12 that KVM would refuse there"));
    assert_non_null(strstr(err.message, "ID_AA64PFR0_EL1.EL2"));
    o.force = true;
    s = armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &o, &err);
    assert_non_null(s);
    assert_non_null(strstr(s, "SYSREG_ID_AA64PFR0_EL1_EL2=0x0"));
    armcpu_free(s);
    armcpu_cpu_free(cpu);
    armcpu_host_free(h);
    /* without a host: a kernel without masks cannot be used */
    cpu = realize_ok("grace-v1");
    o = (armcpu_out_opts){NULL, "6.1", false};
    assert_null(armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &o, &err));
    assert_non_null(strstr(err.message, "6.1"));
    o.kernel = "5.4";
    assert_null(armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &o, &err));
    assert_int_equal(err.code, ARMCPU_ERR_NOT_FOUND);
    assert_null(armcpu_qemu_cpu_arg(ctx, cpu, (armcpu_qemu_dialect)42, NULL, &err));
    assert_int_equal(err.code, ARMCPU_ERR_INVALID);
    assert_null(armcpu_qemu_cpu_arg(ctx, NULL, ARMCPU_QEMU_FEAT, NULL, &err));
    assert_null(armcpu_libvirt_cpu_xml(NULL, cpu, ARMCPU_LIBVIRT_CUSTOM, &err));
    assert_null(armcpu_libvirt_cpu_xml(ctx, cpu, (armcpu_libvirt_form)9, &err));
    assert_null(armcpu_firecracker_template(ctx, cpu, NULL, &err));
    assert_non_null(strstr(err.message, "host"));
    armcpu_cpu_free(cpu);
}

/* ------------------------------------------------------------ everywhere */

struct totals {
    size_t cpus, sysreg_host, sysreg_kernel, firecracker, libvirt_custom, libvirt_values,
        refused, fixed;
};

static void each_host(const armcpu_cpu *cpu, const char *spec, armcpu_host *h, struct totals *t);

/* A spec check blocks on h: the one `fix` proposes there, whose artifacts
 * must then be that spec on h (what a user pastes after `armcpu fix`). */
static void fixed_on(const char *spec, armcpu_host *h, struct totals *t)
{
    armcpu_error err = {0};
    armcpu_fix *x = armcpu_fix_new(ctx, spec, h, &err);
    if (!x)
        fail_msg("fix %s on %s: %s", spec, armcpu_host_name(h), err.message);
    if (armcpu_fix_spec(x)) {
        armcpu_cpu *cpu = realize_ok(armcpu_fix_spec(x));
        assert_int_equal(armcpu_check_count(cpu, h, NULL), 0);
        each_host(cpu, armcpu_fix_spec(x), h, t);
        armcpu_cpu_free(cpu);
        t->fixed++;
    }
    armcpu_fix_free(x);
}

/* The host as the spec's vCPU sees it: created without the features the
 * spec lacks (the artifacts say so: sve=off.. / vcpu_features). */
static armcpu_host *vcpu_of(const armcpu_cpu *cpu, const armcpu_host *h)
{
    armcpu_error err = {0};
    armcpu_host *d = armcpu_host_for_vcpu(h, armcpu_cpu_vcpu_features(cpu), &err);
    if (!d)
        fail_msg("%s as a vCPU of %s: %s", armcpu_host_name(h), armcpu_cpu_name(cpu), err.message);
    return d;
}

static void each_host(const armcpu_cpu *cpu, const char *spec, armcpu_host *h0, struct totals *t)
{
    armcpu_error err = {0};
    armcpu_out_opts o = {h0, NULL, false};
    armcpu_host *h = vcpu_of(cpu, h0);
    size_t blockers = armcpu_check_count(cpu, h, NULL);
    char *s = armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &o, &err);
    if (!s) {
        /* only a spec check blocks can need a field the kernel cannot write */
        if (!blockers || err.code != ARMCPU_ERR_CONFLICT)
            fail_msg("%s on %s: %s", spec, armcpu_host_name(h), err.message);
        t->refused++;
        fixed_on(spec, h0, t);
        armcpu_host_free(h);
        return;
    }
    /* the vCPU the spec needs, in QEMU's words */
    unsigned need = armcpu_cpu_vcpu_features(cpu);
    assert_int_equal(strstr(s, ",sve=off") != NULL, !(need & ARMCPU_VCPU_SVE));
    assert_int_equal(strstr(s, ",pmu=off") != NULL, !(need & ARMCPU_VCPU_PMU));
    assert_int_equal(strstr(s, ",pauth=off") != NULL, !(need & ARMCPU_VCPU_PTRAUTH));
    uint64_t *vals = host_values(h), *listed = calloc(armcpu_reg_count(), sizeof *listed);
    assert_non_null(listed);
    apply_sysreg(s, vals, listed);
    if (!blockers) {
        guest_equals_spec(cpu, h, vals, true, spec);
        t->sysreg_host++;
    }
    armcpu_free(s);
    free(vals);
    free(listed);
    s = armcpu_firecracker_template(ctx, cpu, &o, &err);
    if (!s)
        fail_msg("firecracker %s on %s: %s", spec, armcpu_host_name(h), err.message);
    vals = host_values(h);
    char *feats = apply_firecracker(s, vals);
    if (!blockers) {
        guest_equals_spec(cpu, h, vals, false, spec);
        t->firecracker++;
    }
    /* bits 6..3: PTRAUTH_GENERIC, PTRAUTH_ADDRESS, SVE, PMU_V3 */
    assert_int_equal(strlen(feats), 9);
    assert_true(feats[2] == feats[3]);
    const armcpu_field *sve = armcpu_field_lookup("ID_AA64PFR0_EL1.SVE", NULL);
    assert_int_equal(feats[4] == '1',
                     armcpu_field_get(sve, armcpu_cpu_reg_value(cpu, armcpu_field_reg(sve))) != 0);
    assert_string_equal(feats + 6, "xxx");
    free(feats);
    free(vals);
    armcpu_free(s);
    armcpu_host_free(h);
}

static void each_cpu(const char *spec, armcpu_host *const *hosts, size_t nh, struct totals *t)
{
    armcpu_error err = {0};
    armcpu_cpu *cpu = armcpu_realize(ctx, spec, false, &err);
    if (!cpu)
        return; /* a variant the model cannot take (e.g. sve=off without SVE) */
    t->cpus++;
    char *c = canonical(spec);
    armcpu_free(c);
    for (size_t i = 0; i < nh; i++)
        each_host(cpu, spec, hosts[i], t);
    /* without a host: every field each kernel table lets userspace write */
    for (size_t k = 0; k < armcpu_kernel_count(); k++) {
        armcpu_host *h = host_ok(armcpu_host_embedded_name(0));
        assert_int_equal(armcpu_host_apply_kernel(h, armcpu_kernel_version(k), &err), 0);
        armcpu_out_opts o = {NULL, armcpu_kernel_version(k), false};
        char *s = armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &o, &err);
        if (!armcpu_host_has_masks(h)) {
            assert_null(s);
            armcpu_host_free(h);
            continue;
        }
        assert_non_null(s);
        uint64_t *vals = calloc(armcpu_reg_count(), sizeof *vals),
                 *listed = calloc(armcpu_reg_count(), sizeof *listed);
        assert_non_null(vals);
        assert_non_null(listed);
        apply_sysreg(s, vals, listed);
        for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
            const armcpu_reg *r = armcpu_reg_at(ri);
            for (size_t i = 0; i < armcpu_reg_field_count(r); i++) {
                const armcpu_field *f = armcpu_reg_field_at(r, i);
                bool want = in_feature_id_space(r) && !host_given(cpu, r) &&
                            armcpu_host_field_writable(h, f);
                assert_int_equal(want, (listed[ri] & armcpu_field_mask(f)) != 0);
                if (want)
                    assert_int_equal(armcpu_field_get(f, vals[ri]),
                                     armcpu_field_get(f, armcpu_cpu_reg_value(cpu, r)));
            }
        }
        t->sysreg_kernel++;
        free(vals);
        free(listed);
        armcpu_free(s);
        armcpu_host_free(h);
    }
    /* libvirt: custom where every property is on/off, else the value form;
     * either read back realizes the same CPU */
    for (int form = 0; form < 2; form++) {
        char *x = armcpu_libvirt_cpu_xml(ctx, cpu, (armcpu_libvirt_form)form, &err);
        if (!x) {
            assert_int_equal(form, ARMCPU_LIBVIRT_CUSTOM);
            assert_int_equal(err.code, ARMCPU_ERR_UNSUPPORTED);
            continue;
        }
        char *back_spec = libvirt_to_spec(x);
        armcpu_cpu *back = realize_ok(back_spec);
        same_cpu(cpu, back, back_spec);
        armcpu_cpu_free(back);
        free(back_spec);
        armcpu_free(x);
        if (form == ARMCPU_LIBVIRT_CUSTOM)
            t->libvirt_custom++;
        else
            t->libvirt_values++;
    }
    armcpu_cpu_free(cpu);
}

static void test_every_artifact_is_the_spec(void **state)
{
    (void)state;
    size_t nh = armcpu_host_embedded_count();
    armcpu_host **hosts = calloc(nh, sizeof *hosts);
    assert_non_null(hosts);
    for (size_t i = 0; i < nh; i++)
        hosts[i] = host_ok(armcpu_host_embedded_name(i));
    static const char *const variants[] = {
        "", ",sve=off", ",aarch32=off", ",pauth=off,pmu=off",
        ",feat_AES=aes,feat_CSV2=1.1,feat_NV=0.0,hw_prop_TGRAN4_2=off",
    };
    struct totals t = {0};
    for (size_t m = 0; m < armcpu_model_count(ctx); m++) {
        const armcpu_model *mo = armcpu_model_at(ctx, m);
        if (!armcpu_model_realizable(mo))
            continue;
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
            char spec[256];
            snprintf(spec, sizeof spec, "%s%s", armcpu_model_name(mo), variants[v]);
            each_cpu(spec, hosts, nh, &t);
        }
    }
    printf("artifacts: %zu specs; sysreg on a host %zu, on a kernel %zu, firecracker %zu, "
           "libvirt custom %zu, values %zu; %zu refused for unwritable fields, %zu of them "
           "compared again with the spec fix gives\n",
           t.cpus, t.sysreg_host, t.sysreg_kernel, t.firecracker, t.libvirt_custom,
           t.libvirt_values, t.refused, t.fixed);
    /* the comparisons ran: some spec passes check somewhere */
    assert_true(t.cpus >= 30);
    assert_true(t.fixed > 100);
    assert_true(t.sysreg_host > 0 && t.firecracker > 0 && t.libvirt_custom > 0);
    assert_int_equal(t.libvirt_values, t.cpus);
    for (size_t i = 0; i < nh; i++)
        armcpu_host_free(hosts[i]);
    free(hosts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_spec),
        cmocka_unit_test(test_libvirt_forms),
        cmocka_unit_test(test_sysreg_exact),
        cmocka_unit_test(test_every_artifact_is_the_spec),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
