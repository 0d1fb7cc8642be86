/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * armcpu — command-line front end of libarmcpu.
 * Exit codes: 0 ok, 1 usage or input error, 2 environment error.
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "armcpu/armcpu.h"
#include "armcpu/model.h"
#include "armcpu/out.h"
#include "cli.h"



static void print_encoding(const armcpu_reg *r, char *buf, size_t size)
{
    unsigned e[5];
    armcpu_reg_encoding(r, &e[0], &e[1], &e[2], &e[3], &e[4]);
    armcpu_encoding_format(e[0], e[1], e[2], e[3], e[4], buf, size);
}

/* ---------------------------------------------------------------- regs */

static struct json_object *field_json(const armcpu_field *f)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(armcpu_field_name(f)));
    json_object_object_add(o, "lsb", json_object_new_int((int)armcpu_field_lsb(f)));
    json_object_object_add(o, "width", json_object_new_int((int)armcpu_field_width(f)));
    json_object_object_add(o, "signed", json_object_new_boolean(armcpu_field_is_signed(f)));
    json_object_object_add(o, "policy",
                           json_object_new_string(armcpu_policy_name(armcpu_field_policy(f))));
    json_object_object_add(o, "safe_value",
                           json_object_new_uint64(armcpu_field_safe_value(f)));
    json_object_object_add(o, "default", json_object_new_uint64(armcpu_field_default(f)));
    struct json_object *vals = json_object_new_array();
    for (size_t i = 0; i < armcpu_field_value_count(f); i++) {
        uint64_t v;
        const char *name, *feat;
        armcpu_field_value_at(f, i, &v, &name, &feat);
        struct json_object *vo = json_object_new_object();
        json_object_object_add(vo, "value", json_object_new_uint64(v));
        json_object_object_add(vo, "name", json_object_new_string(name));
        if (feat)
            json_object_object_add(vo, "feat", json_object_new_string(feat));
        json_object_array_add(vals, vo);
    }
    json_object_object_add(o, "values", vals);
    return o;
}

static struct json_object *reg_json(const armcpu_reg *r)
{
    struct json_object *o = json_object_new_object();
    unsigned e[5];
    static const char *const keys[5] = {"op0", "op1", "crn", "crm", "op2"};
    char id[32];
    armcpu_reg_encoding(r, &e[0], &e[1], &e[2], &e[3], &e[4]);
    json_object_object_add(o, "name", json_object_new_string(armcpu_reg_name(r)));
    for (int i = 0; i < 5; i++)
        json_object_object_add(o, keys[i], json_object_new_int((int)e[i]));
    snprintf(id, sizeof id, "0x%016" PRIx64, armcpu_reg_kvm_id(r));
    json_object_object_add(o, "kvm_id", json_object_new_string(id));
    snprintf(id, sizeof id, "0x%016" PRIx64, armcpu_reg_res0_mask(r));
    json_object_object_add(o, "res0", json_object_new_string(id));
    snprintf(id, sizeof id, "0x%016" PRIx64, armcpu_reg_res1_mask(r));
    json_object_object_add(o, "res1", json_object_new_string(id));
    struct json_object *fields = json_object_new_array();
    for (size_t i = 0; i < armcpu_reg_field_count(r); i++)
        json_object_array_add(fields, field_json(armcpu_reg_field_at(r, i)));
    json_object_object_add(o, "fields", fields);
    return o;
}

static void format_bits(const armcpu_field *f, char *buf, size_t size)
{
    unsigned lsb = armcpu_field_lsb(f), w = armcpu_field_width(f);
    if (w == 1)
        snprintf(buf, size, "[%u]", lsb);
    else
        snprintf(buf, size, "[%u:%u]", lsb + w - 1, lsb);
}

static void format_values(const armcpu_field *f, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < armcpu_field_value_count(f) && used < size; i++) {
        uint64_t v;
        const char *name, *feat;
        armcpu_field_value_at(f, i, &v, &name, &feat);
        used += (size_t)snprintf(buf + used, size - used, "%s%" PRIu64 "=%s%s%s%s",
                                 i ? " " : "", v, name, feat ? "(" : "",
                                 feat ? feat : "", feat ? ")" : "");
    }
}

static int cmd_regs(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("regs", argc, argv, "json", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    armcpu_error err = {0};
    if (npos == 1) {
        const armcpu_reg *r = armcpu_reg_by_name(pos[0], &err);
        if (!r)
            return fail("regs", &err);
        if (fl.json)
            return print_json("armcpu-register", NULL, reg_json(r));
        char enc[64];
        print_encoding(r, enc, sizeof enc);
        printf("%s  %s  kvm_id 0x%016" PRIx64 "  default 0x%016" PRIx64 "\n",
               armcpu_reg_name(r), enc, armcpu_reg_kvm_id(r),
               armcpu_reg_default_value(r));
        printf("%-24s %-8s %-6s %-14s %-6s %-7s %s\n", "FIELD", "BITS", "SIGN",
               "POLICY", "SAFE", "DEFAULT", "VALUES");
        for (size_t i = 0; i < armcpu_reg_field_count(r); i++) {
            const armcpu_field *f = armcpu_reg_field_at(r, i);
            char bits[16], vals[1024];
            format_bits(f, bits, sizeof bits);
            format_values(f, vals, sizeof vals);
            printf("%-24s %-8s %-6s %-14s 0x%-4" PRIx64 " 0x%-5" PRIx64 " %s\n",
                   armcpu_field_name(f), bits,
                   armcpu_field_is_signed(f) ? "signed" : "unsig",
                   armcpu_policy_name(armcpu_field_policy(f)),
                   armcpu_field_safe_value(f), armcpu_field_default(f), vals);
        }
        return EXIT_OK;
    }
    if (fl.json) {
        struct json_object *arr = json_object_new_array();
        for (size_t i = 0; i < armcpu_reg_count(); i++)
            json_object_array_add(arr, reg_json(armcpu_reg_at(i)));
        return print_json("armcpu-regs", "registers", arr);
    }
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        char enc[64];
        print_encoding(r, enc, sizeof enc);
        printf("%-18s %-30s 0x%016" PRIx64 " %2zu fields\n", armcpu_reg_name(r),
               enc, armcpu_reg_kvm_id(r), armcpu_reg_field_count(r));
    }
    return EXIT_OK;
}

/* -------------------------------------------------------------- decode */

