/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host snapshots, verdicts and baselines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "armcpu/fleet.h"

/* A small test family, independent of the shipped models. */
static const char models[] =
    "model t-cpu\nversion 1\nparent none\nrealizable yes\nsource test\n"
    "MIDR_EL1 = 0x410fd400\n"
    "ID_AA64ISAR0_EL1.AES = 2\nID_AA64ISAR0_EL1.SHA1 = 1\n"
    "ID_AA64MMFR0_EL1.TGRAN4_2 = 2\nID_AA64MMFR0_EL1.TGRAN64_2 = 2\n"
    "ID_AA64MMFR0_EL1.TGRAN16_2 = 2\n"
    "ID_AA64PFR0_EL1.SVE = 1\n"
    "ID_AA64DFR0_EL1.BRPs = 5\n"
    "DCZID_EL0.BS = 4\n"
    "ID_AA64PFR0_EL1.FP = 0\nID_AA64PFR0_EL1.AdvSIMD = 0\n"
    "ID_AA64PFR0_EL1.EL0 = 1\nID_AA64PFR0_EL1.EL1 = 1\n"
    "ID_AA64DFR0_EL1.DoubleLock = 0\nID_AA64DFR0_EL1.MTPMU = 0\n"
    "ID_AA64MMFR0_EL1.TGRAN4 = 0\nID_AA64MMFR0_EL1.TGRAN64 = 0\n"
    "end\n";

/* A host snapshot with Linux 6.12's masks: ISAR0 writable, MMFR0's
 * TGRAN*_2 not. */
static char *host_json(const char *name, const char *midr, const char *midr_mask,
                       const char *isar0, const char *mmfr0, const char *extra)
{
    char *buf = malloc(4096);
    assert_non_null(buf);
    snprintf(buf, 4096,
             "{\"format\": \"armcpu-host-snapshot\", \"version\": 1, \"name\": \"%s\",\n"
             " \"source\": \"unit test\", \"kernel\": \"6.12.0\", \"writable_masks\": true,\n"
             " \"registers\": {\n"
             "  \"MIDR_EL1\": {\"value\": \"%s\", \"writable\": \"%s\"},\n"
             "  \"ID_AA64ISAR0_EL1\": {\"value\": \"%s\", \"writable\": \"0xfffffffffffffff0\"},\n"
             "  \"ID_AA64MMFR0_EL1\": {\"value\": \"%s\", \"writable\": \"0xff00f000ffffff0f\"},\n"
             "  \"ID_AA64PFR0_EL1\": {\"value\": \"0x0000000100000011\", \"writable\": \"0xffff00f00f00ffff\"},\n"
             "  \"ID_AA64DFR0_EL1\": {\"value\": \"0x0000000000005006\", \"writable\": \"0x000000f000f00f0f\"}%s\n"
             " }}\n",
             name, midr, midr_mask, isar0, mmfr0, extra);
    return buf;
}

static armcpu_host *load(const char *text)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_load_json(text, strlen(text), "test.json", &err);
    if (!h)
        fail_msg("load: %s", err.message);
    return h;
}

static void load_fails(const char *text, const char *needle)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_load_json(text, strlen(text), "bad.json", &err);
    if (h) {
        armcpu_host_free(h);
        fail_msg("should fail: %s", text);
    }
    if (!strstr(err.message, needle) || !strstr(err.message, "bad.json"))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
}

static armcpu_ctx *ctx_new(void)
{
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new_empty(&err);
    assert_non_null(ctx);
    if (armcpu_ctx_load_model_text(ctx, "t.model", models, strlen(models), &err))
        fail_msg("%s", err.message);
    return ctx;
}

struct seen {
    armcpu_verdict verdict[1024];
    const armcpu_field *field[1024];
    size_t n;
};

static void record(const armcpu_field_check *c, void *opaque)
{
    struct seen *s = opaque;
    if (s->n < 1024) {
        s->verdict[s->n] = c->verdict;
        s->field[s->n++] = c->field;
    }
}

static armcpu_verdict verdict_of(const struct seen *s, const char *path)
{
    const armcpu_field *f = armcpu_field_lookup(path, NULL);
    for (size_t i = 0; i < s->n; i++)
        if (s->field[i] == f)
            return s->verdict[i];
    return ARMCPU_VERDICT_SAME;
}

