/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the host snapshot loader (armcpu_host_load_json) and the
 * listing/probe importer (armcpu_host_import).
 * Invariants: a snapshot that loads saves back (armcpu_host_to_json) to text
 * that loads again and saves to the same text; every present register's
 * value and mask survive; a rejected input has a message naming the input.
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
    }
    free(a);
    free(b);
    armcpu_host_free(again);
}

/* Every line loaded in full and added: what the JSON Lines reader must do. */
static int add_one_by_one(armcpu_fleet *f, char *const *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        armcpu_error err = {0};
        armcpu_host *h = armcpu_host_load_json(lines[i], strlen(lines[i]), "line", &err);
        if (!h)
            return -1;
        int rc = armcpu_fleet_add(f, h, 1, &err);
        armcpu_host_free(h);
        if (rc)
            return rc;
    }
    return 0;
}

static void lines_as_one_by_one(const uint8_t *data, size_t size)
{
    if (!size || memchr(data, 0, size))
        return;
    /* the input as one line (newlines become spaces), trimmed as the
     * reader trims; only lines that are JSON (not host arguments) */
    char *line = fuzz_cstr(data, size);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
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
    armcpu_error err = {0};
    armcpu_host *g = armcpu_host_open("graviton3", &err);
    FUZZ_CHECK(g != NULL, "%s", err.message);
    char *seed = armcpu_host_to_json(g);
    armcpu_host_free(g);
    FUZZ_CHECK(seed != NULL, "to_json");
    for (char *p = seed; *p; p++)
        if (*p == '\n')
            *p = ' ';
    char *lines[4] = {seed, b, seed, b};
    size_t tl = 2 * (strlen(seed) + len + 2);
    char *text = malloc(tl + 1);
    FUZZ_CHECK(text != NULL, "oom");
    snprintf(text, tl + 1, "%s\n%s\n%s\n%s\n", seed, b, seed, b);

    armcpu_fleet *ref = armcpu_fleet_new(), *got = armcpu_fleet_new();
    FUZZ_CHECK(ref && got, "oom");
    int rc_ref = add_one_by_one(ref, lines, 4);
    int rc = armcpu_fleet_add_lines(got, text, strlen(text), "fleet.jsonl", &err);
    FUZZ_CHECK((rc == 0) == (rc_ref == 0), "JSON Lines %s, one by one %s: %s",
               rc ? "refused" : "accepted", rc_ref ? "refused" : "accepted", err.message);
    if (rc) {
        fuzz_check_error(&err, rc);
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
    armcpu_free(seed);
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lines_as_one_by_one(data, size);
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_load_json((const char *)data, size, "input.json", &err);
    if (h) {
        round_trip(h);
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
