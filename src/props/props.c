/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The property table: built once per context from the field table plus the
 * reviewed tables below (implementation-defined fields, fractional pairs,
 * composites, identification properties).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/ctx.h"
#include "../util/util.h"

char *armcpu_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Implementation-defined fields get hw_prop_ names ("REG" = every field). */
static const char *const hw_fields[] = {
    "CTR_EL0", "DCZID_EL0", "CLIDR_EL1", "CCSIDR_EL1", "CCSIDR2_EL1",
    "GMID_EL1", "SMIDR_EL1", "ID_AFR0_EL1", "ID_AA64AFR0_EL1",
    "ID_AA64AFR1_EL1", "ID_AA64DFR0_EL1.BRPs", "ID_AA64DFR0_EL1.WRPs",
    "ID_AA64DFR0_EL1.CTX_CMPs", "ID_AA64MMFR0_EL1.PARANGE",
    "ID_AA64MMFR0_EL1.ASIDBITS", "ID_AA64MMFR0_EL1.TGRAN4",
    "ID_AA64MMFR0_EL1.TGRAN16", "ID_AA64MMFR0_EL1.TGRAN64",
    "ID_AA64MMFR0_EL1.TGRAN4_2", "ID_AA64MMFR0_EL1.TGRAN16_2",
    "ID_AA64MMFR0_EL1.TGRAN64_2", "ID_AA64MMFR1_EL1.VMIDBits",
    /* The pointer-authentication algorithm is an implementation choice. */
    "ID_AA64ISAR1_EL1.APA", "ID_AA64ISAR1_EL1.API", "ID_AA64ISAR1_EL1.GPA",
    "ID_AA64ISAR1_EL1.GPI", "ID_AA64ISAR2_EL1.APA3", "ID_AA64ISAR2_EL1.GPA3",
};

/*
 * When several registers have a field of the same name, the first register
 * in this order keeps the plain property name; the others are prefixed with
 * their short register name (feat_AA64ZFR0_AES, feat_ISAR5_AES).
 */
static const char *const name_priority[] = {
    "ID_AA64ISAR0_EL1", "ID_AA64ISAR1_EL1", "ID_AA64ISAR2_EL1",
    "ID_AA64ISAR3_EL1", "ID_AA64PFR0_EL1",  "ID_AA64PFR1_EL1",
    "ID_AA64PFR2_EL1",  "ID_AA64MMFR0_EL1", "ID_AA64MMFR1_EL1",
    "ID_AA64MMFR2_EL1", "ID_AA64MMFR3_EL1", "ID_AA64MMFR4_EL1",
    "ID_AA64DFR0_EL1",  "ID_AA64DFR1_EL1",  "ID_AA64FPFR0_EL1",
    "ID_AA64ZFR0_EL1",  "ID_AA64SMFR0_EL1",
};

/* Base + fraction pairs the Arm ARM defines, reviewed by hand: the names do
 * not pair mechanically. frac_bases: base values that allow a non-zero
 * fraction (bit n = base value n). */
static const struct {
    const char *name, *base, *frac;
    uint32_t frac_bases;
    const char *why;
} fractional[] = {
    {"feat_CSV2", "ID_AA64PFR0_EL1.CSV2", "ID_AA64PFR1_EL1.CSV2_frac", 1u << 1,
     "CSV2_frac refines CSV2 == 1 (FEAT_CSV2_1p1, FEAT_CSV2_1p2)"},
    {"feat_RAS", "ID_AA64PFR0_EL1.RAS", "ID_AA64PFR1_EL1.RAS_frac", 1u << 1,
     "RAS_frac refines RAS == 1 (FEAT_RASv1p1)"},
    {"feat_MPAM", "ID_AA64PFR0_EL1.MPAM", "ID_AA64PFR1_EL1.MPAM_frac",
     (1u << 0) | (1u << 1), "MPAM version = MPAM.MPAM_frac (0.1, 1.0, 1.1)"},
    {"feat_NV", "ID_AA64MMFR2_EL1.NV", "ID_AA64MMFR4_EL1.NV_frac", 1u << 0,
     "NV_frac NV2_ONLY (1) is only meaningful with NV == 0"},
    {"feat_PFR0_RAS", "ID_PFR0_EL1.RAS", "ID_PFR2_EL1.RAS_frac", 1u << 1,
     "AArch32 view: RAS_frac refines RAS == 1"},
    {"feat_Virtualization", "ID_PFR1_EL1.Virtualization",
     "ID_PFR1_EL1.Virt_frac", 1u << 1,
     "AArch32: Virt_frac refines Virtualization == 1"},
    {"feat_Security", "ID_PFR1_EL1.Security", "ID_PFR1_EL1.Sec_frac",
     1u << 1, "AArch32: Sec_frac refines Security == 1"},
    {"feat_SynchPrim", "ID_ISAR3_EL1.SynchPrim", "ID_ISAR4_EL1.SynchPrim_frac",
     1u << 1, "AArch32: SynchPrim_frac refines SynchPrim == 1"},
    {"feat_Swap", "ID_ISAR0_EL1.Swap", "ID_ISAR4_EL1.SWP_frac", 1u << 0,
     "AArch32: SWP_frac applies when Swap == 0"},
};

