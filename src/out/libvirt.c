/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A libvirt domain <cpu> element (out.h), from the canonical spec: today's
 * custom mode with on/off features, or the value form of the libvirt RFC
 * "Arm CPU features with supported values" (Sandesh Patel, June 2026).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "out_internal.h"

/* Character data and attribute values (quoted with '). */
static void xml_escape(struct strbuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': sb_add(b, "&amp;"); break;
        case '<': sb_add(b, "&lt;"); break;
        case '>': sb_add(b, "&gt;"); break;
        case '\'': sb_add(b, "&apos;"); break;
        case '"': sb_add(b, "&quot;"); break;
        default:
            /* XML 1.0 forbids most control characters even as references. */
            sb_add(b, "%c", c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : (char)c);
        }
    }
}

/* libvirt's featureName: [a-zA-Z0-9\-_\.]+ */
static bool libvirt_feature_name_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

enum onoff { ONOFF_NONE, ONOFF_ON, ONOFF_OFF };

/* Does a canonical property's value mean its "on" or "off"? (The
 * canonical spec writes composites as "off" and other properties by their
 * named value where the property names one.) */
static enum onoff value_onoff(const armcpu_prop *p, const char *text)
{
    if (armcpu_prop_kind_of(p) == ARMCPU_PROP_COMPOSITE)
        return !strcmp(text, "on") ? ONOFF_ON : !strcmp(text, "off") ? ONOFF_OFF : ONOFF_NONE;
    if (armcpu_prop_type_of(p) == ARMCPU_PROP_TYPE_FRACTION)
        return ONOFF_NONE;
    for (size_t i = 0; i < armcpu_prop_value_count(p); i++) {
        const char *n;
        uint64_t v;
        if (!armcpu_prop_value_at(p, i, &n, &v) || strcasecmp(n, text))
            continue;
        if (!strcmp(n, "on"))
            return ONOFF_ON;
        if (!strcmp(n, "off"))
            return ONOFF_OFF;
    }
    return ONOFF_NONE;
}

char *armcpu_libvirt_cpu_xml(const armcpu_ctx *ctx, const armcpu_cpu *cpu,
                             armcpu_libvirt_form form, armcpu_error *err)
{
    if (!ctx || !cpu) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "libvirt <cpu>: no %s given",
                         ctx ? "realized cpu" : "context");
        return NULL;
    }
    if (form != ARMCPU_LIBVIRT_CUSTOM && form != ARMCPU_LIBVIRT_VALUES) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "libvirt <cpu>: unknown form %d; allowed: custom, values", (int)form);
        return NULL;
    }
    char *spec = armcpu_cpu_canonical_spec(ctx, cpu, err);
    if (!spec)
        return NULL;
    struct strbuf b = {0};
    struct out_list bad = {{0}, 0};
    char *save = NULL, *tok = strtok_r(spec, ",", &save);
    sb_add(&b, "<cpu mode='custom' match='exact' check='full'>\n  <model fallback='forbid'>");
    xml_escape(&b, tok);
    sb_add(&b, "</model>\n");
    while ((tok = strtok_r(NULL, ",", &save))) {
        char *eq = strchr(tok, '=');
        if (!eq)
            continue; /* the canonical spec writes name=value only */
        *eq = 0;
        const char *value = eq + 1;
        const armcpu_prop *p = armcpu_prop_lookup(ctx, tok, NULL);
        enum onoff o = p ? value_onoff(p, value) : ONOFF_NONE;
        if (!libvirt_feature_name_ok(tok) || (o == ONOFF_NONE && form == ARMCPU_LIBVIRT_CUSTOM)) {
            char item[320];
            snprintf(item, sizeof item, "%s=%s", tok, value);
            out_list_add(&bad, item);
            continue;
        }
        /* composites and libvirt's own sve128.. features are on/off in
         * every form */
        if (o != ONOFF_NONE && (form == ARMCPU_LIBVIRT_CUSTOM ||
                                armcpu_prop_kind_of(p) == ARMCPU_PROP_COMPOSITE ||
                                (armcpu_prop_kind_of(p) == ARMCPU_PROP_CONFIG &&
                                 armcpu_prop_type_of(p) == ARMCPU_PROP_TYPE_BOOLEAN))) {
            sb_add(&b, "  <feature policy='%s' name='", o == ONOFF_ON ? "require" : "disable");
            xml_escape(&b, tok);
            sb_add(&b, "'/>\n");
            continue;
        }
        sb_add(&b, "  <feature policy='require' name='");
        xml_escape(&b, tok);
        sb_add(&b, "' value='");
        xml_escape(&b, value);
        sb_add(&b, "'/>\n");
    }
    sb_add(&b, "</cpu>\n");
    free(spec);
    if (bad.n) {
        size_t n_bad = bad.n;
        char *list = sb_take(&bad.names);
        armcpu_set_error(err, ARMCPU_ERR_UNSUPPORTED,
                         "libvirt's custom <cpu> takes on/off features only; %zu propert%s of "
                         "the spec %s a value:%s (the value form, --form values, says them)",
                         n_bad, n_bad == 1 ? "y" : "ies", n_bad == 1 ? "has" : "have",
                         list ? list : "");
        free(list);
        free(b.s);
        return NULL;
    }
    free(bad.names.s);
    char *s = sb_take(&b);
    if (!s)
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return s;
}
