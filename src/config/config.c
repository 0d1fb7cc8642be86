/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The vCPU configuration items (include/armcpu/config.h): one row each,
 * with the kernel's rule for a userspace write as an attribute of the row
 * (as cpufeature.c keeps a policy per field), and one judgement and one
 * meet that every check, baseline and writeback uses.
 *
 * Kernel sources read: Linux 6.1, 6.12, 7.2, 7.3 (Debian linux-source) and,
 * for the releases between, the commits named at each rule.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "armcpu/config.h"
#include "../util/util.h"

enum rule {
    RULE_VLS,    /* guest.c set_sve_vls */
    RULE_COUNT,  /* sys_regs.c set_pmcr / pmu-emul.c */
    RULE_IPA,    /* arm.c / mmu.c kvm_init_stage2_mmu: the VM type */
    RULE_PSCI,   /* hypercalls.c kvm_arm_set_fw_reg, KVM_REG_ARM_PSCI_VERSION */
    RULE_LEVEL,  /* hypercalls.c kvm_arm_set_fw_reg, WORKAROUND_1 and _3 */
    RULE_WA2,    /* hypercalls.c kvm_arm_set_fw_reg, WORKAROUND_2 */
    RULE_BITMAP, /* hypercalls.c kvm_arm_set_fw_reg_bmap */
};

struct config_row {
    const char *name;
    const char *kvm_name;
    const char *what;
    uint64_t kvm_id;
    enum rule rule;
    unsigned needs;          /* ARMCPU_VCPU_* */
    unsigned writable_since; /* kernel key from which a different value is taken */
    bool stored;             /* KVM keeps the value (else the write is a check) */
    const char *handler;     /* KVM's handler, for reasons */
    const char *const *levels; /* RULE_LEVEL / RULE_WA2 names, by value */
    unsigned n_levels;
};

/* SMCCC_ARCH_WORKAROUND levels (uapi asm/kvm.h KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_*) */
static const char *const wa_levels[] = {"not_avail", "avail", "not_required"};
static const char *const wa2_levels[] = {"not_avail", "unknown", "avail", "not_required"};

static const struct config_row rows[ARMCPU_CONFIG_COUNT] = {
    [ARMCPU_CONFIG_SVE_VLS] =
        {"sve_vls", "KVM_REG_ARM64_SVE_VLS", "SVE vector lengths (KVM_REG_ARM64_SVE_VLS, before KVM_ARM_VCPU_FINALIZE)",
         0x606000000015ffffull, RULE_VLS, ARMCPU_VCPU_SVE, 0, true,
         "arch/arm64/kvm/guest.c set_sve_vls", NULL, 0},
    [ARMCPU_CONFIG_PMU_COUNTERS] =
        {"pmu_counters", "PMCR_EL0.N", "PMU event counters (PMCR_EL0.N)", 0x603000000013dce0ull, RULE_COUNT,
         ARMCPU_VCPU_PMU, 0, true, "arch/arm64/kvm/sys_regs.c set_pmcr", NULL, 0},
    [ARMCPU_CONFIG_IPA_BITS] =
        {"ipa_bits", "KVM_VM_TYPE_ARM_IPA_SIZE", "guest physical address bits (KVM_CREATE_VM type, KVM_CAP_ARM_VM_IPA_SIZE)",
         0, RULE_IPA, 0, 0, true, "arch/arm64/kvm/mmu.c kvm_init_stage2_mmu", NULL, 0},
    [ARMCPU_CONFIG_PSCI_VERSION] =
        {"psci_version", "KVM_REG_ARM_PSCI_VERSION", "PSCI version (KVM_REG_ARM_PSCI_VERSION)", 0x6030000000140000ull,
         RULE_PSCI, 0, 0, true, "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg", NULL, 0},
    [ARMCPU_CONFIG_SMCCC_WA1] =
        {"smccc_wa1", "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1", "SMCCC_ARCH_WORKAROUND_1 level (Spectre-v2)", 0x6030000000140001ull,
         RULE_LEVEL, 0, 0, false, "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg", wa_levels, 3},
    [ARMCPU_CONFIG_SMCCC_WA2] =
        {"smccc_wa2", "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2", "SMCCC_ARCH_WORKAROUND_2 level (Spectre-v4)", 0x6030000000140002ull,
         RULE_WA2, 0, 0, false, "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg", wa2_levels, 4},
    [ARMCPU_CONFIG_SMCCC_WA3] =
        {"smccc_wa3", "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3", "SMCCC_ARCH_WORKAROUND_3 level (Spectre-BHB)", 0x6030000000140003ull,
         RULE_LEVEL, 0, 0, false, "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg", wa_levels, 3},
    [ARMCPU_CONFIG_FW_STD_BMAP] =
        {"fw_std_bmap", "KVM_REG_ARM_STD_BMAP", "standard SMCCC services (KVM_REG_ARM_STD_BMAP: bit 0 TRNG 1.0)",
         0x6030000000160000ull, RULE_BITMAP, 0, 0, true,
         "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg_bmap", NULL, 0},
    [ARMCPU_CONFIG_FW_STD_HYP_BMAP] =
        {"fw_std_hyp_bmap", "KVM_REG_ARM_STD_HYP_BMAP",
         "standard hypervisor services (KVM_REG_ARM_STD_HYP_BMAP: bit 0 PV_TIME)",
         0x6030000000160001ull, RULE_BITMAP, 0, 0, true,
         "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg_bmap", NULL, 0},
    [ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP] =
        {"fw_vendor_hyp_bmap", "KVM_REG_ARM_VENDOR_HYP_BMAP",
         "KVM vendor hypervisor services (KVM_REG_ARM_VENDOR_HYP_BMAP: bit 0 FUNC_FEAT, "
         "bit 1 PTP)",
         0x6030000000160002ull, RULE_BITMAP, 0, 0, true,
         "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg_bmap", NULL, 0},
    [ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2] =
        {"fw_vendor_hyp_bmap_2", "KVM_REG_ARM_VENDOR_HYP_BMAP_2",
         "KVM vendor hypervisor services, second word (KVM_REG_ARM_VENDOR_HYP_BMAP_2: bit 0 "
         "DISCOVER_IMPL_VER, bit 1 DISCOVER_IMPL_CPUS)",
         0x6030000000160003ull, RULE_BITMAP, 0, 0, true,
         "arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg_bmap", NULL, 0},
};

