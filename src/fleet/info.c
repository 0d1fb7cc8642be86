/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a host offers: the values each property may take (props-info) and
 * which models run there (query-cpu-definitions with unavailable-features,
 * libvirt domain capabilities), both from the acceptance judgement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meet.h"

static inline bool accepted(armcpu_verdict v)
{
    return v == ARMCPU_VERDICT_SAME || v == ARMCPU_VERDICT_SETTABLE;
}

/* ------------------------------------------------------------ props-info */

struct pi_entry {
    const armcpu_prop *p;
    bool writable, known;
    char **values;
    size_t n_values;
    struct view v;
    unsigned flags;
    uint64_t config_host; /* a vCPU configuration property: the host's item */
};

struct armcpu_props_info {
    struct pi_entry *e;
    size_t n;
};

void armcpu_props_info_free(armcpu_props_info *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        for (size_t k = 0; k < p->e[i].n_values; k++)
            free(p->e[i].values[k]);
        free(p->e[i].values);
    }
    free(p->e);
    free(p);
}

static int pi_add(struct pi_entry *e, const char *text)
{
    char *t = armcpu_strdup(text);
    char **n = t ? realloc(e->values, (e->n_values + 1) * sizeof *n) : NULL;
    if (!n) {
        free(t);
        return ARMCPU_ERR_NOMEM;
    }
    e->values = n;
    e->values[e->n_values++] = t;
    return ARMCPU_OK;
}

/* The spec context of a property's own question: a spec that sets the
 * field, with AArch32 (an AArch32 field is a question about a guest that
 * has AArch32). */
#define PI_FLAGS (ARMCPU_JUDGE_AARCH32 | ARMCPU_JUDGE_SETS)

/* A vCPU configuration property's value on the host, by its item's rule:
 * sveN=on where the host has the length, sveN=off where the host lacks it
 * or has a shorter one to stop at (KVM hides no length below the longest);
 * the others by armcpu_config_judge. */
static bool config_accepts(const struct pi_entry *e, uint64_t v)
{
    armcpu_config c = (armcpu_config)(e->p->config - 1);
    uint64_t h = e->config_host;
    if (e->p->config_vq) {
        uint64_t bit = 1ull << (e->p->config_vq - 1);
        return v ? (h & bit) != 0 : !(h & bit) || (h & (bit - 1));
    }
    return accepted(armcpu_config_judge(c, v, true, h, e->v.v.kernel, NULL, 0));
}

static bool pi_accepts(const struct pi_entry *e, uint64_t v)
{
    if (e->p->kind == ARMCPU_PROP_CONFIG)
        return e->known && config_accepts(e, v);
    return e->known && accepted(meet_judge(e->p->fields[0], v, e->flags, &e->v, NULL, 0));
}

/* The values of a vCPU configuration property the host takes: its names,
 * or the numbers (counts and IPA sizes as one range, bitmaps each subset). */
static int config_values(struct pi_entry *e)
{
    armcpu_config c = (armcpu_config)(e->p->config - 1);
    uint64_t h = e->config_host;
    char text[64];
    if (e->p->n_values) {
        for (size_t k = 0; k < e->p->n_values; k++)
            if (pi_accepts(e, e->p->values[k].value) && pi_add(e, e->p->values[k].name))
                return ARMCPU_ERR_NOMEM;
        return ARMCPU_OK;
    }
    if (c == ARMCPU_CONFIG_PMU_COUNTERS || c == ARMCPU_CONFIG_IPA_BITS) {
        uint64_t lo = c == ARMCPU_CONFIG_IPA_BITS ? 32 : 0;
        while (lo < h && !pi_accepts(e, lo))
            lo++;
        if (lo == h)
            snprintf(text, sizeof text, "0x%llx", (unsigned long long)h);
        else
            snprintf(text, sizeof text, "0x%llx-0x%llx", (unsigned long long)lo,
                     (unsigned long long)h);
        return pi_add(e, text);
    }
    for (uint64_t v = 0; v <= h && v < 256; v++) /* bitmaps: every subset */
        if (pi_accepts(e, v)) {
            snprintf(text, sizeof text, "0x%llx", (unsigned long long)v);
            if (pi_add(e, text))
                return ARMCPU_ERR_NOMEM;
        }
    return ARMCPU_OK;
}