/* Identification and exception-level properties. */
static const struct {
    const char *name, *field, *desc;
} id_props[] = {
    {"cpu_implementer", "MIDR_EL1.Implementer", "MIDR_EL1 implementer code (0x41 Arm, 0x4e NVIDIA, 0xc0 Ampere, 0x48 HiSilicon)"},
    {"cpu_variant", "MIDR_EL1.Variant", "MIDR_EL1 major revision (the r in rNpM)"},
    {"cpu_architecture", "MIDR_EL1.Architecture", "MIDR_EL1 architecture (0xf: features in the ID registers)"},
    {"cpu_partnum", "MIDR_EL1.PartNum", "MIDR_EL1 primary part number"},
    {"cpu_revision", "MIDR_EL1.Revision", "MIDR_EL1 minor revision (the p in rNpM)"},
    {"revidr", "REVIDR_EL1.IMPLEMENTATION_DEFINED", "REVIDR_EL1: implementation-defined revision information"},
    {"aidr", "AIDR_EL1.IMPLEMENTATION_DEFINED", "AIDR_EL1: implementation-defined auxiliary identification"},
    {"el0_mode", "ID_AA64PFR0_EL1.EL0", "EL0 execution states: aarch64 only, or aarch64 and aarch32"},
    {"el1_mode", "ID_AA64PFR0_EL1.EL1", "EL1 execution states: aarch64 only, or aarch64 and aarch32"},
    {"el2_mode", "ID_AA64PFR0_EL1.EL2", "EL2: off, aarch64 only, or aarch64 and aarch32"},
    {"el3_mode", "ID_AA64PFR0_EL1.EL3", "EL3: off, aarch64 only, or aarch64 and aarch32"},
};

/* Composite properties: one per field group of the table
 * (tools/gen-idregs/extra-idregs.txt `Group`). */
static const struct {
    const char *name;
    unsigned group;
    const char *desc;
} composites[] = {
    {"sve", ARMCPU_GROUP_SVE, "SVE: off clears ID_AA64PFR0_EL1.SVE and every ID_AA64ZFR0_EL1 field; on keeps the model's values"},
    {"pauth", ARMCPU_GROUP_PAUTH, "pointer authentication: APA/API/GPA/GPI/APA3/GPA3; off clears them, on keeps the model's values"},
    {"pmu", ARMCPU_GROUP_PMU, "PMU: PMUVer, PerfMon, MTPMU, HPMN0; off sets them to 'not implemented', on keeps the model's values"},
    {"aarch32", ARMCPU_GROUP_AARCH32, "AArch32: EL0/EL1 AArch32 support and every AArch32 ID register; off leaves AArch64 only"},
};

bool armcpu_field_in_composite(const char *composite, const armcpu_field *f)
{
    for (size_t i = 0; i < sizeof composites / sizeof composites[0]; i++)
        if (!strcmp(composites[i].name, composite))
            return f->groups & (1u << composites[i].group);
    return false;
}

static const armcpu_field *field_by_path(const char *path)
{
    return armcpu_field_lookup(path, NULL);
}

static bool in_list(const char *const *list, size_t n, const armcpu_field *f)
{
    const char *reg = armcpu_reg_name(armcpu_field_reg(f));
    for (size_t i = 0; i < n; i++) {
        const char *dot = strchr(list[i], '.');
        if (!dot) {
            if (!strcmp(list[i], reg))
                return true;
        } else if ((size_t)(dot - list[i]) == strlen(reg) &&
                   !strncmp(list[i], reg, strlen(reg)) &&
                   !strcmp(dot + 1, f->name)) {
            return true;
        }
    }
    return false;
}

static int reg_rank(const char *reg)
{
    size_t n = sizeof name_priority / sizeof name_priority[0];
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name_priority[i], reg))
            return (int)i;
    return (int)n; /* then by table order */
}

/* "ID_AA64ZFR0_EL1" -> "AA64ZFR0", "CTR_EL0" -> "CTR" */
static void short_reg(const char *reg, char *out, size_t size)
{
    if (!strncmp(reg, "ID_", 3))
        reg += 3;
    snprintf(out, size, "%s", reg);
    char *el = strstr(out, "_EL");
    if (el && strlen(el) == 4)
        *el = 0;
}

static void lower_name(const char *in, char *out, size_t size)
{
    if (!strncasecmp(in, "FEAT_", 5))
        in += 5;
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = 0;
}

static bool only_ni_imp(const armcpu_field *f)
{
    bool ni = false, imp = false;
    for (size_t i = 0; i < f->n_values; i++) {
        if (!strcmp(f->values[i].name, "NI"))
            ni = true;
        else if (!strcmp(f->values[i].name, "IMP"))
            imp = true;
        else
            return false;
    }
    return ni && imp;
}

