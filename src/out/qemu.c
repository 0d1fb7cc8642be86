/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * QEMU's -cpu option in the two proposed property dialects (out.h), both
 * derived from the realized registers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_internal.h"

/* The kernel table whose writable fields a host-less SYSREG list names:
 * kernel's (or the nearest older), else the newest with masks. */
static int kernel_masks(const char *kernel, const uint64_t **masks, armcpu_error *err)
{
    size_t i = 0;
    bool exact;
    if (kernel) {
        if (!armcpu_kernel_table_for(kernel, &i, &exact))
            return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                                    "no writable-mask table for kernel '%s' or an older one "
                                    "(armcpu kernels lists them)",
                                    kernel);
    } else {
        for (i = armcpu_builtin_kernels_count; i > 0 && !armcpu_builtin_kernels[i - 1].has_masks;)
            i--;
        if (!i)
            return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND, "no kernel table has masks");
        i--;
    }
    const struct armcpu_kernel_table *k = &armcpu_builtin_kernels[i];
    if (!k->has_masks)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "Linux %s has no writable ID registers "
                                "(KVM_ARM_GET_REG_WRITABLE_MASKS came with 6.7): the "
                                "customizable host model cannot be used there",
                                kernel ? kernel : k->version);
    *masks = k->masks;
    return ARMCPU_OK;
}

static void sysreg_prop(struct strbuf *b, const armcpu_reg *r, const armcpu_field *f, uint64_t v)
{
    sb_add(b, ",SYSREG_%s_%s=0x%" PRIx64, armcpu_reg_name(r), armcpu_field_name(f),
           armcpu_field_get(f, v));
}

/* With a host: every field whose value differs from the host's view. */
static int sysreg_for_host(struct strbuf *b, const armcpu_cpu *cpu, const armcpu_out_opts *o,
                           armcpu_error *err)
{
    struct out_list refused = {{0}, 0};
    const armcpu_host *host = armcpu_host_for_spec(cpu, o->host);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if (!out_in_feature_id_space(r))
            continue;
        uint64_t unwritable, w = out_fields_to_write(cpu, host, r, &unwritable);
        uint64_t v = armcpu_cpu_reg_value(cpu, r);
        if (!o->force) {
            out_refused_add(&refused, r, unwritable);
            w &= ~unwritable;
        }
        for (size_t i = 0; i < r->n_fields && w; i++)
            if (w & armcpu_field_mask(&r->fields[i]))
                sysreg_prop(b, r, &r->fields[i], v);
    }
    return out_refused_error(&refused, o->host, err);
}

/* Without a host: every field the kernel lets userspace write. */
static int sysreg_for_kernel(struct strbuf *b, const armcpu_cpu *cpu, const char *kernel,
                             armcpu_error *err)
{
    const uint64_t *masks = NULL;
    int rc = kernel_masks(kernel, &masks, err);
    if (rc)
        return rc;
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if (!out_in_feature_id_space(r) || out_host_given(cpu, r))
            continue;
        uint64_t v = armcpu_cpu_reg_value(cpu, r);
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            if ((masks[ri] & armcpu_field_mask(f)) == armcpu_field_mask(f))
                sysreg_prop(b, r, f, v);
        }
    }
    return ARMCPU_OK;
}

/* The vCPU configuration on QEMU's -cpu: the vector lengths as its own
 * sve128.. properties (on KVM, QEMU writes KVM_REG_ARM64_SVE_VLS from
 * them); QEMU has no property for the other items, so a spec setting one
 * cannot be said here (target/arm/cpu64.c, QEMU 10). */
static int qemu_config(struct strbuf *b, const armcpu_cpu *cpu, armcpu_error *err)
{
    struct out_list bad = {{0}, 0};
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t v;
        char t[256];
        if (!armcpu_cpu_config(cpu, (armcpu_config)c, &v))
            continue;
        armcpu_config_spec_text((armcpu_config)c, v, t, sizeof t);
        if (c == ARMCPU_CONFIG_SVE_VLS)
            sb_add(b, ",%s", t);
        else
            out_list_add(&bad, t);
    }
    if (!bad.n)
        return ARMCPU_OK;
    char *list = sb_take(&bad.names);
    int rc = armcpu_set_error(err, ARMCPU_ERR_UNSUPPORTED,
                              "QEMU's -cpu has no property for%s of the spec (only the vector "
                              "lengths, sve128..); armcpu_kvm_apply writes them, or leave them to "
                              "the host",
                              list ? list : "some vCPU configuration");
    free(list);
    return rc;
}

char *armcpu_qemu_cpu_arg(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                          armcpu_qemu_dialect dialect, const armcpu_out_opts *opts,
                          armcpu_error *err)
{
    static const armcpu_out_opts none = {NULL, NULL, false};
    const armcpu_out_opts *o = opts ? opts : &none;
    if (!cpu || !ctx) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "qemu -cpu: no %s given",
                         ctx ? "realized cpu" : "context");
        return NULL;
    }
    struct strbuf b = {0};
    int rc;
    switch (dialect) {
    case ARMCPU_QEMU_FEAT:
        return armcpu_cpu_canonical_spec(ctx, cpu, err);
    case ARMCPU_QEMU_SYSREG:
        /* the vCPU the spec needs: QEMU's host model enables every feature
         * KVM offers, and KVM lets none of their fields be written to 0 */
        sb_add(&b, "host%s%s%s", armcpu_cpu_vcpu_features(cpu) & ARMCPU_VCPU_SVE ? "" : ",sve=off",
               armcpu_cpu_vcpu_features(cpu) & ARMCPU_VCPU_PMU ? "" : ",pmu=off",
               armcpu_cpu_vcpu_features(cpu) & ARMCPU_VCPU_PTRAUTH ? "" : ",pauth=off");
        rc = o->host ? sysreg_for_host(&b, cpu, o, err) : sysreg_for_kernel(&b, cpu, o->kernel, err);
        if (!rc)
            rc = qemu_config(&b, cpu, err);
        break;
    default:
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "qemu -cpu: unknown dialect %d; allowed: feat, sysreg", (int)dialect);
        return NULL;
    }
    char *s = sb_take(&b);
    if (rc || !s) {
        free(s);
        if (!rc)
            armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return s;
}
