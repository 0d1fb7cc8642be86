/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench: wall-clock timings of libarmcpu's hot entry points.
 *
 *   bench [--min-time SEC] [--runs N] [--filter SUBSTRING]
 *       Every benchmark is calibrated so that one run takes at least
 *       --min-time seconds (default 0.5), then run --runs times (default 5);
 *       the median time per operation and the operations per second of that
 *       median are printed as a markdown table. CLOCK_MONOTONIC.
 *
 *   bench --once
 *       For valgrind --tool=callgrind: after one uncounted warm-up call each,
 *       calls every measured operation exactly once from its own function
 *       (cg_ctx_new, cg_realize_grace, ...); read their inclusive
 *       instruction counts with callgrind_annotate --inclusive=yes.
 *
 * An "operation" is one call of the function named in the table (ctx_new and
 * realize include the matching free). Sweeps over every property, field or
 * register count one operation per name or register.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "armcpu/armcpu.h"
#include "armcpu/model.h"

#define MAX_RUNS 101

/* Results are folded into this so the compiler cannot drop the work. */
static volatile uint64_t sink;

static void die(const char *what, const armcpu_error *err)
{
    fprintf(stderr, "bench: %s: %s\n", what,
            err && err->message[0] ? err->message : "failed");
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------ fixtures */

static const char *const SPEC_GRACE = "grace-v1";
static const char *const SPEC_NEOVERSE =
    "neoverse-v1-v1,hw_prop_TGRAN4_2=off,sve=off,feat_AES=aes";

struct fixture {
    armcpu_ctx *ctx;
    char *spec_full;     /* grace-v1 with every field as a SYSREG_ property */
    size_t spec_full_props;
    const char **prop_names;
    size_t nprops;
    char **field_names;  /* "REG.FIELD" */
    const armcpu_field **fields;
    uint64_t *field_host; /* grace-v1's value of each field: the "host" */
    size_t nfields;
    unsigned (*enc)[5];  /* op0 op1 crn crm op2 of every register */
    uint64_t *kvm_ids;
    size_t nregs;
};

static struct fixture fx;

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    return p;
}

/* Like `armcpu expand grace-v1 --spec`: every field of every register. */
static char *full_spec(const armcpu_cpu *cpu, const char *model, size_t *nprops)
{
    size_t cap = 4096, len = 0;
    char *s = xmalloc(cap);
    len = (size_t)snprintf(s, cap, "%s", model);
    *nprops = 0;
    for (size_t r = 0; r < armcpu_reg_count(); r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t v = armcpu_cpu_reg_value(cpu, reg);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            char item[256];
            int n = snprintf(item, sizeof item, ",SYSREG_%s_%s=0x%" PRIx64,
                             armcpu_reg_name(reg), armcpu_field_name(f),
                             armcpu_field_get(f, v));
            if (n < 0 || (size_t)n >= sizeof item) {
                fprintf(stderr, "bench: property name too long\n");
                exit(1);
            }
            while (len + (size_t)n + 1 > cap) {
                cap *= 2;
                char *t = realloc(s, cap);
                if (!t) {
                    fprintf(stderr, "bench: out of memory\n");
                    exit(1);
                }
                s = t;
            }
            memcpy(s + len, item, (size_t)n + 1);
            len += (size_t)n;
            (*nprops)++;
        }
    }
    return s;
}

