/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the model-spec parser and realization.
 * Input: a spec "MODEL[,prop=value...]" (cut at the first NUL byte),
 * realized on the built-in models.
 * Invariants when a realization succeeds:
 *  - every register has its RES0 bits clear and RES1 bits set, and every
 *    field value fits the field;
 *  - allow_abstract=false succeeding implies allow_abstract=true gives the
 *    same registers; true succeeding where false failed means an abstract model;
 *  - realizing again gives identical registers, sources and warnings;
 *  - the properties in reverse order give the same registers (and failure
 *    where the original fails);
 *  - the SYSREG_ expansion (what `armcpu expand --spec` prints) realizes the
 *    same registers, without warnings;
 *  - a realizable spec's canonical spec (what qemu-args and libvirt print)
 *    realizes the same registers, and libvirt's value form expresses it.
 */
#include <inttypes.h>
#include <stdbool.h>

#include "fuzz_common.h"
#include "armcpu/out.h"

static armcpu_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    armcpu_error err = {0};
    ctx = armcpu_ctx_new(&err);
    FUZZ_CHECK(ctx != NULL, "armcpu_ctx_new: %s", err.message);
    return 0;
}

static void check_registers(const armcpu_cpu *cpu, const char *spec)
{
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t v = armcpu_cpu_reg_value(cpu, reg);
        FUZZ_CHECK(!(v & armcpu_reg_res0_mask(reg)),
                   "%s: %s = 0x%016" PRIx64 " has RES0 bits 0x%016" PRIx64, spec,
                   armcpu_reg_name(reg), v, v & armcpu_reg_res0_mask(reg));
        FUZZ_CHECK(!(~v & armcpu_reg_res1_mask(reg)),
                   "%s: %s = 0x%016" PRIx64 " lacks RES1 bits", spec,
                   armcpu_reg_name(reg), v);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            FUZZ_CHECK(armcpu_field_get(f, v) <= fuzz_wmask(armcpu_field_width(f)),
                       "%s: %s.%s", spec, armcpu_reg_name(reg), armcpu_field_name(f));
            const char *src = armcpu_cpu_field_source(cpu, f);
            FUZZ_CHECK(src && *src, "%s: %s.%s has no source", spec,
                       armcpu_reg_name(reg), armcpu_field_name(f));
        }
    }
}

static bool same_registers(const armcpu_cpu *a, const armcpu_cpu *b, const char **which)
{
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        if (armcpu_cpu_reg_value(a, reg) != armcpu_cpu_reg_value(b, reg)) {
            *which = armcpu_reg_name(reg);
            return false;
        }
    }
    return true;
}

static void check_identical(const armcpu_cpu *a, const armcpu_cpu *b, const char *spec)
{
    const char *which = "";
    FUZZ_CHECK(same_registers(a, b, &which), "%s: realized twice, %s differs", spec, which);
    FUZZ_CHECK(armcpu_cpu_model(a) == armcpu_cpu_model(b), "%s: model differs", spec);
    FUZZ_CHECK(armcpu_cpu_warning_count(a) == armcpu_cpu_warning_count(b),
               "%s: warnings differ", spec);
    for (size_t i = 0; i < armcpu_cpu_warning_count(a); i++)
        FUZZ_CHECK(!strcmp(armcpu_cpu_warning_at(a, i), armcpu_cpu_warning_at(b, i)),
                   "%s: warning %zu differs", spec, i);
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            FUZZ_CHECK(!strcmp(armcpu_cpu_field_source(a, f), armcpu_cpu_field_source(b, f)),
                       "%s: source of %s.%s differs", spec, armcpu_reg_name(reg),
                       armcpu_field_name(f));
        }
    }
}

/* Exercises the query functions on a realized cpu (crash/UB detection). */
static void count_feature(const char *feat, const armcpu_field *f, uint64_t min,
                          void *opaque)
{
    FUZZ_CHECK(feat && *feat && f, "feature callback");
    (void)min;
    ++*(size_t *)opaque;
}

static void query(const armcpu_cpu *cpu)
{
    char buf[128];
    for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
        armcpu_cpu_prop_value(cpu, armcpu_prop_at(ctx, i), buf, sizeof buf);
        FUZZ_CHECK(buf[0], "empty value of %s", armcpu_prop_name(armcpu_prop_at(ctx, i)));
    }
    for (size_t i = 0; i < armcpu_cpu_user_prop_count(cpu); i++) {
        const char *n, *v;
        FUZZ_CHECK(armcpu_cpu_user_prop_at(cpu, i, &n, &v), "user prop %zu", i);
        FUZZ_CHECK(armcpu_prop_lookup(ctx, n, NULL) != NULL,
                   "user property '%s' is not canonical", n);
    }
    size_t nfeat = 0;
    armcpu_cpu_for_each_feature(cpu, count_feature, &nfeat);
}