static void test_snapshot_errors(void **state)
{
    (void)state;
    char *ok = host_json("h", "0x410fd400", "0x0", "0x0", "0x0", "");
    armcpu_host_free(load(ok));
    load_fails("", "empty");
    load_fails("{\"format\": \"armcpu-host-snapshot\", \"version\": 1, ",
               "the JSON ends at byte 49 before it is complete (a truncated file?)");
    load_fails("{\"format\": \"armcpu-host-snapshot\", \"version\": 1, ]}", "not valid JSON at byte 49: expected a string");
    load_fails("[1]", "top level");
    load_fails("{\"format\": \"other\"}", "'format'");
    char *t = strdup(ok);
    memcpy(strstr(t, "\"version\": 1"), "\"version\": 7", 12);
    load_fails(t, "this armcpu reads version 1");
    free(t);
    char *bad = host_json("h", "0x410fd400", "0x0", "0x0", "0x0",
                          ",\n  \"ID_AA64ISAR9_EL1\": {\"value\": \"0x0\", \"writable\": \"0x0\"}");
    load_fails(bad, "registers.ID_AA64ISAR9_EL1");
    free(bad);
    bad = host_json("h", "0x410fd400", "0x0", "0x12345678901234567", "0x0", "");
    load_fails(bad, "registers.ID_AA64ISAR0_EL1.value");
    free(bad);
    bad = host_json("h", "0x410fd400", "0x0", "0x0", "0x0",
                    ",\n  \"CTR_EL0\": {\"value\": \"0x84448004\"}");
    load_fails(bad, "missing 'writable' mask");
    free(bad);
    bad = host_json("h", "0x410fd400", "0x0", "0x0", "0x0",
                    ",\n  \"ID_AA64ISAR0_EL1\": {\"value\": \"0x0\", \"writable\": \"0x0\"}");
    load_fails(bad, "is given twice");
    free(bad);
    bad = host_json("bad name!", "0x410fd400", "0x0", "0x0", "0x0", "");
    load_fails(bad, "host name");
    free(bad);
    bad = host_json("h", "0x410fd400", "0x0", "0x0", "0x0",
                    ",\n  \"CTR_EL0\": {\"value\": \"0x1\", \"writable\": \"0x0\", \"x\": 1}");
    load_fails(bad, "unknown key 'x'");
    free(bad);
    free(ok);
}

static void test_save_round_trip(void **state)
{
    (void)state;
    char *text = host_json("round", "0x410fd400", "0x0", "0x0000000000002120", "0x0",
                           ",\n  \"DCZID_EL0\": {\"absent\": \"ENOENT\"}");
    armcpu_host *h = load(text);
    char path[] = "/tmp/armcpu-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    armcpu_error err = {0};
    assert_int_equal(armcpu_host_save(h, path, &err), 0);
    armcpu_host *again = armcpu_host_load_file(path, &err);
    assert_non_null(again);
    char *a = armcpu_host_to_json(h), *b = armcpu_host_to_json(again);
    assert_string_equal(a, b);
    const armcpu_reg *dczid = armcpu_reg_by_name("DCZID_EL0", NULL);
    assert_int_equal(armcpu_host_reg_state(again, dczid), ARMCPU_REG_ABSENT);
    free(a);
    free(b);
    armcpu_host_free(again);
    armcpu_host_free(h);
    unlink(path);
    free(text);
}

