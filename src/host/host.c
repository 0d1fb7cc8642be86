/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host snapshots: load, check, import, save (docs/host-format.md). */
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "armcpu/host.h"
#include "../core/ctx.h"
#include "../util/util.h"
#include "../util/jsonscan.h"

#define SNAPSHOT_FORMAT "armcpu-host-snapshot"
#define SNAPSHOT_VERSION 1
#define MAX_SNAPSHOT (1u << 20)

static const char *const vcpu_features[] = {"sve", "pmu", "ptrauth"};
#define N_VCPU_FEATURES 3

struct armcpu_host {
    char *name, *kernel, *source;
    unsigned kernel_key; /* armcpu_kernel_key(kernel), for the judgement */
    bool has_masks;
    bool features_known;
    bool feature[N_VCPU_FEATURES];
    uint64_t *value, *mask;
    /* bits no value is known for (a view derived for another kernel whose
     * source view hid them); NULL while none is */
    uint64_t *unknown;
    bool bare_metal; /* "view": "host": an EL1 read, not a KVM guest view */
    /* what the vCPU's mrs read, where it was measured (the rig's probe):
     * an untrapped CTR_EL0 reads the CPU, not KVM's copy; NULL while none */
    uint64_t *guest_read;
    bool *has_guest_read;
    bool has_cntfrq; /* CNTFRQ_EL0, the counter frequency: no ONE_REG */
    uint64_t cntfrq;
    /* the vCPU configuration (armcpu/config.h): bit c of config_known, the
     * value, and where it came from when not measured with the snapshot */
    unsigned config_known;
    uint64_t config[ARMCPU_CONFIG_COUNT];
    char *config_source[ARMCPU_CONFIG_COUNT];
    armcpu_reg_state *state;
    char **absent;
    /* armcpu_host_for_vcpu's answers, by the ARMCPU_VCPU_* kept, made on
     * first use (checks of a spec lacking a feature the host has ask for
     * one per check); installed atomically so threads may share a host
     * they only read; dropped by every change to the host */
    _Atomic(armcpu_host *) vcpu_view[8];
    char *warning; /* set when loaded: core registers missing (or NULL) */
};

/* The kernel key the judgement uses: the release's, and at least 6.7 when
 * the snapshot has writable masks (KVM_ARM_GET_REG_WRITABLE_MASKS arrived in
 * Linux 6.7, so masks come from a 6.7+ KVM whatever the release says). */
static void update_key(armcpu_host *h)
{
    unsigned k = armcpu_kernel_key(h->kernel);
    h->kernel_key = h->has_masks && k && k < 6007 ? 6007 : k;
}

/* After a snapshot is built: the judgement's kernel key, and a warning
 * naming the AArch64 ID registers every KVM exposes (table attribute
 * `core`) that the snapshot lacks: every answer about them is unknown. */
static int host_warning_update(armcpu_host *h, armcpu_error *err);

static int finish(armcpu_host *h, armcpu_error *err)
{
    update_key(h);
    return host_warning_update(h, err);
}

/* The warning names the host: recomputed when the name changes. */
static int host_warning_update(armcpu_host *h, armcpu_error *err)
{
    char names[512] = "";
    size_t used = 0, missing = 0;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        if (!armcpu_reg_is_core(r) || h->state[i] != ARMCPU_REG_UNKNOWN)
            continue;
        missing++;
        if (used < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     used ? ", " : "", armcpu_reg_name(r));
    }
    free(h->warning);
    h->warning = NULL;
    if (!missing)
        return ARMCPU_OK;
    char text[768];
    snprintf(text, sizeof text,
             "%s lacks %zu AArch64 ID register%s every KVM exposes (%s): every answer about "
             "%s fields is unknown",
             h->name, missing, missing == 1 ? "" : "s", names, missing == 1 ? "its" : "their");
    if (!(h->warning = armcpu_strdup(text)))
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    return ARMCPU_OK;
}

static armcpu_host *host_new(void)
{
    size_t n = armcpu_reg_count();
    armcpu_host *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->value = calloc(n, sizeof *h->value);
    h->mask = calloc(n, sizeof *h->mask);
    h->state = calloc(n, sizeof *h->state);
    h->absent = calloc(n, sizeof *h->absent);
    for (size_t i = 0; i < 8; i++)
        atomic_init(&h->vcpu_view[i], NULL);
    h->name = armcpu_strdup("unnamed");
    h->kernel = armcpu_strdup("unknown");
    h->source = armcpu_strdup("unknown");
    if (!h->value || !h->mask || !h->state || !h->absent || !h->name || !h->kernel ||
        !h->source) {
        armcpu_host_free(h);
        return NULL;
    }
    return h;
}

/* Every change to a host goes through a function of this file, which
 * drops the views made of the old host first. */
static void views_drop(armcpu_host *h)
{
    for (size_t i = 0; i < 8; i++)
        armcpu_host_free(atomic_exchange(&h->vcpu_view[i], NULL));
}

const armcpu_host *armcpu_host_vcpu_view(const armcpu_host *h, unsigned features)
{
    /* the cache is the host's own memo, not part of its value: written
     * through the const pointer only by atomic install */
    armcpu_host *self = (armcpu_host *)h;
    unsigned k = features & 7;
    armcpu_host *v = atomic_load(&self->vcpu_view[k]);
    if (v)
        return v;
    if (!(v = armcpu_host_for_vcpu(h, features, NULL)))
        return NULL;
    armcpu_host *none = NULL;
    if (!atomic_compare_exchange_strong(&self->vcpu_view[k], &none, v)) {
        armcpu_host_free(v); /* another thread made it first */
        v = none;
    }
    return v;
}

void armcpu_host_free(armcpu_host *h)
{
    if (!h)
        return;
    views_drop(h);
    if (h->absent)
        for (size_t i = 0; i < armcpu_reg_count(); i++)
            free(h->absent[i]);
    free(h->absent);
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        free(h->config_source[c]);
    free(h->value);
    free(h->mask);
    free(h->unknown);
    free(h->guest_read);
    free(h->has_guest_read);
    free(h->state);
    free(h->warning);
    free(h->name);
    free(h->kernel);
    free(h->source);
    free(h);
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
            return false;
    return true;
}

static bool valid_kernel(const char *s)
{
    if (!strcmp(s, "unknown")) /* a listing that does not say */
        return true;
    if (!isdigit((unsigned char)s[0]) || strlen(s) > 128)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

/* Why KVM does not expose a register: an errno name such as ENOENT. */
static bool valid_reason(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static bool valid_text(const char *s)
{
    if (strlen(s) > 1024)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            return false;
    return true;
}

int armcpu_host_set_info(armcpu_host *h, const char *name, const char *kernel,
                         const char *source, armcpu_error *err)
{
    views_drop(h);
    if (name && !valid_name(name))
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "host name '%s' is not valid (1-64 characters "
                                "A-Z a-z 0-9 . _ -)",
                                name);
    if (kernel && !valid_kernel(kernel))
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "kernel '%s' is not a kernel release (it starts "
                                "with a digit, e.g. 6.12.117+deb13-arm64, or is "
                                "'unknown')",
                                kernel);
    if (source && !valid_text(source))
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "source text has control characters or is longer "
                                "than 1024 bytes");
    const char *in[3] = {name, kernel, source};
    char **out[3] = {&h->name, &h->kernel, &h->source};
    for (int i = 0; i < 3; i++) {
        if (!in[i])
            continue;
        char *d = armcpu_strdup(in[i]);
        if (!d)
            return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        free(*out[i]);
        *out[i] = d;
    }
    update_key(h);
    return name && h->warning ? host_warning_update(h, err) : ARMCPU_OK;
}

