/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fleet's meet, shared by baseline, plan and diff (src/fleet). */
#ifndef ARMCPU_SRC_FLEET_MEET_H
#define ARMCPU_SRC_FLEET_MEET_H

#include "fleet_internal.h"

enum meet_kind {
    MK_DECIDED,  /* the meet's value (hosts agree, or the greatest all accept) */
    MK_FREE,     /* any value is accepted everywhere (identity or any-value
                    registers writable on every host): the model's stays */
    MK_GIVEN,    /* left to the hosts (AArch32 registers of a spec without
                    AArch32; cache geometry the model does not set) */
    MK_IDENTITY, /* MIDR/REVIDR/AIDR differ and cannot all be written */
    MK_CONFLICT, /* no value every host accepts */
    MK_UNKNOWN,  /* no host can tell */
};

struct fmeet {
    unsigned char kind;
    bool some_unknown; /* some host could not tell (decided by the others) */
    uint64_t value;    /* MK_DECIDED */
    uint64_t lo;       /* the smallest value a host that knows has */
};

struct meet_conflict {
    const armcpu_field *field; /* NULL: bits outside every field */
    const armcpu_reg *reg;
    char *text;
};

/* The meet for one spec context: AArch32 or not, and which cache-geometry
 * registers the model sets (bit i: register i). */
struct meet {
    bool aarch32;
    uint64_t geo_sets;
    size_t *first;         /* per register: its first field's flat index */
    struct fmeet *f;       /* per flat field index */
    uint64_t *reg_value;   /* per register: decided fields, others the first host's */
    uint64_t *decided;     /* per register: bits of the decided fields */
    struct meet_conflict *cf;
    size_t n_cf, cap_cf;
    char **id; /* identity differences */
    size_t n_id;
};

struct meet *meet_new(const struct views *vs, const armcpu_fleet *fleet, bool aarch32,
                      uint64_t geo_sets, armcpu_error *err);
void meet_free(struct meet *m);
const struct fmeet *meet_field_of(const struct meet *m, const armcpu_field *f);
bool meet_aarch32(const struct meet *m, const uint64_t *model_regs);
/* armcpu_judge of value c for f alone on a view (its register with f set). */
armcpu_verdict meet_judge(const armcpu_field *f, uint64_t c, unsigned flags, const struct view *v,
                          char *why, size_t size);

#endif
