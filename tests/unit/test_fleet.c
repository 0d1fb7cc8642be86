/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fleets read from JSON Lines: the reader's shortcut for lines that repeat
 * an earlier snapshot under another name must give what loading every line
 * on its own gives (same classes, same counts, the same lines refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "armcpu/fleet.h"

/* An embedded snapshot as one line, split around its name's characters. */
struct line_parts {
    char *pre, *post;
};

static struct line_parts parts_of(const char *snapshot, const char *edit_from, const char *edit_to)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open(snapshot, &err);
    assert_non_null(h);
    char *text = armcpu_host_to_json(h);
    assert_non_null(text);
    armcpu_host_free(h);
    /* one line: the newlines are all between tokens */
    size_t n = 0;
    for (char *p = text; *p; p++)
        if (*p != '\n')
            text[n++] = *p;
    text[n] = 0;
    if (edit_from) {
        char *at = strstr(text, edit_from);
        assert_non_null(at);
        size_t fl = strlen(edit_from), tl = strlen(edit_to);
        char *t2 = malloc(n - fl + tl + 1);
        assert_non_null(t2);
        memcpy(t2, text, (size_t)(at - text));
        memcpy(t2 + (at - text), edit_to, tl);
        strcpy(t2 + (at - text) + tl, at + fl);
        armcpu_free(text);
        text = t2;
    }
    char key[128];
    snprintf(key, sizeof key, "\"name\": \"%s\"", snapshot);
    char *at = strstr(text, key);
    assert_non_null(at);
    size_t pre = (size_t)(at - text) + strlen("\"name\": \"");
    struct line_parts lp = {strndup(text, pre), strdup(at + strlen(key) - 1)};
    assert_non_null(lp.pre);
    assert_non_null(lp.post);
    free(text);
    return lp;
}

static char *line_with(const struct line_parts *lp, const char *name)
{
    size_t n = strlen(lp->pre) + strlen(name) + strlen(lp->post) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%s%s%s", lp->pre, name, lp->post);
    return s;
}

/* The reference: every line loaded in full, then added. */
static armcpu_fleet *fleet_line_by_line(char **lines, size_t n, int *rc)
{
    armcpu_fleet *f = armcpu_fleet_new();
    assert_non_null(f);
    *rc = 0;
    for (size_t i = 0; i < n && !*rc; i++) {
        armcpu_error err = {0};
        armcpu_host *h = armcpu_host_load_json(lines[i], strlen(lines[i]), "line", &err);
        if (!h) {
            *rc = err.code ? err.code : -1;
            break;
        }
        *rc = armcpu_fleet_add(f, h, 1, &err);
        armcpu_host_free(h);
    }
    return f;
}

static armcpu_fleet *fleet_from_text(char **lines, size_t n, int *rc, armcpu_error *err)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(lines[i]) + 1;
    char *text = malloc(len + 1), *p = text;
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s\n", lines[i]);
    armcpu_fleet *f = armcpu_fleet_new();
    assert_non_null(f);
    *rc = armcpu_fleet_add_lines(f, text, len, "fleet.jsonl", err);
    free(text);
    return f;
}

static void assert_same_fleet(char **lines, size_t n)
{
    int rc_ref, rc;
    armcpu_error err = {0};
    armcpu_fleet *ref = fleet_line_by_line(lines, n, &rc_ref);
    armcpu_fleet *got = fleet_from_text(lines, n, &rc, &err);
    if ((rc != 0) != (rc_ref != 0))
        fail_msg("lines read %s, loaded one by one %s (%s)", rc ? "refused" : "accepted",
                 rc_ref ? "refused" : "accepted", err.message);
    if (!rc) {
        assert_int_equal(armcpu_fleet_host_count(got), armcpu_fleet_host_count(ref));
        assert_int_equal(armcpu_fleet_class_count(got), armcpu_fleet_class_count(ref));
        for (size_t i = 0; i < armcpu_fleet_class_count(ref); i++)
            assert_int_equal(armcpu_fleet_class_size(got, i), armcpu_fleet_class_size(ref, i));
    }
    armcpu_fleet_free(ref);
    armcpu_fleet_free(got);
}

static void free_parts(struct line_parts *lp)
{
    free(lp->pre);
    free(lp->post);
}

/* After a first line is cached, every name variant and every edit of the
 * rest of the line is judged as if it stood alone. */
