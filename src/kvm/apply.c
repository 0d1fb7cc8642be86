/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writeback of a realized spec to a vCPU (armcpu_kvm_apply) and the
 * snapshot of a vCPU, on a register backend (kvm_internal.h): the real one
 * issues ioctls (kvm.c), the unit tests use a fake.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_internal.h"
#include "../core/ctx.h"
#include "../util/util.h"

#define MAX_FIELDS 64

struct armcpu_kvm_report {
    armcpu_kvm_finding *f;
    size_t n, cap, failures;
    size_t n_get, n_set, n_other;
    size_t n_rollback_set; /* of n_set */
    armcpu_kvm_rollback rollback;
    uint64_t *before, *after;
    bool *present;
    armcpu_verdict *verdict; /* [reg index * MAX_FIELDS + field index] */
    /* the vCPU configuration items, before and after (read back) */
    bool cfg_present[ARMCPU_CONFIG_COUNT];
    uint64_t cfg_before[ARMCPU_CONFIG_COUNT], cfg_after[ARMCPU_CONFIG_COUNT];
};

static bool is_failure(armcpu_kvm_finding_kind k)
{
    return k == ARMCPU_KVM_BLOCKED || k == ARMCPU_KVM_REFUSED || k == ARMCPU_KVM_BUSY ||
           k == ARMCPU_KVM_MISMATCH || k == ARMCPU_KVM_NOT_RESTORED;
}

