/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A realized spec against a host: the acceptance judgement (armcpu_judge,
 * src/regs/judge.c) for every field, and a count-only path for the callers
 * that need the numbers alone (models --host, baselines, benchmarks).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "armcpu/host.h"
#include "../core/ctx.h"
#include "../util/util.h"

unsigned armcpu_cpu_judge_flags(const armcpu_cpu *cpu, const armcpu_reg *reg)
{
    return (armcpu_cpu_has_aarch32(cpu) ? ARMCPU_JUDGE_AARCH32 : 0) |
           (armcpu_cpu_reg_set(cpu, armcpu_reg_index(reg)) ? ARMCPU_JUDGE_SETS : 0);
}

/* The view of register ri from a host's arrays. */
static inline void view_of(const armcpu_reg *r, size_t ri, const uint64_t *hval,
                           const uint64_t *hmask, const uint64_t *hunk,
                           const armcpu_reg_state *hstate, unsigned off, unsigned kernel,
                           armcpu_reg_view *v)
{
    v->state = hstate[ri];
    v->value = hval[ri];
    v->writable = hmask ? hmask[ri] : 0;
    v->unknown = hunk ? hunk[ri] : 0;
    v->features_off = off;
    v->kernel = kernel;
    if (r->rule_host_reg < armcpu_idregs_count) {
        v->rule_host_state = hstate[r->rule_host_reg];
        v->rule_host_value = hval[r->rule_host_reg];
    } else {
        v->rule_host_state = ARMCPU_REG_UNKNOWN;
        v->rule_host_value = 0;
    }
}

void armcpu_host_reg_view(const armcpu_host *h, const armcpu_reg *reg, armcpu_reg_view *view)
{
    const uint64_t *hval, *hmask;
    const armcpu_reg_state *hstate;
    armcpu_host_arrays(h, &hval, &hmask, &hstate);
    view_of(reg, armcpu_reg_index(reg), hval, hmask, armcpu_host_unknown_array(h), hstate,
            armcpu_host_groups_off(h), armcpu_host_kernel_key(h), view);
}

/* with_reasons false: the callbacks get "" for the reason (no text is
 * formatted; the models-on-a-host query needs only the verdicts). */
static size_t check_reg(const armcpu_reg *r, uint64_t spec_reg, unsigned flags,
                        const armcpu_reg_view *v, armcpu_check_fn fn, void *opaque,
                        bool with_reasons)
{
    size_t blockers = 0;
    char reason[320] = "";
    char *why = fn && with_reasons ? reason : NULL;
    if (v->state == ARMCPU_REG_PRESENT && spec_reg == v->value && !v->unknown &&
        !(r->flags & ARMCPU_REGF_UNTRAPPED))
        return 0; /* nothing written: every field SAME */
    for (size_t i = 0; i < r->n_fields; i++) {
        const armcpu_field *f = &r->fields[i];
        armcpu_verdict vd = armcpu_judge(f, spec_reg, flags, v, why, sizeof reason);
        if (vd == ARMCPU_VERDICT_SAME)
            continue;
        blockers += armcpu_verdict_blocks(vd);
        if (fn) {
            armcpu_field_check c = {r, f, vd, armcpu_fget(f, spec_reg),
                                    v->state == ARMCPU_REG_PRESENT ? armcpu_fget(f, v->value) : 0,
                                    reason, false, ARMCPU_CONFIG_SVE_VLS};
            fn(&c, opaque);
        }
    }
    armcpu_verdict vd = armcpu_judge_outside(r, spec_reg, flags, v, why, sizeof reason);
    if (vd != ARMCPU_VERDICT_SAME) {
        blockers += armcpu_verdict_blocks(vd);
        if (fn) {
            uint64_t outside = (spec_reg ^ v->value) & ~r->fields_mask;
            armcpu_field_check c = {r,      NULL,  vd, spec_reg & outside, v->value & outside,
                                    reason, false, ARMCPU_CONFIG_SVE_VLS};
            fn(&c, opaque);
        }
    }
    return blockers;
}

size_t armcpu_check_reg(const armcpu_reg *r, uint64_t spec_reg, unsigned flags,
                        const armcpu_reg_view *v, armcpu_check_fn fn, void *opaque)
{
    return check_reg(r, spec_reg, flags, v, fn, opaque, true);
}