static int cmd_decode(int argc, char **argv)
{
    struct flags fl;
    char *pos[2];
    int npos, rc = parse_flags("decode", argc, argv, "json", &fl, pos, &npos, 2);
    if (rc)
        return rc;
    if (npos != 2)
        return usage_error("decode", "expected REG and VALUE%s", "");
    armcpu_error err = {0};
    const armcpu_reg *r = armcpu_reg_by_name(pos[0], &err);
    uint64_t value;
    if (!r)
        return fail("decode", &err);
    if (armcpu_parse_u64(pos[1], "register value", &value, &err))
        return fail("decode", &err);
    uint64_t res0 = armcpu_reg_res0_mask(r) & value;
    uint64_t res1 = armcpu_reg_res1_mask(r) & ~value;
    if (fl.json) {
        struct json_object *o = json_object_new_object();
        char hex[32];
        json_object_object_add(o, "register", json_object_new_string(armcpu_reg_name(r)));
        snprintf(hex, sizeof hex, "0x%016" PRIx64, value);
        json_object_object_add(o, "value", json_object_new_string(hex));
        struct json_object *fields = json_object_new_array();
        for (size_t i = 0; i < armcpu_reg_field_count(r); i++) {
            const armcpu_field *f = armcpu_reg_field_at(r, i);
            uint64_t v = armcpu_field_get(f, value);
            const char *name = armcpu_field_value_name(f, v);
            struct json_object *fo = json_object_new_object();
            json_object_object_add(fo, "name", json_object_new_string(armcpu_field_name(f)));
            json_object_object_add(fo, "value", json_object_new_uint64(v));
            if (armcpu_field_is_signed(f))
                json_object_object_add(fo, "signed_value",
                                       json_object_new_int64(armcpu_field_get_signed(f, value)));
            json_object_object_add(fo, "value_name",
                                   name ? json_object_new_string(name) : NULL);
            json_object_array_add(fields, fo);
        }
        json_object_object_add(o, "fields", fields);
        snprintf(hex, sizeof hex, "0x%016" PRIx64, res0);
        json_object_object_add(o, "res0_bits_set", json_object_new_string(hex));
        snprintf(hex, sizeof hex, "0x%016" PRIx64, res1);
        json_object_object_add(o, "res1_bits_clear", json_object_new_string(hex));
        return print_json("armcpu-decode", NULL, o);
    }
    printf("%s = 0x%016" PRIx64 "\n", armcpu_reg_name(r), value);
    for (size_t i = 0; i < armcpu_reg_field_count(r); i++) {
        const armcpu_field *f = armcpu_reg_field_at(r, i);
        uint64_t v = armcpu_field_get(f, value);
        const char *name = armcpu_field_value_name(f, v);
        char bits[16];
        format_bits(f, bits, sizeof bits);
        printf("  %-24s %-8s 0x%-6" PRIx64 " %s\n", armcpu_field_name(f), bits, v,
               name ? name : (armcpu_field_value_count(f) ? "(reserved)" : ""));
    }
    if (res0)
        printf("  warning: RES0 bits set: 0x%016" PRIx64 "\n", res0);
    if (res1)
        printf("  warning: RES1 bits clear: 0x%016" PRIx64 "\n", res1);
    return EXIT_OK;
}

/* -------------------------------------------------------------- encode */

static int cmd_encode(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("encode", argc, argv, "u128", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("encode", "expected one register name or encoding%s",
                           "");
    armcpu_error err = {0};
    unsigned e[5];
    if (!strncasecmp(pos[0], "op0", 3)) {
        if (armcpu_encoding_parse(pos[0], &e[0], &e[1], &e[2], &e[3], &e[4],
                                  &err))
            return fail("encode", &err);
    } else {
        const armcpu_reg *r = armcpu_reg_by_name(pos[0], &err);
        if (!r)
            return fail("encode", &err);
        armcpu_reg_encoding(r, &e[0], &e[1], &e[2], &e[3], &e[4]);
    }
    uint64_t id;
    if (armcpu_kvm_id_encode(e[0], e[1], e[2], e[3], e[4], fl.u128 ? 128 : 64,
                             &id, &err))
        return fail("encode", &err);
    printf("0x%016" PRIx64 "\n", id);
    return EXIT_OK;
}

static int cmd_decode_id(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("decode-id", argc, argv, "", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("decode-id", "expected one KVM register id%s", "");
    armcpu_error err = {0};
    uint64_t id;
    unsigned e[5], size;
    if (armcpu_parse_u64(pos[0], "KVM register id", &id, &err) ||
        armcpu_kvm_id_decode(id, &e[0], &e[1], &e[2], &e[3], &e[4], &size, &err))
        return fail("decode-id", &err);
    char enc[64];
    armcpu_encoding_format(e[0], e[1], e[2], e[3], e[4], enc, sizeof enc);
    const armcpu_reg *r = armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], NULL);
    printf("%s size:%u %s\n", enc, size, r ? armcpu_reg_name(r) : "(not an ID register)");
    return EXIT_OK;
}

/* ---------------------------------------------------------------- safe */

static int cmd_safe(int argc, char **argv)
{
    struct flags fl;
    char *pos[3];
    int npos, rc = parse_flags("safe", argc, argv, "", &fl, pos, &npos, 3);
    if (rc)
        return rc;
    if (npos != 3)
        return usage_error("safe", "expected REG.FIELD VALUE HOST_VALUE%s", "");
    armcpu_error err = {0};
    const armcpu_field *f = armcpu_field_lookup(pos[0], &err);
    if (!f)
        return fail("safe", &err);
    uint64_t v, host;
    if (armcpu_parse_u64(pos[1], "VALUE", &v, &err) ||
        armcpu_parse_u64(pos[2], "HOST_VALUE", &host, &err))
        return fail("safe", &err);
    uint64_t max = armcpu_field_width(f) >= 64
                       ? UINT64_MAX
                       : (1ULL << armcpu_field_width(f)) - 1;
    if (v > max || host > max) {
        fprintf(stderr,
                "armcpu safe: %s 0x%" PRIx64 " does not fit %s.%s (%u bits: "
                "0..0x%" PRIx64 ")\n",
                v > max ? "VALUE" : "HOST_VALUE", v > max ? v : host,
                armcpu_reg_name(armcpu_field_reg(f)), armcpu_field_name(f),
                armcpu_field_width(f), max);
        return EXIT_INPUT;
    }
    char reason[256];
    if (armcpu_field_is_safe(f, v, host, reason, sizeof reason))
        puts("safe");
    else
        printf("unsafe: %s\n", reason);
    return EXIT_OK;
}

/* -------------------------------------------------------------- models */

/* models --namesakes: for every kernel view from 6.12 on, the version each
 * unversioned name means and its answer on each of its namesakes (the
 * table tests/unit/test_namesakes.c holds to "usable"). */
