/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals of the fleet layer (include/armcpu/fleet.h). */
#ifndef ARMCPU_SRC_FLEET_INTERNAL_H
#define ARMCPU_SRC_FLEET_INTERNAL_H

#include <json-c/json.h>

#include "armcpu/fleet.h"
#include "../core/ctx.h"
#include "../util/util.h"

struct fleet_class {
    armcpu_host *host; /* owned */
    size_t count;
    uint64_t hash; /* armcpu_host_hash */
};

/* JSON Lines folding: a line's text with its "name" value cut out, and the
 * class it loaded as (lines identical but for the name join it unparsed). */
struct line_key {
    uint64_t hash;
    char *key;     /* the line without the name's characters */
    size_t len;
    size_t name_at; /* where the name was */
    size_t cls;
};

struct armcpu_fleet {
    struct fleet_class *cls;
    size_t n, cap;
    size_t hosts;
    size_t *index; /* open addressing on hash: class index + 1, 0 empty */
    size_t index_cap;
    struct line_key *lines;
    size_t n_lines, lines_cap;
    size_t *lindex;
    size_t lindex_cap;
    /* the distinct offsets of the name in the cached keys (a few: lines
     * written by one tool put it at one place) */
    size_t name_at[8];
    size_t n_name_at;
};

/* ---------------------------------------------------- register views */

/* One distinct register view over the fleet: what armcpu_judge reads, how
 * many hosts have it, and the first class that does. */
struct view {
    armcpu_reg_view v;
    size_t hosts;
    size_t first;
};

struct reg_views {
    struct view *v;
    size_t n, cap;
    size_t *index; /* open addressing: view index + 1 */
    size_t index_cap;
};

/* Every register's distinct views (index armcpu_reg_index). */
struct views {
    struct reg_views *reg;
    size_t n_regs;
};

int views_build(struct views *vs, const struct armcpu_fleet *f, armcpu_error *err);
/* The common value of a vCPU configuration item over hosts (baseline and
 * diff): -1 with *common (and *differ: some host's value is not the
 * first's), or -1 with *conflict (caller frees) when no value every host
 * takes; the index of the first host that does not record it; -2 when out
 * of memory. */
int fleet_config_common(const armcpu_host *const *hs, size_t n, armcpu_config item,
                        uint64_t *common, bool *differ, char **conflict);
bool cntfrq_conflict(const armcpu_host *a, const armcpu_host *b, char *t, size_t size);
int fleet_common_vcpu(const struct armcpu_fleet *f, struct armcpu_fleet **result,
                      armcpu_error *err);
void views_free(struct views *vs);

/* ------------------------------------------------------------ helpers */

/* "REG.FIELD" of f in buf; returns buf. */
char *fleet_field_name(const armcpu_field *f, char *buf, size_t size);
/* A baseline's unknown fields ("REG.FIELD") and identity differences as
 * JSON arrays, for its own JSON and plan's. */
struct json_object *baseline_unknown_json(const armcpu_baseline *b);
/* {"set": {item: value}, "unknown": ["item (host does not record it)"]} */
struct json_object *baseline_config_json(const armcpu_baseline *b);
struct json_object *baseline_identity_json(const armcpu_baseline *b);


#endif
