/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The acceptance judgement: will KVM on this host accept a spec's value of a
 * field, and will the guest then see it? Every command of armcpu decides
 * through armcpu_judge (checks, fixes, comparisons, baselines, plans,
 * props-info, the KVM writeback and its refusal messages). The exceptions to
 * the kernel's safe rule are columns of the generated table (the extra
 * input of tools/gen-idregs: `Register`, `KvmPolicy`, `WriteRule`, `Group`),
 * never tests of register names here.
 *
 * KVM's side (arch/arm64/kvm/sys_regs.c, Linux 6.7-7.3): set_id_reg ->
 * arm64_check_features accepts a field equal to the limit, or inside the
 * writable mask and safe by arm64_ftr_safe_value (kvm_arm64_ftr_safe_value's
 * overrides); every other bit must equal the limit; the set_* handlers add
 * whole-register rules.
 */
#include <stdio.h>
#include <string.h>

#include "idregs.h"

unsigned armcpu_kernel_key(const char *release)
{
    if (!release)
        return 0;
    unsigned major = 0, minor = 0, nd = 0;
    const char *p = release;
    for (; *p >= '0' && *p <= '9' && nd < 3; p++, nd++)
        major = major * 10 + (unsigned)(*p - '0');
    if (!nd || *p != '.' || major == 0)
        return 0;
    p++;
    nd = 0;
    for (; *p >= '0' && *p <= '9' && nd < 3; p++, nd++)
        minor = minor * 10 + (unsigned)(*p - '0');
    if (!nd || (*p >= '0' && *p <= '9'))
        return 0;
    return major * 1000 + minor;
}

/* A rule or policy "since" key is in force under `kernel` (0: unknown, the
 * newest rules apply). */
static inline bool in_force(uint32_t since, unsigned kernel)
{
    return kernel == 0 || since <= kernel;
}

armcpu_policy armcpu_field_policy_for(const armcpu_field *f, unsigned kernel)
{
    return in_force(f->kvm_policy_since, kernel) ? f->kvm_policy : f->policy;
}

const armcpu_reg *armcpu_reg_rule_host(const armcpu_reg *reg)
{
    return reg->rule_host_reg < armcpu_idregs_count ? &armcpu_idregs[reg->rule_host_reg] : NULL;
}

bool armcpu_rule_refuses(const armcpu_field *f, uint64_t v, unsigned kernel, char *why,
                         size_t size)
{
    if (!armcpu_rule_value_refuses(f, v, kernel))
        return false;
    if (why) {
        const char *handler = f->kvm_rule_handler, *rn = armcpu_idregs[f->reg_index].name;
        if (f->kvm_rule == ARMCPU_KVM_RULE_BELOW_ARMV8)
            snprintf(why, size, "KVM (%s) refuses %s below Armv8 (0x6) in any %s write",
                     handler, f->name, rn);
        else if (v == 0xf)
            snprintf(why, size,
                     "KVM (%s) rewrites %s 0xf (IMPDEF) to 0 in any %s write: the guest "
                     "would not see it",
                     handler, f->name, rn);
        else
            snprintf(why, size, "KVM (%s) refuses %s 0x1..0x2 (not PMUv3) in any %s write",
                     handler, f->name, rn);
    }
    return true;
}

/* zero-needs-host-bit (set_clidr): the field (and its partner) 0 claims no
 * cache maintenance is needed, which KVM refuses unless the host's bit is
 * set. SAME when it does not apply, REFUSED or UNKNOWN when it does. */
static armcpu_verdict host_bit_rule(const armcpu_field *f, uint64_t spec_reg,
                                    const armcpu_reg_view *h, char *reason, size_t size)
{
    const struct armcpu_reg *r = &armcpu_idregs[f->reg_index];
    if (!in_force(f->kvm_rule_since, h->kernel) || armcpu_fget(f, spec_reg) != 0 ||
        (f->kvm_rule_partner < r->n_fields && armcpu_fget(&r->fields[f->kvm_rule_partner], spec_reg)))
        return ARMCPU_VERDICT_SAME;
    const struct armcpu_reg *hr = armcpu_reg_rule_host(r);
    const armcpu_field *hf = hr && f->kvm_rule_host_field < hr->n_fields
                                 ? &hr->fields[f->kvm_rule_host_field]
                                 : NULL;
    if (!hf)
        return ARMCPU_VERDICT_SAME;
    char partner[64] = "";
    if (f->kvm_rule_partner < r->n_fields)
        snprintf(partner, sizeof partner, " with %s 0", r->fields[f->kvm_rule_partner].name);
    if (h->rule_host_state != ARMCPU_REG_PRESENT) {
        if (reason && size)
            snprintf(reason, size,
                     "KVM (%s) refuses %s 0%s unless the host's %s.%s is 1, and the host "
                     "data has no %s",
                     f->kvm_rule_handler, f->name, partner, hr->name, hf->name, hr->name);
        return ARMCPU_VERDICT_UNKNOWN;
    }
    if (armcpu_fget(hf, h->rule_host_value))
        return ARMCPU_VERDICT_SAME;
    if (reason && size)
        snprintf(reason, size, "KVM (%s) refuses %s 0%s in a %s write: the host's %s.%s is 0",
                 f->kvm_rule_handler, f->name, partner, r->name, hr->name, hf->name);
    return ARMCPU_VERDICT_REFUSED;
}

