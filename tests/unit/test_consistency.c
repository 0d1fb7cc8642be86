/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every command gives the same answer as armcpu_check on the same facts
 * (issue: one acceptance model and one fleet layer). Over every embedded
 * snapshot and the fixtures (measured with vCPU features off, missing
 * registers, without AArch32, two that differ only in vcpu_features), under
 * their own masks and every known kernel table, every model and spec
 * variant:
 *   (a) props-info lists a value exactly when check accepts it
 *   (b) models-info's unavailable-features are check's blocking properties
 *   (c) every fix spec passes check, with fix's answer
 *   (d) compare's responsible properties are the differing checkable fields
 *   (e) every baseline spec passes check on every member; the meet is the
 *       greatest value every member accepts (no candidate above it is)
 *   (f) every plan spec passes check on every host under its kernel
 *   (g) the fields diff calls not fixable are the pair's baseline conflicts
 * argv[1]: the source directory (for tests/data).
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

static const char *srcdir = ".";

#define MAX_HOSTS 64
static armcpu_host *hosts[MAX_HOSTS];
static size_t n_hosts;
static armcpu_ctx *ctx;

static const char *const fixtures[] = {"tests/data/n1-no-features.json",
                                       "tests/data/two-registers.json",
                                       "tests/data/n1-tgran.json"};
static const char *const variants[] = {"", ",aarch32=off", ",sve=off,pauth=off",
                                       ",hw_prop_TGRAN4_2=off,feat_AES=aes"};

static int setup(void **state)
{
    (void)state;
    armcpu_error err = {0};
    ctx = armcpu_ctx_new(&err);
    if (!ctx)
        return -1;
    for (size_t i = 0; i < armcpu_host_embedded_count(); i++)
        hosts[n_hosts++] = armcpu_host_open(armcpu_host_embedded_name(i), &err);
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", srcdir, fixtures[i]);
        hosts[n_hosts++] = armcpu_host_load_file(path, &err);
    }
    /* every host also as if it ran each known kernel */
    size_t base = n_hosts;
    for (size_t k = 0; k < armcpu_kernel_count(); k++)
        for (size_t i = 0; i < base && n_hosts < MAX_HOSTS; i++) {
            char *json = armcpu_host_to_json(hosts[i]);
            armcpu_host *h = json ? armcpu_host_load_json(json, strlen(json), "copy", &err) : NULL;
            armcpu_free(json);
            if (h && armcpu_host_apply_kernel(h, armcpu_kernel_version(k), &err) == 0)
                hosts[n_hosts++] = h;
            else
                armcpu_host_free(h);
        }
    for (size_t i = 0; i < n_hosts; i++)
        if (!hosts[i])
            return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < n_hosts; i++)
        armcpu_host_free(hosts[i]);
    armcpu_ctx_free(ctx);
    return 0;
}

static const char *hname(const armcpu_host *h, char *buf, size_t size)
{
    snprintf(buf, size, "%s@%s", armcpu_host_name(h), armcpu_host_kernel(h));
    return buf;
}

/* Verdicts of one check, by field. */
struct verdicts {
    const armcpu_field *f[2048];
    armcpu_verdict v[2048];
    const armcpu_reg *r[2048];
    size_t n, blockers, unknown;
};

static void record(const armcpu_field_check *c, void *opaque)
{
    struct verdicts *s = opaque;
    s->blockers += armcpu_verdict_blocks(c->verdict);
    s->unknown += armcpu_verdict_unknown(c->verdict);
    if (s->n < 2048) {
        s->f[s->n] = c->field;
        s->r[s->n] = c->reg;
        s->v[s->n++] = c->verdict;
    }
}

static struct verdicts *check_all(const armcpu_cpu *cpu, const armcpu_host *h)
{
    struct verdicts *s = calloc(1, sizeof *s);
    assert_non_null(s);
    size_t b = armcpu_check(cpu, h, record, s);
    assert_int_equal(b, s->blockers);
    return s;
}


static bool prop_blocks(const struct verdicts *s, const char *prop)
{
    for (size_t i = 0; i < s->n; i++)
        if (armcpu_verdict_blocks(s->v[i])) {
            const char *pn = s->f[i] ? armcpu_prop_name(armcpu_field_prop(ctx, s->f[i]))
                                     : armcpu_reg_name(s->r[i]);
            if (!strcmp(pn, prop))
                return true;
        }
    return false;
}