const char *armcpu_kvm_finding_kind_name(armcpu_kvm_finding_kind k)
{
    static const char *const names[] = {"written",  "blocked",  "refused",   "busy",
                                        "mismatch", "identity", "host-given", "unchecked",
                                        "restored", "not-restored"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static void report_clear(armcpu_kvm_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        free((char *)r->f[i].message);
    r->n = r->failures = r->n_get = r->n_set = r->n_other = r->n_rollback_set = 0;
    r->rollback = ARMCPU_KVM_ROLLBACK_NONE;
    size_t nr = armcpu_reg_count();
    memset(r->before, 0, nr * sizeof *r->before);
    memset(r->after, 0, nr * sizeof *r->after);
    memset(r->present, 0, nr * sizeof *r->present);
    for (size_t i = 0; i < nr * MAX_FIELDS; i++)
        r->verdict[i] = ARMCPU_VERDICT_SAME;
    memset(r->cfg_present, 0, sizeof r->cfg_present);
    memset(r->cfg_before, 0, sizeof r->cfg_before);
    memset(r->cfg_after, 0, sizeof r->cfg_after);
}

armcpu_kvm_report *armcpu_kvm_report_new(void)
{
    size_t nr = armcpu_reg_count();
    armcpu_kvm_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->before = calloc(nr, sizeof *r->before);
    r->after = calloc(nr, sizeof *r->after);
    r->present = calloc(nr, sizeof *r->present);
    r->verdict = calloc(nr * MAX_FIELDS, sizeof *r->verdict);
    if (!r->before || !r->after || !r->present || !r->verdict) {
        armcpu_kvm_report_free(r);
        return NULL;
    }
    report_clear(r);
    return r;
}

void armcpu_kvm_report_free(armcpu_kvm_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free((char *)r->f[i].message);
    free(r->f);
    free(r->before);
    free(r->after);
    free(r->present);
    free(r->verdict);
    free(r);
}

size_t armcpu_kvm_report_count(const armcpu_kvm_report *r) { return r ? r->n : 0; }

const armcpu_kvm_finding *armcpu_kvm_report_at(const armcpu_kvm_report *r, size_t i)
{
    return r && i < r->n ? &r->f[i] : NULL;
}

size_t armcpu_kvm_report_failures(const armcpu_kvm_report *r) { return r ? r->failures : 0; }

void armcpu_kvm_report_ioctls(const armcpu_kvm_report *r, size_t *get, size_t *set,
                              size_t *other)
{
    if (get)
        *get = r ? r->n_get : 0;
    if (set)
        *set = r ? r->n_set : 0;
    if (other)
        *other = r ? r->n_other : 0;
}

armcpu_kvm_rollback armcpu_kvm_report_rollback(const armcpu_kvm_report *r, size_t *restores)
{
    if (restores)
        *restores = r ? r->n_rollback_set : 0;
    return r ? r->rollback : ARMCPU_KVM_ROLLBACK_NONE;
}

bool armcpu_kvm_report_reg(const armcpu_kvm_report *r, const armcpu_reg *reg,
                           uint64_t *before, uint64_t *after)
{
    if (!r || !reg)
        return false;
    size_t i = armcpu_reg_index(reg);
    if (before)
        *before = r->before[i];
    if (after)
        *after = r->after[i];
    return r->present[i];
}

bool armcpu_kvm_report_config(const armcpu_kvm_report *r, armcpu_config c, uint64_t *before,
                              uint64_t *after)
{
    if (!r || (unsigned)c >= ARMCPU_CONFIG_COUNT)
        return false;
    if (before)
        *before = r->cfg_before[c];
    if (after)
        *after = r->cfg_after[c];
    return r->cfg_present[c];
}

static size_t field_index(const armcpu_field *f)
{
    const armcpu_reg *reg = armcpu_field_reg(f);
    for (size_t i = 0; i < armcpu_reg_field_count(reg) && i < MAX_FIELDS; i++)
        if (armcpu_reg_field_at(reg, i) == f)
            return i;
    return MAX_FIELDS;
}

armcpu_verdict armcpu_kvm_report_verdict(const armcpu_kvm_report *r, const armcpu_field *f)
{
    size_t k = f ? field_index(f) : MAX_FIELDS;
    if (!r || k >= MAX_FIELDS)
        return ARMCPU_VERDICT_SAME;
    return r->verdict[armcpu_reg_index(armcpu_field_reg(f)) * MAX_FIELDS + k];
}

static void add(armcpu_kvm_report *r, armcpu_kvm_finding_kind kind, const armcpu_reg *reg,
                const armcpu_field *field, uint64_t wanted, uint64_t current, int e,
                const char *fmt, ...) ARMCPU_PRINTF(8, 9);

static void add(armcpu_kvm_report *r, armcpu_kvm_finding_kind kind, const armcpu_reg *reg,
                const armcpu_field *field, uint64_t wanted, uint64_t current, int e,
                const char *fmt, ...)
{
    if (is_failure(kind))
        r->failures++;
    armcpu_kvm_finding *nf = armcpu_grow(r->f, &r->cap, r->n, sizeof *nf, 32);
    if (!nf)
        return;
    r->f = nf;
    char buf[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    armcpu_kvm_finding *f = &r->f[r->n];
    f->kind = kind;
    f->reg = reg;
    f->field = field;
    f->wanted = wanted;
    f->current = current;
    f->err = e;
    f->is_config = false;
    f->config = ARMCPU_CONFIG_COUNT;
    f->message = armcpu_strdup(buf);
    if (f->message)
        r->n++;
}

/* add() for a vCPU configuration item (reg and field NULL). */
static void add_cfg(armcpu_kvm_report *r, armcpu_kvm_finding_kind kind, armcpu_config c,
                    uint64_t wanted, uint64_t current, int e, const char *fmt, ...)
    ARMCPU_PRINTF(7, 8);

static void add_cfg(armcpu_kvm_report *r, armcpu_kvm_finding_kind kind, armcpu_config c,
                    uint64_t wanted, uint64_t current, int e, const char *fmt, ...)
{
    char buf[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t n = r->n;
    add(r, kind, NULL, NULL, wanted, current, e, "%s", buf);
    if (r->n > n) {
        r->f[n].is_config = true;
        r->f[n].config = c;
    }
}

static const char *errname(int e, char *buf, size_t size)
{
    return armcpu_errno_name(e, buf, size);
}

/* ------------------------------------------------------------ snapshot */

int armcpu_kvm_mask_index(const armcpu_reg *reg)
{
    unsigned op0, op1, crn, crm, op2;
    armcpu_reg_encoding(reg, &op0, &op1, &crn, &crm, &op2);
    if (op0 != 3 || crn != 0 || (op1 != 0 && op1 != 1 && op1 != 3) || crm > 7 || op2 > 7)
        return -1;
    unsigned o = op1 == 3 ? 2 : op1;
    return (int)(o << 6 | crm << 3 | op2);
}

struct reading {
    bool has_masks;
    uint64_t masks[ARMCPU_KVM_MASK_COUNT];
    uint64_t *value;
    int *err; /* 0 present, else errno */
    /* the vCPU configuration items the vCPU shows (ipa_bits: the host's
     * largest, KVM_CAP_ARM_VM_IPA_SIZE), and the raw registers behind two */
    bool cfg_known[ARMCPU_CONFIG_COUNT];
    uint64_t cfg[ARMCPU_CONFIG_COUNT];
    uint64_t pmcr;   /* PMCR_EL0 (pmu_counters known) */
    uint64_t vls[8]; /* KVM_REG_ARM64_SVE_VLS (sve_vls known) */
};

/* A configuration item's value as the vCPU shows it now (ipa_bits is no
 * register: not here). 0 or the errno. */
static int cfg_read(const struct armcpu_kvm_backend *b, armcpu_config c, uint64_t *v,
                    uint64_t *raw_pmcr, uint64_t raw_vls[8])
{
    uint64_t words[8] = {0}, x = 0;
    int e;
    switch (c) {
    case ARMCPU_CONFIG_SVE_VLS:
        if (!b->get_vls)
            return ENOENT;
        if ((e = b->get_vls(b->opaque, words)))
            return e;
        if (raw_vls)
            memcpy(raw_vls, words, sizeof words);
        *v = words[0];
        return 0;
    case ARMCPU_CONFIG_PMU_COUNTERS:
        if ((e = b->get_reg(b->opaque, ARMCPU_KVM_REG_PMCR_EL0, &x)))
            return e;
        if (raw_pmcr)
            *raw_pmcr = x;
        *v = ARMCPU_KVM_PMCR_N(x);
        return 0;
    case ARMCPU_CONFIG_IPA_BITS:
        return ENOENT;
    default:
        if (!armcpu_config_kvm_id(c))
            return ENOENT;
        if ((e = b->get_reg(b->opaque, armcpu_config_kvm_id(c), &x)))
            return e;
        *v = x;
        return 0;
    }
}

/* Reads every configuration item the backend shows; counts into r. */
static void read_config(const struct armcpu_kvm_backend *b, struct reading *rd,
                        armcpu_kvm_report *r)
{
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        rd->cfg_known[c] = false;
        if (c == ARMCPU_CONFIG_IPA_BITS) {
            unsigned bits = 0;
            if (b->ipa_limit && !b->ipa_limit(b->opaque, &bits) && bits) {
                rd->cfg_known[c] = true;
                rd->cfg[c] = bits;
            }
            if (r && b->ipa_limit)
                r->n_other++;
            continue;
        }
        if (c == ARMCPU_CONFIG_SVE_VLS && !b->get_vls)
            continue;
        int e = cfg_read(b, (armcpu_config)c, &rd->cfg[c], &rd->pmcr, rd->vls);
        if (r)
            r->n_get++;
        rd->cfg_known[c] = !e;
    }
}

/* Reads every table register and the masks; counts into r when given. */
static int read_all(const struct armcpu_kvm_backend *b, struct reading *rd,
                    armcpu_kvm_report *r, armcpu_error *err)
{
    int e = b->get_masks(b->opaque, rd->masks);
    if (r)
        r->n_other++;
    if (e == ENOTSUP || e == ENOTTY) {
        rd->has_masks = false;
        memset(rd->masks, 0, sizeof rd->masks);
    } else if (e) {
        char en[32];
        return armcpu_set_error(err, ARMCPU_ERR_ENV,
                                "KVM_ARM_GET_REG_WRITABLE_MASKS failed: %s (%s)",
                                strerror(e), errname(e, en, sizeof en));
    } else {
        rd->has_masks = true;
    }
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        rd->err[i] = b->get_reg(b->opaque, armcpu_reg_kvm_id(armcpu_reg_at(i)), &rd->value[i]);
        if (r)
            r->n_get++;
    }
    read_config(b, rd, r);
    return ARMCPU_OK;
}

static armcpu_host *host_from_reading(const struct armcpu_kvm_backend *b,
                                      const struct reading *rd, armcpu_error *err)
{
    size_t n = armcpu_reg_count();
    armcpu_reg_state *st = calloc(n, sizeof *st);
    uint64_t *masks = calloc(n, sizeof *masks);
    char (*names)[32] = calloc(n, sizeof *names);
    const char **absent = calloc(n, sizeof *absent);
    armcpu_host *h = NULL;
    if (!st || !masks || !names || !absent) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const armcpu_reg *reg = armcpu_reg_at(i);
        st[i] = rd->err[i] ? ARMCPU_REG_ABSENT : ARMCPU_REG_PRESENT;
        if (rd->err[i])
            absent[i] = errname(rd->err[i], names[i], sizeof names[i]);
        int k = armcpu_kvm_mask_index(reg);
        masks[i] = rd->has_masks && k >= 0 ? rd->masks[k] : 0;
    }
    unsigned on = armcpu_vcpu_features_of_list(b->features);
    h = armcpu_host_from_arrays(st, rd->value, rd->has_masks ? masks : NULL, absent, "local",
                                b->kernel && *b->kernel ? b->kernel : "0-unknown",
                                b->source ? b->source : "live KVM probe", true, on, err);
    /* the vCPU configuration as measured (the snapshot's vcpu_config) */
    for (unsigned c = 0; h && c < ARMCPU_CONFIG_COUNT; c++)
        if (rd->cfg_known[c] &&
            armcpu_host_set_config(h, (armcpu_config)c, rd->cfg[c], NULL, err)) {
            armcpu_host_free(h);
            h = NULL;
        }
out:
    free(st);
    free(masks);
    free(names);
    free(absent);
    return h;
}

static bool reading_alloc(struct reading *rd)
{
    size_t n = armcpu_reg_count();
    memset(rd, 0, sizeof *rd);
    rd->value = calloc(n, sizeof *rd->value);
    rd->err = calloc(n, sizeof *rd->err);
    return rd->value && rd->err;
}

static void reading_free(struct reading *rd)
{
    free(rd->value);
    free(rd->err);
}

armcpu_host *armcpu_kvm_host_from_backend(const struct armcpu_kvm_backend *b,
                                          armcpu_error *err)
{
    struct reading rd;
    armcpu_host *h = NULL;
    if (!reading_alloc(&rd))
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    else if (!read_all(b, &rd, NULL, err))
        h = host_from_reading(b, &rd, err);
    reading_free(&rd);
    return h;
}

/* ------------------------------------------------------------ apply */

unsigned long armcpu_cpu_kvm_vm_type(const armcpu_cpu *cpu)
{
    uint64_t bits;
    /* KVM_VM_TYPE_ARM_IPA_SIZE(n) = n & 0xff (uapi linux/kvm.h) */
    return cpu && armcpu_cpu_config(cpu, ARMCPU_CONFIG_IPA_BITS, &bits) ? (unsigned long)(bits & 0xff)
                                                                        : 0;
}

static const char *short_name(const armcpu_reg *r)
{
    static const char *const s[] = {"MIDR", "REVIDR", "AIDR"};
    const char *n = armcpu_reg_name(r);
    for (size_t i = 0; i < 3; i++)
        if (!strncmp(n, s[i], strlen(s[i])) && n[strlen(s[i])] == '_')
            return s[i];
    return n;
}

#define IMP_ID_HINT "needs Linux 6.15+ and KVM_CAP_ARM_WRITABLE_IMP_ID_REGS"

struct plan {
    armcpu_kvm_report *r;
    const armcpu_cpu *cpu;
    unsigned flags;
    uint64_t *write_mask;   /* per register: bits to take from the model */
    bool *identity_noted;   /* per register: one IDENTITY finding */
    bool *given_noted, *unchecked_noted;
    size_t blockers;
    armcpu_verdict cfg_verdict[ARMCPU_CONFIG_COUNT]; /* SAME unless the check said */
};

static void on_check(const armcpu_field_check *c, void *opaque)
{
    struct plan *p = opaque;
    armcpu_kvm_report *r = p->r;
    if (c->is_config) {
        p->cfg_verdict[c->config] = c->verdict;
        if (!armcpu_verdict_blocks(c->verdict))
            return;
        p->blockers++;
        if (p->flags & ARMCPU_KVM_APPLY_FORCE)
            return;
        char sv[96], hv[96];
        armcpu_config_format(c->config, c->model_value, sv, sizeof sv);
        armcpu_config_format(c->config, c->host_value, hv, sizeof hv);
        add_cfg(r, ARMCPU_KVM_BLOCKED, c->config, c->model_value, c->host_value, 0,
                "%s (%s): wanted %s, the vCPU has %s (%s): %s", armcpu_config_name(c->config),
                armcpu_config_kvm_name(c->config), sv, hv, armcpu_verdict_name(c->verdict),
                c->reason);
        return;
    }
    size_t ri = armcpu_reg_index(c->reg);
    uint64_t mv = armcpu_cpu_reg_value(p->cpu, c->reg);
    if (c->field) {
        size_t k = field_index(c->field);
        if (k < MAX_FIELDS)
            r->verdict[ri * MAX_FIELDS + k] = c->verdict;
    }
    uint64_t fm;
    if (c->field) {
        fm = armcpu_field_mask(c->field);
    } else { /* bits outside every field */
        fm = mv ^ r->before[ri];
        for (size_t i = 0; i < armcpu_reg_field_count(c->reg); i++)
            fm &= ~armcpu_field_mask(armcpu_reg_field_at(c->reg, i));
    }
    const char *rn = armcpu_reg_name(c->reg);
    switch (c->verdict) {
    case ARMCPU_VERDICT_SAME:
        break;
    case ARMCPU_VERDICT_SETTABLE:
        p->write_mask[ri] |= fm;
        break;
    case ARMCPU_VERDICT_OVERPROMISE:
    case ARMCPU_VERDICT_NOT_WRITABLE:
    case ARMCPU_VERDICT_REFUSED:
        p->blockers++;
        if (p->flags & ARMCPU_KVM_APPLY_FORCE) {
            p->write_mask[ri] |= fm;
            break;
        }
        if (c->field)
            add(r, ARMCPU_KVM_BLOCKED, c->reg, c->field, c->model_value, c->host_value, 0,
                "%s.%s: wanted 0x%" PRIx64 ", the vCPU has 0x%" PRIx64 " (%s): %s", rn,
                armcpu_field_name(c->field), c->model_value, c->host_value,
                armcpu_verdict_name(c->verdict), c->reason);
        else
            add(r, ARMCPU_KVM_BLOCKED, c->reg, NULL, c->model_value, c->host_value, 0,
                "%s: wanted 0x%" PRIx64 " outside the fields, the vCPU has 0x%" PRIx64 ": %s",
                rn, c->model_value, c->host_value, c->reason);
        break;
    case ARMCPU_VERDICT_IDENTITY:
        if (!p->identity_noted[ri]) {
            p->identity_noted[ri] = true;
            add(r, ARMCPU_KVM_IDENTITY, c->reg, NULL, mv, r->before[ri], 0,
                "the guest would see a different %s (0x%016" PRIx64 ", the model has 0x%016" PRIx64
                "); this kernel cannot write it: " IMP_ID_HINT,
                short_name(c->reg), r->before[ri], mv);
        }
        break;
    case ARMCPU_VERDICT_HOST_GIVEN:
        if (!p->given_noted[ri]) {
            p->given_noted[ri] = true;
            add(r, ARMCPU_KVM_HOST_GIVEN, c->reg, NULL, mv, r->before[ri], 0,
                "%s: %s; the vCPU keeps 0x%016" PRIx64, rn,
                c->reason && *c->reason ? c->reason : "the model leaves it unset",
                r->before[ri]);
        }
        break;
    case ARMCPU_VERDICT_UNCHECKED:
    case ARMCPU_VERDICT_UNKNOWN:
        if (!p->unchecked_noted[ri]) {
            p->unchecked_noted[ri] = true;
            add(r, ARMCPU_KVM_UNCHECKED, c->reg, NULL, mv, 0, 0,
                "%s: the model sets it but the vCPU does not expose it (%s)", rn, c->reason);
        }
        break;
    }
}

/* Names every field a refused write changes (KVM only says the register). */
static void report_refusal(armcpu_kvm_report *r, const armcpu_reg *reg, uint64_t cur,
                           uint64_t want, const armcpu_reg_view *before, unsigned judge_flags,
                           int e)
{
    char en[32], enc[64];
    unsigned op0, op1, crn, crm, op2;
    armcpu_reg_encoding(reg, &op0, &op1, &crn, &crm, &op2);
    armcpu_encoding_format(op0, op1, crn, crm, op2, enc, sizeof enc);
    const char *rn = armcpu_reg_name(reg);
    if (e == EBUSY) {
        add(r, ARMCPU_KVM_BUSY, reg, NULL, want, cur, e,
            "%s (%s): KVM_SET_ONE_REG refused with EBUSY: the vCPU has already run "
            "(KVM_RUN), ID registers can only be written before the first run "
            "(wanted 0x%016" PRIx64 ", current 0x%016" PRIx64 ")",
            rn, enc, want, cur);
        return;
    }
    if (armcpu_reg_is_identity(reg)) {
        add(r, ARMCPU_KVM_IDENTITY, reg, NULL, want, cur, e,
            "the guest would see a different %s (0x%016" PRIx64 ", the model has 0x%016" PRIx64
            "): KVM refused the write with %s; " IMP_ID_HINT
            " enabled on the VM before its vCPUs are created",
            short_name(reg), cur, want, errname(e, en, sizeof en));
        return;
    }
    size_t named = 0;
    for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
        const armcpu_field *f = armcpu_reg_field_at(reg, i);
        uint64_t w = armcpu_field_get(f, want), c = armcpu_field_get(f, cur);
        if (w == c)
            continue;
        /* the judgement's verdict of the refused value against the vCPU */
        char why[320] = "";
        armcpu_verdict vd = armcpu_judge(f, want, judge_flags, before, why, sizeof why);
        if (!armcpu_verdict_blocks(vd))
            snprintf(why, sizeof why, "%s by the checks: KVM disagrees with armcpu here",
                     armcpu_verdict_name(vd));
        add(r, ARMCPU_KVM_REFUSED, reg, f, w, c, e,
            "%s.%s: KVM_SET_ONE_REG (%s) refused with %s: wanted 0x%" PRIx64
            ", current 0x%" PRIx64 " (%s)",
            rn, armcpu_field_name(f), enc, errname(e, en, sizeof en), w, c, why);
        named++;
    }
    if (!named)
        add(r, ARMCPU_KVM_REFUSED, reg, NULL, want, cur, e,
            "%s: KVM_SET_ONE_REG (%s) refused with %s: wanted 0x%016" PRIx64
            ", current 0x%016" PRIx64,
            rn, enc, errname(e, en, sizeof en), want, cur);
}