/* "0x" + 1..16 hex digits. */
static bool parse_hex(const char *s, uint64_t *v)
{
    if (strncmp(s, "0x", 2) || !s[2] || strlen(s + 2) > 16)
        return false;
    for (const char *p = s + 2; *p; p++)
        if (!isxdigit((unsigned char)*p))
            return false;
    *v = strtoull(s + 2, NULL, 16);
    return true;
}

static const char *string_member(struct json_object *o, const char *key)
{
    struct json_object *m;
    if (!json_object_object_get_ex(o, key, &m) || !json_object_is_type(m, json_type_string))
        return NULL;
    return json_object_get_string(m);
}

/* "vcpu_config": {"sve_vls": "128,256", "pmu_counters": "6", ...}: each
 * item as armcpu_config_format spells it, or {"value": ..., "source": ...}
 * for one not measured with the snapshot (a document, a derivation). */
static int load_config(armcpu_host *h, struct json_object *root, const char *origin,
                       armcpu_error *err)
{
    struct json_object *vc;
    if (!json_object_object_get_ex(root, "vcpu_config", &vc))
        return ARMCPU_OK;
    if (!json_object_is_type(vc, json_type_object))
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s: key 'vcpu_config' must be an object of configuration items",
                                origin);
    json_object_object_foreach(vc, key, val) {
        armcpu_error e = {0};
        int c = armcpu_config_by_name(key, &e);
        if (c < 0)
            return armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: vcpu_config: %s", origin,
                                    e.message);
        const char *text = NULL, *source = NULL;
        struct json_object *jv, *js;
        if (json_object_is_type(val, json_type_string)) {
            text = json_object_get_string(val);
        } else if (json_object_is_type(val, json_type_object) &&
                   json_object_object_get_ex(val, "value", &jv) &&
                   json_object_is_type(jv, json_type_string)) {
            text = json_object_get_string(jv);
            if (json_object_object_get_ex(val, "source", &js)) {
                if (!json_object_is_type(js, json_type_string) ||
                    !valid_text(json_object_get_string(js)))
                    return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                            "%s: vcpu_config.%s.source must be a string of "
                                            "printable text",
                                            origin, key);
                source = json_object_get_string(js);
            }
            json_object_object_foreach(val, k2, v2) {
                (void)v2;
                if (strcmp(k2, "value") && strcmp(k2, "source"))
                    return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                            "%s: vcpu_config.%s: unknown key '%s' (allowed: "
                                            "value, source)",
                                            origin, key, k2);
            }
        } else {
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "%s: vcpu_config.%s must be a string or {\"value\": "
                                    "string, \"source\": string}",
                                    origin, key);
        }
        uint64_t v;
        if (armcpu_config_parse((armcpu_config)c, text, &v, &e) ||
            armcpu_host_set_config(h, (armcpu_config)c, v, source, &e))
            return armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: vcpu_config: %s", origin,
                                    e.message);
    }
    return ARMCPU_OK;
}

armcpu_host *armcpu_host_load_json(const char *text, size_t len, const char *origin,
                                   armcpu_error *err)
{
    if (len > MAX_SNAPSHOT) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "%s: %zu bytes is larger than the %u-byte limit for a "
                         "snapshot",
                         origin, len, MAX_SNAPSHOT);
        return NULL;
    }
    if (len == 0) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: empty file (expected a JSON "
                                                  "host snapshot)", origin);
        return NULL;
    }
    /* the syntax, and every key once in each object (json-c would keep the
     * last of two equal keys without a word) */
    struct armcpu_json_scan sc = {.dup_keys = true};
    if (!armcpu_json_scan(text, len, &sc)) {
        if (sc.dup && sc.dup_parent)
            armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: %.*s.%.*s is given twice (at byte %zu)",
                             origin, (int)sc.dup_parent_len, sc.dup_parent, (int)sc.dup_len,
                             sc.dup, sc.error_at);
        else if (sc.dup)
            armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: key '%.*s' is given twice (at byte %zu)",
                             origin, (int)sc.dup_len, sc.dup, sc.error_at);
        else if (sc.error_at >= len)
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s: the JSON ends at byte %zu before it is complete (a truncated "
                             "file?)",
                             origin, len);
        else
            armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: not valid JSON at byte %zu: %s", origin,
                             sc.error_at, sc.why);
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new();
    if (!tok) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    struct json_object *root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (!root || jerr != json_tokener_success) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: not valid JSON: %s", origin,
                         json_tokener_error_desc(jerr));
        json_object_put(root);
        return NULL;
    }
    armcpu_host *h = NULL;
