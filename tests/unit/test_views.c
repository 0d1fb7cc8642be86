/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the per-kernel guest views (kernels/linux-VER.view,
 * src/host/view.c), against measurements:
 *  - QEMU's raw CPU values (../shared/reference/core-idregs.json, from
 *    target/arm/tcg/cpu64.c) with the virt board's own adjustments, derived
 *    for a kernel, equal what the rig's probe read under that kernel
 *    (hosts/qemu-*-linux-*.json) on every field the derivation knows, and
 *    the fields it cannot know are exactly the listed ones;
 *  - a snapshot re-derived for its own kernel is unchanged;
 *  - facts of the issue: Graviton3's 6.1 view taken to 7.3 hides NV and MPAM.
 * Without ../shared/reference the reference tests skip (exit 77 semantics:
 * cmocka's skip()).
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

static const char *ref_dir(void)
{
    const char *d = getenv("ARMCPU_REF");
    return d && *d ? d : "../shared/reference";
}

static const armcpu_field *F(const char *name)
{
    armcpu_error err = {0};
    const armcpu_field *f = armcpu_field_lookup(name, &err);
    if (!f)
        fail_msg("field %s: %s", name, err.message);
    return f;
}

static armcpu_host *open_ok(const char *name)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open(name, &err);
    if (!h)
        fail_msg("%s: %s", name, err.message);
    return h;
}

/* Every embedded snapshot re-derived for its own kernel keeps every value
 * and knows exactly the bits it knew. */
static void test_own_kernel_identity(void **state)
{
    (void)state;
    armcpu_error err = {0};
    for (size_t i = 0; i < armcpu_host_embedded_count(); i++) {
        armcpu_host *h = open_ok(armcpu_host_embedded_name(i));
        armcpu_host *d = open_ok(armcpu_host_embedded_name(i));
        char k[64];
        snprintf(k, sizeof k, "%s", armcpu_host_kernel(h));
        if (armcpu_host_apply_kernel(d, k, &err))
            fail_msg("%s under its own kernel %s: %s", armcpu_host_name(h), k, err.message);
        for (size_t r = 0; r < armcpu_reg_count(); r++) {
            const armcpu_reg *reg = armcpu_reg_at(r);
            if (armcpu_host_reg_state(h, reg) != ARMCPU_REG_PRESENT)
                continue;
            if (armcpu_host_reg_value(d, reg) != armcpu_host_reg_value(h, reg) ||
                armcpu_host_reg_unknown(d, reg) != armcpu_host_reg_unknown(h, reg))
                fail_msg("%s: %s changed under its own kernel: 0x%llx -> 0x%llx (unknown 0x%llx)",
                         armcpu_host_name(h), armcpu_reg_name(reg),
                         (unsigned long long)armcpu_host_reg_value(h, reg),
                         (unsigned long long)armcpu_host_reg_value(d, reg),
                         (unsigned long long)armcpu_host_reg_unknown(d, reg));
        }
        armcpu_host_free(h);
        armcpu_host_free(d);
    }
}

/* QEMU's virt board changes the CPU's values before the guest kernel reads
 * them: without secure=on the CPU has no EL3 (target/arm/cpu.c
 * arm_cpu_realizefn, has_el3 false: ID_PFR1.Security, ID_DFR0.CopSDbg,
 * ID_AA64PFR0.EL3 and .RME to 0), and the GICv3 CPU interface fills in the
 * GIC fields (core-idregs.json notes: "GIC filled in later"). */
static const struct {
    const char *field;
    uint64_t value;
} BOARD[] = {
    {"ID_PFR1_EL1.Security", 0}, {"ID_DFR0_EL1.CopSDbg", 0}, {"ID_AA64PFR0_EL1.EL3", 0},
    {"ID_AA64PFR0_EL1.RME", 0},  {"ID_AA64PFR0_EL1.GIC", 1}, {"ID_PFR1_EL1.GIC", 1},
};

/* The fields no derivation from a bare-metal read can know, whatever the
 * CPU, and the first kernel where that is so (each view file says why):
 * CTR_EL0.IDC (the sanitised IDC depends on CLIDR_EL1), CSV2 and CSV3 (the
 * host kernel's Spectre/Meltdown state), and from 6.3 on CTR_EL0.TminLine
 * (KVM's trapping decides between the hardware's and the sanitised one)
 * and CLIDR_EL1 (synthesised). */
