/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A rolling kernel upgrade: can a guest started under kernel A on these
 * hosts move to them running kernel B? Every host is taken in both views
 * (re-derived by armcpu_host_apply_kernel), and
 *  - the spec is the baseline of all of them (it must be usable before and
 *    after, so the guest can also move back while the upgrade rolls);
 *  - a host-passthrough guest of each host (what it saw under A) is checked
 *    against the same host under B, field by field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_internal.h"

struct upgrade_field {
    const armcpu_field *field; /* NULL: a vCPU configuration item */
    uint64_t before, after;
    armcpu_verdict verdict;
    char *reason;
    int config; /* the item, or -1 */
};

struct upgrade_host {
    char *name;
    size_t blockers, unknown;
    struct upgrade_field *f;
    size_t n, cap;
};

struct armcpu_upgrade {
    char *from, *to;
    armcpu_baseline *b;
    struct upgrade_host *h;
    size_t n;
};

void armcpu_upgrade_free(armcpu_upgrade *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        for (size_t k = 0; k < u->h[i].n; k++)
            free(u->h[i].f[k].reason);
        free(u->h[i].f);
        free(u->h[i].name);
    }
    free(u->h);
    armcpu_baseline_free(u->b);
    free(u->from);
    free(u->to);
    free(u);
}

/* Renames a class copy "NAME@V" (names allow '.', '-', '_': "NAME-at-V"). */
static int rename_for(armcpu_host *h, const char *version, armcpu_error *err)
{
    char name[128];
    snprintf(name, sizeof name, "%.40s-at-%.20s", armcpu_host_name(h), version);
    return armcpu_host_set_info(h, name, NULL, NULL, err);
}

struct collect {
    struct upgrade_host *uh;
    const armcpu_host *before;
    bool oom;
};

static void collect_field(const armcpu_field_check *c, void *opaque)
{
    struct collect *cl = opaque;
    struct upgrade_host *uh = cl->uh;
    armcpu_verdict v = c->verdict;
    /* a field the A view does not know: its guest value is not known either */
    if (c->field && (armcpu_host_reg_unknown(cl->before, c->reg) & armcpu_field_mask(c->field)))
        v = ARMCPU_VERDICT_UNKNOWN;
    if (!armcpu_verdict_blocks(v) && !armcpu_verdict_unknown(v))
        return;
    if (!c->field && !c->is_config) {
        uh->blockers += armcpu_verdict_blocks(v); /* bits outside fields */
        return;
    }
    struct upgrade_field *nf = armcpu_grow(uh->f, &uh->cap, uh->n, sizeof *nf, 8);
    char *reason = armcpu_strdup(v == c->verdict ? c->reason
                                                 : "the kernel-A view hid this field: what "
                                                   "the guest saw is not known");
    if (!nf || !reason) {
        free(reason);
        cl->oom = true;
        return;
    }
    uh->f = nf;
    uh->f[uh->n++] = (struct upgrade_field){c->field, c->model_value, c->host_value, v, reason,
                                            c->is_config ? (int)c->config : -1};
    uh->blockers += armcpu_verdict_blocks(v);
    uh->unknown += armcpu_verdict_unknown(v);
}

/* The guest a host gave under kernel A: its values ("host") and the vCPU
 * configuration it recorded there (a saved state carries the firmware
 * registers and vector lengths the guest had, which B's KVM must take). */
static armcpu_cpu *passthrough_of(const armcpu_ctx *ctx, const armcpu_host *a, armcpu_error *err)
{
    armcpu_cpu *plain = armcpu_realize_on_host(ctx, "host", a, true, err);
    if (!plain)
        return NULL;
    unsigned feats = armcpu_cpu_vcpu_features(plain);
    struct strbuf s = {0};
    sb_add(&s, "host");
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t v;
        unsigned need = armcpu_config_needs((armcpu_config)c);
        char t[256];
        if (!armcpu_host_config(a, (armcpu_config)c, &v) || (need && !(feats & need)) ||
            armcpu_config_vmm_opt_in((armcpu_config)c) ||
            armcpu_config_spec_text((armcpu_config)c, v, t, sizeof t) <= 0)
            continue;
        sb_add(&s, ",%s", t);
    }
    armcpu_cpu_free(plain);
    if (s.oom) {
        free(s.s);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    armcpu_cpu *cpu = armcpu_realize_on_host(ctx, s.s, a, true, err);
    free(s.s);
    return cpu;
}

