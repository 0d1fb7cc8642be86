/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fleet's meet (armcpu_fleet_baseline): for every field the greatest
 * value every host class accepts by the judgement, over the distinct
 * register views of the fleet (hosts with the same register state answer
 * alike, so 100 000 similar hosts cost little more than ten), then the
 * model that expresses it with the fewest overrides, verified with the
 * checks' own per-register step on every view.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meet.h"

/* ------------------------------------------------------------ judging */

static inline bool accepted(armcpu_verdict v)
{
    return v == ARMCPU_VERDICT_SAME || v == ARMCPU_VERDICT_SETTABLE;
}

/* Is the field known on a view (a value and its vCPU feature on)? */
static inline bool known(const armcpu_field *f, const struct view *v)
{
    return armcpu_view_knows(&v->v, f);
}

/* The judgement of value c for field f alone on a view: the view's own
 * register with f replaced. */
armcpu_verdict meet_judge(const armcpu_field *f, uint64_t c, unsigned flags, const struct view *v,
                          char *why, size_t size)
{
    uint64_t reg = v->v.state == ARMCPU_REG_PRESENT
                       ? armcpu_fwith(f, v->v.value, c)
                       : armcpu_fwith(f, armcpu_reg_default_value(armcpu_field_reg(f)), c);
    armcpu_verdict vd = armcpu_judge(f, reg, flags, &v->v, why, size);
    /* a field an untrapped guest reads from the CPU (CTR_EL0.TminLine): KVM
     * still takes the host's copy, which is what the meet needs; check says
     * the rest ("host-given") */
    if (vd == ARMCPU_VERDICT_HOST_GIVEN && f->untrapped && v->v.state == ARMCPU_REG_PRESENT &&
        c == armcpu_fget(f, v->v.value))
        return ARMCPU_VERDICT_SAME;
    return vd;
}

/* c covers d: d is safe where c is the limit (the newest kernel's policy
 * orders values; acceptance is each host's own kernel). */
static inline bool covers(const armcpu_field *f, uint64_t c, uint64_t d)
{
    return armcpu_safe_rule(f, armcpu_field_kvm_policy(f), d, c, NULL, 0);
}

/* Candidates from the best down in a total order of the safe rule: LOWER
 * descending (signed where the field is), HIGHER ascending. */
static inline int64_t order_key(const armcpu_field *f, uint64_t v)
{
    if (!f->is_signed || f->width >= 64)
        return (int64_t)v;
    uint64_t sign = 1ULL << (f->width - 1);
    return (int64_t)((v ^ sign) - sign);
}

static void sort_candidates(const armcpu_field *f, armcpu_policy pol, uint64_t *cand, size_t nc)
{
    int64_t key[16];
    for (size_t i = 0; i < nc; i++)
        key[i] = order_key(f, cand[i]);
    for (size_t i = 1; i < nc; i++)
        for (size_t j = i; j > 0; j--) {
            bool swap = pol == ARMCPU_POLICY_LOWER ? key[j - 1] < key[j] : key[j - 1] > key[j];
            if (!swap)
                break;
            uint64_t c = cand[j - 1];
            int64_t k = key[j - 1];
            cand[j - 1] = cand[j];
            key[j - 1] = key[j];
            cand[j] = c;
            key[j] = k;
        }
}

/* ------------------------------------------------------------ the meet */

static int add_conflict(struct meet *m, const armcpu_field *f, const armcpu_reg *r, char *text,
                        armcpu_error *err)
{
    if (!text)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    struct meet_conflict *n = armcpu_grow(m->cf, &m->cap_cf, m->n_cf, sizeof *n, 16);
    if (!n) {
        free(text);
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    }
    m->cf = n;
    m->cf[m->n_cf++] = (struct meet_conflict){f, r, text};
    return ARMCPU_OK;
}

static int add_identity(struct meet *m, char *text, armcpu_error *err)
{
    if (!text)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    char **n = realloc(m->id, (m->n_id + 1) * sizeof *n);
    if (!n) {
        free(text);
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    }
    m->id = n;
    m->id[m->n_id++] = text;
    return ARMCPU_OK;
}

/* " <class> has 0x.. (writable|not writable)" for each distinct known value
 * (at most 8 listed). */
static void list_values(struct strbuf *b, const armcpu_field *f, const struct reg_views *rv,
                        const armcpu_fleet *fleet)
{
    uint64_t seen[8];
    size_t ns = 0, more = 0;
    uint64_t fm = armcpu_field_mask(f);
    for (size_t i = 0; i < rv->n; i++) {
        const struct view *v = &rv->v[i];
        if (!known(f, v))
            continue;
        uint64_t hv = armcpu_fget(f, v->v.value);
        bool dup = false;
        for (size_t k = 0; k < ns; k++)
            dup |= seen[k] == hv;
        if (dup)
            continue;
        if (ns == 8) {
            more++;
            continue;
        }
        seen[ns++] = hv;
        sb_add(b, " %s has 0x%llx (%s)", armcpu_host_name(fleet->cls[v->first].host),
               (unsigned long long)hv, (v->v.writable & fm) == fm ? "writable" : "not writable");
    }
    if (more)
        sb_add(b, " and %zu more values", more);
}

