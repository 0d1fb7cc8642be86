/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A strict JSON syntax scanner (RFC 8259), without building objects. */
#ifndef ARMCPU_SRC_UTIL_JSONSCAN_H
#define ARMCPU_SRC_UTIL_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

struct armcpu_json_scan {
    /* in */
    bool dup_keys; /* refuse an object that has the same key twice */
    /* out */
    size_t error_at;   /* byte offset of the first error */
    const char *why;   /* what is wrong there */
    const char *dup;   /* a duplicate key (escaped text, no quotes) */
    size_t dup_len;
    const char *dup_parent; /* the key of the object holding it, or NULL */
    size_t dup_parent_len;
    /* the top-level object's "name" member: its string value (escaped
     * text) and whether it holds escapes; names counts the "name" keys */
    const char *name;
    size_t name_len;
    bool name_plain;
    int names;
};

/* One JSON text, optionally surrounded by white space. */
bool armcpu_json_scan(const char *text, size_t len, struct armcpu_json_scan *s);

#endif