bool armcpu_props_info_accepts(const armcpu_props_info *p, size_t i, uint64_t v)
{
    return i < p->n && pi_accepts(&p->e[i], v);
}

armcpu_props_info *armcpu_props_info_new(const armcpu_ctx *ctx, const armcpu_host *host,
                                         armcpu_error *err)
{
    armcpu_props_info *pi = calloc(1, sizeof *pi);
    if (!pi || !(pi->e = calloc(armcpu_prop_count(ctx) + 1, sizeof *pi->e)))
        goto oom;
    for (size_t i = 0; i < armcpu_prop_count(ctx); i++) {
        const armcpu_prop *p = armcpu_prop_at(ctx, i);
        if (p->kind == ARMCPU_PROP_COMPOSITE || p->kind == ARMCPU_PROP_FRACTIONAL)
            continue; /* their fields are listed one by one */
        if (p->kind == ARMCPU_PROP_CONFIG) {
            struct pi_entry *e = &pi->e[pi->n++];
            e->p = p;
            e->v.v.kernel = armcpu_host_kernel_key(host);
            e->known = armcpu_host_config(host, (armcpu_config)(p->config - 1), &e->config_host);
            if (e->known && config_values(e))
                goto oom;
            e->writable = e->n_values > 1 || (e->n_values == 1 && strchr(e->values[0], '-'));
            continue;
        }
        const armcpu_field *f = p->fields[0];
        const armcpu_reg *r = armcpu_field_reg(f);
        struct pi_entry *e = &pi->e[pi->n++];
        e->p = p;
        e->flags = PI_FLAGS;
        e->v.hosts = 1;
        armcpu_host_reg_view(host, r, &e->v.v);
        e->known = armcpu_view_knows(&e->v.v, f);
        uint64_t fm = armcpu_field_mask(f);
        e->writable = e->known && (e->v.v.writable & fm) == fm;
        if (!e->known)
            continue;
        char text[64];
        if (p->n_values && p->kind != ARMCPU_PROP_SYSREG) {
            for (size_t k = 0; k < p->n_values; k++)
                if (pi_accepts(e, p->values[k].value) && pi_add(e, p->values[k].name))
                    goto oom;
        } else if (f->width <= 4) {
            for (uint64_t v = 0; v < (1u << f->width); v++) {
                snprintf(text, sizeof text, "0x%llx", (unsigned long long)v);
                if (pi_accepts(e, v) && pi_add(e, text))
                    goto oom;
            }
        } else {
            /* wide fields: the host's own, or where writable the ranges the
             * field's rule allows (identity and any-value registers: all) */
            uint64_t hv = armcpu_fget(f, e->v.v.value), ranges[4], wm;
            wm = f->width >= 64 ? ~0ULL : (1ULL << f->width) - 1;
            size_t nr = 1;
            ranges[0] = ranges[1] = hv;
            armcpu_policy pol = armcpu_field_policy_for(f, e->v.v.kernel);
            if (e->writable && (armcpu_reg_is_identity(r) || (r->flags & ARMCPU_REGF_ANY_VALUE))) {
                ranges[0] = 0;
                ranges[1] = wm;
            } else if (e->writable && pol != ARMCPU_POLICY_HOST_ONLY) {
                armcpu_field_safe_ranges(f, hv, ranges, &nr);
            }
            for (size_t k = 0; k < nr; k++) {
                if (ranges[2 * k] == ranges[2 * k + 1])
                    snprintf(text, sizeof text, "0x%llx", (unsigned long long)ranges[2 * k]);
                else
                    snprintf(text, sizeof text, "0x%llx-0x%llx", (unsigned long long)ranges[2 * k],
                             (unsigned long long)ranges[2 * k + 1]);
                if (pi_add(e, text))
                    goto oom;
            }
        }
    }
    return pi;
oom:
    armcpu_props_info_free(pi);
    armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return NULL;
}

