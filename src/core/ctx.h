/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal layout of the context: property table and models. */
#ifndef ARMCPU_SRC_CORE_CTX_H
#define ARMCPU_SRC_CORE_CTX_H

#include "armcpu/host.h"
#include "armcpu/model.h"
#include "../regs/idregs.h"

struct prop_value {
    const char *name; /* spelling accepted and printed */
    uint64_t value;   /* field value (fractional: base << 32 | frac) */
};

/* A property. The built-in table is generated at build time (tools/gen-data:
 * builtin.gen.c), so its members point at constant data. */
struct armcpu_prop {
    const char *name;
    armcpu_prop_kind kind;
    armcpu_prop_type type;
    const char *description;
    const armcpu_field *const *fields; /* one, two (fractional) or a group */
    size_t n_fields;
    const struct prop_value *values;
    size_t n_values;
    uint32_t frac_bases; /* fractional: base values that allow frac != 0 */
    uint8_t config;      /* CONFIG: the armcpu_config item + 1 (0: none) */
    uint8_t config_vq;   /* sve128..sve2048: the vector length / 128 */
};

/* One field assignment produced by parsing a property value or a model
 * setting. */
struct field_assign {
    const armcpu_field *field;
    uint64_t value;
};

/* A model setting, compiled when the model is loaded: the fields it sets
 * and the source text realization records ("model NAME: SOURCE"). */
struct model_setting {
    const char *target; /* "REG", "REG.FIELD" or a property name */
    const char *value;
    const char *source;
    int line;
    const struct field_assign *assign;
    size_t n_assign;
    const char *field_source; /* "model <name>: <source>" */
};

/* Deepest parent chain a model may have (realization walks it). */
#define ARMCPU_MAX_MODEL_DEPTH 64

struct model_deviation {
    const char *feat;   /* FEAT_ name the model does not implement */
    const char *reason; /* why, with its source */
};

struct armcpu_model {
    const char *base;
    unsigned version;
    const char *name; /* base-vN */
    const char *parent_name;
    const struct armcpu_model *parent;
    bool realizable;
    const char *description;
    const char *origin;
    const struct model_setting *settings;
    size_t n_settings;
    const struct model_deviation *deviations;
    size_t n_deviations;
    /* The model realized (defaults, then the chain from the root), computed
     * when it is loaded: realization starts from a copy. */
    const uint64_t *regs;            /* per register */
    const char *const *field_source; /* per flat field: a setting's
                                        field_source, or NULL (default) */
    uint64_t set_regs;               /* bit i: the chain sets register i */
    bool aarch32;
    bool builtin; /* generated static data, never freed */
    /* `kernels A-B`: the kernel views (armcpu_kernel_key, inclusive; to 0:
     * open-ended) this version is made for; from 0: every kernel */
    unsigned kernels_from, kernels_to;
    const char *kernels;   /* the range as written, or NULL */
    const char *namesakes; /* `namesakes H...`: snapshot base names, or NULL */
};

struct armcpu_ctx {
    const struct armcpu_prop *props;
    size_t n_props;
    const uint32_t *prop_hash; /* case-insensitive name -> index + 1 (props.c) */
    size_t prop_hash_size;
    const uint64_t *prop_masks; /* armcpu_suggest_mask of each name (props.c) */
    const size_t *prop_lens;    /* strlen of each name */
    const uint32_t *field_prop; /* per flat field: the property that names it
                                   (armcpu_field_prop), as an index */
    bool props_owned;           /* built at run time (the generator): freed */
    const struct armcpu_model **models;
    size_t n_models;
};


/* Parses `text` for property p into assignments (at most max); composites
 * produce none (on/off is returned in *composite_on). */
int armcpu_prop_parse(const struct armcpu_prop *p, const char *text,
                      struct field_assign *out, size_t max, size_t *n,
                      bool *composite_on, armcpu_error *err);

/* A vCPU configuration property (ARMCPU_PROP_CONFIG): the item it sets and
 * the value text means. sveN: *sve_on says on or off, *value is the
 * length's bit (vq - 1). */
int armcpu_prop_parse_config(const struct armcpu_prop *p, const char *text, uint64_t *value,
                             bool *sve_on, armcpu_error *err);

int armcpu_setting_assignments(const struct armcpu_ctx *ctx, const char *target,
                               const char *value, struct field_assign *out,
                               size_t max, size_t *n, armcpu_error *err);

/* Is f one of the fields of composite property "sve", "pauth", "pmu" or
 * "aarch32"? (the groups a KVM vCPU feature switches) */
bool armcpu_field_in_composite(const char *composite, const armcpu_field *f);

/* The property table built from the field table and props.c's reviewed
 * lists (what tools/gen-data runs), or the generated copy of it. */
