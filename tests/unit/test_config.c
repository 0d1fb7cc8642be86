// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The vCPU configuration items (armcpu/config.h): spelling, the judgement
 * of each kernel rule, the meet and the fix against the judgement, the
 * properties realization takes, snapshots that record them, the checks,
 * baselines and diffs over hosts that differ in them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "armcpu/fleet.h"

static armcpu_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    ctx = armcpu_ctx_new(NULL);
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    armcpu_ctx_free(ctx);
    return 0;
}

/* format and parse are inverses on every item, over the values it takes */
static void test_spelling(void **state)
{
    (void)state;
    static const uint64_t probe[] = {0, 1, 2, 3, 6, 31, 32, 40, 48, 52, 0x10000, 0x10001, 0x10003,
                                     0x2, 0xffff};
    size_t round_trips = 0;
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        armcpu_error e = {0};
        assert_int_equal(armcpu_config_by_name(armcpu_config_name((armcpu_config)c), &e), (int)c);
        for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
            char t[128];
            uint64_t back;
            armcpu_config_format((armcpu_config)c, probe[i], t, sizeof t);
            if ((c == ARMCPU_CONFIG_SVE_VLS && probe[i] > 0xffff) ||
                armcpu_config_parse((armcpu_config)c, t, &back, NULL) != ARMCPU_OK)
                continue; /* a value the item does not take (ipa 6, counts 0x10000) */
            assert_int_equal(back, probe[i]);
            round_trips++;
        }
    }
    assert_true(round_trips > 40);
    char t[64];
    armcpu_config_format(ARMCPU_CONFIG_SVE_VLS, 0x3, t, sizeof t);
    assert_string_equal(t, "128,256");
    armcpu_config_format(ARMCPU_CONFIG_PSCI_VERSION, 0x10001, t, sizeof t);
    assert_string_equal(t, "1.1");
    armcpu_config_format(ARMCPU_CONFIG_SMCCC_WA2, 3, t, sizeof t);
    assert_string_equal(t, "not_required");
    armcpu_config_spec_text(ARMCPU_CONFIG_SVE_VLS, 0x3, t, sizeof t);
    assert_string_equal(t, "sve128=on,sve256=on");
    /* bad values say what is allowed */
    armcpu_error e = {0};
    uint64_t v;
    assert_int_equal(armcpu_config_parse(ARMCPU_CONFIG_SVE_VLS, "192", &v, &e), ARMCPU_ERR_INVALID);
    assert_non_null(strstr(e.message, "multiples of 128"));
    assert_int_equal(armcpu_config_parse(ARMCPU_CONFIG_PMU_COUNTERS, "32", &v, &e),
                     ARMCPU_ERR_INVALID);
    assert_int_equal(armcpu_config_parse(ARMCPU_CONFIG_IPA_BITS, "31", &v, &e), ARMCPU_ERR_INVALID);
    assert_int_equal(armcpu_config_parse(ARMCPU_CONFIG_SMCCC_WA1, "3", &v, &e), ARMCPU_ERR_INVALID);
    assert_non_null(strstr(e.message, "not_required (2)"));
    assert_int_equal(armcpu_config_by_name("sve", &e), -1);
    assert_non_null(strstr(e.message, "sve_vls"));
}

#define J(c, spec, host, kernel) armcpu_config_judge((c), (spec), true, (host), (kernel), NULL, 0)