static int models_namesakes(const struct flags *fl, size_t only)
{
    int rc;
    armcpu_ctx *ctx = open_ctx("models", &rc);
    if (!ctx)
        return rc;
    struct json_object *arr = fl->json ? json_object_new_array() : NULL;
    if (!arr)
        printf("%-8s %-14s %-16s %-30s %s\n", "KERNEL", "NAME", "VERSION", "NAMESAKE",
               "ANSWER");
    rc = EXIT_OK;
    for (size_t v = 0; v < armcpu_view_count() && rc == EXIT_OK; v++) {
        const char *kernel = armcpu_view_version(v);
        if (armcpu_kernel_key(kernel) < 6012 || (fl->kernel && v != only))
            continue;
        for (size_t i = 0; i < armcpu_model_count(ctx) && rc == EXIT_OK; i++) {
            const armcpu_model *m = armcpu_model_at(ctx, i);
            const char *ns = armcpu_model_namesakes(m);
            if (armcpu_model_lookup_for_kernel(ctx, armcpu_model_base_name(m), kernel, NULL) !=
                    m ||
                !armcpu_model_realizable(m) || !ns)
                continue;
            char buf[256];
            snprintf(buf, sizeof buf, "%s", ns);
            for (char *save = NULL, *t = strtok_r(buf, " ", &save); t && rc == EXIT_OK;
                 t = strtok_r(NULL, " ", &save)) {
                char answer[64] = "no snapshot";
                armcpu_error herr = {0};
                armcpu_host *h = strcmp(t, "none") ? armcpu_host_open_for_kernel(t, kernel, &herr)
                                                   : NULL;
                if (!h && herr.code && herr.code != ARMCPU_ERR_NOT_FOUND) {
                    rc = fail("models", &herr);
                    break;
                }
                if (h) {
                    armcpu_error err = {0};
                    armcpu_cpu *cpu =
                        armcpu_realize_on_host(ctx, armcpu_model_name(m), h, false, &err);
                    if (!cpu) {
                        rc = fail("models", &err);
                        armcpu_host_free(h);
                        break;
                    }
                    size_t unknown = 0, blockers = armcpu_check_count(cpu, h, &unknown);
                    if (blockers)
                        snprintf(answer, sizeof answer, "blocked: %zu blocker%s", blockers,
                                 blockers == 1 ? "" : "s");
                    else if (unknown)
                        snprintf(answer, sizeof answer, "usable, %zu field%s unknown", unknown,
                                 unknown == 1 ? "" : "s");
                    else
                        snprintf(answer, sizeof answer, "usable");
                    armcpu_cpu_free(cpu);
                    armcpu_host_free(h);
                } else if (!strcmp(t, "none")) {
                    snprintf(answer, sizeof answer, "no namesake measured");
                }
                if (arr) {
                    struct json_object *o = json_object_new_object();
                    json_object_object_add(o, "kernel", json_object_new_string(kernel));
                    json_object_object_add(o, "name",
                                           json_object_new_string(armcpu_model_base_name(m)));
                    json_object_object_add(o, "version",
                                           json_object_new_string(armcpu_model_name(m)));
                    json_object_object_add(o, "namesake",
                                           strcmp(t, "none") ? json_object_new_string(t) : NULL);
                    json_object_object_add(o, "answer", json_object_new_string(answer));
                    json_object_array_add(arr, o);
                } else {
                    printf("%-8s %-14s %-16s %-30s %s\n", kernel, armcpu_model_base_name(m),
                           armcpu_model_name(m), strcmp(t, "none") ? t : "-", answer);
                }
            }
        }
    }
    armcpu_ctx_free(ctx);
    if (rc != EXIT_OK) {
        json_object_put(arr);
        return rc;
    }
    return arr ? print_json("armcpu-namesakes", "rows", arr) : EXIT_OK;
}

static int cmd_models(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("models", argc, argv, "json xml host kernel namesakes", &fl, pos,
                               &npos, 0);
    if (rc)
        return rc;
    if (fl.namesakes && (fl.host || fl.xml))
        return usage_error("models", "--namesakes checks the models on their own namesakes: "
                           "no --host or --xml%s",
                           "");
    size_t only;
    bool exact;
    if (fl.namesakes && fl.kernel && !armcpu_view_table_for(fl.kernel, &only, &exact))
        return usage_error("models", "--kernel '%s': no kernel view table for it or an older "
                           "kernel (armcpu kernels lists them)",
                           fl.kernel);
    if (fl.namesakes)
        return models_namesakes(&fl, only);
    if (fl.host)
        return models_on_host(&fl);
    if (fl.xml)
        return usage_error("models", "--xml needs --host H (libvirt domain capabilities)%s", "");
    armcpu_ctx *ctx = open_ctx("models", &rc);
    if (!ctx)
        return rc;
    struct json_object *arr = fl.json ? json_object_new_array() : NULL;
    if (fl.kernel && !armcpu_kernel_key(fl.kernel)) {
        armcpu_ctx_free(ctx);
        return usage_error("models", "--kernel '%s' is not a kernel release (MAJOR.MINOR...)",
                           fl.kernel);
    }
    if (!fl.json)
        printf("%-22s %-22s %-3s %-10s %-10s %s\n", "NAME", "PARENT", "VER", "REALIZABLE",
               "KERNELS", fl.kernel ? "ALIAS (for --kernel)" : "ALIAS");
    for (size_t i = 0; i < armcpu_model_count(ctx); i++) {
        const armcpu_model *m = armcpu_model_at(ctx, i);
        const armcpu_model *par = armcpu_model_parent(m);
        /* what the unversioned name means: for --kernel V, else with no kernel */
        bool newest = armcpu_model_lookup_for_kernel(ctx, armcpu_model_base_name(m), fl.kernel,
                                                     NULL) == m;
        const char *kernels = armcpu_model_kernels(m);
        if (!fl.json) {
            printf("%-22s %-22s %-3u %-10s %-10s %s\n", armcpu_model_name(m),
                   par ? armcpu_model_name(par) : "-", armcpu_model_version(m),
                   armcpu_model_realizable(m) ? "yes" : "no", kernels ? kernels : "any",
                   newest ? armcpu_model_base_name(m) : "-");
            continue;
        }
        struct json_object *o = json_object_new_object();
        char tn[128];
        snprintf(tn, sizeof tn, "%s-arm-cpu", armcpu_model_name(m));
        json_object_object_add(o, "name", json_object_new_string(armcpu_model_name(m)));
        json_object_object_add(o, "typename", json_object_new_string(tn));
        json_object_object_add(o, "static", json_object_new_boolean(1));
        json_object_object_add(o, "deprecated", json_object_new_boolean(0));
        json_object_object_add(o, "realizable",
                               json_object_new_boolean(armcpu_model_realizable(m)));
        json_object_object_add(o, "parent",
                               par ? json_object_new_string(armcpu_model_name(par)) : NULL);
        json_object_object_add(o, "version", json_object_new_int((int)armcpu_model_version(m)));
        json_object_object_add(o, "description",
                               json_object_new_string(armcpu_model_description(m)));
        json_object_object_add(o, "kernels", kernels ? json_object_new_string(kernels) : NULL);
        const char *ns = armcpu_model_namesakes(m);
        if (ns) {
            struct json_object *na = json_object_new_array();
            char buf[256];
            snprintf(buf, sizeof buf, "%s", ns);
            for (char *save = NULL, *t = strtok_r(buf, " ", &save); t;
                 t = strtok_r(NULL, " ", &save))
                if (strcmp(t, "none"))
                    json_object_array_add(na, json_object_new_string(t));
            json_object_object_add(o, "namesakes", na);
        }
        json_object_array_add(arr, o);
        if (newest) {
            struct json_object *a = json_object_new_object();
            json_object_object_add(a, "name",
                                   json_object_new_string(armcpu_model_base_name(m)));
            snprintf(tn, sizeof tn, "%s-arm-cpu", armcpu_model_base_name(m));
            json_object_object_add(a, "typename", json_object_new_string(tn));
            json_object_object_add(a, "static", json_object_new_boolean(0));
            json_object_object_add(a, "deprecated", json_object_new_boolean(0));
            json_object_object_add(a, "realizable",
                                   json_object_new_boolean(armcpu_model_realizable(m)));
            json_object_object_add(a, "alias-of",
                                   json_object_new_string(armcpu_model_name(m)));
            json_object_array_add(arr, a);
        }
    }
    armcpu_ctx_free(ctx);
    if (fl.json)
        return print_qmp("query-cpu-definitions", arr);
    return EXIT_OK;
}