/* The meet of one field over a register's views. */
static int meet_field(struct meet *m, const armcpu_field *f, const struct reg_views *rv,
                      unsigned flags, const armcpu_fleet *fleet, struct fmeet *out,
                      armcpu_error *err)
{
    const armcpu_reg *r = armcpu_field_reg(f);
    memset(out, 0, sizeof *out);
    if (armcpu_reg_is_aarch32(r) && !(flags & ARMCPU_JUDGE_AARCH32)) {
        out->kind = MK_GIVEN;
        return ARMCPU_OK;
    }
    uint64_t fm = armcpu_field_mask(f), a0 = 0, lo = 0, hi = 0;
    int64_t slo = 0, shi = 0;
    size_t nknown = 0;
    bool agree = true, all_writable = true;
    for (size_t i = 0; i < rv->n; i++) {
        const struct view *v = &rv->v[i];
        if (!known(f, v)) {
            out->some_unknown = true;
            continue;
        }
        uint64_t hv = armcpu_fget(f, v->v.value);
        int64_t sv = armcpu_field_get_signed(f, v->v.value);
        if (!nknown) {
            a0 = lo = hi = hv;
            slo = shi = sv;
        }
        agree &= hv == a0;
        lo = hv < lo ? hv : lo;
        hi = hv > hi ? hv : hi;
        slo = sv < slo ? sv : slo;
        shi = sv > shi ? sv : shi;
        all_writable &= (v->v.writable & fm) == fm;
        nknown++;
    }
    if (!nknown) {
        out->kind = MK_UNKNOWN;
        return ARMCPU_OK;
    }
    out->lo = lo;
    struct strbuf b = {0};
    if (armcpu_reg_is_geometry(r) && !(flags & ARMCPU_JUDGE_SETS)) {
        /* the hosts' own: a migration restores the source's, which every
         * destination must take */
        if (agree || all_writable) {
            out->kind = MK_GIVEN;
            return ARMCPU_OK;
        }
        sb_add(&b, "%s.%s: the spec leaves the cache geometry to the hosts, which differ, and "
                   "not every host's kernel lets it be written:",
               r->name, f->name);
        list_values(&b, f, rv, fleet);
        out->kind = MK_CONFLICT;
        return add_conflict(m, f, r, sb_take(&b), err);
    }
    if (armcpu_reg_is_identity(r) || ((r->flags & ARMCPU_REGF_ANY_VALUE) && all_writable)) {
        if (agree) {
            out->kind = MK_DECIDED;
            out->value = a0;
        } else if (all_writable) {
            out->kind = MK_FREE;
        } else {
            out->kind = MK_IDENTITY;
            sb_add(&b, "%s.%s differs and not every host's kernel lets it be written; the guest "
                       "sees each host's own:",
                   r->name, f->name);
            list_values(&b, f, rv, fleet);
            return add_identity(m, sb_take(&b), err);
        }
        return ARMCPU_OK;
    }
    /* candidates: every value of a narrow field; for wide ones the values
     * the safe rule can select (extremes, safe, default, 0) */
    /* For LOWER and HIGHER the safe rule orders values totally: the first
     * candidate every host accepts, from the top of that order down, is the
     * greatest. Otherwise the accepted candidate that covers the others. */
    armcpu_policy pol = armcpu_field_kvm_policy(f);
    bool ordered = pol == ARMCPU_POLICY_LOWER || pol == ARMCPU_POLICY_HIGHER;
    uint64_t cand[16];
    size_t nc = 0;
    if (f->width <= 4) {
        /* every value, in the order's direction when there is one:
         * unsigned descending / signed descending (positive half first) for
         * LOWER, the reverse for HIGHER */
        unsigned n = 1u << f->width, half = n / 2;
        bool lower = pol == ARMCPU_POLICY_LOWER;
        for (unsigned i = 0; i < n; i++) {
            unsigned c = i;
            if (ordered && !f->is_signed)
                c = lower ? n - 1 - i : i;
            else if (ordered) /* signed: the non-negative half above the rest */
                c = lower ? (i < half ? half - 1 - i : n - 1 - (i - half))
                          : (i < half ? half + i : i - half);
            cand[nc++] = c;
        }
    } else {
        uint64_t wm = f->width >= 64 ? ~0ULL : (1ULL << f->width) - 1;
        uint64_t pick[8] = {a0, lo, hi, (uint64_t)slo & wm, (uint64_t)shi & wm, f->safe_value,
                            f->default_value, 0};
        for (size_t i = 0; i < 8; i++) {
            bool dup = false;
            for (size_t k = 0; k < nc; k++)
                dup |= cand[k] == pick[i];
            if (!dup)
                cand[nc++] = pick[i];
        }
    }
    if (ordered && f->width > 4)
        sort_candidates(f, pol, cand, nc);
    bool found = false;
    uint64_t best = 0;
    /* ordered: nothing beyond the known hosts' extreme can be accepted (the
     * host with it refuses more: over-promise where writable, a difference
     * where not), so start there */
    int64_t edge = pol == ARMCPU_POLICY_LOWER ? (f->is_signed ? slo : (int64_t)lo)
                                              : (f->is_signed ? shi : (int64_t)hi);
    /* a spec without AArch32 has EL0/EL1 AArch64 only (realize.c's
     * aarch32=off composite writes 1 there, whatever an override says) */
    int el = armcpu_field_exception_level(f);
    bool aarch64_only = (el == 0 || el == 1) && !(flags & ARMCPU_JUDGE_AARCH32);
    for (size_t i = 0; i < nc; i++) {
        uint64_t c = cand[i];
        if (aarch64_only && c != 1)
            continue;
        if (ordered && f->width <= 4 &&
            (pol == ARMCPU_POLICY_LOWER ? order_key(f, c) > edge : order_key(f, c) < edge))
            continue;
        bool ok = true;
        for (size_t k = 0; k < rv->n && ok; k++)
            if (known(f, &rv->v[k]))
                ok = accepted(meet_judge(f, c, flags, &rv->v[k], NULL, 0));
        if (!ok)
            continue;
        if (!found || (covers(f, c, best) && !covers(f, best, c)))
            best = c;
        found = true;
        if (ordered)
            break;
    }
    if (found) {
        out->kind = MK_DECIDED;
        out->value = best;
        return ARMCPU_OK;
    }
    sb_add(&b, "%s.%s: no value every host accepts:", r->name, f->name);
    list_values(&b, f, rv, fleet);
    if (aarch64_only)
        sb_add(&b, "; a spec without AArch32 has 0x1 (AArch64 only) here");
    /* a write rule refusing a host's own value says why */
    for (size_t k = 0; k < rv->n; k++) {
        char why[320];
        const struct view *v = &rv->v[k];
        if (known(f, v) &&
            meet_judge(f, armcpu_fget(f, v->v.value) ^ 1, flags, v, why, sizeof why) ==
                ARMCPU_VERDICT_REFUSED) {
            sb_add(&b, "; %s", why);
            break;
        }
    }
    out->kind = MK_CONFLICT;
    return add_conflict(m, f, r, sb_take(&b), err);
}

/* One register: every field, then KVM's whole-register rules on the meet's
 * value, then the bits outside every field. */