/* Appends "REG now 0x.. (was 0x..)" to the registers a rollback leaves changed. */
static void note_left(char *list, size_t size, const armcpu_reg *reg, int ge, uint64_t now,
                      uint64_t was)
{
    size_t n = strlen(list);
    if (n + 1 >= size)
        return;
    if (ge)
        snprintf(list + n, size - n, "%s%s unreadable (was 0x%016" PRIx64 ")", n ? ", " : "",
                 armcpu_reg_name(reg), was);
    else
        snprintf(list + n, size - n, "%s%s now 0x%016" PRIx64 " (was 0x%016" PRIx64 ")",
                 n ? ", " : "", armcpu_reg_name(reg), now, was);
}

/* The KVM_SET_ONE_REG that gives item c the value v on this vCPU (PMCR_EL0:
 * N replaced in the register read before; SVE_VLS: word 0, as the U512). */
static int cfg_write(const struct armcpu_kvm_backend *b, armcpu_config c, uint64_t v,
                     const struct reading *rd)
{
    uint64_t words[8] = {0};
    switch (c) {
    case ARMCPU_CONFIG_SVE_VLS:
        if (!b->set_vls)
            return ENOENT;
        words[0] = v;
        return b->set_vls(b->opaque, words);
    case ARMCPU_CONFIG_PMU_COUNTERS:
        return b->set_reg(b->opaque, ARMCPU_KVM_REG_PMCR_EL0,
                          (rd->pmcr & ~(0x1full << 11)) | (v & 0x1f) << 11);
    case ARMCPU_CONFIG_IPA_BITS:
        return ENOENT;
    default:
        return b->set_reg(b->opaque, armcpu_config_kvm_id(c), v);
    }
}

