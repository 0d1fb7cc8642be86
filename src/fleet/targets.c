/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Errata across a migration domain (armcpu_fleet_target_impls): the list of
 * CPU implementations a VMM publishes to a guest that may run on any host of
 * the fleet, so the guest kernel enables the errata workarounds of each.
 *
 * The kernel facts, as read in the Debian Linux 7.2.12 and 7.3.4 sources
 * (the two agree on every line cited):
 *
 *  - Documentation/virt/kvm/arm/hypercalls.rst:
 *    ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_VER_FUNC_ID (0xC6000040, HVC64,
 *    no arguments) returns R0 SUCCESS, R1 bits [31:16] major and [15:0] minor
 *    version (bits [63:32] zero), R2 the number of target implementations;
 *    ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_CPUS_FUNC_ID (0xC6000041, R1 an
 *    index) returns R0 SUCCESS or INVALID_PARAMETER, R1 MIDR_EL1, R2
 *    REVIDR_EL1, R3 AIDR_EL1 of that implementation.
 *    include/linux/arm-smccc.h: function numbers 64 and 65 of owner
 *    VENDOR_HYP (ARM_SMCCC_KVM_FUNC_DISCOVER_IMPL_VER/_CPUS).
 *  - drivers/firmware/smccc/kvm_guest.c kvm_arm_target_impl_cpu_init (the
 *    guest, called from arch/arm64/kernel/cpufeature.c at boot): asks only
 *    when KVM's FEATURES call lists both functions, refuses a major version
 *    other than 1 and a count of 0, then reads entries 0..count-1 and hands
 *    them to arch/arm64/kernel/cpu_errata.c cpu_errata_set_target_impl:
 *    from then on is_midr_in_range() and is_affected_midr_range() test every
 *    listed implementation instead of the CPU's own MIDR/REVIDR.
 *  - arch/arm64/kvm/hypercalls.c: KVM does not answer the two calls itself
 *    (kvm_smccc_call_handler has no case for them, kvm_smccc_test_fw_bmap
 *    denies them); the FEATURES call returns vendor_hyp_bmap_2 in R2, which
 *    userspace sets through KVM_REG_ARM_VENDOR_HYP_BMAP_2 (bits
 *    KVM_REG_ARM_VENDOR_HYP_BIT_DISCOVER_IMPL_VER = 0, _CPUS = 1,
 *    arch/arm64/include/uapi/asm/kvm.h; reset to 0 per
 *    Documentation/virt/kvm/arm/fw-pseudo-registers.rst; -EBUSY once the VM
 *    ran, kvm_arm_set_fw_reg_bmap). The VMM answers them: an SMCCC filter
 *    range (KVM_ARM_VM_SMCCC_CTRL / KVM_ARM_VM_SMCCC_FILTER) with action
 *    KVM_SMCCC_FILTER_FWD_TO_USER makes them KVM_EXIT_HYPERCALL exits.
 *  - KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (239, include/uapi/linux/kvm.h): a VM
 *    capability, -EINVAL once a vCPU exists (arch/arm64/kvm/arm.c,
 *    Documentation/virt/kvm/api.rst 7.42); then set_imp_id_reg
 *    (arch/arm64/kvm/sys_regs.c) accepts MIDR/REVIDR/AIDR values within the
 *    writable mask until the first KVM_RUN, VM-wide.
 *
 * Releases: none of it is in 6.12 (its arm.c, sys_regs.c, uapi kvm.h and
 * cpu_errata.c have neither the capability, the bitmap register nor the
 * target list); the "KVM/arm64 updates for 6.15" pull names both the
 * paravirtual target-implementation interface and the writable MIDR/REVIDR/
 * AIDR, so 6.15 is the first host and the first guest kernel with them (the
 * release itself is not in the local sources; kernels/MASKS-NOTES.md dates
 * the writable registers the same way).
 *
 * Which hosts have which identity is read the way the baseline's meet reads
 * it (baseline.c meet_field for armcpu_reg_is_identity registers): each
 * class's armcpu_host_reg_view, a field known when armcpu_view_knows, and
 * writable when the view's mask covers it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_internal.h"