static void test_cached_lines_mean_what_they_say(void **state)
{
    (void)state;
    struct line_parts g3 = parts_of("graviton3-linux-6.12", NULL, NULL);
    struct line_parts g4 = parts_of("graviton4-linux-6.12", NULL, NULL);
    /* the same host with another REVIDR: another class */
    struct line_parts g3r = parts_of("graviton3-linux-6.12", "\"REVIDR_EL1\": {      \"value\": \"0x0000000000000001\"",
                                     "\"REVIDR_EL1\": {      \"value\": \"0x0000000000000002\"");
    char a64[66], a65[67];
    memset(a64, 'a', 64);
    a64[64] = 0;
    memset(a65, 'a', 65);
    a65[65] = 0;
    const char *names[] = {
        "h1", "h-2.x_y", "", a64, a65, "h 1", "h\\u0041", "h\\\"x", "h\"",
        /* a key slipped in through the name: valid JSON, another snapshot */
        "h\"   ,\"extra\": \"",
        "h\", \"name\": \"again", /* a second name */
        "h\u00e9",                /* non-ASCII */
        "h\t",                    /* a control character */
    };
    size_t nn = sizeof names / sizeof names[0];
    const struct line_parts *bases[] = {&g3, &g4, &g3r};
    for (size_t b = 0; b < 3; b++)
        for (size_t i = 0; i < nn; i++) {
            /* cached first under a plain name, then the variant, then both
             * other snapshots and the variant again */
            char *lines[6] = {
                line_with(bases[b], "first"), line_with(bases[b], names[i]),
                line_with(bases[(b + 1) % 3], "x1"), line_with(bases[(b + 2) % 3], "x2"),
                line_with(bases[b], names[i]), line_with(bases[b], "last"),
            };
            assert_same_fleet(lines, 6);
            /* and the variant first, before anything is cached */
            assert_same_fleet(lines + 1, 5);
            for (size_t k = 0; k < 6; k++)
                free(lines[k]);
        }
    /* edits after the name: a truncated line, a duplicate key, trailing text */
    const char *tails[] = {"}", ",\"name\": \"dup\"}", "} x", "}}", " }"};
    for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
        struct line_parts edited = {g3.pre, NULL};
        size_t pl = strlen(g3.post);
        edited.post = malloc(pl + 32);
        assert_non_null(edited.post);
        memcpy(edited.post, g3.post, pl - 1); /* without the final '}' */
        strcpy(edited.post + pl - 1, tails[t]);
        char *lines[3] = {line_with(&g3, "first"), line_with(&edited, "h2"),
                          line_with(&g3, "h3")};
        assert_same_fleet(lines, 3);
        for (size_t k = 0; k < 3; k++)
            free(lines[k]);
        free(edited.post);
    }
    free_parts(&g3);
    free_parts(&g4);
    free_parts(&g3r);
}

/* A large fleet of two snapshots folds into two classes with the counts. */
static void test_many_lines_fold(void **state)
{
    (void)state;
    struct line_parts g3 = parts_of("graviton3-linux-6.12", NULL, NULL);
    struct line_parts g4 = parts_of("graviton4-linux-6.12", NULL, NULL);
    size_t n = 3000;
    char **lines = malloc(n * sizeof *lines);
    assert_non_null(lines);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "host-%05zu", i);
        lines[i] = line_with(i % 3 == 2 ? &g4 : &g3, name);
    }
    int rc;
    armcpu_error err = {0};
    armcpu_fleet *f = fleet_from_text(lines, n, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(armcpu_fleet_host_count(f), n);
    assert_int_equal(armcpu_fleet_class_count(f), 2);
    assert_int_equal(armcpu_fleet_class_size(f, 0), 2000);
    assert_int_equal(armcpu_fleet_class_size(f, 1), 1000);
    armcpu_fleet_free(f);
    assert_same_fleet(lines, 300);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free_parts(&g3);
    free_parts(&g4);
}

/* A fleet of one host always has a baseline: the host's own values are
 * accepted on it, under its own kernel and under every kernel table (a
 * field the guest reads from the CPU, CTR_EL0.TminLine where KVM does not
 * trap CTR_EL0, included). */
static void test_one_host_has_a_baseline(void **state)
{
    (void)state;
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    assert_non_null(ctx);
    size_t checked = 0;
    for (size_t k = 0; k <= armcpu_kernel_count(); k++)
        for (size_t i = 0; i < armcpu_host_embedded_count(); i++) {
            armcpu_host *h = armcpu_host_open(armcpu_host_embedded_name(i), &err);
            assert_non_null(h);
            if (k < armcpu_kernel_count() &&
                armcpu_host_apply_kernel(h, armcpu_kernel_version(k), &err))
                fail_msg("%s --kernel %s: %s", armcpu_host_name(h), armcpu_kernel_version(k),
                         err.message);
            const armcpu_host *hs[1] = {h};
            armcpu_baseline *b = armcpu_baseline_new(ctx, hs, 1, NULL, &err);
            if (!b)
                fail_msg("%s: %s", armcpu_host_name(h), err.message);
            if (!armcpu_baseline_possible(b))
                fail_msg("%s alone (kernel %s) has no baseline: %s", armcpu_host_name(h),
                         armcpu_host_kernel(h), armcpu_baseline_conflict_at(b, 0, NULL));
            armcpu_baseline_free(b);
            armcpu_host_free(h);
            checked++;
        }
    assert_true(checked > 100);
    armcpu_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cached_lines_mean_what_they_say),
        cmocka_unit_test(test_many_lines_fold),
        cmocka_unit_test(test_one_host_has_a_baseline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
