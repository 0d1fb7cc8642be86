/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Realization of a model spec "MODEL[,prop=value...]" into a full register
 * set, from the table's defaults (never from a host):
 *   1. defaults, 2. the parent chain from the root, 3. the model,
 *   4. field properties (SYSREG_, feat_, hw_prop_, fractional, cpu_*, elN_mode),
 *   5. composites (sve, pauth, pmu, aarch32), which win; 'on' ones first,
 *      then 'off' ones, so clearing wins where two composites overlap.
 * Steps 4 and 5 do not depend on the order the properties are written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "armcpu/host.h"
#include "../core/ctx.h"
#include "../util/util.h"

#define MAX_SPEC (256u << 10)

struct user_prop {
    char *name;
    char *value;
    const struct armcpu_prop *prop;
};

struct armcpu_cpu {
    const struct armcpu_model *model;
    uint64_t *regs;
    const char **source; /* per flat field (armcpu_field_flat_index): where
                            its value came from, NULL for the default */
    char **owned;        /* the source texts of properties and hosts */
    size_t n_owned;
    char **warnings;
    size_t n_warnings;
    struct user_prop *user;
    size_t n_user;
    uint64_t set_regs; /* bit i: a field of register i was set (model or property) */
    bool aarch32;      /* some ID_AA64PFR0_EL1.ELx is 2 (armcpu_cpu_has_aarch32) */
    unsigned vcpu_features; /* ARMCPU_VCPU_* the values imply (armcpu_cpu_vcpu_features) */
    unsigned config_set;    /* bit c: the spec sets vCPU configuration item c */
    uint64_t config[ARMCPU_CONFIG_COUNT];
};

void armcpu_cpu_free(armcpu_cpu *cpu)
{
    if (!cpu)
        return;
    for (size_t i = 0; i < cpu->n_owned; i++)
        free(cpu->owned[i]);
    free(cpu->owned);
    free(cpu->source);
    for (size_t i = 0; i < cpu->n_warnings; i++)
        free(cpu->warnings[i]);
    free(cpu->warnings);
    for (size_t i = 0; i < cpu->n_user; i++) {
        free(cpu->user[i].name);
        free(cpu->user[i].value);
    }
    free(cpu->user);
    free(cpu->regs);
    free(cpu);
}

/* A source text the cpu owns ("property feat_AES=aes", "host NAME"). */
static const char *own_source(struct armcpu_cpu *cpu, const char *fmt_a, const char *a,
                              const char *b)
{
    char buf[768];
    snprintf(buf, sizeof buf, fmt_a, a, b);
    char **no = realloc(cpu->owned, (cpu->n_owned + 1) * sizeof *no);
    if (!no)
        return NULL;
    cpu->owned = no;
    if (!(no[cpu->n_owned] = armcpu_strdup(buf)))
        return NULL;
    return no[cpu->n_owned++];
}

static void put_field(struct armcpu_cpu *cpu, const armcpu_field *f, uint64_t v,
                      const char *source)
{
    uint64_t *reg = &cpu->regs[f->reg_index];
    armcpu_field_set(f, reg, v, NULL);
    cpu->source[armcpu_field_flat_index(f)] = source;
    if (f->reg_index < 64)
        cpu->set_regs |= 1ULL << f->reg_index;
}

static int add_warning(struct armcpu_cpu *cpu, const char *text)
{
    char **nw = realloc(cpu->warnings, (cpu->n_warnings + 1) * sizeof *nw);
    if (!nw)
        return -1;
    cpu->warnings = nw;
    if (!(nw[cpu->n_warnings] = armcpu_strdup(text)))
        return -1;
    cpu->n_warnings++;
    return 0;
}

static struct armcpu_cpu *cpu_new(void)
{
    struct armcpu_cpu *cpu = calloc(1, sizeof *cpu);
    size_t nregs = armcpu_reg_count(), nf = armcpu_idregs_fields_count;
    if (!cpu)
        return NULL;
    cpu->regs = malloc(nregs * sizeof *cpu->regs);
    cpu->source = calloc(nf ? nf : 1, sizeof *cpu->source);
    if (!cpu->regs || !cpu->source) {
        armcpu_cpu_free(cpu);
        return NULL;
    }
    return cpu;
}

