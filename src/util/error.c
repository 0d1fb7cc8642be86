/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
 * Case-insensitive Levenshtein distance between want (its first la <= 63
 * characters, lower-case, given by peq: per letter, a mask of its positions)
 * and b (its first 63 characters) when it is at most cut; cut + 1 when it is
 * larger.  Cheap bounds first (length difference, letters counted in 64
 * buckets), then Myers' bit-parallel algorithm, one word operation per
 * column, stopping once the distance cannot come back under cut.
 */
static unsigned bounded_distance(const uint64_t *peq, size_t la, const signed char *bag_a,
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
    /* Myers' bit-parallel edit distance (Hyyrö's form for whole strings):
     * bit i of VP / VN is the +1 / -1 step between rows i and i + 1 of the
     * current column; score is the last row. a is at most 63 long. */
    const uint64_t top = 1ULL << (la - 1);
    uint64_t vp = top | (top - 1), vn = 0;
    unsigned score = (unsigned)la;
    for (size_t j = 0; j < lb; j++) {
        uint64_t eq = peq[(unsigned char)lower[j]];
        uint64_t xv = eq | vn;
        uint64_t xh = (((eq & vp) + vp) ^ vp) | eq;
        uint64_t ph = vn | ~(xh | vp);
        uint64_t mh = vp & xh;
        if (ph & top)
            score++;
        else if (mh & top)
            score--;
        /* Each column left can lower the score by one at most. */
        if (score > cut + (lb - 1 - j))
            return cut + 1;
        ph = (ph << 1) | 1;
        mh <<= 1;
        vp = mh | ~(xv | ph);
        vn = ph & xv;
    }
    return score > cut ? cut + 1 : score;
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
        s->peq[(unsigned char)s->lower[i]] |= 1ULL << i;
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
        d = bounded_distance(s->peq, s->lower_len, s->bag, candidate, len, cut);
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
                   bounded_distance(s->peq, s->lower_len, s->bag, candidate, len, cut));
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

const char *armcpu_errno_name(int e, char *buf, size_t size)
{
    static const struct {
        int e;
        const char *name;
    } names[] = {
        {EPERM, "EPERM"},   {ENOENT, "ENOENT"}, {EINTR, "EINTR"},   {EIO, "EIO"},
        {ENXIO, "ENXIO"},   {E2BIG, "E2BIG"},   {EBADF, "EBADF"},   {EAGAIN, "EAGAIN"},
        {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"}, {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"},
        {EEXIST, "EEXIST"}, {ENODEV, "ENODEV"}, {EINVAL, "EINVAL"}, {ENFILE, "ENFILE"},
        {EMFILE, "EMFILE"}, {ENOTTY, "ENOTTY"}, {ENOSPC, "ENOSPC"}, {ERANGE, "ERANGE"},
        {ENOSYS, "ENOSYS"}, {ENOTSUP, "ENOTSUP"}, {ENOEXEC, "ENOEXEC"}, {ESRCH, "ESRCH"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].e == e)
            return names[i].name;
    snprintf(buf, size, "errno %d", e);
    return buf;
}

const void *armcpu_memmem(const void *hay, size_t hay_len, const void *needle, size_t n)
{
    const unsigned char *h = hay, *nd = needle;
    if (n == 0)
        return hay;
    for (size_t i = 0; i + n <= hay_len; i++) {
        const unsigned char *p = memchr(h + i, nd[0], hay_len - n + 1 - i);
        if (!p)
            return NULL;
        i = (size_t)(p - h);
        if (!memcmp(p, nd, n))
            return p;
    }
    return NULL;
}

const char *armcpu_version(void) { return ARMCPU_VERSION; }

void armcpu_free(void *p) { free(p); }