static void test_verdicts(void **state)
{
    (void)state;
    armcpu_ctx *ctx = ctx_new();
    armcpu_error err = {0};
    armcpu_cpu *cpu = armcpu_realize(ctx, "t-cpu-v1", false, &err);
    assert_non_null(cpu);
    /* host: AES=1 (lower than the model: over-promise), SHA1=1 (same);
     * TGRAN4_2 = 0 and not writable; MIDR differs, not writable; SVE = 1;
     * BRPs = 5 (same); DCZID unknown. */
    char *text = host_json("v", "0x410fd0c0", "0x0", "0x0000000000001110", "0x0", "");
    armcpu_host *h = load(text);
    struct seen s = {0};
    size_t blockers = armcpu_check(cpu, h, record, &s);
    assert_int_equal(verdict_of(&s, "ID_AA64ISAR0_EL1.AES"), ARMCPU_VERDICT_OVERPROMISE);
    assert_int_equal(verdict_of(&s, "ID_AA64ISAR0_EL1.SHA1"), ARMCPU_VERDICT_SAME);
    assert_int_equal(verdict_of(&s, "ID_AA64MMFR0_EL1.TGRAN4_2"), ARMCPU_VERDICT_NOT_WRITABLE);
    assert_int_equal(verdict_of(&s, "MIDR_EL1.PartNum"), ARMCPU_VERDICT_IDENTITY);
    assert_int_equal(verdict_of(&s, "DCZID_EL0.BS"), ARMCPU_VERDICT_UNKNOWN);
    /* SHA2: model 0 (not implemented) below the host's 1, writable */
    assert_int_equal(verdict_of(&s, "ID_AA64ISAR0_EL1.SHA2"), ARMCPU_VERDICT_SETTABLE);
    /* TGRAN64_2/16_2: model 2 against the host's 0, not writable on 6.12 */
    assert_int_equal(verdict_of(&s, "ID_AA64MMFR0_EL1.TGRAN64_2"), ARMCPU_VERDICT_NOT_WRITABLE);
    assert_int_equal(blockers, 4); /* AES, TGRAN4_2, TGRAN64_2, TGRAN16_2 */
    armcpu_host_free(h);
    free(text);
    /* A host that has everything: AES=2 writable etc. MIDR writable (6.15+). */
    text = host_json("w", "0x410fd0c0", "0xffffffff", "0x0000000000001120",
                     "0x0000022200000000", "");
    h = load(text);
    memset(&s, 0, sizeof s);
    assert_int_equal(armcpu_check(cpu, h, record, &s), 0);
    assert_int_equal(verdict_of(&s, "MIDR_EL1.PartNum"), ARMCPU_VERDICT_SETTABLE);
    armcpu_host_free(h);
    free(text);
    /* the vCPU feature off in the measurement: SVE unchecked, not blocked */
    text = host_json("nf", "0x410fd400", "0x0", "0x0000000000001120", "0x0000022200000000", "");
    char *p = strstr(text, "\"writable_masks\": true,");
    assert_non_null(p);
    char *with = malloc(strlen(text) + 64);
    snprintf(with, strlen(text) + 64, "%.*s\"vcpu_features\": [], %s", (int)(p - text), text, p);
    memcpy(strstr(with, "0x0000000100000011"), "0x0000000000000011", 18);
    h = load(with);
    memset(&s, 0, sizeof s);
    assert_int_equal(armcpu_check(cpu, h, record, &s), 0);
    assert_int_equal(verdict_of(&s, "ID_AA64PFR0_EL1.SVE"), ARMCPU_VERDICT_UNCHECKED);
    armcpu_host_free(h);
    free(with);
    free(text);
    armcpu_cpu_free(cpu);
    armcpu_ctx_free(ctx);
}

/* The host_json host with AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 = 2). */
static void with_aarch32_el0(char *text)
{
    char *p = strstr(text, "0x0000000100000011");
    assert_non_null(p);
    p[17] = '2';
}

/* KVM's whole-register rule: an ID_DFR0_EL1 write with CopDbg below Armv8
 * is refused, whatever the host has (set_id_dfr0_el1). */
static void test_refused(void **state)
{
    (void)state;
    armcpu_ctx *ctx = ctx_new();
    const char *m = "model t-dfr\nversion 1\nparent t-cpu-v1\nrealizable yes\nsource test\n"
                    "ID_AA64PFR0_EL1.EL0 = 2\nID_DFR0_EL1.CopDbg = 0\nend\n";
    armcpu_error err = {0};
    assert_int_equal(armcpu_ctx_load_model_text(ctx, "dfr.model", m, strlen(m), &err), 0);
    char *text = host_json("r", "0x410fd400", "0x0", "0x0000000000001120", "0x0000022200000000",
                           ",\n  \"ID_DFR0_EL1\": {\"value\": \"0x0000000000000008\", "
                           "\"writable\": \"0x00000000ffffffff\"}");
    with_aarch32_el0(text);
    armcpu_host *h = load(text);
    armcpu_cpu *cpu = armcpu_realize(ctx, "t-dfr-v1", false, &err);
    assert_non_null(cpu);
    struct seen s = {0};
    assert_int_equal(armcpu_check(cpu, h, record, &s), 1);
    assert_int_equal(verdict_of(&s, "ID_DFR0_EL1.CopDbg"), ARMCPU_VERDICT_REFUSED);
    assert_true(armcpu_verdict_blocks(ARMCPU_VERDICT_REFUSED));
    /* the baseline does not pick a refused value either */
    const armcpu_host *hosts[1] = {h};
    armcpu_baseline *b = armcpu_baseline_new(ctx, hosts, 1, "t-dfr-v1", &err);
    assert_non_null(b);
    assert_true(armcpu_baseline_possible(b));
    assert_non_null(strstr(armcpu_baseline_spec(b), "CopDbg"));
    armcpu_baseline_free(b);
    armcpu_cpu_free(cpu);
    armcpu_host_free(h);
    free(text);
    armcpu_ctx_free(ctx);
}