static const struct config_row *row(armcpu_config c)
{
    return (unsigned)c < ARMCPU_CONFIG_COUNT ? &rows[c] : NULL;
}

const char *armcpu_config_name(armcpu_config c)
{
    return row(c) ? row(c)->name : "?";
}

const char *armcpu_config_description(armcpu_config c)
{
    return row(c) ? row(c)->what : "?";
}

const char *armcpu_config_kvm_name(armcpu_config c)
{
    return row(c) ? row(c)->kvm_name : "?";
}

int armcpu_config_spec_text(armcpu_config c, uint64_t value, char *buf, size_t size)
{
    const struct config_row *r = row(c);
    if (!r)
        return snprintf(buf, size, "%s", "");
    if (r->rule == RULE_VLS) {
        int used = 0;
        for (unsigned vq = 1; vq <= 16; vq++)
            if (value >> (vq - 1) & 1) {
                bool room = buf && (size_t)used < size;
                int n = snprintf(room ? buf + (size_t)used : NULL,
                                 room ? size - (size_t)used : 0, "%ssve%u=on", used ? "," : "",
                                 vq * 128);
                used += n;
            }
        return used;
    }
    char t[96];
    armcpu_config_format(c, value, t, sizeof t);
    return snprintf(buf, size, "%s=%s", r->name, t);
}

uint64_t armcpu_config_kvm_id(armcpu_config c)
{
    return row(c) ? row(c)->kvm_id : 0;
}

unsigned armcpu_config_needs(armcpu_config c)
{
    return row(c) ? row(c)->needs : 0;
}

bool armcpu_config_stored(armcpu_config c)
{
    return row(c) && row(c)->stored;
}

int armcpu_config_by_name(const char *name, armcpu_error *err)
{
    char all[512] = "";
    size_t used = 0;
    for (unsigned i = 0; i < ARMCPU_CONFIG_COUNT; i++) {
        if (name && !strcasecmp(name, rows[i].name))
            return (int)i;
        used += (size_t)snprintf(all + used, sizeof all - used, "%s%s", i ? ", " : "",
                                 rows[i].name);
        if (used >= sizeof all)
            used = sizeof all - 1;
    }
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "'%s' is not a vCPU configuration item; the items are %s",
                     name ? name : "(null)", all);
    return -1;
}

