/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Output formats (include/armcpu/out.h): QEMU -cpu arguments in the
 * named-model (feat) and customizable-host (SYSREG_) dialects, and a libvirt
 * domain <cpu> element.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "armcpu/out.h"
#include "util/util.h"

/* ------------------------------------------------------------ text buffer */

struct sbuf {
    char *s;
    size_t len, cap;
    bool oom;
};

static void sb_reserve(struct sbuf *b, size_t more)
{
    if (b->oom || b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *n = realloc(b->s, cap);
    if (!n) {
        b->oom = true;
        return;
    }
    b->s = n;
    b->cap = cap;
}

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    if (b->oom)
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void sb_puts(struct sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_putc(struct sbuf *b, char c) { sb_putn(b, &c, 1); }

static void sb_printf(struct sbuf *b, const char *fmt, ...) ARMCPU_PRINTF(2, 3);
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        sb_putn(b, tmp, (size_t)n);
        return;
    }
    sb_reserve(b, (size_t)n);
    if (b->oom)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Hands the text over, or frees it and reports NOMEM. */
static char *sb_finish(struct sbuf *b, armcpu_error *err)
{
    if (!b->oom && !b->s)
        sb_reserve(b, 0);
    if (b->oom) {
        free(b->s);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    b->s[b->len] = 0;
    return b->s;
}

/* ------------------------------------------------------------ QEMU -cpu */

/* op0 3, op1 0/1/3, CRn 0, CRm 0..7: the range KVM's writable masks cover. */
static bool in_feature_id_space(const armcpu_reg *r)
{
    unsigned op0, op1, crn, crm, op2;
    armcpu_reg_encoding(r, &op0, &op1, &crn, &crm, &op2);
    return op0 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) && crn == 0 && crm <= 7;
}

static bool field_defined(const armcpu_cpu *cpu, const armcpu_field *f, uint64_t v)
{
    return strcmp(armcpu_cpu_field_source(cpu, f), "default") != 0 ||
           armcpu_field_get(f, v) != armcpu_field_default(f);
}

static void qemu_sysreg(struct sbuf *b, const armcpu_cpu *cpu, const uint64_t *writable)
{
    sb_puts(b, "host");
    /* a spec without AArch32 leaves the AArch32 registers to the host, as
     * armcpu_kvm_apply does (KVM refuses e.g. ID_DFR0_EL1.CopDbg 0) */
    bool aarch32 = armcpu_cpu_has_aarch32(cpu);
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        if (!in_feature_id_space(reg) || (!aarch32 && armcpu_reg_is_aarch32(reg)))
            continue;
        uint64_t v = armcpu_cpu_reg_value(cpu, reg);
        uint64_t wmask = writable ? writable[armcpu_reg_index(reg)] : ~UINT64_C(0);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            if ((armcpu_field_mask(f) & ~wmask) || !field_defined(cpu, f, v))
                continue;
            sb_printf(b, ",SYSREG_%s_%s=0x%" PRIx64, armcpu_reg_name(reg),
                      armcpu_field_name(f), armcpu_field_get(f, v));
        }
    }
}

static void qemu_feat(struct sbuf *b, const armcpu_cpu *cpu)
{
    sb_puts(b, armcpu_cpu_name(cpu));
    for (size_t i = 0; i < armcpu_cpu_user_prop_count(cpu); i++) {
        const char *n, *v;
        armcpu_cpu_user_prop_at(cpu, i, &n, &v);
        sb_printf(b, ",%s=%s", n, v);
    }
}

char *armcpu_qemu_cpu_arg(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                          armcpu_qemu_dialect dialect,
                          const uint64_t *writable_masks, armcpu_error *err)
{
    (void)ctx;
    if (!cpu) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "qemu -cpu: no realized cpu given");
        return NULL;
    }
    struct sbuf b = {0};
    switch (dialect) {
    case ARMCPU_QEMU_FEAT:
        qemu_feat(&b, cpu);
        break;
    case ARMCPU_QEMU_SYSREG:
        qemu_sysreg(&b, cpu, writable_masks);
        break;
    default:
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "qemu -cpu: unknown dialect %d; allowed: feat, sysreg",
                         (int)dialect);
        return NULL;
    }
    return sb_finish(&b, err);
}

/* ------------------------------------------------------------ libvirt */

/* Character data and attribute values (quoted with '). */
static void xml_escape(struct sbuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '\'': sb_puts(b, "&apos;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        default:
            /* XML 1.0 forbids most control characters even as references. */
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                sb_putc(b, '?');
            else
                sb_putc(b, (char)c);
        }
    }
}

/* Comment text: no "--" anywhere and no '-' just before the closing "-->". */
static void xml_comment_text(struct sbuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            c = '?';
        sb_putc(b, (char)c);
        if (c == '-' && (s[1] == '-' || s[1] == 0))
            sb_putc(b, ' ');
    }
}