static void fixture_init(void)
{
    armcpu_error err = {0};
    fx.ctx = armcpu_ctx_new(&err);
    if (!fx.ctx)
        die("armcpu_ctx_new", &err);

    armcpu_cpu *grace = armcpu_realize(fx.ctx, SPEC_GRACE, false, &err);
    if (!grace)
        die(SPEC_GRACE, &err);
    fx.spec_full = full_spec(grace, SPEC_GRACE, &fx.spec_full_props);

    fx.nprops = armcpu_prop_count(fx.ctx);
    fx.prop_names = xmalloc(fx.nprops * sizeof *fx.prop_names);
    for (size_t i = 0; i < fx.nprops; i++)
        fx.prop_names[i] = armcpu_prop_name(armcpu_prop_at(fx.ctx, i));

    fx.nregs = armcpu_reg_count();
    fx.enc = xmalloc(fx.nregs * sizeof *fx.enc);
    fx.kvm_ids = xmalloc(fx.nregs * sizeof *fx.kvm_ids);
    fx.nfields = 0;
    for (size_t r = 0; r < fx.nregs; r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        unsigned *e = fx.enc[r];
        armcpu_reg_encoding(reg, &e[0], &e[1], &e[2], &e[3], &e[4]);
        fx.kvm_ids[r] = armcpu_reg_kvm_id(reg);
        fx.nfields += armcpu_reg_field_count(reg);
    }
    fx.field_names = xmalloc(fx.nfields * sizeof *fx.field_names);
    fx.fields = xmalloc(fx.nfields * sizeof *fx.fields);
    fx.field_host = xmalloc(fx.nfields * sizeof *fx.field_host);
    size_t k = 0;
    for (size_t r = 0; r < fx.nregs; r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        uint64_t v = armcpu_cpu_reg_value(grace, reg);
        for (size_t i = 0; i < armcpu_reg_field_count(reg); i++, k++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, i);
            size_t n = strlen(armcpu_reg_name(reg)) +
                       strlen(armcpu_field_name(f)) + 2;
            fx.field_names[k] = xmalloc(n);
            snprintf(fx.field_names[k], n, "%s.%s", armcpu_reg_name(reg),
                     armcpu_field_name(f));
            fx.fields[k] = f;
            fx.field_host[k] = armcpu_field_get(f, v);
        }
    }
    armcpu_cpu_free(grace);

    /* Every lookup must succeed and find what it was built from, and the
     * three specs must realize: otherwise the timings measure error paths. */
    for (size_t i = 0; i < fx.nprops; i++)
        if (armcpu_prop_lookup(fx.ctx, fx.prop_names[i], &err) !=
            armcpu_prop_at(fx.ctx, i))
            die(fx.prop_names[i], &err);
    for (size_t i = 0; i < fx.nfields; i++)
        if (armcpu_field_lookup(fx.field_names[i], &err) != fx.fields[i])
            die(fx.field_names[i], &err);
    for (size_t r = 0; r < fx.nregs; r++) {
        uint64_t id;
        unsigned d[6];
        const unsigned *e = fx.enc[r];
        if (armcpu_kvm_id_encode(e[0], e[1], e[2], e[3], e[4], 64, &id, &err))
            die("armcpu_kvm_id_encode", &err);
        if (id != fx.kvm_ids[r] ||
            armcpu_kvm_id_decode(id, &d[0], &d[1], &d[2], &d[3], &d[4], &d[5],
                                 &err) ||
            d[0] != e[0] || d[1] != e[1] || d[2] != e[2] || d[3] != e[3] ||
            d[4] != e[4] || d[5] != 64)
            die("armcpu_kvm_id_decode round trip", &err);
    }
    const char *specs[] = {SPEC_GRACE, SPEC_NEOVERSE, fx.spec_full};
    for (size_t i = 0; i < 3; i++) {
        armcpu_cpu *cpu = armcpu_realize(fx.ctx, specs[i], false, &err);
        if (!cpu)
            die(i == 2 ? "full SYSREG_ spec of grace-v1" : specs[i], &err);
        armcpu_cpu_free(cpu);
    }
}

static void fixture_free(void)
{
    for (size_t i = 0; i < fx.nfields; i++)
        free(fx.field_names[i]);
    free(fx.field_names);
    free(fx.fields);
    free(fx.field_host);
    free(fx.prop_names);
    free(fx.enc);
    free(fx.kvm_ids);
    free(fx.spec_full);
    armcpu_ctx_free(fx.ctx);
}

/* ------------------------------------------------------------ operations */
/*
 * Each body runs the measured work `reps` times and returns the number of
 * operations done. They are external (not static) so that their names
 * survive into callgrind output unchanged.
 */
typedef size_t (*body_fn)(size_t reps);

size_t op_ctx_new(size_t reps);
size_t op_ctx_new_empty(size_t reps);
size_t op_realize_grace(size_t reps);
size_t op_realize_neoverse(size_t reps);
size_t op_realize_full(size_t reps);
size_t op_prop_lookup(size_t reps);
size_t op_field_lookup(size_t reps);
size_t op_field_is_safe(size_t reps);
size_t op_field_is_safe_reason(size_t reps);
size_t op_kvm_id_encode(size_t reps);
size_t op_kvm_id_decode(size_t reps);