/* The table under construction (the generator builds it once; the library
 * uses the generated copy, builtin.gen.c). */
struct builder {
    struct armcpu_prop *props;
    size_t n, cap;
    armcpu_error *err;
};

static struct armcpu_prop *new_prop(struct builder *b, const char *name,
                                    armcpu_prop_kind kind, armcpu_prop_type type,
                                    const char *desc)
{
    struct armcpu_prop *np = armcpu_grow(b->props, &b->cap, b->n, sizeof *np, 512);
    if (!np)
        return NULL;
    b->props = np;
    struct armcpu_prop *p = &b->props[b->n];
    memset(p, 0, sizeof *p);
    char *n = armcpu_strdup(name), *d = armcpu_strdup(desc);
    if (!n || !d) {
        free(n);
        free(d);
        return NULL;
    }
    p->name = n;
    p->description = d;
    p->kind = kind;
    p->type = type;
    b->n++;
    return p;
}

/* Arrays of the table grow to twice their size when their count reaches a
 * power of two (the composites have a hundred fields and more). */
static bool grows(size_t n) { return !(n & (n - 1)); }

static int add_field(struct armcpu_prop *p, const armcpu_field *f)
{
    const armcpu_field **fields = (const armcpu_field **)p->fields;
    if (grows(p->n_fields)) {
        size_t cap = p->n_fields ? 2 * p->n_fields : 1;
        const armcpu_field **nf = realloc(fields, cap * sizeof *nf);
        if (!nf)
            return -1;
        fields = nf;
        p->fields = nf;
    }
    fields[p->n_fields++] = f;
    return 0;
}

/* strcasecmp for the table's own names (the lookups keep strcasecmp). */
static int name_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
        if (x != y || !x)
            return x - y;
    }
}

static int add_value(struct armcpu_prop *p, const char *name, uint64_t v)
{
    for (size_t i = 0; i < p->n_values; i++)
        if (!name_casecmp(p->values[i].name, name))
            return 0; /* first spelling wins */
    struct prop_value *values = (struct prop_value *)p->values;
    if (grows(p->n_values)) {
        size_t cap = p->n_values ? 2 * p->n_values : 1;
        struct prop_value *nv = realloc(values, cap * sizeof *nv);
        if (!nv)
            return -1;
        values = nv;
        p->values = nv;
    }
    values[p->n_values].name = armcpu_strdup(name);
    if (!values[p->n_values].name)
        return -1;
    values[p->n_values++].value = v;
    return 0;
}

/* Value spellings of a field: lower-case enum name without FEAT_, NI is
 * "off", IMP is "on" when the field has only NI and IMP. */
static int add_field_values(struct armcpu_prop *p, const armcpu_field *f)
{
    bool boolean = only_ni_imp(f);
    for (size_t i = 0; i < f->n_values; i++) {
        char low[64];
        const char *n = f->values[i].name;
        if (!strcmp(n, "NI"))
            snprintf(low, sizeof low, "off");
        else if (boolean && !strcmp(n, "IMP"))
            snprintf(low, sizeof low, "on");
        else
            lower_name(n, low, sizeof low);
        if (add_value(p, low, f->values[i].value))
            return -1;
    }
    if (f->width == 1 && !f->n_values)
        if (add_value(p, "off", 0) || add_value(p, "on", 1))
            return -1;
    return 0;
}

static armcpu_prop_type field_type(const armcpu_field *f)
{
    if (f->width == 1 || only_ni_imp(f))
        return ARMCPU_PROP_TYPE_BOOLEAN;
    return f->n_values ? ARMCPU_PROP_TYPE_STRING : ARMCPU_PROP_TYPE_NUMERIC;
}

#define OOM(b) armcpu_set_error((b)->err, ARMCPU_ERR_NOMEM, "out of memory building the property table")

/* One field of the table, for the shadowing rule of build_field_props. */
struct field_key {
    const char *name;
    size_t key; /* register priority: rank * nregs + table index */
    size_t min; /* the smallest key of any field with this name */
};