static const struct {
    const char *field; /* REG.FIELD, or REG for every field */
    unsigned since;
} UNKNOWABLE[] = {
    {"CTR_EL0.IDC", 0},          {"ID_AA64PFR0_EL1.CSV2", 0}, {"ID_AA64PFR0_EL1.CSV3", 0},
    {"CTR_EL0.TminLine", 6003},  {"CLIDR_EL1", 6003},
};

/* QEMU 8.0 and later also clear, under TCG, the features TCG does not
 * implement (target/arm/cpu.c arm_cpu_realizefn, the tcg_enabled() block:
 * trace, AMU, MPAM; QEMU 7.2 has no such block: the n1/a72/a76 cases keep
 * them), and QEMU 10's neoverse-v1 has ID_AA64ISAR1_EL1.BF16 = 1 (QEMU commit
 * 8676007eff04 "Correct ID_AA64ISAR1_EL1 value for neoverse-v1", after the
 * core-idregs.json copy). */
static const struct {
    const char *core, *field;
    uint64_t value;
} BOARD_QEMU10[] = {
    {NULL, "ID_DFR0_EL1.CopTrc", 0},         {NULL, "ID_DFR0_EL1.MMapTrc", 0},
    {NULL, "ID_DFR0_EL1.TraceFilt", 0},      {NULL, "ID_AA64DFR0_EL1.TraceVer", 0},
    {NULL, "ID_AA64DFR0_EL1.TraceFilt", 0},  {NULL, "ID_AA64DFR0_EL1.TraceBuffer", 0},
    {NULL, "ID_AA64PFR0_EL1.AMU", 0},        {NULL, "ID_PFR0_EL1.AMU", 0},
    {NULL, "ID_AA64PFR0_EL1.MPAM", 0},       {"neoverse-v1", "ID_AA64ISAR1_EL1.BF16", 1},
};

static bool unknowable(const armcpu_field *f, unsigned kernel)
{
    const armcpu_reg *r = armcpu_field_reg(f);
    char name[96];
    snprintf(name, sizeof name, "%s.%s", armcpu_reg_name(r), armcpu_field_name(f));
    for (size_t i = 0; i < sizeof UNKNOWABLE / sizeof UNKNOWABLE[0]; i++)
        if ((!strcmp(name, UNKNOWABLE[i].field) || !strcmp(armcpu_reg_name(r), UNKNOWABLE[i].field)) &&
            kernel >= UNKNOWABLE[i].since)
            return true;
    return false;
}

static void raw_case(json_object *cores, const char *core, const char *snapshot, size_t *checked)
{
    armcpu_error err = {0};
    json_object *c;
    if (!json_object_object_get_ex(cores, core, &c))
        fail_msg("core-idregs.json has no %s", core);
    /* the listing: QEMU's values, 0 for every register its initfn leaves
     * unset (core-idregs.json notes), then the board's changes */
    uint64_t *v = calloc(armcpu_reg_count(), sizeof *v);
    assert_non_null(v);
    json_object_object_foreach(c, key, val) {
        if (key[0] == '_')
            continue;
        if (!strcmp(key, "GMID_EL1_BS")) { /* QEMU's gm_blocksize: the BS field */
            const armcpu_field *bs = F("GMID_EL1.BS");
            assert_int_equal(armcpu_field_set(bs, &v[armcpu_reg_index(armcpu_field_reg(bs))],
                                              strtoull(json_object_get_string(val), NULL, 16),
                                              &err),
                             0);
            continue;
        }
        const armcpu_reg *r = armcpu_reg_by_name(key, &err);
        if (!r)
            fail_msg("%s: %s", core, err.message);
        v[armcpu_reg_index(r)] = strtoull(json_object_get_string(val), NULL, 16);
    }
    for (size_t i = 0; i < sizeof BOARD / sizeof BOARD[0]; i++) {
        const armcpu_field *f = F(BOARD[i].field);
        assert_int_equal(armcpu_field_set(f, &v[armcpu_reg_index(armcpu_field_reg(f))],
                                          BOARD[i].value, &err),
                         0);
    }
    if (!strncmp(snapshot, "qemu10-", 7))
        for (size_t i = 0; i < sizeof BOARD_QEMU10 / sizeof BOARD_QEMU10[0]; i++) {
            if (BOARD_QEMU10[i].core && strcmp(BOARD_QEMU10[i].core, core))
                continue;
            const armcpu_field *f = F(BOARD_QEMU10[i].field);
            assert_int_equal(armcpu_field_set(f, &v[armcpu_reg_index(armcpu_field_reg(f))],
                                              BOARD_QEMU10[i].value, &err),
                             0);
        }
    char *listing = malloc(armcpu_reg_count() * 64 + 1);
    assert_non_null(listing);
    size_t used = 0;
    for (size_t i = 0; i < armcpu_reg_count(); i++)
        used += (size_t)sprintf(listing + used, "%s 0x%016llx\n",
                                armcpu_reg_name(armcpu_reg_at(i)), (unsigned long long)v[i]);
    armcpu_host *want = open_ok(snapshot);
    armcpu_host *d = armcpu_host_import(listing, used, NULL, 0, core, &err);
    if (!d)
        fail_msg("%s: %s", core, err.message);
    char kernel[64];
    snprintf(kernel, sizeof kernel, "%s", armcpu_host_kernel(want));
    armcpu_host_mark_bare_metal(d);
    if (armcpu_host_set_vcpu_features(d, "sve,pmu,ptrauth", &err) ||
        armcpu_host_apply_kernel(d, kernel, &err))
        fail_msg("%s -> %s: %s", core, kernel, err.message);
    unsigned kkey = armcpu_kernel_key(kernel);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if (armcpu_host_reg_state(want, r) != ARMCPU_REG_PRESENT)
            continue;
        uint64_t got = armcpu_host_reg_value(d, r), exp = armcpu_host_reg_value(want, r),
                 unk = armcpu_host_reg_unknown(d, r);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            bool is_unknown = (unk & armcpu_field_mask(f)) != 0;
            if (is_unknown != unknowable(f, kkey))
                fail_msg("%s -> %s: %s.%s is %s by the derivation but %s", core, snapshot,
                         armcpu_reg_name(r), armcpu_field_name(f),
                         is_unknown ? "unknown" : "known", is_unknown ? "knowable" : "unknowable");
            if (is_unknown)
                continue;
            if (armcpu_field_get(f, got) != armcpu_field_get(f, exp))
                fail_msg("%s -> %s: %s.%s derived 0x%llx, the probe read 0x%llx", core,
                         snapshot, armcpu_reg_name(r), armcpu_field_name(f),
                         (unsigned long long)armcpu_field_get(f, got),
                         (unsigned long long)armcpu_field_get(f, exp));
            ++*checked;
        }
    }
    armcpu_host_free(d);
    armcpu_host_free(want);
    free(listing);
    free(v);
}