static armcpu_cpu *realize(const char *spec)
{
    return armcpu_realize(ctx, spec, false, NULL);
}

/* (a) props-info's values against check's verdict of the same value in
 * each model's register (the field set by the spec). */
static void test_props_info(void **state)
{
    (void)state;
    /* "host": props-info's own question (the property set on top of the
     * host's register), exact for every field; the models: exact but for
     * the fields whose KVM rule reads another field of the spec
     * (set_clidr's LoUU with LoUIS), whose answer depends on the spec */
    static const char *const specs[] = {"host", "neoverse-n1-v1", "graviton3-v1",
                                        "neoverse-v2-v1", "graviton3-v1,aarch32=off"};
    const armcpu_reg *clidr = armcpu_reg_by_name("CLIDR_EL1", NULL);
    size_t spec_dependent = 0;
    size_t compared = 0, listed = 0, refused = 0, unknown = 0;
    for (size_t hi = 0; hi < n_hosts; hi++) {
        const armcpu_host *h = hosts[hi];
        armcpu_error err = {0};
        armcpu_props_info *pi = armcpu_props_info_new(ctx, h, &err);
        assert_non_null(pi);
        for (size_t si = 0; si < sizeof specs / sizeof specs[0]; si++) {
            armcpu_cpu *cpu = armcpu_realize_on_host(ctx, specs[si], h, false, NULL);
            assert_non_null(cpu);
            for (size_t i = 0; i < armcpu_props_info_count(pi); i++) {
                const armcpu_prop *p = armcpu_props_info_prop(pi, i);
                if (armcpu_prop_kind_of(p) != ARMCPU_PROP_SYSREG)
                    continue; /* every field once, by its SYSREG_ property */
                const armcpu_field *f = armcpu_prop_field_at(p, 0);
                const armcpu_reg *r = armcpu_field_reg(f);
                armcpu_reg_view view;
                armcpu_host_reg_view(h, r, &view);
                unsigned flags = armcpu_cpu_judge_flags(cpu, r) | ARMCPU_JUDGE_SETS;
                unsigned w = armcpu_field_width(f);
                uint64_t top = w <= 4 ? (1u << w) - 1 : 0;
                /* wide fields: the listed values and their neighbours */
                uint64_t wide[64];
                size_t nw = 0;
                if (w > 4) {
                    uint64_t hv = armcpu_field_get(f, view.value), wm = w >= 64 ? ~0ULL : (1ULL << w) - 1;
                    uint64_t c[6] = {hv, (hv + 1) & wm, (hv - 1) & wm, 0, 1, wm};
                    for (size_t k = 0; k < 6; k++)
                        wide[nw++] = c[k];
                }
                size_t nv = w <= 4 ? top + 1 : nw;
                for (size_t k = 0; k < nv; k++) {
                    uint64_t v = w <= 4 ? k : wide[k];
                    uint64_t spec = armcpu_cpu_reg_value(cpu, r);
                    armcpu_field_set(f, &spec, v, NULL);
                    armcpu_verdict vd = armcpu_judge(f, spec, flags, &view, NULL, 0);
                    if (vd == ARMCPU_VERDICT_HOST_GIVEN)
                        continue; /* not the host's answer: the spec leaves it */
                    bool known = armcpu_props_info_known(pi, i);
                    if (!known) {
                        /* props-info: unknown; check: unknown too, the
                         * host's own value (SAME), or a value KVM's
                         * whole-register rules refuse whatever the limit */
                        if (!armcpu_verdict_unknown(vd) && vd != ARMCPU_VERDICT_SAME &&
                            vd != ARMCPU_VERDICT_REFUSED)
                            fail_msg("%s on %s: %s=0x%llx: props-info says unknown, check %s",
                                     specs[si], armcpu_host_name(h), armcpu_prop_name(p),
                                     (unsigned long long)v, armcpu_verdict_name(vd));
                        unknown++;
                        continue;
                    }
                    if (armcpu_verdict_unknown(vd))
                        fail_msg("%s on %s: %s=0x%llx: props-info knows, check says %s", specs[si],
                                 armcpu_host_name(h), armcpu_prop_name(p), (unsigned long long)v,
                                 armcpu_verdict_name(vd));
                    bool accepted = vd == ARMCPU_VERDICT_SAME || vd == ARMCPU_VERDICT_SETTABLE;
                    bool is_listed = armcpu_props_info_accepts(pi, i, v);
                    if (w <= 4 || accepted != is_listed) {
                        /* the listed text says the same */
                        char hex[32];
                        snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)v);
                        bool in_text = false;
                        for (size_t t = 0; t < armcpu_props_info_value_count(pi, i); t++) {
                            const char *s = armcpu_props_info_value_at(pi, i, t);
                            unsigned long long lo, hi2;
                            if (!strcmp(s, hex) ||
                                (sscanf(s, "0x%llx-0x%llx", &lo, &hi2) == 2 && v >= lo && v <= hi2))
                                in_text = true;
                        }
                        is_listed = in_text;
                    }
                    if (accepted != is_listed && si > 0 && r == clidr) {
                        spec_dependent++;
                        continue;
                    }
                    if (accepted != is_listed)
                        fail_msg("%s on %s: %s=0x%llx: props-info %s, check says %s", specs[si],
                                 armcpu_host_name(h), armcpu_prop_name(p), (unsigned long long)v,
                                 is_listed ? "lists it" : "does not list it",
                                 armcpu_verdict_name(vd));
                    compared++;
                    listed += is_listed;
                    refused += !is_listed;
                }
            }
            armcpu_cpu_free(cpu);
        }
        armcpu_props_info_free(pi);
    }
    assert_true(compared > 100000);
    assert_true(spec_dependent > 0); /* the exception is real, and rare */
    assert_true(spec_dependent < compared / 1000);
    assert_true(listed > 10000 && refused > 10000 && unknown > 1000);
}

