/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the host snapshot loader (armcpu_host_load_json) and the
 * listing/probe importer (armcpu_host_import).
 * Invariants: a snapshot that loads saves back (armcpu_host_to_json) to text
 * that loads again and saves to the same text; every present register's
 * value and mask survive; a rejected input has a message naming the input.
 */
#include "fuzz_common.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