/* DISCOVER_IMPL_VER's R1: SMCCC version format, major 1 (the only one
 * kvm_arm_target_impl_cpu_init takes), minor 0. */
#define TARGET_IMPL_VERSION_MAJOR 1u
#define TARGET_IMPL_VERSION_MINOR 0u
#define FUNC_DISCOVER_IMPL_VER 0xC6000040u
#define FUNC_DISCOVER_IMPL_CPUS 0xC6000041u
#define MIN_KERNEL "6.15"

enum { ID_MIDR, ID_REVIDR, ID_AIDR, N_ID };
static const char *const id_names[N_ID] = {"MIDR_EL1", "REVIDR_EL1", "AIDR_EL1"};

struct cls_id {
    uint64_t value[N_ID];
    unsigned unknown;  /* bit r: some field of register r is not known */
    unsigned writable; /* bit r: every field of register r is writable */
    size_t entry;      /* index into the list (known classes) */
};

/* One class's identity, field by field as meet_field reads it. */
static void class_identity(const armcpu_host *h, const armcpu_reg *const *regs,
                           struct cls_id *out)
{
    memset(out, 0, sizeof *out);
    for (int r = 0; r < N_ID; r++) {
        armcpu_reg_view v;
        armcpu_host_reg_view(h, regs[r], &v);
        bool all_known = true, all_writable = true;
        for (size_t i = 0; i < armcpu_reg_field_count(regs[r]); i++) {
            const armcpu_field *f = armcpu_reg_field_at(regs[r], i);
            uint64_t fm = armcpu_field_mask(f);
            all_known &= armcpu_view_knows(&v, f);
            all_writable &= (v.writable & fm) == fm;
        }
        if (all_known)
            out->value[r] = v.value;
        else
            out->unknown |= 1u << r;
        if (all_writable && all_known)
            out->writable |= 1u << r;
    }
}

static struct json_object *hex(uint64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "0x%016" PRIx64, v);
    return json_object_new_string(t);
}

/* The MIDR_EL1 fields by the table's names (Implementer, Variant,
 * Architecture, PartNum, Revision), as `decode` gives them. */
static void add_decoded(struct json_object *o, const armcpu_reg *midr, uint64_t value)
{
    static const struct {
        const char *field, *key;
    } keys[] = {{"Implementer", "implementer"},
                {"PartNum", "part"},
                {"Variant", "variant"},
                {"Revision", "revision"},
                {"Architecture", "architecture"}};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const armcpu_field *f = armcpu_reg_field_by_name(midr, keys[k].field, NULL);
        if (f)
            json_object_object_add(o, keys[k].key,
                                   json_object_new_int64((int64_t)armcpu_fget(f, value)));
    }
}

/* One hypercall the VMM answers: its name, function id and return registers. */
static void add_call(struct json_object *calls, const char *name, unsigned id,
                     const char *returns)
{
    struct json_object *c = json_object_new_object();
    char hexid[16];
    snprintf(hexid, sizeof hexid, "0x%08x", id);
    json_object_object_add(c, "name", json_object_new_string(name));
    json_object_object_add(c, "function-id", json_object_new_string(hexid));
    json_object_object_add(c, "returns", json_object_new_string(returns));
    json_object_array_add(calls, c);
}