/* (b) and (c): models-info and fix against check. */
static void test_models_and_fix(void **state)
{
    (void)state;
    size_t fixes = 0, blocked_models = 0, unknown_models = 0;
    for (size_t hi = 0; hi < n_hosts; hi++) {
        const armcpu_host *h = hosts[hi];
        armcpu_error err = {0};
        char hn[128];
        armcpu_models_info *mi = armcpu_models_info_new(ctx, h, &err);
        assert_non_null(mi);
        for (size_t i = 0; i < armcpu_models_info_count(mi); i++) {
            const armcpu_model *m = armcpu_models_info_model(mi, i);
            armcpu_cpu *cpu = realize(armcpu_model_name(m));
            struct verdicts *s = check_all(cpu, h);
            /* (b) the same blocking properties, each once, and the answer */
            size_t nb = armcpu_models_info_blocker_count(mi, i);
            for (size_t k = 0; k < nb; k++)
                if (!prop_blocks(s, armcpu_models_info_blocker_at(mi, i, k)))
                    fail_msg("%s on %s: unavailable %s, which check does not block",
                             armcpu_model_name(m), hname(h, hn, sizeof hn),
                             armcpu_models_info_blocker_at(mi, i, k));
            for (size_t k = 0; k < s->n; k++) {
                if (!armcpu_verdict_blocks(s->v[k]))
                    continue;
                const char *pn = s->f[k] ? armcpu_prop_name(armcpu_field_prop(ctx, s->f[k]))
                                         : armcpu_reg_name(s->r[k]);
                bool found = false;
                for (size_t j = 0; j < nb && !found; j++)
                    found = !strcmp(pn, armcpu_models_info_blocker_at(mi, i, j));
                if (!found)
                    fail_msg("%s on %s: check blocks %s, not in unavailable-features",
                             armcpu_model_name(m), hname(h, hn, sizeof hn), pn);
            }
            assert_int_equal(armcpu_models_info_answer(mi, i),
                             armcpu_answer_of(s->blockers, s->unknown));
            assert_int_equal(armcpu_models_info_unknown(mi, i), s->unknown);
            blocked_models += s->blockers > 0;
            unknown_models += !s->blockers && s->unknown;
            free(s);
            armcpu_cpu_free(cpu);
            /* (c) every fix spec passes check, with fix's answer */
            for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
                char spec[256];
                snprintf(spec, sizeof spec, "%s%s", armcpu_model_name(m), variants[v]);
                armcpu_fix *x = armcpu_fix_new(ctx, spec, h, &err);
                if (!x)
                    continue; /* a variant the model refuses (sve=off on no SVE is fine) */
                if (armcpu_fix_answer(x) != ARMCPU_ANSWER_NO) {
                    armcpu_cpu *fc = armcpu_realize_on_host(ctx, armcpu_fix_spec(x), h, false, &err);
                    assert_non_null(fc);
                    struct verdicts *fs = check_all(fc, h);
                    if (fs->blockers)
                        fail_msg("fix %s on %s gave %s, blocked", spec, hname(h, hn, sizeof hn),
                                 armcpu_fix_spec(x));
                    assert_int_equal(armcpu_fix_answer(x), armcpu_answer_of(0, fs->unknown));
                    free(fs);
                    armcpu_cpu_free(fc);
                    fixes++;
                }
                armcpu_fix_free(x);
            }
        }
        armcpu_models_info_free(mi);
    }
    assert_true(fixes > 1000);
    assert_true(blocked_models > 100 && unknown_models > 10);
}