int armcpu_upgrade_config_at(const armcpu_upgrade *u, size_t i, size_t k)
{
    return i < u->n && k < u->h[i].n ? u->h[i].f[k].config : -1;
}

armcpu_upgrade *armcpu_upgrade_new(const armcpu_ctx *ctx, const armcpu_fleet *fleet,
                                   const char *from, const char *to, const char *base,
                                   armcpu_error *err)
{
    if (!from || !to || !*from || !*to) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "a kernel upgrade needs --from A and --to B");
        return NULL;
    }
    armcpu_upgrade *u = calloc(1, sizeof *u);
    armcpu_fleet *fa = NULL, *fb = NULL, *both = NULL;
    if (!u || !(u->from = armcpu_strdup(from)) || !(u->to = armcpu_strdup(to))) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!(fa = armcpu_fleet_with_kernel(fleet, from, err)) ||
        !(fb = armcpu_fleet_with_kernel(fleet, to, err)) || !(both = armcpu_fleet_new()))
        goto fail;
    size_t nc = armcpu_fleet_class_count(fleet);
    u->h = calloc(nc ? nc : 1, sizeof *u->h);
    if (!u->h) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto fail;
    }
    /* the two views of every class, renamed so the baseline's findings say
     * which kernel a class stands for */
    for (int side = 0; side < 2; side++) {
        const armcpu_fleet *fs = side ? fb : fa;
        for (size_t c = 0; c < armcpu_fleet_class_count(fs); c++) {
            armcpu_host *h = armcpu_host_dup(armcpu_fleet_class_host(fs, c), err);
            int rc = h ? rename_for(h, side ? to : from, err) : -1;
            if (!rc)
                rc = armcpu_fleet_add(both, h, armcpu_fleet_class_size(fs, c), err);
            armcpu_host_free(h);
            if (rc)
                goto fail;
        }
    }
    if (!(u->b = armcpu_fleet_baseline(ctx, both, base, err)))
        goto fail;
    /* passthrough: each host as its guest saw it under A, on itself under B */
    for (size_t c = 0; c < nc; c++) {
        armcpu_host *a = armcpu_host_dup(armcpu_fleet_class_host(fleet, c), err);
        armcpu_host *b = a ? armcpu_host_dup(a, err) : NULL;
        struct upgrade_host *uh = &u->h[u->n];
        int rc = !a || !b ? -1 : 0;
        if (!rc && !(uh->name = armcpu_strdup(armcpu_host_name(a))))
            rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        if (!rc)
            u->n++;
        if (!rc)
            rc = armcpu_host_apply_kernel(a, from, err);
        if (!rc)
            rc = armcpu_host_apply_kernel(b, to, err);
        armcpu_cpu *cpu = rc ? NULL : passthrough_of(ctx, a, err);
        if (!rc && !cpu)
            rc = -1;
        if (!rc) {
            struct collect cl = {uh, a, false};
            armcpu_check(cpu, b, collect_field, &cl);
            if (cl.oom)
                rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        }
        armcpu_cpu_free(cpu);
        armcpu_host_free(a);
        armcpu_host_free(b);
        if (rc)
            goto fail;
    }
    armcpu_fleet_free(fa);
    armcpu_fleet_free(fb);
    armcpu_fleet_free(both);
    return u;
fail:
    armcpu_fleet_free(fa);
    armcpu_fleet_free(fb);
    armcpu_fleet_free(both);
    armcpu_upgrade_free(u);
    return NULL;
}