/* The host as the spec's vCPU would see it: a spec without SVE, the PMU or
 * pointer auth runs on a vCPU created without them (armcpu_cpu_vcpu_features),
 * where KVM hides their fields; judged against the host's view for that
 * configuration, not the one it was measured with: the view kept with the
 * host (armcpu_host_vcpu_view), or the host itself (nothing dropped, or no
 * memory for the view: the measured view, which only blocks more). */
const armcpu_host *armcpu_host_for_spec(const armcpu_cpu *cpu, const armcpu_host *host)
{
    unsigned off = armcpu_host_groups_off(host), need = armcpu_cpu_vcpu_features(cpu), have = 0;
    have |= off & 1u << ARMCPU_GROUP_SVE ? 0 : ARMCPU_VCPU_SVE;
    have |= off & 1u << ARMCPU_GROUP_PAUTH ? 0 : ARMCPU_VCPU_PTRAUTH;
    have |= off & 1u << ARMCPU_GROUP_PMU ? 0 : ARMCPU_VCPU_PMU;
    if (!(have & ~need))
        return host;
    const armcpu_host *v = armcpu_host_vcpu_view(host, have & need);
    return v ? v : host;
}

/* The vCPU configuration items the spec sets (the rest are the host's):
 * each by armcpu_config_judge under the host's kernel. Blockers returned,
 * unknown ones added to *unknown (may be NULL). */
static size_t check_config(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                           void *opaque, bool with_reasons, size_t *unknown)
{
    unsigned set = armcpu_cpu_config_mask(cpu);
    size_t blockers = 0;
    for (unsigned c = 0; set >> c; c++) {
        if (!(set >> c & 1))
            continue;
        uint64_t spec = 0, hv = 0;
        armcpu_cpu_config(cpu, (armcpu_config)c, &spec);
        bool known = armcpu_host_config(host, (armcpu_config)c, &hv);
        char reason[320] = "";
        armcpu_verdict vd =
            armcpu_config_judge((armcpu_config)c, spec, known, hv, armcpu_host_kernel_key(host),
                                fn && with_reasons ? reason : NULL, sizeof reason);
        if (vd == ARMCPU_VERDICT_SAME)
            continue;
        blockers += armcpu_verdict_blocks(vd);
        if (unknown)
            *unknown += armcpu_verdict_unknown(vd);
        if (fn) {
            armcpu_field_check ch = {NULL, NULL, vd, spec, hv, reason, true, (armcpu_config)c};
            fn(&ch, opaque);
        }
    }
    return blockers;
}

size_t armcpu_check_config_of(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                              void *opaque)
{
    return check_config(cpu, host, fn, opaque, true, NULL);
}

static size_t check_measured(const armcpu_cpu *cpu, const armcpu_host *host,
                             armcpu_check_fn fn, void *opaque);
static size_t count_measured(const armcpu_cpu *cpu, const armcpu_host *host,
                             size_t *unknown_out);
static size_t verdicts_measured(const armcpu_cpu *cpu, const armcpu_host *host,
                                armcpu_check_fn fn, void *opaque);

size_t armcpu_check(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                    void *opaque)
{
    const armcpu_host *h = armcpu_host_for_spec(cpu, host);
    return fn ? check_measured(cpu, h, fn, opaque) : count_measured(cpu, h, NULL);
}

size_t armcpu_check_count(const armcpu_cpu *cpu, const armcpu_host *host, size_t *unknown_out)
{
    return count_measured(cpu, armcpu_host_for_spec(cpu, host), unknown_out);
}

size_t armcpu_check_verdicts(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                             void *opaque)
{
    return verdicts_measured(cpu, armcpu_host_for_spec(cpu, host), fn, opaque);
}

/* Every field's verdict, by armcpu_judge, register by register. */
static size_t check_measured(const armcpu_cpu *cpu, const armcpu_host *host,
                             armcpu_check_fn fn, void *opaque)
{
    size_t blockers = 0;
    unsigned off = armcpu_host_groups_off(host), kernel = armcpu_host_kernel_key(host);
    const uint64_t *model = armcpu_cpu_reg_values(cpu), *hval, *hmask;
    const armcpu_reg_state *hstate;
    armcpu_host_arrays(host, &hval, &hmask, &hstate);
    const uint64_t *hunk = armcpu_host_unknown_array(host);
    for (size_t ri = 0; ri < armcpu_idregs_count; ri++) {
        const armcpu_reg *r = &armcpu_idregs[ri];
        armcpu_reg_view v; /* check_reg skips a register nothing is written to */
        view_of(r, ri, hval, hmask, hunk, hstate, off, kernel, &v);
        blockers += check_reg(r, model[ri], armcpu_cpu_judge_flags(cpu, r), &v, fn, opaque, true);
    }
    return blockers + check_config(cpu, host, fn, opaque, true, NULL);
}


