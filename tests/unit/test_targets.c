/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * armcpu_fleet_target_impls (errata across a migration domain): one entry
 * per distinct MIDR/REVIDR/AIDR of the embedded snapshots with the values
 * they hold, an empty list where the hosts agree, and a host whose identity
 * the snapshot cannot tell named, never dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "armcpu/fleet.h"

static armcpu_fleet *fleet_of(const char *const *names, size_t n)
{
    armcpu_fleet *f = armcpu_fleet_new();
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) {
        armcpu_error err = {0};
        armcpu_host *h = armcpu_host_open(names[i], &err);
        if (!h)
            fail_msg("%s: %s", names[i], err.message);
        assert_int_equal(armcpu_fleet_add(f, h, 1, &err), 0);
        armcpu_host_free(h);
    }
    return f;
}

static struct json_object *target_impls(const armcpu_fleet *f, const armcpu_baseline *b)
{
    armcpu_error err = {0};
    char *text = armcpu_fleet_target_impls(f, b, &err);
    if (!text)
        fail_msg("armcpu_fleet_target_impls: %s", err.message);
    struct json_object *doc = json_tokener_parse(text);
    assert_non_null(doc);
    armcpu_free(text);
    return doc;
}

static struct json_object *get(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        fail_msg("no member '%s'", key);
    return v;
}

static const char *str(struct json_object *o, const char *key)
{
    return json_object_get_string(get(o, key));
}

static int64_t num(struct json_object *o, const char *key)
{
    return json_object_get_int64(get(o, key));
}

static void assert_common(struct json_object *doc)
{
    assert_string_equal(str(doc, "format"), "armcpu-target-impls");
    assert_int_equal(num(doc, "version"), 1);
    struct json_object *ver = get(doc, "hypercall-version");
    assert_int_equal(num(ver, "major"), 1);
    assert_int_equal(num(ver, "minor"), 0);
    assert_string_equal(str(ver, "r1"), "0x0000000000010000");
    struct json_object *vmm = get(doc, "vmm");
    assert_string_equal(str(vmm, "capability"), "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS");
    assert_string_equal(str(vmm, "firmware-register"), "KVM_REG_ARM_VENDOR_HYP_BMAP_2");
    assert_string_equal(str(vmm, "firmware-value"), "0x0000000000000003");
    assert_string_equal(str(vmm, "min-host-kernel"), "6.15");
    assert_string_equal(str(vmm, "min-guest-kernel"), "6.15");
    struct json_object *calls = get(vmm, "hypercalls");
    assert_int_equal(json_object_array_length(calls), 2);
    assert_string_equal(str(json_object_array_get_idx(calls, 0), "function-id"), "0xc6000040");
    assert_string_equal(str(json_object_array_get_idx(calls, 1), "function-id"), "0xc6000041");
}

/* Graviton2, 3 and 4 under Linux 6.12: three implementations, in class
 * order, with each snapshot's registers; none of the kernels can write them. */