static struct json_object *vmm_json(void)
{
    struct json_object *vmm = json_object_new_object();
    json_object_object_add(vmm, "capability",
                           json_object_new_string("KVM_CAP_ARM_WRITABLE_IMP_ID_REGS"));
    json_object_object_add(vmm, "capability-note",
                           json_object_new_string(
                               "a VM capability: enable it before creating the first vCPU "
                               "(-EINVAL after), then write MIDR_EL1, REVIDR_EL1 and AIDR_EL1 "
                               "(KVM_SET_ONE_REG, the same on every vCPU) before the first KVM_RUN"));
    json_object_object_add(vmm, "firmware-register",
                           json_object_new_string("KVM_REG_ARM_VENDOR_HYP_BMAP_2"));
    struct json_object *bits = json_object_new_array();
    json_object_array_add(bits, json_object_new_string("KVM_REG_ARM_VENDOR_HYP_BIT_DISCOVER_IMPL_VER"));
    json_object_array_add(bits, json_object_new_string("KVM_REG_ARM_VENDOR_HYP_BIT_DISCOVER_IMPL_CPUS"));
    json_object_object_add(vmm, "firmware-bits", bits);
    json_object_object_add(vmm, "firmware-value", hex(0x3));
    /* the spec property that makes armcpu's writeback and checks set it */
    char prop[96];
    armcpu_config_spec_text(ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2, 0x3, prop, sizeof prop);
    json_object_object_add(vmm, "spec-property", json_object_new_string(prop));
    struct json_object *calls = json_object_new_array();
    add_call(calls, "ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_VER_FUNC_ID", FUNC_DISCOVER_IMPL_VER,
             "R0 SUCCESS (0), R1 the version, R2 the number of entries, R3 0");
    add_call(calls, "ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_CPUS_FUNC_ID", FUNC_DISCOVER_IMPL_CPUS,
             "for R1 = i below the count: R0 SUCCESS (0), R1 entry i's MIDR_EL1, R2 its "
             "REVIDR_EL1, R3 its AIDR_EL1; otherwise R0 INVALID_PARAMETER (-3)");
    json_object_object_add(vmm, "hypercalls", calls);
    json_object_object_add(vmm, "smccc-filter",
                           json_object_new_string(
                               "KVM_ARM_VM_SMCCC_CTRL/KVM_ARM_VM_SMCCC_FILTER: base 0xc6000040, "
                               "nr_functions 2, action KVM_SMCCC_FILTER_FWD_TO_USER (KVM does not "
                               "answer them itself); the calls arrive as KVM_EXIT_HYPERCALL"));
    json_object_object_add(vmm, "min-host-kernel", json_object_new_string(MIN_KERNEL));
    json_object_object_add(vmm, "min-guest-kernel", json_object_new_string(MIN_KERNEL));
    return vmm;
}