/* A spec without AArch32 leaves the AArch32 registers to the host (UNKNOWN
 * to its guest); with AArch32 they are checked, KVM's rules included; and a
 * fleet where one host lacks AArch32 gets "aarch32=off", not a conflict. */
static void test_aarch32_unused(void **state)
{
    (void)state;
    armcpu_ctx *ctx = ctx_new();
    const char *m = "model t-aa32\nversion 1\nparent t-cpu-v1\nrealizable yes\nsource test\n"
                    "ID_AA64PFR0_EL1.EL0 = 2\nID_DFR0_EL1.CopDbg = 6\nID_ISAR0_EL1.Divide = 2\n"
                    "end\n";
    armcpu_error err = {0};
    assert_int_equal(armcpu_ctx_load_model_text(ctx, "aa32.model", m, strlen(m), &err), 0);
    /* a: AArch32 EL0, ID_DFR0 CopDbg 9 (writable); b: AArch64 only, RAZ */
    char *ta = host_json("a", "0x410fd400", "0x0", "0x0000000000001120", "0x0000022200000000",
                         ",\n  \"ID_DFR0_EL1\": {\"value\": \"0x0000000000000009\", "
                         "\"writable\": \"0x00000000ffffffff\"},\n"
                         "  \"ID_ISAR0_EL1\": {\"value\": \"0x0000000001101110\", "
                         "\"writable\": \"0x00000000ffffffff\"}");
    with_aarch32_el0(ta);
    char *tb = host_json("b", "0x410fd400", "0x0", "0x0000000000001120", "0x0000022200000000",
                         ",\n  \"ID_DFR0_EL1\": {\"value\": \"0x0\", \"writable\": \"0x0\"},\n"
                         "  \"ID_ISAR0_EL1\": {\"value\": \"0x0\", \"writable\": \"0x0\"}");
    armcpu_host *a = load(ta), *b = load(tb);
    armcpu_cpu *no32 = armcpu_realize(ctx, "t-cpu-v1", false, &err);
    armcpu_cpu *with32 = armcpu_realize(ctx, "t-aa32-v1", false, &err);
    armcpu_cpu *off = armcpu_realize(ctx, "t-aa32-v1,aarch32=off", false, &err);
    assert_non_null(no32);
    assert_non_null(with32);
    assert_non_null(off);
    assert_false(armcpu_cpu_has_aarch32(no32));
    assert_true(armcpu_cpu_has_aarch32(with32));
    assert_false(armcpu_cpu_has_aarch32(off));
    assert_true(armcpu_reg_is_aarch32(armcpu_reg_by_name("ID_DFR0_EL1", NULL)));
    assert_true(armcpu_reg_is_aarch32(armcpu_reg_by_name("MVFR2_EL1", NULL)));
    assert_false(armcpu_reg_is_aarch32(armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL)));
    assert_false(armcpu_reg_is_aarch32(armcpu_reg_by_name("MIDR_EL1", NULL)));
    assert_true(armcpu_reg_is_identity(armcpu_reg_by_name("AIDR_EL1", NULL)));
    assert_false(armcpu_reg_is_identity(armcpu_reg_by_name("CTR_EL0", NULL)));
    assert_int_equal(armcpu_field_exception_level(armcpu_field_lookup("ID_AA64PFR0_EL1.EL3", NULL)), 3);
    assert_int_equal(armcpu_field_exception_level(armcpu_field_lookup("ID_AA64PFR0_EL1.EL0", NULL)), 0);
    assert_int_equal(armcpu_field_exception_level(armcpu_field_lookup("ID_AA64PFR0_EL1.SVE", NULL)), -1);
    assert_int_equal(armcpu_field_exception_level(armcpu_field_lookup("ID_AA64ISAR0_EL1.AES", NULL)), -1);
    assert_true(armcpu_pfr0_has_aarch32(0x0000000100000012)); /* EL0 = 2 */
    assert_true(armcpu_pfr0_has_aarch32(0x0000000000002111)); /* EL3 = 2 */
    assert_false(armcpu_pfr0_has_aarch32(0x0000000100000011));
    assert_false(armcpu_pfr0_has_aarch32(0x0000000200000011)); /* a 2 outside EL0..EL3 */

    /* no AArch32: CopDbg 0 (which KVM refuses in a write) is the host's business */
    struct seen s = {0};
    assert_int_equal(armcpu_check(no32, a, record, &s), 0);
    assert_int_equal(armcpu_check(no32, a, NULL, NULL), 0);
    assert_int_equal(verdict_of(&s, "ID_DFR0_EL1.CopDbg"), ARMCPU_VERDICT_HOST_GIVEN);
    assert_int_equal(verdict_of(&s, "ID_ISAR0_EL1.Divide"), ARMCPU_VERDICT_HOST_GIVEN);
    /* with AArch32 on a: Divide 2 > 1 over-promises, CopDbg 6 is settable */
    memset(&s, 0, sizeof s);
    assert_int_equal(armcpu_check(with32, a, record, &s), 1);
    assert_int_equal(armcpu_check(with32, a, NULL, NULL), 1);
    assert_int_equal(verdict_of(&s, "ID_ISAR0_EL1.Divide"), ARMCPU_VERDICT_OVERPROMISE);
    assert_int_equal(verdict_of(&s, "ID_DFR0_EL1.CopDbg"), ARMCPU_VERDICT_SETTABLE);
    /* on b (no AArch32, RAZ, not writable): EL0 over-promises, the registers differ */
    memset(&s, 0, sizeof s);
    assert_true(armcpu_check(with32, b, record, &s) >= 3);
    assert_int_equal(verdict_of(&s, "ID_AA64PFR0_EL1.EL0"), ARMCPU_VERDICT_OVERPROMISE);
    assert_int_equal(verdict_of(&s, "ID_DFR0_EL1.CopDbg"), ARMCPU_VERDICT_NOT_WRITABLE);
    assert_int_equal(armcpu_check(off, b, NULL, NULL), 0);

    /* the fleet {a, b} from t-aa32: aarch32=off, needed by b alone */
    const armcpu_host *hosts[2] = {a, b};
    armcpu_baseline *bl = armcpu_baseline_new(ctx, hosts, 2, "t-aa32-v1", &err);
    assert_non_null(bl);
    assert_true(armcpu_baseline_possible(bl));
    const char *text;
    size_t needing, first;
    assert_true(armcpu_baseline_override_at(bl, 0, &text, &needing, &first));
    assert_string_equal(text, "aarch32=off");
    assert_int_equal(needing, 1);
    assert_int_equal(first, 1);
    assert_null(strstr(armcpu_baseline_spec(bl), "el0_mode"));
    assert_null(strstr(armcpu_baseline_spec(bl), "CopDbg"));
    armcpu_cpu *fleet = armcpu_realize(ctx, armcpu_baseline_spec(bl), false, &err);
    assert_non_null(fleet);
    assert_int_equal(armcpu_check(fleet, a, NULL, NULL), 0);
    assert_int_equal(armcpu_check(fleet, b, NULL, NULL), 0);
    armcpu_cpu_free(fleet);
    armcpu_baseline_free(bl);
    /* both hosts with AArch32 keep it: no aarch32=off */
    const armcpu_host *same[2] = {a, a};
    bl = armcpu_baseline_new(ctx, same, 2, "t-aa32-v1", &err);
    assert_non_null(bl);
    assert_null(strstr(armcpu_baseline_spec(bl), "aarch32=off"));
    armcpu_baseline_free(bl);

    armcpu_cpu_free(no32);
    armcpu_cpu_free(with32);
    armcpu_cpu_free(off);
    armcpu_host_free(a);
    armcpu_host_free(b);
    free(ta);
    free(tb);
    armcpu_ctx_free(ctx);
}

