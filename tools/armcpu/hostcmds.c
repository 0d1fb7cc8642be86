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

static armcpu_host *open_host(const char *cmd, const char *arg, int *rc)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open(arg, &err);
    if (!h)
        *rc = fail(cmd, &err);
    return h;
}

/* ---------------------------------------------------------------- hosts */

static int hosts_import(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("hosts", argc, argv, "masks name kernel source o vcpu-features", &fl, pos,
                               &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("hosts", "hosts import needs one listing file%s", "");
    if (!fl.name)
        return usage_error("hosts", "hosts import needs --name NAME%s", "");
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
    if (!h || armcpu_host_set_info(h, fl.name, fl.kernel, fl.source, &err) ||
        (fl.vcpu_features && armcpu_host_set_vcpu_features(h, fl.vcpu_features, &err))) {
        armcpu_host_free(h);
        return fail("hosts", &err);
    }
    if (fl.output) {
        rc = armcpu_host_save(h, fl.output, &err) ? fail("hosts", &err) : EXIT_OK;
    } else {
        char *json = armcpu_host_to_json(h);
        fputs(json ? json : "", stdout);
        free(json);
    }
    armcpu_host_free(h);
    return rc;
}

int cmd_hosts(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "import"))
        return hosts_import(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "probe")) {
        armcpu_error err = {0};
        armcpu_host *h = armcpu_host_open("local", &err);
        armcpu_host_free(h);
        return fail("hosts", &err);
    }
    if (argc >= 2 && !strcmp(argv[1], "show")) {
        struct flags fl;
        char *pos[1];
        int npos, rc = parse_flags("hosts", argc - 1, argv + 1, "", &fl, pos, &npos, 1);
        if (rc)
            return rc;
        if (npos != 1)
            return usage_error("hosts", "hosts show needs a host%s", "");
        armcpu_host *h = open_host("hosts", pos[0], &rc);
        if (!h)
            return rc;
        char *json = armcpu_host_to_json(h);
        fputs(json ? json : "", stdout);
        free(json);
        armcpu_host_free(h);
        return EXIT_OK;
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
    bool blockers_only;
};

static void field_label(const armcpu_ctx *ctx, const armcpu_field_check *c, char *prop,
                        size_t psize, char *sysreg, size_t ssize)
{
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

static void print_check(const armcpu_field_check *c, void *opaque)
{
    struct check_out *o = opaque;
    if (o->blockers_only && !armcpu_verdict_blocks(c->verdict))
        return;
    char prop[160], sysreg[160];
    field_label(o->ctx, c, prop, sizeof prop, sysreg, sizeof sysreg);
    if (o->arr) {
        struct json_object *j = json_object_new_object();
        char hex[32];
        json_object_object_add(j, "property", json_object_new_string(prop));
        json_object_object_add(j, "sysreg", json_object_new_string(sysreg));
        json_object_object_add(j, "verdict",
                               json_object_new_string(armcpu_verdict_name(c->verdict)));
        json_object_object_add(j, "blocks",
                               json_object_new_boolean(armcpu_verdict_blocks(c->verdict)));
        snprintf(hex, sizeof hex, "0x%" PRIx64, c->model_value);
        json_object_object_add(j, "model-value", json_object_new_string(hex));
        snprintf(hex, sizeof hex, "0x%" PRIx64, c->host_value);
        json_object_object_add(j, "host-value", json_object_new_string(hex));
        if (*c->reason)
            json_object_object_add(j, "reason", json_object_new_string(c->reason));
        json_object_array_add(o->arr, j);
        return;
    }
    printf("  %-13s %-26s %-44s model 0x%-6" PRIx64 " host 0x%-6" PRIx64 "%s%s\n",
           armcpu_verdict_name(c->verdict), prop, sysreg, c->model_value, c->host_value,
           *c->reason ? "  " : "", c->reason);
}

int cmd_check(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("check", argc, argv, "host json", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1 || !fl.host)
        return usage_error("check", "expected SPEC and --host H%s", "");
    armcpu_host *h = open_host("check", fl.host, &rc);
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
        struct check_out o = {ctx, fl.json ? json_object_new_array() : NULL, false};
        if (!fl.json)
            printf("%s on %s:\n", armcpu_cpu_name(cpu), armcpu_host_name(h));
        size_t blockers = armcpu_check(cpu, h, print_check, &o);
        if (fl.json) {
            struct json_object *root = json_object_new_object();
            json_object_object_add(root, "model", json_object_new_string(armcpu_cpu_name(cpu)));
            json_object_object_add(root, "host", json_object_new_string(armcpu_host_name(h)));
            json_object_object_add(root, "usable", json_object_new_boolean(blockers == 0));
            json_object_object_add(root, "fields", o.arr);
            print_json(root);
        } else {
            printf("%s: %zu blocker%s\n", blockers ? "not usable" : "usable", blockers,
                   blockers == 1 ? "" : "s");
        }
        armcpu_cpu_free(cpu);
    }
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    return rc;
}

