/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel planning: the fleet's baseline under every known kernel table,
 * each spec verified on every host class under that kernel (the baseline
 * verifies itself with the checks' per-register step), then the oldest
 * kernel that makes the fleet migratable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_internal.h"

#define MIXED32_NOTE                                                                       \
    "the spec has no AArch32 and only some hosts have it: the AArch32 ID registers stay "   \
    "each host's (UNKNOWN to the guest); a VMM migrating from a host without AArch32 to one " \
    "with it must not restore them (KVM refuses e.g. ID_DFR0_EL1.CopDbg 0)"

struct plan_kernel {
    char *version;
    bool measured;
    char caps[256]; /* needed by this spec, or "" */
    armcpu_baseline *b;
    const char *notes[2];
    size_t n_notes;
};

struct armcpu_plan {
    struct plan_kernel *k;
    size_t n;
    long oldest, oldest_measured;
};

void armcpu_plan_free(armcpu_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->k[i].version);
        armcpu_baseline_free(p->k[i].b);
    }
    free(p->k);
    free(p);
}

/* Does the spec's MIDR/REVIDR/AIDR differ from a host's that the kernel can
 * write (only with the VMM capability)? */
static bool needs_imp_id(const armcpu_baseline *b, const armcpu_fleet *f)
{
    for (size_t ri = 0; ri < armcpu_reg_count(); ri++) {
        const armcpu_reg *r = armcpu_reg_at(ri);
        if (!armcpu_reg_is_identity(r))
            continue;
        for (size_t c = 0; c < armcpu_fleet_class_count(f); c++) {
            const armcpu_host *h = armcpu_fleet_class_host(f, c);
            if (armcpu_host_reg_state(h, r) == ARMCPU_REG_PRESENT &&
                armcpu_host_reg_value(h, r) != armcpu_baseline_reg_value(b, r) &&
                armcpu_host_reg_mask(h, r))
                return true;
        }
    }
    return false;
}

static bool host_has_aarch32(const armcpu_host *h)
{
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    return pfr0 && armcpu_host_reg_state(h, pfr0) == ARMCPU_REG_PRESENT &&
           armcpu_pfr0_has_aarch32(armcpu_host_reg_value(h, pfr0));
}

armcpu_plan *armcpu_plan_new(const armcpu_ctx *ctx, const armcpu_fleet *fleet, const char *base,
                             armcpu_error *err)
{
    if (!fleet || armcpu_fleet_class_count(fleet) == 0) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "a plan needs at least one host");
        return NULL;
    }
    armcpu_plan *p = calloc(1, sizeof *p);
    size_t nk = armcpu_kernel_count();
    if (!p || !(p->k = calloc(nk ? nk : 1, sizeof *p->k))) {
        free(p);
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->oldest = p->oldest_measured = -1;
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    for (size_t i = 0; i < nk; i++) {
        struct plan_kernel *k = &p->k[p->n];
        const char *ver = armcpu_kernel_version(i);
        char prov[512];
        armcpu_kernel_provenance(i, prov, sizeof prov);
        if (!(k->version = armcpu_strdup(ver))) {
            armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            goto fail;
        }
        p->n++;
        k->measured = strncmp(prov, "derived", 7) != 0;
        armcpu_fleet *fk = armcpu_fleet_with_kernel(fleet, ver, err);
        if (!fk)
            goto fail;
        k->b = armcpu_fleet_baseline(ctx, fk, base, err);
        if (k->b && armcpu_baseline_possible(k->b)) {
            char caps[256];
            armcpu_kernel_capabilities(i, caps, sizeof caps);
            if (*caps && needs_imp_id(k->b, fk))
                snprintf(k->caps, sizeof k->caps, "%s", caps);
            size_t with32 = 0;
            for (size_t c = 0; c < armcpu_fleet_class_count(fk); c++)
                with32 += host_has_aarch32(armcpu_fleet_class_host(fk, c));
            bool spec32 = pfr0 && armcpu_pfr0_has_aarch32(armcpu_baseline_reg_value(k->b, pfr0));
            if (!spec32 && with32 && with32 < armcpu_fleet_class_count(fk))
                k->notes[k->n_notes++] = MIXED32_NOTE;
            if (p->oldest < 0)
                p->oldest = (long)i;
            if (k->measured && p->oldest_measured < 0)
                p->oldest_measured = (long)i;
        }
        armcpu_fleet_free(fk);
        if (!k->b)
            goto fail;
    }
    return p;
fail:
    armcpu_plan_free(p);
    return NULL;
}