static int cmp_field_key(const void *a, const void *b)
{
    const struct field_key *x = *(const struct field_key *const *)a;
    const struct field_key *y = *(const struct field_key *const *)b;
    int c = name_casecmp(x->name, y->name);
    if (c)
        return c;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* keys[k] for the k-th field in table order, with .min filled in: a field is
 * shadowed when another register of higher priority (lower key) has a field
 * of the same name (ignoring case). Sorting by name makes this n log n; a
 * scan of every register per field was most of armcpu_ctx_new. */
static struct field_key *field_keys(size_t *count)
{
    size_t nregs = armcpu_reg_count(), n = 0;
    for (size_t r = 0; r < nregs; r++)
        n += armcpu_reg_at(r)->n_fields;
    struct field_key *keys = malloc((n ? n : 1) * sizeof *keys);
    struct field_key **order = malloc((n ? n : 1) * sizeof *order);
    if (!keys || !order) {
        free(keys);
        free(order);
        return NULL;
    }
    size_t k = 0;
    for (size_t r = 0; r < nregs; r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        size_t key = (size_t)reg_rank(reg->name) * nregs + r;
        for (size_t i = 0; i < reg->n_fields; i++, k++) {
            keys[k].name = reg->fields[i].name;
            keys[k].key = key;
            order[k] = &keys[k];
        }
    }
    qsort(order, n, sizeof *order, cmp_field_key);
    for (size_t i = 0; i < n; i++)
        order[i]->min = i && !name_casecmp(order[i - 1]->name, order[i]->name)
                            ? order[i - 1]->min
                            : order[i]->key;
    free(order);
    *count = n;
    return keys;
}

/* The fields of the fractional bases and of the identification properties
 * (resolved once, not once per field). */
static bool field_in(const armcpu_field *const *set, size_t n, const armcpu_field *f)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == f)
            return true;
    return false;
}

static int build_field_props(struct builder *b)
{
    size_t nregs = armcpu_reg_count();
    for (size_t r = 0; r < nregs; r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        for (size_t i = 0; i < reg->n_fields; i++) {
            const armcpu_field *f = &reg->fields[i];
            char name[160], desc[256];
            snprintf(name, sizeof name, "SYSREG_%s_%s", reg->name, f->name);
            snprintf(desc, sizeof desc, "raw value of %s.%s [%u:%u]", reg->name,
                     f->name, f->lsb + f->width - 1, f->lsb);
            struct armcpu_prop *p = new_prop(b, name, ARMCPU_PROP_SYSREG,
                                             ARMCPU_PROP_TYPE_NUMERIC, desc);
            if (!p || add_field(p, f))
                return OOM(b);
        }
    }
    const size_t n_frac = sizeof fractional / sizeof fractional[0];
    const size_t n_id = sizeof id_props / sizeof id_props[0];
    const armcpu_field *skip[sizeof fractional / sizeof fractional[0] +
                             sizeof id_props / sizeof id_props[0]];
    for (size_t i = 0; i < n_frac; i++)
        skip[i] = field_by_path(fractional[i].base);
    for (size_t i = 0; i < n_id; i++)
        skip[n_frac + i] = field_by_path(id_props[i].field);
    size_t n_keys = 0;
    struct field_key *keys = field_keys(&n_keys);
    if (!keys)
        return OOM(b);
    /* Friendly names, in priority order so the first owner keeps the plain
     * name. */
    size_t k = 0;
    for (size_t r = 0; r < nregs; r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        if (armcpu_reg_is_identity(reg)) {
            k += reg->n_fields;
            continue; /* cpu_* / revidr / aidr */
        }
        for (size_t i = 0; i < reg->n_fields; i++, k++) {
            const armcpu_field *f = &reg->fields[i];
            if (field_in(skip, n_frac + n_id, f))
                continue;
            bool hw = in_list(hw_fields, sizeof hw_fields / sizeof hw_fields[0], f);
            /* Does a higher-priority register own the plain name? */
            bool shadowed = keys[k].min != keys[k].key;
            char name[160], shortname[64], desc[256];
            short_reg(reg->name, shortname, sizeof shortname);
            if (shadowed)
                snprintf(name, sizeof name, "%s%s_%s", hw ? "hw_prop_" : "feat_",
                         shortname, f->name);
            else
                snprintf(name, sizeof name, "%s%s", hw ? "hw_prop_" : "feat_",
                         f->name);
            snprintf(desc, sizeof desc, "%s.%s", reg->name, f->name);
            struct armcpu_prop *p = new_prop(b, name, hw ? ARMCPU_PROP_HW : ARMCPU_PROP_FEAT,
                                             field_type(f), desc);
            if (!p || add_field(p, f) || add_field_values(p, f)) {
                free(keys);
                return OOM(b);
            }
        }
    }
    free(keys);
    return 0;
}