/* (d) compare's responsible fields: host against spec are the fields whose
 * check verdict says they differ and can be judged; spec against spec the
 * differing fields outside identity, host-given and (unless both have it)
 * AArch32 registers. */
static void test_compare(void **state)
{
    (void)state;
    size_t compared = 0;
    armcpu_error err = {0};
    for (size_t hi = 0; hi < n_hosts; hi++) {
        const armcpu_host *h = hosts[hi];
        armcpu_cpu *hc = armcpu_realize_on_host(ctx, "host", h, false, &err);
        assert_non_null(hc);
        for (size_t mi = 0; mi < armcpu_model_count(ctx); mi++) {
            const armcpu_model *m = armcpu_model_at(ctx, mi);
            if (!armcpu_model_realizable(m))
                continue;
            armcpu_cpu *cpu = realize(armcpu_model_name(m));
            armcpu_comparison *c = armcpu_compare(ctx, hc, h, cpu, NULL, &err);
            assert_non_null(c);
            struct verdicts *s = check_all(cpu, h);
            size_t want = 0;
            for (size_t k = 0; k < s->n; k++) {
                const armcpu_field *f = s->f[k];
                armcpu_verdict v = s->v[k];
                if (!f || armcpu_reg_is_identity(s->r[k]))
                    continue;
                bool both32 = armcpu_cpu_has_aarch32(cpu) && armcpu_cpu_has_aarch32(hc);
                if (armcpu_reg_is_aarch32(s->r[k]) && !both32)
                    continue;
                uint64_t a = armcpu_field_get(f, armcpu_cpu_reg_value(hc, s->r[k]));
                uint64_t b = armcpu_field_get(f, armcpu_cpu_reg_value(cpu, s->r[k]));
                bool differs = a != b && (v == ARMCPU_VERDICT_SETTABLE ||
                                          v == ARMCPU_VERDICT_OVERPROMISE ||
                                          v == ARMCPU_VERDICT_NOT_WRITABLE ||
                                          v == ARMCPU_VERDICT_REFUSED);
                if (!differs)
                    continue;
                want++;
                bool found = false;
                for (size_t j = 0; j < armcpu_comparison_field_count(c) && !found; j++)
                    found = armcpu_comparison_field_at(c, j) == f;
                if (!found)
                    fail_msg("compare %s %s: check calls %s.%s %s, compare leaves it out",
                             armcpu_host_name(h), armcpu_model_name(m), armcpu_reg_name(s->r[k]),
                             armcpu_field_name(f), armcpu_verdict_name(v));
            }
            if (armcpu_comparison_field_count(c) != want)
                fail_msg("compare %s@%s %s: %zu responsible fields, check's differing checkable "
                         "fields %zu",
                         armcpu_host_name(h), armcpu_host_kernel(h), armcpu_model_name(m),
                         armcpu_comparison_field_count(c), want);
            assert_int_equal(armcpu_comparison_result_of(c) == ARMCPU_CMP_IDENTICAL, want == 0);
            compared++;
            free(s);
            armcpu_comparison_free(c);
            armcpu_cpu_free(cpu);
        }
        armcpu_cpu_free(hc);
    }
    assert_true(compared > 100);
    /* spec against spec */
    for (size_t i = 0; i < armcpu_model_count(ctx); i++)
        for (size_t j = 0; j < armcpu_model_count(ctx); j++) {
            const armcpu_model *ma = armcpu_model_at(ctx, i), *mb = armcpu_model_at(ctx, j);
            if (!armcpu_model_realizable(ma) || !armcpu_model_realizable(mb))
                continue;
            armcpu_cpu *a = realize(armcpu_model_name(ma)), *b = realize(armcpu_model_name(mb));
            armcpu_comparison *c = armcpu_compare(ctx, a, NULL, b, NULL, &err);
            size_t want = 0;
            bool both32 = armcpu_cpu_has_aarch32(a) && armcpu_cpu_has_aarch32(b);
            for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
                const armcpu_reg *r = armcpu_reg_at(ri);
                if (armcpu_reg_is_identity(r) || (armcpu_reg_is_aarch32(r) && !both32) ||
                    (armcpu_reg_is_geometry(r) &&
                     !(armcpu_cpu_judge_flags(a, r) & armcpu_cpu_judge_flags(b, r) &
                       ARMCPU_JUDGE_SETS)))
                    continue;
                for (size_t k = 0; k < armcpu_reg_field_count(r); k++) {
                    const armcpu_field *f = armcpu_reg_field_at(r, k);
                    want += armcpu_field_get(f, armcpu_cpu_reg_value(a, r)) !=
                            armcpu_field_get(f, armcpu_cpu_reg_value(b, r));
                }
            }
            assert_int_equal(armcpu_comparison_field_count(c), want);
            if (i == j)
                assert_int_equal(armcpu_comparison_result_of(c), ARMCPU_CMP_IDENTICAL);
            armcpu_comparison_free(c);
            armcpu_cpu_free(a);
            armcpu_cpu_free(b);
        }
}

