/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writable-mask tables of known KVM versions (kernels/linux-VER.masks, embedded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "armcpu/host.h"
#include "../core/ctx.h"
#include "../util/util.h"

/* "6.12" -> 6012, for ordering. */
static long version_key(const char *v)
{
    long major = strtol(v, (char **)&v, 10), minor = 0;
    if (*v == '.')
        minor = strtol(v + 1, NULL, 10);
    return major * 1000 + minor;
}

/* Header value of "# key: value" in a table, copied to buf. */
static void header(const char *text, const char *key, char *buf, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "# %s:", key);
    buf[0] = 0;
    const char *p = strstr(text, pat);
    if (!p)
        return;
    p += strlen(pat);
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, "\n");
    snprintf(buf, size, "%.*s", (int)n, p);
}

/* i-th table in version order. */
static const struct armcpu_embedded_file *sorted(size_t i)
{
    if (i >= armcpu_embedded_kernels_count)
        return NULL;
    /* selection by rank: small tables, no state to keep */
    for (size_t a = 0; a < armcpu_embedded_kernels_count; a++) {
        size_t rank = 0;
        long ka = version_key(armcpu_embedded_kernels[a].stem + 6); /* "linux-" */
        for (size_t b = 0; b < armcpu_embedded_kernels_count; b++)
            rank += version_key(armcpu_embedded_kernels[b].stem + 6) < ka;
        if (rank == i)
            return &armcpu_embedded_kernels[a];
    }
    return NULL;
}

size_t armcpu_kernel_count(void) { return armcpu_embedded_kernels_count; }

const char *armcpu_kernel_version(size_t i)
{
    const struct armcpu_embedded_file *f = sorted(i);
    return f ? f->stem + 6 : NULL;
}

void armcpu_kernel_provenance(size_t i, char *buf, size_t size)
{
    const struct armcpu_embedded_file *f = sorted(i);
    if (size)
        buf[0] = 0;
    if (f)
        header(f->text, "provenance", buf, size);
}

void armcpu_kernel_capabilities(size_t i, char *buf, size_t size)
{
    const struct armcpu_embedded_file *f = sorted(i);
    if (size)
        buf[0] = 0;
    if (f)
        header(f->text, "capabilities", buf, size);
}

int armcpu_host_apply_kernel(armcpu_host *h, const char *version, armcpu_error *err)
{
    const struct armcpu_embedded_file *f = NULL;
    char known[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < armcpu_kernel_count(); i++) {
        const char *v = armcpu_kernel_version(i);
        used += (size_t)snprintf(known + used, used < sizeof known ? sizeof known - used : 0,
                                 "%s%s", i ? ", " : "", v);
        if (!strcmp(v, version))
            f = sorted(i);
    }
    if (!f)
        return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                                "no writable-mask table for kernel '%s' (known: %s)", version,
                                known);
    char masks_flag[16];
    header(f->text, "masks", masks_flag, sizeof masks_flag);
    uint64_t *masks = calloc(armcpu_reg_count(), sizeof *masks);
    if (!masks)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    for (const char *p = f->text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        unsigned e[5];
        unsigned long long m;
        if (sscanf(p, "(%u,%u,%u,%u,%u) 0x%llx", &e[0], &e[1], &e[2], &e[3], &e[4], &m) != 6)
            continue;
        const armcpu_reg *r = armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], NULL);
        if (r)
            masks[armcpu_reg_index(r)] = m;
    }
    int rc = armcpu_host_set_masks(h, !strcmp(masks_flag, "yes"), masks, version, err);
    free(masks);
    return rc;
}