static int cmd_props(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("props", argc, argv, "json host kernel", &fl, pos, &npos, 0);
    if (rc)
        return rc;
    if (fl.host)
        return props_on_host(&fl);
    armcpu_ctx *ctx = open_ctx("props", &rc);
    if (!ctx)
        return rc;
    struct json_object *arr = fl.json ? json_object_new_array() : NULL;
    for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
        const armcpu_prop *p = armcpu_prop_at(ctx, i);
        char allowed[2048];
        armcpu_prop_allowed(p, allowed, sizeof allowed);
        if (!fl.json) {
            printf("%s (%s, %s): %s\n    %s\n", armcpu_prop_name(p),
                   armcpu_prop_kind_name(armcpu_prop_kind_of(p)),
                   armcpu_prop_type_name(armcpu_prop_type_of(p)), allowed,
                   armcpu_prop_description(p));
            continue;
        }
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(armcpu_prop_name(p)));
        json_object_object_add(o, "kind",
                               json_object_new_string(armcpu_prop_kind_name(armcpu_prop_kind_of(p))));
        json_object_object_add(o, "type",
                               json_object_new_string(armcpu_prop_type_name(armcpu_prop_type_of(p))));
        json_object_object_add(o, "description",
                               json_object_new_string(armcpu_prop_description(p)));
        struct json_object *fields = json_object_new_array();
        for (size_t j = 0; j < armcpu_prop_field_count(p); j++) {
            const armcpu_field *f = armcpu_prop_field_at(p, j);
            char fn[128];
            snprintf(fn, sizeof fn, "%s.%s", armcpu_reg_name(armcpu_field_reg(f)),
                     armcpu_field_name(f));
            json_object_array_add(fields, json_object_new_string(fn));
        }
        json_object_object_add(o, "fields", fields);
        struct json_object *vals = json_object_new_array();
        for (size_t j = 0; j < armcpu_prop_value_count(p); j++) {
            const char *vn;
            uint64_t v;
            armcpu_prop_value_at(p, j, &vn, &v);
            struct json_object *vo = json_object_new_object();
            json_object_object_add(vo, "name", json_object_new_string(vn));
            json_object_object_add(vo, "value", json_object_new_uint64(v));
            json_object_array_add(vals, vo);
        }
        json_object_object_add(o, "values", vals);
        json_object_object_add(o, "allowed", json_object_new_string(allowed));
        json_object_array_add(arr, o);
    }
    armcpu_ctx_free(ctx);
    if (fl.json)
        return print_json("armcpu-props", "props", arr);
    return EXIT_OK;
}

/* {"REG": "0x...", ...} for every register of a realized spec. */
static struct json_object *registers_json(const armcpu_cpu *cpu)
{
    struct json_object *regs = json_object_new_object();
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        char hex[32];
        snprintf(hex, sizeof hex, "0x%016" PRIx64, armcpu_cpu_reg_value(cpu, armcpu_reg_at(r)));
        json_object_object_add(regs, armcpu_reg_name(armcpu_reg_at(r)),
                               json_object_new_string(hex));
    }
    return regs;
}

static int cmd_expand(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("expand", argc, argv, "json type spec abstract registers host", &fl,
                               pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("expand", "expected one model spec%s", "");
    armcpu_ctx *ctx;
    armcpu_host *host = NULL;
    armcpu_cpu *cpu;
    if (fl.host) {
        armcpu_error herr = {0};
        if (!(host = armcpu_host_open(fl.host, &herr)))
            return fail("expand", &herr);
        if (!(ctx = open_ctx("expand", &rc))) {
            armcpu_host_free(host);
            return rc;
        }
        cpu = armcpu_realize_on_host(ctx, pos[0], host, fl.abstract, &herr);
        if (!cpu) {
            armcpu_ctx_free(ctx);
            armcpu_host_free(host);
            return fail("expand", &herr);
        }
        print_warnings(cpu);
    } else {
        cpu = realize_spec("expand", pos[0], fl.abstract, &ctx, &rc);
        if (!cpu)
            return rc;
    }
    bool is_static = fl.type && !strcmp(fl.type, "static");
    const char *mname = armcpu_cpu_name(cpu);
    if (fl.registers) {
        /* Registers only: the golden files that pin every versioned model. */
        struct json_object *root = json_object_new_object();
        json_object_object_add(root, "model", json_object_new_string(mname));
        json_object_object_add(root, "registers", registers_json(cpu));
        print_plain_json(root); /* the golden-file format, not a --json document */
    } else if (fl.spec) {
        /* Every field as SYSREG_ properties: feeding this back realizes the
         * same registers. */
        printf("%s", mname);
        for (size_t r = 0; r < armcpu_reg_count(); r++) {
            const armcpu_reg *reg = armcpu_reg_at(r);
            uint64_t v = armcpu_cpu_reg_value(cpu, reg);
            for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
                const armcpu_field *f = armcpu_reg_field_at(reg, i);
                printf(",SYSREG_%s_%s=0x%" PRIx64, armcpu_reg_name(reg),
                       armcpu_field_name(f), armcpu_field_get(f, v));
            }
        }
        for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) { /* and the vCPU configuration */
            uint64_t v;
            char t[256];
            if (armcpu_cpu_config(cpu, (armcpu_config)c, &v) &&
                armcpu_config_spec_text((armcpu_config)c, v, t, sizeof t) > 0)
                printf(",%s", t);
        }
        putchar('\n');
    } else if (fl.json) {
        struct json_object *root = json_object_new_object();
        struct json_object *model = json_object_new_object();
        struct json_object *props = json_object_new_object();
        json_object_object_add(model, "name", json_object_new_string(mname));
        if (is_static) {
            for (size_t i = 0; i < armcpu_cpu_user_prop_count(cpu); i++) {
                const char *n, *v;
                armcpu_cpu_user_prop_at(cpu, i, &n, &v);
                json_object_object_add(props, n, json_object_new_string(v));
            }
        } else {
            for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
                const armcpu_prop *p = armcpu_prop_at(ctx, i);
                char v[128];
                armcpu_cpu_prop_value(cpu, p, v, sizeof v);
                json_object_object_add(props, armcpu_prop_name(p), json_object_new_string(v));
            }
        }
        json_object_object_add(model, "props", props);
        json_object_object_add(root, "model", model);
        json_object_object_add(root, "registers", registers_json(cpu));
        print_json("armcpu-expansion", NULL, root);
    } else {
        printf("model %s\n", mname);
        if (is_static) {
            for (size_t i = 0; i < armcpu_cpu_user_prop_count(cpu); i++) {
                const char *n, *v;
                armcpu_cpu_user_prop_at(cpu, i, &n, &v);
                printf("  %s=%s\n", n, v);
            }
        } else {
            for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
                const armcpu_prop *p = armcpu_prop_at(ctx, i);
                char v[128];
                armcpu_cpu_prop_value(cpu, p, v, sizeof v);
                printf("  %s=%s\n", armcpu_prop_name(p), v);
            }
        }
        printf("registers\n");
        for (size_t r = 0; r < armcpu_reg_count(); r++)
            printf("  %-18s 0x%016" PRIx64 "\n", armcpu_reg_name(armcpu_reg_at(r)),
                   armcpu_cpu_reg_value(cpu, armcpu_reg_at(r)));
        if (host) {
            size_t unknown = 0, blockers = armcpu_check_count(cpu, host, &unknown);
            armcpu_answer a = armcpu_answer_of(blockers, unknown);
            printf("on %s: %s (%zu blockers, %zu unknown; `armcpu check` lists them)\n",
                   armcpu_host_name(host), armcpu_answer_name(a), blockers, unknown);
        }
    }
    armcpu_cpu_free(cpu);
    armcpu_ctx_free(ctx);
    armcpu_host_free(host);
    return EXIT_OK;
}