/* The clean slate: every field at its default. */
static void start_default(struct armcpu_cpu *cpu)
{
    for (size_t r = 0; r < armcpu_reg_count(); r++)
        cpu->regs[r] = armcpu_reg_default_value(armcpu_reg_at(r));
}

/* Splits the spec into the model name and user properties. */
static int parse_spec(struct armcpu_cpu *cpu, const char *spec, char **model_name,
                      armcpu_error *err)
{
    size_t len = strlen(spec);
    if (len == 0)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "empty model spec (expected MODEL[,prop=value...], "
                                "e.g. grace-v1,feat_AES=aes)");
    if (len > MAX_SPEC)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "model spec of %zu bytes is longer than the %u-byte "
                                "limit",
                                len, MAX_SPEC);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)spec[i] < 0x21 || (unsigned char)spec[i] > 0x7e)
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "model spec: byte 0x%02x at offset %zu is not "
                                    "allowed (printable ASCII without spaces)",
                                    (unsigned char)spec[i], i);
    const char *p = spec;
    size_t index = 0;
    while (1) {
        const char *comma = strchr(p, ',');
        size_t tl = comma ? (size_t)(comma - p) : strlen(p);
        size_t offset = (size_t)(p - spec);
        if (tl == 0)
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "model spec: empty %s at offset %zu",
                                    index ? "property" : "model name", offset);
        char *tok = malloc(tl + 1);
        if (!tok)
            return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        memcpy(tok, p, tl);
        tok[tl] = 0;
        if (index == 0) {
            *model_name = tok;
        } else {
            char *eq = strchr(tok, '=');
            if (!eq || eq == tok || !eq[1]) {
                armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                 "model spec: '%s' at offset %zu is not "
                                 "prop=value",
                                 tok, offset);
                free(tok);
                return ARMCPU_ERR_INVALID;
            }
            *eq = 0;
            struct user_prop *nu = realloc(cpu->user, (cpu->n_user + 1) * sizeof *nu);
            if (!nu) {
                free(tok);
                return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            }
            cpu->user = nu;
            nu[cpu->n_user].name = tok;
            nu[cpu->n_user].value = armcpu_strdup(eq + 1);
            nu[cpu->n_user].prop = NULL;
            cpu->n_user++;
            if (!nu[cpu->n_user - 1].value)
                return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        }
        index++;
        if (!comma)
            break;
        p = comma + 1;
    }
    return ARMCPU_OK;
}

/* The model realized through its chain: compiled when the model was
 * loaded, copied here. */
static void apply_model(struct armcpu_cpu *cpu, const struct armcpu_model *m)
{
    memcpy(cpu->regs, m->regs, armcpu_reg_count() * sizeof *cpu->regs);
    memcpy(cpu->source, m->field_source, armcpu_idregs_fields_count * sizeof *cpu->source);
    cpu->set_regs = m->set_regs;
}

static int cmp_user(const void *a, const void *b)
{
    const struct user_prop *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

static bool is_el01(const armcpu_field *f)
{
    int el = armcpu_field_exception_level(f);
    return el == 0 || el == 1;
}

static int apply_composite(struct armcpu_cpu *cpu, const struct user_prop *u, bool on,
                           const uint64_t *model_regs, const int *setter,
                           armcpu_error *err)
{
    const char *source = NULL;
    const struct armcpu_prop *p = u->prop;
    bool model_has = false;
    for (size_t i = 0; i < p->n_fields; i++) {
        const armcpu_field *f = p->fields[i];
        uint64_t mv = armcpu_field_get(f, model_regs[f->reg_index]);
        if (is_el01(f) ? mv >= 2 : mv != f->default_value)
            model_has = true;
    }
    if (on && !model_has)
        return armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                "property %s=on: model %s has no %s to restore "
                                "(its fields are all 'not implemented'); only "
                                "off is allowed",
                                p->name, armcpu_cpu_name(cpu), p->name);
    for (size_t i = 0; i < p->n_fields; i++) {
        const armcpu_field *f = p->fields[i];
        uint64_t mv = armcpu_field_get(f, model_regs[f->reg_index]);
        uint64_t v = on ? mv : f->default_value;
        if (!on && is_el01(f))
            v = mv > 1 ? 1 : mv; /* AArch64 only: keep EL0/EL1 implemented */
        int s = setter[armcpu_field_flat_index(f)];
        uint64_t cur = armcpu_field_get(f, cpu->regs[f->reg_index]);
        if (s >= 0 && cur != v) {
            char w[512];
            snprintf(w, sizeof w,
                     "%s=%s overrides %s=%s on %s.%s (composites win)", p->name,
                     u->value, cpu->user[s].name, cpu->user[s].value,
                     armcpu_field_reg(f)->name, f->name);
            if (add_warning(cpu, w))
                return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        }
        if (!source && !(source = own_source(cpu, "property %s=%s", p->name, u->value)))
            return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        put_field(cpu, f, v, source);
    }
    return ARMCPU_OK;
}