/* (e) a baseline: its spec passes check on every member with the
 * baseline's answer, realizes the meet, and no value above a decided
 * field's meet (one it strictly covers) is accepted by every member. */
static void check_baseline(const armcpu_baseline *b, const armcpu_host *const *hs, size_t n)
{
    armcpu_error err = {0};
    assert_int_equal(armcpu_baseline_verification_failures(b), 0);
    if (!armcpu_baseline_possible(b)) {
        assert_null(armcpu_baseline_spec(b));
        assert_true(armcpu_baseline_conflict_count(b) > 0);
        return;
    }
    armcpu_cpu *cpu = armcpu_realize(ctx, armcpu_baseline_spec(b), false, &err);
    assert_non_null(cpu);
    size_t unknown = 0;
    for (size_t i = 0; i < n; i++) {
        struct verdicts *s = check_all(cpu, hs[i]);
        if (s->blockers)
            fail_msg("baseline %s is blocked on %s", armcpu_baseline_spec(b),
                     armcpu_host_name(hs[i]));
        unknown += s->unknown;
        free(s);
    }
    assert_int_equal(armcpu_baseline_answer(b) == ARMCPU_ANSWER_UNKNOWN, unknown > 0);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t spec = armcpu_cpu_reg_value(cpu, r);
        unsigned flags = armcpu_cpu_judge_flags(cpu, r);
        for (size_t k = 0; k < armcpu_reg_field_count(r); k++) {
            const armcpu_field *f = armcpu_reg_field_at(r, k);
            if (!armcpu_baseline_decides(b, f))
                continue;
            uint64_t mv = armcpu_field_get(f, spec);
            assert_int_equal(mv, armcpu_field_get(f, armcpu_baseline_reg_value(b, r)));
            if (armcpu_field_width(f) > 4 || armcpu_reg_is_identity(r))
                continue;
            armcpu_policy p = armcpu_field_kvm_policy(f);
            for (uint64_t v = 0; v < (1u << armcpu_field_width(f)); v++) {
                /* v strictly above the meet: mv safe where v is the limit,
                 * not the other way */
                if (v == mv || !armcpu_field_is_safe(f, mv, v, NULL, 0) ||
                    armcpu_field_is_safe(f, v, mv, NULL, 0))
                    continue;
                (void)p;
                uint64_t up = spec;
                armcpu_field_set(f, &up, v, NULL);
                bool all = true;
                for (size_t i = 0; i < n && all; i++) {
                    /* the member as the spec's vCPU sees it (features the
                     * baseline dropped hide their fields) */
                    armcpu_reg_view view;
                    armcpu_host *vh = armcpu_host_for_vcpu(hs[i], armcpu_cpu_vcpu_features(cpu), &err);
                    assert_non_null(vh);
                    armcpu_host_reg_view(vh, r, &view);
                    armcpu_host_free(vh);
                    armcpu_verdict vd = armcpu_judge(f, up, flags, &view, NULL, 0);
                    all = vd == ARMCPU_VERDICT_SAME || vd == ARMCPU_VERDICT_SETTABLE ||
                          armcpu_verdict_unknown(vd);
                }
                if (all)
                    fail_msg("baseline %s: %s.%s=0x%llx is the meet, but 0x%llx above it is "
                             "accepted by every host",
                             armcpu_baseline_spec(b), armcpu_reg_name(r), armcpu_field_name(f),
                             (unsigned long long)mv, (unsigned long long)v);
            }
        }
    }
    armcpu_cpu_free(cpu);
}