struct counts {
    size_t blockers, unknown;
};

static void count_verdicts(const armcpu_field_check *c, void *opaque)
{
    struct counts *n = opaque;
    n->blockers += armcpu_verdict_blocks(c->verdict);
    n->unknown += armcpu_verdict_unknown(c->verdict);
}

/* The count-only path (no callback, nibble-parallel) agrees with the
 * field-by-field path on every shipped model and spec variant against every
 * embedded snapshot under every known kernel. */
static void test_fast_count_matches(void **state)
{
    (void)state;
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    assert_non_null(ctx);
    /* KVM's whole-register rules too (PerfMon 1, CopDbg and DebugVer below
     * Armv8), on models and on each host's own values ("host"): a rule
     * holds for a field whose limit is unknown (measured with the PMU off) */
    static const char *const extra[] = {"", ",sve=off", ",pmu=off,pauth=off", ",aarch32=off",
                                        ",feat_AES=off,hw_prop_TGRAN4_2=off",
                                        ",SYSREG_ID_DFR0_EL1_PerfMon=0x1",
                                        ",SYSREG_ID_DFR0_EL1_CopDbg=0x0,SYSREG_ID_AA64DFR0_EL1_DebugVer=0x0"};
    size_t compared = 0, nonzero = 0, unknown_seen = 0;
    for (size_t k = 0; k <= armcpu_kernel_count(); k++) {
        for (size_t hi = 0; hi < armcpu_host_embedded_count(); hi++) {
            armcpu_host *h = armcpu_host_open(armcpu_host_embedded_name(hi), &err);
            assert_non_null(h);
            if (k < armcpu_kernel_count())
                assert_int_equal(armcpu_host_apply_kernel(h, armcpu_kernel_version(k), &err), 0);
            for (size_t mi = 0; mi <= armcpu_model_count(ctx); mi++) {
                const armcpu_model *m = mi < armcpu_model_count(ctx) ? armcpu_model_at(ctx, mi)
                                                                     : NULL;
                if (m && !armcpu_model_realizable(m))
                    continue;
                for (size_t e = 0; e < sizeof extra / sizeof extra[0]; e++) {
                    char spec[256];
                    snprintf(spec, sizeof spec, "%s%s", m ? armcpu_model_name(m) : "host",
                             extra[e]);
                    armcpu_cpu *cpu = armcpu_realize_on_host(ctx, spec, h, false, NULL);
                    if (!cpu)
                        continue; /* e.g. sve=on on a model without SVE */
                    struct counts slow = {0, 0};
                    size_t fast_unknown = 0, fast = armcpu_check(cpu, h, NULL, NULL);
                    size_t fast2 = armcpu_check_count(cpu, h, &fast_unknown);
                    size_t ret = armcpu_check(cpu, h, count_verdicts, &slow);
                    if (fast != slow.blockers || ret != slow.blockers || fast2 != fast ||
                        fast_unknown != slow.unknown)
                        fail_msg("%s on %s: fast %zu/%zu unknown %zu, callback %zu unknown "
                                 "%zu (returned %zu)",
                                 spec, armcpu_host_name(h), fast, fast2, fast_unknown,
                                 slow.blockers, slow.unknown, ret);
                    unknown_seen += slow.unknown > 0;
                    compared++;
                    nonzero += fast > 0;
                    armcpu_cpu_free(cpu);
                }
            }
            armcpu_host_free(h);
        }
    }
    assert_true(compared > 1000);
    assert_true(nonzero > 100);
    assert_true(unknown_seen > 100);
    armcpu_ctx_free(ctx);
}