size_t op_ctx_new(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        armcpu_ctx *c = armcpu_ctx_new(NULL);
        if (!c)
            die("armcpu_ctx_new", NULL);
        sink += armcpu_prop_count(c);
        armcpu_ctx_free(c);
    }
    return reps;
}

size_t op_ctx_new_empty(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        armcpu_ctx *c = armcpu_ctx_new_empty(NULL);
        if (!c)
            die("armcpu_ctx_new_empty", NULL);
        sink += armcpu_prop_count(c);
        armcpu_ctx_free(c);
    }
    return reps;
}

static size_t realize_n(const char *spec, size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        armcpu_cpu *cpu = armcpu_realize(fx.ctx, spec, false, NULL);
        if (!cpu)
            die("armcpu_realize", NULL);
        sink += armcpu_cpu_warning_count(cpu);
        armcpu_cpu_free(cpu);
    }
    return reps;
}

size_t op_realize_grace(size_t reps) { return realize_n(SPEC_GRACE, reps); }
size_t op_realize_neoverse(size_t reps) { return realize_n(SPEC_NEOVERSE, reps); }
size_t op_realize_full(size_t reps) { return realize_n(fx.spec_full, reps); }

size_t op_prop_lookup(size_t reps)
{
    for (size_t i = 0; i < reps; i++)
        for (size_t k = 0; k < fx.nprops; k++)
            sink += (uintptr_t)armcpu_prop_lookup(fx.ctx, fx.prop_names[k], NULL);
    return reps * fx.nprops;
}

size_t op_field_lookup(size_t reps)
{
    for (size_t i = 0; i < reps; i++)
        for (size_t k = 0; k < fx.nfields; k++)
            sink += (uintptr_t)armcpu_field_lookup(fx.field_names[k], NULL);
    return reps * fx.nfields;
}

size_t op_field_is_safe(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        uint64_t n = 0;
        for (size_t k = 0; k < fx.nfields; k++)
            for (uint64_t v = 0; v < 16; v++)
                n += armcpu_field_is_safe(fx.fields[k], v, fx.field_host[k],
                                          NULL, 0);
        sink += n;
    }
    return reps * fx.nfields * 16;
}

size_t op_field_is_safe_reason(size_t reps)
{
    char reason[256];
    for (size_t i = 0; i < reps; i++) {
        uint64_t n = 0;
        for (size_t k = 0; k < fx.nfields; k++)
            for (uint64_t v = 0; v < 16; v++)
                n += armcpu_field_is_safe(fx.fields[k], v, fx.field_host[k],
                                          reason, sizeof reason);
        sink += n + (unsigned char)reason[0];
    }
    return reps * fx.nfields * 16;
}

size_t op_kvm_id_encode(size_t reps)
{
    for (size_t i = 0; i < reps; i++)
        for (size_t r = 0; r < fx.nregs; r++) {
            const unsigned *e = fx.enc[r];
            uint64_t id = 0;
            armcpu_kvm_id_encode(e[0], e[1], e[2], e[3], e[4], 64, &id, NULL);
            sink += id;
        }
    return reps * fx.nregs;
}

size_t op_kvm_id_decode(size_t reps)
{
    for (size_t i = 0; i < reps; i++)
        for (size_t r = 0; r < fx.nregs; r++) {
            unsigned d[6] = {0};
            armcpu_kvm_id_decode(fx.kvm_ids[r], &d[0], &d[1], &d[2], &d[3],
                                 &d[4], &d[5], NULL);
            sink += d[0] + d[1] + d[2] + d[3] + d[4] + d[5];
        }
    return reps * fx.nregs;
}

/* ------------------------------------------------------------ callgrind */
/*
 * One operation each (one full sweep for the lookup rows), each from its own
 * function so that callgrind_annotate --inclusive=yes shows its cost.
 */
void cg_ctx_new(void);
void cg_ctx_new_empty(void);
void cg_realize_grace(void);
void cg_realize_neoverse(void);
void cg_realize_full(void);
void cg_prop_lookup_all(void);
void cg_field_lookup_all(void);
void cg_field_is_safe_all(void);
void cg_field_is_safe_reason_all(void);
void cg_kvm_id_encode_all(void);
void cg_kvm_id_decode_all(void);

