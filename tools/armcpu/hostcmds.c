/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host commands: hosts, check, fix, compare, baseline, diff. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char *slurp(const char *path, size_t *len, armcpu_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err->message, sizeof err->message, "%s: cannot open: %s", path,
                 strerror(errno));
        err->code = ARMCPU_ERR_IO;
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap)
            break;
        if (cap >= (4u << 20)) {
            free(buf);
            fclose(fp);
            snprintf(err->message, sizeof err->message, "%s: larger than 4 MiB", path);
            err->code = ARMCPU_ERR_INVALID;
            return NULL;
        }
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(fp);
    if (!buf) {
        snprintf(err->message, sizeof err->message, "out of memory");
        err->code = ARMCPU_ERR_NOMEM;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* The library's warning about a snapshot (core registers missing). */
static armcpu_host *open_host(const char *cmd, const char *arg, int *rc)
{
    return open_host_kernel(cmd, arg, NULL, rc);
}

/* ---------------------------------------------------------------- hosts */

static int hosts_import(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("hosts", argc, argv,
                               "masks name kernel source o vcpu-features unlisted view", &fl, pos,
                               &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("hosts", "hosts import needs one listing file%s", "");
    if (!fl.name)
        return usage_error("hosts", "hosts import needs --name NAME%s", "");
    bool bare = fl.view && !strcmp(fl.view, "host");
    if (fl.view && !bare && strcmp(fl.view, "guest"))
        return usage_error("hosts", "--view '%s' is not guest (a KVM guest's view) or host (a "
                           "bare-metal EL1 read)",
                           fl.view);
    if (bare && !fl.kernel)
        return usage_error("hosts", "--view host needs --kernel V: the kernel whose guest view "
                           "to derive%s",
                           "");
    if (bare && fl.masks)
        return usage_error("hosts", "--view host takes the masks of --kernel's table, not "
                           "--masks%s",
                           "");
    armcpu_error err = {0};
    size_t vlen, mlen = 0;
    char *values = slurp(pos[0], &vlen, &err), *masks = NULL;
    if (!values)
        return fail("hosts", &err);
    if (fl.masks && !(masks = slurp(fl.masks, &mlen, &err))) {
        free(values);
        return fail("hosts", &err);
    }
    armcpu_host *h = armcpu_host_import(values, vlen, masks, mlen, pos[0], &err);
    free(values);
    free(masks);
    if (fl.unlisted && strcmp(fl.unlisted, "absent") && strcmp(fl.unlisted, "unknown")) {
        armcpu_host_free(h);
        return usage_error("hosts", "--unlisted '%s' is not absent or unknown", fl.unlisted);
    }
    /* a bare-metal read becomes kernel V's guest view: values re-derived by
     * V's view rules, masks from V's table */
    if (!h || armcpu_host_set_info(h, fl.name, bare ? "unknown" : fl.kernel, fl.source, &err) ||
        (fl.vcpu_features && armcpu_host_set_vcpu_features(h, fl.vcpu_features, &err)) ||
        (fl.unlisted && !strcmp(fl.unlisted, "absent") &&
         armcpu_host_set_unlisted_absent(h, &err)) ||
        (bare && (armcpu_host_mark_bare_metal(h), armcpu_host_apply_kernel(h, fl.kernel, &err)))) {
        armcpu_host_free(h);
        return fail("hosts", &err);
    }
    host_warning(h);
    if (fl.output) {
        rc = armcpu_host_save(h, fl.output, &err) ? fail("hosts", &err) : EXIT_OK;
    } else {
        rc = print_text("hosts", armcpu_host_to_json(h));
    }
    armcpu_host_free(h);
    return rc;
}

int cmd_hosts(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "import"))
        return hosts_import(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "probe"))
        return cmd_hosts_probe(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "show")) {
        struct flags fl;
        char *pos[1];
        int npos, rc = parse_flags("hosts", argc - 1, argv + 1, "kernel", &fl, pos, &npos, 1);
        if (rc)
            return rc;
        if (npos != 1)
            return usage_error("hosts", "hosts show needs a host%s", "");
        armcpu_host *h = open_host_kernel("hosts", pos[0], fl.kernel, &rc);
        if (!h)
            return rc;
        rc = print_text("hosts", armcpu_host_to_json(h));
        armcpu_host_free(h);
        return rc;
    }
    if (argc > 1)
        return usage_error("hosts", "unknown subcommand '%s' (import, show, probe)",
                           argv[1]);
    for (size_t i = 0; i < armcpu_host_embedded_count(); i++) {
        int rc;
        armcpu_host *h = open_host("hosts", armcpu_host_embedded_name(i), &rc);
        if (!h)
            return rc;
        printf("%s\t%s\t%s\n", armcpu_host_name(h), armcpu_host_kernel(h),
               armcpu_host_source(h));
        armcpu_host_free(h);
    }
    return EXIT_OK;
}

/* ---------------------------------------------------------------- check */

struct check_out {
    const armcpu_ctx *ctx;
    struct json_object *arr; /* JSON output, or NULL for text */
    size_t unknown;
    bool verbose;        /* every AArch32 host-given field on its own line */
    size_t aarch32_given; /* the ones folded into one line */
};

