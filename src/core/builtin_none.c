/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Empty built-in tables for tools/gen-data, which builds the real ones
 * (builtin.gen.c) from the property builder, the model parser and the
 * kernel mask files: compiled into the generator only.
 */
#include "ctx.h"

const struct armcpu_prop armcpu_builtin_props[1];
const size_t armcpu_builtin_props_count = 0;
const uint32_t armcpu_builtin_prop_hash[1];
const size_t armcpu_builtin_prop_hash_size = 0;
const uint64_t armcpu_builtin_prop_masks[1];
const size_t armcpu_builtin_prop_lens[1];
const uint32_t armcpu_builtin_field_props[1];
const struct armcpu_model *const armcpu_builtin_models[1];
const size_t armcpu_builtin_models_count = 0;
const struct armcpu_view_table armcpu_builtin_views[1];
const size_t armcpu_builtin_views_count = 0;
const struct armcpu_kernel_table armcpu_builtin_kernels[1];
const size_t armcpu_builtin_kernels_count = 0;