void cg_ctx_new(void) { op_ctx_new(1); }
void cg_ctx_new_empty(void) { op_ctx_new_empty(1); }
void cg_realize_grace(void) { op_realize_grace(1); }
void cg_realize_neoverse(void) { op_realize_neoverse(1); }
void cg_realize_full(void) { op_realize_full(1); }
void cg_prop_lookup_all(void) { op_prop_lookup(1); }
void cg_field_lookup_all(void) { op_field_lookup(1); }
void cg_field_is_safe_all(void) { op_field_is_safe(1); }
void cg_field_is_safe_reason_all(void) { op_field_is_safe_reason(1); }
void cg_kvm_id_encode_all(void) { op_kvm_id_encode(1); }
void cg_kvm_id_decode_all(void) { op_kvm_id_decode(1); }

static void run_once(void)
{
    static void (*const cg[])(void) = {
        cg_ctx_new,          cg_ctx_new_empty,    cg_realize_grace,
        cg_realize_neoverse, cg_realize_full,     cg_prop_lookup_all,
        cg_field_lookup_all, cg_field_is_safe_all, cg_field_is_safe_reason_all,
        cg_kvm_id_encode_all, cg_kvm_id_decode_all,
    };
    static const body_fn warm[] = {
        op_ctx_new,          op_ctx_new_empty, op_realize_grace,
        op_realize_neoverse, op_realize_full,  op_prop_lookup,
        op_field_lookup,     op_field_is_safe, op_field_is_safe_reason,
        op_kvm_id_encode,    op_kvm_id_decode,
    };
    for (size_t i = 0; i < sizeof warm / sizeof warm[0]; i++)
        warm[i](1);
    for (size_t i = 0; i < sizeof cg / sizeof cg[0]; i++)
        cg[i]();
    printf("once: %zu properties, %zu fields, %zu registers, full spec of "
           "%zu SYSREG_ properties (%zu bytes)\n",
           fx.nprops, fx.nfields, fx.nregs, fx.spec_full_props,
           strlen(fx.spec_full));
}

/* ------------------------------------------------------------ timing */

struct bench {
    const char *name;
    const char *what; /* what one operation is */
    body_fn fn;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void fmt_time(double s, char *buf, size_t size)
{
    if (s >= 1e-3)
        snprintf(buf, size, "%.3f ms", s * 1e3);
    else if (s >= 1e-6)
        snprintf(buf, size, "%.3f µs", s * 1e6);
    else
        snprintf(buf, size, "%.1f ns", s * 1e9);
}

static void fmt_rate(double r, char *buf, size_t size)
{
    if (r >= 1e6)
        snprintf(buf, size, "%.2f M", r / 1e6);
    else if (r >= 1e3)
        snprintf(buf, size, "%.1f k", r / 1e3);
    else
        snprintf(buf, size, "%.0f", r);
}

static void run_bench(const struct bench *b, double min_time, int runs)
{
    /* Calibrate: grow reps until a run takes a tenth of min_time, then
     * scale, with a margin, to min_time. */
    size_t reps = 1;
    double t;
    for (;;) {
        double t0 = now_s();
        b->fn(reps);
        t = now_s() - t0;
        if (t >= min_time / 10 || reps > (SIZE_MAX / 4))
            break;
        reps *= 2;
    }
    double scaled = (double)reps * min_time * 1.15 / (t > 0 ? t : 1e-9);
    if (scaled > (double)reps)
        reps = (size_t)scaled;

    double per_op[MAX_RUNS], run_time[MAX_RUNS];
    size_t ops = 0;
    for (int r = 0; r < runs; r++) {
        double t0, t1;
        for (;;) {
            t0 = now_s();
            ops = b->fn(reps);
            t1 = now_s();
            if (t1 - t0 >= min_time)
                break;
            /* Too fast (frequency ramp, noise): redo this run longer. */
            reps = (size_t)((double)reps * min_time * 1.2 / (t1 - t0)) + 1;
        }
        run_time[r] = t1 - t0;
        per_op[r] = (t1 - t0) / (double)ops;
    }
    double sorted[MAX_RUNS];
    memcpy(sorted, per_op, (size_t)runs * sizeof *per_op);
    qsort(sorted, (size_t)runs, sizeof *sorted, cmp_double);
    double med = sorted[runs / 2];
    double tmin = sorted[0], tmax = sorted[runs - 1];
    double total = 0;
    for (int r = 0; r < runs; r++)
        total += run_time[r];

    char smed[32], smin[32], smax[32], srate[32];
    fmt_time(med, smed, sizeof smed);
    fmt_time(tmin, smin, sizeof smin);
    fmt_time(tmax, smax, sizeof smax);
    fmt_rate(1.0 / med, srate, sizeof srate);
    printf("| %s | %s | %zu | %s | %s – %s | %s | %.2f s |\n", b->name,
           b->what, ops, smed, smin, smax, srate, total / runs);
    fflush(stdout);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: bench [--min-time SEC] [--runs N] [--filter SUBSTRING]\n"
            "       bench --once      (one call of each, for callgrind)\n");
}