static int meet_reg(struct meet *m, size_t ri, const struct views *vs, const armcpu_fleet *fleet,
                    armcpu_error *err)
{
    const armcpu_reg *r = armcpu_reg_at(ri);
    const struct reg_views *rv = &vs->reg[ri];
    unsigned flags = (m->aarch32 ? ARMCPU_JUDGE_AARCH32 : 0) |
                     ((m->geo_sets >> ri) & 1 ? ARMCPU_JUDGE_SETS : 0);
    struct fmeet *fm = &m->f[m->first[ri]];
    uint64_t value = armcpu_reg_default_value(r), decided = 0;
    for (size_t i = 0; i < r->n_fields; i++) {
        const armcpu_field *f = &r->fields[i];
        int rc = meet_field(m, f, rv, flags, fleet, &fm[i], err);
        if (rc)
            return rc;
        if (fm[i].kind == MK_DECIDED) {
            value = armcpu_fwith(f, value, fm[i].value);
            decided |= armcpu_field_mask(f);
        } else {
            /* fields the spec does not decide: the first known host's */
            for (size_t k = 0; k < rv->n; k++)
                if (rv->v[k].v.state == ARMCPU_REG_PRESENT) {
                    value = armcpu_fwith(f, value, armcpu_fget(f, rv->v[k].v.value));
                    break;
                }
        }
    }
    m->reg_value[ri] = value;
    m->decided[ri] = decided;
    bool given = (armcpu_reg_is_aarch32(r) && !m->aarch32) ||
                 (armcpu_reg_is_geometry(r) && !(flags & ARMCPU_JUDGE_SETS));
    if (given)
        return ARMCPU_OK;
    /* whole-register rules: a host where the meet's value is written */
    for (uint64_t rf = r->rule_fields; rf; rf &= rf - 1) {
        size_t i = (size_t)__builtin_ctzll(rf);
        const armcpu_field *f = &r->fields[i];
        if (fm[i].kind != MK_DECIDED)
            continue;
        for (size_t k = 0; k < rv->n; k++) {
            char why[320];
            if (rv->v[k].v.state != ARMCPU_REG_PRESENT ||
                armcpu_judge(f, value, flags, &rv->v[k].v, why, sizeof why) !=
                    ARMCPU_VERDICT_REFUSED)
                continue;
            struct strbuf b = {0};
            sb_add(&b, "%s.%s: on %s %s", r->name, f->name,
                   armcpu_host_name(fleet->cls[rv->v[k].first].host), why);
            fm[i].kind = MK_CONFLICT;
            m->decided[ri] &= ~armcpu_field_mask(f);
            int rc = add_conflict(m, f, r, sb_take(&b), err);
            if (rc)
                return rc;
            break;
        }
    }
    /* bits outside every field: no property sets them, so every host must
     * have the spec's (the register's RES1 bits) */
    uint64_t want = armcpu_reg_default_value(r) & ~r->fields_mask;
    for (size_t k = 0; k < rv->n; k++) {
        const struct view *v = &rv->v[k];
        uint64_t out = v->v.value & ~r->fields_mask;
        if (v->v.state != ARMCPU_REG_PRESENT || out == want)
            continue;
        struct strbuf b = {0};
        sb_add(&b, "%s: %s has bits 0x%016llx outside the table's fields, which no property "
                   "sets and KVM requires unchanged",
               r->name, armcpu_host_name(fleet->cls[v->first].host),
               (unsigned long long)(out ^ want));
        return add_conflict(m, NULL, r, sb_take(&b), err);
    }
    return ARMCPU_OK;
}

void meet_free(struct meet *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_cf; i++)
        free(m->cf[i].text);
    for (size_t i = 0; i < m->n_id; i++)
        free(m->id[i]);
    free(m->cf);
    free(m->id);
    free(m->f);
    free(m->first);
    free(m->reg_value);
    free(m->decided);
    free(m);
}

struct meet *meet_new(const struct views *vs, const armcpu_fleet *fleet, bool aarch32,
                      uint64_t geo_sets, armcpu_error *err)
{
    size_t nr = armcpu_reg_count(), nf = 0;
    struct meet *m = calloc(1, sizeof *m);
    if (!m) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    m->aarch32 = aarch32;
    m->geo_sets = geo_sets;
    m->first = calloc(nr, sizeof *m->first);
    m->reg_value = calloc(nr, sizeof *m->reg_value);
    m->decided = calloc(nr, sizeof *m->decided);
    for (size_t ri = 0; ri < nr && m->first; ri++) {
        m->first[ri] = nf;
        nf += armcpu_reg_field_count(armcpu_reg_at(ri));
    }
    m->f = calloc(nf ? nf : 1, sizeof *m->f);
    if (!m->first || !m->reg_value || !m->decided || !m->f) {
        meet_free(m);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t ri = 0; ri < nr; ri++)
        if (meet_reg(m, ri, vs, fleet, err)) {
            meet_free(m);
            return NULL;
        }
    return m;
}

const struct fmeet *meet_field_of(const struct meet *m, const armcpu_field *f)
{
    const armcpu_reg *r = armcpu_field_reg(f);
    return &m->f[m->first[armcpu_reg_index(r)] + (size_t)(f - r->fields)];
}

/* Does the meet (of the ELx fields, which no variant changes) give the spec
 * AArch32? An ELx field in conflict takes the smallest host value (a host
 * without AArch32 wins: the AArch32 registers are then left to the hosts
 * and the conflict is ELx's alone); one no host knows, the model's. */
bool meet_aarch32(const struct meet *m, const uint64_t *model_regs)
{
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    if (!pfr0)
        return false;
    uint64_t v = model_regs[armcpu_reg_index(pfr0)];
    for (size_t i = 0; i < pfr0->n_fields; i++) {
        const armcpu_field *f = &pfr0->fields[i];
        const struct fmeet *x = meet_field_of(m, f);
        if (armcpu_field_exception_level(f) < 0)
            continue;
        if (x->kind == MK_DECIDED)
            v = armcpu_fwith(f, v, x->value);
        else if (x->kind == MK_CONFLICT)
            v = armcpu_fwith(f, v, x->lo);
    }
    return armcpu_pfr0_has_aarch32(v);
}

/* ------------------------------------------------------------ baseline */

struct bl_override {
    char *text;
    size_t hosts, first;
};

struct bl_conflict {
    const armcpu_field *field;
    const armcpu_reg *reg;
    char *text;
};

struct armcpu_baseline {
    const struct armcpu_model *model;
    char *spec;
    uint64_t *regs;    /* the realized spec (or the model's when impossible) */
    uint64_t *decided; /* per register: fields the meet decides */
    struct bl_override *ov;
    size_t n_ov;
    struct bl_conflict *cf;
    size_t n_cf;
    char **id;
    size_t n_id;
    const armcpu_field **unknown;
    size_t n_unknown, cap_unknown;
    /* the vCPU configuration: bit c of config_set, the value set in the
     * spec; the items some member does not record (why) */
    unsigned config_set;
    uint64_t config[ARMCPU_CONFIG_COUNT];
    char *config_unknown[ARMCPU_CONFIG_COUNT];
    size_t n_config_unknown;
    char *config_limit[ARMCPU_CONFIG_COUNT]; /* the VM limits of the fleet (ipa_bits) */
    size_t n_config_limit;
    char **class_names;
    size_t n_classes, hosts;
    size_t verify_failures;
};

