/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A management stack's question, through the library: can this host run
 * this model, and if not, what spec can it run, and what does QEMU need?
 *
 *   cc check_host.c $(pkg-config --cflags --libs armcpu) -o check_host
 *   ./check_host neoverse-n1-v1 qemu-neoverse-n1-linux-6.12
 *
 * Exit 0: usable as asked (or with the fix printed); 3: no spec runs there;
 * 1: bad input.
 */
#include <stdio.h>

#include <armcpu/armcpu.h>
#include <armcpu/fleet.h>
#include <armcpu/host.h>
#include <armcpu/model.h>
#include <armcpu/out.h>

static void print_blocker(const armcpu_field_check *c, void *opaque)
{
    (void)opaque;
    if (armcpu_verdict_blocks(c->verdict))
        printf("  blocked: %s.%s: %s\n", armcpu_reg_name(c->reg),
               c->field ? armcpu_field_name(c->field) : "(other bits)", c->reason);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s SPEC HOST\n", argv[0]);
        return 1;
    }
    armcpu_error err = {0};
    armcpu_ctx *ctx = armcpu_ctx_new(&err);
    armcpu_host *host = ctx ? armcpu_host_open(argv[2], &err) : NULL;
    armcpu_cpu *cpu = host ? armcpu_realize(ctx, argv[1], false, &err) : NULL;
    if (!cpu) {
        fprintf(stderr, "%s\n", err.message);
        armcpu_host_free(host);
        armcpu_ctx_free(ctx);
        return 1;
    }
    int rc = 0;
    char *spec = NULL;
    if (armcpu_check(cpu, host, print_blocker, NULL) == 0) {
        printf("%s runs on %s\n", argv[1], armcpu_host_name(host));
    } else {
        /* what the host can run instead, verified by the library */
        armcpu_fix *fix = armcpu_fix_new(ctx, argv[1], host, &err);
        if (fix && armcpu_fix_spec(fix)) {
            printf("fix: %s\n", armcpu_fix_spec(fix));
            armcpu_cpu_free(cpu);
            cpu = armcpu_realize(ctx, armcpu_fix_spec(fix), false, &err);
        } else {
            printf("no spec derived from %s runs on %s\n", argv[1], armcpu_host_name(host));
            rc = 3;
        }
        armcpu_fix_free(fix);
    }
    if (cpu && rc == 0) {
        armcpu_out_opts opts = {host, NULL, false};
        spec = armcpu_qemu_cpu_arg(ctx, cpu, ARMCPU_QEMU_SYSREG, &opts, &err);
        printf("qemu: -cpu %s\n", spec ? spec : err.message);
    }
    armcpu_free(spec);
    armcpu_cpu_free(cpu);
    armcpu_host_free(host);
    armcpu_ctx_free(ctx);
    return rc;
}