#define BAD(...)                                                               \
    do {                                                                       \
        armcpu_set_error(err, ARMCPU_ERR_INVALID, __VA_ARGS__);                \
        goto fail;                                                             \
    } while (0)
    if (!json_object_is_type(root, json_type_object))
        BAD("%s: the top level must be a JSON object", origin);
    const char *format = string_member(root, "format");
    if (!format || strcmp(format, SNAPSHOT_FORMAT))
        BAD("%s: key 'format' must be \"%s\"", origin, SNAPSHOT_FORMAT);
    struct json_object *ver;
    if (!json_object_object_get_ex(root, "version", &ver) ||
        !json_object_is_type(ver, json_type_int))
        BAD("%s: key 'version' must be the number %d", origin, SNAPSHOT_VERSION);
    if (json_object_get_int64(ver) != SNAPSHOT_VERSION)
        BAD("%s: key 'version' is %lld; this armcpu reads version %d", origin,
            (long long)json_object_get_int64(ver), SNAPSHOT_VERSION);
    static const char *const known[] = {"format",     "version",        "name",
                                        "source",     "kernel",         "view",
                                        "cntfrq_el0", "writable_masks", "vcpu_features",
                                        "vcpu_config", "registers"};
    json_object_object_foreach(root, key, val) {
        (void)val;
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            ok |= !strcmp(key, known[i]);
        if (!ok)
            BAD("%s: unknown key '%s' (allowed: format, version, name, source, kernel, "
                "view, cntfrq_el0, writable_masks, vcpu_features, vcpu_config, registers)",
                origin, key);
    }
    h = host_new();
    if (!h) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto fail;
    }
    const char *name = string_member(root, "name");
    const char *kernel = string_member(root, "kernel");
    const char *source = string_member(root, "source");
    if (!name)
        BAD("%s: key 'name' is missing or not a string", origin);
    if (!kernel)
        BAD("%s: key 'kernel' is missing or not a string", origin);
    if (!source)
        BAD("%s: key 'source' is missing or not a string", origin);
    armcpu_error e = {0};
    if (armcpu_host_set_info(h, name, kernel, source, &e))
        BAD("%s: %s", origin, e.message);
    struct json_object *wm, *regs, *vw;
    if (json_object_object_get_ex(root, "view", &vw)) {
        const char *v = json_object_is_type(vw, json_type_string) ? json_object_get_string(vw) : "";
        if (strcmp(v, "guest") && strcmp(v, "host"))
            BAD("%s: key 'view' must be \"guest\" (a KVM guest's view, the default) or "
                "\"host\" (a bare-metal EL1 read)",
                origin);
        h->bare_metal = !strcmp(v, "host");
    }
    const char *frq = string_member(root, "cntfrq_el0");
    if (frq || json_object_object_get_ex(root, "cntfrq_el0", NULL)) {
        if (!frq || !parse_hex(frq, &h->cntfrq) || h->cntfrq >> 32)
            BAD("%s: key 'cntfrq_el0' must be a string 0x followed by 1-8 hex digits "
                "(CNTFRQ_EL0 is 32 bits)",
                origin);
        h->has_cntfrq = true;
    }
    if (load_config(h, root, origin, err))
        goto fail;
    if (!json_object_object_get_ex(root, "writable_masks", &wm) ||
        !json_object_is_type(wm, json_type_boolean))
        BAD("%s: key 'writable_masks' must be true or false", origin);
    h->has_masks = json_object_get_boolean(wm);
    struct json_object *vf;
    if (json_object_object_get_ex(root, "vcpu_features", &vf)) {
        if (!json_object_is_type(vf, json_type_array))
            BAD("%s: key 'vcpu_features' must be an array of \"sve\", \"pmu\", "
                "\"ptrauth\"",
                origin);
        h->features_known = true;
        for (size_t i = 0; i < json_object_array_length(vf); i++) {
            struct json_object *it = json_object_array_get_idx(vf, i);
            const char *f = json_object_is_type(it, json_type_string) ? json_object_get_string(it) : "";
            size_t k = 0;
            while (k < N_VCPU_FEATURES && strcmp(f, vcpu_features[k]))
                k++;
            if (k == N_VCPU_FEATURES)
                BAD("%s: vcpu_features[%zu] '%s' is not one of sve, pmu, ptrauth", origin,
                    i, f);
            h->feature[k] = true;
        }
    }
    if (!json_object_object_get_ex(root, "registers", &regs) ||
        !json_object_is_type(regs, json_type_object))
        BAD("%s: key 'registers' must be an object of register name -> {value, "
            "writable}",
            origin);
    json_object_object_foreach(regs, rname, rval) {
        const armcpu_reg *r = NULL;
        for (size_t i = 0; i < armcpu_reg_count(); i++)
            if (!strcmp(armcpu_reg_name(armcpu_reg_at(i)), rname))
                r = armcpu_reg_at(i);
        if (!r) {
            armcpu_error le = {0};
            armcpu_reg_by_name(rname, &le);
            BAD("%s: registers.%s: %s", origin, rname, le.message);
        }
        size_t ri = armcpu_reg_index(r);
        if (!json_object_is_type(rval, json_type_object))
            BAD("%s: registers.%s must be an object", origin, rname);
        const char *absent = string_member(rval, "absent");
        const char *value = string_member(rval, "value");
        const char *mask = string_member(rval, "writable");
        const char *unk = string_member(rval, "unknown");
        const char *gr = string_member(rval, "guest_read");
        json_object_object_foreach(rval, k2, v2) {
            (void)v2;
            if (strcmp(k2, "absent") && strcmp(k2, "value") && strcmp(k2, "writable") &&
                strcmp(k2, "unknown") && strcmp(k2, "guest_read"))
                BAD("%s: registers.%s: unknown key '%s' (allowed: value, writable, "
                    "unknown, guest_read, absent)",
                    origin, rname, k2);
        }
        if (absent) {
            if (value || mask || unk || json_object_object_get_ex(rval, "guest_read", NULL))
                BAD("%s: registers.%s: 'absent' excludes 'value', 'writable', 'unknown' "
                    "and 'guest_read'",
                    origin, rname);
            if (!valid_reason(absent))
                BAD("%s: registers.%s.absent must be a short reason such as ENOENT "
                    "(1-32 of A-Z a-z 0-9 _ -)",
                    origin, rname);
            h->state[ri] = ARMCPU_REG_ABSENT;
            if (!(h->absent[ri] = armcpu_strdup(absent))) {
                armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
                goto fail;
            }
            continue;
        }
        if (!value || !parse_hex(value, &h->value[ri]))
            BAD("%s: registers.%s.value must be a string 0x followed by 1-16 hex "
                "digits",
                origin, rname);
        if (gr || json_object_object_get_ex(rval, "guest_read", NULL)) {
            uint64_t g;
            if (!gr || !parse_hex(gr, &g))
                BAD("%s: registers.%s.guest_read must be a string 0x followed by 1-16 hex "
                    "digits",
                    origin, rname);
            if (armcpu_host_set_guest_read(h, r, g, err))
                goto fail;
        }
        if (unk) {
            uint64_t u;
            if (!parse_hex(unk, &u))
                BAD("%s: registers.%s.unknown must be a string 0x followed by 1-16 hex "
                    "digits",
                    origin, rname);
            if (u & h->value[ri])
                BAD("%s: registers.%s: bits 0x%016llx are both unknown and set in 'value' "
                    "(an unknown bit reads 0 in 'value')",
                    origin, rname, (unsigned long long)(u & h->value[ri]));
            if (armcpu_host_set_unknown(h, r, u, err))
                goto fail;
        }
        if (h->has_masks) {
            if (!mask)
                BAD("%s: registers.%s: missing 'writable' mask (writable_masks is "
                    "true)",
                    origin, rname);
            if (!parse_hex(mask, &h->mask[ri]))
                BAD("%s: registers.%s.writable must be a string 0x followed by 1-16 "
                    "hex digits",
                    origin, rname);
        } else if (mask) {
            BAD("%s: registers.%s has a 'writable' mask but writable_masks is false",
                origin, rname);
        }
        h->state[ri] = ARMCPU_REG_PRESENT;
    }
#undef BAD
    json_object_put(root);
    if (finish(h, err)) {
        armcpu_host_free(h);
        return NULL;
    }
    return h;
fail:
    armcpu_host_free(h);
    json_object_put(root);
    return NULL;
}

armcpu_host *armcpu_host_load_file(const char *path, armcpu_error *err)
{
    size_t len;
    char *text = armcpu_read_text_file(path, MAX_SNAPSHOT, "snapshot", &len, err);
    if (!text)
        return NULL;
    armcpu_host *h = armcpu_host_load_json(text, len, path, err);
    free(text);
    return h;
}

size_t armcpu_host_embedded_count(void) { return armcpu_embedded_hosts_count; }

/* The file name without ".json" (a test checks it is the snapshot's name). */
const char *armcpu_host_embedded_name(size_t i)
{
    return i < armcpu_embedded_hosts_count ? armcpu_embedded_hosts[i].stem : NULL;
}

/* ------------------------------------------------------------ import */

/* Does any AArch32 ID register read non-zero? */
static bool host_has_aarch32(const armcpu_host *h)
{
    for (size_t i = 0; i < armcpu_reg_count(); i++)
        if (armcpu_reg_is_aarch32(armcpu_reg_at(i)) && h->state[i] == ARMCPU_REG_PRESENT && h->value[i])
            return true;
    return false;
}

/* Register of a listing name: a table name, or S3_op1_Cn_Cm_op2. */
static const armcpu_reg *listing_reg(const char *name)
{
    unsigned op1, crn, crm, op2;
    char tail;
    if (sscanf(name, "S3_%u_C%u_C%u_%u%c", &op1, &crn, &crm, &op2, &tail) == 4)
        return armcpu_reg_by_encoding(3, op1, crn, crm, op2, NULL);
    for (size_t i = 0; i < armcpu_reg_count(); i++)
        if (!strcmp(armcpu_reg_name(armcpu_reg_at(i)), name))
            return armcpu_reg_at(i);
    return NULL;
}

/* The feature ID space (op0 3, op1 0/1/3, CRn 0, CRm 0..7): what KVM
 * exposes as ID registers, unallocated ones reading as zero; but MPIDR_EL1
 * (3,0,0,0,5), the vCPU's affinity, which KVM assigns per vCPU. */
static bool in_feature_id_space(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                                unsigned op2)
{
    return op0 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) && crn == 0 && crm <= 7 &&
           !(op1 == 0 && crm == 0 && op2 == 5);
}

/* A value for an ID register the table lacks (a kernel newer than the
 * table's sysreg file allocated it: S3_0_C0_C5_2 is ID_AA64DFR2_EL1 from
 * Linux 6.13): zero is what the table means by it (RAZ, nothing
 * implemented), anything else cannot be judged, so it is refused rather
 * than dropped. */
static int unknown_id_register(const char *origin, int ln, const char *name, uint64_t v,
                               armcpu_error *err)
{
    if (!v)
        return ARMCPU_OK;
    char where[32] = "";
    if (ln > 0)
        snprintf(where, sizeof where, ":%d", ln);
    return armcpu_set_error(err, ARMCPU_ERR_UNSUPPORTED,
                            "%s%s: %s is 0x%016llx, an ID register this field table does not "
                            "know (a newer kernel allocated it): armcpu cannot judge its fields "
                            "and a guest would see the host's; only a zero value can be taken",
                            origin, where, name, (unsigned long long)v);
}

