/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the fleet layer over random fleets. The input is read
 * as a generator program: a host count, then per host an embedded snapshot
 * to start from, a kernel table to apply (or none), the vCPU features it
 * was "measured" with, and a list of edits (a field's value, a field's
 * writable bits, a register unknown or absent). The fleet's baseline,
 * the two-host diff and (one input in sixteen) the plan are then computed,
 * fitting one model the input picks (every model one input in eight).
 * Invariants (include/armcpu/fleet.h):
 *   - no call fails on a fleet that loaded, and no text says "internal";
 *   - no baseline ever needed its verification to turn a blocker into a
 *     conflict (armcpu_baseline_verification_failures == 0);
 *   - a possible baseline's spec realizes and armcpu_check finds no blocker
 *     on any member; it realizes the meet on every field the meet decides;
 *     the answer is UNKNOWN exactly when some member has unknown fields;
 *   - an impossible baseline has conflicts and no spec;
 *   - diff's not-fixable fields are exactly the pair's baseline conflicts,
 *     but for those the model's own values cause (whole-register rules;
 *     AArch32 registers when neither host tells ID_AA64PFR0_EL1);
 *   - every plan spec passes armcpu_check on every member under its kernel;
 *   - every JSON text parses.
 */
#include <json-c/json.h>

#include "fuzz_common.h"
#include "armcpu/fleet.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static armcpu_ctx *ctx;
static char **embedded; /* JSON texts of the embedded snapshots */
static size_t n_embedded;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    armcpu_error err = {0};
    ctx = armcpu_ctx_new(&err);
    FUZZ_CHECK(ctx != NULL, "armcpu_ctx_new: %s", err.message);
    n_embedded = armcpu_host_embedded_count();
    embedded = calloc(n_embedded, sizeof *embedded);
    FUZZ_CHECK(embedded != NULL, "oom");
    for (size_t i = 0; i < n_embedded; i++) {
        armcpu_host *h = armcpu_host_open(armcpu_host_embedded_name(i), &err);
        FUZZ_CHECK(h != NULL, "%s", err.message);
        embedded[i] = armcpu_host_to_json(h);
        armcpu_host_free(h);
    }
    return 0;
}

struct input {
    const uint8_t *p, *end;
};

static unsigned next(struct input *in)
{
    return in->p < in->end ? *in->p++ : 0;
}

/* FUZZ_FLEET_DUMP=DIR writes each generated snapshot to DIR/hN.json before
 * its kernel table, so a crash input replays through the CLI. */
static void dump_host(const char *text, size_t index)
{
    const char *dir = getenv("FUZZ_FLEET_DUMP");
    if (!dir)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/h%zu.json", dir, index);
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

/* One generated host: a snapshot edited through its JSON (the loader's own
 * checks apply), then a kernel table. NULL when the edits do not load. */
static armcpu_host *gen_host(struct input *in, size_t index)
{
    armcpu_error err = {0};
    struct json_object *root = json_tokener_parse(embedded[next(in) % n_embedded]);
    FUZZ_CHECK(root != NULL, "embedded JSON");
    char name[32];
    snprintf(name, sizeof name, "h%zu", index);
    json_object_object_add(root, "name", json_object_new_string(name));
    unsigned feats = next(in);
    if (feats & 8) {
        struct json_object *vf = json_object_new_array();
        static const char *const names[3] = {"sve", "pmu", "ptrauth"};
        for (int i = 0; i < 3; i++)
            if (feats & (1u << i))
                json_object_array_add(vf, json_object_new_string(names[i]));
        json_object_object_add(root, "vcpu_features", vf);
    }
    struct json_object *regs;
    json_object_object_get_ex(root, "registers", &regs);
    bool masks = true;
    struct json_object *wm;
    if (json_object_object_get_ex(root, "writable_masks", &wm))
        masks = json_object_get_boolean(wm);
    unsigned edits = next(in) % 8;
    for (unsigned e = 0; e < edits; e++) {
        const armcpu_reg *r = armcpu_reg_at(next(in) % armcpu_reg_count());
        unsigned op = next(in), fi = next(in), v = next(in);
        struct json_object *ro;
        if (!json_object_object_get_ex(regs, armcpu_reg_name(r), &ro) || op % 5 == 3) {
            /* unknown: drop the register; absent: say so */
            json_object_object_del(regs, armcpu_reg_name(r));
            if (op % 5 == 4 || !ro) {
                struct json_object *a = json_object_new_object();
                json_object_object_add(a, "absent", json_object_new_string("ENOENT"));
                json_object_object_add(regs, armcpu_reg_name(r), a);
            }
            continue;
        }
        struct json_object *jv;
        if (!json_object_object_get_ex(ro, "value", &jv) || !armcpu_reg_field_count(r))
            continue;
        const armcpu_field *f = armcpu_reg_field_at(r, fi % armcpu_reg_field_count(r));
        uint64_t val = strtoull(json_object_get_string(jv), NULL, 16);
        char hex[32];
        if (op % 5 <= 1) {
            armcpu_field_set(f, &val, v & fuzz_wmask(armcpu_field_width(f)), NULL);
            snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)val);
            json_object_object_add(ro, "value", json_object_new_string(hex));
        } else if (masks) {
            struct json_object *jm;
            uint64_t m = json_object_object_get_ex(ro, "writable", &jm)
                             ? strtoull(json_object_get_string(jm), NULL, 16)
                             : 0;
            m = (v & 1) ? m | armcpu_field_mask(f) : m & ~armcpu_field_mask(f);
            snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)m);
            json_object_object_add(ro, "writable", json_object_new_string(hex));
        }
    }
    const char *text = json_object_to_json_string(root);
    armcpu_host *h = armcpu_host_load_json(text, strlen(text), name, &err);
    dump_host(text, index);
    json_object_put(root);
    unsigned k = next(in) % (armcpu_kernel_count() + 1);
    if (getenv("FUZZ_FLEET_DUMP"))
        fprintf(stderr, "h%zu: %s, kernel %s\n", index, h ? "loaded" : "does not load",
                k ? armcpu_kernel_version(k - 1) : "(none)");
    if (h && k && armcpu_host_apply_kernel(h, armcpu_kernel_version(k - 1), &err)) {
        armcpu_host_free(h);
        return NULL;
    }
    return h;
}