/* each rule as the kernel sources say (research: vcpu-config-rules.md) */
static void test_rules(void **state)
{
    (void)state;
    /* set_sve_vls: the host's lengths up to the longest, no gap */
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0x3, 0x3, 6012), ARMCPU_VERDICT_SAME);
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0x1, 0x3, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0x2, 0x3, 6012), ARMCPU_VERDICT_REFUSED);
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0x3, 0x1, 6012), ARMCPU_VERDICT_OVERPROMISE);
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0xb, 0xb, 6012), ARMCPU_VERDICT_SAME);
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0x3, 0xb, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0x7, 0xb, 6012), ARMCPU_VERDICT_REFUSED);
    assert_int_equal(J(ARMCPU_CONFIG_SVE_VLS, 0, 0x1, 6012), ARMCPU_VERDICT_REFUSED);
    /* set_pmcr: lower is kept, higher ignored */
    assert_int_equal(J(ARMCPU_CONFIG_PMU_COUNTERS, 4, 6, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_PMU_COUNTERS, 7, 6, 6012), ARMCPU_VERDICT_OVERPROMISE);
    /* the VM type */
    assert_int_equal(J(ARMCPU_CONFIG_IPA_BITS, 40, 48, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_IPA_BITS, 52, 48, 6012), ARMCPU_VERDICT_OVERPROMISE);
    /* PSCI: 0.2 and 1.x up to the kernel's */
    assert_int_equal(J(ARMCPU_CONFIG_PSCI_VERSION, 0x10000, 0x10001, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_PSCI_VERSION, 0x2, 0x10001, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_PSCI_VERSION, 0x10003, 0x10001, 6012),
                     ARMCPU_VERDICT_OVERPROMISE);
    assert_int_equal(J(ARMCPU_CONFIG_PSCI_VERSION, 0x1, 0x10001, 6012), ARMCPU_VERDICT_REFUSED);
    assert_int_equal(J(ARMCPU_CONFIG_PSCI_VERSION, 0x10004, 0x10004, 7003), ARMCPU_VERDICT_SAME);
    /* workaround levels: a floor, never more than the host's */
    assert_int_equal(J(ARMCPU_CONFIG_SMCCC_WA3, 1, 2, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_SMCCC_WA3, 2, 1, 6018), ARMCPU_VERDICT_OVERPROMISE);
    /* WORKAROUND_2: unknown maps to not_avail, avail to not_required */
    assert_int_equal(J(ARMCPU_CONFIG_SMCCC_WA2, 1, 0, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_SMCCC_WA2, 2, 0, 6012), ARMCPU_VERDICT_OVERPROMISE);
    assert_int_equal(J(ARMCPU_CONFIG_SMCCC_WA2, 2, 3, 6012), ARMCPU_VERDICT_SETTABLE);
    /* bitmaps: a subset of the kernel's */
    assert_int_equal(J(ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP, 0x1, 0x3, 6012), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_FW_STD_BMAP, 0x3, 0x1, 6012), ARMCPU_VERDICT_OVERPROMISE);
    /* VENDOR_HYP_BMAP_2 by the kernel's services, not the host's reset 0 */
    assert_int_equal(J(ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2, 0x3, 0, 7003), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(J(ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2, 0x3, 0, 6012),
                     ARMCPU_VERDICT_OVERPROMISE);
    assert_int_equal(J(ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2, 0x1, 0, 6015), ARMCPU_VERDICT_UNKNOWN);
    /* an unrecorded host value is unknown, never usable */
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        assert_int_equal(armcpu_config_judge((armcpu_config)c, 1, false, 0, 6012, NULL, 0),
                         ARMCPU_VERDICT_UNKNOWN);
    /* a reason for every verdict that blocks */
    char why[320] = "";
    armcpu_config_judge(ARMCPU_CONFIG_SVE_VLS, 0x2, true, 0x3, 6012, why, sizeof why);
    assert_non_null(strstr(why, "set_sve_vls"));
}

/* the meet and the fix are values the judgement takes on both hosts, over
 * every pair of small values of every item */
