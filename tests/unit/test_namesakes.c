/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The namesake rule of the model set (issue 13): a model runs on the
 * machines it is named after, on today's kernels, with no override.
 *
 *  - A core model's namesakes (`namesakes` in its model file) are exactly
 *    the embedded snapshots whose MIDR_EL1 has its implementer, part number
 *    and variant (the major revision, where silicon features change: N1 r3
 *    has EVT 1 / IESB 0, the r4 TRM the reverse). A SoC model lists a subset
 *    (its SoC's hosts) or `none` (no measurement exists: Grace).
 *  - For every base name and every kernel view from 6.12 to the newest, the
 *    version its unversioned name resolves to for that kernel is usable (no
 *    blocker; fields unknown or unchecked are allowed: they are said, never
 *    called usable) on every namesake, viewed under that kernel: the
 *    snapshot measured or derived for it, else the newest older one
 *    re-derived (armcpu_host_apply_kernel), with the vCPU features it was
 *    read with.
 *  - Every realizable model that is current for one of those kernels has a
 *    `namesakes` line, and its `kernels` range holds that kernel.
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

static uint64_t midr_of_host(const armcpu_host *h)
{
    const armcpu_reg *r = armcpu_reg_by_name("MIDR_EL1", NULL);
    return armcpu_host_reg_value(h, r);
}

static uint64_t midr_of_model(const armcpu_model *m)
{
    armcpu_error err = {0};
    armcpu_cpu *c = armcpu_realize(ctx, armcpu_model_name(m), false, &err);
    if (!c)
        fail_msg("%s: %s", armcpu_model_name(m), err.message);
    uint64_t v = armcpu_cpu_reg_value(c, armcpu_reg_by_name("MIDR_EL1", NULL));
    armcpu_cpu_free(c);
    return v;
}

/* implementer [31:24], variant [23:20], architecture [19:16], part number [15:4] */
static uint64_t core_key(uint64_t midr) { return midr & 0xfffffff0u; }

/* "graviton3-linux-6.18" -> "graviton3"; its kernel "6.18" in *k */
static void split_name(const char *name, char *base, size_t bsize, const char **k)
{
    const char *l = strstr(name, "-linux-");
    size_t n = l ? (size_t)(l - name) : strlen(name);
    snprintf(base, bsize, "%.*s", (int)n, name);
    *k = l ? l + 7 : "";
}

static bool listed(const char *namesakes, const char *base)
{
    size_t n = strlen(base);
    for (const char *p = namesakes; (p = strstr(p, base)); p += n)
        if ((p == namesakes || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
            return true;
    return false;
}

static bool is_soc_model(const armcpu_model *m)
{
    const armcpu_model *p = armcpu_model_parent(m);
    /* a SoC model derives from a realizable core model of another base */
    while (p && !strcmp(armcpu_model_base_name(p), armcpu_model_base_name(m)))
        p = armcpu_model_parent(p);
    return p && armcpu_model_realizable(p);
}

static void test_namesakes_are_the_core(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < armcpu_model_count(ctx); i++) {
        const armcpu_model *m = armcpu_model_at(ctx, i);
        const char *ns = armcpu_model_namesakes(m);
        if (!ns)
            continue;
        uint64_t key = core_key(midr_of_model(m));
        bool soc = is_soc_model(m);
        if (!strcmp(ns, "none")) {
            if (!soc)
                fail_msg("%s: a core model needs its namesakes (namesakes none is for a SoC "
                         "without measurements)",
                         armcpu_model_name(m));
            continue;
        }
        /* every listed one exists and has the core */
        char buf[256];
        snprintf(buf, sizeof buf, "%s", ns);
        for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
            bool found = false;
            for (size_t h = 0; h < armcpu_host_embedded_count(); h++) {
                char base[96];
                const char *k;
                split_name(armcpu_host_embedded_name(h), base, sizeof base, &k);
                if (strcmp(base, t))
                    continue;
                found = true;
                armcpu_error err = {0};
                armcpu_host *hh = armcpu_host_open(armcpu_host_embedded_name(h), &err);
                assert_non_null(hh);
                if (core_key(midr_of_host(hh)) != key)
                    fail_msg("%s: namesake %s has MIDR 0x%llx, not the model's core 0x%llx",
                             armcpu_model_name(m), armcpu_host_name(hh),
                             (unsigned long long)midr_of_host(hh), (unsigned long long)key);
                armcpu_host_free(hh);
            }
            if (!found)
                fail_msg("%s: namesake %s is no embedded snapshot", armcpu_model_name(m), t);
        }
        /* a core model lists every snapshot of its core */
        for (size_t h = 0; !soc && h < armcpu_host_embedded_count(); h++) {
            armcpu_error err = {0};
            armcpu_host *hh = armcpu_host_open(armcpu_host_embedded_name(h), &err);
            assert_non_null(hh);
            char base[96];
            const char *k;
            split_name(armcpu_host_name(hh), base, sizeof base, &k);
            if (core_key(midr_of_host(hh)) == key && !listed(ns, base))
                fail_msg("%s: %s has its core (MIDR 0x%llx) but is not among its namesakes "
                         "'%s'",
                         armcpu_model_name(m), armcpu_host_name(hh),
                         (unsigned long long)midr_of_host(hh), ns);
            armcpu_host_free(hh);
        }
        checked++;
    }
    assert_true(checked >= 8);
}

/* The namesake's view for kernel k (armcpu_host_open_for_kernel: its own
 * snapshot for k, else the newest older measured one re-derived); NULL:
 * none at or before k. */
static armcpu_host *namesake_view(const char *base, const char *kernel)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open_for_kernel(base, kernel, &err);
    if (!h && err.code != ARMCPU_ERR_NOT_FOUND)
        fail_msg("%s under %s: %s", base, kernel, err.message);
    return h;
}