static void check_json(char *text)
{
    FUZZ_CHECK(text != NULL, "NULL JSON");
    struct json_object *o = json_tokener_parse(text);
    FUZZ_CHECK(o != NULL, "JSON does not parse: %.200s", text);
    FUZZ_CHECK(strstr(text, "internal") == NULL, "says internal: %.300s", text);
    json_object_put(o);
    armcpu_free(text);
}

struct count {
    size_t blockers, unknown;
};

static void tally(const armcpu_field_check *c, void *opaque)
{
    struct count *n = opaque;
    n->blockers += armcpu_verdict_blocks(c->verdict);
    n->unknown += armcpu_verdict_unknown(c->verdict);
}

static void check_baseline(const armcpu_baseline *b, const armcpu_fleet *f, const char *what)
{
    armcpu_error err = {0};
    FUZZ_CHECK(armcpu_baseline_verification_failures(b) == 0, "%s: %zu verification failures: %s",
               what, armcpu_baseline_verification_failures(b),
               armcpu_baseline_conflict_at(b, armcpu_baseline_conflict_count(b) - 1, NULL));
    for (size_t i = 0; i < armcpu_baseline_conflict_count(b); i++)
        FUZZ_CHECK(strstr(armcpu_baseline_conflict_at(b, i, NULL), "internal") == NULL, "internal");
    if (!armcpu_baseline_possible(b)) {
        FUZZ_CHECK(armcpu_baseline_spec(b) == NULL && armcpu_baseline_conflict_count(b) > 0,
                   "%s: impossible without conflicts", what);
        FUZZ_CHECK(armcpu_baseline_answer(b) == ARMCPU_ANSWER_NO, "answer");
        return;
    }
    armcpu_cpu *cpu = armcpu_realize(ctx, armcpu_baseline_spec(b), false, &err);
    FUZZ_CHECK(cpu != NULL, "%s: spec %s does not realize: %s", what, armcpu_baseline_spec(b),
               err.message);
    size_t unknown = 0;
    for (size_t c = 0; c < armcpu_fleet_class_count(f); c++) {
        struct count n = {0, 0};
        armcpu_check(cpu, armcpu_fleet_class_host(f, c), tally, &n);
        FUZZ_CHECK(n.blockers == 0, "%s: spec %s is blocked on class %zu", what,
                   armcpu_baseline_spec(b), c);
        unknown += n.unknown;
    }
    FUZZ_CHECK((armcpu_baseline_answer(b) == ARMCPU_ANSWER_UNKNOWN) == (unknown > 0),
               "%s: answer %d, unknown %zu", what, (int)armcpu_baseline_answer(b), unknown);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        for (size_t k = 0; k < armcpu_reg_field_count(r); k++) {
            const armcpu_field *fl = armcpu_reg_field_at(r, k);
            if (armcpu_baseline_decides(b, fl))
                FUZZ_CHECK(armcpu_field_get(fl, armcpu_cpu_reg_value(cpu, r)) ==
                               armcpu_field_get(fl, armcpu_baseline_reg_value(b, r)),
                           "%s: %s.%s not the meet", what, armcpu_reg_name(r),
                           armcpu_field_name(fl));
        }
    }
    armcpu_cpu_free(cpu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, data + size};
    armcpu_error err = {0};
    armcpu_fleet *f = armcpu_fleet_new();
    FUZZ_CHECK(f != NULL, "oom");
    unsigned n = 1 + next(&in) % 5;
    armcpu_host *first[2] = {NULL, NULL};
    size_t nfirst = 0;
    for (unsigned i = 0; i < n; i++) {
        armcpu_host *h = gen_host(&in, i);
        if (!h)
            continue;
        FUZZ_CHECK(armcpu_fleet_add(f, h, 1 + next(&in) % 3, &err) == 0, "%s", err.message);
        if (nfirst < 2)
            first[nfirst++] = h;
        else
            armcpu_host_free(h);
    }
    /* one model to fit (every model one input in eight: model selection
     * itself is held by the unit tests, and each fit realizes a model) */
    unsigned pick = next(&in);
    const char *base = NULL;
    if (pick % 8) {
        size_t nr = 0, want = pick % armcpu_model_count(ctx);
        for (size_t i = 0; i < armcpu_model_count(ctx); i++)
            if (armcpu_model_realizable(armcpu_model_at(ctx, i)) && nr++ <= want)
                base = armcpu_model_name(armcpu_model_at(ctx, i));
    }
    if (getenv("FUZZ_FLEET_DUMP"))
        fprintf(stderr, "model: %s\n", base ? base : "(any)");
    if (armcpu_fleet_class_count(f)) {
        armcpu_baseline *b = armcpu_fleet_baseline(ctx, f, base, &err);
        FUZZ_CHECK(b != NULL, "baseline: %s", err.message);
        check_baseline(b, f, "baseline");
        check_json(armcpu_baseline_to_json(b));
        armcpu_baseline_free(b);
        if (nfirst == 2) {
            armcpu_diff *d = armcpu_diff_new(ctx, first[0], first[1], &err);
            FUZZ_CHECK(d != NULL, "diff: %s", err.message);
            const armcpu_host *pair[2] = {first[0], first[1]};
            armcpu_baseline *pb = armcpu_baseline_new(ctx, pair, 2, base, &err);
            FUZZ_CHECK(pb != NULL, "pair baseline: %s", err.message);
            /* with ID_AA64PFR0_EL1 unknown on both, the model's AArch32
             * decides whether AArch32 registers are judged at all */
            const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
            bool elx_unknown = armcpu_host_reg_state(first[0], pfr0) != ARMCPU_REG_PRESENT &&
                               armcpu_host_reg_state(first[1], pfr0) != ARMCPU_REG_PRESENT;
            size_t nc = 0;
            for (size_t i = 0; i < armcpu_diff_count(d); i++) {
                armcpu_diff_kind k;
                const char *why;
                const armcpu_field *fl;
                armcpu_diff_at(d, i, &fl, NULL, NULL, &k, NULL, &why);
                if (k != ARMCPU_DIFF_CONFLICT ||
                    (elx_unknown && fl && armcpu_reg_is_aarch32(armcpu_field_reg(fl))))
                    continue;
                nc++;
                bool found = false;
                for (size_t c = 0; c < armcpu_baseline_conflict_count(pb) && !found; c++)
                    found = !strcmp(armcpu_baseline_conflict_at(pb, c, NULL), why);
                FUZZ_CHECK(found, "diff conflict not in the baseline: %s", why);
            }
            /* the pair's baseline may add what its model's own values cause
             * (KVM's whole-register rules, written by fields no host decides;
             * AArch32 registers when no host tells ELx) */
            size_t model_caused = 0;
            for (size_t c = 0; c < armcpu_baseline_conflict_count(pb); c++) {
                const armcpu_field *fl;
                const char *t = armcpu_baseline_conflict_at(pb, c, &fl);
                model_caused +=
                    strstr(t, " writes this register for fields no host's data decides:") != NULL ||
                    (elx_unknown && fl && armcpu_reg_is_aarch32(armcpu_field_reg(fl)));
            }
            FUZZ_CHECK(nc + model_caused == armcpu_baseline_conflict_count(pb),
                       "diff %zu, baseline %zu (%zu caused by the model)", nc,
                       armcpu_baseline_conflict_count(pb), model_caused);
            check_json(armcpu_diff_to_json(d));
            armcpu_baseline_free(pb);
            armcpu_diff_free(d);
        }
        if (size && data[size - 1] % 16 == 0) {
            armcpu_plan *p = armcpu_plan_new(ctx, f, base, &err);
            FUZZ_CHECK(p != NULL, "plan: %s", err.message);
            for (size_t k = 0; k < armcpu_plan_kernel_count(p); k++) {
                armcpu_fleet *fk = armcpu_fleet_with_kernel(f, armcpu_plan_kernel(p, k), &err);
                FUZZ_CHECK(fk != NULL, "%s", err.message);
                check_baseline(armcpu_plan_baseline(p, k), fk, armcpu_plan_kernel(p, k));
                armcpu_fleet_free(fk);
            }
            check_json(armcpu_plan_to_json(p));
            armcpu_plan_free(p);
        }
    }
    armcpu_host_free(first[0]);
    armcpu_host_free(first[1]);
    armcpu_fleet_free(f);
    return 0;
}