static armcpu_baseline *baseline_of(armcpu_ctx *ctx, char **texts, size_t n)
{
    armcpu_host *hosts[4];
    for (size_t i = 0; i < n; i++)
        hosts[i] = load(texts[i]);
    armcpu_error err = {0};
    armcpu_baseline *b =
        armcpu_baseline_new(ctx, (const armcpu_host *const *)hosts, n, NULL, &err);
    if (!b)
        fail_msg("%s", err.message);
    for (size_t i = 0; i < n; i++)
        armcpu_host_free(hosts[i]);
    return b;
}

static void test_baseline(void **state)
{
    (void)state;
    armcpu_ctx *ctx = ctx_new();
    /* identical hosts with more than the model in a writable field (SHA2):
     * the meet is the hosts' view, no field left below them; the override
     * is needed by no host (the model's own value is accepted too) */
    char *full = host_json("a", "0x410fd400", "0x0", "0x0000000000001120", "0x0000022200000000", "");
    char *t[2] = {full, full};
    armcpu_baseline *b = baseline_of(ctx, t, 2);
    assert_true(armcpu_baseline_possible(b));
    assert_string_equal(armcpu_baseline_spec(b), "t-cpu-v1,feat_SHA2=sha256");
    const char *text;
    size_t need, first;
    assert_true(armcpu_baseline_override_at(b, 0, &text, &need, &first));
    assert_int_equal(need, 0);
    assert_int_equal(armcpu_baseline_host_count(b), 2);
    armcpu_baseline_free(b);
    /* one host lower in a writable field: the meet takes the lower AES,
     * needed by that host alone */
    char *low = host_json("b", "0x410fd400", "0x0", "0x0000000000001110", "0x0000022200000000", "");
    t[1] = low;
    b = baseline_of(ctx, t, 2);
    assert_true(armcpu_baseline_possible(b));
    assert_string_equal(armcpu_baseline_spec(b), "t-cpu-v1,feat_SHA2=sha256,feat_AES=aes");
    assert_true(armcpu_baseline_override_at(b, 1, &text, &need, &first));
    assert_string_equal(text, "feat_AES=aes");
    assert_int_equal(need, 1);
    assert_string_equal(armcpu_baseline_class_name(b, first), "b");
    armcpu_baseline_free(b);
    /* a MIDR-only difference: not writable -> identity finding, still
     * possible; writable on both -> the model's MIDR is written everywhere */
    char *midr = host_json("c", "0x410fd0c0", "0x0", "0x0000000000001120", "0x0000022200000000", "");
    t[1] = midr;
    b = baseline_of(ctx, t, 2);
    assert_true(armcpu_baseline_possible(b));
    assert_true(armcpu_baseline_identity_count(b) > 0);
    assert_non_null(strstr(armcpu_baseline_identity_at(b, 0), "MIDR_EL1.PartNum"));
    armcpu_baseline_free(b);
    char *wa = host_json("d", "0x410fd400", "0xffffffff", "0x0000000000001120", "0x0000022200000000", "");
    char *wb = host_json("e", "0x410fd0c0", "0xffffffff", "0x0000000000001120", "0x0000022200000000", "");
    t[0] = wa;
    t[1] = wb;
    b = baseline_of(ctx, t, 2);
    /* the model pins MIDR and both kernels can write it: nothing to report */
    assert_true(armcpu_baseline_possible(b));
    assert_int_equal(armcpu_baseline_identity_count(b), 0);
    assert_string_equal(armcpu_baseline_spec(b), "t-cpu-v1,feat_SHA2=sha256");
    armcpu_baseline_free(b);
    /* a non-writable difference (TGRAN4_2): impossible, named */
    char *tg = host_json("f", "0x410fd400", "0x0", "0x0000000000001120", "0x0000000000000000", "");
    t[0] = full;
    t[1] = tg;
    b = baseline_of(ctx, t, 2);
    assert_false(armcpu_baseline_possible(b));
    bool named = false;
    for (size_t i = 0; i < armcpu_baseline_conflict_count(b); i++)
        named |= strstr(armcpu_baseline_conflict_at(b, i, NULL), "TGRAN4_2") != NULL;
    assert_true(named);
    armcpu_baseline_free(b);
    free(full);
    free(low);
    free(midr);
    free(wa);
    free(wb);
    free(tg);
    armcpu_ctx_free(ctx);
}

static void test_embedded(void **state)
{
    (void)state;
    assert_true(armcpu_host_embedded_count() >= 3);
    for (size_t i = 0; i < armcpu_host_embedded_count(); i++) {
        armcpu_error err = {0};
        armcpu_host *h = armcpu_host_open(armcpu_host_embedded_name(i), &err);
        if (!h)
            fail_msg("%s: %s", armcpu_host_embedded_name(i), err.message);
        /* the file name is the snapshot's name */
        assert_string_equal(armcpu_host_name(h), armcpu_host_embedded_name(i));
        armcpu_host_free(h);
    }
    armcpu_error err = {0};
    assert_null(armcpu_host_open("graviton9", &err));
    assert_non_null(strstr(err.message, "did you mean"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_errors), cmocka_unit_test(test_save_round_trip),
        cmocka_unit_test(test_verdicts),        cmocka_unit_test(test_baseline),
        cmocka_unit_test(test_embedded),        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_fast_count_matches), cmocka_unit_test(test_aarch32_unused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
