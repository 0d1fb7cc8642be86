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

int armcpu_host_apply_kernel(armcpu_host *h, const char *version, armcpu_error *err)
{
    char known[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < armcpu_builtin_kernels_count; i++) {
        const struct armcpu_kernel_table *k = &armcpu_builtin_kernels[i];
        if (!strcmp(k->version, version))
            return armcpu_host_set_masks(h, k->has_masks, k->masks, version, err);
        used += (size_t)snprintf(known + used, used < sizeof known ? sizeof known - used : 0,
                                 "%s%s", i ? ", " : "", k->version);
    }
    return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                            "no writable-mask table for kernel '%s' (known: %s)", version, known);
}
