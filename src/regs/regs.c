/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lookups and field access over the generated ID-register table. */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/util.h"
#include "idregs.h"

size_t armcpu_reg_count(void) { return armcpu_idregs_count; }

const armcpu_reg *armcpu_reg_at(size_t i)
{
    return i < armcpu_idregs_count ? &armcpu_idregs[i] : NULL;
}

size_t armcpu_reg_index(const armcpu_reg *reg)
{
    return (size_t)(reg - armcpu_idregs);
}

/* "ID_AA64ISAR0" matches "ID_AA64ISAR0_EL1"; case-insensitive. */
static bool reg_name_matches(const char *table_name, const char *want,
                             size_t want_len)
{
    size_t tl = strlen(table_name);
    if (want_len == tl)
        return !strncasecmp(table_name, want, tl);
    const char *us = strrchr(table_name, '_');
    return us && (size_t)(us - table_name) == want_len &&
           !strncasecmp(us, "_EL", 3) && !strncasecmp(table_name, want, want_len);
}

static const armcpu_reg *reg_by_name_len(const char *name, size_t len)
{
    for (size_t i = 0; i < armcpu_idregs_count; i++)
        if (reg_name_matches(armcpu_idregs[i].name, name, len))
            return &armcpu_idregs[i];
    return NULL;
}

const armcpu_reg *armcpu_reg_by_name(const char *name, armcpu_error *err)
{
    const armcpu_reg *r = name ? reg_by_name_len(name, strlen(name)) : NULL;
    if (r)
        return r;
    if (!err)
        return NULL; /* nobody reads a suggestion */
    armcpu_suggest s;
    char hint[256];
    armcpu_suggest_init(&s, name ? name : "");
    for (size_t i = 0; i < armcpu_idregs_count; i++)
        armcpu_suggest_offer(&s, armcpu_idregs[i].name);
    armcpu_suggest_format(&s, hint, sizeof hint);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "unknown register '%s'%s (the table has %zu ID registers)",
                     name ? name : "(null)", hint, armcpu_idregs_count);
    return NULL;
}

const armcpu_reg *armcpu_reg_by_encoding(unsigned op0, unsigned op1,
                                         unsigned crn, unsigned crm,
                                         unsigned op2, armcpu_error *err)
{
    for (size_t i = 0; i < armcpu_idregs_count; i++) {
        const armcpu_reg *r = &armcpu_idregs[i];
        if (r->op0 == op0 && r->op1 == op1 && r->crn == crn && r->crm == crm &&
            r->op2 == op2)
            return r;
    }
    char enc[64];
    armcpu_encoding_format(op0, op1, crn, crm, op2, enc, sizeof enc);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "no ID register at %s (the table covers op0=3, op1 in "
                     "{0,1,3}, crn=0, crm 0..7, op2 0..7 where the "
                     "architecture defines a register)",
                     enc);
    return NULL;
}

const armcpu_reg *armcpu_reg_by_kvm_id(uint64_t kvm_id, armcpu_error *err)
{
    unsigned op0, op1, crn, crm, op2, size;
    if (armcpu_kvm_id_decode(kvm_id, &op0, &op1, &crn, &crm, &op2, &size,
                             err))
        return NULL;
    return armcpu_reg_by_encoding(op0, op1, crn, crm, op2, err);
}

const char *armcpu_reg_name(const armcpu_reg *reg) { return reg->name; }

bool armcpu_reg_is_aarch32(const armcpu_reg *reg) { return armcpu_idreg_is_aarch32(reg); }

bool armcpu_reg_is_identity(const armcpu_reg *reg)
{
    return reg->kind == ARMCPU_REG_KIND_IDENTITY;
}

bool armcpu_reg_is_geometry(const armcpu_reg *reg)
{
    return reg->kind == ARMCPU_REG_KIND_GEOMETRY;
}

bool armcpu_reg_is_core(const armcpu_reg *reg) { return (reg->flags & ARMCPU_REGF_CORE) != 0; }

int armcpu_field_exception_level(const armcpu_field *f)
{
    const char *n = f->name;
    if (n[0] != 'E' || n[1] != 'L' || n[2] < '0' || n[2] > '3' || n[3] ||
        strcmp(armcpu_field_reg(f)->name, "ID_AA64PFR0_EL1"))
        return -1;
    return n[2] - '0';
}

bool armcpu_pfr0_has_aarch32(uint64_t id_aa64pfr0)
{
    for (unsigned el = 0; el < 4; el++)
        if ((id_aa64pfr0 >> (4 * el) & 0xf) == 2)
            return true;
    return false;
}

void armcpu_reg_encoding(const armcpu_reg *reg, unsigned *op0, unsigned *op1,
                         unsigned *crn, unsigned *crm, unsigned *op2)
{
    *op0 = reg->op0;
    *op1 = reg->op1;
    *crn = reg->crn;
    *crm = reg->crm;
    *op2 = reg->op2;
}