static armcpu_verdict say(armcpu_verdict v, char *reason, size_t size, const char *text)
{
    if (reason && size) {
        /* a copy, not snprintf: checks with callbacks judge every field */
        size_t n = strlen(text);
        if (n >= size)
            n = size - 1;
        memcpy(reason, text, n);
        reason[n] = 0;
    }
    return v;
}

armcpu_verdict armcpu_judge_rule(const armcpu_field *f, uint64_t spec_reg,
                                 const armcpu_reg_view *h, char *reason, size_t size)
{
    if (f->kvm_rule == ARMCPU_KVM_RULE_ZERO_NEEDS_HOST_BIT)
        return host_bit_rule(f, spec_reg, h, reason, size);
    return armcpu_rule_refuses(f, armcpu_fget(f, spec_reg), h->kernel, reason, size)
               ? ARMCPU_VERDICT_REFUSED
               : ARMCPU_VERDICT_SAME;
}

/* Is the register left to the host by the spec? (reason when it is) */
/* Why the vCPU keeps the host's value of register r under a spec with
 * these flags, or NULL when the spec sets it. */
static const char *host_given(const struct armcpu_reg *r, unsigned spec_flags)
{
    if ((r->flags & ARMCPU_REGF_AARCH32) && !(spec_flags & ARMCPU_JUDGE_AARCH32))
        return "the spec has no AArch32 (ID_AA64PFR0_EL1.EL0..EL3 below 2), so this AArch32 ID "
               "register is UNKNOWN to its guest: the vCPU keeps the host's";
    if (r->kind == ARMCPU_REG_KIND_GEOMETRY && !(spec_flags & ARMCPU_JUDGE_SETS))
        return "the spec leaves the cache geometry unset: the vCPU keeps what KVM gives it";
    return NULL;
}

/* Would a KVM_SET_ONE_REG of the spec's register change a writable bit? */
static inline bool written(uint64_t spec_reg, const armcpu_reg_view *h)
{
    return ((spec_reg ^ h->value) & h->writable) != 0;
}

/* Does the guest read field f from the hardware (extra file `Untrapped`:
 * CTR_EL0.TminLine)? KVM traps CTR_EL0 never before 6.3, always in 6.3-6.4,
 * and from 6.5 on only without FEAT_EVT or, from 6.11, when the VM's value
 * differs from the host's. A host whose deciding register is unknown may
 * not trap. */
static bool untrapped(const armcpu_field *f, uint64_t spec_reg, const armcpu_reg_view *h)
{
    unsigned k = h->kernel;
    if (k && k < 6003)
        return true;
    if (k && k < 6005)
        return false;
    const struct armcpu_reg *hr = armcpu_reg_rule_host(&armcpu_idregs[f->reg_index]);
    if (h->rule_host_state != ARMCPU_REG_PRESENT || !hr ||
        f->kvm_rule_host_field >= hr->n_fields)
        return true;
    if (!armcpu_fget(&hr->fields[f->kvm_rule_host_field], h->rule_host_value))
        return false; /* no FEAT_EVT: trapped */
    return !((!k || k >= 6011) && written(spec_reg, h));
}