static void test_qemu_raw_views(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/core-idregs.json", ref_dir());
    json_object *root = json_object_from_file(path);
    if (!root) {
        print_message("no %s: skipped\n", path);
        skip();
    }
    json_object *cores;
    assert_true(json_object_object_get_ex(root, "cores", &cores));
    static const char *const cases[][2] = {
        {"neoverse-n1", "qemu-neoverse-n1-linux-6.1"},
        {"neoverse-n1", "qemu-neoverse-n1-linux-6.12"},
        {"neoverse-n1", "qemu-neoverse-n1-linux-6.19"},
        {"cortex-a72", "qemu-cortex-a72-linux-6.12"},
        {"cortex-a76", "qemu-cortex-a76-linux-6.12"},
        {"neoverse-v1", "qemu10-neoverse-v1-linux-6.12"},
        {"neoverse-v1", "qemu10-neoverse-v1-linux-7.3"},
        {"neoverse-n2", "qemu10-neoverse-n2-linux-6.12"},
        {"neoverse-n2", "qemu10-neoverse-n2-linux-7.3"},
    };
    size_t checked = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        raw_case(cores, cases[i][0], cases[i][1], &checked);
    assert_true(checked > 1000);
    json_object_put(root);
}

/* Graviton3's measured 6.1 view under 7.3: NV and MPAM hidden (known 0),
 * the registers 6.1 hid and 7.3 shows unknown, never guessed. */
static void test_graviton3_to_7_3(void **state)
{
    (void)state;
    armcpu_error err = {0};
    armcpu_host *h = open_ok("graviton3-linux-6.1");
    const armcpu_field *nv = F("ID_AA64MMFR2_EL1.NV"), *mpam = F("ID_AA64PFR0_EL1.MPAM"),
                       *f8 = F("ID_AA64FPFR0_EL1.F8CVT");
    assert_int_equal(armcpu_field_get(nv, armcpu_host_reg_value(h, armcpu_field_reg(nv))), 2);
    assert_int_equal(armcpu_field_get(mpam, armcpu_host_reg_value(h, armcpu_field_reg(mpam))), 1);
    assert_int_equal(armcpu_host_apply_kernel(h, "7.3", &err), 0);
    assert_int_equal(armcpu_field_get(nv, armcpu_host_reg_value(h, armcpu_field_reg(nv))), 0);
    assert_int_equal(armcpu_host_reg_unknown(h, armcpu_field_reg(nv)) & armcpu_field_mask(nv), 0);
    assert_int_equal(armcpu_field_get(mpam, armcpu_host_reg_value(h, armcpu_field_reg(mpam))), 0);
    assert_int_equal(armcpu_host_reg_unknown(h, armcpu_field_reg(mpam)) & armcpu_field_mask(mpam),
                     0);
    assert_true(armcpu_host_reg_unknown(h, armcpu_field_reg(f8)) & armcpu_field_mask(f8));
    assert_string_equal(armcpu_host_kernel(h), "7.3");
    armcpu_host_free(h);
}

