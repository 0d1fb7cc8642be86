/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library's JSON text: one layout for every document it writes. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util.h"

struct json_object *armcpu_json_doc(const char *format)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "format", json_object_new_string(format));
    json_object_object_add(o, "version", json_object_new_int(ARMCPU_JSON_FORMAT_VERSION));
    return o;
}

char *armcpu_json_text(struct json_object *o)
{
    if (!o)
        return NULL;
    const char *t = json_object_to_json_string_ext(
        o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    size_t n = t ? strlen(t) : 0;
    char *out = t ? malloc(n + 2) : NULL;
    if (out) {
        memcpy(out, t, n);
        memcpy(out + n, "\n", 2);
    }
    json_object_put(o);
    return out;
}