armcpu_verdict armcpu_judge(const armcpu_field *f, uint64_t spec_reg, unsigned spec_flags,
                            const armcpu_reg_view *h, char *reason, size_t size)
{
    const struct armcpu_reg *r = &armcpu_idregs[f->reg_index];
    uint64_t v = armcpu_fget(f, spec_reg), hv = armcpu_fget(f, h->value), fm = armcpu_fmask(f);
    if (reason && size)
        reason[0] = 0;
    const char *given = host_given(r, spec_flags);
    if (given)
        return h->state != ARMCPU_REG_PRESENT || v == hv
                   ? ARMCPU_VERDICT_SAME
                   : say(ARMCPU_VERDICT_HOST_GIVEN, reason, size, given);
    if (h->state == ARMCPU_REG_UNKNOWN)
        return say(ARMCPU_VERDICT_UNKNOWN, reason, size,
                   "the host data has no value for this register");
    if (h->state == ARMCPU_REG_ABSENT)
        return v == f->default_value
                   ? ARMCPU_VERDICT_SAME
                   : say(ARMCPU_VERDICT_UNKNOWN, reason, size,
                         "KVM does not expose this register as a ONE_REG: what the guest "
                         "reads is not in the host data");
    /* KVM's whole-register rules refuse a value whatever the host's limit,
     * so they hold for a field whose limit is unknown too */
    if (f->kvm_rule != ARMCPU_KVM_RULE_NONE && written(spec_reg, h)) {
        armcpu_verdict rv = armcpu_judge_rule(f, spec_reg, h, reason, size);
        if (rv != ARMCPU_VERDICT_SAME)
            return rv;
    }
    if (fm & h->unknown)
        return say(ARMCPU_VERDICT_UNKNOWN, reason, size,
                   "the snapshot's own view hid this field and this kernel shows it: its value "
                   "cannot be known from the snapshot (measure the host under this kernel)");
    if (f->groups & h->features_off)
        return v == hv ? ARMCPU_VERDICT_SAME
                       : say(ARMCPU_VERDICT_UNCHECKED, reason, size,
                             "the host was measured with this vCPU feature off; its limit "
                             "is unknown");
    if (v == hv) {
        /* the snapshot shows KVM's copy; an untrapped guest reads the CPU */
        if (f->untrapped && untrapped(f, spec_reg, h))
            return say(ARMCPU_VERDICT_HOST_GIVEN, reason, size,
                       "KVM does not trap this register on this host (FEAT_EVT, and the spec "
                       "keeps the host's value): the guest reads the CPU's own, which the "
                       "snapshot (KVM's sanitised copy) does not show");
        return ARMCPU_VERDICT_SAME;
    }
    bool writable = (h->writable & fm) == fm;
    if (r->kind == ARMCPU_REG_KIND_IDENTITY)
        return writable ? ARMCPU_VERDICT_SETTABLE
                        : say(ARMCPU_VERDICT_IDENTITY, reason, size,
                              "not writable on this host's kernel (needs Linux 6.15+ and "
                              "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS): the guest sees the host's");
    if (writable && (r->flags & ARMCPU_REGF_ANY_VALUE))
        return ARMCPU_VERDICT_SETTABLE; /* set_clidr: no safe rule */
    armcpu_policy p = armcpu_field_policy_for(f, h->kernel);
    if (p == ARMCPU_POLICY_HOST_ONLY) {
        /* arm64_check_features only lets the fields of the ftr tables
         * change; every other bit must equal the limit, mask or not */
        if (reason && size)
            snprintf(reason, size,
                     "cpufeature.c has no rule for this field: KVM accepts only the host's "
                     "0x%llx",
                     (unsigned long long)hv);
        return ARMCPU_VERDICT_NOT_WRITABLE;
    }
    if (!writable)
        return say(ARMCPU_VERDICT_NOT_WRITABLE, reason, size,
                   "KVM does not let userspace change this field on this host's kernel (it refuses the write, or takes it and keeps its own value)");
    return armcpu_safe_rule(f, p, v, hv, reason, size) ? ARMCPU_VERDICT_SETTABLE
                                                       : ARMCPU_VERDICT_OVERPROMISE;
}

armcpu_verdict armcpu_judge_outside(const armcpu_reg *reg, uint64_t spec_reg,
                                    unsigned spec_flags, const armcpu_reg_view *h, char *reason,
                                    size_t size)
{
    if (reason && size)
        reason[0] = 0;
    uint64_t outside = (spec_reg ^ h->value) & ~reg->fields_mask;
    if (h->state != ARMCPU_REG_PRESENT || !outside || host_given(reg, spec_flags))
        return ARMCPU_VERDICT_SAME;
    if (reason && size)
        snprintf(reason, size,
                 "bits 0x%016llx lie outside the table's fields and differ; KVM requires "
                 "them equal to the host's",
                 (unsigned long long)outside);
    return ARMCPU_VERDICT_NOT_WRITABLE;
}

bool armcpu_field_untrapped(const armcpu_field *f) { return f->untrapped; }

bool armcpu_view_knows(const armcpu_reg_view *h, const armcpu_field *f)
{
    return h->state == ARMCPU_REG_PRESENT && !(f->groups & h->features_off) &&
           !(armcpu_fmask(f) & h->unknown);
}

const char *armcpu_verdict_name(armcpu_verdict v)
{
    static const char *const names[] = {"same",       "settable",  "over-promise",
                                        "not-writable", "identity", "host-given",
                                        "unchecked",  "refused",   "unknown"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

bool armcpu_verdict_blocks(armcpu_verdict v)
{
    return v == ARMCPU_VERDICT_OVERPROMISE || v == ARMCPU_VERDICT_NOT_WRITABLE ||
           v == ARMCPU_VERDICT_REFUSED;
}

bool armcpu_verdict_unknown(armcpu_verdict v)
{
    return v == ARMCPU_VERDICT_UNCHECKED || v == ARMCPU_VERDICT_UNKNOWN;
}