/* The write that sets item c back to what it read before the apply. */
static int cfg_restore(const struct armcpu_kvm_backend *b, armcpu_config c,
                       const struct reading *rd)
{
    if (c == ARMCPU_CONFIG_SVE_VLS)
        return b->set_vls ? b->set_vls(b->opaque, rd->vls) : ENOENT;
    if (c == ARMCPU_CONFIG_PMU_COUNTERS)
        return b->set_reg(b->opaque, ARMCPU_KVM_REG_PMCR_EL0, rd->pmcr);
    return cfg_write(b, c, rd->cfg[c], rd);
}

/* The configuration items an apply wrote (in order) and refused. */
struct cfg_writes {
    armcpu_config written[ARMCPU_CONFIG_COUNT];
    size_t n;
    bool failed[ARMCPU_CONFIG_COUNT];
};

/* Rolls back the configuration items written (reverse order; smccc_wa*
 * keep nothing: none to set back) and reads back each written or refused
 * one against its value before the apply. Returns how many are left
 * otherwise (named in left); counts the refused ones in *n_refused and the
 * stored ones written in *n_set_back. */
static size_t roll_back_config(const struct armcpu_kvm_backend *b, armcpu_kvm_report *r,
                               const struct reading *rd, const struct cfg_writes *cw,
                               char *left, size_t left_size, size_t *n_refused,
                               size_t *n_set_back)
{
    char en[32], was_t[96], now_t[96];
    size_t n_left = 0;
    for (size_t k = cw->n; k-- > 0;) {
        armcpu_config c = cw->written[k];
        if (!armcpu_config_stored(c))
            continue;
        (*n_set_back)++;
        uint64_t was = rd->cfg[c], v = 0;
        int se = cfg_restore(b, c, rd);
        r->n_set++;
        r->n_rollback_set++;
        int ge = cfg_read(b, c, &v, NULL, NULL);
        r->n_get++;
        if (!ge)
            r->cfg_after[c] = v;
        armcpu_config_format(c, was, was_t, sizeof was_t);
        if (!se && !ge && v == was) {
            add_cfg(r, ARMCPU_KVM_RESTORED, c, was, v, 0,
                    "%s: rolled back to %s and read back equal", armcpu_config_name(c), was_t);
            continue;
        }
        n_left++;
        size_t n = strlen(left);
        armcpu_config_format(c, v, now_t, sizeof now_t);
        if (n + 1 < left_size)
            snprintf(left + n, left_size - n, "%s%s %s%s (was %s)", n ? ", " : "",
                     armcpu_config_name(c), ge ? "unreadable" : "now ", ge ? "" : now_t, was_t);
        add_cfg(r, ARMCPU_KVM_NOT_RESTORED, c, was, v, se ? se : ge,
                "%s: rolling back to %s %s%s; it %s%s", armcpu_config_name(c), was_t,
                se ? "failed: KVM_SET_ONE_REG refused with " : "was taken by KVM_SET_ONE_REG",
                se ? errname(se, en, sizeof en) : "",
                ge ? "cannot be read back" : "reads back ", ge ? "" : now_t);
    }
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        if (!cw->failed[c])
            continue;
        (*n_refused)++;
        if (!armcpu_config_stored((armcpu_config)c))
            continue;
        uint64_t was = rd->cfg[c], v = 0;
        int ge = cfg_read(b, (armcpu_config)c, &v, NULL, NULL);
        r->n_get++;
        if (!ge)
            r->cfg_after[c] = v;
        if (!ge && v == was)
            continue;
        n_left++;
        armcpu_config_format((armcpu_config)c, was, was_t, sizeof was_t);
        armcpu_config_format((armcpu_config)c, v, now_t, sizeof now_t);
        size_t n = strlen(left);
        if (n + 1 < left_size)
            snprintf(left + n, left_size - n, "%s%s %s%s (was %s)", n ? ", " : "",
                     armcpu_config_name((armcpu_config)c), ge ? "unreadable" : "now ",
                     ge ? "" : now_t, was_t);
        add_cfg(r, ARMCPU_KVM_NOT_RESTORED, (armcpu_config)c, was, ge ? was : v, ge,
                "%s: KVM refused its write, but it %s%s (was %s)",
                armcpu_config_name((armcpu_config)c), ge ? "cannot be read back" : "reads back ",
                ge ? "" : now_t, was_t);
    }
    return n_left;
}