/* ------------------------------------------------------------------ fix */

struct fix_state {
    const armcpu_ctx *ctx;
    const armcpu_host *host;
    char *spec;
    size_t len, cap;
    size_t fixed, unfixable;
    char unfixable_list[2048];
};

static void append(struct fix_state *s, const char *text)
{
    size_t n = strlen(text);
    if (s->len + n + 1 > s->cap) {
        size_t cap = (s->cap + n + 1) * 2;
        char *ns = realloc(s->spec, cap);
        if (!ns)
            return;
        s->spec = ns;
        s->cap = cap;
    }
    memcpy(s->spec + s->len, text, n + 1);
    s->len += n;
}

/* The override for one blocked field: the host's value, or for EXACT fields
 * the kernel's safe value when writable (declares "not implemented"). */
static void fix_one(const armcpu_field_check *c, void *opaque)
{
    struct fix_state *s = opaque;
    if (!armcpu_verdict_blocks(c->verdict))
        return;
    if (!c->field) {
        s->unfixable++;
        size_t u = strlen(s->unfixable_list);
        snprintf(s->unfixable_list + u, sizeof s->unfixable_list - u, "  %s: %s\n",
                 armcpu_reg_name(c->reg), c->reason);
        return;
    }
    uint64_t v = c->host_value;
    if (c->verdict == ARMCPU_VERDICT_OVERPROMISE &&
        armcpu_field_kvm_policy(c->field) == ARMCPU_POLICY_EXACT)
        v = armcpu_field_safe_value(c->field);
    char text[256];
    snprintf(text, sizeof text, ",SYSREG_%s_%s=0x%" PRIx64, armcpu_reg_name(c->reg),
             armcpu_field_name(c->field), v);
    /* spell it with the friendly property when its value has a name */
    const armcpu_prop *p = armcpu_field_prop(s->ctx, c->field);
    if (p && armcpu_prop_kind_of(p) != ARMCPU_PROP_SYSREG &&
        armcpu_prop_kind_of(p) != ARMCPU_PROP_FRACTIONAL) {
        for (size_t i = 0; i < armcpu_prop_value_count(p); i++) {
            const char *n;
            uint64_t pv;
            armcpu_prop_value_at(p, i, &n, &pv);
            if (pv == v) {
                snprintf(text, sizeof text, ",%s=%s", armcpu_prop_name(p), n);
                break;
            }
        }
    }
    append(s, text);
    s->fixed++;
}

