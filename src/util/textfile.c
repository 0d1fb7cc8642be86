/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Text files: reading one whole with its size limit (armcpu_read_text_file)
 * and writing one atomically (armcpu_write_text_file: a temporary file
 * beside the target, flushed to disk, then renamed over it, so a reader
 * sees the old file or the whole new one, never a part). Both name what is
 * wrong: a directory, a missing directory, the system's reason.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* The directory part of path ("." when there is none), in buf. */
static const char *dir_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if (n >= size)
        n = size - 1;
    memcpy(buf, path, n);
    buf[n] = 0;
    return buf;
}

int armcpu_write_text_file(const char *path, const char *text, armcpu_error *err)
{
    if (!path || !*path || !text)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "write: no %s given",
                                text ? "file name" : "text");
    char dir[4096];
    struct stat st;
    if (!stat(path, &st) && S_ISDIR(st.st_mode))
        return armcpu_set_error(err, ARMCPU_ERR_IO, "%s: is a directory (give a file name)", path);
    const char *d = dir_of(path, dir, sizeof dir);
    if (stat(d, &st))
        return armcpu_set_error(err, ARMCPU_ERR_IO, "%s: cannot write: directory '%s' %s", path, d,
                                errno == ENOENT ? "does not exist" : strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return armcpu_set_error(err, ARMCPU_ERR_IO, "%s: cannot write: '%s' is not a directory",
                                path, d);
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    if (!tmp)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    snprintf(tmp, pl + 32, "%s.tmp.%ld", path, (long)getpid());
    int rc = ARMCPU_OK;
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        rc = armcpu_set_error(err, ARMCPU_ERR_IO, "%s: cannot write in directory '%s': %s", path,
                              d, strerror(errno));
    } else {
        bool ok = fputs(text, fp) >= 0;
        ok = (fflush(fp) == 0) && ok;
        ok = (fsync(fileno(fp)) == 0) && ok;
        ok = (fclose(fp) == 0) && ok;
        if (!ok || rename(tmp, path)) {
            rc = armcpu_set_error(err, ARMCPU_ERR_IO, "%s: cannot write: %s", path,
                                  strerror(errno));
            remove(tmp);
        }
    }
    free(tmp);
    return rc;
}

char *armcpu_read_text_file(const char *path, size_t limit, const char *what, size_t *len,
                            armcpu_error *err)
{
    struct stat st;
    if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
        armcpu_set_error(err, ARMCPU_ERR_IO, "%s: is a directory, not a file", path);
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        armcpu_set_error(err, ARMCPU_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(limit + 1);
    if (!buf) {
        fclose(fp);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    *len = fread(buf, 1, limit + 1, fp);
    int bad = ferror(fp) ? errno : 0;
    fclose(fp);
    if (bad) {
        free(buf);
        armcpu_set_error(err, ARMCPU_ERR_IO, "%s: read error: %s", path, strerror(bad));
        return NULL;
    }
    if (*len > limit) {
        free(buf);
        if (!stat(path, &st) && (uint64_t)st.st_size > limit)
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s: %llu bytes is larger than the %zu-byte limit for a %s", path,
                             (unsigned long long)st.st_size, limit, what);
        else
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s: more than %zu bytes, the limit for a %s", path, limit, what);
        return NULL;
    }
    buf[*len] = 0;
    return buf;
}