/* Computed once per realization: the checks' hot loop asks. */
static bool compute_aarch32(const struct armcpu_cpu *cpu)
{
    const armcpu_reg *pfr0 = armcpu_reg_by_name("ID_AA64PFR0_EL1", NULL);
    if (!pfr0)
        return true; /* no such register: assume the worst, check everything */
    return armcpu_pfr0_has_aarch32(cpu->regs[armcpu_reg_index(pfr0)]);
}

bool armcpu_cpu_has_aarch32(const armcpu_cpu *cpu) { return cpu->aarch32; }

/* The KVM vCPU features a spec's values need (KVM_ARM_VCPU_INIT): SVE when
 * ID_AA64PFR0_EL1.SVE is set, the PMU when PMUVer is a PMUv3 (not 0, not
 * IMPLEMENTATION DEFINED 0xF, which KVM never gives a guest), pointer auth
 * when one of its algorithm fields is set (KVM enables address and generic
 * authentication together). */
unsigned armcpu_vcpu_features_of(const uint64_t *regs)
{
    /* the fields of the sve, pmu and pauth groups (extra-idregs: what KVM
     * hides without the feature), read without name lookups: realization
     * and every check ask */
    const unsigned gs = 1u << ARMCPU_GROUP_SVE, gp = 1u << ARMCPU_GROUP_PMU,
                   ga = 1u << ARMCPU_GROUP_PAUTH;
    unsigned on = 0;
    for (size_t ri = 0; ri < armcpu_idregs_count; ri++) {
        const struct armcpu_reg *r = &armcpu_idregs[ri];
        for (size_t j = 0; j < r->n_fields; j++) {
            const armcpu_field *f = &r->fields[j];
            if (!(f->groups & (gs | gp | ga)))
                continue;
            uint64_t v = armcpu_fget(f, regs[ri]);
            if ((f->groups & gs) && v)
                on |= ARMCPU_VCPU_SVE;
            /* a PMUv3: not 0 (none), not 0xF (IMPLEMENTATION DEFINED, which
             * KVM never gives a guest) */
            if ((f->groups & gp) && v && v != 0xf)
                on |= ARMCPU_VCPU_PMU;
            if ((f->groups & ga) && v)
                on |= ARMCPU_VCPU_PTRAUTH;
        }
    }
    return on;
}

unsigned armcpu_cpu_vcpu_features(const armcpu_cpu *cpu) { return cpu->vcpu_features; }

armcpu_cpu *armcpu_realize(const armcpu_ctx *ctx, const char *spec,
                           bool allow_abstract, armcpu_error *err)
{
    return armcpu_realize_on_host(ctx, spec, NULL, allow_abstract, err);
}

/* The host's own values as the starting point of spec "host,...". */
static int apply_host(struct armcpu_cpu *cpu, const armcpu_host *host, armcpu_error *err)
{
    start_default(cpu);
    const char *source = own_source(cpu, "host %s%s", armcpu_host_name(host), "");
    if (!source)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        if (armcpu_host_reg_state(host, reg) != ARMCPU_REG_PRESENT)
            continue;
        /* keep RES1 bits and the table's layout: only field bits are copied */
        uint64_t hv = armcpu_host_reg_value(host, reg);
        for (size_t i = 0; i < reg->n_fields; i++)
            put_field(cpu, &reg->fields[i], armcpu_field_get(&reg->fields[i], hv), source);
    }
    return ARMCPU_OK;
}

/* The vCPU configuration properties (armcpu/config.h), after the fields:
 * an item needing a vCPU feature the values leave out is an error. The
 * vector lengths are the sveN given on; sveN=off alone starts from the
 * host's lengths for "host" and is an error for a model, whose guest must
 * not depend on the host. */