/* ------------------------------------------------------ count-only path */

/* Nibble-parallel helpers: one result bit per nibble, at its lowest bit. */
#define NIBBLE_LSB 0x1111111111111111ULL

static inline uint64_t nibble_any(uint64_t x)
{
    return (x | x >> 1 | x >> 2 | x >> 3) & NIBBLE_LSB;
}

static inline uint64_t nibble_all(uint64_t x)
{
    return x & x >> 1 & x >> 2 & x >> 3 & NIBBLE_LSB;
}

/* Nibbles where a > b (unsigned): each nibble is compared in its own byte
 * lane, so no borrow crosses lanes. */
static inline uint64_t nibble_gt(uint64_t a, uint64_t b)
{
    const uint64_t lo = 0x0f0f0f0f0f0f0f0fULL, one = 0x0101010101010101ULL;
    uint64_t even = ((((a & lo) | (lo + one)) - (b & lo) - one) >> 4) & one;
    uint64_t odd = (((((a >> 4) & lo) | (lo + one)) - ((b >> 4) & lo) - one) >> 4) & one;
    return even | odd << 4;
}

/* The sum of the eight byte counts of x (each < 256), in 16-bit lanes. */
static inline size_t lane_sum(uint64_t x)
{
    x = (x & 0x00ff00ff00ff00ffULL) + ((x >> 8) & 0x00ff00ff00ff00ffULL);
    return (size_t)((x * 0x0001000100010001ULL) >> 48);
}

static inline size_t nibble_count(uint64_t nibbles)
{
    return lane_sum((nibbles & 0x0101010101010101ULL) + ((nibbles >> 4) & 0x0101010101010101ULL));
}


/*
 * One differing field outside the nibble masks and without a write rule:
 * the judgement's steps after the rules (armcpu_judge), inline.
 * Returns 1 when it blocks; *unknown gains 1 when it is unchecked.
 */
static inline size_t rest_blocks(const armcpu_reg *r, const armcpu_field *f, uint64_t mv,
                                 uint64_t hv, uint64_t mask, unsigned off, unsigned kernel,
                                 size_t *unknown)
{
    if (f->groups & off) {
        ++*unknown;
        return 0;
    }
    uint64_t fm = armcpu_fmask(f);
    bool writable = (mask & fm) == fm;
    if (r->kind == ARMCPU_REG_KIND_IDENTITY || (writable && (r->flags & ARMCPU_REGF_ANY_VALUE)))
        return 0;
    armcpu_policy p = armcpu_field_policy_for(f, kernel);
    if (p == ARMCPU_POLICY_HOST_ONLY || !writable)
        return 1;
    return !armcpu_safe_rule(f, p, armcpu_fget(f, mv), armcpu_fget(f, hv), NULL, 0);
}

/*
 * The verdict counts register by register: the 4-bit fields the table marks
 * as plain (lower/signed lower/host-only/exact nibbles: no KVM policy or
 * write rule of their own, not in identity or geometry registers) at once,
 * one bit per nibble; fields with a write rule by armcpu_judge itself; the
 * rest by rest_blocks. A unit test holds it equal to armcpu_check's
 * callbacks.
 */
/* What the count path needs of the spec and the host, once per check. */
struct tally_ctx {
    const armcpu_cpu *cpu;
    const uint64_t *model, *hval, *hmask, *hunk;
    const armcpu_reg_state *hstate;
    unsigned off, kernel;
    bool aarch32;
    uint64_t set_mask; /* registers 0..63 */
};

static inline void tally_ctx_init(struct tally_ctx *t, const armcpu_cpu *cpu,
                                  const armcpu_host *host)
{
    t->cpu = cpu;
    t->off = armcpu_host_groups_off(host);
    t->kernel = armcpu_host_kernel_key(host);
    t->model = armcpu_cpu_reg_values(cpu);
    armcpu_host_arrays(host, &t->hval, &t->hmask, &t->hstate);
    t->hunk = armcpu_host_unknown_array(host);
    t->aarch32 = armcpu_cpu_has_aarch32(cpu);
    t->set_mask = armcpu_cpu_set_mask(cpu);
}