static int build_other_props(struct builder *b)
{
    for (size_t i = 0; i < sizeof fractional / sizeof fractional[0]; i++) {
        const armcpu_field *base = field_by_path(fractional[i].base);
        const armcpu_field *frac = field_by_path(fractional[i].frac);
        if (!base || !frac)
            return armcpu_set_error(b->err, ARMCPU_ERR_INVALID,
                                    "internal: fractional pair %s has no field",
                                    fractional[i].name);
        char desc[256];
        snprintf(desc, sizeof desc, "%s.%s (base) and %s.%s (fraction) as X.Y; %s",
                 armcpu_field_reg(base)->name, base->name,
                 armcpu_field_reg(frac)->name, frac->name, fractional[i].why);
        struct armcpu_prop *p = new_prop(b, fractional[i].name, ARMCPU_PROP_FRACTIONAL,
                                         ARMCPU_PROP_TYPE_FRACTION, desc);
        if (!p || add_field(p, base) || add_field(p, frac))
            return OOM(b);
        p->frac_bases = fractional[i].frac_bases;
    }
    for (size_t i = 0; i < sizeof composites / sizeof composites[0]; i++) {
        struct armcpu_prop *p = new_prop(b, composites[i].name, ARMCPU_PROP_COMPOSITE,
                                         ARMCPU_PROP_TYPE_BOOLEAN, composites[i].desc);
        if (!p || add_value(p, "off", 0) || add_value(p, "on", 1))
            return OOM(b);
        for (size_t r = 0; r < armcpu_reg_count(); r++) {
            const armcpu_reg *reg = armcpu_reg_at(r);
            for (size_t j = 0; j < reg->n_fields; j++)
                if ((reg->fields[j].groups & (1u << composites[i].group)) &&
                    add_field(p, &reg->fields[j]))
                    return OOM(b);
        }
    }
    for (size_t i = 0; i < sizeof id_props / sizeof id_props[0]; i++) {
        const armcpu_field *f = field_by_path(id_props[i].field);
        bool el = !strncmp(id_props[i].name, "el", 2);
        struct armcpu_prop *p = new_prop(b, id_props[i].name, ARMCPU_PROP_ID,
                                         el ? ARMCPU_PROP_TYPE_STRING : ARMCPU_PROP_TYPE_NUMERIC,
                                         id_props[i].desc);
        if (!p || !f || add_field(p, f))
            return OOM(b);
        /* ID_AA64PFR0_EL1.ELx: 0 not implemented, 1 AArch64, 2 AArch64+AArch32 */
        if (el && (add_value(p, "off", 0) || add_value(p, "aarch64", 1) ||
                   add_value(p, "aarch32", 2)))
            return OOM(b);
    }
    return 0;
}

/* The vCPU configuration properties (armcpu/config.h): QEMU's sve128 ..
 * sve2048 for the vector lengths, and one per other item, named as it is. */
static int build_config_props(struct builder *b)
{
    for (unsigned vq = 1; vq <= 16; vq++) {
        char name[16], desc[160];
        snprintf(name, sizeof name, "sve%u", vq * 128);
        snprintf(desc, sizeof desc,
                 "SVE %u-bit vectors (KVM_REG_ARM64_SVE_VLS bit %u; QEMU's spelling): the "
                 "lengths set on are the guest's",
                 vq * 128, vq - 1);
        struct armcpu_prop *p =
            new_prop(b, name, ARMCPU_PROP_CONFIG, ARMCPU_PROP_TYPE_BOOLEAN, desc);
        if (!p || add_value(p, "off", 0) || add_value(p, "on", 1))
            return OOM(b);
        p->config = ARMCPU_CONFIG_SVE_VLS + 1;
        p->config_vq = (uint8_t)vq;
    }
    for (unsigned c = ARMCPU_CONFIG_SVE_VLS + 1; c < ARMCPU_CONFIG_COUNT; c++) {
        bool named = c == ARMCPU_CONFIG_PSCI_VERSION || c == ARMCPU_CONFIG_SMCCC_WA1 ||
                     c == ARMCPU_CONFIG_SMCCC_WA2 || c == ARMCPU_CONFIG_SMCCC_WA3;
        struct armcpu_prop *p = new_prop(b, armcpu_config_name(c), ARMCPU_PROP_CONFIG,
                                         named ? ARMCPU_PROP_TYPE_STRING
                                               : ARMCPU_PROP_TYPE_NUMERIC,
                                         armcpu_config_description(c));
        if (!p)
            return OOM(b);
        p->config = (uint8_t)(c + 1);
        if (c == ARMCPU_CONFIG_PSCI_VERSION &&
            (add_value(p, "0.2", 0x2) || add_value(p, "1.0", 0x10000) ||
             add_value(p, "1.1", 0x10001) || add_value(p, "1.2", 0x10002) ||
             add_value(p, "1.3", 0x10003)))
            return OOM(b);
        for (uint64_t v = 0; named && c != ARMCPU_CONFIG_PSCI_VERSION && v < 4; v++) {
            char t[32];
            uint64_t back;
            armcpu_config_format(c, v, t, sizeof t);
            if (armcpu_config_parse(c, t, &back, NULL) == ARMCPU_OK && back == v &&
                isalpha((unsigned char)t[0]) && add_value(p, t, v))
                return OOM(b);
        }
    }
    return 0;
}

int armcpu_prop_parse_config(const struct armcpu_prop *p, const char *text, uint64_t *value,
                             bool *sve_on, armcpu_error *err)
{
    if (p->kind != ARMCPU_PROP_CONFIG || !p->config)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "property %s: not a vCPU configuration "
                                                         "property", p->name);
    if (p->config_vq) {
        if (!strcasecmp(text, "on") || !strcmp(text, "1") || !strcasecmp(text, "true"))
            *sve_on = true;
        else if (!strcasecmp(text, "off") || !strcmp(text, "0") || !strcasecmp(text, "false"))
            *sve_on = false;
        else
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "property %s: value '%s' is not allowed; allowed: on, off",
                                    p->name, text);
        *value = 1ull << (p->config_vq - 1);
        return ARMCPU_OK;
    }
    armcpu_error e = {0};
    if (armcpu_config_parse((armcpu_config)(p->config - 1), text, value, &e) == ARMCPU_OK)
        return ARMCPU_OK;
    return armcpu_set_error(err, e.code, "property %s", e.message);
}

