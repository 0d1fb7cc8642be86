/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growing arrays (util.h: armcpu_grow): one doubling step for the library. */
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

void *armcpu_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return items;
    size_t nc = *cap ? *cap * 2 : first;
    if (nc <= n || nc > SIZE_MAX / size)
        return NULL;
    void *p = realloc(items, nc * size);
    if (p)
        *cap = nc;
    return p;
}