static void test_baselines_and_diff(void **state)
{
    (void)state;
    armcpu_error err = {0};
    size_t pairs = 0, possible = 0, conflicts = 0;
    for (size_t i = 0; i < n_hosts; i++) {
        /* one host: the baseline is the host's own view where writable */
        const armcpu_host *one[1] = {hosts[i]};
        armcpu_baseline *b = armcpu_baseline_new(ctx, one, 1, NULL, &err);
        assert_non_null(b);
        check_baseline(b, one, 1);
        if (armcpu_baseline_possible(b))
            for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
                const armcpu_reg *r = armcpu_reg_at(ri);
                if (armcpu_host_reg_state(hosts[i], r) != ARMCPU_REG_PRESENT ||
                    armcpu_reg_is_identity(r))
                    continue;
                for (size_t k = 0; k < armcpu_reg_field_count(r); k++) {
                    const armcpu_field *f = armcpu_reg_field_at(r, k);
                    if (armcpu_baseline_decides(b, f) &&
                        armcpu_field_get(f, armcpu_baseline_reg_value(b, r)) !=
                            armcpu_field_get(f, armcpu_host_reg_value(hosts[i], r)))
                        fail_msg("one-host baseline of %s@%s: %s.%s is not the host's",
                                 armcpu_host_name(hosts[i]), armcpu_host_kernel(hosts[i]),
                                 armcpu_reg_name(r), armcpu_field_name(f));
                }
            }
        armcpu_baseline_free(b);
        for (size_t j = i + 1; j < n_hosts; j++) {
            const armcpu_host *two[2] = {hosts[i], hosts[j]};
            b = armcpu_baseline_new(ctx, two, 2, NULL, &err);
            assert_non_null(b);
            check_baseline(b, two, 2);
            possible += armcpu_baseline_possible(b);
            /* (g) diff's not-fixable fields = the pair's conflicts */
            armcpu_diff *d = armcpu_diff_new(ctx, hosts[i], hosts[j], &err);
            assert_non_null(d);
            size_t nd = 0;
            for (size_t k = 0; k < armcpu_diff_count(d); k++) {
                const armcpu_field *f;
                armcpu_diff_kind kind;
                const char *why;
                armcpu_diff_at(d, k, &f, NULL, NULL, &kind, NULL, &why);
                if (kind != ARMCPU_DIFF_CONFLICT)
                    continue;
                nd++;
                bool found = false;
                for (size_t c = 0; c < armcpu_baseline_conflict_count(b) && !found; c++)
                    found = !strcmp(armcpu_baseline_conflict_at(b, c, NULL), why);
                if (!found)
                    fail_msg("diff %s %s: '%s' is not a baseline conflict", armcpu_host_name(hosts[i]),
                             armcpu_host_name(hosts[j]), why);
            }
            if (nd != armcpu_baseline_conflict_count(b))
                fail_msg("diff %s@%s %s@%s: %zu not fixable, baseline %zu conflicts",
                         armcpu_host_name(hosts[i]), armcpu_host_kernel(hosts[i]),
                         armcpu_host_name(hosts[j]), armcpu_host_kernel(hosts[j]), nd,
                         armcpu_baseline_conflict_count(b));
            conflicts += nd;
            armcpu_diff_free(d);
            armcpu_baseline_free(b);
            pairs++;
        }
    }
    assert_true(pairs > 1000);
    assert_true(possible > 50 && conflicts > 1000);
}

