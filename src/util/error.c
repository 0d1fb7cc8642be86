/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
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

/*
 * Case-insensitive Levenshtein distance between a (already lower-case) and
 * b, over the first 63 characters of each, when it is at most cut; cut + 1
 * when it is larger.  Only the diagonal band |i - j| <= cut is computed (a
 * cell outside it is more than cut) and the walk stops as soon as a whole
 * row of the band exceeds cut.
 */
static unsigned bounded_distance(const char *a, size_t la, const signed char *bag_a,
                                 const char *b, size_t lb, unsigned cut)
{
    if (lb > 63)
        lb = 63;
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > cut)
        return cut + 1;
    if (!la || !lb)
        return (unsigned)(la + lb);
    char lower[64];
    signed char bag[64];
    memcpy(bag, bag_a, sizeof bag);
    size_t common = 0;
    for (size_t j = 0; j < lb; j++) {
        lower[j] = (char)tolower((unsigned char)b[j]);
        if (bag[(unsigned char)lower[j] & 63]-- > 0)
            common++;
    }
    /* An edit changes each side's surplus of letters (counted in 64
     * buckets) by at most one: the larger surplus is a lower bound. */
    if (la - common > cut || lb - common > cut)
        return cut + 1;
    /* Ukkonen's band: a cell (i, j) on a path of cost <= cut lies on a
     * diagonal k = j - i with |k| + |lb - la - k| <= cut. */
    const unsigned far = cut + 1;
    long diff_ba = (long)lb - (long)la;
    long slack = ((long)cut - (diff_ba < 0 ? -diff_ba : diff_ba)) / 2;
    long kmin = (diff_ba < 0 ? diff_ba : 0) - slack;
    long kmax = (diff_ba > 0 ? diff_ba : 0) + slack;
    unsigned row[65];
    for (long j = 0; j <= (long)lb && j <= kmax; j++)
        row[j] = (unsigned)j;
    if (kmax + 1 <= (long)lb)
        row[kmax + 1] = far;
    for (long i = 1; i <= (long)la; i++) {
        long lo = i + kmin > 1 ? i + kmin : 1;
        long hi = i + kmax < (long)lb ? i + kmax : (long)lb;
        unsigned diag = row[lo - 1];
        row[lo - 1] = lo == 1 && i <= (long)cut ? (unsigned)i : far;
        unsigned best = far;
        if (lo == 1 && i <= (long)cut) { /* column 0: i deletions */
            long rest = (long)lb - ((long)la - i);
            best = (unsigned)i + (unsigned)(rest < 0 ? -rest : rest);
        }
        char ca = a[i - 1];
        for (long j = lo; j <= hi; j++) {
            unsigned up = row[j];
            unsigned v = diag + (ca != lower[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (v > far)
                v = far;
            row[j] = v;
            long rest = ((long)lb - j) - ((long)la - i);
            unsigned bound = v + (unsigned)(rest < 0 ? -rest : rest);
            if (bound < best)
                best = bound;
            diag = up;
        }
        if (hi + 1 <= (long)lb)
            row[hi + 1] = far;
        if (best > cut)
            return far;
    }
    return row[lb] > far ? far : row[lb];
}

void armcpu_suggest_init(armcpu_suggest *s, const char *want)
{
    memset(s, 0, sizeof *s);
    s->want = want;
    s->want_len = strlen(want);
    size_t n = s->want_len > 63 ? 63 : s->want_len;
    for (size_t i = 0; i < n; i++) {
        s->lower[i] = (char)tolower((unsigned char)want[i]);
        s->bag[(unsigned char)s->lower[i] & 63]++;
        s->mask |= 1ULL << ((unsigned char)s->lower[i] & 63);
    }
    s->lower[n] = 0;
    s->lower_len = n;
}

/* want occurs in candidate (case-insensitive); want is at least 3 long. */
static int has_substring(const armcpu_suggest *s, const char *candidate, size_t len)
{
    size_t wl = s->want_len;
    unsigned char first = (unsigned char)s->lower[0];
    for (size_t i = 0; i + wl <= len; i++)
        if ((unsigned char)tolower((unsigned char)candidate[i]) == first &&
            !strncasecmp(candidate + i, s->want, wl))
            return 1;
    return 0;
}

static unsigned popcount64(uint64_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_popcountll(x);
#else
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
#endif
}

uint64_t armcpu_suggest_mask(const char *name, size_t len)
{
    uint64_t m = 0;
    for (size_t i = 0; i < len && i < 63; i++)
        m |= 1ULL << ((unsigned char)tolower((unsigned char)name[i]) & 63);
    return m;
}

/* The cut-off for the next candidate: a candidate is kept when d <= limit
 * and it beats the worst of a full list, so nothing farther than the cut
 * can change the result. Returns false when no candidate can be kept. */
static bool suggest_cut(const armcpu_suggest *s, unsigned *cut)
{
    size_t limit = s->want_len / 2 + 2;
    *cut = limit > 64 ? 64 : (unsigned)limit;
    if (s->n >= ARMCPU_SUGGEST_MAX) {
        unsigned worst = s->dist[ARMCPU_SUGGEST_MAX - 1];
        if (!worst)
            return false;
        if (worst - 1 < *cut)
            *cut = worst - 1;
    }
    return true;
}

static void suggest_insert(armcpu_suggest *s, const char *candidate, unsigned d)
{
    size_t limit = s->want_len / 2 + 2;
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

void armcpu_suggest_offer(armcpu_suggest *s, const char *candidate)
{
    unsigned cut;
    if (!suggest_cut(s, &cut))
        return;
    unsigned d;
    size_t len = strlen(candidate);
    /* A substring match is a strong hint (AES in ID_AA64ISAR0_EL1.AES). */
    if (s->want_len >= 3 && s->want_len <= len && has_substring(s, candidate, len))
        d = 1;
    else
        d = bounded_distance(s->lower, s->lower_len, s->bag, candidate, len, cut);
    suggest_insert(s, candidate, d);
}

void armcpu_suggest_offer_masked(armcpu_suggest *s, const char *candidate, size_t len,
                                 uint64_t mask)
{
    unsigned cut;
    if (!suggest_cut(s, &cut))
        return;
    /* A letter bucket of want missing from the candidate rules out a
     * substring; each bucket one side lacks costs at least one edit. */
    if (s->want_len >= 3 && s->want_len <= len && (len > 63 || !(s->mask & ~mask)) &&
        has_substring(s, candidate, len)) {
        suggest_insert(s, candidate, 1);
        return;
    }
    if (popcount64(s->mask & ~mask) > cut || popcount64(mask & ~s->mask) > cut)
        return;
    suggest_insert(s, candidate,
                   bounded_distance(s->lower, s->lower_len, s->bag, candidate, len, cut));
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