void armcpu_baseline_free(armcpu_baseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_ov; i++)
        free(b->ov[i].text);
    for (size_t i = 0; i < b->n_cf; i++)
        free(b->cf[i].text);
    for (size_t i = 0; i < b->n_id; i++)
        free(b->id[i]);
    for (size_t i = 0; i < b->n_classes; i++)
        free(b->class_names[i]);
    for (size_t i = 0; i < b->n_config_unknown; i++)
        free(b->config_unknown[i]);
    for (size_t i = 0; i < b->n_config_limit; i++)
        free(b->config_limit[i]);
    free(b->ov);
    free(b->cf);
    free(b->id);
    free(b->unknown);
    free(b->class_names);
    free(b->spec);
    free(b->regs);
    free(b->decided);
    free(b);
}

/* The meets already computed for this fleet (few: one per spec context). */
struct meets {
    struct meet *m[16];
    size_t n;
};

static struct meet *meet_get(struct meets *ms, const struct views *vs, const armcpu_fleet *fleet,
                             bool aarch32, uint64_t geo_sets, armcpu_error *err)
{
    for (size_t i = 0; i < ms->n; i++)
        if (ms->m[i]->aarch32 == aarch32 && ms->m[i]->geo_sets == geo_sets)
            return ms->m[i];
    struct meet *m = meet_new(vs, fleet, aarch32, geo_sets, err);
    if (!m)
        return NULL;
    if (ms->n == sizeof ms->m / sizeof ms->m[0]) {
        meet_free(ms->m[0]);
        memmove(ms->m, ms->m + 1, (ms->n - 1) * sizeof ms->m[0]);
        ms->n--;
    }
    ms->m[ms->n++] = m;
    return m;
}

/* The cache-geometry registers a realized spec sets (bit i: register i). */
static uint64_t geometry_sets(const armcpu_cpu *cpu)
{
    uint64_t s = 0;
    for (size_t ri = 0; ri < armcpu_reg_count() && ri < 64; ri++)
        if (armcpu_reg_is_geometry(armcpu_reg_at(ri)) && armcpu_cpu_reg_set(cpu, ri))
            s |= 1ULL << ri;
    return s;
}

/* What aarch32=off leaves of a model's registers (realize.c's composite:
 * EL0/EL1 AArch64 only, the AArch32 registers at their defaults). */
static void drop_aarch32(uint64_t *regs)
{
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if (armcpu_reg_is_aarch32(r)) {
            regs[ri] = armcpu_reg_default_value(r);
            continue;
        }
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            int el = armcpu_field_exception_level(f);
            if ((el == 0 || el == 1) && armcpu_fget(f, regs[ri]) > 1)
                regs[ri] = armcpu_fwith(f, regs[ri], 1);
        }
    }
}

/* A model's distance from the meet: its registers (aarch32=off applied
 * when the meet drops AArch32), and the fields that need an override. */
struct fitting {
    const struct armcpu_model *model;
    struct meet *meet;
    bool drop32;
    uint64_t *regs;       /* the model's, aarch32=off applied when drop32 */
    uint64_t *regs_model; /* the model's as realized */
    size_t n_ov;
};

static int fit(const armcpu_ctx *ctx, const struct armcpu_model *model, struct meets *ms,
               const struct views *vs, const armcpu_fleet *fleet, struct fitting *out,
               armcpu_error *err)
{
    memset(out, 0, sizeof *out);
    armcpu_cpu *cpu = armcpu_realize(ctx, model->name, false, err);
    if (!cpu)
        return err ? err->code : ARMCPU_ERR_INVALID;
    size_t nr = armcpu_reg_count();
    out->regs = malloc(nr * sizeof *out->regs);
    if (!out->regs) {
        armcpu_cpu_free(cpu);
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    }
    memcpy(out->regs, armcpu_cpu_reg_values(cpu), nr * sizeof *out->regs);
    out->regs_model = malloc(nr * sizeof *out->regs_model);
    if (!out->regs_model) {
        armcpu_cpu_free(cpu);
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    }
    memcpy(out->regs_model, out->regs, nr * sizeof *out->regs);
    uint64_t geo = geometry_sets(cpu);
    bool model32 = armcpu_cpu_has_aarch32(cpu);
    armcpu_cpu_free(cpu);
    /* the ELx fields as the hosts allow them (the AArch32 variant does not
     * restrict them to AArch64 only) decide whether the spec has AArch32 */
    struct meet *any = meet_get(ms, vs, fleet, true, geo, err);
    if (!any)
        return err ? err->code : ARMCPU_ERR_NOMEM;
    bool spec32 = meet_aarch32(any, out->regs);
    out->meet = meet_get(ms, vs, fleet, spec32, geo, err);
    if (!out->meet)
        return err ? err->code : ARMCPU_ERR_NOMEM;
    out->model = model;
    out->drop32 = model32 && !spec32;
    if (out->drop32) {
        drop_aarch32(out->regs);
        out->n_ov++;
    }
    for (size_t ri = 0; ri < nr; ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t d = (out->regs[ri] ^ out->meet->reg_value[ri]) & out->meet->decided[ri];
        for (size_t i = 0; i < r->n_fields && d; i++)
            if (d & armcpu_field_mask(&r->fields[i])) {
                out->n_ov++;
                d &= ~armcpu_field_mask(&r->fields[i]);
            }
    }
    return ARMCPU_OK;
}

static int add_unknown(armcpu_baseline *b, const armcpu_field *f)
{
    for (size_t i = 0; i < b->n_unknown; i++)
        if (b->unknown[i] == f)
            return ARMCPU_OK;
    const armcpu_field **n =
        armcpu_grow(b->unknown, &b->cap_unknown, b->n_unknown, sizeof *n, 32);
    if (!n)
        return ARMCPU_ERR_NOMEM;
    b->unknown = n;
    b->unknown[b->n_unknown++] = f;
    return ARMCPU_OK;
}

static int push_conflict(armcpu_baseline *b, const armcpu_field *f, const armcpu_reg *r,
                         char *text)
{
    if (!text)
        return ARMCPU_ERR_NOMEM;
    struct bl_conflict *n = realloc(b->cf, (b->n_cf + 1) * sizeof *n);
    if (!n) {
        free(text);
        return ARMCPU_ERR_NOMEM;
    }
    b->cf = n;
    b->cf[b->n_cf++] = (struct bl_conflict){f, r, text};
    return ARMCPU_OK;
}

/* The realized spec on every view, with the checks' own per-register step:
 * blocking verdicts become conflicts (an armcpu defect if ever: counted),
 * unknown ones are listed. */
struct verify_ctx {
    armcpu_baseline *b;
    const armcpu_fleet *fleet;
    const struct view *view;
    int rc;
};