/* Calls fn for each "NAME ... 0xHEX" line; the hex number is the last word. */
static int each_line(const char *text, size_t len, const char *origin,
                     int (*fn)(void *, const char *, uint64_t, int, armcpu_error *),
                     void *opaque, armcpu_error *err)
{
    const char *p = text, *end = text + len;
    int ln = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char line[512];
        ln++;
        if (ll >= sizeof line)
            return armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s:%d: line too long", origin,
                                    ln);
        memcpy(line, p, ll);
        line[ll] = 0;
        p += ll + (nl ? 1 : 0);
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *tok[8];
        int n = 0;
        char *save = NULL;
        for (char *t = strtok_r(line, " \t\r", &save); t && n < 8; t = strtok_r(NULL, " \t\r", &save))
            tok[n++] = t;
        if (n == 0)
            continue;
        uint64_t v;
        if (n < 2 || !parse_hex(tok[n - 1], &v))
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "%s:%d: expected 'REGNAME 0xVALUE' (0x and 1-16 hex "
                                    "digits)",
                                    origin, ln);
        int rc = fn(opaque, tok[0], v, ln, err);
        if (rc)
            return rc;
    }
    return ARMCPU_OK;
}

struct import_ctx {
    armcpu_host *h;
    const char *origin;
    bool masks;
};

static int import_value(void *opaque, const char *name, uint64_t v, int ln, armcpu_error *err)
{
    struct import_ctx *c = opaque;
    const armcpu_reg *r = listing_reg(name);
    if (!r) {
        /* MPIDR (not model state) and masks of registers newer than the
         * table are skipped; an ID-space encoding the table lacks must be
         * zero; other S3_ encodings are not ID registers */
        unsigned op1, crn, crm, op2;
        if (!strcmp(name, "MPIDR_EL1") || c->masks)
            return ARMCPU_OK;
        if (sscanf(name, "S3_%u_C%u_C%u_%u", &op1, &crn, &crm, &op2) == 4)
            return in_feature_id_space(3, op1, crn, crm, op2)
                       ? unknown_id_register(c->origin, ln, name, v, err)
                       : ARMCPU_OK;
        armcpu_error e = {0};
        armcpu_reg_by_name(name, &e);
        return armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND, "%s:%d: %s", c->origin, ln,
                                e.message);
    }
    size_t i = armcpu_reg_index(r);
    if (c->masks) {
        if (c->h->state[i] == ARMCPU_REG_PRESENT)
            c->h->mask[i] = v;
        return ARMCPU_OK;
    }
    if (c->h->state[i] == ARMCPU_REG_PRESENT)
        return armcpu_set_error(err, ARMCPU_ERR_CONFLICT, "%s:%d: %s is listed twice",
                                c->origin, ln, armcpu_reg_name(r));
    c->h->state[i] = ARMCPU_REG_PRESENT;
    c->h->value[i] = v;
    return ARMCPU_OK;
}

/* A probe's "CONFIG <item> <value>" line (tests/kvm/probe.c): sve_vls as
 * 0x<word 0 of KVM_REG_ARM64_SVE_VLS> (bit vq-1, vq 1..16), the others as
 * armcpu_config_parse takes them (numbers, 0x... for the registers). */
static int import_config_line(armcpu_host *h, const char *line, const char *origin, int ln,
                              armcpu_error *err)
{
    char name[64], text[128], extra;
    if (sscanf(line, "CONFIG %63s %127s %c", name, text, &extra) != 2)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "%s:%d: expected 'CONFIG <item> <value>', got '%s'", origin, ln,
                                line);
    armcpu_error e = {0};
    int c = armcpu_config_by_name(name, &e);
    if (c < 0)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s:%d: %s", origin, ln, e.message);
    if (armcpu_host_config(h, (armcpu_config)c, NULL))
        return armcpu_set_error(err, ARMCPU_ERR_CONFLICT, "%s:%d: CONFIG %s is listed twice",
                                origin, ln, name);
    uint64_t v;
    if (c == ARMCPU_CONFIG_SVE_VLS) {
        if (!parse_hex(text, &v) || !v || v >> 16)
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "%s:%d: CONFIG sve_vls '%s': want 0x and the hex word 0 of "
                                    "KVM_REG_ARM64_SVE_VLS, bits 0..15 (vector lengths 128.."
                                    "2048), at least one set",
                                    origin, ln, text);
    } else if (armcpu_config_parse((armcpu_config)c, text, &v, &e)) {
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s:%d: CONFIG %s", origin, ln,
                                e.message);
    }
    if (armcpu_host_set_config(h, (armcpu_config)c, v, NULL, &e))
        return armcpu_set_error(err, e.code, "%s:%d: %s", origin, ln, e.message);
    return ARMCPU_OK;
}

/* The rig's probe output (tests/kvm/probe.c): UNAME, CAP, VCPU, REG, MASK
 * and CONFIG lines between ARMCPU-PROBE-BEGIN and ARMCPU-PROBE-END. */