/*
 * All or nothing, after a refused write: every register written is set back
 * to the value read before writing it, in reverse order, and every register
 * written or refused is read back, so "nothing changed" is what KVM reads,
 * not what it was asked. One that cannot be set back or reads back otherwise
 * is NOT_RESTORED, and the error names each register the vCPU is left with.
 */
static int roll_back(const struct armcpu_kvm_backend *b, armcpu_kvm_report *r,
                     const armcpu_cpu *cpu, const size_t *written, size_t n,
                     const bool *failed_write, const struct reading *rd,
                     const struct cfg_writes *cw, armcpu_error *err)
{
    char en[32], now[128], left[400] = "";
    size_t n_left = 0, n_refused = 0, n_cfg = 0;
    /* the configuration items were written after the registers: first back */
    n_left += roll_back_config(b, r, rd, cw, left, sizeof left, &n_refused, &n_cfg);
    for (size_t k = n; k-- > 0;) {
        size_t i = written[k];
        const armcpu_reg *reg = armcpu_reg_at(i);
        const char *rn = armcpu_reg_name(reg);
        uint64_t id = armcpu_reg_kvm_id(reg), was = r->before[i], v = 0;
        int se = b->set_reg(b->opaque, id, was);
        r->n_set++;
        r->n_rollback_set++;
        if (!se)
            r->after[i] = was; /* the last written, until read back */
        int ge = b->get_reg(b->opaque, id, &v); /* after a failed set too: what is left */
        r->n_get++;
        if (!ge)
            r->after[i] = v;
        if (!se && !ge && v == was) {
            add(r, ARMCPU_KVM_RESTORED, reg, NULL, was, v, 0,
                "%s: rolled back to 0x%016" PRIx64 " and read back equal", rn, was);
            continue;
        }
        n_left++;
        note_left(left, sizeof left, reg, ge, v, was);
        if (ge)
            snprintf(now, sizeof now,
                     "cannot be read back (KVM_GET_ONE_REG failed with %s); last written "
                     "0x%016" PRIx64,
                     errname(ge, en, sizeof en), r->after[i]);
        else
            snprintf(now, sizeof now, "reads back 0x%016" PRIx64, v);
        if (se)
            add(r, ARMCPU_KVM_NOT_RESTORED, reg, NULL, was, r->after[i], se,
                "%s: rolling back to 0x%016" PRIx64 " failed: KVM_SET_ONE_REG refused with %s; "
                "it %s",
                rn, was, errname(se, en, sizeof en), now);
        else
            add(r, ARMCPU_KVM_NOT_RESTORED, reg, NULL, was, r->after[i], ge,
                "%s: rolled back to 0x%016" PRIx64 " (KVM_SET_ONE_REG took it) but it %s", rn,
                was, now);
    }
    /* KVM leaves a register it refuses as it was: read back to prove it */
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        if (!failed_write[i])
            continue;
        n_refused++;
        const armcpu_reg *reg = armcpu_reg_at(i);
        uint64_t was = r->before[i], v = 0;
        int ge = b->get_reg(b->opaque, armcpu_reg_kvm_id(reg), &v);
        r->n_get++;
        if (!ge)
            r->after[i] = v;
        if (!ge && v == was)
            continue;
        n_left++;
        note_left(left, sizeof left, reg, ge, v, was);
        if (ge)
            snprintf(now, sizeof now, "cannot be read back (KVM_GET_ONE_REG failed with %s)",
                     errname(ge, en, sizeof en));
        else
            snprintf(now, sizeof now, "reads back 0x%016" PRIx64, v);
        add(r, ARMCPU_KVM_NOT_RESTORED, reg, NULL, was, ge ? was : v, ge,
            "%s: KVM refused its write, but it %s (was 0x%016" PRIx64 ")", armcpu_reg_name(reg),
            now, was);
    }
    n += n_cfg; /* the configuration items set back count as registers written */
    /* the refusal itself (with force, every failure) comes first in the report */
    const char *first = "";
    for (size_t i = 0; i < r->n; i++)
        if (is_failure(r->f[i].kind)) {
            first = r->f[i].message;
            break;
        }
    const char *cn = armcpu_cpu_name(cpu);
    if (n_left) {
        r->rollback = ARMCPU_KVM_ROLLBACK_PARTIAL;
        return armcpu_set_error(err, ARMCPU_ERR_ENV,
                                "%s: the vCPU is left partially applied, discard it: %s and "
                                "%zu register%s could not be rolled back: %s; first failure: %s",
                                cn,
                                n_refused ? "KVM refused a write"
                                          : "a register read back otherwise than written",
                                n_left, n_left == 1 ? "" : "s", left, first);
    /* (n_left counts configuration items as registers) */
    }
    r->rollback = ARMCPU_KVM_ROLLBACK_DONE;
    if (!n_refused)
        return armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                "%s: not applied, nothing changed: KVM took every write but "
                                "%s; the %zu register%s written %s rolled back and read back "
                                "as before",
                                cn, first, n, n == 1 ? "" : "s", n == 1 ? "was" : "were");
    if (!n)
        return armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                "%s: not applied, nothing changed: KVM refused %s before any "
                                "register was written (read back unchanged): %s",
                                cn, n_refused == 1 ? "the write" : "every write", first);
    return armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                            "%s: not applied, nothing changed: KVM refused %zu write%s, and the "
                            "%zu register%s written %s rolled back and read back as before; "
                            "first refusal: %s",
                            cn, n_refused, n_refused == 1 ? "" : "s", n, n == 1 ? "" : "s",
                            n == 1 ? "was" : "were", first);
}