static void field_label(const armcpu_ctx *ctx, const armcpu_field_check *c, char *prop,
                        size_t psize, char *sysreg, size_t ssize)
{
    if (c->is_config) {
        snprintf(prop, psize, "%s", armcpu_config_name(c->config));
        snprintf(sysreg, ssize, "%s", armcpu_config_kvm_name(c->config));
        return;
    }
    if (!c->field) {
        snprintf(prop, psize, "%s", armcpu_reg_name(c->reg));
        snprintf(sysreg, ssize, "%s (bits outside fields)", armcpu_reg_name(c->reg));
        return;
    }
    const armcpu_prop *p = armcpu_field_prop(ctx, c->field);
    snprintf(prop, psize, "%s", p ? armcpu_prop_name(p) : armcpu_field_name(c->field));
    snprintf(sysreg, ssize, "SYSREG_%s_%s", armcpu_reg_name(c->reg),
             armcpu_field_name(c->field));
}

/* The spec's and the host's value as people read them: hex for fields, the
 * item's own spelling for the vCPU configuration ("128,256", "1.1"). */
static void check_values(const armcpu_field_check *c, char *mv, size_t msize, char *hv,
                         size_t hsize)
{
    if (c->is_config) {
        armcpu_config_format(c->config, c->model_value, mv, msize);
        if (armcpu_verdict_unknown(c->verdict))
            snprintf(hv, hsize, "?");
        else
            armcpu_config_format(c->config, c->host_value, hv, hsize);
        return;
    }
    snprintf(mv, msize, "0x%" PRIx64, c->model_value);
    snprintf(hv, hsize, "0x%" PRIx64, c->host_value);
}

static void print_check(const armcpu_field_check *c, void *opaque)
{
    struct check_out *o = opaque;
    o->unknown += armcpu_verdict_unknown(c->verdict);
    char prop[160], sysreg[160];
    field_label(o->ctx, c, prop, sizeof prop, sysreg, sizeof sysreg);
    if (o->arr) {
        struct json_object *j = json_object_new_object();
        json_object_object_add(j, "property", json_object_new_string(prop));
        json_object_object_add(j, "sysreg", json_object_new_string(sysreg));
        json_object_object_add(j, "verdict",
                               json_object_new_string(armcpu_verdict_name(c->verdict)));
        json_object_object_add(j, "blocks",
                               json_object_new_boolean(armcpu_verdict_blocks(c->verdict)));
        char mv[96], hv[96];
        check_values(c, mv, sizeof mv, hv, sizeof hv);
        json_object_object_add(j, "model-value", json_object_new_string(mv));
        json_object_object_add(j, "host-value", json_object_new_string(hv));
        if (*c->reason)
            json_object_object_add(j, "reason", json_object_new_string(c->reason));
        json_object_array_add(o->arr, j);
        return;
    }
    if (c->verdict == ARMCPU_VERDICT_HOST_GIVEN && c->reg && armcpu_reg_is_aarch32(c->reg) &&
        !o->verbose) {
        o->aarch32_given++;
        return;
    }
    char mv[96], hv[96];
    check_values(c, mv, sizeof mv, hv, sizeof hv);
    printf("  %-13s %-26s %-44s model %-8s host %-8s%s%s\n", armcpu_verdict_name(c->verdict),
           prop, sysreg, mv, hv, *c->reason ? "  " : "", c->reason);
}

/* "usable", "usable, 3 fields unknown", "not usable: 2 blockers" */
static void answer_line(size_t blockers, size_t unknown)
{
    if (blockers)
        printf("not usable: %zu blocker%s%s", blockers, blockers == 1 ? "" : "s",
               unknown ? "" : "\n");
    else
        printf("usable%s", unknown ? "" : ": 0 blockers\n");
    if (unknown)
        printf(", %zu field%s unknown\n", unknown, unknown == 1 ? "" : "s");
}

int cmd_check(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("check", argc, argv, "host json kernel verbose", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1 || !fl.host)
        return usage_error("check", "expected SPEC and --host H%s", "");
    armcpu_host *h = open_host_kernel("check", fl.host, fl.kernel, &rc);
    if (!h)
        return rc;
    armcpu_ctx *ctx = open_ctx("check", &rc);
    if (!ctx) {
        armcpu_host_free(h);
        return rc;
    }
    armcpu_error err = {0};
    armcpu_cpu *cpu = armcpu_realize_on_host(ctx, pos[0], h, false, &err);
    if (!cpu) {
        rc = fail("check", &err);
    } else {
        print_warnings(cpu);
        struct check_out o = {ctx, fl.json ? json_object_new_array() : NULL, 0, fl.verbose, 0};
        if (!fl.json)
            printf("%s on %s:\n", armcpu_cpu_name(cpu), armcpu_host_name(h));
        size_t blockers = armcpu_check(cpu, h, print_check, &o);
        if (o.aarch32_given)
            printf("  %-13s %zu AArch32 field%s differ%s: the spec has no AArch32, so the guest "
                   "sees the host's (--verbose lists them)\n",
                   "host-given", o.aarch32_given, o.aarch32_given == 1 ? "" : "s",
                   o.aarch32_given == 1 ? "s" : "");
        armcpu_answer a = armcpu_answer_of(blockers, o.unknown);
        if (fl.json) {
            struct json_object *root = json_object_new_object();
            json_object_object_add(root, "model", json_object_new_string(armcpu_cpu_name(cpu)));
            json_object_object_add(root, "host", json_object_new_string(armcpu_host_name(h)));
            json_object_object_add(root, "usable", json_object_new_boolean(a == ARMCPU_ANSWER_YES));
            json_object_object_add(root, "answer", json_object_new_string(armcpu_answer_name(a)));
            json_object_object_add(root, "blockers", json_object_new_int64((int64_t)blockers));
            json_object_object_add(root, "unknown", json_object_new_int64((int64_t)o.unknown));
            json_object_object_add(root, "fields", o.arr);
            print_json("armcpu-check", NULL, root);
        } else {
            answer_line(blockers, o.unknown);
        }
        rc = exit_of(a);
        armcpu_cpu_free(cpu);
    }
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    return rc;
}

