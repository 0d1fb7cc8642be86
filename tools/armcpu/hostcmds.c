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

/* Opens a host; with `kernel`, as if it ran that kernel (--kernel). */
static armcpu_host *open_host_kernel(const char *cmd, const char *arg, const char *kernel,
                                     int *rc)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open(arg, &err);
    if (h && kernel && armcpu_host_apply_kernel(h, kernel, &err)) {
        armcpu_host_free(h);
        h = NULL;
    }
    if (!h)
        *rc = fail(cmd, &err);
    return h;
}

static armcpu_host *open_host(const char *cmd, const char *arg, int *rc)
{
    return open_host_kernel(cmd, arg, NULL, rc);
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
    if (argc >= 2 && !strcmp(argv[1], "probe"))
        return cmd_hosts_probe(argc - 1, argv + 1);
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
    int npos, rc = parse_flags("check", argc, argv, "host json kernel", &fl, pos, &npos, 1);
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
    bool drop_aa32; /* the fix gives up AArch32: one "aarch32=off" */
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


/* Pre-pass: the blocked ELx fields and the host values they will get. */
struct el_fix {
    bool blocked[4];
    uint64_t host[4];
};

static void el_fix_one(const armcpu_field_check *c, void *opaque)
{
    struct el_fix *e = opaque;
    int el = c->field ? armcpu_field_exception_level(c->field) : -1;
    if (el >= 0 && armcpu_verdict_blocks(c->verdict)) {
        e->blocked[el] = true;
        e->host[el] = c->host_value;
    }
}

/* The override for one blocked field: the host's value, or for EXACT fields
 * the kernel's safe value when writable (declares "not implemented"). */
static void fix_one(const armcpu_field_check *c, void *opaque)
{
    struct fix_state *s = opaque;
    if (!armcpu_verdict_blocks(c->verdict))
        return;
    int el = c->field ? armcpu_field_exception_level(c->field) : -1;
    if (s->drop_aa32 && (armcpu_reg_is_aarch32(c->reg) || el == 0 || el == 1))
        return; /* "aarch32=off" covers it */
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
    char text[256] = ",";
    armcpu_override_text(s->ctx, c->field, v, text + 1, sizeof text - 1);
    append(s, text);
    s->fixed++;
}

/*
 * One round of fixes: every blocker gets the host's value. When that takes
 * AArch32 away from a spec that had it, a single "aarch32=off" replaces the
 * ELx and AArch32-register overrides (the AArch32 registers are then the
 * host's business). A round can give AArch32 to a spec without it (the
 * host's ELx not writable), which makes its AArch32 registers count: hence
 * rounds, until the spec passes.
 */
static void fix_round(const armcpu_host *h, const armcpu_cpu *cpu, struct fix_state *s)
{
    struct el_fix e = {{false}, {0}};
    armcpu_check(cpu, h, el_fix_one, &e);
    /* ID_AA64PFR0_EL1 after the fix: each blocked ELn (bits [4n+3:4n]) the host's */
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    uint64_t fixed = pfr0 ? armcpu_cpu_reg_value(cpu, pfr0) : 0;
    for (unsigned el = 0; el < 4; el++)
        if (e.blocked[el])
            fixed = (fixed & ~(UINT64_C(0xf) << (4 * el))) | e.host[el] << (4 * el);
    s->drop_aa32 = armcpu_cpu_has_aarch32(cpu) && !armcpu_pfr0_has_aarch32(fixed);
    if (s->drop_aa32) {
        append(s, ",aarch32=off");
        s->fixed++;
    }
    armcpu_check(cpu, h, fix_one, s);
}

int cmd_fix(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("fix", argc, argv, "host kernel", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1 || !fl.host)
        return usage_error("fix", "expected SPEC and --host H%s", "");
    armcpu_host *h = open_host_kernel("fix", fl.host, fl.kernel, &rc);
    if (!h)
        return rc;
    armcpu_ctx *ctx = open_ctx("fix", &rc);
    if (!ctx) {
        armcpu_host_free(h);
        return rc;
    }
    armcpu_error err = {0};
    struct fix_state s = {ctx, h, NULL, 0, 0, 0, 0, false, ""};
    append(&s, pos[0]);
    /* rounds: a fix can give AArch32 back (see fix_round); two suffice,
     * the third is a guard */
    for (int round = 0; round < 3 && s.spec; round++) {
        armcpu_cpu *cpu = armcpu_realize_on_host(ctx, s.spec, h, false, &err);
        if (!cpu) {
            rc = fail("fix", &err);
            goto out;
        }
        if (round == 0)
            print_warnings(cpu);
        size_t blockers = armcpu_check(cpu, h, NULL, NULL);
        if (blockers && !s.unfixable)
            fix_round(h, cpu, &s);
        armcpu_cpu_free(cpu);
        if (!blockers || s.unfixable)
            break;
    }
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
out:
    free(s.spec);
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
        return fail(cmd, &err);
    }
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
    bool a_covers_b = true, b_covers_a = true, identical = true;
    /* The AArch32 registers count only where both sides have AArch32: a
     * side without it does not define them (UNKNOWN to its guest), and when
     * one side has it, ID_AA64PFR0_EL1.ELx already decides who covers whom. */
    bool both32 = armcpu_cpu_has_aarch32(a.cpu) && armcpu_cpu_has_aarch32(b.cpu);
    struct json_object *resp = json_object_new_array();
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t av = armcpu_cpu_reg_value(a.cpu, reg), bv = armcpu_cpu_reg_value(b.cpu, reg);
        /* MIDR/REVIDR/AIDR name the CPU; they are not features to compare */
        if (av == bv || armcpu_reg_is_identity(reg) || (!both32 && armcpu_reg_is_aarch32(reg)))
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

/* Does the host offer AArch32 at some EL (ID_AA64PFR0_EL1.ELx == 2)? */
static bool host_aarch32(const armcpu_host *h)
{
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    return pfr0 && armcpu_pfr0_has_aarch32(armcpu_host_reg_value(h, pfr0));
}


int cmd_diff(int argc, char **argv)
{
    struct flags fl;
    char *pos[2];
    int npos, rc = parse_flags("diff", argc, argv, "json kernel", &fl, pos, &npos, 2);
    if (rc)
        return rc;
    if (npos != 2)
        return usage_error("diff", "expected two hosts H1 H2%s", "");
    armcpu_host *h1 = open_host_kernel("diff", pos[0], fl.kernel, &rc);
    if (!h1)
        return rc;
    armcpu_host *h2 = open_host_kernel("diff", pos[1], fl.kernel, &rc);
    armcpu_ctx *ctx = h2 ? open_ctx("diff", &rc) : NULL;
    if (!h2 || !ctx) {
        armcpu_host_free(h1);
        armcpu_host_free(h2);
        return rc;
    }
    struct json_object *arr = json_object_new_array();
    size_t n = 0, fixable = 0;
    /* AArch32 on one host only: a common spec is AArch64-only, and its
     * guest does not read the AArch32 registers (they stay each host's) */
    bool aa32_unused = host_aarch32(h1) != host_aarch32(h2);
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
            const char *how = NULL; /* fixed otherwise than by a common value */
            if (aa32_unused && armcpu_reg_is_aarch32(reg))
                how = "aarch32=off";
            else if (w && armcpu_reg_is_identity(reg))
                found = true, common = a; /* any value: no order among CPU names */
            for (int k = 0; k < 3 && w && !found && !how; k++)
                if (covers(f, a, cand[k]) && covers(f, b, cand[k])) {
                    common = cand[k];
                    found = true;
                }
            n++;
            fixable += found || how;
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
                json_object_object_add(o, "fixable", json_object_new_boolean(found || how));
                if (found)
                    json_object_object_add(o, "common", json_object_new_string(hex[2]));
                if (how)
                    json_object_object_add(o, "by", json_object_new_string(how));
                json_object_array_add(arr, o);
            } else {
                printf("  %-28s %s.%-14s %-8s %-8s %s%s\n", armcpu_prop_name(p),
                       armcpu_reg_name(reg), armcpu_field_name(f), hex[0], hex[1],
                       how ? "fixable by aarch32=off (then UNKNOWN to the guest)"
                       : found ? "fixable, common "
                               : (w ? "not fixable: no safe common value"
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
    struct flags fl;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos)
        return EXIT_ENV;
    int npos, rc = parse_flags("baseline", argc, argv, "base json kernel", &fl, pos, &npos, argc);
    if (rc || npos < 1) {
        free(pos);
        return rc ? rc : usage_error("baseline", "expected at least one host%s", "");
    }
    armcpu_host **hosts = calloc((size_t)npos, sizeof *hosts);
    armcpu_ctx *ctx = NULL;
    armcpu_baseline *b = NULL;
    int n = 0;
    if (!hosts) {
        rc = EXIT_ENV;
        goto out;
    }
    for (; n < npos; n++)
        if (!(hosts[n] = open_host_kernel("baseline", pos[n], fl.kernel, &rc)))
            goto out;
    if (!(ctx = open_ctx("baseline", &rc)))
        goto out;
    armcpu_error err = {0};
    b = armcpu_baseline_new(ctx, (const armcpu_host *const *)hosts, (size_t)n, fl.base, &err);
    if (!b) {
        rc = fail("baseline", &err);
        goto out;
    }
    bool ok = armcpu_baseline_possible(b);
    if (ok) {
        /* The answer must pass every host's check: verify before saying so. */
        armcpu_cpu *cpu = armcpu_realize(ctx, armcpu_baseline_spec(b), false, &err);
        for (int h = 0; cpu && h < n; h++)
            if (armcpu_check(cpu, hosts[h], NULL, NULL)) {
                fprintf(stderr, "armcpu baseline: internal: %s is blocked on %s\n",
                        armcpu_baseline_spec(b), armcpu_host_name(hosts[h]));
                rc = EXIT_INPUT;
            }
        if (!cpu)
            rc = fail("baseline", &err);
        armcpu_cpu_free(cpu);
        if (rc)
            goto out;
    }
    if (fl.json) {
        struct json_object *root = json_object_new_object();
        json_object_object_add(root, "possible", json_object_new_boolean(ok));
        json_object_object_add(root, "model",
                               json_object_new_string(armcpu_model_name(armcpu_baseline_model(b))));
        if (ok)
            json_object_object_add(root, "spec", json_object_new_string(armcpu_baseline_spec(b)));
        struct json_object *ov = json_object_new_array();
        for (size_t i = 0; i < armcpu_baseline_override_count(b); i++) {
            const char *t;
            size_t need, first;
            armcpu_baseline_override_at(b, i, &t, &need, &first);
            struct json_object *o = json_object_new_object();
            json_object_object_add(o, "override", json_object_new_string(t));
            json_object_object_add(o, "hosts-needing", json_object_new_int64((int64_t)need));
            json_object_object_add(o, "first-host",
                                   json_object_new_string(armcpu_host_name(hosts[first])));
            json_object_array_add(ov, o);
        }
        json_object_object_add(root, "overrides", ov);
        struct json_object *cf = json_object_new_array();
        for (size_t i = 0; i < armcpu_baseline_conflict_count(b); i++)
            json_object_array_add(cf, json_object_new_string(armcpu_baseline_conflict_at(b, i)));
        json_object_object_add(root, "conflicts", cf);
        struct json_object *idf = json_object_new_array();
        for (size_t i = 0; i < armcpu_baseline_identity_count(b); i++)
            json_object_array_add(idf, json_object_new_string(armcpu_baseline_identity_at(b, i)));
        json_object_object_add(root, "identity-differences", idf);
        json_object_object_add(root, "unchecked-fields",
                               json_object_new_int64((int64_t)armcpu_baseline_unchecked(b)));
        print_json(root);
    } else if (ok) {
        printf("%s\n", armcpu_baseline_spec(b));
        for (size_t i = 0; i < armcpu_baseline_override_count(b); i++) {
            const char *t;
            size_t need, first;
            armcpu_baseline_override_at(b, i, &t, &need, &first);
            printf("  %-40s needed by %zu host%s (first: %s)\n", t, need, need == 1 ? "" : "s",
                   armcpu_host_name(hosts[first]));
        }
        if (armcpu_baseline_unchecked(b))
            printf("  %zu fields unchecked: a snapshot was measured with their vCPU feature "
                   "off\n",
                   armcpu_baseline_unchecked(b));
    } else {
        printf("impossible: no spec runs on all %d hosts; these fields differ and cannot be "
               "made equal:\n",
               n);
        for (size_t i = 0; i < armcpu_baseline_conflict_count(b); i++)
            printf("  %s\n", armcpu_baseline_conflict_at(b, i));
        rc = EXIT_INPUT;
    }
    if (!fl.json)
        for (size_t i = 0; i < armcpu_baseline_identity_count(b); i++)
            printf("  identity: %s\n", armcpu_baseline_identity_at(b, i));
out:
    armcpu_baseline_free(b);
    armcpu_ctx_free(ctx);
    for (int i = 0; i < n; i++)
        armcpu_host_free(hosts[i]);
    free(hosts);
    free(pos);
    return rc;
}

/* ------------------------------------------------ models/props --host */

struct blockers_out {
    const armcpu_ctx *ctx;
    struct json_object *names; /* unique property names */
};

static void collect_blocker(const armcpu_field_check *c, void *opaque)
{
    struct blockers_out *o = opaque;
    if (!armcpu_verdict_blocks(c->verdict))
        return;
    char prop[160], sysreg[160];
    field_label(o->ctx, c, prop, sizeof prop, sysreg, sizeof sysreg);
    for (size_t i = 0; i < json_object_array_length(o->names); i++)
        if (!strcmp(json_object_get_string(json_object_array_get_idx(o->names, i)), prop))
            return;
    json_object_array_add(o->names, json_object_new_string(prop));
}

static void xml_text(const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '&': fputs("&amp;", stdout); break;
        case '\'': fputs("&apos;", stdout); break;
        case '"': fputs("&quot;", stdout); break;
        default: putchar(*s);
        }
}

/* libvirt's vendor attribute from the model's MIDR implementer code. */
static const char *vendor_of(const armcpu_ctx *ctx, const char *model)
{
    armcpu_cpu *cpu = armcpu_realize(ctx, model, false, NULL);
    const armcpu_field *f = armcpu_field_lookup("MIDR_EL1.Implementer", NULL);
    uint64_t imp = cpu && f ? armcpu_field_get(f, armcpu_cpu_reg_value(cpu, armcpu_field_reg(f))) : 0;
    armcpu_cpu_free(cpu);
    switch (imp) {
    case 0x41: return "ARM";
    case 0x42: return "Broadcom";
    case 0x43: return "Cavium";
    case 0x48: return "HiSilicon";
    case 0x4e: return "NVIDIA";
    case 0x51: return "Qualcomm";
    case 0x61: return "Apple";
    case 0xc0: return "Ampere";
    default: return "unknown";
    }
}

/* query-cpu-definitions with unavailable-features, or libvirt's
 * domain-capabilities <cpu> part with <blockers>. */
int models_on_host(const struct flags *fl)
{
    int rc;
    armcpu_host *h = open_host_kernel("models", fl->host, fl->kernel, &rc);
    if (!h)
        return rc;
    armcpu_ctx *ctx = open_ctx("models", &rc);
    if (!ctx) {
        armcpu_host_free(h);
        return rc;
    }
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < armcpu_model_count(ctx); i++) {
        const armcpu_model *m = armcpu_model_at(ctx, i);
        if (!armcpu_model_realizable(m))
            continue;
        armcpu_cpu *cpu = armcpu_realize(ctx, armcpu_model_name(m), false, NULL);
        if (!cpu)
            continue;
        struct blockers_out o = {ctx, json_object_new_array()};
        armcpu_check(cpu, h, collect_blocker, &o);
        armcpu_cpu_free(cpu);
        struct json_object *d = json_object_new_object();
        char tn[128];
        snprintf(tn, sizeof tn, "%s-arm-cpu", armcpu_model_name(m));
        json_object_object_add(d, "name", json_object_new_string(armcpu_model_name(m)));
        json_object_object_add(d, "typename", json_object_new_string(tn));
        json_object_object_add(d, "static", json_object_new_boolean(1));
        json_object_object_add(d, "deprecated", json_object_new_boolean(0));
        json_object_object_add(d, "unavailable-features", o.names);
        json_object_array_add(arr, d);
    }
    if (fl->json) {
        print_json(arr);
    } else if (fl->xml) {
        /* libvirt domain capabilities; <blockers> after a model follows
         * upstream libvirt's schema (newer than Debian 12's 9.0). */
        printf("<domainCapabilities>\n  <path>/usr/bin/qemu-system-aarch64</path>\n"
               "  <domain>kvm</domain>\n  <machine>virt</machine>\n  <arch>aarch64</arch>\n"
               "  <cpu>\n    <mode name='host-passthrough' supported='yes'/>\n"
               "    <mode name='maximum' supported='yes'/>\n"
               "    <mode name='host-model' supported='no'/>\n"
               "    <mode name='custom' supported='yes'>\n");
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            struct json_object *d = json_object_array_get_idx(arr, i), *name, *un;
            json_object_object_get_ex(d, "name", &name);
            json_object_object_get_ex(d, "unavailable-features", &un);
            printf("      <model usable='%s' vendor='%s'>",
                   json_object_array_length(un) ? "no" : "yes",
                   vendor_of(ctx, json_object_get_string(name)));
            xml_text(json_object_get_string(name));
            printf("</model>\n");
            if (!json_object_array_length(un))
                continue;
            printf("      <blockers model='");
            xml_text(json_object_get_string(name));
            printf("'>\n");
            for (size_t k = 0; k < json_object_array_length(un); k++) {
                printf("        <feature name='");
                xml_text(json_object_get_string(json_object_array_get_idx(un, k)));
                printf("'/>\n");
            }
            printf("      </blockers>\n");
        }
        printf("    </mode>\n  </cpu>\n</domainCapabilities>\n");
        json_object_put(arr);
    } else {
        printf("models on %s (%s):\n", armcpu_host_name(h), armcpu_host_kernel(h));
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            struct json_object *d = json_object_array_get_idx(arr, i), *name, *un;
            json_object_object_get_ex(d, "name", &name);
            json_object_object_get_ex(d, "unavailable-features", &un);
            printf("  %-20s %s", json_object_get_string(name),
                   json_object_array_length(un) ? "blocked by" : "usable");
            for (size_t k = 0; k < json_object_array_length(un); k++)
                printf(" %s", json_object_get_string(json_object_array_get_idx(un, k)));
            putchar('\n');
        }
        json_object_put(arr);
    }
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    return EXIT_OK;
}