/* (f) plan: every spec passes check on every host under its kernel. */
static void test_plans(void **state)
{
    (void)state;
    armcpu_error err = {0};
    size_t specs = 0;
    size_t base = armcpu_host_embedded_count() + sizeof fixtures / sizeof fixtures[0];
    for (size_t i = 0; i < base; i++)
        for (size_t j = i; j < base; j++) {
            armcpu_fleet *f = armcpu_fleet_new();
            assert_int_equal(armcpu_fleet_add(f, hosts[i], 1, &err), 0);
            assert_int_equal(armcpu_fleet_add(f, hosts[j], 3, &err), 0);
            armcpu_plan *p = armcpu_plan_new(ctx, f, NULL, &err);
            assert_non_null(p);
            for (size_t k = 0; k < armcpu_plan_kernel_count(p); k++) {
                const armcpu_baseline *b = armcpu_plan_baseline(p, k);
                assert_int_equal(armcpu_baseline_verification_failures(b), 0);
                if (!armcpu_baseline_possible(b))
                    continue;
                armcpu_cpu *cpu = armcpu_realize(ctx, armcpu_baseline_spec(b), false, &err);
                assert_non_null(cpu);
                const armcpu_host *pair[2] = {hosts[i], hosts[j]};
                for (size_t h = 0; h < 2; h++) {
                    char *json = armcpu_host_to_json(pair[h]);
                    armcpu_host *c = armcpu_host_load_json(json, strlen(json), "c", &err);
                    armcpu_free(json);
                    assert_int_equal(armcpu_host_apply_kernel(c, armcpu_plan_kernel(p, k), &err), 0);
                    if (armcpu_check(cpu, c, NULL, NULL))
                        fail_msg("plan %s+%s on %s: %s is blocked on %s", armcpu_host_name(hosts[i]),
                                 armcpu_host_name(hosts[j]), armcpu_plan_kernel(p, k),
                                 armcpu_baseline_spec(b), armcpu_host_name(c));
                    armcpu_host_free(c);
                }
                armcpu_cpu_free(cpu);
                specs++;
            }
            assert_int_equal(armcpu_baseline_host_count(armcpu_plan_baseline(p, 0)),
                             i == j ? 4 : 4);
            armcpu_plan_free(p);
            armcpu_fleet_free(f);
        }
    assert_true(specs > 100);
}


/* (h) the vCPU configuration: for every host and every value of every
 * configuration property, check's verdict (callbacks and the count path)
 * agrees with props-info, and fix makes a blocked one usable. */
struct config_seen {
    size_t blockers, unknown;
    armcpu_verdict v[ARMCPU_CONFIG_COUNT];
    bool seen[ARMCPU_CONFIG_COUNT];
};

static void record_config(const armcpu_field_check *c, void *opaque)
{
    struct config_seen *s = opaque;
    s->blockers += armcpu_verdict_blocks(c->verdict);
    s->unknown += armcpu_verdict_unknown(c->verdict);
    if (c->is_config) {
        s->seen[c->config] = true;
        s->v[c->config] = c->verdict;
    }
}

