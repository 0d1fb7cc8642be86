/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the host snapshot loader (armcpu_host_load_json) and the
 * listing/probe importer (armcpu_host_import).
 * Invariants: a snapshot that loads saves back (armcpu_host_to_json) to text
 * that loads again and saves to the same text; every present register's
 * value, mask and unknown bits survive; a rejected input has a message
 * naming the input. Re-derived for a kernel (armcpu_host_apply_kernel: the
 * view rules) it either fails with a message or gives a snapshot whose
 * unknown bits lie in fields and read 0, that round-trips too; re-derived
 * for its own kernel, its values and unknown bits stay.
 * The input on one line of a JSON Lines fleet, after and before a cached
 * snapshot (armcpu_fleet_add_lines), is accepted or refused and folded as
 * loading each line on its own would.
 */
#include "fuzz_common.h"
#include "armcpu/fleet.h"
#include "armcpu/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(armcpu_host *h)
{
    char *a = armcpu_host_to_json(h);
    FUZZ_CHECK(a != NULL, "to_json failed");
    armcpu_error err = {0};
    armcpu_host *again = armcpu_host_load_json(a, strlen(a), "saved", &err);
    FUZZ_CHECK(again != NULL, "a saved snapshot does not load: %s\n%s", err.message, a);
    char *b = armcpu_host_to_json(again);
    FUZZ_CHECK(b && !strcmp(a, b), "save/load/save changed the snapshot");
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        FUZZ_CHECK(armcpu_host_reg_state(h, r) == armcpu_host_reg_state(again, r), "state %s",
                   armcpu_reg_name(r));
        FUZZ_CHECK(armcpu_host_reg_value(h, r) == armcpu_host_reg_value(again, r), "value %s",
                   armcpu_reg_name(r));
        FUZZ_CHECK(armcpu_host_reg_mask(h, r) == armcpu_host_reg_mask(again, r), "mask %s",
                   armcpu_reg_name(r));
        FUZZ_CHECK(armcpu_host_reg_unknown(h, r) == armcpu_host_reg_unknown(again, r),
                   "unknown %s", armcpu_reg_name(r));
    }
    free(a);
    free(b);
    armcpu_host_free(again);
}

/* An embedded snapshot as one JSON Lines line, and that snapshot, made once. */
static char *seed_line;
static armcpu_host *seed_host;