/* The values a host accepts for field f: its own, and where writable every
 * value the kernel's rule calls safe. */
static bool host_accepts(const armcpu_host *h, const armcpu_field *f, uint64_t v)
{
    const armcpu_reg *r = armcpu_field_reg(f);
    if (armcpu_host_reg_state(h, r) != ARMCPU_REG_PRESENT)
        return true; /* unknown: nothing to hold against it */
    uint64_t hv = armcpu_field_get(f, armcpu_host_reg_value(h, r));
    return v == hv || (armcpu_host_field_writable(h, f) &&
                       armcpu_field_is_safe(f, v, hv, NULL, 0));
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
    if (!ctx) {
        armcpu_host_free(h);
        return rc;
    }
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
        const armcpu_prop *p = armcpu_prop_at(ctx, i);
        armcpu_prop_kind k = armcpu_prop_kind_of(p);
        if (k == ARMCPU_PROP_COMPOSITE || k == ARMCPU_PROP_FRACTIONAL)
            continue; /* their fields are listed one by one */
        const armcpu_field *f = armcpu_prop_field_at(p, 0);
        const armcpu_reg *r = armcpu_field_reg(f);
        struct json_object *vals = json_object_new_array();
        char text[2048] = "";
        size_t used = 0;
        if (armcpu_prop_value_count(p) && k != ARMCPU_PROP_SYSREG) {
            for (size_t j = 0; j < armcpu_prop_value_count(p); j++) {
                const char *n;
                uint64_t v;
                armcpu_prop_value_at(p, j, &n, &v);
                if (!host_accepts(h, f, v))
                    continue;
                json_object_array_add(vals, json_object_new_string(n));
                used += (size_t)snprintf(text + used, used < sizeof text ? sizeof text - used : 0,
                                         "%s%s", used ? ", " : "", n);
            }
        } else if (armcpu_field_width(f) <= 4) {
            for (uint64_t v = 0; v < (1u << armcpu_field_width(f)); v++) {
                if (!host_accepts(h, f, v))
                    continue;
                char hex[24];
                snprintf(hex, sizeof hex, "0x%" PRIx64, v);
                json_object_array_add(vals, json_object_new_string(hex));
                used += (size_t)snprintf(text + used, used < sizeof text ? sizeof text - used : 0,
                                         "%s%s", used ? ", " : "", hex);
            }
        } else if (armcpu_host_reg_state(h, r) == ARMCPU_REG_PRESENT) {
            uint64_t hv = armcpu_field_get(f, armcpu_host_reg_value(h, r)), ranges[4];
            size_t nr = 1;
            ranges[0] = ranges[1] = hv;
            if (armcpu_host_field_writable(h, f))
                armcpu_field_safe_ranges(f, hv, ranges, &nr);
            for (size_t j = 0; j < nr; j++) {
                char rtext[64];
                snprintf(rtext, sizeof rtext, ranges[2 * j] == ranges[2 * j + 1] ? "0x%" PRIx64 : "0x%" PRIx64 "-0x%" PRIx64,
                         ranges[2 * j], ranges[2 * j + 1]);
                json_object_array_add(vals, json_object_new_string(rtext));
                used += (size_t)snprintf(text + used, used < sizeof text ? sizeof text - used : 0,
                                         "%s%s", used ? ", " : "", rtext);
            }
        }
        if (fl->json) {
            struct json_object *o = json_object_new_object();
            json_object_object_add(o, "name", json_object_new_string(armcpu_prop_name(p)));
            json_object_object_add(o, "type",
                                   json_object_new_string(armcpu_prop_type_name(armcpu_prop_type_of(p))));
            json_object_object_add(o, "writable",
                                   json_object_new_boolean(armcpu_host_field_writable(h, f)));
            json_object_object_add(o, "supported", vals);
            json_object_array_add(arr, o);
        } else {
            json_object_put(vals);
            printf("%s: %s\n", armcpu_prop_name(p), text);
        }
    }
    if (fl->json)
        print_json(arr);
    else
        json_object_put(arr);
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    return EXIT_OK;
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
    return EXIT_OK;
}