struct blockers {
    char list[512];
};

static void note_blocker(const armcpu_field_check *c, void *opaque)
{
    struct blockers *b = opaque;
    if (!armcpu_verdict_blocks(c->verdict))
        return;
    size_t n = strlen(b->list);
    snprintf(b->list + n, sizeof b->list - n, "%s%s.%s (model 0x%llx, host 0x%llx: %s)",
             n ? "; " : "", armcpu_reg_name(c->reg), c->field ? armcpu_field_name(c->field) : "?",
             (unsigned long long)c->model_value, (unsigned long long)c->host_value, c->reason);
}

static void test_current_models_run_on_their_namesakes(void **state)
{
    (void)state;
    size_t pairs = 0, kernels = 0;
    for (size_t v = 0; v < armcpu_view_count(); v++) {
        const char *kernel = armcpu_view_version(v);
        if (armcpu_kernel_key(kernel) < 6012)
            continue;
        kernels++;
        for (size_t i = 0; i < armcpu_model_count(ctx); i++) {
            const armcpu_model *any = armcpu_model_at(ctx, i);
            armcpu_error err = {0};
            const armcpu_model *m =
                armcpu_model_lookup_for_kernel(ctx, armcpu_model_base_name(any), kernel, &err);
            if (m != any || !armcpu_model_realizable(m))
                continue; /* each base name once: through its current version */
            if (!armcpu_model_serves_kernel(m, armcpu_kernel_key(kernel)))
                fail_msg("%s resolves for Linux %s, but its kernels range '%s' does not hold it",
                         armcpu_model_name(m), kernel,
                         armcpu_model_kernels(m) ? armcpu_model_kernels(m) : "");
            const char *ns = armcpu_model_namesakes(m);
            if (!ns)
                fail_msg("%s is current for Linux %s but has no namesakes line",
                         armcpu_model_name(m), kernel);
            if (!strcmp(ns, "none"))
                continue;
            char buf[256];
            snprintf(buf, sizeof buf, "%s", ns);
            for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
                armcpu_host *h = namesake_view(t, kernel);
                if (!h)
                    continue; /* measured only after this kernel */
                armcpu_cpu *cpu = armcpu_realize_on_host(ctx, armcpu_model_base_name(m), h,
                                                         false, &err);
                if (!cpu)
                    fail_msg("%s on %s: %s", armcpu_model_base_name(m), t, err.message);
                /* the unversioned name resolves the same on the host itself */
                assert_ptr_equal(armcpu_cpu_model(cpu), m);
                struct blockers b = {""};
                if (armcpu_check(cpu, h, note_blocker, &b))
                    fail_msg("%s (the current %s for Linux %s) is blocked on its namesake %s "
                             "(Linux %s's view of %s): %s",
                             armcpu_model_name(m), armcpu_model_base_name(m), kernel, t,
                             kernel, armcpu_host_name(h), b.list);
                pairs++;
                armcpu_cpu_free(cpu);
                armcpu_host_free(h);
            }
        }
    }
    assert_true(kernels >= 12);
    assert_true(pairs >= kernels * 6);
}

