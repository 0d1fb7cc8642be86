/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A host argument as a user gives it: an embedded snapshot name, a snapshot
 * file, or "local" (the live KVM probe). Here, above src/host and src/kvm,
 * so that neither imports the other's caller.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "armcpu/kvm.h"
#include "../core/ctx.h"
#include "../util/util.h"

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
    armcpu_suggest s;
    char hint[300];
    armcpu_suggest_init(&s, arg);
    for (size_t i = 0; i < armcpu_embedded_hosts_count; i++)
        armcpu_suggest_offer(&s, armcpu_embedded_hosts[i].stem);
    armcpu_suggest_format(&s, hint, sizeof hint);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "unknown host '%s'%s (a snapshot file, 'local', or the name of an "
                     "embedded snapshot)",
                     arg, hint);
    return NULL;
}