/* PSCI versions as KVM_REG_ARM_PSCI_VERSION holds them: major << 16 | minor. */
static void format_psci(uint64_t v, char *buf, size_t size)
{
    snprintf(buf, size, "%llu.%llu", (unsigned long long)(v >> 16),
             (unsigned long long)(v & 0xffff));
}

void armcpu_config_format(armcpu_config c, uint64_t v, char *buf, size_t size)
{
    const struct config_row *r = row(c);
    if (!size)
        return;
    buf[0] = 0;
    if (!r)
        return;
    switch (r->rule) {
    case RULE_VLS: {
        size_t used = 0;
        for (unsigned vq = 1; vq <= 16 && used < size; vq++)
            if (v >> (vq - 1) & 1)
                used += (size_t)snprintf(buf + used, size - used, "%s%u", used ? "," : "",
                                         vq * 128);
        if (!v)
            snprintf(buf, size, "none");
        return;
    }
    case RULE_COUNT:
    case RULE_IPA:
        snprintf(buf, size, "%llu", (unsigned long long)v);
        return;
    case RULE_PSCI:
        format_psci(v, buf, size);
        return;
    case RULE_LEVEL:
    case RULE_WA2:
        if (v < r->n_levels)
            snprintf(buf, size, "%s", r->levels[v]);
        else
            snprintf(buf, size, "%llu", (unsigned long long)v);
        return;
    case RULE_BITMAP:
        snprintf(buf, size, "0x%llx", (unsigned long long)v);
        return;
    }
}

static int bad_value(const struct config_row *r, const char *text, const char *allowed,
                     armcpu_error *err)
{
    return armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: value '%s' is not allowed; allowed: %s",
                            r->name, text ? text : "(null)", allowed);
}

int armcpu_config_parse(armcpu_config c, const char *text, uint64_t *value, armcpu_error *err)
{
    const struct config_row *r = row(c);
    if (!r)
        return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND, "no such vCPU configuration item");
    if (!text || !*text)
        return bad_value(r, text, "a value", err);
    uint64_t v = 0;
    armcpu_error e = {0};
    switch (r->rule) {
    case RULE_VLS: {
        /* "128,256": lengths in bits, multiples of 128 up to 2048 */
        const char *p = text;
        while (*p) {
            char *end;
            if (!isdigit((unsigned char)*p))
                return bad_value(r, text, "lengths in bits, multiples of 128 up to 2048, "
                                          "comma-separated (128,256)", err);
            unsigned long bits = strtoul(p, &end, 10);
            if (bits == 0 || bits % 128 || bits > 2048 || (*end && *end != ','))
                return bad_value(r, text, "lengths in bits, multiples of 128 up to 2048, "
                                          "comma-separated (128,256)", err);
            v |= 1ull << (bits / 128 - 1);
            p = *end ? end + 1 : end;
        }
        break;
    }
    case RULE_COUNT:
        if (armcpu_parse_u64(text, r->name, &v, &e) || v > 31)
            return bad_value(r, text, "a number 0..31 (PMCR_EL0.N is 5 bits)", err);
        break;
    case RULE_IPA:
        if (armcpu_parse_u64(text, r->name, &v, &e) || v < 32 || v > 52)
            return bad_value(r, text, "a number 32..52 (KVM_VM_TYPE_ARM_IPA_SIZE)", err);
        break;
    case RULE_PSCI: {
        unsigned maj, min;
        char tail;
        if (sscanf(text, "%u.%u%c", &maj, &min, &tail) == 2 && maj < 0x8000 && min <= 0xffff)
            v = (uint64_t)maj << 16 | min;
        else if (armcpu_parse_u64(text, r->name, &v, &e) || v >> 31)
            return bad_value(r, text, "MAJOR.MINOR (0.2, 1.0 .. 1.3) or the register's number",
                             err);
        break;
    }
    case RULE_LEVEL:
    case RULE_WA2: {
        for (unsigned i = 0; i < r->n_levels; i++)
            if (!strcasecmp(text, r->levels[i])) {
                *value = i;
                return ARMCPU_OK;
            }
        char allowed[160];
        size_t used = 0;
        for (unsigned i = 0; i < r->n_levels && used < sizeof allowed; i++)
            used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s%s (%u)",
                                     i ? ", " : "", r->levels[i], i);
        if (used < sizeof allowed)
            snprintf(allowed + used, sizeof allowed - used, " or the number");
        if (armcpu_parse_u64(text, r->name, &v, &e) || v >= r->n_levels)
            return bad_value(r, text, allowed, err);
        break;
    }
    case RULE_BITMAP:
        if (armcpu_parse_u64(text, r->name, &v, &e))
            return bad_value(r, text, "a number (0x1 for bit 0)", err);
        break;
    }
    *value = v;
    return ARMCPU_OK;
}