static void print_feature(const char *feat, const armcpu_field *f, uint64_t min,
                          void *opaque)
{
    struct json_object *arr = opaque;
    char where[160];
    snprintf(where, sizeof where, "%s.%s >= %" PRIu64, armcpu_reg_name(armcpu_field_reg(f)),
             armcpu_field_name(f), min);
    if (arr) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "feature", json_object_new_string(feat));
        json_object_object_add(o, "condition", json_object_new_string(where));
        json_object_array_add(arr, o);
    } else {
        printf("%-24s %s\n", feat, where);
    }
}

static int cmd_features(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("features", argc, argv, "json abstract", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("features", "expected one model spec%s", "");
    armcpu_ctx *ctx;
    armcpu_cpu *cpu = realize_spec("features", pos[0], fl.abstract, &ctx, &rc);
    if (!cpu)
        return rc;
    struct json_object *arr = fl.json ? json_object_new_array() : NULL;
    armcpu_cpu_for_each_feature(cpu, print_feature, arr);
    armcpu_cpu_free(cpu);
    armcpu_ctx_free(ctx);
    return arr ? print_json("armcpu-features", "features", arr) : EXIT_OK;
}

/* ---------------------------------------------------------------- lint */

struct lint_out {
    bool verbose;
    size_t count[4];
};

static void print_lint(armcpu_lint_kind kind, const char *message, void *opaque)
{
    struct lint_out *o = opaque;
    o->count[kind]++;
    if (kind == ARMCPU_LINT_UNDECIDABLE && !o->verbose)
        return;
    printf("%s: %s\n", armcpu_lint_kind_name(kind), message);
}

static int cmd_lint(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("lint", argc, argv, "abstract verbose", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("lint", "expected one model spec%s", "");
    armcpu_ctx *ctx;
    armcpu_cpu *cpu = realize_spec("lint", pos[0], fl.abstract, &ctx, &rc);
    if (!cpu)
        return rc;
    struct lint_out o = {fl.verbose, {0}};
    armcpu_cpu_lint(ctx, cpu, print_lint, &o);
    printf("%s: %zu errors, %zu warnings, %zu declared deviations, %zu undecidable%s\n",
           armcpu_cpu_name(cpu), o.count[ARMCPU_LINT_ERROR],
           o.count[ARMCPU_LINT_WARNING], o.count[ARMCPU_LINT_DEVIATION],
           o.count[ARMCPU_LINT_UNDECIDABLE],
           fl.verbose || !o.count[ARMCPU_LINT_UNDECIDABLE] ? "" : " (--verbose lists them)");
    armcpu_cpu_free(cpu);
    armcpu_ctx_free(ctx);
    return o.count[ARMCPU_LINT_ERROR] ? EXIT_INPUT : EXIT_OK;
}

/* ----------------------------------------------------------------- doc */

static const char *feat_of(const armcpu_field *f, uint64_t v)
{
    for (size_t i = 0; i < armcpu_field_value_count(f); i++) {
        uint64_t fv;
        const char *n, *feat;
        armcpu_field_value_at(f, i, &fv, &n, &feat);
        if (fv == v)
            return feat;
    }
    return NULL;
}

static void write_doc(FILE *out, const armcpu_ctx *ctx)
{
    fprintf(out, "# armcpu properties and models\n\n"
                 "Generated by `armcpu doc`; do not edit (a test fails when it is out of date).\n\n"
                 "## Properties\n\n"
                 "| property | kind | type | field(s) | values (number, Arm feature) |\n"
                 "|---|---|---|---|---|\n");
    for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
        const armcpu_prop *p = armcpu_prop_at(ctx, i);
        if (armcpu_prop_kind_of(p) == ARMCPU_PROP_SYSREG)
            continue; /* listed once below, by register */
        fprintf(out, "| `%s` | %s | %s | ", armcpu_prop_name(p),
                armcpu_prop_kind_name(armcpu_prop_kind_of(p)),
                armcpu_prop_type_name(armcpu_prop_type_of(p)));
        size_t nf = armcpu_prop_field_count(p);
        for (size_t j = 0; j < nf && j < 3; j++) {
            const armcpu_field *f = armcpu_prop_field_at(p, j);
            fprintf(out, "%s%s.%s", j ? ", " : "", armcpu_reg_name(armcpu_field_reg(f)),
                    armcpu_field_name(f));
        }
        if (nf > 3)
            fprintf(out, " and %zu more", nf - 3);
        fprintf(out, " | ");
        if (armcpu_prop_type_of(p) == ARMCPU_PROP_TYPE_FRACTION ||
            armcpu_prop_kind_of(p) == ARMCPU_PROP_COMPOSITE) {
            fprintf(out, "%s |\n", armcpu_prop_description(p));
            continue;
        }
        if (armcpu_prop_kind_of(p) == ARMCPU_PROP_CONFIG) {
            char allowed[256];
            armcpu_prop_allowed(p, allowed, sizeof allowed);
            fprintf(out, "%s; %s |\n", armcpu_prop_description(p), allowed);
            continue;
        }
        const armcpu_field *f = armcpu_prop_field_at(p, 0);
        for (size_t j = 0; j < armcpu_prop_value_count(p); j++) {
            const char *n;
            uint64_t v;
            armcpu_prop_value_at(p, j, &n, &v);
            const char *feat = feat_of(f, v);
            fprintf(out, "%s`%s` (%" PRIu64 "%s%s)", j ? ", " : "", n, v, feat ? ", " : "",
                    feat ? feat : "");
        }
        if (!armcpu_prop_value_count(p))
            fprintf(out, "0..0x%" PRIx64,
                     (uint64_t)(armcpu_field_width(f) >= 64 ? UINT64_MAX : (1ULL << armcpu_field_width(f)) - 1));
        fprintf(out, " |\n");
    }
    fprintf(out, "\nEvery field also has a raw `SYSREG_<REG>_<FIELD>` property (a number that fits "
                 "the field); `armcpu regs REG` lists the fields.\n\n## Models\n\n");
    for (size_t i = 0; i < armcpu_model_count(ctx); i++) {
        const armcpu_model *m = armcpu_model_at(ctx, i);
        const armcpu_model *par = armcpu_model_parent(m);
        const char *kernels = armcpu_model_kernels(m), *ns = armcpu_model_namesakes(m);
        fprintf(out, "### %s\n\n%s\n\nparent: %s; realizable: %s; kernels: %s; namesakes: %s; "
                     "file: `models/%s`\n\n"
                     "| setting | value | source |\n|---|---|---|\n",
                armcpu_model_name(m), armcpu_model_description(m),
                par ? armcpu_model_name(par) : "none",
                armcpu_model_realizable(m) ? "yes" : "no", kernels ? kernels : "any",
                ns ? ns : "-", armcpu_model_origin(m));
        for (size_t j = 0; j < armcpu_model_setting_count(m); j++) {
            const char *t, *v, *src;
            armcpu_model_setting_at(m, j, &t, &v, &src);
            fprintf(out, "| `%s` | `%s` | ", t, v);
            for (const char *c = src; *c; c++)
                fputs(*c == '|' ? "\\|" : (char[]){*c, 0}, out);
            fputs(" |\n", out);
        }
        for (size_t j = 0; j < armcpu_model_deviation_count(m); j++) {
            const char *feat, *why;
            armcpu_model_deviation_at(m, j, &feat, &why);
            fprintf(out, "\ndeviation: %s is not implemented although the architecture "
                         "version makes it mandatory: %s\n",
                    feat, why);
        }
        fputc('\n', out);
    }
}

static int cmd_doc(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, prc = parse_flags("doc", argc, argv, "o", &fl, pos, &npos, 0);
    if (prc)
        return prc;
    const char *path = fl.output ? fl.output : "docs/properties.md";
    int rc;
    armcpu_ctx *ctx = open_ctx("doc", &rc);
    if (!ctx)
        return rc;
    /* built in memory, then written atomically: never half-written */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        fprintf(stderr, "armcpu doc: out of memory\n");
        armcpu_ctx_free(ctx);
        return EXIT_ENV;
    }
    write_doc(out, ctx);
    armcpu_ctx_free(ctx);
    armcpu_error err = {0};
    rc = fclose(out) ? (fprintf(stderr, "armcpu doc: out of memory\n"), EXIT_ENV)
         : armcpu_write_text_file(path, text, &err) ? fail("doc", &err)
                                                     : EXIT_OK;
    free(text);
    return rc;
}