static armcpu_host *import_probe(const char *text, size_t len, const char *origin,
                                 armcpu_error *err)
{
    armcpu_host *h = host_new();
    if (!h) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    const char *p = text, *end = text + len;
    int ln = 0;
    bool in = false, done = false;
    bool unsupported[N_VCPU_FEATURES] = {false};
    h->features_known = true;
    while (p < end && !done) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char line[512];
        ln++;
        snprintf(line, sizeof line, "%.*s", (int)(ll < sizeof line ? ll : sizeof line - 1), p);
        p += ll + (nl ? 1 : 0);
        line[strcspn(line, "\r")] = 0;
        unsigned e[5], cap, n;
        char word[64], rest[256];
        if (!strncmp(line, "ARMCPU-PROBE-BEGIN", 18)) {
            in = true;
        } else if (!in) {
            continue;
        } else if (!strncmp(line, "ARMCPU-PROBE-END", 16)) {
            done = true;
        } else if (sscanf(line, "UNAME %127s", rest) == 1) {
            if (armcpu_host_set_info(h, NULL, rest, NULL, err))
                goto fail;
        } else if (sscanf(line, "CAP %u %u", &cap, &n) == 2) {
            if (cap == 230)
                h->has_masks = n > 0;
            /* A vCPU feature KVM does not offer leaves nothing unknown: its
             * fields read "not implemented" whatever the VMM asks for. */
            if (cap == 170 && n == 0)
                unsupported[0] = true;
            if (cap == 126 && n == 0)
                unsupported[1] = true;
            if ((cap == 171 || cap == 172) && n == 0)
                unsupported[2] = true;
        } else if (!strncmp(line, "CONFIG ", 7)) {
            if (import_config_line(h, line, origin, ln, err))
                goto fail;
        } else if (sscanf(line, "VCPU %*s features=%255s", rest) == 1) {
            unsigned on = armcpu_vcpu_features_of_list(rest);
            h->feature[0] = (on & ARMCPU_VCPU_SVE) != 0; /* vcpu_features[]: sve, pmu, ptrauth */
            h->feature[1] = (on & ARMCPU_VCPU_PMU) != 0;
            h->feature[2] = (on & ARMCPU_VCPU_PTRAUTH) != 0;
        } else if (sscanf(line, "GUEST (%u,%u,%u,%u,%u) %255s", &e[0], &e[1], &e[2], &e[3],
                          &e[4], rest) == 6) {
            uint64_t v;
            const armcpu_reg *r = armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], NULL);
            bool cntfrq = e[0] == 3 && e[1] == 3 && e[2] == 14 && e[3] == 0 && e[4] == 0;
            if (!parse_hex(rest, &v) || (cntfrq && v >> 32)) {
                armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                 "%s:%d: bad guest read '%s' (0x followed by 1-16 hex digits; "
                                 "CNTFRQ_EL0 is 32 bits)",
                                 origin, ln, rest);
                goto fail;
            }
            if (cntfrq) {
                h->has_cntfrq = true;
                h->cntfrq = v;
            } else if (r && armcpu_host_set_guest_read(h, r, v, err)) {
                goto fail;
            }
        } else if (sscanf(line, "%63s (%u,%u,%u,%u,%u) %255s", word, &e[0], &e[1], &e[2],
                          &e[3], &e[4], rest) == 7 &&
                   (!strcmp(word, "REG") || !strcmp(word, "MASK"))) {
            const armcpu_reg *r = armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], NULL);
            if (!r)
                continue; /* unallocated or not modelled (MPIDR) */
            size_t i = armcpu_reg_index(r);
            uint64_t v;
            if (!strcmp(word, "MASK")) {
                if (!parse_hex(rest, &h->mask[i])) {
                    armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s:%d: bad mask '%s'", origin,
                                     ln, rest);
                    goto fail;
                }
            } else if (h->state[i] != ARMCPU_REG_UNKNOWN) {
                armcpu_set_error(err, ARMCPU_ERR_CONFLICT, "%s:%d: %s is listed twice",
                                 origin, ln, armcpu_reg_name(r));
                goto fail;
            } else if (parse_hex(rest, &v)) {
                h->state[i] = ARMCPU_REG_PRESENT;
                h->value[i] = v;
            } else if (!valid_reason(rest)) {
                armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                 "%s:%d: '%s' is neither 0x followed by 1-16 hex digits nor "
                                 "an errno name such as ENOENT",
                                 origin, ln, rest);
                goto fail;
            } else {
                h->state[i] = ARMCPU_REG_ABSENT;
                if (!(h->absent[i] = armcpu_strdup(rest))) {
                    armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
                    goto fail;
                }
            }
        }
    }
    if (!done) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "%s: probe output without ARMCPU-PROBE-END (the probe did not "
                         "finish)",
                         origin);
        goto fail;
    }
    if (!h->has_masks)
        memset(h->mask, 0, armcpu_reg_count() * sizeof *h->mask);
    for (size_t k = 0; k < N_VCPU_FEATURES; k++)
        h->feature[k] |= unsupported[k];
    /* a mask means nothing without the register's value */
    for (size_t i = 0; i < armcpu_reg_count(); i++)
        if (h->state[i] != ARMCPU_REG_PRESENT)
            h->mask[i] = 0;
    if (finish(h, err))
        goto fail;
    return h;
fail:
    armcpu_host_free(h);
    return NULL;
}

/* ------------------------------------------------------------ Firecracker */

/* Is the text a Firecracker fingerprint (`cpu-template-helper fingerprint
 * dump`: a JSON object with guest_cpu_config)? */
static bool is_fingerprint(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    return i < len && text[i] == '{' && armcpu_memmem(text, len, "\"guest_cpu_config\"", 18);
}

/* A "0b" + binary digits bitmap (Firecracker allows '_' separators) as the
 * low and high 64 bits; false for an 'x' or another character. */
static bool parse_bitmap(const char *s, uint64_t *lo, uint64_t *hi)
{
    if (strncmp(s, "0b", 2))
        return false;
    unsigned bits = 0;
    *lo = *hi = 0;
    for (s += 2; *s; s++) {
        if (*s == '_')
            continue;
        if ((*s != '0' && *s != '1') || ++bits > 128)
            return false;
        *hi = *hi << 1 | *lo >> 63;
        *lo = *lo << 1 | (uint64_t)(*s == '1');
    }
    return bits > 0;
}

/* A fingerprint register that carries a vCPU configuration item (by its
 * KVM id: the firmware registers, SVE_VLS, PMCR_EL0) recorded as the item:
 * PMCR_EL0.N is bits 15:11, the workaround levels the low 4 bits (the
 * register's level mask, KVM_REG_FEATURE_LEVEL_MASK). */
static int fingerprint_config(armcpu_host *h, uint64_t id, uint64_t value, const char *origin,
                              armcpu_error *err)
{
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        if (armcpu_config_kvm_id((armcpu_config)c) != id)
            continue;
        uint64_t v = value;
        if (c == ARMCPU_CONFIG_PMU_COUNTERS)
            v = value >> 11 & 0x1f;
        else if (c == ARMCPU_CONFIG_SMCCC_WA1 || c == ARMCPU_CONFIG_SMCCC_WA2 ||
                 c == ARMCPU_CONFIG_SMCCC_WA3)
            v = value & 0xf;
        char src[160];
        snprintf(src, sizeof src, "%s in the fingerprint (0x%llx)",
                 armcpu_config_kvm_name((armcpu_config)c), (unsigned long long)value);
        armcpu_error e = {0};
        if (armcpu_host_set_config(h, (armcpu_config)c, v, src, &e))
            return armcpu_set_error(err, e.code, "%s: %s", origin, e.message);
    }
    return ARMCPU_OK;
}

/* The snapshot a Firecracker fingerprint records: the kernel release, the
 * vCPU features Firecracker created the vCPU with (none by default: PSCI
 * only; vcpu_features index 0 bits 3 PMU_V3, 4 SVE, 5/6 PTRAUTH), and every
 * register of KVM_GET_REG_LIST with its full value, so a table register it
 * lacks is absent; the firmware registers (and SVE_VLS, PMCR_EL0 where
 * listed) as the vCPU configuration. Other registers (core, timer) are not
 * ID registers and are left out. No writable masks (`--kernel V` adds them). */