static int apply_config(struct armcpu_cpu *cpu, const armcpu_host *host, armcpu_error *err)
{
    uint64_t vls_on = 0, vls_off = 0;
    const struct user_prop *setter[ARMCPU_CONFIG_COUNT] = {0}, *sve_any = NULL;
    for (size_t i = 0; i < cpu->n_user; i++) {
        const struct user_prop *u = &cpu->user[i];
        if (u->prop->kind != ARMCPU_PROP_CONFIG)
            continue;
        uint64_t v;
        bool on = false;
        if (armcpu_prop_parse_config(u->prop, u->value, &v, &on, err))
            return err ? err->code : ARMCPU_ERR_INVALID;
        armcpu_config c = (armcpu_config)(u->prop->config - 1);
        if (u->prop->config_vq) {
            if ((on ? vls_off : vls_on) & v)
                return armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                        "%s is given twice, on and off; keep one", u->name);
            *(on ? &vls_on : &vls_off) |= v;
            sve_any = u;
            continue;
        }
        if (setter[c] && cpu->config[c] != v)
            return armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                    "%s is given twice: %s=%s and %s=%s; keep one", u->name,
                                    setter[c]->name, setter[c]->value, u->name, u->value);
        setter[c] = u;
        cpu->config[c] = v;
        cpu->config_set |= 1u << c;
    }
    if (sve_any) {
        uint64_t host_vls;
        if (!vls_on && !(host && armcpu_host_config(host, ARMCPU_CONFIG_SVE_VLS, &host_vls)))
            return armcpu_set_error(
                err, ARMCPU_ERR_INVALID,
                "%s=%s alone does not say which vector lengths the guest has: give them with "
                "sveN=on (sve128=on,sve256=on)%s",
                sve_any->name, sve_any->value,
                host ? "; the host's own lengths are not recorded in its snapshot" : "");
        /* from the host's: a length off takes every longer one with it (KVM
         * caps the length; QEMU's sveN=off on KVM does the same) */
        uint64_t from_off = vls_off ? ~((vls_off & -vls_off) - 1) : 0;
        cpu->config[ARMCPU_CONFIG_SVE_VLS] =
            vls_on ? vls_on & ~vls_off : host_vls & ~from_off;
        cpu->config_set |= 1u << ARMCPU_CONFIG_SVE_VLS;
        setter[ARMCPU_CONFIG_SVE_VLS] = sve_any;
        if (!cpu->config[ARMCPU_CONFIG_SVE_VLS])
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "%s=%s leaves the guest no SVE vector length; use sve=off "
                                    "for a guest without SVE",
                                    sve_any->name, sve_any->value);
    }
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        unsigned need = armcpu_config_needs((armcpu_config)c);
        if ((cpu->config_set >> c & 1) && need && !(cpu->vcpu_features & need))
            return armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                    "%s=%s: the spec has no %s (its ID registers give none), so "
                                    "its vCPU has no %s",
                                    setter[c]->name, setter[c]->value,
                                    need == ARMCPU_VCPU_SVE ? "SVE" : "PMUv3",
                                    armcpu_config_name((armcpu_config)c));
    }
    return ARMCPU_OK;
}

bool armcpu_cpu_config(const armcpu_cpu *cpu, armcpu_config c, uint64_t *value)
{
    if ((unsigned)c >= ARMCPU_CONFIG_COUNT || !(cpu->config_set >> c & 1))
        return false;
    if (value)
        *value = cpu->config[c];
    return true;
}

unsigned armcpu_cpu_config_mask(const armcpu_cpu *cpu) { return cpu->config_set; }