/* ---------------------------------------------------------------- help */

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"regs", cmd_regs, "armcpu regs [REG] [--json]",
     "List the ID registers (name, encoding, KVM id, number of fields), or\n"
     "the fields of REG: bits, signedness, safe policy, safe value, default\n"
     "and named values. --json prints the table as JSON."},
    {"decode", cmd_decode, "armcpu decode REG VALUE [--json]",
     "Split VALUE into REG's fields, with each field's number and value name."},
    {"encode", cmd_encode,
     "armcpu encode REG|'op0:3 op1:0 crn:0 crm:6 op2:0' [--u128]",
     "Print the KVM ONE_REG id of a register (U64, or U128 with --u128)."},
    {"decode-id", cmd_decode_id, "armcpu decode-id KVM_ID",
     "Print the encoding (as KVM error messages write it) and register name\n"
     "of a KVM ONE_REG system-register id."},
    {"safe", cmd_safe, "armcpu safe REG.FIELD VALUE HOST_VALUE",
     "Would KVM accept VALUE for the field when the host (KVM's limit) has\n"
     "HOST_VALUE? Prints 'safe' or 'unsafe: <reason>' (exit 0 both ways)."},
    {"models", cmd_models,
     "armcpu models [--kernel V] [--json] | models --host H [--kernel V] [--json|--xml] |\n"
     "       models --namesakes [--kernel V] [--json]",
     "List the named models: name, parent, version, realizable, the kernels\n"
     "the version is made for ('any': not declared) and alias: the version the\n"
     "unversioned name means, the newest one; with --kernel V, the newest one\n"
     "made for V (a spec checked on a host resolves by the host's kernel).\n"
     "--json is in the shape of QMP query-cpu-definitions (name, typename,\n"
     "static, deprecated, plus parent, kernels, namesakes and alias-of).\n"
     "--namesakes: for every kernel view from 6.12 on, the version each name\n"
     "means and its answer on each host it is named after (the snapshot for\n"
     "that kernel, else the newest older measured one re-derived); --kernel V:\n"
     "only V's view table.\n"
     "--host H: every realizable model on host H, 'usable', 'usable, N fields\n"
     "unknown' or 'blocked by' the properties armcpu check blocks it on;\n"
     "--json: query-cpu-definitions with unavailable-features (absent when the\n"
     "answer rests on unknown fields, QMP's 'not known'); --xml: libvirt domain\n"
     "capabilities, usable='yes|no|unknown' with <blockers>. --kernel V: as if\n"
     "H ran kernel V (its writable masks)."},
    {"props", cmd_props, "armcpu props [--json] | props --host H [--kernel V] [--json]",
     "List every property: name, kind, type, fields and allowed values.\n"
     "--host H (query-props-info): for each property of one field, the values\n"
     "host H accepts by armcpu check's judgement; 'unknown' where the host data\n"
     "cannot tell (no value, or measured with the vCPU feature off)."},
    {"expand", cmd_expand,
     "armcpu expand SPEC [--json] [--type static|full] [--spec] [--registers] "
     "[--abstract] [--host H]",
     "Realize SPEC (MODEL[,prop=value...]) from a clean slate and print every\n"
     "property value and every register value. --json is in the shape of QMP\n"
     "query-cpu-model-expansion; --type static lists only the given properties;\n"
     "--spec prints a spec (SYSREG_ properties for every field) that realizes\n"
     "the same registers; --registers prints only the register values as JSON\n"
     "(the golden-file format); --abstract allows an abstract model; --host H\n"
     "lets SPEC start with 'host' (H's own values as the model)."},
    {"features", cmd_features, "armcpu features SPEC [--json] [--abstract]",
     "The Arm FEAT_ names the realized registers implement, each with the\n"
     "field condition that implies it (Arm AARCHMRS Features.json mapping)."},
    {"lint", cmd_lint, "armcpu lint SPEC [--abstract] [--verbose]",
     "Architecture consistency from Arm's AARCHMRS data: every implemented FEAT\n"
     "has the FEATs it requires; a model under arm-vX_Y-a implements every FEAT\n"
     "mandatory at vX.Y (or declares a deviation). Errors are the model's own\n"
     "(exit 1); warnings are what the spec's properties break (exit 0);\n"
     "undecidable checks (no ID field shows the FEAT) are listed with --verbose."},
    {"doc", cmd_doc, "armcpu doc [-o FILE]",
     "Write docs/properties.md (or FILE): every property, its values with their\n"
     "Arm FEAT_ names, and every model with the source of each value."},
    {"hosts", cmd_hosts,
     "armcpu hosts | hosts show H [--kernel V] | hosts import FILE --name N [--masks FILE] "
     "[--kernel V] [--view guest|host] [--source TEXT] [--vcpu-features LIST|none] "
     "[--unlisted absent|unknown] [-o OUT] | hosts probe [-o FILE] [--name N]",
     "List the embedded host snapshots (name first), print one as JSON (with\n"
     "--kernel V: as kernel V's KVM shows it: values re-derived by V's view\n"
     "rules, bits the snapshot's own view hid marked unknown, and V's\n"
     "writable-mask table), or turn into a\n"
     "snapshot (written atomically with -o): a 'REGNAME 0xVALUE' listing (plus\n"
     "an optional 'REGNAME (enc) 0xMASK' mask listing), the rig's probe output,\n"
     "or a Firecracker fingerprint JSON (cpu-template-helper fingerprint dump:\n"
     "its kernel, its vCPU features, every ID register; table registers it\n"
     "lacks are absent). --kernel V names the kernel the values were read\n"
     "under; with --view host the listing is a bare-metal EL1 read and\n"
     "--kernel V the kernel whose guest view to derive from it. --vcpu-features: the KVM vCPU features the values were read with,\n"
     "a comma list of sve, pmu, ptrauth, or 'none' (their fields are then\n"
     "unchecked); --unlisted absent: the listing holds every register of\n"
     "KVM_GET_REG_LIST, so a table register it lacks is absent rather than\n"
     "unknown. A snapshot that lacks an AArch64 ID register every KVM exposes\n"
     "is loaded with a warning naming it. A host argument H is an embedded\n"
     "name, a snapshot file, or 'local' (live probe)."},
    {"check", cmd_check, "armcpu check SPEC --host H [--kernel V] [--json] [--verbose]",
     "Every field of the realized SPEC against host H by the acceptance\n"
     "judgement: same, settable; blockers over-promise (unsafe by the kernel's\n"
     "rule), not-writable, refused (a KVM write rule); identity (MIDR/REVIDR/\n"
     "AIDR the kernel cannot write), host-given; unknown (no host value) and\n"
     "unchecked (measured with the vCPU feature off). SPEC may be 'host'.\n"
     "The AArch32 fields a spec without AArch32 leaves to the host are one\n"
     "line unless --verbose.\n"
     "Last line: 'usable: 0 blockers', 'usable, N fields unknown' or 'not\n"
     "usable: N blockers'. Exit 0 usable, 4 usable with unknown fields, 3 not\n"
     "usable."},
    {"fix", cmd_fix, "armcpu fix SPEC --host H [--kernel V] [--json]",
     "The spec with one override per blocked field (the greatest value H\n"
     "accepts that the spec's covers, else the host's; aarch32=off where that\n"
     "drops AArch32), verified with armcpu check on H; or the blockers no\n"
     "property can reach (exit 3). Exit 4 when the fixed spec is usable with\n"
     "unknown fields."},
    {"compare", cmd_compare, "armcpu compare A B [--kernel V] [--json]",
     "identical, superset (A can run everything B promises), subset or\n"
     "incompatible, with the responsible properties; A and B are specs or hosts.\n"
     "Only checkable differences count: not MIDR/REVIDR/AIDR, not registers a\n"
     "side leaves to the host, not fields a host side cannot tell."},
    {"diff", cmd_diff, "armcpu diff H1 H2 [--kernel V] [--json] [--verbose]",
     "Per-field differences of two hosts with what their two-host baseline makes\n"
     "of each: fixable (the common value), fixable by aarch32=off (one line for\n"
     "all of them unless --verbose), identity, not fixable (the baseline's\n"
     "conflict, with why), or unknown."},
    {"baseline", cmd_baseline,
     "armcpu baseline H1 H2 ... [--hosts-from PATH] [--base MODEL] [--kernel V] [--json] "
     "[--target-impls FILE]",
     "The fleet's meet: for every field the greatest value every host accepts\n"
     "by armcpu check's judgement, named by the model that needs the fewest\n"
     "overrides (--base: that model), with the hosts that need each override;\n"
     "or the fields no value of which every host accepts. The spec is checked\n"
     "on every host before it is printed. --hosts-from PATH adds hosts: a\n"
     "directory of *.json snapshots, a file with one host per line (a JSON\n"
     "snapshot, or an embedded name or snapshot file), or - for standard\n"
     "input; identical snapshots are folded. --target-impls FILE writes the\n"
     "fleet's target-implementation list (JSON armcpu-target-impls): one entry\n"
     "per distinct MIDR_EL1/REVIDR_EL1/AIDR_EL1, which a VMM answers the KVM\n"
     "vendor-hyp DISCOVER_IMPL_VER/DISCOVER_IMPL_CPUS hypercalls from so the\n"
     "guest enables every implementation's errata (Linux 6.15+ host and guest;\n"
     "README \"Errata across a migration domain\"). Exit 0 possible, 4 possible\n"
     "with unknown fields, 3 impossible."},
    {"kernels", cmd_kernels, "armcpu kernels",
     "The KVM versions whose writable masks armcpu knows (version, VMM\n"
     "capabilities, provenance: measured by the rig or derived from history).\n"
     "Then the kernels whose guest-view rules it knows (what KVM shows a guest\n"
     "for each field: hidden, capped, forced, the raw hardware value), with\n"
     "their provenance. A --kernel V without a table of its own uses the\n"
     "nearest older one and says so."},
    {"plan", cmd_plan,
     "armcpu plan H1 H2 ... [--hosts-from PATH] [--base MODEL] [--from A --to B] [--json]",
     "For each known kernel: the fleet's baseline under that kernel's masks\n"
     "(checked on every host), the VMM capabilities and notes it needs, or what\n"
     "blocks it; then the oldest kernel that makes the fleet migratable (exit 0;\n"
     "4 when that answer rests on unknown fields; 3 when no kernel does).\n"
     "--kernel VERSION on models, props, check, fix, compare, diff and baseline\n"
     "asks the same 'what if these hosts ran it'. With --from A --to B: a rolling\n"
     "kernel upgrade: the spec that every host accepts as kernel A's KVM shows it\n"
     "and as kernel B's, and for each host whether a host-passthrough guest\n"
     "started under A moves to it under B (the fields that refuse it, with the\n"
     "values before and after)."},
    {"qemu-args", cmd_qemu_args,
     "armcpu qemu-args SPEC [--dialect feat|sysreg] [--host H] [--kernel V] [--force]",
     "Print QEMU's -cpu option for SPEC, derived from its realized registers.\n"
     "feat (default; the named-model series, RFC v1/v2): the canonical spec,\n"
     "the versioned model, composites off where the spec has a whole group off,\n"
     "one override per field that still differs. sysreg (the customizable host\n"
     "model series): 'host' and one SYSREG_<REG>_<FIELD>=0x.. per field; with\n"
     "--host H, every field whose value differs from H's view, defaults\n"
     "included (an unlisted field keeps the host's); without, every field\n"
     "writable on --kernel V (default: the newest table with masks). With\n"
     "--host a spec `check` blocks on H is refused (exit 5, blockers named);\n"
     "--force prints it anyway; one check leaves fields unknown on is printed\n"
     "with a note and exit 4. Neither series is merged in QEMU."},
    {"libvirt", cmd_libvirt,
     "armcpu libvirt SPEC [--form custom|values] [--host H] [--kernel V] [--force]",
     "Print a libvirt domain <cpu> element for SPEC's canonical spec: the\n"
     "versioned model with fallback forbidden. custom (default; today's\n"
     "libvirt): on/off properties as required/disabled features; a spec that\n"
     "needs any other value is an error naming it (exit 1). values (the libvirt\n"
     "RFC 'Arm CPU features with supported values'): every other property as\n"
     "<feature policy='require' name='P' value='V'/>. --host refuses a spec\n"
     "blocked there (exit 5) unless --force, and exits 4 where fields are unknown."},
    {"firecracker", cmd_firecracker,
     "armcpu firecracker SPEC --host H [--kernel V] [-o FILE] [--force]",
     "Write a Firecracker custom CPU template (reg_modifiers and vcpu_features)\n"
     "for SPEC on host H: one modifier per register whose fields differ from H's\n"
     "view, the bits of those fields the spec's and x elsewhere; the vCPU\n"
     "features PMU_V3, SVE and PTRAUTH as the spec has them. A spec blocked on\n"
     "H is refused (exit 5) unless --force; exit 4 where check leaves fields\n"
     "unknown. -o writes FILE atomically."},
    {"realize", cmd_realize, "armcpu realize SPEC --kvm [--force] [--after-run SPEC2]",
     "Apply SPEC to a scratch KVM vCPU (refused before any write when the checks\n"
     "block it; --force writes anyway and lets KVM judge), read every register\n"
     "back, then run a tiny guest that reads each ID register with mrs and\n"
     "compare what it saw with the model field by field. Exit 1 on a mismatch.\n"
     "A write KVM refuses rolls back the writes before it (read back: nothing\n"
     "left changed, exit 1); exit 2 when a rollback fails (the vCPU is partial).\n"
     "--after-run SPEC2 then applies SPEC2 to the vCPU that has run (EBUSY)."},
    {"migrate", cmd_migrate,
     "armcpu migrate save SPEC -o STATE | migrate load SPEC STATE |\n"
     "       migrate check STATE --host H [--kernel V]",
     "Migration rehearsal on KVM. save: apply SPEC to a scratch vCPU, run the\n"
     "guest, save every register of KVM_GET_REG_LIST (atomically). load: apply\n"
     "SPEC, then KVM_SET_ONE_REG every saved register; each refusal is reported\n"
     "as a feature ID register (fields named), an identity difference\n"
     "(MIDR/REVIDR/AIDR), cache geometry, or another register. Exit 1 unless\n"
     "every feature register was restored. check (no KVM): the saved ID\n"
     "registers judged on snapshot H by armcpu check's judgement: the fields its\n"
     "KVM would refuse (exit 3), or loadable (0; 4 with fields unknown)."},
    {"help", cmd_help, "armcpu help [COMMAND] | help --man",
     "Show help for a command; --man prints this help as the armcpu(1) man page."},
};