static void test_meet_and_fix(void **state)
{
    (void)state;
    size_t meets = 0, none = 0, fixes = 0;
    static const unsigned kernels[] = {6001, 6012, 6018, 7003};
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; k++)
            for (uint64_t a = 0; a < 16; a++)
                for (uint64_t b = 0; b < 16; b++) {
                    uint64_t va = a, vb = b;
                    if (c == ARMCPU_CONFIG_IPA_BITS)
                        va += 36, vb += 36;
                    if (c == ARMCPU_CONFIG_PSCI_VERSION)
                        va = 0x10000 + (a & 3), vb = 0x10000 + (b & 3);
                    if ((c == ARMCPU_CONFIG_SVE_VLS && (!(va & 1) || !(vb & 1))) ||
                        ((c == ARMCPU_CONFIG_SMCCC_WA1 || c == ARMCPU_CONFIG_SMCCC_WA3) &&
                         (va > 2 || vb > 2)) ||
                        (c == ARMCPU_CONFIG_SMCCC_WA2 && (va > 3 || vb > 3)))
                        continue; /* not a host's value */
                    uint64_t m;
                    if (armcpu_config_meet((armcpu_config)c, va, vb, kernels[k], &m, NULL, 0)) {
                        assert_false(armcpu_verdict_blocks(
                            J((armcpu_config)c, m, va, kernels[k])));
                        assert_false(armcpu_verdict_blocks(
                            J((armcpu_config)c, m, vb, kernels[k])));
                        meets++;
                    } else {
                        none++;
                    }
                    uint64_t fixed;
                    if (armcpu_config_fix((armcpu_config)c, va, vb, kernels[k], &fixed)) {
                        assert_false(armcpu_verdict_blocks(
                            J((armcpu_config)c, fixed, vb, kernels[k])));
                        fixes++;
                    }
                }
    assert_true(meets > 1000);
    assert_true(fixes > 1000);
    (void)none;
    /* the vector lengths stop at the first the hosts disagree on */
    uint64_t m;
    assert_true(armcpu_config_meet(ARMCPU_CONFIG_SVE_VLS, 0x3, 0x1, 6012, &m, NULL, 0));
    assert_int_equal(m, 0x1);
    assert_true(armcpu_config_meet(ARMCPU_CONFIG_SVE_VLS, 0xb, 0xf, 6012, &m, NULL, 0));
    assert_int_equal(m, 0x3);
}

static armcpu_host *host_with(const char *base, const char *const *items, size_t n)
{
    armcpu_host *h = armcpu_host_open(base, NULL);
    assert_non_null(h);
    for (size_t i = 0; i + 1 < n; i += 2) {
        int c = armcpu_config_by_name(items[i], NULL);
        uint64_t v;
        assert_true(c >= 0);
        assert_int_equal(armcpu_config_parse((armcpu_config)c, items[i + 1], &v, NULL), 0);
        assert_int_equal(armcpu_host_set_config(h, (armcpu_config)c, v, "test", NULL), 0);
    }
    return h;
}

struct seen {
    size_t config, blockers, unknown;
    int last;
};

static void on_check(const armcpu_field_check *c, void *opaque)
{
    struct seen *s = opaque;
    s->blockers += armcpu_verdict_blocks(c->verdict);
    s->unknown += armcpu_verdict_unknown(c->verdict);
    if (c->is_config) {
        assert_null(c->reg);
        s->config++;
        s->last = (int)c->config;
    }
}