static void test_config(void **state)
{
    (void)state;
    static const char *const values[] = {"on", "off", "0", "1", "2", "3", "6", "7", "31", "32",
                                         "40", "44", "48", "52", "0.2", "1.0", "1.1", "1.3",
                                         "not_avail", "avail", "not_required", "unknown", "0x0",
                                         "0x1", "0x2", "0x3"};
    size_t compared = 0, accepted = 0, blocked = 0, unknown = 0, fixed = 0;
    for (size_t hi = 0; hi < n_hosts; hi++) {
        const armcpu_host *h = hosts[hi];
        armcpu_error err = {0};
        armcpu_props_info *pi = armcpu_props_info_new(ctx, h, &err);
        assert_non_null(pi);
        for (size_t i = 0; i < armcpu_props_info_count(pi); i++) {
            const armcpu_prop *p = armcpu_props_info_prop(pi, i);
            if (armcpu_prop_kind_of(p) != ARMCPU_PROP_CONFIG)
                continue;
            bool sve = !strncmp(armcpu_prop_name(p), "sve", 3);
            for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
                char spec[256];
                /* sveN alone: a guest with that length only (on), or the
                 * host's lengths without it (off, on "host") */
                snprintf(spec, sizeof spec, "%s,%s=%s", sve && !strcmp(values[k], "off")
                                                            ? "host" : "neoverse-v1-v3",
                         armcpu_prop_name(p), values[k]);
                armcpu_cpu *cpu = armcpu_realize_on_host(ctx, spec, h, false, NULL);
                if (!cpu)
                    continue; /* a value the property does not take */
                armcpu_config item = armcpu_config_by_name(
                    sve ? "sve_vls" : armcpu_prop_name(p), NULL);
                struct config_seen s = {0};
                size_t b = armcpu_check(cpu, h, record_config, &s), u = 0;
                assert_int_equal(b, s.blockers);
                assert_int_equal(armcpu_check_count(cpu, h, &u), b);
                assert_int_equal(u, s.unknown);
                armcpu_verdict vd = s.seen[item] ? s.v[item] : ARMCPU_VERDICT_SAME;
                uint64_t v = 0;
                bool sve_on = false;
                armcpu_cpu_config(cpu, item, &v);
                if (sve) /* the length's bit in the realized set */
                    sve_on = v >> (strtoul(armcpu_prop_name(p) + 3, NULL, 10) / 128 - 1) & 1;
                /* props-info's answer for the property's value */
                uint64_t pv = sve ? sve_on : v;
                bool known = armcpu_props_info_known(pi, i);
                if (!known != armcpu_verdict_unknown(vd) && !(sve && !sve_on))
                    fail_msg("%s on %s@%s: props-info %s, check %s", spec, armcpu_host_name(h),
                             armcpu_host_kernel(h), known ? "knows" : "does not know",
                             armcpu_verdict_name(vd));
                bool ok = vd == ARMCPU_VERDICT_SAME || vd == ARMCPU_VERDICT_SETTABLE;
                /* sveN=on alone is a guest with only that length: props-info
                 * says whether the length can be on at all, so compare only
                 * where the spec's set is the host's own prefix */
                if (known && !(sve && sve_on && (v & 1) == 0) &&
                    armcpu_props_info_accepts(pi, i, pv) != ok)
                    fail_msg("%s on %s@%s: props-info %s, check %s", spec, armcpu_host_name(h),
                             armcpu_host_kernel(h),
                             armcpu_props_info_accepts(pi, i, pv) ? "accepts" : "refuses",
                             armcpu_verdict_name(vd));
                compared++;
                accepted += ok;
                blocked += armcpu_verdict_blocks(vd);
                unknown += armcpu_verdict_unknown(vd);
                /* fix: a blocked item gets a value the host takes */
                if (armcpu_verdict_blocks(vd)) {
                    armcpu_fix *x = armcpu_fix_new(ctx, spec, h, &err);
                    assert_non_null(x);
                    if (armcpu_fix_spec(x)) {
                        armcpu_cpu *fc = armcpu_realize_on_host(ctx, armcpu_fix_spec(x), h, false,
                                                                NULL);
                        assert_non_null(fc);
                        struct config_seen fs = {0};
                        armcpu_check(fc, h, record_config, &fs);
                        if (fs.seen[item] && armcpu_verdict_blocks(fs.v[item]))
                            fail_msg("fix of %s on %s: %s still blocked", spec,
                                     armcpu_host_name(h), armcpu_prop_name(p));
                        armcpu_cpu_free(fc);
                        fixed++;
                    }
                    armcpu_fix_free(x);
                }
                armcpu_cpu_free(cpu);
            }
        }
        armcpu_props_info_free(pi);
    }
    assert_true(compared > 1000);
    assert_true(accepted > 100 && blocked > 100 && unknown > 100 && fixed > 50);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        srcdir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_props_info),  cmocka_unit_test(test_models_and_fix),
        cmocka_unit_test(test_compare),     cmocka_unit_test(test_baselines_and_diff),
        cmocka_unit_test(test_plans),       cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