/* Does the spec need the VMM capability that makes MIDR/REVIDR/AIDR
 * writable, i.e. does its identity differ from some host's? */
static bool needs_imp_id_cap(const armcpu_ctx *ctx, const char *spec, armcpu_host **hosts,
                             int n)
{
    armcpu_cpu *cpu = armcpu_realize(ctx, spec, false, NULL);
    bool need = false;
    static const char *const ids[] = {"MIDR_EL1", "REVIDR_EL1", "AIDR_EL1"};
    for (int h = 0; cpu && h < n && !need; h++)
        for (size_t k = 0; k < 3; k++) {
            const armcpu_reg *r = armcpu_reg_by_name(ids[k], NULL);
            if (armcpu_host_reg_state(hosts[h], r) == ARMCPU_REG_PRESENT &&
                armcpu_host_reg_value(hosts[h], r) != armcpu_cpu_reg_value(cpu, r) &&
                armcpu_host_reg_mask(hosts[h], r))
                need = true;
        }
    armcpu_cpu_free(cpu);
    return need;
}

#define MIXED32_NOTE                                                                       \
    "the spec has no AArch32 and only some hosts have it: the AArch32 ID registers stay "   \
    "each host's (UNKNOWN to the guest); a VMM migrating from a host without AArch32 to one " \
    "with it must not restore them (KVM refuses e.g. ID_DFR0_EL1.CopDbg 0; armcpu migrate "  \
    "load skips them)"

