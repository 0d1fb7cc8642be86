/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the armcpu command-line tool. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Where the CLI lists what a "not found" message names. */
static const char *list_hint(const armcpu_error *err)
{
    static const struct {
        const char *prefix, *hint;
    } hints[] = {
        {"unknown register", "`armcpu regs` lists them"},
        {"register ", "`armcpu regs REG` lists its fields"},
        {"unknown model", "`armcpu models` lists them"},
        {"unknown property", "`armcpu props` lists them"},
        {"unknown host", "`armcpu hosts` lists the embedded ones"},
    };
    if (err->code != ARMCPU_ERR_NOT_FOUND)
        return NULL;
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strstr(err->message, hints[i].prefix))
            return hints[i].hint;
    return NULL;
}

int fail(const char *cmd, const armcpu_error *err)
{
    const char *hint = list_hint(err);
    fprintf(stderr, "armcpu %s: %s%s%s\n", cmd, err->message, hint ? "; " : "", hint ? hint : "");
    return err->code == ARMCPU_ERR_ENV || err->code == ARMCPU_ERR_IO
               ? EXIT_ENV
               : EXIT_INPUT;
}

int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    const struct command *c = find_command(cmd);
    fprintf(stderr, "armcpu %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: %s\n", c ? c->usage : cmd);
    return EXIT_INPUT;
}

/* The document root every --json starts with (armcpu.h's convention). */
static struct json_object *json_doc(const char *format)
{
    struct json_object *d = json_object_new_object();
    json_object_object_add(d, "format", json_object_new_string(format));
    json_object_object_add(d, "version", json_object_new_int(ARMCPU_JSON_FORMAT_VERSION));
    return d;
}