static armcpu_host *import_fingerprint(const char *text, size_t len, const char *origin,
                                       armcpu_error *err)
{
    struct armcpu_json_scan sc = {.dup_keys = true};
    if (!armcpu_json_scan(text, len, &sc)) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: not valid JSON at byte %zu: %s", origin,
                         sc.error_at, sc.why);
        return NULL;
    }
    struct json_object *root = json_tokener_parse(text), *cfg, *mods, *jk, *feats;
    armcpu_host *h = root ? host_new() : NULL;
    if (!h) {
        json_object_put(root);
        armcpu_set_error(err, root ? ARMCPU_ERR_NOMEM : ARMCPU_ERR_INVALID,
                         root ? "out of memory" : "%s: not valid JSON", origin);
        return NULL;
    }
    if (!json_object_object_get_ex(root, "guest_cpu_config", &cfg) ||
        !json_object_object_get_ex(cfg, "reg_modifiers", &mods) ||
        !json_object_is_type(mods, json_type_array)) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "%s: a Firecracker fingerprint needs guest_cpu_config.reg_modifiers "
                         "(an array)",
                         origin);
        goto fail;
    }
    char source[256];
    struct json_object *fv;
    snprintf(source, sizeof source, "Firecracker fingerprint %s (firecracker %s)", origin,
             json_object_object_get_ex(root, "firecracker_version", &fv)
                 ? json_object_get_string(fv)
                 : "unknown");
    if (armcpu_host_set_info(h, NULL,
                             json_object_object_get_ex(root, "kernel_version", &jk) &&
                                     json_object_is_type(jk, json_type_string)
                                 ? json_object_get_string(jk)
                                 : NULL,
                             source, err))
        goto fail;
    h->features_known = true;
    memset(h->feature, 0, sizeof h->feature);
    if (json_object_object_get_ex(cfg, "vcpu_features", &feats))
        for (size_t i = 0; i < json_object_array_length(feats); i++) {
            struct json_object *e = json_object_array_get_idx(feats, i), *ji, *jb;
            uint64_t lo, hi;
            if (!json_object_object_get_ex(e, "index", &ji) ||
                !json_object_object_get_ex(e, "bitmap", &jb) ||
                !parse_bitmap(json_object_get_string(jb), &lo, &hi)) {
                armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                 "%s: vcpu_features[%zu] needs an index and a 0b bitmap of 0 "
                                 "and 1",
                                 origin, i);
                goto fail;
            }
            if (json_object_get_int(ji) != 0)
                continue;
            h->feature[0] = (lo >> 4) & 1;                   /* SVE */
            h->feature[1] = (lo >> 3) & 1;                   /* PMU_V3 */
            h->feature[2] = ((lo >> 5) & 1) && ((lo >> 6) & 1); /* PTRAUTH */
        }
    for (size_t i = 0; i < json_object_array_length(mods); i++) {
        struct json_object *m = json_object_array_get_idx(mods, i), *ja, *jb;
        const char *addr = json_object_object_get_ex(m, "addr", &ja) ? json_object_get_string(ja)
                                                                      : NULL;
        uint64_t id, lo, hi;
        if (!addr || !json_object_object_get_ex(m, "bitmap", &jb) || !parse_hex(addr, &id)) {
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s: reg_modifiers[%zu] needs an addr (0x...) and a bitmap", origin,
                             i);
            goto fail;
        }
        if (!parse_bitmap(json_object_get_string(jb), &lo, &hi)) {
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s: reg_modifiers[%zu] (%s): a fingerprint's bitmap is the "
                             "register's value, \"0b\" and up to 128 digits 0 and 1",
                             origin, i, addr);
            goto fail;
        }
        if (fingerprint_config(h, id, lo, origin, err))
            goto fail;
        const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
        unsigned op0, op1, crn, crm, op2, size;
        if (!r && !armcpu_kvm_id_decode(id, &op0, &op1, &crn, &crm, &op2, &size, NULL) &&
            in_feature_id_space(op0, op1, crn, crm, op2)) {
            char name[48];
            snprintf(name, sizeof name, "S3_%u_C%u_C%u_%u (%s)", op1, crn, crm, op2, addr);
            if (unknown_id_register(origin, 0, name, lo, err))
                goto fail;
        }
        if (!r)
            continue; /* not an ID register of the table */
        if (hi) {
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s: reg_modifiers[%zu] (%s, %s): the 64-bit register has bits set "
                             "above bit 63",
                             origin, i, addr, armcpu_reg_name(r));
            goto fail;
        }
        size_t ri = armcpu_reg_index(r);
        if (h->state[ri] != ARMCPU_REG_UNKNOWN) {
            armcpu_set_error(err, ARMCPU_ERR_CONFLICT, "%s: %s is listed twice", origin,
                             armcpu_reg_name(r));
            goto fail;
        }
        h->state[ri] = ARMCPU_REG_PRESENT;
        h->value[ri] = lo;
    }
    json_object_put(root);
    root = NULL;
    /* the list is KVM_GET_REG_LIST's whole: a kernel without
     * KVM_REG_ARM_VENDOR_HYP_BMAP_2 (before 6.15) has none of its services */
    if (!armcpu_host_config(h, ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2, NULL) &&
        armcpu_host_set_config(h, ARMCPU_CONFIG_FW_VENDOR_HYP_BMAP_2, 0,
                               "KVM_REG_ARM_VENDOR_HYP_BMAP_2 not in the fingerprint's "
                               "KVM_GET_REG_LIST: no such services",
                               err))
        goto fail;
    if (armcpu_host_set_unlisted_absent(h, err) || finish(h, err))
        goto fail;
    return h;
fail:
    json_object_put(root);
    armcpu_host_free(h);
    return NULL;
}

armcpu_host *armcpu_host_import(const char *values, size_t values_len, const char *masks,
                                size_t masks_len, const char *origin, armcpu_error *err)
{
    if (armcpu_memmem(values, values_len, "ARMCPU-PROBE-BEGIN", 18)) {
        if (masks) {
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s is probe output, which carries its own masks; give no "
                             "separate mask listing",
                             origin);
            return NULL;
        }
        return import_probe(values, values_len, origin, err);
    }
    if (is_fingerprint(values, values_len)) {
        if (masks) {
            armcpu_set_error(err, ARMCPU_ERR_INVALID,
                             "%s is a Firecracker fingerprint, which has no masks: give "
                             "--kernel V for a kernel's table instead of a mask listing",
                             origin);
            return NULL;
        }
        return import_fingerprint(values, values_len, origin, err);
    }
    armcpu_host *h = host_new();
    if (!h) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    struct import_ctx c = {h, origin, false};
    if (each_line(values, values_len, origin, import_value, &c, err))
        goto fail;
    bool any = false;
    for (size_t i = 0; i < armcpu_reg_count(); i++)
        any |= h->state[i] == ARMCPU_REG_PRESENT;
    if (!any) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "%s: no ID register values found",
                         origin);
        goto fail;
    }
    if (masks) {
        c.masks = true;
        c.origin = "masks";
        h->has_masks = true;
        if (each_line(masks, masks_len, "masks", import_value, &c, err))
            goto fail;
        /* A CPU without AArch32 reads its AArch32 registers as 0 and KVM
         * reports mask 0 for them (measured on a64fx): masks taken from
         * another CPU under the same kernel must follow. */
        if (!host_has_aarch32(h))
            for (size_t i = 0; i < armcpu_reg_count(); i++)
                if (armcpu_reg_is_aarch32(armcpu_reg_at(i)))
                    h->mask[i] = 0;
    }
    if (finish(h, err))
        goto fail;
    return h;
fail:
    armcpu_host_free(h);
    return NULL;
}

/* ------------------------------------------------------------ save */

char *armcpu_host_to_json(const armcpu_host *h)
{
    struct json_object *root = json_object_new_object();
    json_object_object_add(root, "format", json_object_new_string(SNAPSHOT_FORMAT));
    json_object_object_add(root, "version", json_object_new_int(SNAPSHOT_VERSION));
    json_object_object_add(root, "name", json_object_new_string(h->name));
    json_object_object_add(root, "source", json_object_new_string(h->source));
    json_object_object_add(root, "kernel", json_object_new_string(h->kernel));
    if (h->bare_metal)
        json_object_object_add(root, "view", json_object_new_string("host"));
    if (h->has_cntfrq) {
        char hex[16];
        snprintf(hex, sizeof hex, "0x%08llx", (unsigned long long)h->cntfrq);
        json_object_object_add(root, "cntfrq_el0", json_object_new_string(hex));
    }
    if (h->config_known) {
        struct json_object *vc = json_object_new_object();
        for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
            char t[96];
            if (!(h->config_known >> c & 1))
                continue;
            armcpu_config_format((armcpu_config)c, h->config[c], t, sizeof t);
            struct json_object *item = json_object_new_string(t);
            if (h->config_source[c]) {
                struct json_object *o = json_object_new_object();
                json_object_object_add(o, "value", item);
                json_object_object_add(o, "source", json_object_new_string(h->config_source[c]));
                item = o;
            }
            json_object_object_add(vc, armcpu_config_name((armcpu_config)c), item);
        }
        json_object_object_add(root, "vcpu_config", vc);
    }
    json_object_object_add(root, "writable_masks", json_object_new_boolean(h->has_masks));
    if (h->features_known) {
        struct json_object *vf = json_object_new_array();
        for (size_t k = 0; k < N_VCPU_FEATURES; k++)
            if (h->feature[k])
                json_object_array_add(vf, json_object_new_string(vcpu_features[k]));
        json_object_object_add(root, "vcpu_features", vf);
    }
    struct json_object *regs = json_object_new_object();
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        struct json_object *r;
        char hex[32];
        if (h->state[i] == ARMCPU_REG_UNKNOWN)
            continue;
        r = json_object_new_object();
        if (h->state[i] == ARMCPU_REG_ABSENT) {
            json_object_object_add(r, "absent", json_object_new_string(h->absent[i]));
        } else {
            snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)h->value[i]);
            json_object_object_add(r, "value", json_object_new_string(hex));
            if (h->has_masks) {
                snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)h->mask[i]);
                json_object_object_add(r, "writable", json_object_new_string(hex));
            }
            if (h->unknown && h->unknown[i]) {
                snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)h->unknown[i]);
                json_object_object_add(r, "unknown", json_object_new_string(hex));
            }
            if (h->has_guest_read && h->has_guest_read[i]) {
                snprintf(hex, sizeof hex, "0x%016llx", (unsigned long long)h->guest_read[i]);
                json_object_object_add(r, "guest_read", json_object_new_string(hex));
            }
        }
        json_object_object_add(regs, armcpu_reg_name(armcpu_reg_at(i)), r);
    }
    json_object_object_add(root, "registers", regs);
    return armcpu_json_text(root);
}

