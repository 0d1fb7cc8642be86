/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fleets: host classes (identical snapshots folded, with a count), read
 * from snapshots, directories, and lines of text (JSON Lines or host
 * arguments); the register views every fleet operation judges over.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fleet_internal.h"
#include "../util/jsonscan.h"

/* ------------------------------------------------------------ helpers */

const char *armcpu_answer_name(armcpu_answer a)
{
    return a == ARMCPU_ANSWER_YES ? "usable" : a == ARMCPU_ANSWER_UNKNOWN ? "unknown" : "blocked";
}

armcpu_answer armcpu_answer_of(size_t blockers, size_t unknown)
{
    return blockers ? ARMCPU_ANSWER_NO : unknown ? ARMCPU_ANSWER_UNKNOWN : ARMCPU_ANSWER_YES;
}

/* ------------------------------------------------------------ fleets */

armcpu_fleet *armcpu_fleet_new(void) { return calloc(1, sizeof(armcpu_fleet)); }

void armcpu_fleet_free(armcpu_fleet *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        armcpu_host_free(f->cls[i].host);
    for (size_t i = 0; i < f->n_lines; i++)
        free(f->lines[i].key);
    free(f->cls);
    free(f->index);
    free(f->lines);
    free(f->lindex);
    free(f);
}

size_t armcpu_fleet_host_count(const armcpu_fleet *f) { return f->hosts; }
size_t armcpu_fleet_class_count(const armcpu_fleet *f) { return f->n; }

const armcpu_host *armcpu_fleet_class_host(const armcpu_fleet *f, size_t i)
{
    return i < f->n ? f->cls[i].host : NULL;
}

size_t armcpu_fleet_class_size(const armcpu_fleet *f, size_t i)
{
    return i < f->n ? f->cls[i].count : 0;
}

/* Rebuilds an open-addressing table of `n` entries keyed by hash(i). */
static bool rehash(size_t **index, size_t *cap, size_t n, uint64_t (*hash)(const void *, size_t),
                   const void *ctx)
{
    size_t nc = *cap ? *cap : 64;
    while (nc < 2 * (n + 1))
        nc *= 2;
    size_t *ni = calloc(nc, sizeof *ni);
    if (!ni)
        return false;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)hash(ctx, i) & (nc - 1);
        while (ni[k])
            k = (k + 1) & (nc - 1);
        ni[k] = i + 1;
    }
    free(*index);
    *index = ni;
    *cap = nc;
    return true;
}

static uint64_t class_hash(const void *f, size_t i)
{
    return ((const armcpu_fleet *)f)->cls[i].hash;
}

/* The class of a snapshot (adding a copy when new); SIZE_MAX on error. */
static size_t class_of(armcpu_fleet *f, const armcpu_host *h, size_t count, bool take,
                       armcpu_error *err)
{
    uint64_t hash = armcpu_host_hash(h);
    if (f->index_cap) {
        for (size_t k = (size_t)hash & (f->index_cap - 1); f->index[k];
             k = (k + 1) & (f->index_cap - 1)) {
            struct fleet_class *c = &f->cls[f->index[k] - 1];
            if (c->hash == hash && armcpu_host_same(c->host, h)) {
                c->count += count;
                f->hosts += count;
                if (take)
                    armcpu_host_free((armcpu_host *)h);
                return f->index[k] - 1;
            }
        }
    }
    struct fleet_class *ncls = armcpu_grow(f->cls, &f->cap, f->n, sizeof *ncls, 16);
    if (!ncls)
        goto oom;
    f->cls = ncls;
    armcpu_host *copy = take ? (armcpu_host *)h : armcpu_host_dup(h, err);
    if (!copy)
        return SIZE_MAX;
    f->cls[f->n] = (struct fleet_class){copy, count, hash};
    f->n++;
    f->hosts += count;
    if (2 * (f->n + 1) > f->index_cap) {
        if (!rehash(&f->index, &f->index_cap, f->n, class_hash, f))
            goto oom;
    } else {
        size_t k = (size_t)hash & (f->index_cap - 1);
        while (f->index[k])
            k = (k + 1) & (f->index_cap - 1);
        f->index[k] = f->n;
    }
    return f->n - 1;
oom:
    if (take)
        armcpu_host_free((armcpu_host *)h);
    armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return SIZE_MAX;
}