static unsigned highest_vq(uint64_t vls)
{
    unsigned vq = 0;
    for (unsigned i = 1; i <= 64; i++)
        if (vls >> (i - 1) & 1)
            vq = i;
    return vq;
}

/* WORKAROUND_2: KVM maps a written level to the two it deals with,
 * NOT_AVAIL/UNKNOWN to NOT_AVAIL and AVAIL/NOT_REQUIRED to NOT_REQUIRED, and
 * takes it where the host's level is at least that (hypercalls.c
 * kvm_arm_set_fw_reg, Linux 5.10 to 7.3). */
static uint64_t wa2_effective(uint64_t v)
{
    return v >= 2 ? 3 : 0;
}

armcpu_verdict armcpu_config_judge(armcpu_config c, uint64_t spec, bool host_known, uint64_t host,
                                   unsigned kernel, char *reason, size_t size)
{
    const struct config_row *r = row(c);
    char s[96], hv[96];
    if (!r)
        return ARMCPU_VERDICT_UNKNOWN;
    armcpu_config_format(c, spec, s, sizeof s);
    if (!host_known) {
        if (reason)
            snprintf(reason, size, "the host's %s is not known (the snapshot does not record it)",
                     r->name);
        return ARMCPU_VERDICT_UNKNOWN;
    }
    armcpu_config_format(c, host, hv, sizeof hv);
#define WHY(...) (reason ? (void)snprintf(reason, size, __VA_ARGS__) : (void)0)
    switch (r->rule) {
    case RULE_VLS: {
        /* KVM can only cap the length (ZCR_EL2.LEN), not hide one length
         * below the cap: the set written must be the host's up to its
         * largest, which the host must have (guest.c set_sve_vls, 5.2-7.3) */
        unsigned top = highest_vq(spec), host_top = highest_vq(host);
        if (!spec) {
            WHY("an SVE vCPU needs at least one vector length (%s)", r->handler);
            return ARMCPU_VERDICT_REFUSED;
        }
        if (spec == host)
            return ARMCPU_VERDICT_SAME;
        if (top > host_top) {
            WHY("%u-bit vectors above the host's longest (%u): %s refuses them (host has %s)",
                top * 128, host_top * 128, r->handler, hv);
            return ARMCPU_VERDICT_OVERPROMISE;
        }
        uint64_t below = top >= 64 ? ~0ull : (1ull << top) - 1;
        if ((spec ^ host) & below) {
            WHY("KVM can cap the vector length but not leave out a length the host has below "
                "the cap: %s takes only the host's lengths up to the longest (host has %s, "
                "spec %s)",
                r->handler, hv, s);
            return ARMCPU_VERDICT_REFUSED;
        }
        return ARMCPU_VERDICT_SETTABLE;
    }
    case RULE_COUNT:
    case RULE_IPA:
        if (spec == host)
            return ARMCPU_VERDICT_SAME;
        if (spec > host) {
            WHY("%s %s above the host's %s: %s", r->name, s, hv,
                r->rule == RULE_IPA ? "KVM_CREATE_VM refuses an IPA size above "
                                      "KVM_CAP_ARM_VM_IPA_SIZE"
                                    : "KVM keeps the host's count (set_pmcr ignores a larger "
                                      "PMCR_EL0.N)");
            return ARMCPU_VERDICT_OVERPROMISE;
        }
        if (kernel && kernel < r->writable_since) {
            WHY("%s %s differs from the host's %s and this kernel cannot lower it (%s: "
                "Linux %u.%u+)",
                r->name, s, hv, r->handler, r->writable_since / 1000, r->writable_since % 1000);
            return ARMCPU_VERDICT_NOT_WRITABLE;
        }
        return ARMCPU_VERDICT_SETTABLE;
    case RULE_PSCI:
        if (spec == host)
            return ARMCPU_VERDICT_SAME;
        /* kvm_arm_set_fw_reg takes, on a vCPU with KVM_ARM_VCPU_PSCI_0_2 (every
         * VMM's), 0.2 and the 1.x versions up to the kernel's latest, which
         * the host's own value is (5.10: 1.0; 6.1-6.12: 1.1; 7.2-7.3: 1.3) */
        if (spec != 0x2 && !(spec >= 0x10000 && spec <= 0x10003)) {
            WHY("PSCI %s: %s takes 0.2 or 1.0 .. 1.3 on a vCPU with KVM_ARM_VCPU_PSCI_0_2", s,
                r->handler);
            return ARMCPU_VERDICT_REFUSED;
        }
        if (spec > host) {
            WHY("PSCI %s above the host kernel's %s: %s refuses it", s, hv, r->handler);
            return ARMCPU_VERDICT_OVERPROMISE;
        }
        return ARMCPU_VERDICT_SETTABLE;
    case RULE_LEVEL:
    case RULE_WA2: {
        uint64_t eff = r->rule == RULE_WA2 ? wa2_effective(spec) : spec;
        if (spec == host)
            return ARMCPU_VERDICT_SAME;
        if (eff > host) {
            WHY("%s %s promises more than the host's %s: %s refuses it (a guest started "
                "there would lose its mitigation)",
                r->name, s, hv, r->handler);
            return ARMCPU_VERDICT_OVERPROMISE;
        }
        return ARMCPU_VERDICT_SETTABLE;
    }
    case RULE_BITMAP:
        if (spec == host)
            return ARMCPU_VERDICT_SAME;
        if (armcpu_config_vmm_opt_in(c)) {
            /* reset to 0: the services are the kernel's, not the host's
             * value (hypercalls.c kvm_arm_set_fw_reg_bmap: a subset of
             * KVM_REG_ARM_VENDOR_HYP_BMAP_2's bits 0-1, Linux 7.2 and 7.3,
             * listed under 6.18; none up to 6.12) */
            uint64_t supported = kernel == 0 || kernel >= 6018 ? 0x3 : 0;
            if (spec & ~supported) {
                WHY("%s %s: %s", r->name, s,
                    kernel > 6012 && kernel < 6018
                        ? "which of these services this kernel offers is not known (Linux 6.12 "
                          "has none, 6.18 and later bits 0-1)"
                        : "this kernel has none of these services (Linux 6.12 and older; "
                          "6.18 and later offer 0x3)");
                return kernel > 6012 && kernel < 6018 ? ARMCPU_VERDICT_UNKNOWN
                                                       : ARMCPU_VERDICT_OVERPROMISE;
            }
            return ARMCPU_VERDICT_SETTABLE;
        }
        if (spec & ~host) {
            WHY("%s %s has services the host's kernel does not offer (%s): %s refuses it", r->name,
                s, hv, r->handler);
            return ARMCPU_VERDICT_OVERPROMISE;
        }
        return ARMCPU_VERDICT_SETTABLE;
    }
#undef WHY
    return ARMCPU_VERDICT_UNKNOWN;
}