/* A spec without AArch32 on a fleet where only some hosts have it. */
static bool mixed_aarch32(const armcpu_ctx *ctx, const char *spec, armcpu_host *const *hosts,
                          int n)
{
    armcpu_cpu *cpu = armcpu_realize(ctx, spec, false, NULL);
    bool no32 = cpu && !armcpu_cpu_has_aarch32(cpu);
    armcpu_cpu_free(cpu);
    int with = 0;
    for (int i = 0; i < n; i++)
        with += host_aarch32(hosts[i]);
    return no32 && with > 0 && with < n;
}

/* For each known kernel: can one spec serve the whole fleet, with what, or
 * what blocks it; then the oldest kernel that makes the fleet migratable. */
int cmd_plan(int argc, char **argv)
{
    struct flags fl;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos)
        return EXIT_ENV;
    int npos, rc = parse_flags("plan", argc, argv, "json base", &fl, pos, &npos, argc);
    if (rc || npos < 1) {
        free(pos);
        return rc ? rc : usage_error("plan", "expected at least one host%s", "");
    }
    armcpu_host **hosts = calloc((size_t)npos, sizeof *hosts);
    armcpu_ctx *ctx = hosts ? open_ctx("plan", &rc) : NULL;
    if (!hosts || !ctx) {
        free(hosts);
        free(pos);
        return hosts ? rc : EXIT_ENV;
    }
    struct json_object *kernels = json_object_new_array();
    long oldest = -1, oldest_measured = -1;
    char last_conflicts[4096] = "";
    for (size_t k = 0; k < armcpu_kernel_count(); k++) {
        const char *ver = armcpu_kernel_version(k);
        int n = 0;
        for (; n < npos; n++)
            if (!(hosts[n] = open_host_kernel("plan", pos[n], ver, &rc)))
                break;
        if (n < npos) {
            for (int i = 0; i < n; i++)
                armcpu_host_free(hosts[i]);
            goto out;
        }
        armcpu_error err = {0};
        armcpu_baseline *b =
            armcpu_baseline_new(ctx, (const armcpu_host *const *)hosts, (size_t)n, fl.base, &err);
        if (!b) {
            rc = fail("plan", &err);
            for (int i = 0; i < n; i++)
                armcpu_host_free(hosts[i]);
            goto out;
        }
        char caps[256], prov[512];
        armcpu_kernel_capabilities(k, caps, sizeof caps);
        armcpu_kernel_provenance(k, prov, sizeof prov);
        bool ok = armcpu_baseline_possible(b);
        bool cap = ok && *caps && needs_imp_id_cap(ctx, armcpu_baseline_spec(b), hosts, n);
        bool mixed32 = ok && mixed_aarch32(ctx, armcpu_baseline_spec(b), hosts, n);
        bool derived = !strncmp(prov, "derived", 7);
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "kernel", json_object_new_string(ver));
        json_object_object_add(o, "masks", json_object_new_string(derived ? "derived" : "measured"));
        json_object_object_add(o, "migratable", json_object_new_boolean(ok));
        struct json_object *blk = json_object_new_array();
        size_t used = 0;
        last_conflicts[0] = 0;
        size_t nconf = armcpu_baseline_conflict_count(b);
        for (size_t i = 0; i < nconf; i++) {
            const char *c = armcpu_baseline_conflict_at(b, i);
            json_object_array_add(blk, json_object_new_string(c));
            if (i < 8 || nconf <= 10)
                used += (size_t)snprintf(last_conflicts + used,
                                         used < sizeof last_conflicts ? sizeof last_conflicts - used : 0,
                                         "    %s\n", c);
            else if (i == 8)
                used += (size_t)snprintf(last_conflicts + used,
                                         used < sizeof last_conflicts ? sizeof last_conflicts - used : 0,
                                         "    ... and %zu more (--json lists all)\n", nconf - 8);
        }
        json_object_object_add(o, "blockers", blk);
        if (ok) {
            json_object_object_add(o, "spec", json_object_new_string(armcpu_baseline_spec(b)));
            struct json_object *ca = json_object_new_array();
            if (cap)
                json_object_array_add(ca, json_object_new_string(caps));
            json_object_object_add(o, "vmm-capabilities", ca);
            struct json_object *notes = json_object_new_array();
            if (mixed32)
                json_object_array_add(notes, json_object_new_string(MIXED32_NOTE));
            json_object_object_add(o, "vmm-notes", notes);
        }
        struct json_object *idf = json_object_new_array();
        for (size_t i = 0; i < armcpu_baseline_identity_count(b); i++)
            json_object_array_add(idf, json_object_new_string(armcpu_baseline_identity_at(b, i)));
        json_object_object_add(o, "identity-differences", idf);
        json_object_array_add(kernels, o);
        if (!fl.json) {
            printf("Linux %-5s %-9s %s\n", ver, derived ? "(derived)" : "(measured)",
                   ok ? "migratable" : "not migratable");
            if (ok) {
                printf("    spec: %s\n", armcpu_baseline_spec(b));
                if (cap)
                    printf("    the VMM must enable %s (the guests' MIDR/REVIDR/AIDR differ from "
                           "some host's)\n",
                           caps);
                else if (armcpu_baseline_identity_count(b))
                    printf("    note: %zu MIDR/REVIDR/AIDR field(s) differ and cannot be written "
                           "on this kernel: each guest sees its host's\n",
                           armcpu_baseline_identity_count(b));
                if (mixed32)
                    printf("    note: %s\n", MIXED32_NOTE);
            } else {
                fputs(last_conflicts, stdout);
            }
        }
        if (ok && oldest < 0)
            oldest = (long)k;
        if (ok && !derived && oldest_measured < 0)
            oldest_measured = (long)k;
        armcpu_baseline_free(b);
        for (int i = 0; i < n; i++) {
            armcpu_host_free(hosts[i]);
            hosts[i] = NULL;
        }
    }
    if (fl.json) {
        struct json_object *root = json_object_new_object();
        json_object_object_add(root, "kernels", kernels);
        json_object_object_add(root, "oldest-migratable",
                               oldest >= 0 ? json_object_new_string(armcpu_kernel_version((size_t)oldest))
                                           : NULL);
        json_object_object_add(root, "oldest-migratable-measured",
                               oldest_measured >= 0
                                   ? json_object_new_string(armcpu_kernel_version((size_t)oldest_measured))
                                   : NULL);
        print_json(root);
        kernels = NULL;
    } else if (oldest >= 0) {
        char prov[512];
        armcpu_kernel_provenance((size_t)oldest, prov, sizeof prov);
        printf("oldest kernel that makes the fleet migratable: Linux %s (masks %s)\n",
               armcpu_kernel_version((size_t)oldest), prov);
        if (oldest_measured != oldest && oldest_measured >= 0)
            printf("oldest kernel with measured masks that does: Linux %s\n",
                   armcpu_kernel_version((size_t)oldest_measured));
    } else {
        printf("no known kernel makes this fleet migratable; on the newest (%s) these fields "
               "differ and no known KVM lets userspace make them equal:\n%s",
               armcpu_kernel_version(armcpu_kernel_count() - 1), last_conflicts);
    }
    if (oldest < 0)
        rc = EXIT_INPUT;
out:
    json_object_put(kernels);
    armcpu_ctx_free(ctx);
    free(hosts);
    free(pos);
    return rc;
}