/*
 * One register's verdict counts: blockers judged one at a time are
 * returned, those of the nibble masks added to *lanes as byte counts (0..2
 * per register per byte: the caller sums them), unknown fields to *unknown.
 */
ARMCPU_ALWAYS_INLINE static inline size_t reg_tally(const struct tally_ctx *t, size_t ri,
                                                    uint64_t *lanes, size_t *unknown)
{
    const armcpu_reg *r = &armcpu_idregs[ri];
    uint64_t mv = t->model[ri], hv = t->hval[ri], diff = mv ^ hv;
    armcpu_reg_state st = t->hstate[ri];
    size_t blockers = 0;
    unsigned off = t->off, kernel = t->kernel;
    uint64_t unk = t->hunk ? t->hunk[ri] : 0;
    if (st == ARMCPU_REG_PRESENT && !diff && !unk)
        return 0; /* same: nothing written */
    if (!t->aarch32 && armcpu_idreg_is_aarch32(r))
        return 0; /* host-given: UNKNOWN to a guest without AArch32 */
    if (r->kind == ARMCPU_REG_KIND_GEOMETRY &&
        !(ri < 64 ? t->set_mask >> ri & 1 : armcpu_cpu_reg_set(t->cpu, ri)))
        return 0; /* host-given */
    if (st == ARMCPU_REG_UNKNOWN) {
        *unknown += r->n_fields;
        return 0;
    }
    if (st == ARMCPU_REG_ABSENT) {
        /* fields the spec gives a value other than the default */
        for (uint64_t d = (mv ^ r->default_value) & r->fields_mask; d;) {
            const armcpu_field *f = &r->fields[r->bit_field[63 - __builtin_clzll(d)]];
            d &= ~armcpu_fmask(f);
            ++*unknown;
        }
        return 0;
    }
    uint64_t mask = t->hmask ? t->hmask[ri] : 0;
    /* bits outside every field must equal the host's */
    blockers += (diff & ~r->fields_mask) != 0;
    /* fields whose write rule fires (the register is written): refused
     * or unknown, and judged no further */
    uint64_t ruled = 0;
    if (r->rule_fields && (diff & mask)) {
        for (uint64_t rf = r->rule_fields; rf; rf &= rf - 1) {
            const armcpu_field *f = &r->fields[__builtin_ctzll(rf)];
            armcpu_verdict vd;
            if (f->kvm_rule == ARMCPU_KVM_RULE_ZERO_NEEDS_HOST_BIT) {
                armcpu_reg_view v;
                view_of(r, ri, t->hval, t->hmask, t->hunk, t->hstate, off, kernel, &v);
                vd = armcpu_judge_rule(f, mv, &v, NULL, 0);
            } else {
                vd = armcpu_rule_value_refuses(f, armcpu_fget(f, mv), kernel) ? ARMCPU_VERDICT_REFUSED
                                                                      : ARMCPU_VERDICT_SAME;
            }
            if (vd == ARMCPU_VERDICT_SAME)
                continue;
            ruled |= armcpu_fmask(f);
            blockers += vd == ARMCPU_VERDICT_REFUSED;
            *unknown += vd == ARMCPU_VERDICT_UNKNOWN;
        }
    }
    /* fields with unknown bits: unknown whatever the spec says (as
     * armcpu_judge, after the write rules) */
    if (unk) {
        uint64_t unk_fields = 0;
        for (uint64_t u = unk & ~ruled; u;) {
            const armcpu_field *f = &r->fields[r->bit_field[63 - __builtin_clzll(u)]];
            u &= ~armcpu_fmask(f);
            unk_fields |= armcpu_fmask(f);
            ++*unknown;
        }
        diff &= ~unk_fields;
    }
    if (r->kind == ARMCPU_REG_KIND_IDENTITY)
        return blockers; /* settable or the host's, never blocking */
    uint64_t fast = r->lower_nibbles | r->signed_lower_nibbles | r->host_only_nibbles |
                    r->exact_nibbles;
    uint64_t changed = nibble_any(diff & fast);
    if (off) {
        uint64_t offn = nibble_any(r->off_mask[off & 7]) & changed;
        *unknown += nibble_count(offn);
        changed &= ~offn;
    }
    uint64_t lower = changed & (r->lower_nibbles | r->signed_lower_nibbles);
    uint64_t exact = changed & r->exact_nibbles;
    uint64_t blocked = changed & r->host_only_nibbles; /* any difference blocks */
    if (lower | exact) {
        uint64_t writable = nibble_all(mask);
        /* LOWER: not writable, or above the host's (signed where so) */
        uint64_t sflip = r->signed_lower_nibbles & 0x8888888888888888ULL;
        if (lower)
            blocked |= lower & (~writable | nibble_gt(mv ^ sflip, hv ^ sflip));
        /* EXACT: only the host's value or, writable, the safe value */
        if (exact)
            blocked |= exact & (~writable | nibble_any((mv ^ r->exact_safe) & r->exact_nibbles));
    }
    *lanes += (blocked & 0x0101010101010101ULL) + ((blocked >> 4) & 0x0101010101010101ULL);
    for (uint64_t rest = diff & r->fields_mask & ~fast & ~ruled; rest;) {
        const armcpu_field *f = &r->fields[r->bit_field[63 - __builtin_clzll(rest)]];
        rest &= ~armcpu_fmask(f);
        blockers += rest_blocks(r, f, mv, hv, mask, off, kernel, unknown);
    }
    return blockers;
}