/* "MODEL,SYSREG_<REG>_<FIELD>=0x...,..." as `armcpu expand --spec` prints it. */
static char *sysreg_spec(const armcpu_cpu *cpu)
{
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    FUZZ_CHECK(s != NULL, "oom");
    len = (size_t)snprintf(s, cap, "%s", armcpu_model_name(armcpu_cpu_model(cpu)));
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t v = armcpu_cpu_reg_value(cpu, reg);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            char item[256];
            size_t il = (size_t)snprintf(item, sizeof item, ",SYSREG_%s_%s=0x%" PRIx64,
                                         armcpu_reg_name(reg), armcpu_field_name(f),
                                         armcpu_field_get(f, v));
            if (len + il + 1 > cap) {
                cap = 2 * cap + il;
                s = realloc(s, cap);
                FUZZ_CHECK(s != NULL, "oom");
            }
            memcpy(s + len, item, il + 1);
            len += il;
        }
    }
    return s;
}

/* The spec with its properties (not the model) in reverse order. */
static char *reversed_spec(const char *spec)
{
    size_t len = strlen(spec);
    char *out = malloc(len + 1);
    FUZZ_CHECK(out != NULL, "oom");
    const char *comma = strchr(spec, ',');
    if (!comma) {
        memcpy(out, spec, len + 1);
        return out;
    }
    size_t ml = (size_t)(comma - spec), o = ml;
    memcpy(out, spec, ml);
    /* Walk the property tokens from the end. */
    const char *end = spec + len;
    const char *p = end;
    while (p > comma) {
        const char *q = p;
        while (q > comma + 1 && q[-1] != ',')
            q--;
        out[o++] = ',';
        memcpy(out + o, q, (size_t)(p - q));
        o += (size_t)(p - q);
        p = q - 1; /* the comma before this token */
    }
    out[o] = 0;
    FUZZ_CHECK(o == len, "reversal of '%s' changed the length", spec);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = fuzz_cstr(data, size);
    armcpu_error e1 = {0}, e2 = {0};
    armcpu_cpu *strict = armcpu_realize(ctx, spec, false, &e1);
    armcpu_cpu *cpu = armcpu_realize(ctx, spec, true, &e2);
    if (!strict)
        fuzz_check_error(&e1, e1.code);
    if (!cpu) {
        fuzz_check_error(&e2, e2.code);
        FUZZ_CHECK(!strict, "'%s' realizes only without allow_abstract: %s", spec,
                   e2.message);
    } else {
        const char *which = "";
        if (strict) {
            check_identical(strict, cpu, spec);
        } else {
            FUZZ_CHECK(!armcpu_model_realizable(armcpu_cpu_model(cpu)),
                       "'%s' fails without allow_abstract on a realizable model: %s",
                       spec, e1.message);
        }
        check_registers(cpu, spec);
        query(cpu);

        armcpu_error e = {0};
        armcpu_cpu *again = armcpu_realize(ctx, spec, true, &e);
        FUZZ_CHECK(again != NULL, "'%s' failed the second time: %s", spec, e.message);
        check_identical(cpu, again, spec);
        armcpu_cpu_free(again);

        char *expansion = sysreg_spec(cpu);
        armcpu_cpu *exp = armcpu_realize(ctx, expansion, true, &e);
        FUZZ_CHECK(exp != NULL, "SYSREG_ expansion of '%s' fails: %s", spec, e.message);
        FUZZ_CHECK(same_registers(cpu, exp, &which),
                   "SYSREG_ expansion of '%s' realizes a different %s", spec, which);
        FUZZ_CHECK(armcpu_cpu_warning_count(exp) == 0,
                   "SYSREG_ expansion of '%s' warns: %s", spec, armcpu_cpu_warning_at(exp, 0));
        armcpu_cpu_free(exp);
        free(expansion);
    }
    if (strict) {
        armcpu_error e = {0};
        const char *which = "";
        char *canon = armcpu_cpu_canonical_spec(ctx, strict, &e);
        FUZZ_CHECK(canon != NULL, "no canonical spec of '%s': %s", spec, e.message);
        armcpu_cpu *back = armcpu_realize(ctx, canon, false, &e);
        FUZZ_CHECK(back != NULL, "canonical '%s' of '%s' fails: %s", canon, spec, e.message);
        FUZZ_CHECK(same_registers(strict, back, &which),
                   "canonical '%s' of '%s' realizes a different %s", canon, spec, which);
        armcpu_cpu_free(back);
        armcpu_free(canon);
        char *xml = armcpu_libvirt_cpu_xml(ctx, strict, ARMCPU_LIBVIRT_VALUES, &e);
        FUZZ_CHECK(xml != NULL, "libvirt values form of '%s': %s", spec, e.message);
        armcpu_free(xml);
    }
    /* Order independence: same outcome with the properties reversed. */
    char *rev = reversed_spec(spec);
    armcpu_error e3 = {0};
    armcpu_cpu *rcpu = armcpu_realize(ctx, rev, true, &e3);
    FUZZ_CHECK(!rcpu == !cpu, "'%s' %s but reversed '%s' %s: %s", spec,
               cpu ? "realizes" : "fails", rev, rcpu ? "realizes" : "fails",
               cpu ? e3.message : e2.message);
    if (cpu && rcpu) {
        const char *which = "";
        FUZZ_CHECK(same_registers(cpu, rcpu, &which),
                   "'%s' and reversed '%s' differ in %s", spec, rev, which);
    }
    armcpu_cpu_free(rcpu);
    free(rev);
    armcpu_cpu_free(strict);
    armcpu_cpu_free(cpu);
    free(spec);
    return 0;
}