int armcpu_props_build(struct armcpu_ctx *ctx, armcpu_error *err);
void armcpu_props_use_builtin(struct armcpu_ctx *ctx);
void armcpu_props_free(struct armcpu_ctx *ctx);
void armcpu_models_free(struct armcpu_ctx *ctx);

/* The tables generated at build time (tools/gen-data: builtin.gen.c). */
extern const struct armcpu_prop armcpu_builtin_props[];
extern const size_t armcpu_builtin_props_count;
extern const uint32_t armcpu_builtin_prop_hash[];
extern const size_t armcpu_builtin_prop_hash_size;
extern const uint64_t armcpu_builtin_prop_masks[];
extern const size_t armcpu_builtin_prop_lens[];
extern const uint32_t armcpu_builtin_field_props[];
extern const struct armcpu_model *const armcpu_builtin_models[];
extern const size_t armcpu_builtin_models_count;

/* A KVM version's writable masks (kernels/linux-VER.masks), by register
 * index, in ascending version order. */
struct armcpu_kernel_table {
    const char *version; /* "6.12" */
    unsigned key;        /* armcpu_kernel_key */
    const char *provenance;
    const char *capabilities;
    bool has_masks;
    const uint64_t *masks;
};
extern const struct armcpu_kernel_table armcpu_builtin_kernels[];
extern const size_t armcpu_builtin_kernels_count;

/* KVM's guest-view rules of one kernel (kernels/linux-VER.view, parsed by
 * tools/gen-data; src/host/view.c applies them). A field no rule names
 * reads the host's value; otherwise the first rule whose condition holds. */
enum {
    ARMCPU_VIEW_HIDE,    /* reads value */
    ARMCPU_VIEW_CAP,     /* reads min(host, value) */
    ARMCPU_VIEW_FORCE,   /* reads value whatever the host */
    ARMCPU_VIEW_HW,      /* reads the raw hardware value (not sanitised) */
    ARMCPU_VIEW_SYNTH,   /* computed by KVM from other state */
    ARMCPU_VIEW_HOSTDEP, /* depends on host state that is no ID register */
};
/* What a rule's condition may test: ARMCPU_VCPU_SVE/PTRAUTH/PMU, then: */
#define ARMCPU_VIEWCFG_MTE 8u    /* the VM has KVM_CAP_ARM_MTE */
#define ARMCPU_VIEWCFG_EL2 16u   /* the vCPU has KVM_ARM_VCPU_HAS_EL2 */
#define ARMCPU_VIEWCFG_GICV3 32u /* the VM has a vGICv3 */
struct armcpu_view_rule {
    uint16_t field;   /* flat field index */
    uint8_t action;   /* ARMCPU_VIEW_* */
    uint8_t cond;     /* one configuration bit, or 0: always */
    bool negate;      /* "unless" */
    uint64_t value;
};
struct armcpu_view_table {
    const char *version; /* "6.12" */
    unsigned key;
    const char *provenance;
    const struct armcpu_view_rule *rules; /* by field, file order within one */
    size_t n_rules;
};
extern const struct armcpu_view_table armcpu_builtin_views[];
/* The entry of a table ascending by kernel key (the n keys lie `stride`
 * bytes apart from first_key) for a release: its version's (*exact), else
 * the nearest older; false for none (src/host/kernels.c). */
bool armcpu_key_table_for(const char *release, const unsigned *first_key, size_t n,
                          size_t stride, size_t *index, bool *exact);
extern const size_t armcpu_builtin_views_count;

/* Embedded model files (generated at build time from models/ *.model). */
struct armcpu_embedded_file {
    const char *name; /* file name, e.g. "neoverse.model" */
    const char *stem; /* without the extension, e.g. "graviton3-linux-6.1" */
    const char *text;
};
extern const struct armcpu_embedded_file armcpu_embedded_models[];
extern const size_t armcpu_embedded_models_count;
extern const struct armcpu_embedded_file armcpu_embedded_hosts[];
extern const size_t armcpu_embedded_hosts_count;
extern const struct armcpu_embedded_file armcpu_embedded_views[];
extern const size_t armcpu_embedded_views_count;
extern const struct armcpu_embedded_file armcpu_embedded_kernels[];
extern const size_t armcpu_embedded_kernels_count;

char *armcpu_strdup(const char *s);

/* src/query/check.c: armcpu_check's callbacks for the blocking and unknown
 * verdicts only (others may be skipped), every reason "" (no text
 * formatted): what the models-on-a-host query needs, fast. */
size_t armcpu_check_verdicts(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                             void *opaque);
/* One register of a spec against one host view, the step armcpu_check
 * takes for every register (fn may be NULL); returns the blocking
 * verdicts. */
size_t armcpu_check_reg(const armcpu_reg *r, uint64_t spec_reg, unsigned flags,
                        const armcpu_reg_view *v, armcpu_check_fn fn, void *opaque);