size_t armcpu_props_info_count(const armcpu_props_info *p) { return p->n; }
const armcpu_prop *armcpu_props_info_prop(const armcpu_props_info *p, size_t i)
{
    return i < p->n ? p->e[i].p : NULL;
}
bool armcpu_props_info_writable(const armcpu_props_info *p, size_t i)
{
    return i < p->n && p->e[i].writable;
}
bool armcpu_props_info_known(const armcpu_props_info *p, size_t i)
{
    return i < p->n && p->e[i].known;
}
size_t armcpu_props_info_value_count(const armcpu_props_info *p, size_t i)
{
    return i < p->n ? p->e[i].n_values : 0;
}
const char *armcpu_props_info_value_at(const armcpu_props_info *p, size_t i, size_t k)
{
    return i < p->n && k < p->e[i].n_values ? p->e[i].values[k] : NULL;
}

/* A numeric entry's value text ("0x1f" or "0x0-0xff") as a range. */
static bool range_of(const char *text, uint64_t *lo, uint64_t *hi)
{
    char *end;
    *lo = *hi = strtoull(text, &end, 0);
    if (end == text)
        return false;
    if (*end == '-') {
        const char *h = end + 1;
        *hi = strtoull(h, &end, 0);
        if (end == h || *hi < *lo)
            return false;
    }
    return !*end;
}

/* A numeric entry's values as sorted, disjoint inclusive {min, max} ranges. */
static struct json_object *ranges_json(const struct pi_entry *e)
{
    uint64_t *v = malloc((e->n_values ? e->n_values : 1) * 2 * sizeof *v);
    struct json_object *arr = json_object_new_array();
    size_t n = 0;
    for (size_t k = 0; v && k < e->n_values; k++)
        if (range_of(e->values[k], &v[2 * n], &v[2 * n + 1]))
            n++;
    for (size_t i = 1; i < n; i++) /* few ranges: insertion sort by min */
        for (size_t j = i; j > 0 && v[2 * (j - 1)] > v[2 * j]; j--)
            for (int h = 0; h < 2; h++) {
                uint64_t t = v[2 * (j - 1) + h];
                v[2 * (j - 1) + h] = v[2 * j + h];
                v[2 * j + h] = t;
            }
    for (size_t i = 0; i < n;) {
        uint64_t lo = v[2 * i], hi = v[2 * i + 1];
        size_t j = i + 1;
        for (; j < n && (v[2 * j] <= hi || (hi != UINT64_MAX && v[2 * j] == hi + 1)); j++)
            hi = v[2 * j + 1] > hi ? v[2 * j + 1] : hi;
        struct json_object *r = json_object_new_object();
        json_object_object_add(r, "min", json_object_new_uint64(lo));
        json_object_object_add(r, "max", json_object_new_uint64(hi));
        json_object_array_add(arr, r);
        i = j;
    }
    free(v);
    return arr;
}

char *armcpu_props_info_to_json(const armcpu_props_info *p)
{
    struct json_object *root = armcpu_json_doc("armcpu-props-info"), *arr = json_object_new_array();
    json_object_object_add(root, "command", json_object_new_string("query-cpu-props-info"));
    json_object_object_add(root, "follows",
                           json_object_new_string("named CPU models for Arm64 on KVM, RFC v3 "
                                                  "(16 July 2026): typed entries, booleans as "
                                                  "their allowed values, numbers as inclusive "
                                                  "ranges"));
    for (size_t i = 0; i < p->n; i++) {
        const struct pi_entry *e = &p->e[i];
        struct json_object *o = json_object_new_object(), *vals;
        json_object_object_add(o, "name", json_object_new_string(e->p->name));
        json_object_object_add(o, "type",
                               json_object_new_string(armcpu_prop_type_name(e->p->type)));
        if (e->p->type == ARMCPU_PROP_TYPE_NUMERIC) {
            vals = ranges_json(e);
        } else {
            vals = json_object_new_array();
            for (size_t k = 0; k < e->n_values; k++)
                json_object_array_add(vals, e->p->type == ARMCPU_PROP_TYPE_BOOLEAN
                                                ? json_object_new_boolean(
                                                      !strcmp(e->values[k], "on"))
                                                : json_object_new_string(e->values[k]));
        }
        json_object_object_add(o, "supported-values", vals);
        json_object_object_add(o, "writable", json_object_new_boolean(e->writable));
        json_object_object_add(o, "known", json_object_new_boolean(e->known));
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "return", arr);
    return armcpu_json_text(root);
}

