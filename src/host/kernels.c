/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writable-mask tables of known KVM versions: kernels/linux-VER.masks,
 * turned into tables at build time (tools/gen-data: builtin.gen.c).
 */
#include <stdio.h>
#include <string.h>

#include "armcpu/host.h"
#include "../core/ctx.h"
#include "../util/util.h"

size_t armcpu_kernel_count(void) { return armcpu_builtin_kernels_count; }

const char *armcpu_kernel_version(size_t i)
{
    return i < armcpu_builtin_kernels_count ? armcpu_builtin_kernels[i].version : NULL;
}

void armcpu_kernel_provenance(size_t i, char *buf, size_t size)
{
    if (size)
        snprintf(buf, size, "%s",
                 i < armcpu_builtin_kernels_count ? armcpu_builtin_kernels[i].provenance : "");
}

void armcpu_kernel_capabilities(size_t i, char *buf, size_t size)
{
    if (size)
        snprintf(buf, size, "%s",
                 i < armcpu_builtin_kernels_count ? armcpu_builtin_kernels[i].capabilities : "");
}

bool armcpu_key_table_for(const char *release, const unsigned *first_key, size_t n,
                          size_t stride, size_t *index, bool *exact)
{
    unsigned want = armcpu_kernel_key(release);
    bool found = false;
    *exact = false;
    for (size_t i = 0; want && i < n; i++) {
        unsigned key = *(const unsigned *)((const char *)first_key + i * stride);
        if (key == want) {
            *index = i;
            *exact = true;
            return true;
        }
        /* ascending order: the last one at or below is the nearest older */
        if (key < want) {
            *index = i;
            found = true;
        }
    }
    return found;
}

bool armcpu_kernel_table_for(const char *release, size_t *index, bool *exact)
{
    return armcpu_key_table_for(release, &armcpu_builtin_kernels[0].key,
                                armcpu_builtin_kernels_count, sizeof armcpu_builtin_kernels[0],
                                index, exact);
}

int armcpu_host_apply_kernel(armcpu_host *h, const char *version, armcpu_error *err)
{
    size_t i;
    bool exact;
    if (version && armcpu_kernel_table_for(version, &i, &exact)) {
        const struct armcpu_kernel_table *k = &armcpu_builtin_kernels[i];
        /* the values too: what that kernel's KVM shows (views are known
         * from the oldest view table on; before any exists, masks only) */
        size_t vi;
        bool vexact;
        if (armcpu_builtin_views_count) {
            if (!armcpu_view_table_for(version, &vi, &vexact))
                return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                                        "no view rules for kernel '%s' or an older one "
                                        "(oldest: %s)",
                                        version, armcpu_builtin_views[0].version);
            int rc = armcpu_host_derive_view(h, vi, err);
            if (rc)
                return rc;
        }
        /* the vCPU configuration that kernel's KVM would show (the same
         * kernel shows the same) */
        unsigned from = armcpu_host_kernel_key(h), to = armcpu_kernel_key(version);
        for (unsigned c = 0; from != to && c < ARMCPU_CONFIG_COUNT; c++) {
            uint64_t v, nv;
            if (!armcpu_host_config(h, (armcpu_config)c, &v))
                continue;
            if (!armcpu_config_for_kernel((armcpu_config)c, v, from, to, &nv)) {
                armcpu_host_clear_config(h, (armcpu_config)c);
                continue;
            }
            char src[480];
            const char *was = armcpu_host_config_source(h, (armcpu_config)c);
            snprintf(src, sizeof src,
                     "derived for Linux %s (armcpu_config_for_kernel) from the Linux %s "
                     "snapshot's %.300s",
                     version, armcpu_host_kernel(h), was ? was : "measurement");
            int rc = armcpu_host_set_config(h, (armcpu_config)c, nv, src, err);
            if (rc)
                return rc;
        }
        return armcpu_host_set_masks(h, k->has_masks, k->masks, version, err);
    }
    char known[256] = "";
    size_t used = 0;
    for (size_t n = 0; n < armcpu_builtin_kernels_count; n++)
        used += (size_t)snprintf(known + used, used < sizeof known ? sizeof known - used : 0,
                                 "%s%s", n ? ", " : "", armcpu_builtin_kernels[n].version);
    return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                            "no writable-mask table for kernel '%s' or an older one (known: %s)",
                            version ? version : "(none)", known);
}