char *armcpu_fleet_target_impls(const armcpu_fleet *fleet, const armcpu_baseline *baseline,
                                armcpu_error *err)
{
    if (!fleet || fleet->n == 0) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "a target-implementation list needs a host");
        return NULL;
    }
    const armcpu_reg *regs[N_ID];
    for (int r = 0; r < N_ID; r++)
        if (!(regs[r] = armcpu_reg_by_name(id_names[r], err)))
            return NULL;
    struct cls_id *ci = calloc(fleet->n, sizeof *ci);
    size_t *first = calloc(fleet->n, sizeof *first); /* per entry: its first class */
    if (!ci || !first) {
        free(ci);
        free(first);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    size_t n_entries = 0, n_unknown = 0;
    for (size_t c = 0; c < fleet->n; c++) {
        class_identity(fleet->cls[c].host, regs, &ci[c]);
        if (ci[c].unknown) {
            n_unknown++;
            continue;
        }
        size_t e = 0;
        while (e < n_entries && memcmp(ci[first[e]].value, ci[c].value, sizeof ci[c].value))
            e++;
        if (e == n_entries)
            first[n_entries++] = c;
        ci[c].entry = e;
    }
    bool needed = n_entries > 1, complete = n_unknown == 0;

    struct json_object *root = armcpu_json_doc("armcpu-target-impls");
    json_object_object_add(root, "needed", json_object_new_boolean(needed));
    json_object_object_add(root, "complete", json_object_new_boolean(complete));
    char reason[400];
    if (!complete)
        snprintf(reason, sizeof reason,
                 "%zu host class%s cannot tell its MIDR_EL1/REVIDR_EL1/AIDR_EL1 (unknown-hosts): "
                 "a guest that may move there could miss that CPU's errata; the list holds the "
                 "known implementations only",
                 n_unknown, n_unknown == 1 ? "" : "es");
    else if (needed)
        snprintf(reason, sizeof reason,
                 "the hosts differ in MIDR_EL1/REVIDR_EL1/AIDR_EL1: publish the list so the guest "
                 "enables every implementation's errata");
    else
        snprintf(reason, sizeof reason,
                 "every host has the same MIDR_EL1, REVIDR_EL1 and AIDR_EL1: the guest's own "
                 "identity names its errata, no list is needed");
    json_object_object_add(root, "reason", json_object_new_string(reason));
    /* what DISCOVER_IMPL_VER returns: R1, R2 */
    struct json_object *ver = json_object_new_object();
    json_object_object_add(ver, "major", json_object_new_int(TARGET_IMPL_VERSION_MAJOR));
    json_object_object_add(ver, "minor", json_object_new_int(TARGET_IMPL_VERSION_MINOR));
    json_object_object_add(
        ver, "r1", hex(((uint64_t)TARGET_IMPL_VERSION_MAJOR << 16) | TARGET_IMPL_VERSION_MINOR));
    json_object_object_add(root, "hypercall-version", ver);
    size_t published = needed ? n_entries : 0;
    json_object_object_add(root, "implementations", json_object_new_int64((int64_t)published));
    struct json_object *list = json_object_new_array();
    for (size_t e = 0; e < published; e++) {
        const struct cls_id *x = &ci[first[e]];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "index", json_object_new_int64((int64_t)e));
        json_object_object_add(o, "midr", hex(x->value[ID_MIDR]));
        json_object_object_add(o, "revidr", hex(x->value[ID_REVIDR]));
        json_object_object_add(o, "aidr", hex(x->value[ID_AIDR]));
        add_decoded(o, regs[ID_MIDR], x->value[ID_MIDR]);
        struct json_object *hosts = json_object_new_array();
        size_t count = 0;
        for (size_t c = 0; c < fleet->n; c++)
            if (!ci[c].unknown && ci[c].entry == e) {
                json_object_array_add(hosts,
                                      json_object_new_string(armcpu_host_name(fleet->cls[c].host)));
                count += fleet->cls[c].count;
            }
        json_object_object_add(o, "host-classes", hosts);
        json_object_object_add(o, "hosts", json_object_new_int64((int64_t)count));
        json_object_array_add(list, o);
    }
    json_object_object_add(root, "targets", list);
    struct json_object *unk = json_object_new_array();
    for (size_t c = 0; c < fleet->n; c++) {
        if (!ci[c].unknown)
            continue;
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "host", json_object_new_string(armcpu_host_name(fleet->cls[c].host)));
        struct json_object *rs = json_object_new_array();
        for (int r = 0; r < N_ID; r++)
            if (ci[c].unknown & (1u << r))
                json_object_array_add(rs, json_object_new_string(id_names[r]));
        json_object_object_add(o, "registers", rs);
        json_object_array_add(unk, o);
    }
    json_object_object_add(root, "unknown-hosts", unk);
    /* where the list is needed: the classes whose kernel does not let
     * MIDR/REVIDR/AIDR be written (the writable test of the baseline's
     * identity findings), which need Linux 6.15+ first */
    struct json_object *unw = json_object_new_array();
    for (size_t c = 0; c < fleet->n && needed; c++)
        if (!ci[c].unknown && ci[c].writable != (1u << N_ID) - 1)
            json_object_array_add(unw,
                                  json_object_new_string(armcpu_host_name(fleet->cls[c].host)));
    json_object_object_add(root, "hosts-not-writable", unw);
    /* the values every vCPU gets: the baseline's, when it has them (no
     * identity finding: the hosts agree or every kernel can write them) */
    if (baseline) {
        if (armcpu_baseline_possible(baseline) && armcpu_baseline_identity_count(baseline) == 0) {
            struct json_object *vv = json_object_new_object();
            for (int r = 0; r < N_ID; r++)
                json_object_object_add(vv, id_names[r],
                                       hex(armcpu_baseline_reg_value(baseline, regs[r])));
            json_object_object_add(root, "vcpu-values", vv);
        } else {
            json_object_object_add(
                root, "vcpu-values-note",
                json_object_new_string(
                    armcpu_baseline_possible(baseline)
                        ? "the baseline has identity differences: not every host's kernel lets "
                          "MIDR_EL1/REVIDR_EL1/AIDR_EL1 be written, so each guest sees its host's"
                        : "the baseline is impossible: it gives no vCPU values"));
        }
    }
    json_object_object_add(root, "vmm", vmm_json());
    free(ci);
    free(first);
    char *text = armcpu_json_text(root);
    if (!text)
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return text;
}
