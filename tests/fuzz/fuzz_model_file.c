/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the model-file loader (armcpu_ctx_load_model_text) on a
 * context from armcpu_ctx_new() (raw bytes: NULs and non-ASCII included).
 * armcpu_ctx_new() costs ~20 ms under ASan+coverage (the property table), so
 * a context is reused after a FAILED load, which the first invariant proves
 * left it untouched (same count, same model pointers); after a successful
 * load the next input gets a fresh one. ARMCPU_FUZZ_FRESH=1 in the
 * environment gives every input a fresh context.
 * Invariants:
 *  - on failure the model count and every model pointer are unchanged and the
 *    error names something;
 *  - on success the count grows, every new model can be looked up by name,
 *    its parent chain ends at a root, and it realizes (allow_abstract=true)
 *    to registers with RES0 clear / RES1 set;
 *  - loading the same text a second time fails (duplicate models) and
 *    changes nothing: the load is all or nothing.
 */
#include <inttypes.h>
#include <stdbool.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static armcpu_ctx *ctx;          /* NULL: make a fresh one */
static const armcpu_model **snap; /* the models before the load */
static bool always_fresh;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *e = getenv("ARMCPU_FUZZ_FRESH");
    always_fresh = e && *e && strcmp(e, "0");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    armcpu_error err = {0};
    if (!ctx) {
        ctx = armcpu_ctx_new(&err);
        FUZZ_CHECK(ctx != NULL, "armcpu_ctx_new: %s", err.message);
        free(snap);
        snap = malloc(armcpu_model_count(ctx) * sizeof *snap);
        FUZZ_CHECK(snap != NULL, "oom");
        for (size_t i = 0; i < armcpu_model_count(ctx); i++)
            snap[i] = armcpu_model_at(ctx, i);
    }
    size_t before = armcpu_model_count(ctx);
    /* An exact-size copy so ASan sees any read past the end. */
    char *text = malloc(size ? size : 1);
    FUZZ_CHECK(text != NULL, "oom");
    memcpy(text, data, size);
    int rc = armcpu_ctx_load_model_text(ctx, "fuzz.model", text, size, &err);
    size_t after = armcpu_model_count(ctx);
    if (rc) {
        fuzz_check_error(&err, rc);
        FUZZ_CHECK(after == before, "failed load changed the model count %zu -> %zu (%s)",
                   before, after, err.message);
        for (size_t i = 0; i < after; i++)
            FUZZ_CHECK(armcpu_model_at(ctx, i) == snap[i], "failed load changed model %zu", i);
    } else {
        FUZZ_CHECK(after > before, "successful load added no model");
        for (size_t i = before; i < after; i++) {
            const armcpu_model *m = armcpu_model_at(ctx, i);
            const char *name = armcpu_model_name(m);
            FUZZ_CHECK(armcpu_model_lookup(ctx, name, NULL) == m, "lookup of %s", name);
            FUZZ_CHECK(armcpu_model_lookup(ctx, armcpu_model_base_name(m), NULL) != NULL,
                       "alias of %s", name);
            size_t depth = 0;
            for (const armcpu_model *a = m; a; a = armcpu_model_parent(a))
                FUZZ_CHECK(++depth <= after, "%s: parent chain does not end", name);
            for (size_t j = 0; j < armcpu_model_setting_count(m); j++) {
                const char *t, *v, *s;
                FUZZ_CHECK(armcpu_model_setting_at(m, j, &t, &v, &s) && *t && *v && *s,
                           "%s: setting %zu", name, j);
            }
            (void)armcpu_model_description(m);
            (void)armcpu_model_is_newest(ctx, m);
            armcpu_error e = {0};
            armcpu_cpu *cpu = armcpu_realize(ctx, name, true, &e);
            FUZZ_CHECK(cpu != NULL, "loaded model %s does not realize: %s", name, e.message);
            for (size_t r = 0; r < armcpu_reg_count(); r++) {
                const armcpu_reg *reg = armcpu_reg_at(r);
                uint64_t v = armcpu_cpu_reg_value(cpu, reg);
                FUZZ_CHECK(!(v & armcpu_reg_res0_mask(reg)) && !(~v & armcpu_reg_res1_mask(reg)),
                           "%s: %s = 0x%016" PRIx64 " breaks RES0/RES1", name,
                           armcpu_reg_name(reg), v);
            }
            armcpu_cpu_free(cpu);
        }
        /* All or nothing: the same models again are duplicates. */
        armcpu_error e = {0};
        int rc2 = armcpu_ctx_load_model_text(ctx, "fuzz.model", text, size, &e);
        FUZZ_CHECK(rc2 != 0, "the same models loaded twice");
        fuzz_check_error(&e, rc2);
        FUZZ_CHECK(armcpu_model_count(ctx) == after, "failed second load changed the count");
    }
    free(text);
    if (!rc || always_fresh) {
        armcpu_ctx_free(ctx);
        ctx = NULL;
    }
    return 0;
}