int cmd_fix(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("fix", argc, argv, "host", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1 || !fl.host)
        return usage_error("fix", "expected SPEC and --host H%s", "");
    armcpu_host *h = open_host("fix", fl.host, &rc);
    if (!h)
        return rc;
    armcpu_ctx *ctx = open_ctx("fix", &rc);
    if (!ctx) {
        armcpu_host_free(h);
        return rc;
    }
    armcpu_error err = {0};
    armcpu_cpu *cpu = armcpu_realize_on_host(ctx, pos[0], h, false, &err);
    if (!cpu) {
        rc = fail("fix", &err);
        goto out;
    }
    print_warnings(cpu);
    struct fix_state s = {ctx, h, NULL, 0, 0, 0, 0, ""};
    append(&s, pos[0]);
    armcpu_check(cpu, h, fix_one, &s);
    armcpu_cpu_free(cpu);
    if (!s.spec) {
        rc = fail("fix", &(armcpu_error){ARMCPU_ERR_NOMEM, "out of memory"});
        goto out;
    }
    if (s.unfixable) {
        fprintf(stderr, "armcpu fix: %s cannot be made usable on %s; no property reaches:\n%s",
                pos[0], armcpu_host_name(h), s.unfixable_list);
        rc = EXIT_INPUT;
    } else {
        /* The fixed spec must realize and pass; say so only if it does. */
        armcpu_cpu *fixed = armcpu_realize_on_host(ctx, s.spec, h, false, &err);
        if (!fixed) {
            rc = fail("fix", &err);
        } else if (armcpu_check(fixed, h, NULL, NULL)) {
            fprintf(stderr, "armcpu fix: internal: the fixed spec is still blocked\n");
            rc = EXIT_INPUT;
        } else {
            printf("%s\n", s.spec);
            if (s.fixed == 0)
                fprintf(stderr, "armcpu fix: %s is already usable on %s\n", pos[0],
                        armcpu_host_name(h));
        }
        armcpu_cpu_free(fixed);
    }
    free(s.spec);
out:
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
                     struct side *s)
{
    armcpu_error err = {0};
    memset(s, 0, sizeof *s);
    s->host = armcpu_host_open(arg, &err);
    if (s->host) {
        s->cpu = armcpu_realize_on_host(ctx, "host", s->host, false, &err);
        if (!s->cpu) {
            armcpu_host_free(s->host);
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

/* Can `b`'s field value run where `a` is the limit (KVM's rule)? */
static bool covers(const armcpu_field *f, uint64_t a, uint64_t b)
{
    return armcpu_field_is_safe(f, b, a, NULL, 0);
}

int cmd_compare(int argc, char **argv)
{
    struct flags fl;
    char *pos[2];
    int npos, rc = parse_flags("compare", argc, argv, "json", &fl, pos, &npos, 2);
    if (rc)
        return rc;
    if (npos != 2)
        return usage_error("compare", "expected two specs or hosts A B%s", "");
    armcpu_ctx *ctx = open_ctx("compare", &rc);
    if (!ctx)
        return rc;
    struct side a, b;
    if ((rc = open_side("compare", ctx, pos[0], &a))) {
        armcpu_ctx_free(ctx);
        return rc;
    }
    if ((rc = open_side("compare", ctx, pos[1], &b))) {
        close_side(&a);
        armcpu_ctx_free(ctx);
        return rc;
    }
    bool a_covers_b = true, b_covers_a = true, identical = true;
    struct json_object *resp = json_object_new_array();
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t av = armcpu_cpu_reg_value(a.cpu, reg), bv = armcpu_cpu_reg_value(b.cpu, reg);
        if (av == bv)
            continue;
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            uint64_t fa = armcpu_field_get(f, av), fb = armcpu_field_get(f, bv);
            if (fa == fb)
                continue;
            identical = false;
            bool ab = covers(f, fa, fb), ba = covers(f, fb, fa);
            a_covers_b &= ab;
            b_covers_a &= ba;
            const armcpu_prop *p = armcpu_field_prop(ctx, f);
            json_object_array_add(resp, json_object_new_string(armcpu_prop_name(p)));
        }
    }
    const char *result = identical    ? "identical"
                         : a_covers_b ? "superset"
                         : b_covers_a ? "subset"
                                      : "incompatible";
    if (fl.json) {
        struct json_object *root = json_object_new_object();
        json_object_object_add(root, "result", json_object_new_string(result));
        json_object_object_add(root, "responsible-properties", resp);
        print_json(root);
    } else {
        printf("%s\n", result);
        for (size_t i = 0; i < json_object_array_length(resp); i++)
            printf("  %s\n", json_object_get_string(json_object_array_get_idx(resp, i)));
        json_object_put(resp);
    }
    close_side(&a);
    close_side(&b);
    armcpu_ctx_free(ctx);
    return EXIT_OK;
}

/* ----------------------------------------------------------------- diff */

int cmd_diff(int argc, char **argv)
{
    struct flags fl;
    char *pos[2];
    int npos, rc = parse_flags("diff", argc, argv, "json", &fl, pos, &npos, 2);
    if (rc)
        return rc;
    if (npos != 2)
        return usage_error("diff", "expected two hosts H1 H2%s", "");
    armcpu_host *h1 = open_host("diff", pos[0], &rc);
    if (!h1)
        return rc;
    armcpu_host *h2 = open_host("diff", pos[1], &rc);
    armcpu_ctx *ctx = h2 ? open_ctx("diff", &rc) : NULL;
    if (!h2 || !ctx) {
        armcpu_host_free(h1);
        armcpu_host_free(h2);
        return rc;
    }
    struct json_object *arr = json_object_new_array();
    size_t n = 0, fixable = 0;
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        if (armcpu_host_reg_state(h1, reg) != ARMCPU_REG_PRESENT ||
            armcpu_host_reg_state(h2, reg) != ARMCPU_REG_PRESENT)
            continue;
        uint64_t v1 = armcpu_host_reg_value(h1, reg), v2 = armcpu_host_reg_value(h2, reg);
        for (size_t i = 0; i < armcpu_reg_field_count(reg) && v1 != v2; i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            uint64_t a = armcpu_field_get(f, v1), b = armcpu_field_get(f, v2);
            if (a == b)
                continue;
            /* fixable: writable on both and one value is safe on both */
            bool w = armcpu_host_field_writable(h1, f) && armcpu_host_field_writable(h2, f);
            uint64_t common = 0;
            bool found = false;
            uint64_t cand[3] = {a, b, armcpu_field_safe_value(f)};
            for (int k = 0; k < 3 && w && !found; k++)
                if (covers(f, a, cand[k]) && covers(f, b, cand[k])) {
                    common = cand[k];
                    found = true;
                }
            n++;
            fixable += found;
            const armcpu_prop *p = armcpu_field_prop(ctx, f);
            char hex[3][32];
            snprintf(hex[0], 32, "0x%" PRIx64, a);
            snprintf(hex[1], 32, "0x%" PRIx64, b);
            snprintf(hex[2], 32, "0x%" PRIx64, common);
            if (fl.json) {
                struct json_object *o = json_object_new_object();
                json_object_object_add(o, "property", json_object_new_string(armcpu_prop_name(p)));
                json_object_object_add(o, armcpu_host_name(h1), json_object_new_string(hex[0]));
                json_object_object_add(o, armcpu_host_name(h2), json_object_new_string(hex[1]));
                json_object_object_add(o, "fixable", json_object_new_boolean(found));
                if (found)
                    json_object_object_add(o, "common", json_object_new_string(hex[2]));
                json_object_array_add(arr, o);
            } else {
                printf("  %-28s %s.%-14s %-8s %-8s %s%s\n", armcpu_prop_name(p),
                       armcpu_reg_name(reg), armcpu_field_name(f), hex[0], hex[1],
                       found ? "fixable, common " : (w ? "not fixable: no safe common value"
                                                        : "not fixable: not writable on both"),
                       found ? hex[2] : "");
            }
        }
    }
    if (fl.json)
        print_json(arr);
    else {
        printf("%zu fields differ between %s and %s, %zu fixable\n", n, armcpu_host_name(h1),
               armcpu_host_name(h2), fixable);
        json_object_put(arr);
    }
    armcpu_ctx_free(ctx);
    armcpu_host_free(h1);
    armcpu_host_free(h2);
    return EXIT_OK;
}

/* ------------------------------------------------------------- baseline */

int cmd_baseline(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return usage_error("baseline", "not written yet%s", "");
}