uint64_t armcpu_reg_kvm_id(const armcpu_reg *reg)
{
    uint64_t id = 0;
    armcpu_kvm_id_encode(reg->op0, reg->op1, reg->crn, reg->crm, reg->op2, 64,
                         &id, NULL);
    return id;
}

size_t armcpu_reg_field_count(const armcpu_reg *reg) { return reg->n_fields; }

const armcpu_field *armcpu_reg_field_at(const armcpu_reg *reg, size_t i)
{
    return i < reg->n_fields ? &reg->fields[i] : NULL;
}

uint64_t armcpu_reg_res0_mask(const armcpu_reg *reg) { return reg->res0_mask; }
uint64_t armcpu_reg_res1_mask(const armcpu_reg *reg) { return reg->res1_mask; }

uint64_t armcpu_reg_default_value(const armcpu_reg *reg) { return reg->default_value; }

const armcpu_field *armcpu_reg_field_by_name(const armcpu_reg *reg,
                                             const char *name,
                                             armcpu_error *err)
{
    for (size_t i = 0; i < reg->n_fields; i++)
        if (!strcasecmp(reg->fields[i].name, name))
            return &reg->fields[i];
    if (!err)
        return NULL; /* nobody reads a suggestion */
    armcpu_suggest s;
    char hint[256];
    armcpu_suggest_init(&s, name);
    for (size_t i = 0; i < reg->n_fields; i++)
        armcpu_suggest_offer(&s, reg->fields[i].name);
    armcpu_suggest_format(&s, hint, sizeof hint);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "register %s has no field '%s'%s (it has %zu fields)", reg->name, name,
                     hint, (size_t)reg->n_fields);
    return NULL;
}

const armcpu_field *armcpu_field_lookup(const char *name, armcpu_error *err)
{
    if (!name || !*name) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "empty field name (expected REG.FIELD, e.g. "
                         "ID_AA64ISAR0_EL1.AES)");
        return NULL;
    }
    const char *dot = strchr(name, '.');
    if (dot) {
        const armcpu_reg *r = reg_by_name_len(name, (size_t)(dot - name));
        if (!r) {
            char regname[128];
            snprintf(regname, sizeof regname, "%.*s", (int)(dot - name), name);
            armcpu_reg_by_name(regname, err);
            return NULL;
        }
        return armcpu_reg_field_by_name(r, dot + 1, err);
    }
    const armcpu_field *found = NULL;
    size_t n = 0;
    char owners[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < armcpu_idregs_count; i++) {
        const armcpu_reg *r = &armcpu_idregs[i];
        for (size_t j = 0; j < r->n_fields; j++) {
            if (strcasecmp(r->fields[j].name, name))
                continue;
            found = &r->fields[j];
            if (used < sizeof owners)
                used += (size_t)snprintf(owners + used, sizeof owners - used,
                                         "%s%s.%s", n ? ", " : "", r->name,
                                         r->fields[j].name);
            n++;
        }
    }
    if (n == 1)
        return found;
    if (n > 1) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "field name '%s' is ambiguous: it names %s; write "
                         "REG.FIELD",
                         name, owners);
        return NULL;
    }
    if (!err)
        return NULL; /* nobody reads a suggestion */
    armcpu_suggest s;
    char hint[256];
    armcpu_suggest_init(&s, name);
    for (size_t i = 0; i < armcpu_idregs_count; i++)
        for (size_t j = 0; j < armcpu_idregs[i].n_fields; j++)
            armcpu_suggest_offer(&s, armcpu_idregs[i].fields[j].name);
    armcpu_suggest_format(&s, hint, sizeof hint);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND, "unknown field '%s'%s", name,
                     hint);
    return NULL;
}

const armcpu_reg *armcpu_field_reg(const armcpu_field *f)
{
    return &armcpu_idregs[f->reg_index];
}
const char *armcpu_field_name(const armcpu_field *f) { return f->name; }
unsigned armcpu_field_lsb(const armcpu_field *f) { return f->lsb; }
unsigned armcpu_field_width(const armcpu_field *f) { return f->width; }
bool armcpu_field_is_signed(const armcpu_field *f) { return f->is_signed; }
armcpu_policy armcpu_field_policy(const armcpu_field *f) { return f->policy; }
uint64_t armcpu_field_safe_value(const armcpu_field *f) { return f->safe_value; }
uint64_t armcpu_field_default(const armcpu_field *f) { return f->default_value; }

static uint64_t width_mask(unsigned width)
{
    return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}

uint64_t armcpu_field_mask(const armcpu_field *f)
{
    return width_mask(f->width) << f->lsb;
}

