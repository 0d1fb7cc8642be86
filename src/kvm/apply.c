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
    f->message = armcpu_strdup(buf);
    if (f->message)
        r->n++;
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
};

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
    unsigned on = 0;
    if (b->features) {
        on |= strstr(b->features, "sve") ? ARMCPU_VCPU_SVE : 0;
        on |= strstr(b->features, "pmu") ? ARMCPU_VCPU_PMU : 0;
        on |= strstr(b->features, "ptrauth") ? ARMCPU_VCPU_PTRAUTH : 0;
    }
    h = armcpu_host_from_arrays(st, rd->value, rd->has_masks ? masks : NULL, absent, "local",
                                b->kernel && *b->kernel ? b->kernel : "0-unknown",
                                b->source ? b->source : "live KVM probe", true, on, err);
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
};

static void on_check(const armcpu_field_check *c, void *opaque)
{
    struct plan *p = opaque;
    armcpu_kvm_report *r = p->r;
    if (c->is_config) {
        p->blockers += armcpu_verdict_blocks(c->verdict);
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

/*
 * All or nothing, after a refused write: every register written is set back
 * to the value read before writing it, in reverse order, and every register
 * written or refused is read back, so "nothing changed" is what KVM reads,
 * not what it was asked. One that cannot be set back or reads back otherwise
 * is NOT_RESTORED, and the error names each register the vCPU is left with.
 */
static int roll_back(const struct armcpu_kvm_backend *b, armcpu_kvm_report *r,
                     const armcpu_cpu *cpu, const size_t *written, size_t n,
                     const bool *failed_write, armcpu_error *err)
{
    char en[32], now[128], left[400] = "";
    size_t n_left = 0, n_refused = 0;
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
                     calloc(nr, sizeof(bool)), calloc(nr, sizeof(bool)), 0};
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
    if (armcpu_cpu_config_mask(cpu)) {
        rc = armcpu_set_error(err, ARMCPU_ERR_UNSUPPORTED,
                              "%s: refused before any write: the spec sets vCPU configuration "
                              "(sve128.., pmu_counters, ...), which armcpu_kvm_apply does not "
                              "write yet",
                              armcpu_cpu_name(cpu));
        goto out;
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
    /* Not forced, the first refusal ended the writes: undo them. */
    if (refused && !(flags & ARMCPU_KVM_APPLY_FORCE)) {
        rc = roll_back(b, r, cpu, written, n_written, failed_write, err);
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
    /* Forced, every register was tried and read back against the model, so
     * the report gives each field's fate (refused, taken but kept otherwise,
     * honoured). A refusal fails a forced apply too, and the vCPU it would
     * leave is neither the model nor its own: undone the same way. */
    /* A register KVM took but reads back otherwise (it kept its own value,
     * or a field the model sets) fails the apply as a refusal does: the
     * writes are undone too, so a failed apply never leaves a changed vCPU. */
    if (refused || r->failures) {
        rc = roll_back(b, r, cpu, written, n_written, failed_write, err);
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