static void on_verdict(const armcpu_field_check *c, void *opaque)
{
    struct verify_ctx *vc = opaque;
    if (vc->rc)
        return;
    if (armcpu_verdict_unknown(c->verdict) && c->field)
        vc->rc = add_unknown(vc->b, c->field);
    if (!armcpu_verdict_blocks(c->verdict))
        return;
    /* a field the meet already found no value for is reported once */
    for (size_t i = 0; i < vc->b->n_cf; i++)
        if (vc->b->cf[i].reg == c->reg && vc->b->cf[i].field == c->field)
            return;
    vc->b->verify_failures++;
    struct strbuf s = {0};
    sb_add(&s, "%s%s%s: the spec is blocked on %s (%s: %s); an armcpu defect, please report it",
           armcpu_reg_name(c->reg), c->field ? "." : "", c->field ? armcpu_field_name(c->field) : "",
           armcpu_host_name(vc->fleet->cls[vc->view->first].host), armcpu_verdict_name(c->verdict),
           c->reason);
    vc->rc = push_conflict(vc->b, c->field, c->reg, sb_take(&s));
}

/* A configuration item of the spec a member's check blocks: the meet
 * judged each one, so an armcpu defect if ever (counted). */
static void on_config_verdict(const armcpu_field_check *c, void *opaque)
{
    struct verify_ctx *vc = opaque;
    if (vc->rc || !c->is_config || !armcpu_verdict_blocks(c->verdict))
        return;
    vc->b->verify_failures++;
    struct strbuf s = {0};
    sb_add(&s, "%s: the spec is blocked (%s: %s); an armcpu defect, please report it",
           armcpu_config_name(c->config), armcpu_verdict_name(c->verdict), c->reason);
    vc->rc = push_conflict(vc->b, NULL, NULL, sb_take(&s));
}

/* The bits of a register's fields in conflict (all bits for one outside
 * every field). */
static uint64_t conflict_bits(const armcpu_baseline *b, const armcpu_reg *r)
{
    uint64_t m = 0;
    for (size_t i = 0; i < b->n_cf; i++)
        if (b->cf[i].reg == r)
            m |= b->cf[i].field ? armcpu_field_mask(b->cf[i].field) : ~0ULL;
    return m;
}

static int verify(armcpu_baseline *b, const armcpu_cpu *cpu, const struct views *vs,
                  const armcpu_fleet *fleet)
{
    struct verify_ctx vc = {b, fleet, NULL, 0};
    for (size_t ri = 0; ri < armcpu_reg_count() && !vc.rc; ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        uint64_t spec = armcpu_cpu_reg_value(cpu, r);
        unsigned flags = armcpu_cpu_judge_flags(cpu, r);
        for (size_t k = 0; k < vs->reg[ri].n && !vc.rc; k++) {
            vc.view = &vs->reg[ri].v[k];
            armcpu_check_reg(r, spec, flags, &vc.view->v, on_verdict, &vc);
        }
        /* the meet's decided fields, as realized */
        uint64_t d = (spec ^ b->regs[ri]) & b->decided[ri] & ~conflict_bits(b, r);
        if (d && !vc.rc) {
            b->verify_failures++;
            struct strbuf s = {0};
            sb_add(&s, "%s: the spec realizes 0x%016llx where the meet has 0x%016llx; an "
                       "armcpu defect, please report it",
                   r->name, (unsigned long long)spec, (unsigned long long)b->regs[ri]);
            vc.rc = push_conflict(b, NULL, r, sb_take(&s));
        }
    }
    return vc.rc;
}

/* The hosts on which the model's own value of f is refused. */
static void needing(const struct fitting *ft, const struct views *vs, const armcpu_field *f,
                    uint64_t v, unsigned flags, size_t *hosts, size_t *first)
{
    const struct reg_views *rv = &vs->reg[armcpu_reg_index(armcpu_field_reg(f))];
    (void)ft;
    for (size_t k = 0; k < rv->n; k++) {
        const struct view *x = &rv->v[k];
        if (!known(f, x) || accepted(meet_judge(f, v, flags, x, NULL, 0)))
            continue;
        if (!*hosts || x->first < *first)
            *first = x->first;
        *hosts += x->hosts;
    }
}

static int add_override(armcpu_baseline *b, size_t *cap, const char *text, size_t hosts,
                        size_t first)
{
    struct bl_override *n = armcpu_grow(b->ov, cap, b->n_ov, sizeof *n, 16);
    if (!n)
        return ARMCPU_ERR_NOMEM;
    b->ov = n;
    char *t = armcpu_strdup(text);
    if (!t)
        return ARMCPU_ERR_NOMEM;
    b->ov[b->n_ov++] = (struct bl_override){t, hosts, first};
    return ARMCPU_OK;
}

/* KVM's whole-register rules on the spec's own registers: the meet judged
 * its decided fields, but the fields it leaves to the model (no host can
 * tell them) can make KVM write a register whose rule then refuses a
 * decided value (set_id_dfr0_el1 and CopDbg below Armv8 when the model's
 * PerfMon differs from what a host measured with the PMU off shows). */
static int model_rules(armcpu_baseline *b, const struct fitting *ft, const struct views *vs,
                       const armcpu_fleet *fleet)
{
    const struct meet *m = ft->meet;
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        const struct reg_views *rv = &vs->reg[ri];
        unsigned flags = (m->aarch32 ? ARMCPU_JUDGE_AARCH32 : 0) |
                         ((m->geo_sets >> ri) & 1 ? ARMCPU_JUDGE_SETS : 0);
        if (!r->rule_fields || (armcpu_reg_is_aarch32(r) && !m->aarch32) ||
            (armcpu_reg_is_geometry(r) && !(flags & ARMCPU_JUDGE_SETS)))
            continue;
        for (uint64_t rf = r->rule_fields; rf; rf &= rf - 1) {
            const armcpu_field *f = &r->fields[__builtin_ctzll(rf)];
            if (!(b->decided[ri] & armcpu_field_mask(f)) || conflict_bits(b, r) & armcpu_field_mask(f))
                continue;
            for (size_t k = 0; k < rv->n; k++) {
                const struct view *x = &rv->v[k];
                char why[320];
                if (x->v.state != ARMCPU_REG_PRESENT ||
                    armcpu_judge(f, b->regs[ri], flags, &x->v, why, sizeof why) !=
                        ARMCPU_VERDICT_REFUSED)
                    continue;
                /* the writes come from the fields the meet leaves to the model */
                struct strbuf s = {0};
                sb_add(&s, "%s.%s: on %s %s; %s writes this register for fields no host's data "
                           "decides:",
                       r->name, f->name, armcpu_host_name(fleet->cls[x->first].host), why,
                       ft->model->name);
                uint64_t w = (b->regs[ri] ^ x->v.value) & x->v.writable & ~b->decided[ri];
                for (size_t i = 0; i < r->n_fields; i++)
                    if (w & armcpu_field_mask(&r->fields[i]))
                        sb_add(&s, " %s", r->fields[i].name);
                int rc = push_conflict(b, f, r, sb_take(&s));
                if (rc)
                    return rc;
                break;
            }
        }
    }
    return ARMCPU_OK;
}