const char *armcpu_policy_name(armcpu_policy p)
{
    switch (p) {
    case ARMCPU_POLICY_LOWER:
        return "LOWER";
    case ARMCPU_POLICY_HIGHER:
        return "HIGHER";
    case ARMCPU_POLICY_HIGHER_OR_ZERO:
        return "HIGHER_OR_ZERO";
    case ARMCPU_POLICY_EXACT:
        return "EXACT";
    case ARMCPU_POLICY_HOST_ONLY:
        return "HOST_ONLY";
    }
    return "?";
}

size_t armcpu_field_value_count(const armcpu_field *f) { return f->n_values; }

bool armcpu_field_value_at(const armcpu_field *f, size_t i, uint64_t *value,
                           const char **name, const char **feat)
{
    if (i >= f->n_values)
        return false;
    if (value)
        *value = f->values[i].value;
    if (name)
        *name = f->values[i].name;
    if (feat)
        *feat = f->values[i].feat;
    return true;
}

const char *armcpu_field_value_name(const armcpu_field *f, uint64_t v)
{
    for (size_t i = 0; i < f->n_values; i++)
        if (f->values[i].value == v)
            return f->values[i].name;
    return NULL;
}

uint64_t armcpu_field_get(const armcpu_field *f, uint64_t reg_value)
{
    return (reg_value >> f->lsb) & width_mask(f->width);
}

static int64_t sign_extend(uint64_t v, unsigned width)
{
    if (width >= 64)
        return (int64_t)v;
    uint64_t sign = 1ULL << (width - 1);
    return (int64_t)((v ^ sign) - sign);
}

int64_t armcpu_field_get_signed(const armcpu_field *f, uint64_t reg_value)
{
    uint64_t v = armcpu_field_get(f, reg_value);
    return f->is_signed ? sign_extend(v, f->width) : (int64_t)v;
}

int armcpu_field_set(const armcpu_field *f, uint64_t *reg_value, uint64_t v,
                     armcpu_error *err)
{
    if (v & ~width_mask(f->width))
        return armcpu_set_error(
            err, ARMCPU_ERR_INVALID,
            "value 0x%llx does not fit %s.%s (%u bits: 0..0x%llx)",
            (unsigned long long)v, armcpu_field_reg(f)->name, f->name,
            f->width, (unsigned long long)width_mask(f->width));
    *reg_value = (*reg_value & ~armcpu_field_mask(f)) | (v << f->lsb);
    return ARMCPU_OK;
}

armcpu_policy armcpu_field_kvm_policy(const armcpu_field *f)
{
    /* KVM overrides cpufeature.c for the PMU and debug versions so that a
     * VMM may lower them (arch/arm64/kvm/sys_regs.c kvm_arm64_ftr_safe_value);
     * the generator records it per field. */
    return f->kvm_policy;
}

static int compare_values(const armcpu_field *f, uint64_t a, uint64_t b)
{
    if (f->is_signed) {
        int64_t sa = sign_extend(a, f->width), sb = sign_extend(b, f->width);
        return sa < sb ? -1 : sa > sb;
    }
    return a < b ? -1 : a > b;
}

/* Writes the reason only when the caller asked for one: formatting is most
 * of the cost of a check (tools/bench). */
static void explain(char *reason, size_t size, const char *fmt, ...)
    ARMCPU_PRINTF(3, 4);

static void explain(char *reason, size_t size, const char *fmt, ...)
{
    if (!reason || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, size, fmt, ap);
    va_end(ap);
}

bool armcpu_field_is_safe(const armcpu_field *f, uint64_t value,
                          uint64_t host, char *reason, size_t reason_size)
{
    return armcpu_safe_rule(f, armcpu_field_kvm_policy(f), value, host, reason, reason_size);
}