/* the spec properties, realized and checked; check and the count path agree */
static void test_specs_and_checks(void **state)
{
    (void)state;
    const char *const items[] = {"sve_vls", "128,256", "pmu_counters", "6", "psci_version", "1.1"};
    armcpu_host *h = host_with("qemu10-neoverse-v1-linux-7.3", items, 6);
    static const struct {
        const char *spec;
        size_t config, blockers, unknown; /* config verdicts other than SAME */
    } cases[] = {
        {"neoverse-v1-v3", 0, 0, 0},
        {"neoverse-v1-v3,sve128=on,sve256=on", 0, 0, 0},
        {"neoverse-v1-v3,sve128=on", 1, 0, 0},
        {"neoverse-v1-v3,sve256=on", 1, 1, 0},
        {"neoverse-v1-v3,sve128=on,sve256=on,sve512=on", 1, 1, 0},
        {"neoverse-v1-v3,pmu_counters=2,psci_version=1.0", 2, 0, 0},
        {"neoverse-v1-v3,pmu_counters=7", 1, 1, 0},
        {"neoverse-v1-v3,smccc_wa1=avail", 1, 0, 1}, /* not recorded */
        {"host,sve256=off", 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        armcpu_error err = {0};
        armcpu_cpu *cpu = armcpu_realize_on_host(ctx, cases[i].spec, h, false, &err);
        if (!cpu)
            fail_msg("%s: %s", cases[i].spec, err.message);
        struct seen s = {0, 0, 0, -1};
        size_t all = armcpu_check(cpu, h, on_check, &s), unknown = 0;
        size_t counted = armcpu_check_count(cpu, h, &unknown);
        assert_int_equal(all, s.blockers);
        assert_int_equal(counted, s.blockers);
        assert_int_equal(unknown, s.unknown);
        if (s.config != cases[i].config)
            fail_msg("%s: %zu configuration verdicts, want %zu", cases[i].spec, s.config,
                     cases[i].config);
        armcpu_cpu_free(cpu);
    }
    /* realization errors name the property and what is wrong */
    static const struct {
        const char *spec, *says;
    } bad[] = {
        {"neoverse-v1-v3,sve256=off", "alone does not say"},
        {"neoverse-v1-v3,sve=off,sve128=on", "has no SVE"},
        {"neoverse-n1-v1,sve128=on", "has no SVE"},
        {"neoverse-v1-v3,pmu=off,pmu_counters=2", "has no PMUv3"},
        {"neoverse-v1-v3,sve128=on,sve128=off", "given twice"},
        {"neoverse-v1-v3,pmu_counters=2,pmu_counters=3", "given twice"},
        {"neoverse-v1-v3,ipa_bits=60", "32..52"},
        {"neoverse-v1-v3,psci_version=x", "MAJOR.MINOR"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        armcpu_error err = {0};
        armcpu_cpu *cpu = armcpu_realize_on_host(ctx, bad[i].spec, h, false, &err);
        if (cpu || !strstr(err.message, bad[i].says))
            fail_msg("%s: want an error saying '%s', got '%s'", bad[i].spec, bad[i].says,
                     err.message);
    }
    /* a model setting is not vCPU configuration */
    armcpu_error err = {0};
    const char model[] = "model cfg\nversion 1\nparent neoverse-v1-v3\nrealizable yes\n"
                         "description t\nsource t\npmu_counters = 2\nend\n";
    armcpu_ctx *c2 = armcpu_ctx_new(NULL);
    assert_non_null(c2);
    assert_true(armcpu_ctx_load_model_text(c2, "cfg.model", model, strlen(model), &err) < 0);
    assert_non_null(strstr(err.message, "vCPU configuration"));
    armcpu_ctx_free(c2);
    armcpu_host_free(h);
}

/* snapshots keep them (with sources) through JSON, copies and kernels */
static void test_snapshots(void **state)
{
    (void)state;
    const char *const items[] = {"sve_vls", "128", "smccc_wa3", "not_required", "psci_version",
                                 "1.1"};
    armcpu_host *h = host_with("graviton4-linux-6.1", items, 6);
    char *json = armcpu_host_to_json(h);
    armcpu_host *back = armcpu_host_load_json(json, strlen(json), "copy", NULL);
    assert_non_null(back);
    uint64_t v;
    assert_true(armcpu_host_config(back, ARMCPU_CONFIG_SMCCC_WA3, &v));
    assert_int_equal(v, 2);
    assert_string_equal(armcpu_host_config_source(back, ARMCPU_CONFIG_SMCCC_WA3), "test");
    /* under 6.18: the CPU's lengths kept, the workaround levels unknown,
     * the PSCI version the kernel's */
    assert_int_equal(armcpu_host_apply_kernel(back, "6.18", NULL), 0);
    assert_true(armcpu_host_config(back, ARMCPU_CONFIG_SVE_VLS, &v));
    assert_int_equal(v, 1);
    assert_false(armcpu_host_config(back, ARMCPU_CONFIG_SMCCC_WA3, NULL));
    assert_true(armcpu_host_config(back, ARMCPU_CONFIG_PSCI_VERSION, &v));
    assert_int_equal(v, 0x10003);
    armcpu_free(json);
    armcpu_host_free(back);
    /* bad snapshot entries are named */
    static const char *const bad[] = {
        "\"vcpu_config\": {\"sve\": \"128\"}",
        "\"vcpu_config\": {\"sve_vls\": \"100\"}",
        "\"vcpu_config\": {\"pmu_counters\": 6}",
        "\"vcpu_config\": {\"psci_version\": {\"value\": \"1.1\", \"extra\": 1}}",
        "\"vcpu_config\": []",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"format\": \"armcpu-host-snapshot\", \"version\": 1, \"name\": \"x\", "
                 "\"source\": \"t\", \"kernel\": \"6.12\", \"writable_masks\": false, %s, "
                 "\"registers\": {}}",
                 bad[i]);
        armcpu_error err = {0};
        armcpu_host *x = armcpu_host_load_json(text, strlen(text), "bad.json", &err);
        if (x || !strstr(err.message, "bad.json") || !strstr(err.message, "vcpu_config"))
            fail_msg("%s: want an error naming bad.json and vcpu_config, got '%s'", bad[i],
                     err.message);
    }
    armcpu_host_free(h);
}

/* baselines and diffs over hosts that differ in them */
static void test_fleet(void **state)
{
    (void)state;
    const char *const a_items[] = {"sve_vls", "128,256", "pmu_counters", "6", "smccc_wa3",
                                   "not_required", "ipa_bits", "44"};
    const char *const b_items[] = {"sve_vls", "128", "pmu_counters", "6", "smccc_wa3", "avail",
                                   "ipa_bits", "40"};
    armcpu_host *a = host_with("qemu10-neoverse-v1-linux-7.3", a_items, 8);
    armcpu_host *b = host_with("qemu10-neoverse-v1-linux-7.3", b_items, 8);
    assert_int_equal(armcpu_host_set_info(b, "v1-128", NULL, NULL, NULL), 0);
    armcpu_host_clear_config(b, ARMCPU_CONFIG_SMCCC_WA1); /* one item b does not record */
    const armcpu_host *two[2] = {a, b};
    armcpu_error err = {0};
    armcpu_baseline *bl = armcpu_baseline_new(ctx, two, 2, NULL, &err);
    assert_non_null(bl);
    uint64_t v;
    /* the lengths both have, the lower floor; the counters they share stay theirs */
    assert_true(armcpu_baseline_config(bl, ARMCPU_CONFIG_SVE_VLS, &v));
    assert_int_equal(v, 0x1);
    assert_true(armcpu_baseline_config(bl, ARMCPU_CONFIG_SMCCC_WA3, &v));
    assert_int_equal(v, 1);
    assert_false(armcpu_baseline_config(bl, ARMCPU_CONFIG_PMU_COUNTERS, NULL));
    /* the IPA size is a VM limit: stated, not set */
    assert_false(armcpu_baseline_config(bl, ARMCPU_CONFIG_IPA_BITS, NULL));
    assert_int_equal(armcpu_baseline_config_limit_count(bl), 1);
    assert_non_null(strstr(armcpu_baseline_config_limit_at(bl, 0), "at most 40"));
    assert_null(strstr(armcpu_baseline_spec(bl), "ipa_bits"));
    assert_non_null(strstr(armcpu_baseline_spec(bl), "sve128=on"));
    assert_non_null(strstr(armcpu_baseline_spec(bl), "smccc_wa3=avail"));
    /* each an override, needed by the member whose own value it is not */
    size_t found = 0;
    for (size_t i = 0; i < armcpu_baseline_override_count(bl); i++) {
        const char *t;
        size_t need, first;
        armcpu_baseline_override_at(bl, i, &t, &need, &first);
        if (!strcmp(t, "sve128=on") || !strcmp(t, "smccc_wa3=avail")) {
            assert_int_equal(need, 1);
            /* a: 128+256-bit vectors, WORKAROUND_3 not_required */
            assert_string_equal(armcpu_baseline_class_name(bl, first), armcpu_host_name(a));
            found++;
        }
    }
    assert_int_equal(found, 2);
    assert_int_equal(armcpu_baseline_verification_failures(bl), 0);
    /* an unrecorded item is named, and the answer is never a plain yes */
    assert_int_equal(armcpu_baseline_config_unknown_count(bl), 1);
    assert_non_null(strstr(armcpu_baseline_config_unknown_at(bl, 0), "smccc_wa1 (v1-128"));
    assert_int_not_equal(armcpu_baseline_answer(bl), ARMCPU_ANSWER_YES);
    armcpu_cpu *cpu = armcpu_realize(ctx, armcpu_baseline_spec(bl), false, &err);
    assert_non_null(cpu);
    assert_int_equal(armcpu_check(cpu, a, NULL, NULL), armcpu_check(cpu, b, NULL, NULL));
    armcpu_cpu_free(cpu);
    armcpu_baseline_free(bl);
    /* diff: the same two items, each with the common value */
    armcpu_diff *d = armcpu_diff_new(ctx, a, b, &err);
    assert_non_null(d);
    size_t items = 0;
    for (size_t i = 0; i < armcpu_diff_count(d); i++) {
        int c = armcpu_diff_config_at(d, i);
        if (c < 0)
            continue;
        armcpu_diff_kind k;
        uint64_t common;
        armcpu_diff_at(d, i, NULL, NULL, NULL, &k, &common, NULL);
        if (c == ARMCPU_CONFIG_SMCCC_WA1) {
            assert_int_equal(k, ARMCPU_DIFF_UNKNOWN); /* b does not record it */
        } else if (c == ARMCPU_CONFIG_IPA_BITS) {
            assert_int_equal(k, ARMCPU_DIFF_COMMON);
            assert_int_equal(common, 40);
        } else {
            assert_int_equal(k, ARMCPU_DIFF_COMMON);
            assert_int_equal(common, c == ARMCPU_CONFIG_SVE_VLS ? 0x1 : 1);
        }
        items++;
    }
    assert_int_equal(items, 4); /* and ipa_bits, common 40 */
    armcpu_diff_free(d);
    armcpu_host_free(a);
    armcpu_host_free(b);
}

/* compare: the vector lengths, counters and floors order the two sides */
static void test_compare(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b, *result, *prop;
    } cases[] = {
        {"neoverse-v1-v3,sve128=on", "neoverse-v1-v3,sve128=on,sve256=on", "subset", "sve256"},
        {"neoverse-v1-v3,sve128=on,sve256=on", "neoverse-v1-v3,sve128=on", "superset", "sve256"},
        {"neoverse-v1-v3,pmu_counters=4", "neoverse-v1-v3,pmu_counters=6", "subset",
         "pmu_counters"},
        {"neoverse-v1-v3,smccc_wa3=avail", "neoverse-v1-v3,smccc_wa3=not_avail", "superset",
         "smccc_wa3"},
        /* a side that leaves an item to its host does not define it */
        {"neoverse-v1-v3,pmu_counters=4", "neoverse-v1-v3", "identical", NULL},
        {"neoverse-v1-v3,psci_version=1.1", "neoverse-v1-v3,psci_version=1.1", "identical", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        armcpu_cpu *a = armcpu_realize(ctx, cases[i].a, false, NULL);
        armcpu_cpu *b = armcpu_realize(ctx, cases[i].b, false, NULL);
        assert_non_null(a);
        assert_non_null(b);
        armcpu_comparison *c = armcpu_compare(ctx, a, NULL, b, NULL, NULL);
        assert_non_null(c);
        const char *r = armcpu_comparison_result_name(armcpu_comparison_result_of(c));
        if (strcmp(r, cases[i].result))
            fail_msg("compare %s %s: %s, want %s", cases[i].a, cases[i].b, r, cases[i].result);
        if (cases[i].prop) {
            assert_int_equal(armcpu_comparison_property_count(c), 1);
            assert_string_equal(armcpu_comparison_property_at(c, 0), cases[i].prop);
        }
        armcpu_comparison_free(c);
        armcpu_cpu_free(a);
        armcpu_cpu_free(b);
    }
}

/* the vCPU features of a KVM_ARM_VCPU_INIT list, as the probe, the live
 * backend and saved states write it */
static void test_feature_lists(void **state)
{
    (void)state;
    assert_int_equal(armcpu_vcpu_features_of_list("psci-0.2,pmu-v3,ptrauth-address,"
                                                  "ptrauth-generic,sve"),
                     ARMCPU_VCPU_SVE | ARMCPU_VCPU_PMU | ARMCPU_VCPU_PTRAUTH);
    assert_int_equal(armcpu_vcpu_features_of_list("sve,pmu"), ARMCPU_VCPU_SVE | ARMCPU_VCPU_PMU);
    assert_int_equal(armcpu_vcpu_features_of_list("psci-0.2"), 0);
    assert_int_equal(armcpu_vcpu_features_of_list(""), 0);
    assert_int_equal(armcpu_vcpu_features_of_list(NULL), 0);
    assert_int_equal(armcpu_vcpu_features_of_list("nosve,xpmu"), 0); /* whole tokens' starts */
}

/* a spec lacking a feature the host has is judged on the host's view for
 * its vCPU, kept with the host: a change to the host drops it */
static void test_view_cache(void **state)
{
    (void)state;
    armcpu_host *h = armcpu_host_open("qemu10-neoverse-v1-linux-7.3", NULL);
    armcpu_cpu *cpu = armcpu_realize_on_host(ctx, "host,sve=off,pmu_counters=2", h, false, NULL);
    assert_non_null(h);
    assert_non_null(cpu);
    size_t u0 = 0, b0 = armcpu_check_count(cpu, h, &u0), u1 = 0;
    assert_int_equal(armcpu_check_count(cpu, h, &u1), b0); /* from the kept view */
    assert_int_equal(u1, u0);
    /* the host's counters lowered below the spec's: it now over-promises,
     * judged on the view as on the host */
    assert_int_equal(armcpu_host_set_config(h, ARMCPU_CONFIG_PMU_COUNTERS, 1, "test", NULL), 0);
    size_t u2 = 0;
    assert_int_equal(armcpu_check_count(cpu, h, &u2), b0 + 1);
    assert_int_equal(armcpu_check(cpu, h, NULL, NULL), b0 + 1);
    /* and features: measured without the PMU, its counters are the host's */
    assert_int_equal(armcpu_host_set_vcpu_features(h, "sve,ptrauth", NULL), 0);
    struct seen s = {0, 0, 0, -1};
    armcpu_check(cpu, h, on_check, &s);
    assert_int_equal(s.config, 1);
    armcpu_cpu_free(cpu);
    armcpu_host_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spelling),   cmocka_unit_test(test_rules),
        cmocka_unit_test(test_meet_and_fix), cmocka_unit_test(test_specs_and_checks),
        cmocka_unit_test(test_snapshots),  cmocka_unit_test(test_fleet),
        cmocka_unit_test(test_compare),    cmocka_unit_test(test_feature_lists),
        cmocka_unit_test(test_view_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