/* ------------------------------------------------------------ models-info */

struct mi_entry {
    const armcpu_model *m;
    const char **blockers; /* property names, each once */
    size_t n_blockers, cap;
    size_t blocking, unknown;
    uint64_t implementer;
};

struct armcpu_models_info {
    struct mi_entry *e;
    size_t n;
    const armcpu_ctx *ctx;
};

void armcpu_models_info_free(armcpu_models_info *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].blockers);
    free(m->e);
    free(m);
}

struct mi_collect {
    const armcpu_ctx *ctx;
    struct mi_entry *e;
    bool oom;
};

static void mi_verdict(const armcpu_field_check *c, void *opaque)
{
    struct mi_collect *x = opaque;
    x->e->unknown += armcpu_verdict_unknown(c->verdict);
    if (!armcpu_verdict_blocks(c->verdict))
        return;
    x->e->blocking++;
    const char *name = c->is_config ? armcpu_config_name(c->config)
                       : c->field   ? armcpu_prop_name(armcpu_field_prop(x->ctx, c->field))
                                    : armcpu_reg_name(c->reg);
    /* names are the table's own strings: one pointer per property */
    for (size_t i = 0; i < x->e->n_blockers; i++)
        if (x->e->blockers[i] == name)
            return;
    const char **n = armcpu_grow(x->e->blockers, &x->e->cap, x->e->n_blockers, sizeof *n, 8);
    if (!n) {
        x->oom = true;
        return;
    }
    x->e->blockers = n;
    x->e->blockers[x->e->n_blockers++] = name;
}

armcpu_models_info *armcpu_models_info_new(const armcpu_ctx *ctx, const armcpu_host *host,
                                           armcpu_error *err)
{
    armcpu_models_info *mi = calloc(1, sizeof *mi);
    if (!mi || !(mi->e = calloc(ctx->n_models + 1, sizeof *mi->e))) {
        free(mi);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    mi->ctx = ctx;
    const armcpu_field *imp = armcpu_field_lookup("MIDR_EL1.Implementer", NULL);
    for (size_t i = 0; i < ctx->n_models; i++) {
        const armcpu_model *m = ctx->models[i];
        if (!m->realizable)
            continue;
        armcpu_cpu *cpu = armcpu_realize(ctx, m->name, false, err);
        if (!cpu) {
            armcpu_models_info_free(mi);
            return NULL;
        }
        struct mi_entry *e = &mi->e[mi->n++];
        e->m = m;
        e->implementer = imp ? armcpu_fget(imp, armcpu_cpu_reg_value(cpu, armcpu_field_reg(imp))) : 0;
        struct mi_collect x = {ctx, e, false};
        armcpu_check_verdicts(cpu, host, mi_verdict, &x);
        armcpu_cpu_free(cpu);
        if (x.oom) {
            armcpu_models_info_free(mi);
            armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            return NULL;
        }
    }
    return mi;
}

size_t armcpu_models_info_count(const armcpu_models_info *m) { return m->n; }
const armcpu_model *armcpu_models_info_model(const armcpu_models_info *m, size_t i)
{
    return i < m->n ? m->e[i].m : NULL;
}
armcpu_answer armcpu_models_info_answer(const armcpu_models_info *m, size_t i)
{
    return i < m->n ? armcpu_answer_of(m->e[i].blocking, m->e[i].unknown) : ARMCPU_ANSWER_NO;
}
size_t armcpu_models_info_unknown(const armcpu_models_info *m, size_t i)
{
    return i < m->n ? m->e[i].unknown : 0;
}
size_t armcpu_models_info_blocker_count(const armcpu_models_info *m, size_t i)
{
    return i < m->n ? m->e[i].n_blockers : 0;
}
const char *armcpu_models_info_blocker_at(const armcpu_models_info *m, size_t i, size_t k)
{
    return i < m->n && k < m->e[i].n_blockers ? m->e[i].blockers[k] : NULL;
}

#define SB_LIT(b, lit) sb_put(b, lit, sizeof lit - 1)

/* Written directly (QMP's query-cpu-definitions shape, laid out as the
 * other JSON of the library): a VMM asks this on every start. */
char *armcpu_models_info_to_json(const armcpu_models_info *m)
{
    struct strbuf b = {0};
    sb_add(&b, "{\n  \"format\": \"armcpu-qmp\",\n  \"version\": %d,\n  \"command\": "
               "\"query-cpu-definitions\",\n  \"return\": [",
           ARMCPU_JSON_FORMAT_VERSION);
    for (size_t i = 0; i < m->n; i++) {
        const struct mi_entry *e = &m->e[i];
        if (i)
            SB_LIT(&b, ",");
        SB_LIT(&b, "\n  {\n    \"name\": ");
        sb_json_string(&b, e->m->name);
        SB_LIT(&b, ",\n    \"typename\": ");
        char tn[160];
        snprintf(tn, sizeof tn, "%s-arm-cpu", e->m->name);
        sb_json_string(&b, tn);
        SB_LIT(&b, ",\n    \"static\": true,\n    \"deprecated\": false");
        /* QMP: absent means runnability is not known */
        if (armcpu_models_info_answer(m, i) != ARMCPU_ANSWER_UNKNOWN) {
            SB_LIT(&b, ",\n    \"unavailable-features\": [");
            for (size_t k = 0; k < e->n_blockers; k++) {
                if (k)
                    SB_LIT(&b, ",");
                SB_LIT(&b, "\n      ");
                sb_json_string(&b, e->blockers[k]);
            }
            SB_LIT(&b, "\n    ]");
        }
        SB_LIT(&b, "\n  }");
    }
    SB_LIT(&b, "\n  ]\n}\n");
    return sb_take(&b);
}

static void xml_text(struct strbuf *b, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': sb_add(b, "&lt;"); break;
        case '>': sb_add(b, "&gt;"); break;
        case '&': sb_add(b, "&amp;"); break;
        case '\'': sb_add(b, "&apos;"); break;
        case '"': sb_add(b, "&quot;"); break;
        default: sb_add(b, "%c", *s);
        }
}

