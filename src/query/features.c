/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* FEAT_ names implemented by a realized register set. */
#include <string.h>

#include "../core/ctx.h"

void armcpu_cpu_for_each_feature(const armcpu_cpu *cpu, armcpu_feature_fn fn,
                                 void *opaque)
{
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t rv = armcpu_cpu_reg_value(cpu, reg);
        for (size_t i = 0; i < reg->n_fields; i++) {
            const armcpu_field *f = &reg->fields[i];
            uint64_t v = armcpu_field_get(f, rv);
            int64_t sv = armcpu_field_get_signed(f, rv);
            /* The PMU versions map as N <= value < 0xf (IMPLEMENTATION DEFINED). */
            if (v == 0xf && (!strcmp(f->name, "PMUVer") || !strcmp(f->name, "PerfMon")))
                continue;
            for (size_t k = 0; k < f->n_values; k++) {
                const struct armcpu_value_name *vn = &f->values[k];
                if (!vn->feat)
                    continue;
                bool has = f->is_signed
                               ? sv >= armcpu_field_get_signed(f, vn->value << f->lsb)
                               : v >= vn->value;
                if (has)
                    fn(vn->feat, f, vn->value, opaque);
            }
        }
    }
}