const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    fprintf(out, "armcpu %s — named, versioned, migratable CPU models for arm64 "
                 "KVM guests\n\nCommands:\n",
            ARMCPU_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fprintf(out, "\nEvery command takes --model-file FILE (anywhere, up to %d times): models\n"
                 "of that file join the built-in ones (docs/model-format.md).\n",
            MAX_MODEL_FILES);
    fprintf(out, "\nExit codes: 0 ok, 1 usage or input error, 2 environment error; the\n"
                 "answers of check, fix, baseline and plan (and of qemu-args, libvirt and\n"
                 "firecracker with --host): 3 no (blocked, impossible), 4 yes but some\n"
                 "fields unknown; 5 an artifact for a host refused: the spec is blocked there.\n"
                 "`armcpu help COMMAND` for details.\n");
}

/* Text as roff: backslashes and hyphens escaped, a line that would start
 * with a control character protected. */
static void roff_text(FILE *out, const char *s)
{
    bool bol = true;
    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            fputs("\\&", out);
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
        bol = *s == '\n';
    }
}

/* armcpu(1), from the same table as `armcpu help` (meson builds and
 * installs it; a test holds every command's help in it). */
static void print_man(FILE *out)
{
    fprintf(out, ".TH ARMCPU 1 \"\" \"armcpu %s\" \"User Commands\"\n.nh\n.ad l\n",
            ARMCPU_VERSION);
    fputs(".SH NAME\narmcpu \\- named, versioned, migratable CPU models for arm64 KVM "
          "guests\n.SH SYNOPSIS\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fputs(".PP\n.B ", out);
        roff_text(out, commands[i].usage);
        fputc('\n', out);
    }
    fputs(".SH DESCRIPTION\n", out);
    roff_text(out, "armcpu gives management stacks named CPU models for arm64 KVM guests, "
                   "checks which of them a host can run and why not, field by field, and "
                   "prints what QEMU, libvirt and Firecracker need.\n");
    fputs(".SH COMMANDS\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fputs(".TP\n.B ", out);
        roff_text(out, commands[i].name);
        fputs("\n.nf\n", out);
        roff_text(out, commands[i].usage);
        fputs("\n.fi\n", out);
        roff_text(out, commands[i].help);
        fputc('\n', out);
    }
    fputs(".SH OPTIONS\n.TP\n.BI \\-\\-model\\-file \" FILE\"\n", out);
    char line[256];
    snprintf(line, sizeof line,
             "Every command takes it, anywhere on the line, up to %d times: the models of FILE "
             "join the built-in ones (docs/model-format.md).\n",
             MAX_MODEL_FILES);
    roff_text(out, line);
    fputs(".SH EXIT STATUS\n", out);
    roff_text(out, "0 ok (the answer is yes); 1 usage or input error; 2 environment error; 3 the "
                   "answer is no (blocked, impossible, not migratable, unfixable); 4 yes but some "
                   "fields unknown (an artifact for a host too: printed, with a note); 5 an "
                   "artifact for a host (qemu-args, libvirt, firecracker with --host) refused "
                   "because the spec is blocked there.\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return EXIT_OK;
    }
    if (argc == 2 && !strcmp(argv[1], "--man")) {
        print_man(stdout);
        return EXIT_OK;
    }
    if (argc > 2)
        return usage_error("help", "unexpected argument '%s'", argv[2]);
    const struct command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "armcpu help: unknown command '%s'\n", argv[1]);
        print_overview(stderr);
        return EXIT_INPUT;
    }
    printf("usage: %s\n\n%s\n", c->usage, c->help);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_INPUT;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        if (argc > 2) {
            fprintf(stderr, "armcpu --version: unexpected argument '%s'\n", argv[2]);
            return EXIT_INPUT;
        }
        printf("armcpu %s\n", ARMCPU_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return cmd_help(1, argv);
    /* --model-file FILE may appear anywhere; take it out before dispatch. */
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model-file")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "armcpu: --model-file needs a file name\n");
                return EXIT_INPUT;
            }
            if (n_model_files == MAX_MODEL_FILES) {
                fprintf(stderr, "armcpu: at most %d --model-file options\n",
                        MAX_MODEL_FILES);
                return EXIT_INPUT;
            }
            model_files[n_model_files++] = argv[++i];
            continue;
        }
        argv[out++] = argv[i];
    }
    argc = out;
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_INPUT;
    }
    const struct command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "armcpu: unknown command '%s'\n", argv[1]);
        print_overview(stderr);
        return EXIT_INPUT;
    }
    return c->run(argc - 1, argv + 1);
}