/* ------------------------------------------------------------------ fix */

int cmd_fix(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("fix", argc, argv, "host kernel json", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1 || !fl.host)
        return usage_error("fix", "expected SPEC and --host H%s", "");
    armcpu_host *h = open_host_kernel("fix", fl.host, fl.kernel, &rc);
    if (!h)
        return rc;
    armcpu_ctx *ctx = open_ctx("fix", &rc);
    armcpu_error err = {0};
    armcpu_fix *x = ctx ? armcpu_fix_new(ctx, pos[0], h, &err) : NULL;
    if (ctx && !x)
        rc = fail("fix", &err);
    if (x) {
        armcpu_answer a = armcpu_fix_answer(x);
        if (fl.json) {
            rc = print_text("fix", armcpu_fix_to_json(x));
        } else if (a == ARMCPU_ANSWER_NO) {
            fprintf(stderr, "armcpu fix: %s cannot be made usable on %s; no property reaches:\n",
                    pos[0], armcpu_host_name(h));
            for (size_t i = 0; i < armcpu_fix_unfixable_count(x); i++)
                fprintf(stderr, "  %s\n", armcpu_fix_unfixable_at(x, i));
        } else {
            printf("%s\n", armcpu_fix_spec(x));
            if (!armcpu_fix_override_count(x))
                fprintf(stderr, "armcpu fix: %s is already usable on %s\n", pos[0],
                        armcpu_host_name(h));
            if (armcpu_fix_unknown_count(x))
                fprintf(stderr, "armcpu fix: usable, %zu field%s unknown on %s (armcpu check "
                                "lists them)\n",
                        armcpu_fix_unknown_count(x), armcpu_fix_unknown_count(x) == 1 ? "" : "s",
                        armcpu_host_name(h));
        }
        if (!rc)
            rc = exit_of(a);
    }
    armcpu_fix_free(x);
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    return rc;
}

/* -------------------------------------------------------------- compare */

/* A side of a comparison: a spec (realized) or a host (its values). */
struct side {
    armcpu_cpu *cpu;
    armcpu_host *host; /* when the side is a host */
};