/*
 * The vCPU configuration of the spec: every item whose vCPU feature the
 * spec has, every member records and the members differ in gets their
 * common value (armcpu_config_meet), accepted by each member under its own
 * kernel by armcpu_config_judge, else a conflict; one they agree on stays
 * theirs; an item some member does not record stays each host's and is
 * unknown (the guest's vector lengths, counters, firmware registers could
 * then differ between hosts).
 */
static int meet_config(armcpu_baseline *b, const armcpu_fleet *fleet)
{
    unsigned feats = armcpu_vcpu_features_of(b->regs);
    const armcpu_host **hs = malloc((fleet->n ? fleet->n : 1) * sizeof *hs);
    if (!hs)
        return ARMCPU_ERR_NOMEM;
    for (size_t k = 0; k < fleet->n; k++)
        hs[k] = fleet->cls[k].host;
    int rc = ARMCPU_OK;
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT && !rc; c++) {
        armcpu_config item = (armcpu_config)c;
        unsigned need = armcpu_config_needs(item);
        if ((need && !(feats & need)) || armcpu_config_vmm_opt_in(item))
            continue;
        uint64_t m;
        bool differ;
        char *conflict;
        int missing = fleet_config_common(hs, fleet->n, item, &m, &differ, &conflict);
        if (missing == -2) {
            rc = ARMCPU_ERR_NOMEM;
        } else if (missing >= 0) {
            struct strbuf t = {0};
            sb_add(&t, "%s (%s does not record it)", armcpu_config_name(item),
                   armcpu_host_name(hs[missing]));
            if (!(b->config_unknown[b->n_config_unknown] = sb_take(&t)))
                rc = ARMCPU_ERR_NOMEM;
            else
                b->n_config_unknown++;
        } else if (conflict) {
            rc = push_conflict(b, NULL, NULL, conflict);
        } else if (differ && armcpu_config_vm_limit(item)) {
            /* a limit on the VM, not on what the guest sees: stated */
            struct strbuf t = {0};
            char v[96];
            armcpu_config_format(item, m, v, sizeof v);
            sb_add(&t,
                   "%s: every host takes at most %s (KVM_CAP_ARM_VM_IPA_SIZE): create the VMs "
                   "within it (%s), or set %s=%s",
                   armcpu_config_name(item), v, armcpu_config_kvm_name(item),
                   armcpu_config_name(item), v);
            if (!(b->config_limit[b->n_config_limit] = sb_take(&t)))
                rc = ARMCPU_ERR_NOMEM;
            else
                b->n_config_limit++;
        } else if (differ) {
            /* members that agree leave it theirs: the guest sees the same
             * on each, and a VMM without a way to set it can still run
             * the spec */
            b->config_set |= 1u << c;
            b->config[c] = m;
        }
    }
    free(hs);
    return rc;
}

/* The spec of the chosen fitting, its overrides, and the verification. */
static armcpu_baseline *build(const armcpu_ctx *ctx, const struct fitting *ft,
                              const struct views *vs, const armcpu_fleet *fleet,
                              armcpu_error *err)
{
    size_t nr = armcpu_reg_count();
    armcpu_baseline *b = calloc(1, sizeof *b);
    if (!b)
        goto oom;
    b->model = ft->model;
    b->hosts = fleet->hosts;
    b->regs = malloc(nr * sizeof *b->regs);
    b->decided = malloc(nr * sizeof *b->decided);
    b->class_names = calloc(fleet->n ? fleet->n : 1, sizeof *b->class_names);
    if (!b->regs || !b->decided || !b->class_names)
        goto oom;
    for (size_t c = 0; c < fleet->n; c++) {
        if (!(b->class_names[c] = armcpu_strdup(armcpu_host_name(fleet->cls[c].host))))
            goto oom;
        b->n_classes++;
    }
    const struct meet *m = ft->meet;
    for (size_t ri = 0; ri < nr; ri++) {
        b->regs[ri] = (ft->regs[ri] & ~m->decided[ri]) | (m->reg_value[ri] & m->decided[ri]);
        b->decided[ri] = m->decided[ri];
    }
    for (size_t i = 0; i < m->n_cf; i++)
        if (push_conflict(b, m->cf[i].field, m->cf[i].reg, armcpu_strdup(m->cf[i].text)))
            goto oom;
    /* the counter frequency (cntfrq_conflict): the first member whose
     * measured one differs from the first measured */
    uint64_t hz;
    size_t c0 = SIZE_MAX;
    for (size_t c = 0; c < fleet->n; c++) {
        char t[400];
        if (!armcpu_host_cntfrq(fleet->cls[c].host, &hz))
            continue;
        if (c0 == SIZE_MAX) {
            c0 = c;
        } else if (cntfrq_conflict(fleet->cls[c0].host, fleet->cls[c].host, t, sizeof t)) {
            if (push_conflict(b, NULL, NULL, armcpu_strdup(t)))
                goto oom;
            break;
        }
    }
    if (model_rules(b, ft, vs, fleet) || meet_config(b, fleet))
        goto oom;
    for (size_t i = 0; i < m->n_id; i++) {
        char **n = realloc(b->id, (b->n_id + 1) * sizeof *n);
        if (!n)
            goto oom;
        b->id = n;
        if (!(b->id[b->n_id] = armcpu_strdup(m->id[i])))
            goto oom;
        b->n_id++;
    }
    /* the spec: the model, aarch32=off where the meet drops AArch32, one
     * override per differing decided field (table order) */
    struct strbuf spec = {0};
    size_t cap_ov = 0;
    sb_add(&spec, "%s", ft->model->name);
    if (ft->drop32) {
        /* the hosts that cannot give EL0 or EL1 AArch32, each once */
        const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
        size_t hosts = 0, first = 0;
        const struct reg_views *rv = pfr0 ? &vs->reg[armcpu_reg_index(pfr0)] : NULL;
        for (size_t k = 0; rv && k < rv->n; k++) {
            const struct view *x = &rv->v[k];
            bool refuses = false;
            for (size_t i = 0; i < pfr0->n_fields; i++) {
                const armcpu_field *f = &pfr0->fields[i];
                int el = armcpu_field_exception_level(f);
                refuses |= (el == 0 || el == 1) && armcpu_fget(f, ft->regs_model[armcpu_reg_index(pfr0)]) == 2 &&
                           known(f, x) && !accepted(meet_judge(f, 2, 0, x, NULL, 0));
            }
            if (!refuses)
                continue;
            if (!hosts || x->first < first)
                first = x->first;
            hosts += x->hosts;
        }
        sb_add(&spec, ",aarch32=off");
        if (add_override(b, &cap_ov, "aarch32=off", hosts, first))
            goto oom_spec;
    }
    for (size_t ri = 0; ri < nr; ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        unsigned flags = (m->aarch32 ? ARMCPU_JUDGE_AARCH32 : 0) |
                         ((m->geo_sets >> ri) & 1 ? ARMCPU_JUDGE_SETS : 0);
        for (size_t i = 0; i < r->n_fields; i++) {
            const armcpu_field *f = &r->fields[i];
            uint64_t fmk = armcpu_field_mask(f);
            if (!(m->decided[ri] & fmk) || !((ft->regs[ri] ^ m->reg_value[ri]) & fmk))
                continue;
            char text[256];
            armcpu_override_text(ctx, f, armcpu_fget(f, m->reg_value[ri]), text, sizeof text);
            size_t hosts = 0, first = 0;
            needing(ft, vs, f, armcpu_fget(f, ft->regs[ri]), flags, &hosts, &first);
            sb_add(&spec, ",%s", text);
            if (add_override(b, &cap_ov, text, hosts, first))
                goto oom_spec;
        }
    }
    /* the configuration items, each an override the members whose own
     * value it is not need */
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        char text[256];
        if (!(b->config_set >> c & 1) ||
            armcpu_config_spec_text((armcpu_config)c, b->config[c], text, sizeof text) <= 0)
            continue;
        size_t hosts = 0, first = 0;
        for (size_t k = 0; k < fleet->n; k++) {
            uint64_t v;
            if (!armcpu_host_config(fleet->cls[k].host, (armcpu_config)c, &v) ||
                v == b->config[c])
                continue;
            if (!hosts)
                first = k;
            hosts += fleet->cls[k].count;
        }
        sb_add(&spec, ",%s", text);
        if (add_override(b, &cap_ov, text, hosts, first))
            goto oom_spec;
    }
    if (!(b->spec = sb_take(&spec)))
        goto oom;
    armcpu_cpu *cpu = armcpu_realize(ctx, b->spec, false, err);
    if (!cpu) {
        armcpu_baseline_free(b);
        return NULL;
    }
    int rc = verify(b, cpu, vs, fleet);
    /* the configuration items as the checks judge them on every member */
    for (size_t k = 0; k < fleet->n && !rc; k++) {
        struct verify_ctx vc = {b, fleet, NULL, 0};
        armcpu_check_config_of(cpu, fleet->cls[k].host, on_config_verdict, &vc);
        rc = vc.rc;
    }
    armcpu_cpu_free(cpu);
    if (rc)
        goto oom;
    if (b->n_cf) {
        free(b->spec);
        b->spec = NULL;
    }
    return b;
