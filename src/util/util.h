/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small internal helpers shared by every module. */
#ifndef ARMCPU_SRC_UTIL_UTIL_H
#define ARMCPU_SRC_UTIL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "armcpu/armcpu.h"

#if defined(__GNUC__)
#define ARMCPU_PRINTF(a, b) __attribute__((format(printf, a, b)))
/* for a hot loop's body shared by two callers */
#define ARMCPU_ALWAYS_INLINE __attribute__((always_inline))
#else
#define ARMCPU_PRINTF(a, b)
#define ARMCPU_ALWAYS_INLINE
#endif

/* A malloc'd copy of o's JSON text (pretty, spaced, no '/' escapes,
 * newline-terminated; armcpu_free releases it); takes o's reference. NULL
 * when o is NULL or on allocation failure. */
struct json_object;
char *armcpu_json_text(struct json_object *o);
/* A JSON document's root: {"format": FORMAT, "version":
 * ARMCPU_JSON_FORMAT_VERSION} (armcpu.h). */
struct json_object *armcpu_json_doc(const char *format);

/* Fills err (when not NULL) and returns code, for `return set_error(...)`. */
int armcpu_set_error(armcpu_error *err, armcpu_status code, const char *fmt,
                     ...) ARMCPU_PRINTF(3, 4);

/* Up to ARMCPU_SUGGEST_MAX closest candidates to a misspelt name. */
#define ARMCPU_SUGGEST_MAX 3
typedef struct armcpu_suggest {
    const char *want;
    size_t want_len;
    char lower[64]; /* want in lower case, cut at 63 characters */
    size_t lower_len;
    signed char bag[64]; /* letters of lower, by (letter & 63) */
    uint64_t mask;       /* the buckets of bag that are not empty */
    uint64_t peq[256];   /* per letter, its positions in lower (bit i) */
    const char *best[ARMCPU_SUGGEST_MAX];
    unsigned dist[ARMCPU_SUGGEST_MAX];
    size_t n;
} armcpu_suggest;

void armcpu_suggest_init(armcpu_suggest *s, const char *want);
void armcpu_suggest_offer(armcpu_suggest *s, const char *candidate);
/* The same for a candidate whose length and armcpu_suggest_mask (of its
 * first 63 characters) are known: cheaper, same result. */
void armcpu_suggest_offer_masked(armcpu_suggest *s, const char *candidate, size_t len,
                                 uint64_t mask);
uint64_t armcpu_suggest_mask(const char *name, size_t len);
/* ", did you mean: A, B?" or "" when nothing is close. */
void armcpu_suggest_format(const armcpu_suggest *s, char *buf, size_t size);

/* The errno's symbolic name ("EINVAL"), or "errno N" in buf: portable
 * (no strerrorname_np). */
const char *armcpu_errno_name(int e, char *buf, size_t size);
/* memmem, portable. */
const void *armcpu_memmem(const void *hay, size_t hay_len, const void *needle, size_t n);

/* Room for element n of an array of `size`-byte elements with capacity
 * *cap: items itself while n < *cap, else the array grown (doubled, or
 * `first` elements when empty) with *cap updated; NULL when memory runs
 * out, the array then left as it was (src/util/grow.c). */
void *armcpu_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

/* A growing string (src/util/strbuf.c): appends never fail, an allocation
 * failure sets oom and sb_take then returns NULL. */
struct strbuf {
    char *s;
    size_t len, cap;
    bool oom;
};
void sb_add(struct strbuf *b, const char *fmt, ...) ARMCPU_PRINTF(2, 3);
void sb_put(struct strbuf *b, const char *s, size_t n);
/* s as a JSON string, escaped as json-c escapes (no '/' escape) */
void sb_json_string(struct strbuf *b, const char *s);
char *sb_take(struct strbuf *b); /* NULL on oom */

/* A whole file (at most limit bytes, NUL-terminated) or NULL with err
 * naming a directory, a missing file, a read error or the limit for a
 * `what` ("snapshot") (src/util/textfile.c). */
char *armcpu_read_text_file(const char *path, size_t limit, const char *what, size_t *len,
                            armcpu_error *err);

#endif
