/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the armcpu command-line tool. */
#ifndef ARMCPU_TOOLS_CLI_H
#define ARMCPU_TOOLS_CLI_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "armcpu/armcpu.h"
#include "armcpu/fleet.h"
#include "armcpu/host.h"
#include "armcpu/model.h"

/* Exit statuses: 0 ok (and for answers: usable, possible, migratable, every
 * field known), 1 usage or input error, 2 environment error, 3 the answer is
 * no (blocked, impossible, not migratable, unfixable), 4 nothing blocks but
 * some fields are unknown ("usable, N fields unknown"; an artifact for a host
 * is then printed with a note), 5 an artifact for a
 * host (qemu-args, libvirt, firecracker with --host) is refused because the
 * spec is blocked there (the blockers are named; --force prints it). */
enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_ENV = 2, EXIT_NO = 3, EXIT_UNKNOWN = 4, EXIT_REFUSED = 5 };

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
    const char *help;
};

const struct command *find_command(const char *name);

/* Splits argv into positional arguments and known flags. */
struct flags {
    bool json;
    bool u128;
    bool spec;
    bool abstract;
    bool registers;
    bool verbose;
    bool xml;
    bool force;
    bool namesakes;      /* models --namesakes */
    const char *type;
    const char *host;    /* --host H */
    const char *masks;   /* --masks FILE */
    const char *name;    /* --name N */
    const char *kernel;  /* --kernel V */
    const char *source;  /* --source TEXT */
    const char *output;  /* -o FILE */
    const char *base;    /* --base MODEL */
    const char *dialect; /* --dialect sysreg|feat */
    const char *vcpu_features; /* --vcpu-features LIST */
    const char *hosts_from;    /* --hosts-from PATH */
    const char *unlisted;      /* --unlisted absent|unknown */
    const char *view;          /* --view guest|host */
    const char *from, *to;     /* plan --from A --to B */
    const char *form;          /* --form custom|values */
    const char *target_impls;  /* baseline --target-impls FILE */
};

#define MAX_MODEL_FILES 16
extern const char *model_files[MAX_MODEL_FILES];
extern size_t n_model_files;

/* Prints the error; exit code 2 for environment/IO errors, else 1. */
int fail(const char *cmd, const armcpu_error *err);
int usage_error(const char *cmd, const char *fmt, const char *arg);
/* Prints a --json document: an object gets {"format": FORMAT, "version":
 * ARMCPU_JSON_FORMAT_VERSION} first, an array goes under list_key. Takes
 * obj's reference. */
int print_json(const char *format, const char *list_key, struct json_object *obj);
/* JSON that is not a --json document (expand --registers: golden files). */
int print_plain_json(struct json_object *obj);
/* A QMP-shaped reply: {"format": "armcpu-qmp", "version", "command", "return"}. */
int print_qmp(const char *command, struct json_object *ret);
/* `allowed` lists the option names the command takes ("json host ..."). */
int parse_flags(const char *cmd, int argc, char **argv, const char *allowed,
                struct flags *fl, char **pos, int *npos, int maxpos);
armcpu_ctx *open_ctx(const char *cmd, int *rc);
void print_warnings(const armcpu_cpu *cpu);
/* The exit status of an answer (EXIT_OK, EXIT_UNKNOWN, EXIT_NO). */
int exit_of(armcpu_answer a);
/* Prints a library-owned text (armcpu_free'd); EXIT_ENV when NULL. */
int print_text(const char *cmd, char *text);
/* Warns of what the host's loader found (armcpu_host_warning). */
void host_warning(const armcpu_host *h);
/* Says so on stderr when --kernel V has no table and the nearest older one
 * stands in for it. */
void kernel_note(const char *cmd, const char *kernel);
/* Opens a host; with `kernel`, as if it ran that kernel (--kernel). */
armcpu_host *open_host_kernel(const char *cmd, const char *arg, const char *kernel, int *rc);
armcpu_cpu *realize_spec(const char *cmd, const char *spec, bool abstract,
                         armcpu_ctx **ctx_out, int *rc);

/* Commands in outcmds.c */
int cmd_qemu_args(int argc, char **argv);
int cmd_libvirt(int argc, char **argv);
int cmd_firecracker(int argc, char **argv);

/* Commands in hostcmds.c */
int cmd_hosts(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_kernels(int argc, char **argv);
int cmd_plan(int argc, char **argv);
/* Commands in kvmcmds.c */
int cmd_hosts_probe(int argc, char **argv);
int cmd_realize(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
/* `models --host H` and `props --host H` */
int models_on_host(const struct flags *fl);
int props_on_host(const struct flags *fl);

#endif