oom_spec:
    free(spec.s);
oom:
    armcpu_baseline_free(b);
    armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return NULL;
}

static armcpu_baseline *baseline_of(const armcpu_ctx *ctx, const armcpu_fleet *fleet,
                                     const char *base, armcpu_error *err);

armcpu_baseline *armcpu_fleet_baseline(const armcpu_ctx *ctx, const armcpu_fleet *fleet,
                                       const char *base, armcpu_error *err)
{
    if (!fleet || fleet->n == 0) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "a baseline needs at least one host");
        return NULL;
    }
    /* a member without SVE (PMU, pointer auth): the others as vCPUs without it */
    armcpu_fleet *common;
    if (fleet_common_vcpu(fleet, &common, err))
        return NULL;
    armcpu_baseline *b = baseline_of(ctx, common ? common : fleet, base, err);
    armcpu_fleet_free(common);
    return b;
}

static armcpu_baseline *baseline_of(const armcpu_ctx *ctx, const armcpu_fleet *fleet,
                                     const char *base, armcpu_error *err)
{
    const struct armcpu_model *only = NULL;
    if (base) {
        if (!(only = armcpu_model_lookup(ctx, base, err)))
            return NULL;
        if (!only->realizable) {
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "base model %s is abstract; give a realizable model", only->name);
            return NULL;
        }
    }
    struct views vs = {0};
    if (views_build(&vs, fleet, err))
        return NULL;
    struct meets ms = {{0}, 0};
    struct fitting best = {0}, cur;
    armcpu_baseline *b = NULL;
    bool have = false;
    for (size_t i = 0; i < ctx->n_models; i++) {
        const struct armcpu_model *m = ctx->models[i];
        if ((only && m != only) || !m->realizable)
            continue;
        if (fit(ctx, m, &ms, &vs, fleet, &cur, err)) {
            free(cur.regs);
            free(cur.regs_model);
            goto out;
        }
        /* fewest overrides; a tie keeps the earlier model */
        if (!have || cur.n_ov < best.n_ov) {
            free(best.regs);
            free(best.regs_model);
            best = cur;
            have = true;
        } else {
            free(cur.regs);
            free(cur.regs_model);
        }
    }
    if (!have) {
        armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND, "no realizable model to start from");
        goto out;
    }
    b = build(ctx, &best, &vs, fleet, err);
out:
    free(best.regs);
    free(best.regs_model);
    for (size_t i = 0; i < ms.n; i++)
        meet_free(ms.m[i]);
    views_free(&vs);
    return b;
}

armcpu_baseline *armcpu_baseline_new(const armcpu_ctx *ctx, const armcpu_host *const *hosts,
                                     size_t n_hosts, const char *base, armcpu_error *err)
{
    armcpu_fleet *f = armcpu_fleet_new();
    if (!f) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n_hosts; i++)
        if (armcpu_fleet_add(f, hosts[i], 1, err)) {
            armcpu_fleet_free(f);
            return NULL;
        }
    armcpu_baseline *b = armcpu_fleet_baseline(ctx, f, base, err);
    armcpu_fleet_free(f);
    return b;
}

armcpu_answer armcpu_baseline_answer(const armcpu_baseline *b)
{
    return b->n_cf                                ? ARMCPU_ANSWER_NO
           : b->n_unknown || b->n_config_unknown ? ARMCPU_ANSWER_UNKNOWN
                                                  : ARMCPU_ANSWER_YES;
}