int armcpu_kvm_apply_backend(const struct armcpu_kvm_backend *b, const armcpu_cpu *cpu,
                             unsigned flags, armcpu_kvm_report *report, armcpu_error *err)
{
    armcpu_kvm_report *r = report ? report : armcpu_kvm_report_new();
    size_t nr = armcpu_reg_count();
    struct reading rd;
    struct plan p = {r, cpu, flags, calloc(nr, sizeof(uint64_t)), calloc(nr, sizeof(bool)),
                     calloc(nr, sizeof(bool)), calloc(nr, sizeof(bool)), 0, {0}};
    struct cfg_writes cw;
    memset(&cw, 0, sizeof cw);
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        p.cfg_verdict[c] = ARMCPU_VERDICT_SAME;
    bool *failed_write = calloc(nr, sizeof(bool));
    size_t *written = calloc(nr, sizeof(size_t)), n_written = 0; /* in write order */
    bool refused = false;
    armcpu_host *host = NULL;
    int rc = ARMCPU_OK;
    bool ok_alloc = reading_alloc(&rd);
    if (!r || !ok_alloc || !p.write_mask || !p.identity_noted || !p.given_noted ||
        !p.unchecked_noted || !failed_write || !written) {
        rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto out;
    }
    report_clear(r);
    if (!cpu) {
        rc = armcpu_set_error(err, ARMCPU_ERR_INVALID, "armcpu_kvm_apply: no realized spec");
        goto out;
    }
    if ((rc = read_all(b, &rd, r, err)))
        goto out;
    for (size_t i = 0; i < nr; i++) {
        r->present[i] = rd.err[i] == 0;
        r->before[i] = r->after[i] = rd.err[i] ? 0 : rd.value[i];
    }
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        bool ipa = c == ARMCPU_CONFIG_IPA_BITS;
        /* ipa_bits: the VM's own size, known when armcpu created the VM */
        r->cfg_present[c] = ipa ? b->vm_ipa_bits != 0 : rd.cfg_known[c];
        r->cfg_before[c] = r->cfg_after[c] = ipa ? b->vm_ipa_bits : rd.cfg[c];
    }
    /* The vCPU's own values and masks are the limits to check against. */
    struct armcpu_kvm_backend hb = *b;
    /* the features the vCPU was created with, when the caller knows them
     * (a feature KVM does not offer counts as on: its fields read "none");
     * a bare fd: all, whose fields a vCPU without them shows as none */
    if (!hb.features)
        hb.features = "sve,pmu,ptrauth";
    if (!(host = host_from_reading(&hb, &rd, err))) {
        rc = err ? err->code : ARMCPU_ERR_ENV;
        goto out;
    }
    armcpu_check(cpu, host, on_check, &p);
    /* What no write can change: the VM's IPA size (KVM_CREATE_VM's type),
     * and an item the spec sets that this vCPU does not show */
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t want;
        char wt[96], ht[96];
        if (!armcpu_cpu_config(cpu, (armcpu_config)c, &want) ||
            armcpu_verdict_blocks(p.cfg_verdict[c]))
            continue;
        armcpu_config_format((armcpu_config)c, want, wt, sizeof wt);
        if (c == ARMCPU_CONFIG_IPA_BITS && b->vm_ipa_bits && want != b->vm_ipa_bits) {
            p.blockers++;
            add_cfg(r, ARMCPU_KVM_BLOCKED, (armcpu_config)c, want, b->vm_ipa_bits, 0,
                    "ipa_bits (KVM_VM_TYPE_ARM_IPA_SIZE): wanted %s, the VM was created with a "
                    "%u-bit IPA: no write changes it; create the VM with KVM_CREATE_VM type "
                    "armcpu_cpu_kvm_vm_type() (KVM_VM_TYPE_ARM_IPA_SIZE(%s))",
                    wt, b->vm_ipa_bits, wt);
        } else if (c == ARMCPU_CONFIG_IPA_BITS && !b->vm_ipa_bits) {
            add_cfg(r, ARMCPU_KVM_UNCHECKED, (armcpu_config)c, want, 0, 0,
                    "ipa_bits=%s: the IPA size is the VM's KVM_CREATE_VM type, which apply "
                    "cannot read on a VM it did not create: create it with "
                    "armcpu_cpu_kvm_vm_type() (KVM_VM_TYPE_ARM_IPA_SIZE(%s))",
                    wt, wt);
        } else if (c != ARMCPU_CONFIG_IPA_BITS && !rd.cfg_known[c]) {
            armcpu_config_format((armcpu_config)c, rd.cfg[c], ht, sizeof ht);
            add_cfg(r, ARMCPU_KVM_UNCHECKED, (armcpu_config)c, want, 0, 0,
                    "%s=%s: the vCPU does not show %s (%s; not written)",
                    armcpu_config_name((armcpu_config)c), wt,
                    armcpu_config_kvm_name((armcpu_config)c),
                    armcpu_config_needs((armcpu_config)c) ? "a vCPU without that feature"
                                                          : "not on this kernel");
        }
    }
    if (p.blockers && !(flags & ARMCPU_KVM_APPLY_FORCE)) {
        rc = armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                              "%s: refused before any write: %zu field%s blocked on this vCPU",
                              armcpu_cpu_name(cpu), p.blockers, p.blockers == 1 ? "" : "s");
        goto out;
    }
    /* The vCPU must have been created with the spec's features: KVM shows
     * a feature's fields only with it, and lets none be written to 0. (A
     * spec needing one the vCPU lacks is blocked by its fields above; one
     * lacking a feature the vCPU has passes the check, judged as the
     * vCPU it needs, so this says so.) */
    unsigned need = armcpu_cpu_vcpu_features(cpu), shown = armcpu_vcpu_features_of(rd.value);
    if (need != shown && !(flags & ARMCPU_KVM_APPLY_FORCE)) {
        static const struct {
            unsigned bit;
            const char *name, *init;
        } feats[] = {{ARMCPU_VCPU_SVE, "SVE", "KVM_ARM_VCPU_SVE"},
                     {ARMCPU_VCPU_PMU, "a PMU", "KVM_ARM_VCPU_PMU_V3"},
                     {ARMCPU_VCPU_PTRAUTH, "pointer authentication",
                      "KVM_ARM_VCPU_PTRAUTH_ADDRESS and _GENERIC"}};
        char why[400] = "";
        for (size_t k = 0; k < sizeof feats / sizeof feats[0]; k++) {
            size_t n = strlen(why);
            if ((shown & ~need) & feats[k].bit)
                snprintf(why + n, sizeof why - n,
                         "%sthe vCPU has %s and the spec none: create it without %s", n ? "; " : "",
                         feats[k].name, feats[k].init);
            else if ((need & ~shown) & feats[k].bit)
                snprintf(why + n, sizeof why - n,
                         "%sthe spec needs %s and the vCPU has none: create it with %s (or the "
                         "host has none)",
                         n ? "; " : "", feats[k].name, feats[k].init);
        }
        rc = armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                              "%s: refused before any write: %s (armcpu_cpu_vcpu_features says "
                              "which KVM_ARM_VCPU_INIT features the spec needs)",
                              armcpu_cpu_name(cpu), why);
        goto out;
    }

    /* One KVM_SET_ONE_REG per register that differs. */
    for (size_t i = 0; i < nr; i++) {
        if (!r->present[i] || !p.write_mask[i])
            continue;
        const armcpu_reg *reg = armcpu_reg_at(i);
        uint64_t cur = r->before[i], mv = armcpu_cpu_reg_value(cpu, reg);
        uint64_t want = (cur & ~p.write_mask[i]) | (mv & p.write_mask[i]);
        if (want == cur)
            continue;
        int e = b->set_reg(b->opaque, armcpu_reg_kvm_id(reg), want);
        r->n_set++;
        if (e) {
            failed_write[i] = true;
            armcpu_reg_view before;
            armcpu_host_reg_view(host, reg, &before);
            size_t failures = r->failures;
            report_refusal(r, reg, cur, want, &before, armcpu_cpu_judge_flags(cpu, reg), e);
            /* an identity register KVM will not take is not a failure */
            if (r->failures > failures) {
                refused = true;
                if (!(flags & ARMCPU_KVM_APPLY_FORCE))
                    break; /* all or nothing: no further write */
            }
        } else {
            written[n_written++] = i;
            r->after[i] = want; /* until read back */
            add(r, ARMCPU_KVM_WRITTEN, reg, NULL, want, cur, 0,
                "%s: 0x%016" PRIx64 " -> 0x%016" PRIx64 " (one KVM_SET_ONE_REG)",
                armcpu_reg_name(reg), cur, want);
        }
    }
    /* Then the vCPU configuration items that differ, one write each. */
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT && (!refused || (flags & ARMCPU_KVM_APPLY_FORCE));
         c++) {
        uint64_t want;
        armcpu_config cc = (armcpu_config)c;
        if (cc == ARMCPU_CONFIG_IPA_BITS || !rd.cfg_known[c] ||
            !armcpu_cpu_config(cpu, cc, &want) || want == rd.cfg[c])
            continue;
        if (armcpu_verdict_blocks(p.cfg_verdict[c]) && !(flags & ARMCPU_KVM_APPLY_FORCE))
            continue;
        char wt[96], ct[96], en[32], why[320] = "";
        armcpu_config_format(cc, want, wt, sizeof wt);
        armcpu_config_format(cc, rd.cfg[c], ct, sizeof ct);
        int e = cfg_write(b, cc, want, &rd);
        r->n_set++;
        if (!e) {
            cw.written[cw.n++] = cc;
            r->cfg_after[c] = want; /* until read back */
            add_cfg(r, ARMCPU_KVM_WRITTEN, cc, want, rd.cfg[c], 0,
                    "%s: %s -> %s (one KVM_SET_ONE_REG of %s%s)", armcpu_config_name(cc), ct, wt,
                    armcpu_config_kvm_name(cc),
                    armcpu_config_stored(cc) ? "" : "; KVM only checks it against the host's "
                                                    "level, the guest sees the host's");
            continue;
        }
        cw.failed[c] = true;
        refused = true;
        armcpu_config_judge(cc, want, true, rd.cfg[c], armcpu_host_kernel_key(host), why,
                            sizeof why);
        if (e == EBUSY)
            add_cfg(r, ARMCPU_KVM_BUSY, cc, want, rd.cfg[c], e,
                    "%s (%s): KVM_SET_ONE_REG refused with EBUSY: the VM has already run "
                    "(wanted %s, current %s)",
                    armcpu_config_name(cc), armcpu_config_kvm_name(cc), wt, ct);
        else
            add_cfg(r, ARMCPU_KVM_REFUSED, cc, want, rd.cfg[c], e,
                    "%s (%s): KVM_SET_ONE_REG refused with %s: wanted %s, current %s (%s)",
                    armcpu_config_name(cc), armcpu_config_kvm_name(cc),
                    errname(e, en, sizeof en), wt, ct,
                    e == EPERM && cc == ARMCPU_CONFIG_SVE_VLS
                        ? "the vCPU is finalized (KVM_ARM_VCPU_FINALIZE): KVM takes vector "
                          "lengths only before it; create the vCPU with them "
                          "(armcpu_kvm_vcpu_new_vm)"
                        : why[0] ? why : "settable by the checks: KVM disagrees with armcpu here");
        if (!(flags & ARMCPU_KVM_APPLY_FORCE))
            break;
    }
    /* Not forced, the first refusal ended the writes: undo them. */
    if (refused && !(flags & ARMCPU_KVM_APPLY_FORCE)) {
        rc = roll_back(b, r, cpu, written, n_written, failed_write, &rd, &cw, err);
        goto out;
    }
    /* Read every register back and compare with the model. */
    for (size_t i = 0; i < nr; i++) {
        if (!r->present[i])
            continue;
        const armcpu_reg *reg = armcpu_reg_at(i);
        uint64_t v;
        int e = b->get_reg(b->opaque, armcpu_reg_kvm_id(reg), &v);
        r->n_get++;
        if (e) {
            char en[32];
            add(r, ARMCPU_KVM_MISMATCH, reg, NULL, armcpu_cpu_reg_value(cpu, reg), 0, e,
                "%s: cannot be read back: KVM_GET_ONE_REG failed with %s",
                armcpu_reg_name(reg), errname(e, en, sizeof en));
            continue;
        }
        r->after[i] = v;
        if (failed_write[i] || p.identity_noted[i] || p.given_noted[i])
            continue;
        uint64_t mv = armcpu_cpu_reg_value(cpu, reg);
        for (size_t j = 0; j < armcpu_reg_field_count(reg); j++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, j);
            armcpu_verdict vd = j < MAX_FIELDS ? r->verdict[i * MAX_FIELDS + j]
                                               : ARMCPU_VERDICT_SAME;
            bool expect = vd == ARMCPU_VERDICT_SAME || vd == ARMCPU_VERDICT_SETTABLE ||
                          ((flags & ARMCPU_KVM_APPLY_FORCE) && armcpu_verdict_blocks(vd));
            if (!expect || armcpu_field_get(f, v) == armcpu_field_get(f, mv))
                continue;
            add(r, ARMCPU_KVM_MISMATCH, reg, f, armcpu_field_get(f, mv), armcpu_field_get(f, v),
                0, "%s.%s reads back 0x%" PRIx64 ", the model has 0x%" PRIx64,
                armcpu_reg_name(reg), armcpu_field_name(f), armcpu_field_get(f, v),
                armcpu_field_get(f, mv));
        }
    }
    /* Every configuration item the spec sets and the vCPU shows, read back:
     * KVM keeps a written value as it stores it (PMCR_EL0.N: 6.7+ ignores
     * one above the host's and still returns 0); smccc_wa* read the host's
     * level whatever was written (the write's success was the proof). */
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t want, v;
        armcpu_config cc = (armcpu_config)c;
        if (cc == ARMCPU_CONFIG_IPA_BITS || !rd.cfg_known[c] || !armcpu_cpu_config(cpu, cc, &want))
            continue;
        int e = cfg_read(b, cc, &v, NULL, NULL);
        r->n_get++;
        char wt[96], vt[96], en[32];
        armcpu_config_format(cc, want, wt, sizeof wt);
        if (e) {
            add_cfg(r, ARMCPU_KVM_MISMATCH, cc, want, 0, e,
                    "%s: cannot be read back: KVM_GET_ONE_REG of %s failed with %s",
                    armcpu_config_name(cc), armcpu_config_kvm_name(cc), errname(e, en, sizeof en));
            continue;
        }
        r->cfg_after[c] = v;
        bool blocked = armcpu_verdict_blocks(p.cfg_verdict[c]);
        if (cw.failed[c] || !armcpu_config_stored(cc) || v == want ||
            (blocked && !(flags & ARMCPU_KVM_APPLY_FORCE)))
            continue;
        armcpu_config_format(cc, v, vt, sizeof vt);
        add_cfg(r, ARMCPU_KVM_MISMATCH, cc, want, v, 0,
                "%s reads back %s, the spec has %s: KVM took the write and kept its own%s",
                armcpu_config_name(cc), vt, wt,
                cc == ARMCPU_CONFIG_PMU_COUNTERS
                    ? " (arch/arm64/kvm/sys_regs.c set_pmcr, Linux 6.7+, ignores an N above the "
                      "host's counters, or any N once the VM has run)"
                    : "");
    }
    /* Forced, every register was tried and read back against the model, so
     * the report gives each field's fate (refused, taken but kept otherwise,
     * honoured). A refusal fails a forced apply too, and the vCPU it would
     * leave is neither the model nor its own: undone the same way. */
    /* A register KVM took but reads back otherwise (it kept its own value,
     * or a field the model sets) fails the apply as a refusal does: the
     * writes are undone too, so a failed apply never leaves a changed vCPU. */
    if (refused || r->failures) {
        rc = roll_back(b, r, cpu, written, n_written, failed_write, &rd, &cw, err);
        goto out;
    }
out:
    armcpu_host_free(host);
    reading_free(&rd);
    free(p.write_mask);
    free(p.identity_noted);
    free(p.given_noted);
    free(p.unchecked_noted);
    free(failed_write);
    free(written);
    if (!report)
        armcpu_kvm_report_free(r);
    return rc;
}