/* The listing file of a measured host, as armcpu imports it: read under
 * `kernel`, vCPU features off (Firecracker's), every unlisted register
 * absent. */
static armcpu_host *import_measured(const char *host, const char *ver, const char *kernel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/measured-hosts/%s-kvm-%s.txt", ref_dir(), host, ver);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_import(text, n, NULL, 0, path, &err);
    if (!h || armcpu_host_set_info(h, host, kernel, NULL, &err) ||
        armcpu_host_set_vcpu_features(h, "none", &err) || armcpu_host_set_unlisted_absent(h, &err))
        fail_msg("%s: %s", path, err.message);
    return h;
}

/* Each Graviton's 6.1 view predicted from its 5.10 fingerprint by the view
 * rules (kernels/linux-5.10.view -> linux-6.1.view) equals the measured 6.1
 * fingerprint on every field, except exactly the fields
 * tests/data/graviton-5.10-to-6.1.txt lists and explains: unknown (5.10 hid
 * them) or vendor (Amazon's 6.1 backports a rule mainline 6.1 lacks). */
static void test_graviton_5_10_to_6_1(void **state)
{
    (void)state;
    const char *src = getenv("ARMCPU_SRC");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/graviton-5.10-to-6.1.txt", src ? src : ".");
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    struct line {
        char host[32], field[96], predicted[32], measured[32], kind[16];
        bool seen;
    } lines[128];
    size_t nl = 0;
    char buf[2048];
    while (fgets(buf, sizeof buf, fp)) {
        if (buf[0] == '#' || buf[0] == '\n')
            continue;
        assert_true(nl < 128);
        struct line *l = &lines[nl++];
        memset(l, 0, sizeof *l);
        if (sscanf(buf, "%31[^\t]\t%95[^\t]\t%31[^\t]\t%31[^\t]\t%15[^\t]", l->host, l->field,
                   l->predicted, l->measured, l->kind) != 5)
            fail_msg("%s: bad line: %s", path, buf);
        if (strcmp(l->kind, "unknown") && strcmp(l->kind, "vendor"))
            fail_msg("%s: kind '%s' (a 'rule' line means the tables are wrong)", path, l->kind);
    }
    fclose(fp);
    static const char *const hosts[] = {"graviton2", "graviton3", "graviton4", "graviton5"};
    size_t compared = 0, hosts_seen = 0;
    for (size_t hi = 0; hi < 4; hi++) {
        armcpu_host *a = import_measured(hosts[hi], "5.10", "5.10");
        armcpu_host *b = import_measured(hosts[hi], "6.1", "6.1");
        if (!a || !b) {
            armcpu_host_free(a);
            armcpu_host_free(b);
            continue;
        }
        hosts_seen++;
        armcpu_error err = {0};
        if (armcpu_host_apply_kernel(a, "6.1", &err))
            fail_msg("%s 5.10 -> 6.1: %s", hosts[hi], err.message);
        for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
            const armcpu_reg *r = armcpu_reg_at(ri);
            if (armcpu_host_reg_state(a, r) != ARMCPU_REG_PRESENT ||
                armcpu_host_reg_state(b, r) != ARMCPU_REG_PRESENT)
                continue;
            for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
                const armcpu_field *f = armcpu_reg_field_at(r, j);
                char name[96], pred[32], meas[32];
                snprintf(name, sizeof name, "%s.%s", armcpu_reg_name(r), armcpu_field_name(f));
                bool unk = (armcpu_host_reg_unknown(a, r) & armcpu_field_mask(f)) != 0;
                uint64_t pv = armcpu_field_get(f, armcpu_host_reg_value(a, r));
                uint64_t mv = armcpu_field_get(f, armcpu_host_reg_value(b, r));
                snprintf(pred, sizeof pred, unk ? "unknown" : "0x%llx", (unsigned long long)pv);
                snprintf(meas, sizeof meas, "0x%llx", (unsigned long long)mv);
                compared++;
                struct line *l = NULL;
                for (size_t k = 0; k < nl; k++)
                    if (!strcmp(lines[k].host, hosts[hi]) && !strcmp(lines[k].field, name))
                        l = &lines[k];
                if (!unk && pv == mv) {
                    if (l)
                        fail_msg("%s %s is predicted exactly (0x%llx) but listed", hosts[hi], name,
                                 (unsigned long long)pv);
                    continue;
                }
                if (!l)
                    fail_msg("%s %s: predicted %s, measured %s, not listed in %s", hosts[hi], name,
                             pred, meas, path);
                if (strcmp(l->predicted, pred) || strcmp(l->measured, meas))
                    fail_msg("%s %s: predicted %s, measured %s; the list says %s, %s", hosts[hi],
                             name, pred, meas, l->predicted, l->measured);
                if (unk != !strcmp(l->kind, "unknown"))
                    fail_msg("%s %s: kind %s but the prediction is %s", hosts[hi], name, l->kind,
                             unk ? "unknown" : "known");
                l->seen = true;
            }
        }
        armcpu_host_free(a);
        armcpu_host_free(b);
    }
    if (!hosts_seen) {
        print_message("no measured hosts under %s: skipped\n", ref_dir());
        skip();
    }
    for (size_t k = 0; k < nl; k++)
        if (!lines[k].seen)
            fail_msg("%s: the line for %s %s matches no comparison", path, lines[k].host,
                     lines[k].field);
    assert_true(compared > 500);
}