armcpu_cpu *armcpu_realize_on_host(const armcpu_ctx *ctx, const char *spec,
                                   const armcpu_host *host, bool allow_abstract,
                                   armcpu_error *err)
{
    struct armcpu_cpu *cpu = cpu_new();
    char *model_name = NULL;
    uint64_t *model_regs = NULL;
    int *setter = NULL;
    if (!cpu) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (!spec) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID, "no model spec given");
        goto fail;
    }
    if (parse_spec(cpu, spec, &model_name, err))
        goto fail;
    bool from_host = !strcmp(model_name, "host");
    if (from_host && !host) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "model 'host' means a host's own values: it needs a host "
                         "snapshot to start from");
        goto fail;
    }
    /* an unversioned name means the version made for the host's kernel */
    cpu->model = from_host ? NULL
                           : armcpu_model_lookup_for_kernel(
                                 ctx, model_name, host ? armcpu_host_kernel(host) : NULL, err);
    if (!from_host && !cpu->model)
        goto fail;
    if (!from_host && !cpu->model->realizable && !allow_abstract) {
        armcpu_set_error(err, ARMCPU_ERR_INVALID,
                         "model %s is abstract: it leaves implementation-defined "
                         "fields (cache geometry, MIDR, ...) unset; use a model "
                         "derived from it",
                         cpu->model->name);
        goto fail;
    }
    for (size_t i = 0; i < cpu->n_user; i++) {
        cpu->user[i].prop = armcpu_prop_lookup(ctx, cpu->user[i].name, err);
        if (!cpu->user[i].prop)
            goto fail;
        /* canonical spelling of the name */
        char *canon = armcpu_strdup(cpu->user[i].prop->name);
        if (!canon) {
            armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
            goto fail;
        }
        free(cpu->user[i].name);
        cpu->user[i].name = canon;
    }
    /* Canonical order: the result must not depend on the order written. */
    if (cpu->n_user)
        qsort(cpu->user, cpu->n_user, sizeof *cpu->user, cmp_user);
    if (from_host) {
        if (apply_host(cpu, host, err))
            goto fail;
    } else {
        apply_model(cpu, cpu->model);
    }
    size_t nregs = armcpu_reg_count();
    model_regs = malloc(nregs * sizeof *model_regs);
    setter = malloc((armcpu_idregs_fields_count ? armcpu_idregs_fields_count : 1) *
                    sizeof *setter);
    if (!model_regs || !setter) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto fail;
    }
    memcpy(model_regs, cpu->regs, nregs * sizeof *model_regs);
    for (size_t i = 0; i < armcpu_idregs_fields_count; i++)
        setter[i] = -1;
    /* Field properties: the same field set twice to different values is an
     * error naming both properties. */
    for (size_t i = 0; i < cpu->n_user; i++) {
        const struct user_prop *u = &cpu->user[i];
        if (u->prop->kind == ARMCPU_PROP_COMPOSITE || u->prop->kind == ARMCPU_PROP_CONFIG)
            continue;
        struct field_assign fa[4];
        size_t k;
        bool on;
        if (armcpu_prop_parse(u->prop, u->value, fa, 4, &k, &on, err))
            goto fail;
        const char *source = NULL;
        for (size_t j = 0; j < k; j++) {
            size_t fi = armcpu_field_flat_index(fa[j].field);
            uint64_t cur = armcpu_field_get(fa[j].field, cpu->regs[fa[j].field->reg_index]);
            if (setter[fi] >= 0 && cur != fa[j].value) {
                const struct user_prop *o = &cpu->user[setter[fi]];
                armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                 "%s=%s and %s=%s both set %s.%s, to different "
                                 "values (0x%llx and 0x%llx); keep one",
                                 o->name, o->value, u->name, u->value,
                                 armcpu_field_reg(fa[j].field)->name,
                                 fa[j].field->name, (unsigned long long)cur,
                                 (unsigned long long)fa[j].value);
                goto fail;
            }
            setter[fi] = (int)i;
            if (!source && !(source = own_source(cpu, "property %s=%s", u->name, u->value))) {
                armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
                goto fail;
            }
            put_field(cpu, fa[j].field, fa[j].value, source);
        }
    }
    /* Composites: one value each; 'on' first, then 'off'. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < cpu->n_user; i++) {
            const struct user_prop *u = &cpu->user[i];
            if (u->prop->kind != ARMCPU_PROP_COMPOSITE)
                continue;
            bool on;
            struct field_assign dummy[2];
            size_t k;
            if (armcpu_prop_parse(u->prop, u->value, dummy, 2, &k, &on, err))
                goto fail;
            if (pass == 0 && i > 0 && cpu->user[i - 1].prop == u->prop) {
                bool prev_on;
                armcpu_prop_parse(u->prop, cpu->user[i - 1].value, dummy, 2, &k,
                                  &prev_on, NULL);
                if (prev_on != on) {
                    armcpu_set_error(err, ARMCPU_ERR_CONFLICT,
                                     "%s is given twice: %s=%s and %s=%s; keep one",
                                     u->name, u->name, cpu->user[i - 1].value,
                                     u->name, u->value);
                    goto fail;
                }
            }
            if (on == (pass == 0) &&
                apply_composite(cpu, u, on, model_regs, setter, err))
                goto fail;
        }
    }
    free(model_name);
    free(model_regs);
    free(setter);
    model_name = NULL;
    model_regs = NULL;
    setter = NULL;
    cpu->aarch32 = compute_aarch32(cpu);
    cpu->vcpu_features = armcpu_vcpu_features_of(cpu->regs);
    if (apply_config(cpu, from_host ? host : NULL, err))
        goto fail;
    return cpu;
fail:
    free(model_name);
    free(model_regs);
    free(setter);
    armcpu_cpu_free(cpu);
    return NULL;
}

const armcpu_model *armcpu_cpu_model(const armcpu_cpu *cpu) { return cpu->model; }

const char *armcpu_cpu_name(const armcpu_cpu *cpu)
{
    return cpu->model ? cpu->model->name : "host";
}

uint64_t armcpu_cpu_reg_value(const armcpu_cpu *cpu, const armcpu_reg *reg)
{
    return cpu->regs[armcpu_reg_index(reg)];
}

const char *armcpu_cpu_field_source(const armcpu_cpu *cpu, const armcpu_field *f)
{
    const char *s = cpu->source[armcpu_field_flat_index(f)];
    return s ? s : "default";
}

size_t armcpu_cpu_warning_count(const armcpu_cpu *cpu) { return cpu->n_warnings; }

const char *armcpu_cpu_warning_at(const armcpu_cpu *cpu, size_t i)
{
    return i < cpu->n_warnings ? cpu->warnings[i] : NULL;
}

size_t armcpu_cpu_user_prop_count(const armcpu_cpu *cpu) { return cpu->n_user; }

bool armcpu_cpu_user_prop_at(const armcpu_cpu *cpu, size_t i, const char **name,
                             const char **value)
{
    if (i >= cpu->n_user)
        return false;
    *name = cpu->user[i].name;
    *value = cpu->user[i].value;
    return true;
}

void armcpu_cpu_prop_value(const armcpu_cpu *cpu, const armcpu_prop *p, char *buf,
                           size_t size)
{
    if (p->kind == ARMCPU_PROP_CONFIG) {
        uint64_t v;
        armcpu_config c = (armcpu_config)(p->config - 1);
        if (!armcpu_cpu_config(cpu, c, &v))
            snprintf(buf, size, "host");
        else if (p->config_vq)
            snprintf(buf, size, "%s", v >> (p->config_vq - 1) & 1 ? "on" : "off");
        else
            armcpu_config_format(c, v, buf, size);
        return;
    }
    if (p->kind == ARMCPU_PROP_COMPOSITE) {
        bool on = false;
        for (size_t i = 0; i < p->n_fields; i++) {
            const armcpu_field *f = p->fields[i];
            uint64_t v = armcpu_field_get(f, cpu->regs[f->reg_index]);
            if (is_el01(f) ? v >= 2 : v != f->default_value)
                on = true;
        }
        snprintf(buf, size, "%s", on ? "on" : "off");
        return;
    }
    const armcpu_field *f = p->fields[0];
    uint64_t v = armcpu_field_get(f, cpu->regs[f->reg_index]);
    if (p->type == ARMCPU_PROP_TYPE_FRACTION) {
        const armcpu_field *fr = p->fields[1];
        snprintf(buf, size, "%llu.%llu", (unsigned long long)v,
                 (unsigned long long)armcpu_field_get(fr, cpu->regs[fr->reg_index]));
        return;
    }
    for (size_t i = 0; i < p->n_values; i++)
        if (p->values[i].value == v) {
            snprintf(buf, size, "%s", p->values[i].name);
            return;
        }
    snprintf(buf, size, "0x%llx", (unsigned long long)v);
}

const uint64_t *armcpu_cpu_reg_values(const armcpu_cpu *cpu) { return cpu->regs; }

uint64_t armcpu_cpu_set_mask(const armcpu_cpu *cpu) { return cpu->set_regs; }

bool armcpu_cpu_reg_set(const armcpu_cpu *cpu, size_t reg_index)
{
    if (reg_index < 64)
        return cpu->set_regs >> reg_index & 1;
    const armcpu_reg *r = armcpu_reg_at(reg_index); /* tables beyond 64 registers */
    for (size_t i = 0; i < r->n_fields; i++)
        if (cpu->source[armcpu_field_flat_index(&r->fields[i])])
            return true;
    return false;
}
