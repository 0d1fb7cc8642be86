/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The artifact commands: qemu-args, libvirt, firecracker (include/armcpu/out.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "armcpu/out.h"
#include "cli.h"

struct artifact {
    armcpu_ctx *ctx;
    armcpu_cpu *cpu;
    armcpu_host *host;
    armcpu_out_opts opts;
    int answer; /* EXIT_OK, or EXIT_UNKNOWN when check leaves fields unknown on the host */
};

static void artifact_free(struct artifact *a)
{
    armcpu_cpu_free(a->cpu);
    armcpu_ctx_free(a->ctx);
    armcpu_host_free(a->host);
}

struct blockers {
    const armcpu_ctx *ctx;
    const char *cmd;
    size_t n;
};

static void print_blocker(const armcpu_field_check *c, void *opaque)
{
    struct blockers *b = opaque;
    if (!armcpu_verdict_blocks(c->verdict))
        return;
    if (b->n++ >= 20)
        return;
    if (c->is_config) {
        fprintf(stderr, "  %s (%s): %s: %s\n", armcpu_config_name(c->config),
                armcpu_config_kvm_name(c->config), armcpu_verdict_name(c->verdict), c->reason);
        return;
    }
    const armcpu_prop *p = c->field ? armcpu_field_prop(b->ctx, c->field) : NULL;
    fprintf(stderr, "  %s%s%s%s%s%s: %s: %s\n", armcpu_reg_name(c->reg), c->field ? "." : "",
            c->field ? armcpu_field_name(c->field) : "", p ? " (" : "", p ? armcpu_prop_name(p) : "",
            p ? ")" : "", armcpu_verdict_name(c->verdict), c->reason);
}

/* Realizes the spec; with --host, opens the host (under --kernel) and
 * refuses a spec check blocks there, naming the blockers, unless --force. */
static int prepare(const char *cmd, const struct flags *fl, const char *spec, struct artifact *a)
{
    int rc = EXIT_OK;
    memset(a, 0, sizeof *a);
    if (fl->host && !(a->host = open_host_kernel(cmd, fl->host, fl->kernel, &rc)))
        return rc;
    if (!(a->cpu = realize_spec(cmd, spec, false, &a->ctx, &rc))) {
        armcpu_host_free(a->host);
        a->host = NULL;
        return rc;
    }
    a->opts.host = a->host;
    a->opts.kernel = a->host ? NULL : fl->kernel;
    if (!a->host)
        kernel_note(cmd, fl->kernel);
    a->opts.force = fl->force;
    if (!a->host)
        return EXIT_OK;
    struct blockers b = {a->ctx, cmd, 0};
    size_t unknown;
    if (!armcpu_check_count(a->cpu, a->host, &unknown)) {
        /* check's answer: usable, N fields unknown (exit 4), said here too */
        if (unknown) {
            fprintf(stderr,
                    "armcpu %s: note: on %s, %zu field%s of the spec cannot be told from the "
                    "host data (armcpu check lists them): whether KVM takes %s is unknown\n",
                    cmd, armcpu_host_name(a->host), unknown, unknown == 1 ? "" : "s",
                    unknown == 1 ? "it" : "them");
            a->answer = EXIT_UNKNOWN;
        }
        return EXIT_OK;
    }
    if (fl->force) {
        fprintf(stderr, "armcpu %s: warning: --force: %s is blocked on %s; KVM will refuse "
                        "or not show what it cannot take\n",
                cmd, spec, armcpu_host_name(a->host));
        return EXIT_OK;
    }
    fprintf(stderr, "armcpu %s: %s is blocked on %s; nothing printed:\n", cmd, spec,
            armcpu_host_name(a->host));
    armcpu_check(a->cpu, a->host, print_blocker, &b);
    if (b.n > 20)
        fprintf(stderr, "  and %zu more (armcpu check lists them all)\n", b.n - 20);
    fprintf(stderr, "armcpu %s: `armcpu fix` proposes a spec that runs there; --force prints "
                    "this one anyway\n",
            cmd);
    artifact_free(a);
    return EXIT_REFUSED;
}

/* Prints the artifact (or writes it atomically with -o). */
static int emit(const char *cmd, const struct flags *fl, char *text, const char *prefix,
                armcpu_error *err)
{
    if (!text)
        return fail(cmd, err);
    int rc = EXIT_OK;
    if (fl->output) {
        if (armcpu_write_text_file(fl->output, text, err))
            rc = fail(cmd, err);
    } else {
        printf("%s%s", prefix, text);
    }
    armcpu_free(text);
    return rc;
}

int cmd_qemu_args(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("qemu-args", argc, argv, "dialect host kernel force", &fl, pos,
                               &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("qemu-args", "expected one model spec%s", "");
    struct artifact a;
    if ((rc = prepare("qemu-args", &fl, pos[0], &a)))
        return rc;
    armcpu_qemu_dialect d =
        fl.dialect && !strcmp(fl.dialect, "sysreg") ? ARMCPU_QEMU_SYSREG : ARMCPU_QEMU_FEAT;
    armcpu_error err = {0};
    char *arg = armcpu_qemu_cpu_arg(a.ctx, a.cpu, d, &a.opts, &err);
    if (arg) {
        size_t n = strlen(arg);
        char *line = malloc(n + 2);
        if (line) {
            memcpy(line, arg, n);
            memcpy(line + n, "\n", 2);
        }
        armcpu_free(arg);
        arg = line;
    }
    rc = emit("qemu-args", &fl, arg, "-cpu ", &err);
    artifact_free(&a);
    return rc ? rc : a.answer;
}

int cmd_libvirt(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("libvirt", argc, argv, "form host kernel force", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("libvirt", "expected one model spec%s", "");
    struct artifact a;
    if ((rc = prepare("libvirt", &fl, pos[0], &a)))
        return rc;
    armcpu_libvirt_form form = fl.form && !strcmp(fl.form, "values") ? ARMCPU_LIBVIRT_VALUES
                                                                      : ARMCPU_LIBVIRT_CUSTOM;
    armcpu_error err = {0};
    rc = emit("libvirt", &fl, armcpu_libvirt_cpu_xml(a.ctx, a.cpu, form, &err), "", &err);
    artifact_free(&a);
    return rc ? rc : a.answer;
}

int cmd_firecracker(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("firecracker", argc, argv, "host kernel force o", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("firecracker", "expected one model spec%s", "");
    if (!fl.host)
        return usage_error("firecracker",
                           "a template changes the host's vCPU values bit by bit: give --host "
                           "H%s",
                           "");
    struct artifact a;
    if ((rc = prepare("firecracker", &fl, pos[0], &a)))
        return rc;
    armcpu_error err = {0};
    rc = emit("firecracker", &fl, armcpu_firecracker_template(a.ctx, a.cpu, &a.opts, &err), "",
              &err);
    artifact_free(&a);
    return rc ? rc : a.answer;
}
