/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

int armcpu_set_error(armcpu_error *err, armcpu_status code, const char *fmt,
                     ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return (int)code;
}

static unsigned edit_distance(const char *a, const char *b)
{
    /* Case-insensitive Levenshtein over the first 63 characters. */
    unsigned row[64];
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63)
        la = 63;
    if (lb > 63)
        lb = 63;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned cost =
                tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            unsigned v = diag + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
        }
    }
    return row[lb];
}

void armcpu_suggest_init(armcpu_suggest *s, const char *want)
{
    memset(s, 0, sizeof *s);
    s->want = want;
}

void armcpu_suggest_offer(armcpu_suggest *s, const char *candidate)
{
    unsigned d = edit_distance(s->want, candidate);
    size_t len = strlen(candidate);
    /* A substring match is a strong hint (AES in ID_AA64ISAR0_EL1.AES). */
    if (strlen(s->want) >= 3 && strlen(s->want) <= len) {
        for (size_t i = 0; i + strlen(s->want) <= len; i++)
            if (!strncasecmp(candidate + i, s->want, strlen(s->want))) {
                d = 1;
                break;
            }
    }
    size_t limit = strlen(s->want) / 2 + 2;
    if (d > limit)
        return;
    size_t pos = s->n;
    while (pos > 0 && s->dist[pos - 1] > d)
        pos--;
    if (pos >= ARMCPU_SUGGEST_MAX)
        return;
    size_t last = s->n < ARMCPU_SUGGEST_MAX ? s->n : ARMCPU_SUGGEST_MAX - 1;
    for (size_t i = last; i > pos; i--) {
        s->best[i] = s->best[i - 1];
        s->dist[i] = s->dist[i - 1];
    }
    s->best[pos] = candidate;
    s->dist[pos] = d;
    if (s->n < ARMCPU_SUGGEST_MAX)
        s->n++;
}

void armcpu_suggest_format(const armcpu_suggest *s, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = 0;
    if (!s->n)
        return;
    size_t used = (size_t)snprintf(buf, size, "; did you mean: ");
    for (size_t i = 0; i < s->n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 i ? ", " : "", s->best[i]);
    if (used < size)
        snprintf(buf + used, size - used, "?");
}
