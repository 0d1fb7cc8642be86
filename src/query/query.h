/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal interface between the query modules. */
#ifndef ARMCPU_SRC_QUERY_QUERY_H
#define ARMCPU_SRC_QUERY_QUERY_H

#include "armcpu/model.h"

/*
 * Every FEAT whose field condition holds, with whether Arm's guard of the
 * mapping holds too (guard_ok: the feature is implemented). field_valid is
 * the guard with EL2/EL3 assumed present: when it fails, the guard names a
 * feature without which the field has no meaning (FEAT_SVE || FEAT_SME for
 * ID_AA64ZFR0_EL1), so the field should read 0.
 */
typedef void (*armcpu_feature_scan_fn)(const char *feat, const armcpu_field *f,
                                       uint64_t min_value, bool guard_ok,
                                       bool field_valid, const char *guard,
                                       void *opaque);
void armcpu_features_scan(const armcpu_cpu *cpu, armcpu_feature_scan_fn fn,
                          void *opaque);

#endif