static int print_doc(struct json_object *doc)
{
    puts(json_object_to_json_string_ext(
        doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                 JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(doc);
    return EXIT_OK;
}

int print_plain_json(struct json_object *obj) { return print_doc(obj); }

int print_json(const char *format, const char *list_key, struct json_object *obj)
{
    struct json_object *d = json_doc(format);
    if (json_object_is_type(obj, json_type_array)) {
        json_object_object_add(d, list_key, obj);
    } else {
        json_object_object_foreach(obj, k, v)
            json_object_object_add(d, k, json_object_get(v));
        json_object_put(obj);
    }
    return print_doc(d);
}

int print_qmp(const char *command, struct json_object *ret)
{
    struct json_object *d = json_doc("armcpu-qmp");
    json_object_object_add(d, "command", json_object_new_string(command));
    json_object_object_add(d, "return", ret);
    return print_doc(d);
}


/* Model files given with --model-file (anywhere on the command line). */
const char *model_files[MAX_MODEL_FILES];
size_t n_model_files;

/* Is option `name` (without dashes) in the space-separated `allowed`? */
static bool allowed_opt(const char *allowed, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = allowed; (p = strstr(p, name)); p += n)
        if ((p == allowed || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
            return true;
    return false;
}

int parse_flags(const char *cmd, int argc, char **argv, const char *allowed,
                struct flags *fl, char **pos, int *npos, int maxpos)
{
    static const struct {
        const char *opt, *key;
        size_t offset;
    } switches[] = {
        {"--json", "json", offsetof(struct flags, json)},
        {"--u128", "u128", offsetof(struct flags, u128)},
        {"--spec", "spec", offsetof(struct flags, spec)},
        {"--abstract", "abstract", offsetof(struct flags, abstract)},
        {"--registers", "registers", offsetof(struct flags, registers)},
        {"--verbose", "verbose", offsetof(struct flags, verbose)},
        {"--xml", "xml", offsetof(struct flags, xml)},
        {"--force", "force", offsetof(struct flags, force)},
        {"--namesakes", "namesakes", offsetof(struct flags, namesakes)},
    }, values[] = {
        {"--type", "type", offsetof(struct flags, type)},
        {"--host", "host", offsetof(struct flags, host)},
        {"--masks", "masks", offsetof(struct flags, masks)},
        {"--name", "name", offsetof(struct flags, name)},
        {"--kernel", "kernel", offsetof(struct flags, kernel)},
        {"--source", "source", offsetof(struct flags, source)},
        {"-o", "o", offsetof(struct flags, output)},
        {"--base", "base", offsetof(struct flags, base)},
        {"--dialect", "dialect", offsetof(struct flags, dialect)},
        {"--vcpu-features", "vcpu-features", offsetof(struct flags, vcpu_features)},
        {"--hosts-from", "hosts-from", offsetof(struct flags, hosts_from)},
        {"--unlisted", "unlisted", offsetof(struct flags, unlisted)},
        {"--view", "view", offsetof(struct flags, view)},
        {"--from", "from", offsetof(struct flags, from)},
        {"--to", "to", offsetof(struct flags, to)},
        {"--form", "form", offsetof(struct flags, form)},
        {"--target-impls", "target-impls", offsetof(struct flags, target_impls)},
    };
    *npos = 0;
    memset(fl, 0, sizeof *fl);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool done = false;
        for (size_t k = 0; k < sizeof switches / sizeof switches[0] && !done; k++)
            if (!strcmp(a, switches[k].opt) && allowed_opt(allowed, switches[k].key)) {
                *(bool *)((char *)fl + switches[k].offset) = true;
                done = true;
            }
        for (size_t k = 0; k < sizeof values / sizeof values[0] && !done; k++)
            if (!strcmp(a, values[k].opt) && allowed_opt(allowed, values[k].key)) {
                if (i + 1 >= argc)
                    return usage_error(cmd, "option %s needs a value", a);
                *(const char **)((char *)fl + values[k].offset) = argv[++i];
                done = true;
            }
        if (done)
            continue;
        if (a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9'))
            return usage_error(cmd, "unknown option '%s'", a);
        if (*npos == maxpos)
            return usage_error(cmd, "unexpected argument '%s'", a);
        pos[(*npos)++] = argv[i];
    }
    if (fl->type && strcmp(fl->type, "static") && strcmp(fl->type, "full"))
        return usage_error(cmd, "--type '%s' is not static or full", fl->type);
    if (fl->dialect && strcmp(fl->dialect, "sysreg") && strcmp(fl->dialect, "feat"))
        return usage_error(cmd, "--dialect '%s' is not sysreg or feat", fl->dialect);
    if (fl->form && strcmp(fl->form, "custom") && strcmp(fl->form, "values"))
        return usage_error(cmd, "--form '%s' is not custom or values", fl->form);
    return EXIT_OK;
}

armcpu_ctx *open_ctx(const char *cmd, int *rc)
{
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    if (!ctx) {
        *rc = fail(cmd, &err);
        return NULL;
    }
    for (size_t i = 0; i < n_model_files; i++)
        if (armcpu_ctx_load_model_file(ctx, model_files[i], &err)) {
            *rc = fail(cmd, &err);
            armcpu_ctx_free(ctx);
            return NULL;
        }
    return ctx;
}

int exit_of(armcpu_answer a)
{
    return a == ARMCPU_ANSWER_YES ? EXIT_OK : a == ARMCPU_ANSWER_UNKNOWN ? EXIT_UNKNOWN : EXIT_NO;
}

int print_text(const char *cmd, char *text)
{
    if (!text) {
        fprintf(stderr, "armcpu %s: out of memory\n", cmd);
        return EXIT_ENV;
    }
    fputs(text, stdout);
    armcpu_free(text);
    return EXIT_OK;
}

void print_warnings(const armcpu_cpu *cpu)
{
    for (size_t i = 0; i < armcpu_cpu_warning_count(cpu); i++)
        fprintf(stderr, "armcpu: warning: %s\n", armcpu_cpu_warning_at(cpu, i));
}

/* Opens the context and realizes SPEC, printing its warnings. On failure
 * returns NULL with the exit code in *rc and nothing left open. */
armcpu_cpu *realize_spec(const char *cmd, const char *spec, bool abstract,
                                armcpu_ctx **ctx_out, int *rc)
{
    armcpu_ctx *ctx = open_ctx(cmd, rc);
    if (!ctx)
        return NULL;
    armcpu_error err = {0};
    armcpu_cpu *cpu = armcpu_realize(ctx, spec, abstract, &err);
    if (!cpu) {
        armcpu_ctx_free(ctx);
        *rc = fail(cmd, &err);
        return NULL;
    }
    print_warnings(cpu);
    *ctx_out = ctx;
    return cpu;
}

void host_warning(const armcpu_host *h)
{
    if (armcpu_host_warning(h))
        fprintf(stderr, "armcpu: warning: %s\n", armcpu_host_warning(h));
}

/* Opens a host; with `kernel`, as if it ran that kernel (--kernel). */
void kernel_note(const char *cmd, const char *kernel)
{
    static bool said; /* once per run, however many hosts it applies to */
    size_t i;
    bool exact;
    if (!said && kernel && armcpu_kernel_table_for(kernel, &i, &exact) && !exact && (said = true))
        fprintf(stderr,
                "armcpu %s: note: no mask table for Linux %s; using Linux %s's, the nearest "
                "older one (armcpu kernels lists them)\n",
                cmd, kernel, armcpu_kernel_version(i));
}

armcpu_host *open_host_kernel(const char *cmd, const char *arg, const char *kernel, int *rc)
{
    armcpu_error err = {0};
    armcpu_host *h = armcpu_host_open(arg, &err);
    if (h && kernel && armcpu_host_apply_kernel(h, kernel, &err)) {
        armcpu_host_free(h);
        h = NULL;
    }
    if (!h) {
        *rc = fail(cmd, &err);
    } else {
        host_warning(h);
        kernel_note(cmd, kernel);
    }
    return h;
}