/* Versions serve disjoint kernel ranges where both declare one, so a
 * kernel's current version never depends on the order of the files. */
static void test_kernel_ranges_disjoint(void **state)
{
    (void)state;
    for (size_t i = 0; i < armcpu_model_count(ctx); i++)
        for (size_t j = 0; j < armcpu_model_count(ctx); j++) {
            const armcpu_model *a = armcpu_model_at(ctx, i), *b = armcpu_model_at(ctx, j);
            if (i == j || strcmp(armcpu_model_base_name(a), armcpu_model_base_name(b)) ||
                !armcpu_model_kernels(a) || !armcpu_model_kernels(b))
                continue;
            for (unsigned k = 6000; k < 8000; k++)
                if (armcpu_model_serves_kernel(a, k) && armcpu_model_serves_kernel(b, k))
                    fail_msg("%s (%s) and %s (%s) both serve %u.%u", armcpu_model_name(a),
                             armcpu_model_kernels(a), armcpu_model_name(b),
                             armcpu_model_kernels(b), k / 1000, k % 1000);
        }
}

/* Resolution: the newest version serving the kernel; a versioned name is
 * itself; no kernel: the newest. */
static void test_resolution(void **state)
{
    (void)state;
    armcpu_error err = {0};
    const armcpu_model *m = armcpu_model_lookup_for_kernel(ctx, "neoverse-v1", "6.12.117+deb13-arm64", &err);
    assert_string_equal(armcpu_model_name(m), "neoverse-v1-v2");
    m = armcpu_model_lookup_for_kernel(ctx, "neoverse-v1", "7.3", &err);
    assert_string_equal(armcpu_model_name(m), "neoverse-v1-v3");
    m = armcpu_model_lookup_for_kernel(ctx, "neoverse-v1", "6.1.0-50-arm64", &err);
    assert_string_equal(armcpu_model_name(m), "neoverse-v1-v1"); /* no newer one serves 6.1 */
    m = armcpu_model_lookup_for_kernel(ctx, "graviton3", "6.14", &err);
    assert_string_equal(armcpu_model_name(m), "graviton3-v1");
    m = armcpu_model_lookup_for_kernel(ctx, "neoverse-v1-v1", "7.3", &err);
    assert_string_equal(armcpu_model_name(m), "neoverse-v1-v1");
    m = armcpu_model_lookup(ctx, "neoverse-v1", &err);
    assert_string_equal(armcpu_model_name(m), "neoverse-v1-v3");
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
        cmocka_unit_test(test_namesakes_are_the_core),
        cmocka_unit_test(test_current_models_run_on_their_namesakes),
        cmocka_unit_test(test_kernel_ranges_disjoint),
        cmocka_unit_test(test_resolution),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    armcpu_ctx_free(ctx);
    return rc;
}