/* Case-insensitive FNV-1a of a name, for the lookup table. */
static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint32_t)tolower((unsigned char)*s)) * 16777619u;
    return h;
}

/* An open-addressing table of the property names: armcpu_prop_lookup is
 * called for every property of every spec.  A name that equals an earlier
 * one (ignoring case) is not entered: the first in table order wins, as in a
 * linear search. */
static int build_prop_hash(struct armcpu_ctx *ctx, armcpu_error *err)
{
    size_t size = 64;
    while (size < 2 * ctx->n_props)
        size *= 2;
    uint32_t *hash = calloc(size, sizeof *hash);
    uint64_t *masks = malloc((ctx->n_props ? ctx->n_props : 1) * sizeof *masks);
    size_t *lens = malloc((ctx->n_props ? ctx->n_props : 1) * sizeof *lens);
    ctx->prop_hash = hash;
    ctx->prop_masks = masks;
    ctx->prop_lens = lens;
    if (!hash || !masks || !lens)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    ctx->prop_hash_size = size;
    for (size_t i = 0; i < ctx->n_props; i++) {
        lens[i] = strlen(ctx->props[i].name);
        masks[i] = armcpu_suggest_mask(ctx->props[i].name, lens[i]);
    }
    for (size_t i = 0; i < ctx->n_props; i++) {
        size_t k = name_hash(ctx->props[i].name) & (size - 1);
        while (hash[k] && name_casecmp(ctx->props[hash[k] - 1].name, ctx->props[i].name))
            k = (k + 1) & (size - 1);
        if (!hash[k])
            hash[k] = (uint32_t)(i + 1);
    }
    return ARMCPU_OK;
}

/* The property that names each field for people: the first feat_ /
 * hw_prop_ / id / fractional property whose first field it is, else its
 * SYSREG_ property. */
static int build_field_props_index(struct armcpu_ctx *ctx, armcpu_error *err)
{
    size_t nf = armcpu_idregs_fields_count;
    uint32_t *fp = malloc((nf ? nf : 1) * sizeof *fp);
    bool *friendly = calloc(nf ? nf : 1, sizeof *friendly);
    ctx->field_prop = fp;
    if (!fp || !friendly) {
        free(friendly);
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < ctx->n_props; i++) {
        const struct armcpu_prop *p = &ctx->props[i];
        if (p->kind == ARMCPU_PROP_COMPOSITE || p->kind == ARMCPU_PROP_CONFIG)
            continue;
        size_t k = armcpu_field_flat_index(p->fields[0]);
        if (p->kind == ARMCPU_PROP_SYSREG) {
            if (!friendly[k])
                fp[k] = (uint32_t)i;
        } else if (!friendly[k]) {
            fp[k] = (uint32_t)i;
            friendly[k] = true;
        }
    }
    free(friendly);
    return ARMCPU_OK;
}

int armcpu_props_build(struct armcpu_ctx *ctx, armcpu_error *err)
{
    struct builder b = {NULL, 0, 0, err};
    int rc = build_field_props(&b) || build_other_props(&b) || build_config_props(&b);
    ctx->props = b.props;
    ctx->n_props = b.n;
    ctx->props_owned = true;
    if (rc)
        return err ? err->code : ARMCPU_ERR_NOMEM;
    return build_prop_hash(ctx, err) || build_field_props_index(ctx, err)
               ? (err ? err->code : ARMCPU_ERR_NOMEM)
               : ARMCPU_OK;
}

void armcpu_props_use_builtin(struct armcpu_ctx *ctx)
{
    ctx->props = armcpu_builtin_props;
    ctx->n_props = armcpu_builtin_props_count;
    ctx->prop_hash = armcpu_builtin_prop_hash;
    ctx->prop_hash_size = armcpu_builtin_prop_hash_size;
    ctx->prop_masks = armcpu_builtin_prop_masks;
    ctx->prop_lens = armcpu_builtin_prop_lens;
    ctx->field_prop = armcpu_builtin_field_props;
    ctx->props_owned = false;
}

void armcpu_props_free(struct armcpu_ctx *ctx)
{
    if (ctx->props_owned) {
        for (size_t i = 0; i < ctx->n_props; i++) {
            const struct armcpu_prop *p = &ctx->props[i];
            free((void *)p->name);
            free((void *)p->description);
            free((void *)p->fields);
            for (size_t j = 0; j < p->n_values; j++)
                free((void *)p->values[j].name);
            free((void *)p->values);
        }
        free((void *)ctx->props);
        free((void *)ctx->prop_hash);
        free((void *)ctx->prop_masks);
        free((void *)ctx->prop_lens);
        free((void *)ctx->field_prop);
    }
    ctx->props = NULL;
    ctx->n_props = 0;
    ctx->prop_hash = NULL;
    ctx->prop_hash_size = 0;
    ctx->prop_masks = NULL;
    ctx->prop_lens = NULL;
    ctx->field_prop = NULL;
}