size_t armcpu_plan_kernel_count(const armcpu_plan *p) { return p->n; }
const char *armcpu_plan_kernel(const armcpu_plan *p, size_t i) { return i < p->n ? p->k[i].version : NULL; }
bool armcpu_plan_measured(const armcpu_plan *p, size_t i) { return i < p->n && p->k[i].measured; }
const armcpu_baseline *armcpu_plan_baseline(const armcpu_plan *p, size_t i)
{
    return i < p->n ? p->k[i].b : NULL;
}
const char *armcpu_plan_capabilities(const armcpu_plan *p, size_t i)
{
    return i < p->n ? p->k[i].caps : "";
}
size_t armcpu_plan_note_count(const armcpu_plan *p, size_t i) { return i < p->n ? p->k[i].n_notes : 0; }
const char *armcpu_plan_note_at(const armcpu_plan *p, size_t i, size_t k)
{
    return i < p->n && k < p->k[i].n_notes ? p->k[i].notes[k] : NULL;
}
long armcpu_plan_oldest(const armcpu_plan *p) { return p->oldest; }
long armcpu_plan_oldest_measured(const armcpu_plan *p) { return p->oldest_measured; }

armcpu_answer armcpu_plan_answer(const armcpu_plan *p)
{
    if (p->oldest < 0)
        return ARMCPU_ANSWER_NO;
    return armcpu_baseline_answer(p->k[p->oldest].b);
}

char *armcpu_plan_to_json(const armcpu_plan *p)
{
    struct json_object *root = armcpu_json_doc("armcpu-plan"), *ks = json_object_new_array();
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_kernel *k = &p->k[i];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "kernel", json_object_new_string(k->version));
        json_object_object_add(o, "masks", json_object_new_string(k->measured ? "measured" : "derived"));
        bool ok = armcpu_baseline_possible(k->b);
        json_object_object_add(o, "migratable", json_object_new_boolean(ok));
        json_object_object_add(o, "answer",
                               json_object_new_string(armcpu_answer_name(armcpu_baseline_answer(k->b))));
        struct json_object *blk = json_object_new_array();
        for (size_t c = 0; c < armcpu_baseline_conflict_count(k->b); c++)
            json_object_array_add(blk, json_object_new_string(armcpu_baseline_conflict_at(k->b, c, NULL)));
        json_object_object_add(o, "blockers", blk);
        if (ok) {
            json_object_object_add(o, "spec", json_object_new_string(armcpu_baseline_spec(k->b)));
            struct json_object *ca = json_object_new_array();
            if (*k->caps)
                json_object_array_add(ca, json_object_new_string(k->caps));
            json_object_object_add(o, "vmm-capabilities", ca);
            struct json_object *notes = json_object_new_array();
            for (size_t n = 0; n < k->n_notes; n++)
                json_object_array_add(notes, json_object_new_string(k->notes[n]));
            json_object_object_add(o, "vmm-notes", notes);
            json_object_object_add(o, "unknown-fields", baseline_unknown_json(k->b));
            json_object_object_add(o, "vcpu-config", baseline_config_json(k->b));
        }
        json_object_object_add(o, "identity-differences", baseline_identity_json(k->b));
        json_object_array_add(ks, o);
    }
    json_object_object_add(root, "kernels", ks);
    json_object_object_add(root, "oldest-migratable",
                           p->oldest >= 0 ? json_object_new_string(p->k[p->oldest].version) : NULL);
    json_object_object_add(root, "oldest-migratable-measured",
                           p->oldest_measured >= 0
                               ? json_object_new_string(p->k[p->oldest_measured].version)
                               : NULL);
    return armcpu_json_text(root);
}
