/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the output formats (src/out). */
#ifndef ARMCPU_SRC_OUT_INTERNAL_H
#define ARMCPU_SRC_OUT_INTERNAL_H

#include "armcpu/host.h"
#include "armcpu/out.h"
#include "core/ctx.h"
#include "util/util.h"

/* op0 3, op1 0/1/3, CRn 0, CRm 0..7: the range KVM's writable masks cover
 * and the customizable host model's SYSREG_ properties name. */
static inline bool out_in_feature_id_space(const armcpu_reg *r)
{
    unsigned op0, op1, crn, crm, op2;
    armcpu_reg_encoding(r, &op0, &op1, &crn, &crm, &op2);
    return op0 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) && crn == 0 && crm <= 7;
}

/* Does the spec leave register r to the host (the judgement's host-given:
 * AArch32 registers of a spec without AArch32, cache geometry the spec
 * does not set)? A VMM then writes nothing there. */
static inline bool out_host_given(const armcpu_cpu *cpu, const armcpu_reg *r)
{
    unsigned flags = armcpu_cpu_judge_flags(cpu, r);
    return (armcpu_reg_is_aarch32(r) && !(flags & ARMCPU_JUDGE_AARCH32)) ||
           (armcpu_reg_is_geometry(r) && !(flags & ARMCPU_JUDGE_SETS));
}

/* The fields of register r a VMM must write for cpu on host h, by the
 * checks' judgement (armcpu_judge): settable ones, every field of a
 * register the host data has no value for, unchecked ones where writable;
 * and in *refused those of them the judgement blocks (KVM would refuse or
 * not show them). None of a register the spec leaves to the host or KVM
 * does not expose; no identity field the kernel cannot write. */
uint64_t out_fields_to_write(const armcpu_cpu *cpu, const armcpu_host *h, const armcpu_reg *r,
                             uint64_t *refused);

/* The canonical spec with every field its own override (no fractional
 * pairs), so one field's override can replace it (armcpu_fix). */
char *out_canonical_by_field(const armcpu_ctx *ctx, const armcpu_cpu *cpu, armcpu_error *err);
/* Appends override `text` for field f to spec s, first dropping the
 * single-field properties of s that set f. */
void out_spec_set_field(const armcpu_ctx *ctx, struct strbuf *s, const armcpu_field *f,
                        const char *text);

/* The same for a vCPU configuration item: its properties in s replaced by
 * the ones that set it to value. */
void out_spec_set_config(const armcpu_ctx *ctx, struct strbuf *s, armcpu_config c, uint64_t value);

/* "a, b, ... and more" lists for error messages (the first 8 named). */
struct out_list {
    struct strbuf names;
    size_t n;
};
void out_list_add(struct out_list *l, const char *item);
/* The fields a VMM would have to write but KVM would refuse: collected per
 * register, then one error naming them: ARMCPU_OK when none, else
 * ARMCPU_ERR_CONFLICT. Either way the list is emptied. */
void out_refused_add(struct out_list *l, const armcpu_reg *r, uint64_t fields);
int out_refused_error(struct out_list *l, const armcpu_host *h, armcpu_error *err);

#endif