static void test_three_gravitons(void **state)
{
    (void)state;
    static const char *const names[] = {"graviton2-linux-6.12", "graviton3-linux-6.12",
                                        "graviton4-linux-6.12", "graviton3-linux-6.12"};
    armcpu_fleet *f = fleet_of(names, 4);
    struct json_object *doc = target_impls(f, NULL);
    assert_common(doc);
    assert_true(json_object_get_boolean(get(doc, "needed")));
    assert_true(json_object_get_boolean(get(doc, "complete")));
    assert_int_equal(num(doc, "implementations"), 3);
    static const struct {
        const char *midr, *revidr, *host;
        int64_t part, variant, revision, hosts;
    } want[] = {
        {"0x00000000413fd0c1", "0x00000000000000ff", "graviton2-linux-6.12", 0xd0c, 3, 1, 1},
        {"0x00000000411fd401", "0x0000000000000001", "graviton3-linux-6.12", 0xd40, 1, 1, 2},
        {"0x00000000410fd4f1", "0x0000000000000017", "graviton4-linux-6.12", 0xd4f, 0, 1, 1},
    };
    struct json_object *t = get(doc, "targets");
    assert_int_equal(json_object_array_length(t), 3);
    for (size_t i = 0; i < 3; i++) {
        struct json_object *e = json_object_array_get_idx(t, i);
        assert_int_equal(num(e, "index"), (int64_t)i);
        assert_string_equal(str(e, "midr"), want[i].midr);
        assert_string_equal(str(e, "revidr"), want[i].revidr);
        assert_string_equal(str(e, "aidr"), "0x0000000000000000");
        assert_int_equal(num(e, "implementer"), 0x41);
        assert_int_equal(num(e, "part"), want[i].part);
        assert_int_equal(num(e, "variant"), want[i].variant);
        assert_int_equal(num(e, "revision"), want[i].revision);
        assert_int_equal(num(e, "architecture"), 0xf);
        assert_int_equal(num(e, "hosts"), want[i].hosts);
        struct json_object *hc = get(e, "host-classes");
        assert_int_equal(json_object_array_length(hc), 1);
        assert_string_equal(json_object_get_string(json_object_array_get_idx(hc, 0)),
                            want[i].host);
    }
    assert_int_equal(json_object_array_length(get(doc, "unknown-hosts")), 0);
    /* Linux 6.12: MIDR/REVIDR/AIDR not writable on any of them */
    assert_int_equal(json_object_array_length(get(doc, "hosts-not-writable")), 3);
    json_object_put(doc);
    armcpu_fleet_free(f);
}

/* Hosts that agree on all three: no list, and the reason says so; the
 * baseline's values are what every vCPU gets. */
static void test_agreeing_hosts(void **state)
{
    (void)state;
    static const char *const names[] = {"graviton2-linux-6.12", "graviton2-linux-6.18"};
    armcpu_fleet *f = fleet_of(names, 2);
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    assert_non_null(ctx);
    armcpu_baseline *b = armcpu_fleet_baseline(ctx, f, NULL, &err);
    assert_non_null(b);
    assert_true(armcpu_baseline_possible(b));
    struct json_object *doc = target_impls(f, b);
    assert_common(doc);
    assert_false(json_object_get_boolean(get(doc, "needed")));
    assert_true(json_object_get_boolean(get(doc, "complete")));
    assert_int_equal(num(doc, "implementations"), 0);
    assert_int_equal(json_object_array_length(get(doc, "targets")), 0);
    assert_int_equal(json_object_array_length(get(doc, "hosts-not-writable")), 0);
    assert_non_null(strstr(str(doc, "reason"), "no list is needed"));
    struct json_object *vv = get(doc, "vcpu-values");
    assert_string_equal(str(vv, "MIDR_EL1"), "0x00000000413fd0c1");
    assert_string_equal(str(vv, "REVIDR_EL1"), "0x00000000000000ff");
    json_object_put(doc);
    armcpu_baseline_free(b);
    armcpu_ctx_free(ctx);
    armcpu_fleet_free(f);
}

/* Two implementations whose kernels (7.3) let the registers be written: the
 * list, no host left out, and the baseline's values for every vCPU. */
static void test_writable_pair(void **state)
{
    (void)state;
    static const char *const names[] = {"qemu10-neoverse-n2-linux-7.3",
                                        "qemu10-neoverse-v1-linux-7.3"};
    armcpu_fleet *f = fleet_of(names, 2);
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    assert_non_null(ctx);
    armcpu_baseline *b = armcpu_fleet_baseline(ctx, f, NULL, &err);
    assert_non_null(b);
    struct json_object *doc = target_impls(f, b);
    assert_true(json_object_get_boolean(get(doc, "needed")));
    assert_int_equal(num(doc, "implementations"), 2);
    struct json_object *t = get(doc, "targets");
    assert_int_equal(num(json_object_array_get_idx(t, 0), "part"), 0xd49);
    assert_int_equal(num(json_object_array_get_idx(t, 1), "part"), 0xd40);
    assert_int_equal(json_object_array_length(get(doc, "hosts-not-writable")), 0);
    /* the MIDRs differ but every kernel can write them: no identity finding,
     * the baseline's (its model's) values go to every vCPU */
    assert_true(armcpu_baseline_possible(b));
    assert_int_equal(armcpu_baseline_identity_count(b), 0);
    const armcpu_reg *midr = armcpu_reg_by_name("MIDR_EL1", NULL);
    char want[24];
    snprintf(want, sizeof want, "0x%016llx",
             (unsigned long long)armcpu_baseline_reg_value(b, midr));
    assert_string_equal(str(get(doc, "vcpu-values"), "MIDR_EL1"), want);
    json_object_put(doc);
    armcpu_baseline_free(b);
    armcpu_ctx_free(ctx);
    armcpu_fleet_free(f);
}