static void seed_init(void)
{
    if (seed_line)
        return;
    armcpu_error err = {0};
    seed_host = armcpu_host_open("graviton3-linux-6.12", &err);
    FUZZ_CHECK(seed_host != NULL, "%s", err.message);
    seed_line = armcpu_host_to_json(seed_host);
    FUZZ_CHECK(seed_line != NULL, "to_json");
    for (char *p = seed_line; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

/* The input on one line (newlines become spaces), after and before the
 * seed: armcpu_fleet_add_lines must fold it as loading it on its own and
 * adding it does (the seed is cached first, so a line that repeats it
 * under another name takes the reader's shortcut). */
static void lines_as_one_by_one(const uint8_t *data, size_t size)
{
    if (!size || memchr(data, 0, size))
        return;
    char *line = fuzz_cstr(data, size);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    /* trimmed as the reader trims; only lines that are JSON, not host
     * arguments */
    char *b = line;
    while (*b == ' ' || *b == '\t')
        b++;
    size_t len = strlen(b);
    while (len && (b[len - 1] == ' ' || b[len - 1] == '\t'))
        b[--len] = 0;
    if (*b != '{') {
        free(line);
        return;
    }
    seed_init();
    size_t tl = 2 * strlen(seed_line) + 2 * len + 4;
    char *text = malloc(tl + 1);
    FUZZ_CHECK(text != NULL, "oom");
    snprintf(text, tl + 1, "%s\n%s\n%s\n%s\n", seed_line, b, seed_line, b);

    /* the reference: seed, line, seed, line, each as loaded on its own */
    armcpu_error err = {0};
    armcpu_fleet *ref = armcpu_fleet_new(), *got = armcpu_fleet_new();
    FUZZ_CHECK(ref && got, "oom");
    armcpu_host *h = armcpu_host_load_json(b, len, "line", &err);
    int rc_ref = -1;
    if (h) {
        rc_ref = armcpu_fleet_add(ref, seed_host, 1, &err);
        rc_ref = rc_ref ? rc_ref : armcpu_fleet_add(ref, h, 1, &err);
        rc_ref = rc_ref ? rc_ref : armcpu_fleet_add(ref, seed_host, 1, &err);
        rc_ref = rc_ref ? rc_ref : armcpu_fleet_add(ref, h, 1, &err);
    }
    armcpu_host_free(h);
    armcpu_error e2 = {0};
    int rc = armcpu_fleet_add_lines(got, text, strlen(text), "fleet.jsonl", &e2);
    FUZZ_CHECK((rc == 0) == (rc_ref == 0), "JSON Lines %s, one by one %s: %s",
               rc ? "refused" : "accepted", rc_ref ? "refused" : "accepted", e2.message);
    if (rc) {
        fuzz_check_error(&e2, rc);
    } else {
        FUZZ_CHECK(armcpu_fleet_host_count(got) == armcpu_fleet_host_count(ref), "hosts");
        FUZZ_CHECK(armcpu_fleet_class_count(got) == armcpu_fleet_class_count(ref), "classes");
        for (size_t i = 0; i < armcpu_fleet_class_count(ref); i++)
            FUZZ_CHECK(armcpu_fleet_class_size(got, i) == armcpu_fleet_class_size(ref, i),
                       "class %zu", i);
    }
    armcpu_fleet_free(ref);
    armcpu_fleet_free(got);
    free(text);
    free(line);
}

/* The view rules on a loaded snapshot: for a kernel the input picks, and
 * for the snapshot's own kernel (identity). */
static void derive(const armcpu_host *h, unsigned pick)
{
    armcpu_error err = {0};
    for (int own = 0; own < 2; own++) {
        char *t = armcpu_host_to_json(h); /* a copy, as a user would load it */
        FUZZ_CHECK(t != NULL, "to_json");
        armcpu_host *d = armcpu_host_load_json(t, strlen(t), "copy", &err);
        free(t);
        FUZZ_CHECK(d != NULL, "copy: %s", err.message);
        char k[160];
        size_t vi;
        bool exact;
        if (own) {
            snprintf(k, sizeof k, "%s", armcpu_host_kernel(h));
            /* identity holds where the kernel has a view table of its own
             * and the snapshot is a guest view */
            if (armcpu_host_is_bare_metal(h) || !armcpu_view_table_for(k, &vi, &exact) ||
                !exact || !armcpu_kernel_table_for(k, &vi, &exact)) {
                armcpu_host_free(d);
                continue;
            }
        } else {
            snprintf(k, sizeof k, "%s", armcpu_kernel_version(pick % armcpu_kernel_count()));
        }
        armcpu_error e = {0};
        int rc = armcpu_host_apply_kernel(d, k, &e);
        if (rc) {
            fuzz_check_error(&e, rc);
            armcpu_host_free(d);
            continue;
        }
        for (size_t i = 0; i < armcpu_reg_count(); i++) {
            const armcpu_reg *r = armcpu_reg_at(i);
            uint64_t u = armcpu_host_reg_unknown(d, r), fields = 0;
            for (size_t j = 0; j < armcpu_reg_field_count(r); j++)
                fields |= armcpu_field_mask(armcpu_reg_field_at(r, j));
            FUZZ_CHECK(!(u & ~fields), "%s: unknown bits 0x%llx outside the fields",
                       armcpu_reg_name(r), (unsigned long long)(u & ~fields));
            FUZZ_CHECK(!(u & armcpu_host_reg_value(d, r)), "%s: unknown bits set",
                       armcpu_reg_name(r));
            if (own && armcpu_host_reg_state(h, r) == ARMCPU_REG_PRESENT)
                FUZZ_CHECK(armcpu_host_reg_value(d, r) == armcpu_host_reg_value(h, r) &&
                               u == armcpu_host_reg_unknown(h, r),
                           "%s changed under its own kernel %s", armcpu_reg_name(r), k);
        }
        round_trip(d);
        armcpu_host_free(d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lines_as_one_by_one(data, size);
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_load_json((const char *)data, size, "input.json", &err);
    if (h) {
        round_trip(h);
        derive(h, size ? data[size - 1] : 0);
        armcpu_host_free(h);
    } else {
        fuzz_check_error(&err, err.code);
        FUZZ_CHECK(strstr(err.message, "input.json") || err.code == ARMCPU_ERR_NOMEM,
                   "message does not name the input: %s", err.message);
    }
    /* The same bytes as a listing (or probe output). */
    char *text = fuzz_cstr(data, size);
    armcpu_error e2 = {0};
    armcpu_host *imp = armcpu_host_import(text, strlen(text), NULL, 0, "listing", &e2);
    if (imp) {
        round_trip(imp);
        armcpu_host_free(imp);
    } else {
        fuzz_check_error(&e2, e2.code);
    }
    free(text);
    return 0;
}