/* libvirt's vendor attribute from the model's MIDR implementer code. */
static const char *vendor_of(uint64_t imp)
{
    switch (imp) {
    case 0x41: return "ARM";
    case 0x42: return "Broadcom";
    case 0x43: return "Cavium";
    case 0x48: return "HiSilicon";
    case 0x4e: return "NVIDIA";
    case 0x51: return "Qualcomm";
    case 0x61: return "Apple";
    case 0xc0: return "Ampere";
    default: return "unknown";
    }
}

char *armcpu_models_info_to_domcaps(const armcpu_models_info *m)
{
    struct strbuf b = {0};
    sb_add(&b, "<domainCapabilities>\n  <path>/usr/bin/qemu-system-aarch64</path>\n"
               "  <domain>kvm</domain>\n  <machine>virt</machine>\n  <arch>aarch64</arch>\n"
               "  <cpu>\n    <mode name='host-passthrough' supported='yes'/>\n"
               "    <mode name='maximum' supported='yes'/>\n"
               "    <mode name='host-model' supported='no'/>\n"
               "    <mode name='custom' supported='yes'>\n");
    for (size_t i = 0; i < m->n; i++) {
        const struct mi_entry *e = &m->e[i];
        armcpu_answer a = armcpu_models_info_answer(m, i);
        sb_add(&b, "      <model usable='%s' vendor='%s'>",
               a == ARMCPU_ANSWER_YES ? "yes" : a == ARMCPU_ANSWER_NO ? "no" : "unknown",
               vendor_of(e->implementer));
        xml_text(&b, e->m->name);
        sb_add(&b, "</model>\n");
        if (!e->n_blockers)
            continue;
        /* <blockers> after the model: upstream libvirt's schema */
        sb_add(&b, "      <blockers model='");
        xml_text(&b, e->m->name);
        sb_add(&b, "'>\n");
        for (size_t k = 0; k < e->n_blockers; k++) {
            sb_add(&b, "        <feature name='");
            xml_text(&b, e->blockers[k]);
            sb_add(&b, "'/>\n");
        }
        sb_add(&b, "      </blockers>\n");
    }
    sb_add(&b, "    </mode>\n  </cpu>\n</domainCapabilities>\n");
    return sb_take(&b);
}