/* graviton4-linux-6.12 without its REVIDR_EL1 (unknown): not in the list,
 * named in unknown-hosts, the document not complete; beside an agreeing
 * graviton4 the answer is still not "no list needed, complete". */
static void test_unknown_identity(void **state)
{
    (void)state;
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open("graviton4-linux-6.12", &err);
    assert_non_null(h);
    char *text = armcpu_host_to_json(h);
    assert_non_null(text);
    armcpu_host_free(h);
    struct json_object *snap = json_tokener_parse(text);
    armcpu_free(text);
    assert_non_null(snap);
    json_object_object_del(get(snap, "registers"), "REVIDR_EL1");
    json_object_object_add(snap, "name", json_object_new_string("g4-no-revidr"));
    const char *edited = json_object_to_json_string(snap);
    h = armcpu_host_load_json(edited, strlen(edited), "g4-no-revidr", &err);
    if (!h)
        fail_msg("edited snapshot: %s", err.message);
    json_object_put(snap);

    for (int with_other = 0; with_other < 2; with_other++) {
        armcpu_fleet *f = armcpu_fleet_new();
        assert_non_null(f);
        armcpu_host *other = armcpu_host_open(with_other ? "graviton2-linux-6.12"
                                                         : "graviton4-linux-6.12",
                                              &err);
        assert_non_null(other);
        assert_int_equal(armcpu_fleet_add(f, other, 1, &err), 0);
        assert_int_equal(armcpu_fleet_add(f, h, 1, &err), 0);
        armcpu_host_free(other);
        struct json_object *doc = target_impls(f, NULL);
        assert_common(doc);
        assert_false(json_object_get_boolean(get(doc, "complete")));
        struct json_object *un = get(doc, "unknown-hosts");
        assert_int_equal(json_object_array_length(un), 1);
        struct json_object *u = json_object_array_get_idx(un, 0);
        assert_string_equal(str(u, "host"), "g4-no-revidr");
        struct json_object *regs = get(u, "registers");
        assert_int_equal(json_object_array_length(regs), 1);
        assert_string_equal(json_object_get_string(json_object_array_get_idx(regs, 0)),
                            "REVIDR_EL1");
        assert_non_null(strstr(str(doc, "reason"), "cannot tell"));
        /* the known host alone: one implementation, so no list */
        assert_false(json_object_get_boolean(get(doc, "needed")));
        assert_int_equal(num(doc, "implementations"), 0);
        json_object_put(doc);
        armcpu_fleet_free(f);
    }
    /* beside two known, differing hosts: their list, still incomplete */
    static const char *const names[] = {"graviton2-linux-6.12", "graviton3-linux-6.12"};
    armcpu_fleet *f = fleet_of(names, 2);
    assert_int_equal(armcpu_fleet_add(f, h, 1, &err), 0);
    struct json_object *doc = target_impls(f, NULL);
    assert_true(json_object_get_boolean(get(doc, "needed")));
    assert_false(json_object_get_boolean(get(doc, "complete")));
    assert_int_equal(num(doc, "implementations"), 2);
    assert_int_equal(json_object_array_length(get(doc, "unknown-hosts")), 1);
    json_object_put(doc);
    armcpu_fleet_free(f);
    armcpu_host_free(h);
}

static void test_empty_fleet(void **state)
{
    (void)state;
    armcpu_fleet *f = armcpu_fleet_new();
    armcpu_error err = {0};
    assert_null(armcpu_fleet_target_impls(f, NULL, &err));
    assert_int_equal(err.code, ARMCPU_ERR_INVALID);
    armcpu_fleet_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_gravitons),
        cmocka_unit_test(test_agreeing_hosts),
        cmocka_unit_test(test_writable_pair),
        cmocka_unit_test(test_unknown_identity),
        cmocka_unit_test(test_empty_fleet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
