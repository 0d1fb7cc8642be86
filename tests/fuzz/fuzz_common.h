/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the libFuzzer targets (tests/fuzz/README.md). */
#ifndef ARMCPU_FUZZ_COMMON_H
#define ARMCPU_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "armcpu/armcpu.h"
#include "armcpu/model.h"

/* An invariant violation is a crash for libFuzzer: print and abort. */
#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz invariant failed: %s (%s:%d): ", #cond,      \
                    __FILE__, __LINE__);                                       \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* The input as a NUL-terminated string (cut at the first NUL byte). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* An error message must be a terminated, non-empty string. */
static inline void fuzz_check_error(const armcpu_error *e, int rc)
{
    FUZZ_CHECK(rc < 0, "rc %d", rc);
    FUZZ_CHECK(e->code == rc, "code %d rc %d", (int)e->code, rc);
    FUZZ_CHECK(memchr(e->message, 0, sizeof e->message) != NULL, "unterminated");
    FUZZ_CHECK(e->message[0] != 0, "empty error message (code %d)", rc);
}

static inline uint64_t fuzz_wmask(unsigned width)
{
    return width >= 64 ? UINT64_MAX : (1ULL << width) - 1;
}

#endif
