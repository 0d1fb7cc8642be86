/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: realize + check (spec x snapshot). The input's first
 * line is a spec, the rest a host snapshot (JSON); when the rest does not
 * load, an embedded snapshot chosen by the spec's length is used instead, so
 * most inputs reach the checks.
 * Invariants: armcpu_check's count equals the blocking verdicts it reports
 * and is the same again, no verdict is SAME, each reported field lies in its
 * register; for a spec without properties, the baseline of the host with
 * itself on the spec's model is computed and, when possible, its spec
 * realizes and passes the check on that host.
 */
#include "fuzz_common.h"
#include "armcpu/fleet.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static armcpu_ctx *ctx;
/* The embedded snapshots, opened once (armcpu_host_open parses JSON: it was a
 * third of the time when done per input; fuzz-host fuzzes the loader). */
static armcpu_host **embedded;
static size_t n_embedded;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    armcpu_error err = {0};
    ctx = armcpu_ctx_new(&err);
    FUZZ_CHECK(ctx != NULL, "armcpu_ctx_new: %s", err.message);
    n_embedded = armcpu_host_embedded_count();
    FUZZ_CHECK(n_embedded > 0, "no embedded snapshot");
    embedded = calloc(n_embedded, sizeof *embedded);
    FUZZ_CHECK(embedded != NULL, "oom");
    for (size_t i = 0; i < n_embedded; i++) {
        embedded[i] = armcpu_host_open(armcpu_host_embedded_name(i), &err);
        FUZZ_CHECK(embedded[i] != NULL, "embedded snapshot: %s", err.message);
    }
    return 0;
}

struct tally {
    size_t blocking, reported;
};

static void count(const armcpu_field_check *c, void *opaque)
{
    struct tally *t = opaque;
    FUZZ_CHECK(c->verdict != ARMCPU_VERDICT_SAME, "SAME reported");
    FUZZ_CHECK(!c->field || armcpu_field_reg(c->field) == c->reg, "field outside its register");
    FUZZ_CHECK(c->reason != NULL, "NULL reason");
    t->reported++;
    t->blocking += armcpu_verdict_blocks(c->verdict);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    char *nl = strchr(text, '\n');
    const char *json = "";
    if (nl) {
        *nl = 0;
        json = nl + 1;
    }
    armcpu_error err = {0};
    armcpu_host *loaded = armcpu_host_load_json(json, strlen(json), "input", &err);
    const armcpu_host *h = loaded ? loaded : embedded[strlen(text) % n_embedded];
    armcpu_cpu *cpu = armcpu_realize_on_host(ctx, text, h, false, &err);
    if (cpu) {
        struct tally t = {0, 0};
        size_t blockers = armcpu_check(cpu, h, count, &t);
        FUZZ_CHECK(blockers == t.blocking, "count %zu, reported %zu", blockers, t.blocking);
        FUZZ_CHECK(armcpu_check(cpu, h, NULL, NULL) == blockers, "not deterministic");
        const armcpu_model *m = armcpu_cpu_model(cpu);
        if (m && armcpu_cpu_user_prop_count(cpu) == 0) {
            const armcpu_host *hosts[2] = {h, h};
            armcpu_baseline *b = armcpu_baseline_new(ctx, hosts, 2, armcpu_model_name(m), &err);
            FUZZ_CHECK(b != NULL, "baseline: %s", err.message);
            if (armcpu_baseline_possible(b)) {
                armcpu_cpu *bc = armcpu_realize(ctx, armcpu_baseline_spec(b), false, &err);
                FUZZ_CHECK(bc != NULL, "baseline spec does not realize: %s", err.message);
                FUZZ_CHECK(armcpu_check(bc, h, NULL, NULL) == 0, "baseline spec blocked: %s",
                           armcpu_baseline_spec(b));
                armcpu_cpu_free(bc);
            }
            armcpu_baseline_free(b);
        }
        armcpu_cpu_free(cpu);
    } else {
        fuzz_check_error(&err, err.code);
    }
    armcpu_host_free(loaded);
    free(text);
    return 0;
}