/* libvirt's featureName: [a-zA-Z0-9\-_\.]+ */
static bool libvirt_feature_name_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

enum onoff { ONOFF_NONE, ONOFF_ON, ONOFF_OFF };

/* The number a single-field property's value text stands for (as
 * armcpu_realize reads it: named value, then the field's FEAT_ name, then a
 * number). */
static bool prop_value_number(const armcpu_prop *p, const char *text, uint64_t *out)
{
    for (size_t i = 0; i < armcpu_prop_value_count(p); i++) {
        const char *n;
        uint64_t v;
        if (armcpu_prop_value_at(p, i, &n, &v) && !strcasecmp(n, text)) {
            *out = v;
            return true;
        }
    }
    if (armcpu_prop_field_count(p) != 1)
        return false;
    const armcpu_field *f = armcpu_prop_field_at(p, 0);
    if (armcpu_prop_kind_of(p) != ARMCPU_PROP_SYSREG)
        for (size_t i = 0; i < armcpu_field_value_count(f); i++) {
            const char *n, *feat;
            uint64_t v;
            if (armcpu_field_value_at(f, i, &v, &n, &feat) && feat &&
                !strcasecmp(feat, text)) {
                *out = v;
                return true;
            }
        }
    return armcpu_parse_u64(text, armcpu_prop_name(p), out, NULL) == ARMCPU_OK;
}

/* Does the value mean the property's "on" or "off"? */
static enum onoff value_onoff(const armcpu_prop *p, const char *text)
{
    if (armcpu_prop_kind_of(p) == ARMCPU_PROP_COMPOSITE) {
        if (!strcasecmp(text, "on") || !strcmp(text, "1") || !strcasecmp(text, "true"))
            return ONOFF_ON;
        if (!strcasecmp(text, "off") || !strcmp(text, "0") || !strcasecmp(text, "false"))
            return ONOFF_OFF;
        return ONOFF_NONE;
    }
    if (armcpu_prop_type_of(p) == ARMCPU_PROP_TYPE_FRACTION)
        return ONOFF_NONE;
    uint64_t v;
    if (!prop_value_number(p, text, &v))
        return ONOFF_NONE;
    for (size_t i = 0; i < armcpu_prop_value_count(p); i++) {
        const char *n;
        uint64_t nv;
        if (!armcpu_prop_value_at(p, i, &n, &nv) || nv != v)
            continue;
        if (!strcmp(n, "on"))
            return ONOFF_ON;
        if (!strcmp(n, "off"))
            return ONOFF_OFF;
    }
    return ONOFF_NONE;
}

char *armcpu_libvirt_cpu_xml(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                             armcpu_error *err)
{
    if (!ctx || !cpu) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "libvirt <cpu>: no %s given", ctx ? "realized cpu" : "context");
        return NULL;
    }
    size_t n = armcpu_cpu_user_prop_count(cpu);
    bool *rest = calloc(n ? n : 1, sizeof *rest);
    if (!rest) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    struct sbuf b = {0};
    size_t n_rest = 0;
    sb_puts(&b, "<cpu mode='custom' match='exact' check='full'>\n  <model fallback='forbid'>");
    xml_escape(&b, armcpu_cpu_name(cpu));
    sb_puts(&b, "</model>\n");
    for (size_t i = 0; i < n; i++) {
        const char *name, *value;
        armcpu_cpu_user_prop_at(cpu, i, &name, &value);
        const armcpu_prop *p = armcpu_prop_lookup(ctx, name, NULL);
        enum onoff o = p ? value_onoff(p, value) : ONOFF_NONE;
        if (o == ONOFF_NONE || !libvirt_feature_name_ok(armcpu_prop_name(p))) {
            rest[i] = true;
            n_rest++;
            continue;
        }
        sb_printf(&b, "  <feature policy='%s' name='", o == ONOFF_ON ? "require" : "disable");
        xml_escape(&b, armcpu_prop_name(p));
        sb_puts(&b, "'/>\n");
    }
    if (n_rest) {
        sb_puts(&b, "  <!-- armcpu: not expressible as libvirt features:");
        for (size_t i = 0; i < n; i++) {
            const char *name, *value;
            if (!rest[i])
                continue;
            armcpu_cpu_user_prop_at(cpu, i, &name, &value);
            const armcpu_prop *p = armcpu_prop_lookup(ctx, name, NULL);
            sb_putc(&b, ' ');
            xml_comment_text(&b, p ? armcpu_prop_name(p) : name);
            sb_putc(&b, '=');
            xml_comment_text(&b, value);
        }
        sb_puts(&b, " -->\n");
    }
    sb_puts(&b, "</cpu>\n");
    free(rest);
    return sb_finish(&b, err);
}