int armcpu_fleet_add(armcpu_fleet *f, const armcpu_host *h, size_t count, armcpu_error *err)
{
    if (!count)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "a host class needs a count of 1 or more");
    return class_of(f, h, count, false, err) == SIZE_MAX ? (err ? err->code : ARMCPU_ERR_NOMEM)
                                                         : ARMCPU_OK;
}

armcpu_fleet *armcpu_fleet_with_kernel(const armcpu_fleet *f, const char *version,
                                       armcpu_error *err)
{
    armcpu_fleet *out = armcpu_fleet_new();
    if (!out) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < f->n; i++) {
        armcpu_host *h = armcpu_host_dup(f->cls[i].host, err);
        if (h && armcpu_host_apply_kernel(h, version, err)) {
            armcpu_host_free(h);
            h = NULL;
        }
        /* class_of takes h, freed on failure */
        if (!h || class_of(out, h, f->cls[i].count, true, err) == SIZE_MAX) {
            armcpu_fleet_free(out);
            return NULL;
        }
    }
    return out;
}

/* The fleet as vCPUs without the features some member cannot give: a host
 * measured with SVE (PMU, pointer auth) on whose values show none lacks it,
 * so a spec for every member has none, and each other member's view becomes
 * that of a vCPU created without it (armcpu_host_for_vcpu), in *out; NULL
 * there: nothing to drop. A host measured with a feature off says nothing
 * of it and forces nothing. */
int fleet_common_vcpu(const armcpu_fleet *f, armcpu_fleet **result, armcpu_error *err)
{
    static const unsigned all = ARMCPU_VCPU_SVE | ARMCPU_VCPU_PMU | ARMCPU_VCPU_PTRAUTH;
    unsigned drop = 0;
    *result = NULL;
    /* a host lacks a feature it was measured with when the register that
     * shows it is present and known and shows none (a snapshot without the
     * register says nothing) */
    static const struct {
        unsigned bit;
        const char *reg;
    } shows[] = {{ARMCPU_VCPU_SVE, "ID_AA64PFR0_EL1"},
                 {ARMCPU_VCPU_PMU, "ID_AA64DFR0_EL1"},
                 {ARMCPU_VCPU_PTRAUTH, "ID_AA64ISAR1_EL1"}};
    for (size_t i = 0; i < f->n; i++) {
        const armcpu_host *h = f->cls[i].host;
        const uint64_t *v, *m;
        const armcpu_reg_state *st;
        armcpu_host_arrays(h, &v, &m, &st);
        unsigned lacks = armcpu_host_view_config(h) & all & ~armcpu_vcpu_features_of(v);
        for (size_t k = 0; k < sizeof shows / sizeof shows[0]; k++) {
            const armcpu_reg *r = armcpu_reg_by_name(shows[k].reg, NULL);
            if (!r || armcpu_host_reg_state(h, r) != ARMCPU_REG_PRESENT ||
                armcpu_host_reg_unknown(h, r))
                lacks &= ~shows[k].bit;
        }
        drop |= lacks;
    }
    /* Pointer auth whose algorithm differs between members (QARMA3 on one,
     * QARMA5 on another: APA 3 vs 5), where no kernel lets userspace write
     * it: no spec with it runs on both, one without it does. */
    for (size_t ri = 0; ri < armcpu_idregs_count && !(drop & ARMCPU_VCPU_PTRAUTH); ri++) {
        const armcpu_reg *r = &armcpu_idregs[ri];
        for (size_t j = 0; j < r->n_fields; j++) {
            const armcpu_field *fl = &r->fields[j];
            if (!(fl->groups & 1u << ARMCPU_GROUP_PAUTH)) /* APA, API, GPA, GPI, APA3, GPA3 */
                continue;
            bool seen = false, differ = false, writable = true;
            uint64_t first = 0;
            for (size_t i = 0; i < f->n; i++) {
                const armcpu_host *h = f->cls[i].host;
                if (!(armcpu_host_view_config(h) & ARMCPU_VCPU_PTRAUTH) ||
                    armcpu_host_reg_state(h, r) != ARMCPU_REG_PRESENT)
                    continue;
                uint64_t x = armcpu_field_get(fl, armcpu_host_reg_value(h, r));
                differ |= seen && x != first;
                first = seen ? first : x;
                seen = true;
                writable &= armcpu_host_field_writable(h, fl);
            }
            if (differ && !writable)
                drop |= ARMCPU_VCPU_PTRAUTH;
        }
    }
    if (!drop)
        return ARMCPU_OK;
    armcpu_fleet *out = armcpu_fleet_new();
    if (!out)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < f->n; i++) {
        const armcpu_host *h0 = f->cls[i].host;
        armcpu_host *h = armcpu_host_for_vcpu(h0, armcpu_host_view_config(h0) & all & ~drop, err);
        if (!h || class_of(out, h, f->cls[i].count, true, err) == SIZE_MAX) {
            armcpu_fleet_free(out);
            return err ? err->code : ARMCPU_ERR_NOMEM;
        }
    }
    *result = out;
    return ARMCPU_OK;
}