/* ------------------------------------------------------------ accessors */

size_t armcpu_prop_count(const armcpu_ctx *ctx) { return ctx->n_props; }

const armcpu_prop *armcpu_prop_at(const armcpu_ctx *ctx, size_t i)
{
    return i < ctx->n_props ? &ctx->props[i] : NULL;
}

const armcpu_prop *armcpu_prop_lookup(const armcpu_ctx *ctx, const char *name,
                                      armcpu_error *err)
{
    if (ctx->prop_hash_size) {
        size_t mask = ctx->prop_hash_size - 1;
        for (size_t k = name_hash(name) & mask; ctx->prop_hash[k]; k = (k + 1) & mask)
            if (!strcasecmp(ctx->props[ctx->prop_hash[k] - 1].name, name))
                return &ctx->props[ctx->prop_hash[k] - 1];
    } else {
        for (size_t i = 0; i < ctx->n_props; i++)
            if (!strcasecmp(ctx->props[i].name, name))
                return &ctx->props[i];
    }
    if (!err)
        return NULL; /* nobody reads a suggestion */
    armcpu_suggest s;
    char hint[300];
    armcpu_suggest_init(&s, name);
    for (size_t i = 0; i < ctx->n_props; i++) {
        if (ctx->prop_masks)
            armcpu_suggest_offer_masked(&s, ctx->props[i].name, ctx->prop_lens[i],
                                        ctx->prop_masks[i]);
        else
            armcpu_suggest_offer(&s, ctx->props[i].name);
    }
    armcpu_suggest_format(&s, hint, sizeof hint);
    armcpu_set_error(err, ARMCPU_ERR_NOT_FOUND,
                     "unknown property '%s'%s (the table has %zu properties)",
                     name, hint, ctx->n_props);
    return NULL;
}

const char *armcpu_prop_name(const armcpu_prop *p) { return p->name; }
armcpu_prop_kind armcpu_prop_kind_of(const armcpu_prop *p) { return p->kind; }
armcpu_prop_type armcpu_prop_type_of(const armcpu_prop *p) { return p->type; }
const char *armcpu_prop_description(const armcpu_prop *p) { return p->description; }
size_t armcpu_prop_field_count(const armcpu_prop *p) { return p->n_fields; }

const armcpu_field *armcpu_prop_field_at(const armcpu_prop *p, size_t i)
{
    return i < p->n_fields ? p->fields[i] : NULL;
}

size_t armcpu_prop_value_count(const armcpu_prop *p) { return p->n_values; }

bool armcpu_prop_value_at(const armcpu_prop *p, size_t i, const char **name,
                          uint64_t *value)
{
    if (i >= p->n_values)
        return false;
    if (name)
        *name = p->values[i].name;
    if (value)
        *value = p->values[i].value;
    return true;
}

const char *armcpu_prop_kind_name(armcpu_prop_kind k)
{
    static const char *const names[] = {"sysreg", "feat", "hw", "fractional",
                                        "composite", "id", "config"};
    return (unsigned)k < 7 ? names[k] : "?";
}

const char *armcpu_prop_type_name(armcpu_prop_type t)
{
    static const char *const names[] = {"string", "boolean", "number", "fraction"};
    return (unsigned)t < 4 ? names[t] : "?";
}

static uint64_t wmask(unsigned w) { return w >= 64 ? ~0ULL : (1ULL << w) - 1; }

void armcpu_prop_allowed(const armcpu_prop *p, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    if (p->kind == ARMCPU_PROP_CONFIG && !p->config_vq) {
        armcpu_error e = {0};
        uint64_t v;
        /* the item's own parser says what it takes */
        armcpu_config_parse((armcpu_config)(p->config - 1), "?", &v, &e);
        const char *a = strstr(e.message, "allowed: ");
        snprintf(buf, size, "%s", a ? a + 9 : "a value");
        return;
    }
    if (p->type == ARMCPU_PROP_TYPE_FRACTION) {
        snprintf(buf, size,
                 "X or X.Y with X 0..%llu (%s.%s) and Y 0..%llu (%s.%s)",
                 (unsigned long long)wmask(p->fields[0]->width),
                 armcpu_field_reg(p->fields[0])->name, p->fields[0]->name,
                 (unsigned long long)wmask(p->fields[1]->width),
                 armcpu_field_reg(p->fields[1])->name, p->fields[1]->name);
        return;
    }
    for (size_t i = 0; i < p->n_values && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                                 p->values[i].name);
    if (p->kind == ARMCPU_PROP_COMPOSITE || p->kind == ARMCPU_PROP_CONFIG || used >= size)
        return;
    snprintf(buf + used, size - used, "%sa number 0..0x%llx",
             p->n_values ? ", or " : "",
             (unsigned long long)wmask(p->fields[0]->width));
}