const char *armcpu_upgrade_from(const armcpu_upgrade *u) { return u->from; }
const char *armcpu_upgrade_to(const armcpu_upgrade *u) { return u->to; }
const armcpu_baseline *armcpu_upgrade_baseline(const armcpu_upgrade *u) { return u->b; }
size_t armcpu_upgrade_host_count(const armcpu_upgrade *u) { return u->n; }

const char *armcpu_upgrade_host_name(const armcpu_upgrade *u, size_t i)
{
    return i < u->n ? u->h[i].name : NULL;
}

armcpu_answer armcpu_upgrade_passthrough(const armcpu_upgrade *u, size_t i)
{
    return i < u->n ? armcpu_answer_of(u->h[i].blockers, u->h[i].unknown) : ARMCPU_ANSWER_UNKNOWN;
}

size_t armcpu_upgrade_field_count(const armcpu_upgrade *u, size_t i)
{
    return i < u->n ? u->h[i].n : 0;
}

bool armcpu_upgrade_field_at(const armcpu_upgrade *u, size_t i, size_t k,
                             const armcpu_field **field, uint64_t *before, uint64_t *after,
                             armcpu_verdict *verdict, const char **reason)
{
    if (i >= u->n || k >= u->h[i].n)
        return false;
    const struct upgrade_field *f = &u->h[i].f[k];
    *field = f->field;
    *before = f->before;
    *after = f->after;
    *verdict = f->verdict;
    *reason = f->reason;
    return true;
}

armcpu_answer armcpu_upgrade_answer(const armcpu_upgrade *u)
{
    return armcpu_baseline_answer(u->b);
}

char *armcpu_upgrade_to_json(const armcpu_upgrade *u)
{
    struct json_object *root = armcpu_json_doc("armcpu-upgrade");
    json_object_object_add(root, "from", json_object_new_string(u->from));
    json_object_object_add(root, "to", json_object_new_string(u->to));
    json_object_object_add(root, "answer",
                           json_object_new_string(armcpu_answer_name(armcpu_upgrade_answer(u))));
    char *bj = armcpu_baseline_to_json(u->b);
    struct json_object *b = bj ? json_tokener_parse(bj) : NULL;
    free(bj);
    json_object_object_add(root, "baseline", b);
    struct json_object *hosts = json_object_new_array();
    for (size_t i = 0; i < u->n; i++) {
        struct json_object *h = json_object_new_object();
        json_object_object_add(h, "host", json_object_new_string(u->h[i].name));
        json_object_object_add(
            h, "passthrough",
            json_object_new_string(armcpu_answer_name(armcpu_upgrade_passthrough(u, i))));
        struct json_object *fs = json_object_new_array();
        for (size_t k = 0; k < u->h[i].n; k++) {
            const struct upgrade_field *f = &u->h[i].f[k];
            char name[128], hex[96];
            struct json_object *o = json_object_new_object();
            armcpu_config item = (armcpu_config)f->config;
            if (f->config >= 0)
                snprintf(name, sizeof name, "%s", armcpu_config_name(item));
            else
                snprintf(name, sizeof name, "%s.%s", armcpu_reg_name(armcpu_field_reg(f->field)),
                         armcpu_field_name(f->field));
            json_object_object_add(o, "field", json_object_new_string(name));
            if (f->config >= 0)
                armcpu_config_format(item, f->before, hex, sizeof hex);
            else
                snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)f->before);
            json_object_object_add(o, "before", json_object_new_string(hex));
            if (f->config >= 0)
                armcpu_config_format(item, f->after, hex, sizeof hex);
            else
                snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)f->after);
            json_object_object_add(o, "after", json_object_new_string(hex));
            json_object_object_add(o, "verdict",
                                   json_object_new_string(armcpu_verdict_name(f->verdict)));
            json_object_object_add(o, "reason", json_object_new_string(f->reason));
            json_object_array_add(fs, o);
        }
        json_object_object_add(h, "fields", fs);
        json_object_array_add(hosts, h);
    }
    json_object_object_add(root, "hosts", hosts);
    return armcpu_json_text(root);
}
