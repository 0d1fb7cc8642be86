/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Three-valued evaluation of Arm AARCHMRS feature expressions:
 * FEAT_X, vXApY, !, &&, || and parentheses. */
#ifndef ARMCPU_SRC_QUERY_FEATEXPR_H
#define ARMCPU_SRC_QUERY_FEATEXPR_H

#include <stddef.h>

enum armcpu_tv { ARMCPU_TV_FALSE, ARMCPU_TV_TRUE, ARMCPU_TV_UNKNOWN };

/* Value of one atom (a FEAT_ or version name of `len` bytes). */
typedef enum armcpu_tv (*armcpu_atom_fn)(const char *name, size_t len,
                                         void *opaque);

enum armcpu_tv armcpu_tv_or(enum armcpu_tv a, enum armcpu_tv b);

/* Anything outside the grammar (e.g. "-->") evaluates to UNKNOWN. */
enum armcpu_tv armcpu_feat_expr_eval(const char *s, size_t len,
                                     armcpu_atom_fn atom, void *opaque);

#endif