static size_t count_measured(const armcpu_cpu *cpu, const armcpu_host *host,
                             size_t *unknown_out)
{
    struct tally_ctx t;
    tally_ctx_init(&t, cpu, host);
    size_t blockers = 0, unknown = 0;
    uint64_t lanes = 0; /* nibble-mask blockers, as byte counts */
    /* a byte of `lanes` gains at most 2 per register: with more than 120
     * registers (not today's table) sum it after each one */
    const bool flush_each = armcpu_idregs_count > 120;
    for (size_t ri = 0; ri < armcpu_idregs_count; ri++) {
        blockers += reg_tally(&t, ri, &lanes, &unknown);
        if (flush_each) {
            blockers += lane_sum(lanes);
            lanes = 0;
        }
    }
    if (armcpu_cpu_config_mask(cpu))
        blockers += check_config(cpu, host, NULL, NULL, false, &unknown);
    if (unknown_out)
        *unknown_out = unknown;
    return blockers + lane_sum(lanes);
}

/* The verdicts that count (blocking or unknown) only: registers the count
 * path finds nothing to report in are skipped; the rest judged field by
 * field without reasons. */
static size_t verdicts_measured(const armcpu_cpu *cpu, const armcpu_host *host,
                                armcpu_check_fn fn, void *opaque)
{
    struct tally_ctx t;
    tally_ctx_init(&t, cpu, host);
    size_t blockers = 0;
    for (size_t ri = 0; ri < armcpu_idregs_count; ri++) {
        uint64_t lanes = 0;
        size_t unknown = 0;
        if (!reg_tally(&t, ri, &lanes, &unknown) && !lanes && !unknown)
            continue;
        const armcpu_reg *r = &armcpu_idregs[ri];
        armcpu_reg_view v;
        view_of(r, ri, t.hval, t.hmask, t.hunk, t.hstate, t.off, t.kernel, &v);
        blockers += check_reg(r, t.model[ri], armcpu_cpu_judge_flags(cpu, r), &v, fn, opaque,
                              false);
    }
    return blockers + check_config(cpu, host, fn, opaque, false, NULL);
}

const armcpu_prop *armcpu_field_prop(const armcpu_ctx *ctx, const armcpu_field *f)
{
    return ctx->n_props ? &ctx->props[ctx->field_prop[armcpu_field_flat_index(f)]] : NULL;
}

int armcpu_override_text(const armcpu_ctx *ctx, const armcpu_field *f, uint64_t v, char *buf,
                         size_t size)
{
    /* one spelling per kind of value: a named level by its property and
     * name (feat_AES=pmull), a number as SYSREG_..=0x.. (never feat_ST=39,
     * where "39" names the value 0) */
    const armcpu_prop *p = armcpu_field_prop(ctx, f);
    if (p && p->kind != ARMCPU_PROP_SYSREG && p->kind != ARMCPU_PROP_FRACTIONAL)
        for (size_t i = 0; i < p->n_values; i++)
            if (p->values[i].value == v && isalpha((unsigned char)p->values[i].name[0]))
                return snprintf(buf, size, "%s=%s", p->name, p->values[i].name);
    return snprintf(buf, size, "SYSREG_%s_%s=0x%llx", armcpu_field_reg(f)->name, f->name,
                    (unsigned long long)v);
}