/* CNTFRQ_EL0: a guest reads the hardware's counter frequency and no ONE_REG
 * sets it, so hosts whose measured frequencies differ cannot share a
 * running guest whatever the ID registers say. True (text in t) when a and
 * b both say theirs and they differ. */
bool cntfrq_conflict(const armcpu_host *a, const armcpu_host *b, char *t, size_t size)
{
    uint64_t fa, fb;
    if (!armcpu_host_cntfrq(a, &fa) || !armcpu_host_cntfrq(b, &fb) || fa == fb)
        return false;
    snprintf(t, size,
             "CNTFRQ_EL0: the counter frequency differs (%s %llu Hz, %s %llu Hz); a guest reads "
             "the hardware's and no KVM register sets it: a running guest cannot move between them",
             armcpu_host_name(a), (unsigned long long)fa, armcpu_host_name(b), (unsigned long long)fb);
    return true;
}

/* ------------------------------------------------------------ JSON Lines */

/* The line's folding key: valid JSON with exactly one top-level plain
 * "name" whose value is a valid host name; the key is the text without
 * that value. False when the line must be loaded in full. */
static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

#define MAX_KEY_NAME 64

static bool line_key_of(const char *line, size_t len, const char **name, size_t *name_len)
{
    struct armcpu_json_scan s = {.dup_keys = false};
    if (!armcpu_json_scan(line, len, &s) || s.names != 1 || !s.name || !s.name_plain ||
        s.name_len == 0 || s.name_len > MAX_KEY_NAME)
        return false;
    for (size_t i = 0; i < s.name_len; i++)
        if (!name_char(s.name[i]))
            return false;
    *name = s.name;
    *name_len = s.name_len;
    return true;
}

/* A hash of n bytes, eight at a time (the lines are kilobytes long): each
 * word is mixed in with a multiply and a rotation, the tail byte-wise. */
static uint64_t text_hash(uint64_t x, const char *p, size_t n)
{
    const uint64_t k = 0x9e3779b97f4a7c15ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        x = ((x ^ w) * k);
        x ^= x >> 29;
    }
    for (; i < n; i++)
        x = (x ^ (unsigned char)p[i]) * 0x100000001b3ULL;
    return x ^ (x >> 32);
}

static uint64_t lines_hash(const void *f, size_t i)
{
    return ((const armcpu_fleet *)f)->lines[i].hash;
}

/* Lines whose key is cached join their class unparsed; at most this many
 * distinct keys are kept (a fleet of all-different snapshots is parsed in
 * full, as without the cache). */
#define MAX_LINE_KEYS 4096

static uint64_t key_hash(const char *line, size_t len, size_t pre, size_t nlen)
{
    return text_hash(text_hash(0xcbf29ce484222325ULL, line, pre), line + pre + nlen,
                     len - pre - nlen);
}

/* The cached key equal to the line without its name (at pre, nlen long),
 * or NULL. */
static const struct line_key *cached_key(const armcpu_fleet *f, const char *line, size_t len,
                                         size_t pre, size_t nlen, uint64_t hash)
{
    for (size_t k = f->lindex_cap ? (size_t)hash & (f->lindex_cap - 1) : 0;
         f->lindex_cap && f->lindex[k]; k = (k + 1) & (f->lindex_cap - 1)) {
        const struct line_key *lk = &f->lines[f->lindex[k] - 1];
        if (lk->hash == hash && lk->len == len - nlen && lk->name_at == pre &&
            !memcmp(lk->key, line, pre) &&
            !memcmp(lk->key + pre, line + pre + nlen, len - pre - nlen))
            return lk;
    }
    return NULL;
}