/* arm64_check_features for one field under policy p (the kernel's). */
bool armcpu_safe_rule(const armcpu_field *f, armcpu_policy p, uint64_t value, uint64_t host,
                      char *reason, size_t reason_size)
{
    if (reason && reason_size)
        reason[0] = 0;
    uint64_t m = width_mask(f->width);
    if (value & ~m) {
        explain(reason, reason_size, "0x%llx does not fit the %u-bit field",
                 (unsigned long long)value, f->width);
        return false;
    }
    if (host & ~m) {
        explain(reason, reason_size,
                 "host value 0x%llx does not fit the %u-bit field",
                 (unsigned long long)host, f->width);
        return false;
    }
    if (value == host)
        return true; /* arm64_check_features: equal to the limit is fine */
    const char *sgn = f->is_signed ? "signed " : "unsigned ";
    int c = compare_values(f, value, host);
    switch (p) {
    case ARMCPU_POLICY_LOWER:
        if (c < 0)
            return true;
        explain(reason, reason_size,
                 "LOWER: 0x%llx is above the host's 0x%llx (%scompare)",
                 (unsigned long long)value, (unsigned long long)host, sgn);
        return false;
    case ARMCPU_POLICY_HIGHER:
        if (c > 0)
            return true;
        explain(reason, reason_size,
                 "HIGHER: 0x%llx is below the host's 0x%llx (%scompare)",
                 (unsigned long long)value, (unsigned long long)host, sgn);
        return false;
    case ARMCPU_POLICY_HIGHER_OR_ZERO:
        /* cpufeature.c: 0 on either side is the safe value, else the max. */
        if (value == 0 || (host != 0 && c > 0))
            return true;
        if (host == 0)
            explain(reason, reason_size,
                     "HIGHER_OR_ZERO: the host has 0, so only 0 is safe, not "
                     "0x%llx",
                     (unsigned long long)value);
        else
            explain(reason, reason_size,
                     "HIGHER_OR_ZERO: 0x%llx is neither 0 nor at least the "
                     "host's 0x%llx",
                     (unsigned long long)value, (unsigned long long)host);
        return false;
    case ARMCPU_POLICY_EXACT:
        if (value == f->safe_value)
            return true;
        explain(reason, reason_size,
                 "EXACT: only the host's 0x%llx or the safe value 0x%llx, not "
                 "0x%llx",
                 (unsigned long long)host, (unsigned long long)f->safe_value,
                 (unsigned long long)value);
        return false;
    case ARMCPU_POLICY_HOST_ONLY:
        explain(reason, reason_size,
                 "HOST_ONLY: the kernel has no safe rule for this field, only "
                 "the host's 0x%llx is accepted, not 0x%llx",
                 (unsigned long long)host, (unsigned long long)value);
        return false;
    }
    return false;
}

void armcpu_field_safe_values(const armcpu_field *f, uint64_t host,
                              uint64_t values[16], size_t *n)
{
    *n = 0;
    if (f->width > 4) {
        return;
    }
    for (uint64_t v = 0; v <= width_mask(f->width); v++)
        if (armcpu_field_is_safe(f, v, host, NULL, 0))
            values[(*n)++] = v;
}

void armcpu_field_safe_ranges(const armcpu_field *f, uint64_t host,
                              uint64_t ranges[4], size_t *n)
{
    uint64_t m = width_mask(f->width);
    host &= m;
    *n = 0;
    armcpu_policy p = armcpu_field_kvm_policy(f);
    uint64_t smin = 0, smax = m; /* unsigned bounds of the encoding */
    /* For signed fields, walk in signed order: min is 1<<(w-1), max below. */
    uint64_t sign = f->is_signed ? 1ULL << (f->width - 1) : 0;
    if (f->is_signed) {
        smin = sign;
        smax = sign - 1;
    }
#define ADD(lo, hi)                                                            \
    do {                                                                       \
        ranges[2 * *n] = (lo);                                                 \
        ranges[2 * *n + 1] = (hi);                                             \
        (*n)++;                                                                \
    } while (0)
    switch (p) {
    case ARMCPU_POLICY_LOWER:
        if (f->is_signed && (host & sign)) {
            ADD(smin, host); /* negative: from most negative up to host */
        } else if (f->is_signed) {
            ADD(smin, m); /* all negatives */
            ADD(0, host);
        } else {
            ADD(0, host);
        }
        break;
    case ARMCPU_POLICY_HIGHER:
        if (f->is_signed && (host & sign)) {
            ADD(host, m);
            ADD(0, smax);
        } else {
            ADD(host, f->is_signed ? smax : m);
        }
        break;
    case ARMCPU_POLICY_HIGHER_OR_ZERO:
        if (host == 0)
            ADD(0, 0);
        else {
            ADD(0, 0);
            ADD(host, m);
        }
        break;
    case ARMCPU_POLICY_EXACT:
        ADD(host, host);
        if (f->safe_value != host)
            ADD(f->safe_value, f->safe_value);
        break;
    case ARMCPU_POLICY_HOST_ONLY:
        ADD(host, host);
        break;
    }
#undef ADD
}

int armcpu_parse_u64(const char *text, const char *what, uint64_t *out,
                     armcpu_error *err)
{
    const char *s = text ? text : "";
    int base = 10;
    const char *digits = s;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        digits = s + 2;
    } else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        digits = s + 2;
    }
    bool ok = *digits != 0;
    for (const char *p = digits; *p && ok; p++) {
        int c = tolower((unsigned char)*p);
        int d = isdigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : 99;
        ok = d < base;
    }
    if (!ok)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s: '%s' is not a number (expected decimal, "
                                "0x hex or 0b binary, 0..2^64-1)",
                                what, s);
    errno = 0;
    char *end;
    unsigned long long v = strtoull(digits, &end, base);
    if (errno == ERANGE || *end)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s: '%s' does not fit 64 bits", what, s);
    *out = v;
    return ARMCPU_OK;
}