/* Per-register arrays (index armcpu_reg_index) for the checks' hot loop:
 * a realized spec's values; a host's values, masks (NULL: none) and states. */
const uint64_t *armcpu_cpu_reg_values(const armcpu_cpu *cpu);
/* Does the model (or a property) set any field of register reg_index? */
bool armcpu_cpu_reg_set(const armcpu_cpu *cpu, size_t reg_index);
/* The same for the first 64 registers, one bit each (bit i: register i). */
uint64_t armcpu_cpu_set_mask(const armcpu_cpu *cpu);
/* armcpu_check's step for the vCPU configuration items alone. */
size_t armcpu_check_config_of(const armcpu_cpu *cpu, const armcpu_host *host, armcpu_check_fn fn,
                              void *opaque);
/* Bit c: the spec sets vCPU configuration item c (armcpu_cpu_config). */
unsigned armcpu_cpu_config_mask(const armcpu_cpu *cpu);
void armcpu_host_arrays(const armcpu_host *h, const uint64_t **values, const uint64_t **masks,
                        const armcpu_reg_state **states);

/* The host's unknown bits per register (NULL: none), and their setter (an
 * unknown bit reads 0 in the value). */
const uint64_t *armcpu_host_unknown_array(const armcpu_host *h);
int armcpu_host_set_unknown(armcpu_host *h, const armcpu_reg *reg, uint64_t bits,
                            armcpu_error *err);
void armcpu_host_set_bare_metal(armcpu_host *h, bool bare_metal);
/* A guest's mrs read of a table register (armcpu_host_guest_read); a view
 * derived for another kernel drops them all: they were that kernel's. */
int armcpu_host_set_guest_read(armcpu_host *h, const armcpu_reg *reg, uint64_t value,
                               armcpu_error *err);
void armcpu_host_clear_guest_reads(armcpu_host *h);
void armcpu_host_set_cntfrq(armcpu_host *h, uint64_t hz);
/* One register's value and unknown bits (a present register). */
int armcpu_host_set_reg(armcpu_host *h, const armcpu_reg *reg, uint64_t value, uint64_t unknown,
                        armcpu_error *err);
/* src/host/view.c: the host's values re-derived as view table `target`
 * shows them (from the snapshot's own kernel's rules, or from a bare-metal
 * read); the caller then sets the kernel. */
int armcpu_host_derive_view(armcpu_host *h, size_t target, armcpu_error *err);
/* The host as cpu's vCPU sees it (armcpu_cpu_vcpu_features): h itself, or
 * its view for fewer vCPU features in *owned (free it). Every judgement of
 * a spec on a host goes through it, so all commands agree with check. */
/* The vCPU features a register file (table order) implies: SVE, PMU and
 * pointer auth as armcpu_cpu_vcpu_features; a live vCPU's own values show
 * exactly the features it was created with (KVM hides the others). */
unsigned armcpu_vcpu_features_of(const uint64_t *regs);
/* armcpu_host_for_vcpu made once per host and configuration and kept with
 * the host (until it changes or is freed); NULL when out of memory. */
const armcpu_host *armcpu_host_vcpu_view(const armcpu_host *h, unsigned features);
const armcpu_host *armcpu_host_for_spec(const armcpu_cpu *cpu, const armcpu_host *h);

/* Group bits (ARMCPU_GROUP_*) whose vCPU feature was off when the host was
 * measured: those fields' limits are unknown (src/host/host.c). */
unsigned armcpu_host_groups_off(const armcpu_host *host);
/* armcpu_kernel_key of the host's kernel release (0: unknown). */
unsigned armcpu_host_kernel_key(const armcpu_host *host);

/* src/host: a snapshot from arrays (the KVM probe, copies): states, values,
 * masks (NULL: the kernel reports none), absent reasons (NULL: ENOENT),
 * the vCPU features (ARMCPU_VCPU_*) when known. */
armcpu_host *armcpu_host_from_arrays(const armcpu_reg_state *states, const uint64_t *values,
                                     const uint64_t *masks, const char *const *absent,
                                     const char *name, const char *kernel, const char *source,
                                     bool features_known, unsigned features_on,
                                     armcpu_error *err);
armcpu_host *armcpu_host_dup(const armcpu_host *h, armcpu_error *err);
/* Identity of what the judgement reads (states, values, masks, vCPU
 * features, kernel key): hash and equality, for folding fleets. */
uint64_t armcpu_host_hash(const armcpu_host *h);
bool armcpu_host_same(const armcpu_host *a, const armcpu_host *b);

/* src/host: replace a host's writable masks (armcpu_host_apply_kernel). */
struct armcpu_host;
int armcpu_host_set_masks(struct armcpu_host *h, bool has_masks, const uint64_t *masks,
                          const char *kernel, armcpu_error *err);

#endif
