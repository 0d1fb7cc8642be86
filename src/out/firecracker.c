/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A Firecracker custom CPU template for aarch64 (out.h): reg_modifiers
 * over KVM ONE_REG ids, and the vCPU features the spec implies. Format:
 * Firecracker's docs/cpu_templates/schema.json and cpu-templates.md
 * (../shared/reference/firecracker/SOURCE.md): a bitmap is "0b" and 128
 * characters, most significant first, 0 clear, 1 set, x leave the vCPU's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_internal.h"

/* KVM_ARM_VCPU_INIT feature bits (arch/arm64/include/uapi/asm/kvm.h). */
enum { VCPU_PMU_V3 = 3, VCPU_SVE = 4, VCPU_PTRAUTH_ADDRESS = 5, VCPU_PTRAUTH_GENERIC = 6 };

/* Is the spec's composite on (some field of its group above the default)? */
static bool composite_on(const armcpu_ctx *ctx, const armcpu_cpu *cpu, const char *name)
{
    const armcpu_prop *p = armcpu_prop_lookup(ctx, name, NULL);
    for (size_t i = 0; p && i < armcpu_prop_field_count(p); i++) {
        const armcpu_field *f = armcpu_prop_field_at(p, i);
        if (armcpu_field_get(f, armcpu_cpu_reg_value(cpu, armcpu_field_reg(f))) !=
            armcpu_field_default(f))
            return true;
    }
    return false;
}

/* One register modifier: the bits of `mask` are value's, every other bit
 * x, the vCPU's own (Firecracker's bitmap is 128 bits, "0b" and the low
 * 64 after 64 x). */
static void add_modifier(struct strbuf *b, size_t *n_mod, uint64_t kvm_id, uint64_t mask,
                         uint64_t value)
{
    char bits[131];
    memcpy(bits, "0b", 2);
    memset(bits + 2, 'x', 64);
    for (int bit = 63; bit >= 0; bit--)
        bits[2 + 64 + (63 - bit)] = (mask >> bit) & 1 ? ((value >> bit) & 1 ? '1' : '0') : 'x';
    bits[130] = 0;
    sb_add(b, "%s\n    {\"addr\": \"0x%016" PRIx64 "\", \"bitmap\": \"%s\"}", *n_mod ? "," : "",
           kvm_id, bits);
    ++*n_mod;
}

char *armcpu_firecracker_template(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                                  const armcpu_out_opts *opts, armcpu_error *err)
{
    if (!ctx || !cpu) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "Firecracker template: no %s given",
                         ctx ? "realized cpu" : "context");
        return NULL;
    }
    if (!opts || !opts->host) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "a Firecracker template changes the vCPU's own values bit by bit: it "
                         "needs the host's snapshot");
        return NULL;
    }
    struct strbuf b = {0};
    struct out_list refused = {{0}, 0}, unsayable = {{0}, 0};
    size_t n_mod = 0;
    sb_add(&b, "{\n  \"reg_modifiers\": [");
    /* the vCPU the template's vcpu_features below create */
    const armcpu_host *host = armcpu_host_for_spec(cpu, opts->host);
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t unwritable, w = out_fields_to_write(cpu, host, r, &unwritable);
        if (unwritable && !opts->force) {
            out_refused_add(&refused, r, unwritable);
            continue;
        }
        if (!w)
            continue;
        /* the bits of the fields to write are the spec's; every other bit
         * is x, the vCPU's own (Firecracker writes the register whole, so
         * an unwritable field the spec leaves to the host stays as KVM
         * has it and the write is not refused for it) */
        add_modifier(&b, &n_mod, armcpu_reg_kvm_id(r), w, armcpu_cpu_reg_value(cpu, r));
    }
    /* the vCPU configuration Firecracker can write: its register
     * modifiers take any ONE_REG of 128 bits or less, so the firmware
     * registers and PMCR_EL0.N; not the 512-bit KVM_REG_ARM64_SVE_VLS (and
     * Firecracker creates no SVE vCPU) nor the IPA size (no VM type) */
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t v;
        armcpu_config item = (armcpu_config)c;
        char t[256];
        if (!armcpu_cpu_config(cpu, item, &v))
            continue;
        if (c == ARMCPU_CONFIG_SVE_VLS || c == ARMCPU_CONFIG_IPA_BITS) {
            armcpu_config_spec_text(item, v, t, sizeof t);
            out_list_add(&unsayable, t);
            continue;
        }
        if (c == ARMCPU_CONFIG_PMU_COUNTERS) /* PMCR_EL0.N, bits 15:11 */
            add_modifier(&b, &n_mod, armcpu_config_kvm_id(item), 0x1full << 11, v << 11);
        else
            add_modifier(&b, &n_mod, armcpu_config_kvm_id(item), ~0ull, v);
    }
    sb_add(&b, "%s],\n", n_mod ? "\n  " : "");
    /* the vCPU features: bits the spec decides, x for the rest */
    bool pmu = composite_on(ctx, cpu, "pmu"), sve = composite_on(ctx, cpu, "sve"),
         pauth = composite_on(ctx, cpu, "pauth");
    char feat[2 + VCPU_PTRAUTH_GENERIC + 1 + 1] = "0b";
    for (int bit = VCPU_PTRAUTH_GENERIC; bit >= 0; bit--) {
        char c = 'x';
        if (bit == VCPU_PTRAUTH_GENERIC || bit == VCPU_PTRAUTH_ADDRESS)
            c = pauth ? '1' : '0'; /* KVM wants the two together */
        else if (bit == VCPU_SVE)
            c = sve ? '1' : '0';
        else if (bit == VCPU_PMU_V3)
            c = pmu ? '1' : '0';
        feat[2 + VCPU_PTRAUTH_GENERIC - bit] = c;
    }
    feat[sizeof feat - 1] = 0;
    sb_add(&b, "  \"vcpu_features\": [{\"index\": 0, \"bitmap\": \"%s\"}]\n}\n", feat);
    if (unsayable.n) {
        char *list = sb_take(&unsayable.names);
        armcpu_set_error(err, ARMCPU_ERR_UNSUPPORTED,
                         "a Firecracker template cannot set%s (its register modifiers are 128 "
                         "bits at most and it has no VM type); leave them to the host",
                         list ? list : "the vCPU configuration");
        free(list);
        free(refused.names.s);
        free(b.s);
        return NULL;
    }
    if (out_refused_error(&refused, opts->host, err)) {
        free(b.s);
        return NULL;
    }
    char *s = sb_take(&b);
    if (!s)
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return s;
}