int armcpu_host_save(const armcpu_host *h, const char *path, armcpu_error *err)
{
    char *text = armcpu_host_to_json(h);
    if (!text)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    int rc = armcpu_write_text_file(path, text, err);
    free(text);
    return rc;
}

/* ------------------------------------------------------------ accessors */

const char *armcpu_host_name(const armcpu_host *h) { return h->name; }
const char *armcpu_host_kernel(const armcpu_host *h) { return h->kernel; }
const char *armcpu_host_source(const armcpu_host *h) { return h->source; }
bool armcpu_host_has_masks(const armcpu_host *h) { return h->has_masks; }

armcpu_reg_state armcpu_host_reg_state(const armcpu_host *h, const armcpu_reg *reg)
{
    return h->state[armcpu_reg_index(reg)];
}

uint64_t armcpu_host_reg_value(const armcpu_host *h, const armcpu_reg *reg)
{
    return h->value[armcpu_reg_index(reg)];
}

uint64_t armcpu_host_reg_unknown(const armcpu_host *h, const armcpu_reg *reg)
{
    return h->unknown ? h->unknown[armcpu_reg_index(reg)] : 0;
}

const uint64_t *armcpu_host_unknown_array(const armcpu_host *h) { return h->unknown; }

bool armcpu_host_is_bare_metal(const armcpu_host *h) { return h->bare_metal; }

void armcpu_host_set_bare_metal(armcpu_host *h, bool bare_metal)
{
    views_drop(h);
    h->bare_metal = bare_metal;
}

void armcpu_host_mark_bare_metal(armcpu_host *h) { armcpu_host_set_bare_metal(h, true); }

int armcpu_host_set_unknown(armcpu_host *h, const armcpu_reg *reg, uint64_t bits,
                            armcpu_error *err)
{
    views_drop(h);
    if (!bits && !h->unknown)
        return ARMCPU_OK;
    if (!h->unknown && !(h->unknown = calloc(armcpu_reg_count(), sizeof *h->unknown)))
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    size_t i = armcpu_reg_index(reg);
    h->unknown[i] = bits;
    h->value[i] &= ~bits; /* an unknown bit reads 0: values stay comparable */
    return ARMCPU_OK;
}

int armcpu_host_set_reg(armcpu_host *h, const armcpu_reg *reg, uint64_t value, uint64_t unknown,
                        armcpu_error *err)
{
    views_drop(h);
    h->value[armcpu_reg_index(reg)] = value;
    return armcpu_host_set_unknown(h, reg, unknown, err);
}

uint64_t armcpu_host_reg_mask(const armcpu_host *h, const armcpu_reg *reg)
{
    return h->has_masks ? h->mask[armcpu_reg_index(reg)] : 0;
}

bool armcpu_host_field_writable(const armcpu_host *h, const armcpu_field *f)
{
    uint64_t m = armcpu_field_mask(f);
    return (armcpu_host_reg_mask(h, armcpu_field_reg(f)) & m) == m;
}

bool armcpu_host_vcpu_feature(const armcpu_host *h, const char *feature)
{
    for (size_t k = 0; k < N_VCPU_FEATURES; k++)
        if (!strcmp(feature, vcpu_features[k]))
            return !h->features_known || h->feature[k];
    return false;
}

unsigned armcpu_vcpu_features_of_list(const char *list)
{
    static const struct {
        const char *prefix;
        unsigned bit;
    } names[] = {{"sve", ARMCPU_VCPU_SVE}, {"pmu", ARMCPU_VCPU_PMU}, {"ptrauth", ARMCPU_VCPU_PTRAUTH}};
    unsigned on = 0;
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (n >= strlen(names[k].prefix) && !strncmp(p, names[k].prefix, strlen(names[k].prefix)))
                on |= names[k].bit;
        p += n + (p[n] == ',');
    }
    return on;
}

int armcpu_host_set_vcpu_features(armcpu_host *h, const char *list, armcpu_error *err)
{
    views_drop(h);
    bool f[N_VCPU_FEATURES] = {false};
    if (strcmp(list, "none")) {
        for (const char *p = list; *p;) {
            size_t n = strcspn(p, ",");
            size_t k = 0;
            while (k < N_VCPU_FEATURES &&
                   (strlen(vcpu_features[k]) != n || strncmp(p, vcpu_features[k], n)))
                k++;
            if (k == N_VCPU_FEATURES)
                return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                        "vCPU feature list '%s': '%.*s' is not one of sve, "
                                        "pmu, ptrauth (or 'none')",
                                        list, (int)n, p);
            f[k] = true;
            p += n + (p[n] == ',');
        }
    }
    memcpy(h->feature, f, sizeof f);
    h->features_known = true;
    return ARMCPU_OK;
}

/* Replaces the writable masks (armcpu_host_apply_kernel); AArch32 registers
 * get 0 when the host has no AArch32. */
int armcpu_host_set_masks(armcpu_host *h, bool has_masks, const uint64_t *masks,
                          const char *kernel, armcpu_error *err)
{
    views_drop(h);
    bool aarch32 = host_has_aarch32(h);
    h->has_masks = has_masks;
    for (size_t i = 0; i < armcpu_reg_count(); i++)
        h->mask[i] =
            has_masks && (aarch32 || !armcpu_reg_is_aarch32(armcpu_reg_at(i))) ? masks[i] : 0;
    char k[160];
    snprintf(k, sizeof k, "%s", kernel);
    int rc = armcpu_host_set_info(h, NULL, k, NULL, err);
    update_key(h);
    return rc;
}

const char *armcpu_host_warning(const armcpu_host *h) { return h->warning; }

int armcpu_host_set_guest_read(armcpu_host *h, const armcpu_reg *reg, uint64_t value,
                               armcpu_error *err)
{
    views_drop(h);
    size_t n = armcpu_reg_count();
    if (!h->guest_read) {
        h->guest_read = calloc(n, sizeof *h->guest_read);
        h->has_guest_read = calloc(n, sizeof *h->has_guest_read);
        if (!h->guest_read || !h->has_guest_read)
            return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    }
    size_t i = armcpu_reg_index(reg);
    h->guest_read[i] = value;
    h->has_guest_read[i] = true;
    return ARMCPU_OK;
}

bool armcpu_host_guest_read(const armcpu_host *h, const armcpu_reg *reg, uint64_t *value)
{
    size_t i = armcpu_reg_index(reg);
    if (!h->has_guest_read || !h->has_guest_read[i])
        return false;
    *value = h->guest_read[i];
    return true;
}

void armcpu_host_clear_guest_reads(armcpu_host *h)
{
    views_drop(h);
    free(h->guest_read);
    free(h->has_guest_read);
    h->guest_read = NULL;
    h->has_guest_read = NULL;
}

bool armcpu_host_config(const armcpu_host *h, armcpu_config c, uint64_t *value)
{
    if ((unsigned)c >= ARMCPU_CONFIG_COUNT || !(h->config_known >> c & 1))
        return false;
    if (value)
        *value = h->config[c];
    return true;
}

