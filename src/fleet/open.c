/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A host argument as a user gives it: an embedded snapshot name, a snapshot
 * file, or "local" (the live KVM probe). Here, above src/host and src/kvm,
 * so that neither imports the other's caller.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "armcpu/kvm.h"
#include "../core/ctx.h"
#include "../util/util.h"

armcpu_host *armcpu_host_open_for_kernel(const char *base, const char *kernel, armcpu_error *err)
{
    unsigned want = armcpu_kernel_key(kernel), best_key = 0;
    size_t n = base ? strlen(base) : 0;
    armcpu_host *best = NULL;
    if (!want) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "'%s' is not a kernel release",
                         kernel ? kernel : "(none)");
        return NULL;
    }
    for (size_t i = 0; n && i < armcpu_embedded_hosts_count; i++) {
        const char *stem = armcpu_embedded_hosts[i].stem, *t = armcpu_embedded_hosts[i].text;
        if (strncmp(stem, base, n) || strncmp(stem + n, "-linux-", 7))
            continue;
        unsigned key = armcpu_kernel_key(stem + n + 7);
        if (key > want || key <= best_key)
            continue;
        armcpu_host *h = armcpu_host_load_json(t, strlen(t), armcpu_embedded_hosts[i].name, err);
        if (!h) {
            armcpu_host_free(best);
            return NULL;
        }
        /* a derived snapshot is its measured source re-derived: deriving
         * from it again would only lose bits */
        if (key == want || strncmp(armcpu_host_source(h), "DERIVED", 7)) {
            armcpu_host_free(best);
            best = h;
            best_key = key;
        } else {
            armcpu_host_free(h);
        }
    }
    if (!best) {
        armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                         "no embedded snapshot of '%s' measured under Linux %s or an older "
                         "kernel",
                         base ? base : "", kernel);
        return NULL;
    }
    if (best_key != want && armcpu_host_apply_kernel(best, kernel, err)) {
        armcpu_host_free(best);
        return NULL;
    }
    return best;
}

armcpu_host *armcpu_host_open(const char *arg, armcpu_error *err)
{
    if (!arg || !*arg) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "empty host (expected an embedded snapshot name, a snapshot "
                         "file, or 'local')");
        return NULL;
    }
    if (!strcmp(arg, "local")) {
        armcpu_error e = {0};
        armcpu_host *h = armcpu_kvm_probe(&e);
        if (!h)
            armcpu_set_error(err, e.code,
                             "host 'local' needs a live probe of /dev/kvm on an arm64 host: "
                             "%s; use a snapshot file or the name of an embedded snapshot",
                             e.message);
        return h;
    }
    for (size_t i = 0; i < armcpu_embedded_hosts_count; i++)
        if (!strcmp(armcpu_embedded_hosts[i].stem, arg)) {
            const char *t = armcpu_embedded_hosts[i].text;
            return armcpu_host_load_json(t, strlen(t), armcpu_embedded_hosts[i].name, err);
        }
    if (strchr(arg, '/') || strstr(arg, ".json") || !access(arg, F_OK))
        return armcpu_host_load_file(arg, err);
    /* an unversioned name (graviton3) is its newest kernel's view
     * (graviton3-linux-6.18), as an unversioned model name is its newest
     * version */
    size_t best = SIZE_MAX, n = strlen(arg);
    unsigned best_key = 0;
    for (size_t i = 0; i < armcpu_embedded_hosts_count; i++) {
        const char *stem = armcpu_embedded_hosts[i].stem;
        if (strncmp(stem, arg, n) || strncmp(stem + n, "-linux-", 7))
            continue;
        unsigned key = armcpu_kernel_key(stem + n + 7);
        if (key > best_key) {
            best_key = key;
            best = i;
        }
    }
    if (best != SIZE_MAX) {
        const char *t = armcpu_embedded_hosts[best].text;
        return armcpu_host_load_json(t, strlen(t), armcpu_embedded_hosts[best].name, err);
    }
    armcpu_suggest s;
    char hint[300];
    armcpu_suggest_init(&s, arg);
    /* the suggestions point at their candidates: the unversioned names
     * live until the hint is formatted */
    char (*alias)[64] = calloc(armcpu_embedded_hosts_count + 1, sizeof *alias);
    for (size_t i = 0; i < armcpu_embedded_hosts_count; i++) {
        const char *stem = armcpu_embedded_hosts[i].stem, *k = strstr(stem, "-linux-");
        armcpu_suggest_offer(&s, stem);
        if (alias && k && (size_t)(k - stem) < sizeof alias[i]) {
            snprintf(alias[i], sizeof alias[i], "%.*s", (int)(k - stem), stem);
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = !strcmp(alias[j], alias[i]);
            if (!seen)
                armcpu_suggest_offer(&s, alias[i]);
        }
    }
    armcpu_suggest_format(&s, hint, sizeof hint);
    free(alias);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "unknown host '%s'%s (a snapshot file, 'local', or the name of an "
                     "embedded snapshot)",
                     arg, hint);
    return NULL;
}