/* ------------------------------------------------------------ parsing */

static int parse_number_fit(const struct armcpu_prop *p, const armcpu_field *f,
                            const char *text, uint64_t *v, armcpu_error *err)
{
    armcpu_error e = {0};
    char allowed[1024];
    if (armcpu_parse_u64(text, p->name, v, &e) || (*v & ~wmask(f->width))) {
        armcpu_prop_allowed(p, allowed, sizeof allowed);
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "property %s: value '%s' is not allowed; "
                                "allowed: %s",
                                p->name, text, allowed);
    }
    return ARMCPU_OK;
}

int armcpu_prop_parse(const struct armcpu_prop *p, const char *text,
                      struct field_assign *out, size_t max, size_t *n,
                      bool *composite_on, armcpu_error *err)
{
    *n = 0;
    char allowed[1024];
    if (p->kind == ARMCPU_PROP_CONFIG)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "property %s is vCPU configuration, not an ID-register field: "
                                "a spec sets it, a model does not",
                                p->name);
    if (p->kind == ARMCPU_PROP_COMPOSITE) {
        if (!strcasecmp(text, "on") || !strcmp(text, "1") || !strcasecmp(text, "true"))
            *composite_on = true;
        else if (!strcasecmp(text, "off") || !strcmp(text, "0") ||
                 !strcasecmp(text, "false"))
            *composite_on = false;
        else
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "property %s: value '%s' is not allowed; "
                                    "allowed: on, off",
                                    p->name, text);
        return ARMCPU_OK;
    }
    if (max < 2)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID, "internal: no room");
    if (p->type == ARMCPU_PROP_TYPE_FRACTION) {
        char whole[32], frac[32] = "0";
        const char *dot = strchr(text, '.');
        size_t wl = dot ? (size_t)(dot - text) : strlen(text);
        if (wl == 0 || wl >= sizeof whole || (dot && (!dot[1] || strlen(dot + 1) >= sizeof frac)))
            goto bad_fraction;
        memcpy(whole, text, wl);
        whole[wl] = 0;
        if (dot)
            snprintf(frac, sizeof frac, "%s", dot + 1);
        for (const char *c = whole; *c; c++)
            if (!isdigit((unsigned char)*c))
                goto bad_fraction;
        for (const char *c = frac; *c; c++)
            if (!isdigit((unsigned char)*c))
                goto bad_fraction;
        uint64_t b = strtoull(whole, NULL, 10), f = strtoull(frac, NULL, 10);
        if (strlen(whole) > 3 || strlen(frac) > 3 || b > wmask(p->fields[0]->width) ||
            f > wmask(p->fields[1]->width))
            goto bad_fraction;
        if (f != 0 && (b >= 32 || !(p->frac_bases & (1u << b))))
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "property %s: '%s' is not a valid combination: "
                                    "%s",
                                    p->name, text, p->description);
        out[0] = (struct field_assign){p->fields[0], b};
        out[1] = (struct field_assign){p->fields[1], f};
        *n = 2;
        return ARMCPU_OK;
    bad_fraction:
        armcpu_prop_allowed(p, allowed, sizeof allowed);
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "property %s: value '%s' is not allowed; allowed: %s",
                                p->name, text, allowed);
    }
    const armcpu_field *f = p->fields[0];
    uint64_t v;
    /* Names first (they may look like numbers: hw_prop_PARANGE=48). */
    for (size_t i = 0; i < p->n_values; i++)
        if (!strcasecmp(p->values[i].name, text)) {
            out[0] = (struct field_assign){f, p->values[i].value};
            *n = 1;
            return ARMCPU_OK;
        }
    /* "on" stays IMP where a newer sysreg file gave a once-boolean field
     * more levels (ID_AA64ZFR0_EL1.B16B16 gained BFSCALE and B16MM), so a
     * spec written before still means what it meant */
    if (p->kind != ARMCPU_PROP_SYSREG && !strcasecmp(text, "on"))
        for (size_t i = 0; i < f->n_values; i++)
            if (!strcmp(f->values[i].name, "IMP")) {
                out[0] = (struct field_assign){f, f->values[i].value};
                *n = 1;
                return ARMCPU_OK;
            }
    if (p->kind != ARMCPU_PROP_SYSREG)
        for (size_t i = 0; i < f->n_values; i++)
            if (f->values[i].feat && !strcasecmp(f->values[i].feat, text)) {
                out[0] = (struct field_assign){f, f->values[i].value};
                *n = 1;
                return ARMCPU_OK;
            }
    if (parse_number_fit(p, f, text, &v, err))
        return err ? err->code : ARMCPU_ERR_INVALID;
    out[0] = (struct field_assign){f, v};
    *n = 1;
    return ARMCPU_OK;
}