const char *armcpu_host_config_source(const armcpu_host *h, armcpu_config c)
{
    return (unsigned)c < ARMCPU_CONFIG_COUNT && (h->config_known >> c & 1) ? h->config_source[c]
                                                                          : NULL;
}

int armcpu_host_set_config(armcpu_host *h, armcpu_config c, uint64_t value, const char *source,
                           armcpu_error *err)
{
    views_drop(h);
    if ((unsigned)c >= ARMCPU_CONFIG_COUNT)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "no such vCPU configuration item (%d)",
                                (int)c);
    char *s = NULL;
    if (source && !(s = armcpu_strdup(source)))
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    free(h->config_source[c]);
    h->config_source[c] = s;
    h->config[c] = value;
    h->config_known |= 1u << c;
    return ARMCPU_OK;
}

void armcpu_host_clear_config(armcpu_host *h, armcpu_config c)
{
    views_drop(h);
    if ((unsigned)c >= ARMCPU_CONFIG_COUNT)
        return;
    free(h->config_source[c]);
    h->config_source[c] = NULL;
    h->config_known &= ~(1u << c);
}

bool armcpu_host_cntfrq(const armcpu_host *h, uint64_t *hz)
{
    if (h->has_cntfrq)
        *hz = h->cntfrq;
    return h->has_cntfrq;
}

void armcpu_host_set_cntfrq(armcpu_host *h, uint64_t hz)
{
    views_drop(h);
    h->has_cntfrq = true;
    h->cntfrq = hz;
}

int armcpu_host_set_unlisted_absent(armcpu_host *h, armcpu_error *err)
{
    views_drop(h);
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        if (h->state[i] != ARMCPU_REG_UNKNOWN)
            continue;
        if (!(h->absent[i] = armcpu_strdup("ENOENT")))
            return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        h->state[i] = ARMCPU_REG_ABSENT;
        h->mask[i] = 0;
    }
    return host_warning_update(h, err);
}

armcpu_host *armcpu_host_from_arrays(const armcpu_reg_state *states, const uint64_t *values,
                                     const uint64_t *masks, const char *const *absent,
                                     const char *name, const char *kernel, const char *source,
                                     bool features_known, unsigned features_on,
                                     armcpu_error *err)
{
    armcpu_host *h = host_new();
    if (!h) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (armcpu_host_set_info(h, name, kernel, source, err))
        goto fail;
    h->has_masks = masks != NULL;
    h->features_known = features_known;
    h->feature[0] = features_on & ARMCPU_VCPU_SVE;
    h->feature[1] = features_on & ARMCPU_VCPU_PMU;
    h->feature[2] = features_on & ARMCPU_VCPU_PTRAUTH;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        h->state[i] = states[i];
        if (states[i] == ARMCPU_REG_PRESENT) {
            h->value[i] = values[i];
            h->mask[i] = masks ? masks[i] : 0;
        } else if (states[i] == ARMCPU_REG_ABSENT &&
                   !(h->absent[i] = armcpu_strdup(absent && absent[i] ? absent[i] : "ENOENT"))) {
            armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    if (finish(h, err))
        goto fail;
    return h;
fail:
    armcpu_host_free(h);
    return NULL;
}

armcpu_host *armcpu_host_dup(const armcpu_host *h, armcpu_error *err)
{
    unsigned on = (h->feature[0] ? ARMCPU_VCPU_SVE : 0) | (h->feature[1] ? ARMCPU_VCPU_PMU : 0) |
                  (h->feature[2] ? ARMCPU_VCPU_PTRAUTH : 0);
    armcpu_host *d =
        armcpu_host_from_arrays(h->state, h->value, h->has_masks ? h->mask : NULL,
                                (const char *const *)h->absent, h->name, h->kernel, h->source,
                                h->features_known, on, err);
    if (!d)
        return NULL;
    d->bare_metal = h->bare_metal;
    d->has_cntfrq = h->has_cntfrq;
    d->cntfrq = h->cntfrq;
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        if ((h->config_known >> c & 1) &&
            armcpu_host_set_config(d, (armcpu_config)c, h->config[c], h->config_source[c], err)) {
            armcpu_host_free(d);
            return NULL;
        }
    for (size_t i = 0; h->has_guest_read && i < armcpu_reg_count(); i++)
        if (h->has_guest_read[i] &&
            armcpu_host_set_guest_read(d, armcpu_reg_at(i), h->guest_read[i], err)) {
            armcpu_host_free(d);
            return NULL;
        }
    for (size_t i = 0; h->unknown && i < armcpu_reg_count(); i++)
        if (armcpu_host_set_unknown(d, armcpu_reg_at(i), h->unknown[i], err)) {
            armcpu_host_free(d);
            return NULL;
        }
    return d;
}

/* FNV-1a over what the judgement reads of a host. */
uint64_t armcpu_host_hash(const armcpu_host *h)
{
    uint64_t x = 0xcbf29ce484222325ULL;
#define MIX(v)                                                                                 \
    do {                                                                                       \
        x ^= (uint64_t)(v);                                                                    \
        x *= 0x100000001b3ULL;                                                                 \
    } while (0)
    MIX(h->kernel_key);
    MIX(armcpu_host_groups_off(h));
    MIX(h->has_masks);
    MIX(h->has_cntfrq ? h->cntfrq + 1 : 0);
    MIX(h->config_known);
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        MIX(h->config_known >> c & 1 ? h->config[c] : 0);
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        MIX(h->state[i]);
        if (h->state[i] == ARMCPU_REG_PRESENT) {
            MIX(h->value[i]);
            MIX(h->value[i] >> 32);
            if (h->unknown && h->unknown[i]) { /* none allocated == all zero */
                MIX(h->unknown[i]);
                MIX(h->unknown[i] >> 32);
            }
            if (h->has_masks) {
                MIX(h->mask[i]);
                MIX(h->mask[i] >> 32);
            }
        }
    }
#undef MIX
    return x;
}

bool armcpu_host_same(const armcpu_host *a, const armcpu_host *b)
{
    if (a->kernel_key != b->kernel_key || a->has_masks != b->has_masks ||
        armcpu_host_groups_off(a) != armcpu_host_groups_off(b))
        return false;
    /* the counter frequency and the vCPU configuration decide migrations
     * too: hosts differing there are different classes */
    if (a->has_cntfrq != b->has_cntfrq || (a->has_cntfrq && a->cntfrq != b->cntfrq) ||
        a->config_known != b->config_known)
        return false;
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++)
        if ((a->config_known >> c & 1) && a->config[c] != b->config[c])
            return false;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        if (a->state[i] != b->state[i])
            return false;
        if (a->state[i] == ARMCPU_REG_PRESENT &&
            (a->value[i] != b->value[i] || (a->has_masks && a->mask[i] != b->mask[i]) ||
             (a->unknown ? a->unknown[i] : 0) != (b->unknown ? b->unknown[i] : 0)))
            return false;
    }
    return true;
}

void armcpu_host_arrays(const armcpu_host *h, const uint64_t **values, const uint64_t **masks,
                        const armcpu_reg_state **states)
{
    *values = h->value;
    *masks = h->has_masks ? h->mask : NULL;
    *states = h->state;
}

unsigned armcpu_host_kernel_key(const armcpu_host *h) { return h->kernel_key; }

unsigned armcpu_host_groups_off(const armcpu_host *h)
{
    if (!h->features_known)
        return 0;
    /* vcpu_features[]: sve, pmu, ptrauth */
    return (h->feature[0] ? 0 : 1u << ARMCPU_GROUP_SVE) |
           (h->feature[1] ? 0 : 1u << ARMCPU_GROUP_PMU) |
           (h->feature[2] ? 0 : 1u << ARMCPU_GROUP_PAUTH);
}