/* What the rig's guest read by mrs (a snapshot's guest_read) against KVM's
 * copy: every bit that differs lies in a field armcpu_check calls host-given
 * for host passthrough (an untrapped CTR_EL0: the guest reads the CPU). At
 * least one embedded snapshot measured a difference (QEMU 10's neoverse-n2,
 * TminLine 4 against KVM's 0) and every rig snapshot has the reads and the
 * counter frequency. */
struct given_fields {
    const armcpu_reg *reg;
    uint64_t given; /* bits of host-given fields of reg */
};

static void collect_given(const armcpu_field_check *c, void *opaque)
{
    struct given_fields *g = opaque;
    if (c->reg == g->reg && c->field && c->verdict == ARMCPU_VERDICT_HOST_GIVEN)
        g->given |= armcpu_field_mask(c->field);
}

static void test_guest_reads(void **state)
{
    (void)state;
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    assert_non_null(ctx);
    size_t measured = 0, differing = 0;
    for (size_t i = 0; i < armcpu_host_embedded_count(); i++) {
        armcpu_host *h = open_ok(armcpu_host_embedded_name(i));
        bool rig = !strncmp(armcpu_host_name(h), "qemu", 4);
        uint64_t hz = 0;
        if (rig && !armcpu_host_cntfrq(h, &hz))
            fail_msg("%s: a rig snapshot without cntfrq_el0", armcpu_host_name(h));
        armcpu_cpu *cpu = armcpu_realize_on_host(ctx, "host", h, false, &err);
        if (!cpu)
            fail_msg("%s: host: %s", armcpu_host_name(h), err.message);
        bool any = false;
        for (size_t r = 0; r < armcpu_reg_count(); r++) {
            const armcpu_reg *reg = armcpu_reg_at(r);
            uint64_t g;
            if (!armcpu_host_guest_read(h, reg, &g))
                continue;
            any = true;
            uint64_t x = g ^ armcpu_host_reg_value(h, reg);
            if (!x)
                continue;
            differing++;
            struct given_fields gf = {reg, 0};
            armcpu_check(cpu, h, collect_given, &gf);
            if (x & ~gf.given)
                fail_msg("%s: %s: the guest reads 0x%llx, KVM's copy is 0x%llx: bits 0x%llx "
                         "differ outside every field armcpu calls host-given",
                         armcpu_host_name(h), armcpu_reg_name(reg), (unsigned long long)g,
                         (unsigned long long)armcpu_host_reg_value(h, reg),
                         (unsigned long long)(x & ~gf.given));
        }
        if (rig && !any)
            fail_msg("%s: a rig snapshot without the guest's reads", armcpu_host_name(h));
        measured += any;
        armcpu_cpu_free(cpu);
        armcpu_host_free(h);
    }
    assert_true(measured >= 12);
    assert_true(differing >= 2); /* n2 under 6.12 and 7.3 */
    armcpu_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_kernel_identity),
        cmocka_unit_test(test_qemu_raw_views),
        cmocka_unit_test(test_graviton3_to_7_3),
        cmocka_unit_test(test_graviton_5_10_to_6_1),
        cmocka_unit_test(test_guest_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