static int open_side(const char *cmd, const armcpu_ctx *ctx, const char *arg,
                     const char *kernel, struct side *s)
{
    armcpu_error err = {0};
    memset(s, 0, sizeof *s);
    s->host = armcpu_host_open(arg, &err);
    if (s->host && kernel && armcpu_host_apply_kernel(s->host, kernel, &err)) {
        armcpu_host_free(s->host);
        s->host = NULL;
        return fail(cmd, &err);
    }
    if (s->host) {
        host_warning(s->host);
        kernel_note(cmd, kernel);
        s->cpu = armcpu_realize_on_host(ctx, "host", s->host, false, &err);
        if (!s->cpu) {
            armcpu_host_free(s->host);
            s->host = NULL;
            return fail(cmd, &err);
        }
        return EXIT_OK;
    }
    if (err.code == ARMCPU_ERR_IO || err.code == ARMCPU_ERR_ENV ||
        (err.code == ARMCPU_ERR_INVALID && strchr(arg, '/')))
        return fail(cmd, &err);
    armcpu_error e2 = {0};
    s->cpu = armcpu_realize(ctx, arg, false, &e2);
    if (!s->cpu) {
        fprintf(stderr, "armcpu %s: '%s' is neither a host (%s) nor a spec (%s)\n", cmd, arg,
                err.message, e2.message);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

static void close_side(struct side *s)
{
    armcpu_cpu_free(s->cpu);
    armcpu_host_free(s->host);
}

int cmd_compare(int argc, char **argv)
{
    struct flags fl;
    char *pos[2];
    int npos, rc = parse_flags("compare", argc, argv, "json kernel", &fl, pos, &npos, 2);
    if (rc)
        return rc;
    if (npos != 2)
        return usage_error("compare", "expected two specs or hosts A B%s", "");
    armcpu_ctx *ctx = open_ctx("compare", &rc);
    if (!ctx)
        return rc;
    struct side a, b;
    if ((rc = open_side("compare", ctx, pos[0], fl.kernel, &a))) {
        armcpu_ctx_free(ctx);
        return rc;
    }
    if ((rc = open_side("compare", ctx, pos[1], fl.kernel, &b))) {
        close_side(&a);
        armcpu_ctx_free(ctx);
        return rc;
    }
    armcpu_error err = {0};
    armcpu_comparison *c = armcpu_compare(ctx, a.cpu, a.host, b.cpu, b.host, &err);
    if (!c) {
        rc = fail("compare", &err);
    } else if (fl.json) {
        rc = print_text("compare", armcpu_comparison_to_json(c));
    } else {
        printf("%s\n", armcpu_comparison_result_name(armcpu_comparison_result_of(c)));
        for (size_t i = 0; i < armcpu_comparison_property_count(c); i++)
            printf("  %s\n", armcpu_comparison_property_at(c, i));
    }
    armcpu_comparison_free(c);
    close_side(&a);
    close_side(&b);
    armcpu_ctx_free(ctx);
    return rc;
}

/* ----------------------------------------------------------------- diff */

int cmd_diff(int argc, char **argv)
{
    struct flags fl;
    char *pos[2];
    int npos, rc = parse_flags("diff", argc, argv, "json kernel verbose", &fl, pos, &npos, 2);
    if (rc)
        return rc;
    if (npos != 2)
        return usage_error("diff", "expected two hosts H1 H2%s", "");
    armcpu_host *h1 = open_host_kernel("diff", pos[0], fl.kernel, &rc);
    if (!h1)
        return rc;
    armcpu_host *h2 = open_host_kernel("diff", pos[1], fl.kernel, &rc);
    armcpu_ctx *ctx = h2 ? open_ctx("diff", &rc) : NULL;
    armcpu_error err = {0};
    armcpu_diff *d = ctx ? armcpu_diff_new(ctx, h1, h2, &err) : NULL;
    if (ctx && !d)
        rc = fail("diff", &err);
    if (d && fl.json) {
        rc = print_text("diff", armcpu_diff_to_json(d));
    } else if (d) {
        size_t fixable = 0, differ = 0, aarch32 = 0;
        for (size_t i = 0; i < armcpu_diff_count(d); i++) {
            const armcpu_field *f;
            uint64_t a, b, common;
            armcpu_diff_kind k;
            const char *why;
            armcpu_diff_at(d, i, &f, &a, &b, &k, &common, &why);
            char name[160], hex[3][32];
            int item = armcpu_diff_config_at(d, i);
            if (f)
                snprintf(name, sizeof name, "%s.%s", armcpu_reg_name(armcpu_field_reg(f)),
                         armcpu_field_name(f));
            snprintf(hex[0], 32, "0x%" PRIx64, a);
            snprintf(hex[1], 32, "0x%" PRIx64, b);
            snprintf(hex[2], 32, "0x%" PRIx64, common);
            if (item >= 0) {
                const uint64_t vals[3] = {a, b, common};
                for (int j = 0; j < 3; j++)
                    armcpu_config_format((armcpu_config)item, vals[j], hex[j], 32);
                differ++;
                fixable += k == ARMCPU_DIFF_COMMON;
                printf("  %-28s %-30s %-8s %-8s ", armcpu_config_name((armcpu_config)item),
                       armcpu_config_kvm_name((armcpu_config)item), hex[0], hex[1]);
                if (k == ARMCPU_DIFF_COMMON)
                    printf("fixable, common %s (%s)\n", hex[2], why);
                else
                    printf("%s: %s\n", k == ARMCPU_DIFF_CONFLICT ? "not fixable" : "unknown",
                           why ? why : "");
                continue;
            }
            bool fx = k == ARMCPU_DIFF_COMMON || k == ARMCPU_DIFF_AARCH32_OFF ||
                      k == ARMCPU_DIFF_IDENTITY;
            fixable += fx;
            differ += a != b;
            /* AArch32 differences that aarch32=off fixes: one line unless
             * --verbose */
            if (k == ARMCPU_DIFF_AARCH32_OFF && !fl.verbose) {
                aarch32++;
                continue;
            }
            /* no field: bits outside every field, or the counter frequency */
            bool frq = !f && why && !strncmp(why, "CNTFRQ_EL0", 10);
            printf("  %-28s %-30s %-8s %-8s ",
                   f ? armcpu_prop_name(armcpu_field_prop(ctx, f))
                     : frq ? "(counter frequency, Hz)" : "(outside fields)",
                   f ? name : frq ? "CNTFRQ_EL0" : "(bits outside every field)", hex[0], hex[1]);
            switch (k) {
            case ARMCPU_DIFF_COMMON: printf("fixable, common %s\n", hex[2]); break;
            case ARMCPU_DIFF_AARCH32_OFF:
                printf("fixable by aarch32=off (then UNKNOWN to the guest)\n");
                break;
            case ARMCPU_DIFF_IDENTITY:
                printf("identity: each guest sees its host's (not writable on every host)\n");
                break;
            case ARMCPU_DIFF_CONFLICT: printf("not fixable: %s\n", why ? why : ""); break;
            case ARMCPU_DIFF_UNKNOWN: printf("unknown: %s\n", why ? why : ""); break;
            }
        }
        if (aarch32)
            printf("  %zu AArch32 field%s differ%s; aarch32=off fixes them (then UNKNOWN to the "
                   "guest; --verbose lists them)\n",
                   aarch32, aarch32 == 1 ? "" : "s", aarch32 == 1 ? "s" : "");
        printf("%zu fields differ between %s and %s, %zu fixable\n", differ,
               armcpu_host_name(h1), armcpu_host_name(h2), fixable);
    }
    armcpu_diff_free(d);
    armcpu_ctx_free(ctx);
    armcpu_host_free(h1);
    armcpu_host_free(h2);
    return rc;
}

/* ------------------------------------------------------------- fleets */

/*
 * The fleet of a fleet command: the hosts named as arguments and, with
 * --hosts-from PATH, a directory of snapshots, a file with one host per line
 * (a JSON snapshot or a host name/file), or - for standard input. With
 * `kernel`, as if every host ran it.
 */
static armcpu_fleet *open_fleet(const char *cmd, char **pos, int npos, const struct flags *fl,
                                int *rc)
{
    armcpu_error err = {0};
    armcpu_fleet *f = armcpu_fleet_new();
    if (!f) {
        *rc = EXIT_ENV;
        return NULL;
    }
    for (int i = 0; i < npos; i++) {
        armcpu_host *h = open_host_kernel(cmd, pos[i], fl->kernel, rc);
        if (!h) {
            armcpu_fleet_free(f);
            return NULL;
        }
        int e = armcpu_fleet_add(f, h, 1, &err);
        armcpu_host_free(h);
        if (e) {
            *rc = fail(cmd, &err);
            armcpu_fleet_free(f);
            return NULL;
        }
    }
    if (fl->hosts_from && armcpu_fleet_add_path(f, fl->hosts_from, &err)) {
        *rc = fail(cmd, &err);
        armcpu_fleet_free(f);
        return NULL;
    }
    for (size_t i = npos; fl->hosts_from && i < armcpu_fleet_class_count(f); i++)
        host_warning(armcpu_fleet_class_host(f, i));
    if (fl->hosts_from && fl->kernel) {
        kernel_note(cmd, fl->kernel);
        armcpu_fleet *k = armcpu_fleet_with_kernel(f, fl->kernel, &err);
        armcpu_fleet_free(f);
        if (!k)
            *rc = fail(cmd, &err);
        return k;
    }
    if (!armcpu_fleet_class_count(f)) {
        *rc = usage_error(cmd, "expected at least one host (arguments or --hosts-from PATH)%s",
                          "");
        armcpu_fleet_free(f);
        return NULL;
    }
    return f;
}

/* ------------------------------------------------------------- baseline */

static void print_baseline(const armcpu_baseline *b, const char *indent)
{
    for (size_t i = 0; i < armcpu_baseline_override_count(b); i++) {
        const char *t;
        size_t need, first;
        armcpu_baseline_override_at(b, i, &t, &need, &first);
        if (need)
            printf("%s%-40s needed by %zu host%s (first: %s)\n", indent, t, need,
                   need == 1 ? "" : "s", armcpu_baseline_class_name(b, first));
        else
            printf("%s%-40s (the meet is richer than the model)\n", indent, t);
    }
    size_t nu = armcpu_baseline_unknown_count(b);
    if (nu) {
        printf("%s%zu field%s unknown on some host (armcpu check lists them):", indent, nu,
               nu == 1 ? "" : "s");
        for (size_t i = 0; i < nu && i < 6; i++) {
            const armcpu_field *f = armcpu_baseline_unknown_at(b, i);
            printf(" %s.%s", armcpu_reg_name(armcpu_field_reg(f)), armcpu_field_name(f));
        }
        printf("%s\n", nu > 6 ? " ..." : "");
    }
    for (size_t i = 0; i < armcpu_baseline_config_limit_count(b); i++)
        printf("%slimit: %s\n", indent, armcpu_baseline_config_limit_at(b, i));
    size_t nc = armcpu_baseline_config_unknown_count(b);
    if (nc) {
        printf("%svCPU configuration unknown on some host, so each guest gets its host's:", indent);
        for (size_t i = 0; i < nc; i++)
            printf("%s %s", i ? "," : "", armcpu_baseline_config_unknown_at(b, i));
        printf("\n");
    }
}

/* --target-impls FILE: the fleet's target-implementation list
 * (armcpu_fleet_target_impls), written atomically; in text mode one line
 * says what it holds. */
static int write_target_impls(const armcpu_fleet *f, const armcpu_baseline *b, const char *path,
                              bool say)
{
    armcpu_error err = {0};
    char *text = armcpu_fleet_target_impls(f, b, &err);
    if (!text || armcpu_write_text_file(path, text, &err)) {
        armcpu_free(text);
        return fail("baseline", &err);
    }
    if (say) {
        struct json_object *doc = json_tokener_parse(text), *n = NULL, *complete = NULL;
        if (doc && json_object_object_get_ex(doc, "implementations", &n) &&
            json_object_object_get_ex(doc, "complete", &complete)) {
            const char *unknown = json_object_get_boolean(complete)
                                      ? ""
                                      : "; some host's MIDR/REVIDR/AIDR is unknown (unknown-hosts)";
            if (json_object_get_int64(n))
                printf("  target implementations: %" PRId64 " in %s%s\n",
                       json_object_get_int64(n), path, unknown);
            else
                printf("  target implementations: none needed (%s)%s\n", path, unknown);
        }
        json_object_put(doc);
    }
    armcpu_free(text);
    return EXIT_OK;
}

int cmd_baseline(int argc, char **argv)
{
    struct flags fl;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos)
        return EXIT_ENV;
    int npos, rc = parse_flags("baseline", argc, argv, "base json kernel hosts-from target-impls",
                               &fl, pos, &npos, argc);
    armcpu_fleet *f = rc ? NULL : open_fleet("baseline", pos, npos, &fl, &rc);
    armcpu_ctx *ctx = f ? open_ctx("baseline", &rc) : NULL;
    armcpu_error err = {0};
    armcpu_baseline *b = ctx ? armcpu_fleet_baseline(ctx, f, fl.base, &err) : NULL;
    if (ctx && !b)
        rc = fail("baseline", &err);
    if (b) {
        armcpu_answer a = armcpu_baseline_answer(b);
        if (fl.json) {
            rc = print_text("baseline", armcpu_baseline_to_json(b));
        } else if (armcpu_baseline_possible(b)) {
            printf("%s\n", armcpu_baseline_spec(b));
            print_baseline(b, "  ");
        } else {
            printf("impossible: no spec runs on all %zu hosts; these fields differ and cannot be "
                   "made equal:\n",
                   armcpu_fleet_host_count(f));
            for (size_t i = 0; i < armcpu_baseline_conflict_count(b); i++)
                printf("  %s\n", armcpu_baseline_conflict_at(b, i, NULL));
        }
        if (!fl.json) {
            for (size_t i = 0; i < armcpu_baseline_identity_count(b); i++)
                printf("  identity: %s\n", armcpu_baseline_identity_at(b, i));
            if (armcpu_fleet_host_count(f) != armcpu_fleet_class_count(f))
                printf("  (%zu hosts in %zu distinct snapshots)\n", armcpu_fleet_host_count(f),
                       armcpu_fleet_class_count(f));
        }
        if (!rc && fl.target_impls)
            rc = write_target_impls(f, b, fl.target_impls, !fl.json);
        if (!rc)
            rc = exit_of(a);
    }
    armcpu_baseline_free(b);
    armcpu_ctx_free(ctx);
    armcpu_fleet_free(f);
    free(pos);
    return rc;
}

/* ------------------------------------------------ models/props --host */

int models_on_host(const struct flags *fl)
{
    int rc;
    armcpu_host *h = open_host_kernel("models", fl->host, fl->kernel, &rc);
    if (!h)
        return rc;
    armcpu_ctx *ctx = open_ctx("models", &rc);
    armcpu_error err = {0};
    armcpu_models_info *m = ctx ? armcpu_models_info_new(ctx, h, &err) : NULL;
    if (ctx && !m)
        rc = fail("models", &err);
    if (m && fl->json) {
        rc = print_text("models", armcpu_models_info_to_json(m));
    } else if (m && fl->xml) {
        rc = print_text("models", armcpu_models_info_to_domcaps(m));
    } else if (m) {
        printf("models on %s (%s):\n", armcpu_host_name(h), armcpu_host_kernel(h));
        for (size_t i = 0; i < armcpu_models_info_count(m); i++) {
            printf("  %-20s ", armcpu_model_name(armcpu_models_info_model(m, i)));
            size_t nb = armcpu_models_info_blocker_count(m, i), nu = armcpu_models_info_unknown(m, i);
            if (nb) {
                printf("blocked by");
                for (size_t k = 0; k < nb; k++)
                    printf(" %s", armcpu_models_info_blocker_at(m, i, k));
                putchar('\n');
            } else if (nu) {
                printf("usable, %zu field%s unknown\n", nu, nu == 1 ? "" : "s");
            } else {
                printf("usable\n");
            }
        }
    }
    armcpu_models_info_free(m);
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    return rc;
}

/* The seeds' query-props-info: for each property, the values this host
 * supports. */
int props_on_host(const struct flags *fl)
{
    int rc;
    armcpu_host *h = open_host_kernel("props", fl->host, fl->kernel, &rc);
    if (!h)
        return rc;
    armcpu_ctx *ctx = open_ctx("props", &rc);
    armcpu_error err = {0};
    armcpu_props_info *p = ctx ? armcpu_props_info_new(ctx, h, &err) : NULL;
    if (ctx && !p)
        rc = fail("props", &err);
    if (p && fl->json) {
        rc = print_text("props", armcpu_props_info_to_json(p));
    } else if (p) {
        for (size_t i = 0; i < armcpu_props_info_count(p); i++) {
            printf("%s: ", armcpu_prop_name(armcpu_props_info_prop(p, i)));
            if (!armcpu_props_info_known(p, i)) {
                printf("unknown (the host data cannot tell its limit)\n");
                continue;
            }
            for (size_t k = 0; k < armcpu_props_info_value_count(p, i); k++)
                printf("%s%s", k ? ", " : "", armcpu_props_info_value_at(p, i, k));
            putchar('\n');
        }
    }
    armcpu_props_info_free(p);
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    return rc;
}

/* ----------------------------------------------------------- kernels/plan */

int cmd_kernels(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("kernels", argc, argv, "", &fl, pos, &npos, 0);
    if (rc)
        return rc;
    for (size_t i = 0; i < armcpu_kernel_count(); i++) {
        char caps[256], prov[512];
        armcpu_kernel_capabilities(i, caps, sizeof caps);
        armcpu_kernel_provenance(i, prov, sizeof prov);
        printf("%s\t%s\t%s\n", armcpu_kernel_version(i), *caps ? caps : "-", prov);
    }
    /* what each kernel shows a guest: the tables --kernel re-derives views by */
    if (armcpu_view_count())
        printf("\nview rules (kernels/linux-VER.view; a kernel without its own uses the nearest "
               "older):\n");
    for (size_t i = 0; i < armcpu_view_count(); i++)
        printf("%s\tview\t%s\n", armcpu_view_version(i), armcpu_view_provenance(i));
    return EXIT_OK;
}

/* What a plan's baseline leaves unknown, and what makes it impossible (the
 * first 8 of more than 10; --json has them all). */
static void print_unknown_count(const armcpu_baseline *b)
{
    size_t n = armcpu_baseline_unknown_count(b), nc = armcpu_baseline_config_unknown_count(b);
    if (n)
        printf("    %zu field%s unknown on some host\n", n, n == 1 ? "" : "s");
    if (nc)
        printf("    %zu vCPU configuration item%s unknown on some host\n", nc, nc == 1 ? "" : "s");
}

static void print_conflicts(const armcpu_baseline *b)
{
    size_t nc = armcpu_baseline_conflict_count(b);
    for (size_t c = 0; c < nc && (c < 8 || nc <= 10); c++)
        printf("    %s\n", armcpu_baseline_conflict_at(b, c, NULL));
    if (nc > 10)
        printf("    ... and %zu more (--json lists all)\n", nc - 8);
}

/* plan --from A --to B: the spec both views of every host accept, and each
 * host's passthrough guest under A against itself under B. */
static int plan_upgrade(const armcpu_ctx *ctx, const armcpu_fleet *f, const struct flags *fl)
{
    armcpu_error err = {0};
    armcpu_upgrade *u = armcpu_upgrade_new(ctx, f, fl->from, fl->to, fl->base, &err);
    if (!u)
        return fail("plan", &err);
    kernel_note("plan", fl->from);
    int rc = EXIT_OK;
    const armcpu_baseline *b = armcpu_upgrade_baseline(u);
    if (fl->json) {
        rc = print_text("plan", armcpu_upgrade_to_json(u));
    } else {
        bool ok = armcpu_baseline_possible(b);
        printf("Linux %s -> %s: %s\n", fl->from, fl->to,
               !ok ? "no spec serves both kernels"
               : armcpu_baseline_answer(b) == ARMCPU_ANSWER_UNKNOWN
                   ? "a spec serves both kernels, some fields unknown"
                   : "a spec serves both kernels");
        if (ok) {
            printf("    spec: %s\n", armcpu_baseline_spec(b));
            print_unknown_count(b);
        }
        print_conflicts(b);
        for (size_t i = 0; i < armcpu_upgrade_host_count(u); i++) {
            armcpu_answer a = armcpu_upgrade_passthrough(u, i);
            printf("%s, host passthrough started under %s: %s\n", armcpu_upgrade_host_name(u, i),
                   fl->from,
                   a == ARMCPU_ANSWER_YES  ? "moves to the upgraded host"
                   : a == ARMCPU_ANSWER_NO ? "does not move: the upgraded kernel refuses it"
                                           : "unknown: some fields cannot be known");
            /* what refuses it, in full; the unknown fields by name */
            char unknown[1024] = "";
            size_t nu = 0, used = 0;
            for (size_t k = 0; k < armcpu_upgrade_field_count(u, i); k++) {
                const armcpu_field *fld;
                uint64_t before, after;
                armcpu_verdict vd;
                const char *why;
                armcpu_upgrade_field_at(u, i, k, &fld, &before, &after, &vd, &why);
                int item = armcpu_upgrade_config_at(u, i, k);
                if (item >= 0) {
                    char vb[96], va[96];
                    armcpu_config_format((armcpu_config)item, before, vb, sizeof vb);
                    armcpu_config_format((armcpu_config)item, after, va, sizeof va);
                    printf("    %s: %s (%s under %s, %s under %s): %s\n",
                           armcpu_config_name((armcpu_config)item), armcpu_verdict_name(vd), vb,
                           fl->from, armcpu_verdict_unknown(vd) ? "?" : va, fl->to, why);
                    continue;
                }
                if (armcpu_verdict_unknown(vd)) {
                    if (used < sizeof unknown)
                        used += (size_t)snprintf(unknown + used, sizeof unknown - used, "%s%s.%s",
                                                 nu ? ", " : "",
                                                 armcpu_reg_name(armcpu_field_reg(fld)),
                                                 armcpu_field_name(fld));
                    nu++;
                    continue;
                }
                printf("    %s.%s: %s (0x%llx under %s, 0x%llx under %s): %s\n",
                       armcpu_reg_name(armcpu_field_reg(fld)), armcpu_field_name(fld),
                       armcpu_verdict_name(vd), (unsigned long long)before, fl->from,
                       (unsigned long long)after, fl->to, why);
            }
            if (nu)
                printf("    %zu field%s unknown (the snapshot's own kernel hid %s; --json says why): %s%s\n", nu,
                       nu == 1 ? "" : "s", nu == 1 ? "it" : "them", unknown,
                       used >= sizeof unknown ? "..." : "");
        }
    }
    if (!rc)
        rc = exit_of(armcpu_upgrade_answer(u));
    armcpu_upgrade_free(u);
    return rc;
}

/* For each known kernel: can one spec serve the whole fleet, with what, or
 * what blocks it; then the oldest kernel that makes the fleet migratable. */
int cmd_plan(int argc, char **argv)
{
    struct flags fl;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos)
        return EXIT_ENV;
    int npos, rc = parse_flags("plan", argc, argv, "json base hosts-from from to", &fl, pos, &npos,
                               argc);
    if (!rc && !fl.from != !fl.to)
        rc = usage_error("plan", "--from and --to go together (a kernel upgrade A -> B)%s", "");
    armcpu_fleet *f = rc ? NULL : open_fleet("plan", pos, npos, &fl, &rc);
    armcpu_ctx *ctx = f ? open_ctx("plan", &rc) : NULL;
    armcpu_error err = {0};
    if (ctx && fl.from) {
        rc = plan_upgrade(ctx, f, &fl);
        armcpu_ctx_free(ctx);
        armcpu_fleet_free(f);
        free(pos);
        return rc;
    }
    armcpu_plan *p = ctx ? armcpu_plan_new(ctx, f, fl.base, &err) : NULL;
    if (ctx && !p)
        rc = fail("plan", &err);
    if (p && fl.json)
        rc = print_text("plan", armcpu_plan_to_json(p));
    for (size_t i = 0; p && !fl.json && i < armcpu_plan_kernel_count(p); i++) {
        const armcpu_baseline *b = armcpu_plan_baseline(p, i);
        bool ok = armcpu_baseline_possible(b);
        printf("Linux %-5s %-10s %s\n", armcpu_plan_kernel(p, i),
               armcpu_plan_measured(p, i) ? "(measured)" : "(derived)",
               ok ? (armcpu_baseline_answer(b) == ARMCPU_ANSWER_UNKNOWN
                         ? "migratable, some fields unknown"
                         : "migratable")
                  : "not migratable");
        if (ok) {
            printf("    spec: %s\n", armcpu_baseline_spec(b));
            if (*armcpu_plan_capabilities(p, i))
                printf("    the VMM must enable %s (the guests' MIDR/REVIDR/AIDR differ from "
                       "some host's)\n",
                       armcpu_plan_capabilities(p, i));
            else if (armcpu_baseline_identity_count(b))
                printf("    note: %zu MIDR/REVIDR/AIDR field(s) differ and cannot be written "
                       "on this kernel: each guest sees its host's\n",
                       armcpu_baseline_identity_count(b));
            for (size_t k = 0; k < armcpu_plan_note_count(p, i); k++)
                printf("    note: %s\n", armcpu_plan_note_at(p, i, k));
            print_unknown_count(b);
            continue;
        }
        print_conflicts(b);
    }
    if (p && !fl.json) {
        long o = armcpu_plan_oldest(p), om = armcpu_plan_oldest_measured(p);
        if (o >= 0) {
            char prov[512];
            for (size_t k = 0; k < armcpu_kernel_count(); k++)
                if (!strcmp(armcpu_kernel_version(k), armcpu_plan_kernel(p, (size_t)o)))
                    armcpu_kernel_provenance(k, prov, sizeof prov);
            printf("oldest kernel that makes the fleet migratable: Linux %s (masks %s)\n",
                   armcpu_plan_kernel(p, (size_t)o), prov);
            if (om != o && om >= 0)
                printf("oldest kernel with measured masks that does: Linux %s\n",
                       armcpu_plan_kernel(p, (size_t)om));
        } else {
            printf("no known kernel makes this fleet migratable; on the newest (%s) the fields "
                   "above differ and no known KVM lets userspace make them equal\n",
                   armcpu_plan_kernel(p, armcpu_plan_kernel_count(p) - 1));
        }
    }
    if (p && !rc)
        rc = exit_of(armcpu_plan_answer(p));
    armcpu_plan_free(p);
    armcpu_ctx_free(ctx);
    armcpu_fleet_free(f);
    free(pos);
    return rc;
}