/*
 * Before any parsing: a line that is a cached key with a host name put in
 * at the key's name offset is valid and means the same snapshot (the
 * bytes before the name are those of a valid line, so a scan reaches the
 * name in the same state; a name of name characters ends at a quote; the
 * rest is again that line's). Most lines of a large fleet end here.
 */
static const struct line_key *cached_line(const armcpu_fleet *f, const char *line, size_t len)
{
    for (size_t i = 0; i < f->n_name_at; i++) {
        size_t pre = f->name_at[i], n = 0;
        if (pre >= len)
            continue;
        while (n <= MAX_KEY_NAME && pre + n < len && name_char(line[pre + n]))
            n++;
        if (n == 0 || n > MAX_KEY_NAME || pre + n >= len || line[pre + n] != '"')
            continue;
        const struct line_key *lk = cached_key(f, line, len, pre, n, key_hash(line, len, pre, n));
        if (lk)
            return lk;
    }
    return NULL;
}

static int add_json_line(armcpu_fleet *f, const char *line, size_t len, const char *origin,
                         size_t ln, armcpu_error *err)
{
    const struct line_key *hit = cached_line(f, line, len);
    if (hit) {
        f->cls[hit->cls].count++;
        f->hosts++;
        return ARMCPU_OK;
    }
    const char *name = NULL;
    size_t nlen = 0;
    bool keyed = line_key_of(line, len, &name, &nlen);
    uint64_t hash = 0;
    size_t pre = 0;
    if (keyed) {
        pre = (size_t)(name - line);
        hash = key_hash(line, len, pre, nlen);
        if ((hit = cached_key(f, line, len, pre, nlen, hash))) {
            f->cls[hit->cls].count++;
            f->hosts++;
            return ARMCPU_OK;
        }
    }
    char where[300];
    snprintf(where, sizeof where, "%s:%zu", origin, ln);
    armcpu_host *h = armcpu_host_load_json(line, len, where, err);
    if (!h)
        return err ? err->code : ARMCPU_ERR_INVALID;
    size_t c = class_of(f, h, 1, true, err);
    if (c == SIZE_MAX)
        return err ? err->code : ARMCPU_ERR_NOMEM;
    if (!keyed || f->n_lines >= MAX_LINE_KEYS)
        return ARMCPU_OK;
    struct line_key *nl = armcpu_grow(f->lines, &f->lines_cap, f->n_lines, sizeof *nl, 16);
    if (!nl)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    f->lines = nl;
    char *key = malloc(len - nlen + 1);
    if (!key)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    memcpy(key, line, pre);
    memcpy(key + pre, name + nlen, len - pre - nlen);
    f->lines[f->n_lines++] = (struct line_key){hash, key, len - nlen, pre, c};
    size_t a = 0;
    while (a < f->n_name_at && f->name_at[a] != pre)
        a++;
    if (a == f->n_name_at && a < sizeof f->name_at / sizeof f->name_at[0])
        f->name_at[f->n_name_at++] = pre;
    if (2 * (f->n_lines + 1) > f->lindex_cap) {
        if (!rehash(&f->lindex, &f->lindex_cap, f->n_lines, lines_hash, f))
            return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    } else {
        size_t k = (size_t)hash & (f->lindex_cap - 1);
        while (f->lindex[k])
            k = (k + 1) & (f->lindex_cap - 1);
        f->lindex[k] = f->n_lines;
    }
    return ARMCPU_OK;
}

/* One line: a JSON snapshot, a host argument, or nothing. */
static int add_line(armcpu_fleet *f, const char *line, size_t len, const char *origin, size_t ln,
                    armcpu_error *err)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    size_t lead = 0;
    while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
        lead++;
    if (lead == len || line[lead] == '#')
        return ARMCPU_OK;
    if (line[lead] == '{')
        return add_json_line(f, line + lead, len - lead, origin, ln, err);
    if (len - lead > 4096)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s:%zu: a host argument of %zu bytes (at most 4096)", origin, ln,
                                len - lead);
    char arg[4097];
    memcpy(arg, line + lead, len - lead);
    arg[len - lead] = 0;
    armcpu_error e = {0};
    armcpu_host *h = armcpu_host_open(arg, &e);
    if (!h)
        return armcpu_set_error(err, e.code, "%s:%zu: %s", origin, ln, e.message);
    return class_of(f, h, 1, true, err) == SIZE_MAX ? (err ? err->code : ARMCPU_ERR_NOMEM)
                                                     : ARMCPU_OK;
}