bool armcpu_config_meet(armcpu_config c, uint64_t a, uint64_t b, unsigned kernel, uint64_t *meet,
                        char *reason, size_t size)
{
    const struct config_row *r = row(c);
    uint64_t m = 0;
    if (!r)
        return false;
    switch (r->rule) {
    case RULE_VLS:
        /* the lengths both have, up to the first length one has and the
         * other lacks: above it KVM would have to hide a length */
        for (unsigned vq = 1; vq <= 64; vq++) {
            uint64_t bit = 1ull << (vq - 1);
            if ((a & bit) != (b & bit))
                break;
            m |= a & bit;
        }
        break;
    case RULE_COUNT:
    case RULE_IPA:
    case RULE_PSCI:
    case RULE_LEVEL:
        m = a < b ? a : b;
        break;
    case RULE_WA2:
        m = wa2_effective(a) < wa2_effective(b) ? 0 : 3;
        if (a == b)
            m = a;
        break;
    case RULE_BITMAP:
        m = a & b;
        break;
    }
    /* the meet must be a value both take */
    char ra[256] = "", rb[256] = "";
    armcpu_verdict va = armcpu_config_judge(c, m, true, a, kernel, ra, sizeof ra);
    armcpu_verdict vb = armcpu_config_judge(c, m, true, b, kernel, rb, sizeof rb);
    if (armcpu_verdict_blocks(va) || armcpu_verdict_blocks(vb)) {
        if (reason)
            snprintf(reason, size, "%s", armcpu_verdict_blocks(va) ? ra : rb);
        return false;
    }
    *meet = m;
    return true;
}