int main(int argc, char **argv)
{
    double min_time = 0.5;
    int runs = 5;
    bool once = false;
    const char *filter = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--once")) {
            once = true;
        } else if (!strcmp(a, "--min-time") && i + 1 < argc) {
            char *end;
            min_time = strtod(argv[++i], &end);
            if (*end || !(min_time > 0 && min_time <= 3600)) {
                fprintf(stderr, "bench: --min-time: expected seconds in "
                                "(0, 3600], got '%s'\n", argv[i]);
                return 1;
            }
        } else if (!strcmp(a, "--runs") && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > MAX_RUNS) {
                fprintf(stderr, "bench: --runs: expected 1..%d, got '%s'\n",
                        MAX_RUNS, argv[i]);
                return 1;
            }
            runs = (int)n;
        } else if (!strcmp(a, "--filter") && i + 1 < argc) {
            filter = argv[++i];
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "bench: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 1;
        }
    }

    fixture_init();
    if (once) {
        run_once();
        fixture_free();
        return 0;
    }

    char w_prop[64], w_field[64], w_safe[96], w_reg[64], w_full[96];
    snprintf(w_prop, sizeof w_prop, "1 of %zu names", fx.nprops);
    snprintf(w_field, sizeof w_field, "1 of %zu names", fx.nfields);
    snprintf(w_safe, sizeof w_safe, "1 of %zu fields x 16 values",
             fx.nfields);
    snprintf(w_reg, sizeof w_reg, "1 of %zu registers", fx.nregs);
    snprintf(w_full, sizeof w_full, "+ free; %zu SYSREG_ props",
             fx.spec_full_props);
    const struct bench benches[] = {
        {"armcpu_ctx_new", "+ free; props + built-in models", op_ctx_new},
        {"armcpu_ctx_new_empty", "+ free; props only", op_ctx_new_empty},
        {"armcpu_realize grace-v1", "+ free", op_realize_grace},
        {"armcpu_realize neoverse-v1-v1,hw_prop_TGRAN4_2=off,sve=off,"
         "feat_AES=aes", "+ free", op_realize_neoverse},
        {"armcpu_realize grace-v1 full SYSREG_ spec", w_full, op_realize_full},
        {"armcpu_prop_lookup", w_prop, op_prop_lookup},
        {"armcpu_field_lookup REG.FIELD", w_field, op_field_lookup},
        {"armcpu_field_is_safe (reason NULL)", w_safe, op_field_is_safe},
        {"armcpu_field_is_safe (reason buffer)", w_safe,
         op_field_is_safe_reason},
        {"armcpu_kvm_id_encode", w_reg, op_kvm_id_encode},
        {"armcpu_kvm_id_decode", w_reg, op_kvm_id_decode},
    };

    printf("%zu properties, %zu fields, %zu registers; median of %d runs, "
           "each >= %.2f s; CLOCK_MONOTONIC\n\n",
           fx.nprops, fx.nfields, fx.nregs, runs, min_time);
    printf("| benchmark | one operation | ops in a run | median per op | "
           "range per op | ops/s | s per run |\n");
    printf("|---|---|--:|--:|--:|--:|--:|\n");
    fflush(stdout);
    for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++)
        if (!filter || strstr(benches[i].name, filter))
            run_bench(&benches[i], min_time, runs);
    fixture_free();
    return 0;
}