int armcpu_fleet_add_lines(armcpu_fleet *f, const char *text, size_t len, const char *origin,
                           armcpu_error *err)
{
    size_t ln = 0, before = f->hosts;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int rc = add_line(f, p, ll, origin, ++ln, err);
        if (rc)
            return rc;
        p += ll + (nl != NULL);
    }
    if (f->hosts == before)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s: no host (expected one JSON snapshot or one host name or "
                                "file per line)",
                                origin);
    return ARMCPU_OK;
}

int armcpu_fleet_add_stream(armcpu_fleet *f, FILE *fp, const char *origin, armcpu_error *err)
{
    char *line = NULL;
    size_t cap = 0, ln = 0, before = f->hosts;
    ssize_t n;
    int rc = ARMCPU_OK;
    errno = 0;
    while ((n = getline(&line, &cap, fp)) >= 0) {
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        if ((rc = add_line(f, line, len, origin, ++ln, err)))
            break;
    }
    if (!rc && ferror(fp))
        rc = armcpu_set_error(err, ARMCPU_ERR_IO, "%s: read error after line %zu: %s", origin, ln,
                              strerror(errno ? errno : EIO));
    free(line);
    if (!rc && f->hosts == before)
        rc = armcpu_set_error(err, ARMCPU_ERR_INVALID,
                              "%s: no host (expected one JSON snapshot or one host name or file "
                              "per line)",
                              origin);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int armcpu_fleet_add_dir(armcpu_fleet *f, const char *dir, armcpu_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return armcpu_set_error(err, errno == ENOENT || errno == ENOTDIR ? ARMCPU_ERR_INVALID
                                                                         : ARMCPU_ERR_IO,
                                "%s: cannot open the directory: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = ARMCPU_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") || e->d_name[0] == '.')
            continue;
        char **nn = armcpu_grow(names, &cap, n, sizeof *nn, 64);
        if (!nn) {
            rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            break;
        }
        names = nn;
        size_t dl = strlen(dir);
        char *path = malloc(dl + l + 2);
        if (!path) {
            rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            break;
        }
        snprintf(path, dl + l + 2, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", e->d_name);
        names[n++] = path;
    }
    closedir(d);
    if (!rc && n == 0)
        rc = armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: no *.json snapshot in the directory",
                              dir);
    if (!rc)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && !rc; i++) {
        armcpu_host *h = armcpu_host_load_file(names[i], err);
        if (!h || class_of(f, h, 1, true, err) == SIZE_MAX)
            rc = err ? err->code : ARMCPU_ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int armcpu_fleet_add_path(armcpu_fleet *f, const char *path, armcpu_error *err)
{
    if (!strcmp(path, "-"))
        return armcpu_fleet_add_stream(f, stdin, "standard input", err);
    struct stat st;
    if (stat(path, &st))
        return armcpu_set_error(err, errno == ENOENT ? ARMCPU_ERR_INVALID : ARMCPU_ERR_IO,
                                "%s: %s (expected a directory of snapshots, a file with one host "
                                "per line, or - for standard input)",
                                path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return armcpu_fleet_add_dir(f, path, err);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return armcpu_set_error(err, ARMCPU_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    int rc = armcpu_fleet_add_stream(f, fp, path, err);
    fclose(fp);
    return rc;
}

/* ------------------------------------------------------------ views */

/* The groups a register's fields belong to: only those bits of a host's
 * features_off matter to its fields. */
static unsigned reg_groups(const armcpu_reg *r)
{
    unsigned g = 0;
    for (unsigned i = 0; i < 4; i++)
        if (r->group_mask[i])
            g |= 1u << i;
    return g;
}

static uint64_t view_hash(const armcpu_reg_view *v)
{
    uint64_t x = 0xcbf29ce484222325ULL;
    uint64_t parts[8] = {v->state,  v->value,           v->writable,       v->features_off,
                         v->kernel, v->rule_host_state, v->rule_host_value, v->unknown};
    for (int i = 0; i < 8; i++) {
        x ^= parts[i];
        x *= 0x100000001b3ULL;
        x ^= parts[i] >> 32;
        x *= 0x100000001b3ULL;
    }
    return x;
}

static bool view_same(const armcpu_reg_view *a, const armcpu_reg_view *b)
{
    return a->state == b->state && a->value == b->value && a->writable == b->writable &&
           a->features_off == b->features_off && a->kernel == b->kernel &&
           a->rule_host_state == b->rule_host_state && a->rule_host_value == b->rule_host_value &&
           a->unknown == b->unknown;
}

static uint64_t rv_hash(const void *rv, size_t i)
{
    return view_hash(&((const struct reg_views *)rv)->v[i].v);
}

void views_free(struct views *vs)
{
    if (!vs->reg)
        return;
    for (size_t i = 0; i < vs->n_regs; i++) {
        free(vs->reg[i].v);
        free(vs->reg[i].index);
    }
    free(vs->reg);
    vs->reg = NULL;
}

int views_build(struct views *vs, const armcpu_fleet *f, armcpu_error *err)
{
    vs->n_regs = armcpu_reg_count();
    vs->reg = calloc(vs->n_regs, sizeof *vs->reg);
    if (!vs->reg)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    for (size_t ri = 0; ri < vs->n_regs; ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        struct reg_views *rv = &vs->reg[ri];
        unsigned groups = reg_groups(r);
        for (size_t c = 0; c < f->n; c++) {
            armcpu_reg_view v;
            armcpu_host_reg_view(f->cls[c].host, r, &v);
            v.features_off &= groups;
            if (v.state != ARMCPU_REG_PRESENT)
                v.value = v.writable = v.unknown = 0;
            uint64_t h = view_hash(&v);
            size_t found = SIZE_MAX;
            for (size_t k = rv->index_cap ? (size_t)h & (rv->index_cap - 1) : 0;
                 rv->index_cap && rv->index[k]; k = (k + 1) & (rv->index_cap - 1))
                if (view_same(&rv->v[rv->index[k] - 1].v, &v)) {
                    found = rv->index[k] - 1;
                    break;
                }
            if (found != SIZE_MAX) {
                rv->v[found].hosts += f->cls[c].count;
                continue;
            }
            struct view *nv = armcpu_grow(rv->v, &rv->cap, rv->n, sizeof *nv, 4);
            if (!nv)
                goto oom;
            rv->v = nv;
            rv->v[rv->n++] = (struct view){v, f->cls[c].count, c};
            if (2 * (rv->n + 1) > rv->index_cap) {
                if (!rehash(&rv->index, &rv->index_cap, rv->n, rv_hash, rv))
                    goto oom;
            } else {
                size_t k = (size_t)h & (rv->index_cap - 1);
                while (rv->index[k])
                    k = (k + 1) & (rv->index_cap - 1);
                rv->index[k] = rv->n;
            }
        }
    }
    return ARMCPU_OK;
oom:
    views_free(vs);
    return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
}

int fleet_config_common(const armcpu_host *const *hs, size_t n, armcpu_config item,
                        uint64_t *common, bool *differ, char **conflict)
{
    uint64_t m = 0, v, v0 = 0;
    char why[320] = "";
    bool ok = true;
    *differ = false;
    *conflict = NULL;
    for (size_t k = 0; k < n; k++)
        if (!armcpu_host_config(hs[k], item, NULL))
            return (int)k;
    armcpu_host_config(hs[0], item, &v0);
    m = v0;
    unsigned k0 = armcpu_host_kernel_key(hs[0]);
    for (size_t k = 1; k < n && ok; k++) {
        unsigned kk = armcpu_host_kernel_key(hs[k]);
        armcpu_host_config(hs[k], item, &v);
        *differ |= v != v0;
        ok = armcpu_config_meet(item, m, v, k0 && kk ? (k0 < kk ? k0 : kk) : k0 | kk, &m, why,
                                sizeof why);
    }
    /* the common value, judged on every member as its check will */
    for (size_t k = 0; k < n && ok; k++) {
        armcpu_host_config(hs[k], item, &v);
        ok = !armcpu_verdict_blocks(
            armcpu_config_judge(item, m, true, v, armcpu_host_kernel_key(hs[k]), why, sizeof why));
    }
    if (ok) {
        *common = m;
        return -1;
    }
    struct strbuf t = {0};
    sb_add(&t, "%s: no value every host takes:", armcpu_config_name(item));
    for (size_t k = 0; k < n; k++) {
        char hv[96];
        armcpu_host_config(hs[k], item, &v);
        armcpu_config_format(item, v, hv, sizeof hv);
        sb_add(&t, " %s %s;", armcpu_host_name(hs[k]), hv);
    }
    sb_add(&t, " %s", why);
    *conflict = sb_take(&t);
    return *conflict ? -1 : -2;
}