bool armcpu_config_fix(armcpu_config c, uint64_t spec, uint64_t host, unsigned kernel,
                       uint64_t *fixed)
{
    const struct config_row *r = row(c);
    if (!r)
        return false;
    uint64_t v = host;
    switch (r->rule) {
    case RULE_VLS: {
        unsigned top = highest_vq(spec), host_top = highest_vq(host);
        unsigned cap = top < host_top ? top : host_top;
        v = host & (cap >= 64 ? ~0ull : (1ull << cap) - 1);
        break;
    }
    case RULE_COUNT:
    case RULE_IPA:
        v = spec < host && !(kernel && kernel < r->writable_since) ? spec : host;
        break;
    case RULE_BITMAP:
        v = spec & host;
        break;
    case RULE_PSCI:
    case RULE_LEVEL:
    case RULE_WA2:
        v = host;
        break;
    }
    if (armcpu_verdict_blocks(armcpu_config_judge(c, v, true, host, kernel, NULL, 0)))
        return false;
    *fixed = v;
    return true;
}

bool armcpu_config_vmm_opt_in(armcpu_config c)
{
    /* KVM_REG_ARM_VENDOR_HYP_BMAP_2 resets to 0 (Documentation/virt/kvm/arm/
     * fw-pseudo-registers.rst, Linux 7.2): the target-implementation calls
     * exist for a guest only when the VMM sets them and answers them */
    return c == ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2;
}

bool armcpu_config_for_kernel(armcpu_config c, uint64_t value, unsigned from, unsigned to,
                              uint64_t *out)
{
    if (!row(c))
        return false;
    if (from == to) {
        *out = value;
        return true;
    }
    switch (c) {
    case ARMCPU_CONFIG_SVE_VLS:      /* the CPU's lengths (reset.c kvm_arm_init_sve) */
    case ARMCPU_CONFIG_PMU_COUNTERS: /* the CPU's PMCR_EL0.N (pmu-emul.c) */
        *out = value;
        return true;
    case ARMCPU_CONFIG_IPA_BITS:
        /* PARange capped at 48 bits with 4K pages; only LPA2 (6.9+) lifts
         * the cap, so a value up to 48 holds on every kernel (reset.c
         * kvm_set_ipa_limit, 6.1 and 6.12) */
        if (value > 48)
            return false;
        *out = value;
        return true;
    case ARMCPU_CONFIG_PSCI_VERSION:
        /* KVM_ARM_PSCI_LATEST: 1.1 in 6.1 and 6.12, 1.3 in 7.2 and 7.3 (the
         * sources) and 6.18 (a Firecracker fingerprint of a Graviton4 under
         * 6.18.30: 0x10003); 6.13-6.17 not read */
        if (to >= 6001 && to <= 6012)
            *out = 0x10001;
        else if (to >= 6018 && to <= 7003)
            *out = 0x10003;
        else
            return false;
        return true;
    case ARMCPU_CONFIG_FW_STD_BMAP:
    case ARMCPU_CONFIG_FW_STD_HYP_BMAP:
    case ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP:
        /* every supported bit by default, the same bits in 6.1, 6.12, 7.2,
         * 7.3 (hypercalls.c kvm_arm_init_hypercalls) */
        if (from < 6001 || from > 7003 || to < 6001 || to > 7003)
            return false;
        *out = value;
        return true;
    case ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2:
        /* what KVM reads: 0, its reset value, where the kernel has it, and
         * no services where it has not (absent up to 6.12; read as 0 under
         * 6.18 by the Graviton4 fingerprint of 6.18.30, 7.2 and 7.3 by the
         * sources) */
        if ((to >= 6001 && to <= 6012) || (to >= 6018 && to <= 7003)) {
            *out = 0;
            return true;
        }
        return false;
    default: /* smccc_wa*: each kernel's mitigation state (a V2 reads WA3 2 under
              * 6.1 and 1 under 6.18) */
        return false;
    }
}

bool armcpu_config_vm_limit(armcpu_config c)
{
    return c == ARMCPU_CONFIG_IPA_BITS;
}