bool armcpu_baseline_config(const armcpu_baseline *b, armcpu_config c, uint64_t *value)
{
    if ((unsigned)c >= ARMCPU_CONFIG_COUNT || !(b->config_set >> c & 1))
        return false;
    if (value)
        *value = b->config[c];
    return true;
}

size_t armcpu_baseline_config_limit_count(const armcpu_baseline *b) { return b->n_config_limit; }

const char *armcpu_baseline_config_limit_at(const armcpu_baseline *b, size_t i)
{
    return i < b->n_config_limit ? b->config_limit[i] : NULL;
}

size_t armcpu_baseline_config_unknown_count(const armcpu_baseline *b)
{
    return b->n_config_unknown;
}

const char *armcpu_baseline_config_unknown_at(const armcpu_baseline *b, size_t i)
{
    return i < b->n_config_unknown ? b->config_unknown[i] : NULL;
}

bool armcpu_baseline_possible(const armcpu_baseline *b) { return b->n_cf == 0; }
const char *armcpu_baseline_spec(const armcpu_baseline *b) { return b->spec; }
const armcpu_model *armcpu_baseline_model(const armcpu_baseline *b) { return b->model; }

uint64_t armcpu_baseline_reg_value(const armcpu_baseline *b, const armcpu_reg *reg)
{
    return b->regs[armcpu_reg_index(reg)];
}

bool armcpu_baseline_decides(const armcpu_baseline *b, const armcpu_field *f)
{
    return (b->decided[armcpu_reg_index(armcpu_field_reg(f))] & armcpu_field_mask(f)) != 0;
}

size_t armcpu_baseline_override_count(const armcpu_baseline *b) { return b->n_ov; }

bool armcpu_baseline_override_at(const armcpu_baseline *b, size_t i, const char **text,
                                 size_t *hosts_needing, size_t *first_class)
{
    if (i >= b->n_ov)
        return false;
    if (text)
        *text = b->ov[i].text;
    if (hosts_needing)
        *hosts_needing = b->ov[i].hosts;
    if (first_class)
        *first_class = b->ov[i].first;
    return true;
}

size_t armcpu_baseline_conflict_count(const armcpu_baseline *b) { return b->n_cf; }

const char *armcpu_baseline_conflict_at(const armcpu_baseline *b, size_t i,
                                        const armcpu_field **field)
{
    if (i >= b->n_cf)
        return NULL;
    if (field)
        *field = b->cf[i].field;
    return b->cf[i].text;
}

size_t armcpu_baseline_identity_count(const armcpu_baseline *b) { return b->n_id; }

const char *armcpu_baseline_identity_at(const armcpu_baseline *b, size_t i)
{
    return i < b->n_id ? b->id[i] : NULL;
}

size_t armcpu_baseline_unknown_count(const armcpu_baseline *b) { return b->n_unknown; }

const armcpu_field *armcpu_baseline_unknown_at(const armcpu_baseline *b, size_t i)
{
    return i < b->n_unknown ? b->unknown[i] : NULL;
}

const char *armcpu_baseline_class_name(const armcpu_baseline *b, size_t i)
{
    return i < b->n_classes ? b->class_names[i] : NULL;
}

size_t armcpu_baseline_host_count(const armcpu_baseline *b) { return b->hosts; }

size_t armcpu_baseline_verification_failures(const armcpu_baseline *b)
{
    return b->verify_failures;
}

char *armcpu_baseline_to_json(const armcpu_baseline *b)
{
    struct json_object *root = armcpu_json_doc("armcpu-baseline");
    json_object_object_add(root, "possible", json_object_new_boolean(b->n_cf == 0));
    json_object_object_add(root, "answer",
                           json_object_new_string(armcpu_answer_name(armcpu_baseline_answer(b))));
    json_object_object_add(root, "model", json_object_new_string(b->model->name));
    if (b->spec)
        json_object_object_add(root, "spec", json_object_new_string(b->spec));
    json_object_object_add(root, "hosts", json_object_new_int64((int64_t)b->hosts));
    json_object_object_add(root, "host-classes", json_object_new_int64((int64_t)b->n_classes));
    struct json_object *ov = json_object_new_array();
    for (size_t i = 0; i < b->n_ov; i++) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "override", json_object_new_string(b->ov[i].text));
        json_object_object_add(o, "hosts-needing", json_object_new_int64((int64_t)b->ov[i].hosts));
        if (b->ov[i].hosts)
            json_object_object_add(o, "first-host",
                                   json_object_new_string(b->class_names[b->ov[i].first]));
        json_object_array_add(ov, o);
    }
    json_object_object_add(root, "overrides", ov);
    struct json_object *cf = json_object_new_array();
    for (size_t i = 0; i < b->n_cf; i++)
        json_object_array_add(cf, json_object_new_string(b->cf[i].text));
    json_object_object_add(root, "conflicts", cf);
    json_object_object_add(root, "identity-differences", baseline_identity_json(b));
    json_object_object_add(root, "unknown-fields", baseline_unknown_json(b));
    json_object_object_add(root, "vcpu-config", baseline_config_json(b));
    return armcpu_json_text(root);
}

struct json_object *baseline_config_json(const armcpu_baseline *b)
{
    struct json_object *o = json_object_new_object(), *set = json_object_new_object(),
                       *un = json_object_new_array();
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        char t[96];
        if (!(b->config_set >> c & 1))
            continue;
        armcpu_config_format((armcpu_config)c, b->config[c], t, sizeof t);
        json_object_object_add(set, armcpu_config_name((armcpu_config)c), json_object_new_string(t));
    }
    for (size_t i = 0; i < b->n_config_unknown; i++)
        json_object_array_add(un, json_object_new_string(b->config_unknown[i]));
    struct json_object *lim = json_object_new_array();
    for (size_t i = 0; i < b->n_config_limit; i++)
        json_object_array_add(lim, json_object_new_string(b->config_limit[i]));
    json_object_object_add(o, "set", set);
    json_object_object_add(o, "unknown", un);
    json_object_object_add(o, "limits", lim);
    return o;
}

struct json_object *baseline_unknown_json(const armcpu_baseline *b)
{
    struct json_object *un = json_object_new_array();
    for (size_t i = 0; i < b->n_unknown; i++) {
        char name[160];
        json_object_array_add(un, json_object_new_string(
                                      fleet_field_name(b->unknown[i], name, sizeof name)));
    }
    return un;
}

struct json_object *baseline_identity_json(const armcpu_baseline *b)
{
    struct json_object *id = json_object_new_array();
    for (size_t i = 0; i < b->n_id; i++)
        json_object_array_add(id, json_object_new_string(b->id[i]));
    return id;
}
