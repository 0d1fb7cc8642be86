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
 *   bench --hosts [...]   (make bench)
 *       armcpu_check of every model against every embedded snapshot,
 *       armcpu_ctx_new and realization, fleet baselines of 10 / 1 000 /
 *       100 000 generated hosts (one fleet blocked, the same hosts under
 *       Linux 6.19 possible), 1 000 000 hosts read from a JSON Lines file
 *       (library and CLI), the models-on-a-host query in process, spawned
 *       (`armcpu models --host`) and QEMU's query-cpu-definitions, spawned
 *       and over QMP to a running QEMU: one table, with the targets of
 *       issue 11 (tools/bench/README.md).
 *
 * An "operation" is one call of the function named in the table (ctx_new and
 * realize include the matching free). Sweeps over every property, field or
 * register count one operation per name or register.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "armcpu/armcpu.h"
#include "armcpu/fleet.h"
#include "armcpu/model.h"

extern char **environ;

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

struct stats {
    size_t ops;      /* operations in one run */
    double med;      /* seconds per operation: median, min, max of the runs */
    double min, max;
    double run_avg;  /* mean seconds per run */
};

static void measure(body_fn fn, double min_time, int runs, struct stats *st)
{
    /* Calibrate: grow reps until a run takes a tenth of min_time, then
     * scale, with a margin, to min_time. */
    size_t reps = 1;
    double t;
    for (;;) {
        double t0 = now_s();
        fn(reps);
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
            ops = fn(reps);
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
    double total = 0;
    for (int r = 0; r < runs; r++)
        total += run_time[r];
    st->ops = ops;
    st->med = sorted[runs / 2];
    st->min = sorted[0];
    st->max = sorted[runs - 1];
    st->run_avg = total / runs;
}

static void run_bench(const struct bench *b, double min_time, int runs)
{
    struct stats st;
    measure(b->fn, min_time, runs, &st);
    char smed[32], smin[32], smax[32], srate[32];
    fmt_time(st.med, smed, sizeof smed);
    fmt_time(st.min, smin, sizeof smin);
    fmt_time(st.max, smax, sizeof smax);
    fmt_rate(1.0 / st.med, srate, sizeof srate);
    printf("| %s | %s | %zu | %s | %s – %s | %s | %.2f s |\n", b->name,
           b->what, st.ops, smed, smin, smax, srate, st.run_avg);
    fflush(stdout);
}

/* ------------------------------------------------------------ hosts suite */
/*
 * bench --hosts: the figures of issues 4 and 11, side by side in one table.
 *
 *  1. armcpu_check(cpu, host, NULL, NULL) of every realizable built-in model
 *     against every embedded snapshot, cpus realized and hosts loaded before
 *     timing; one operation is one check.
 *  2. armcpu_ctx_new + free; armcpu_realize of a spec with overrides + free.
 *  3. armcpu_baseline_new over 10, 1 000 and 100 000 generated hosts, all
 *     models and with --base; the same hosts under Linux 6.19's masks
 *     (a possible baseline); one operation is one baseline + free.
 *  4. 1 000 000 hosts in a JSON Lines file: armcpu_fleet_add_path +
 *     armcpu_fleet_baseline, and `armcpu baseline --hosts-from FILE`.
 *  5. The models on a host: armcpu_models_info_new + _to_json in process
 *     (context reused) against query-cpu-definitions over QMP to a running
 *     QEMU; `armcpu models --host graviton3` [--json] spawned against
 *     qemu-system-aarch64 -machine none -cpu max spawned for one query.
 */

#define POSSIBLE_KERNEL "6.19"
#define MILLION 1000000
#define FLEET_SIZES 3
static const size_t fleet_sizes[FLEET_SIZES] = {10, 1000, 100000};

/* Snapshots the generated fleet is made from: host k is built from
 * fleet_bases[k % 3 == 2] (two Graviton3 for one Graviton4). */
static const char *const fleet_bases[2] = {"graviton3", "graviton4"};

struct hosts_fixture {
    armcpu_ctx *ctx;
    armcpu_cpu **cpus;      /* every realizable built-in model */
    size_t ncpus;
    armcpu_host **snaps;    /* every embedded snapshot */
    size_t nsnaps;
    size_t blocked_pairs;   /* (model, snapshot) pairs with a blocker */
    size_t blockers;        /* blocking fields over all pairs */
    armcpu_host **fleet;    /* generated, similar hosts */
    armcpu_host **possible; /* the same under Linux 6.19 masks: a baseline exists */
    size_t nfleet;
    const armcpu_host *query_host; /* `models --host` and the in-process query */
    armcpu_host **stress;   /* generated, every REVIDR distinct */
    size_t nstress;
    /* the baseline being timed */
    armcpu_host **bl_hosts;
    size_t bl_n;
    const char *bl_base;
};

static struct hosts_fixture hx;

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t reg_fields_mask(const armcpu_reg *r)
{
    uint64_t m = 0;
    for (size_t i = 0; i < armcpu_reg_field_count(r); i++)
        m |= armcpu_field_mask(armcpu_reg_field_at(r, i));
    return m;
}

static struct json_object *json_reg(struct json_object *root, const char *reg)
{
    struct json_object *regs, *r;
    if (!json_object_object_get_ex(root, "registers", &regs) ||
        !json_object_object_get_ex(regs, reg, &r)) {
        fprintf(stderr, "bench: snapshot JSON has no registers.%s\n", reg);
        exit(1);
    }
    return r;
}

static uint64_t json_reg_get(struct json_object *root, const char *reg,
                             const char *key)
{
    struct json_object *v;
    if (!json_object_object_get_ex(json_reg(root, reg), key, &v)) {
        fprintf(stderr, "bench: snapshot JSON has no registers.%s.%s\n", reg,
                key);
        exit(1);
    }
    return strtoull(json_object_get_string(v), NULL, 0);
}

static void json_reg_set(struct json_object *root, const char *reg,
                         const char *key, uint64_t value)
{
    char hex[32];
    snprintf(hex, sizeof hex, "0x%016" PRIx64, value);
    json_object_object_add(json_reg(root, reg), key,
                           json_object_new_string(hex));
}

/* One base snapshot as an editable JSON tree, with the values the
 * variations start from. */
struct fleet_template {
    struct json_object *root;
    uint64_t revidr, isar0;
    uint64_t id_mask[3]; /* MIDR, REVIDR, AIDR writable masks as measured */
};

static const char *const id_regs[3] = {"MIDR_EL1", "REVIDR_EL1", "AIDR_EL1"};
static const char *const fleet_kernels[3] = {
    "6.1.172-216.329.amzn2023.aarch64", "6.12.38+deb13-arm64",
    "6.16.3+deb13-arm64"};

/*
 * n hosts, distinct but similar, each loaded from its own JSON text with
 * armcpu_host_load_json. Host k (x = splitmix64(k)):
 *   - graviton4 when k % 3 == 2, else graviton3; name "<base>-<k>";
 *   - kernel string one of three (not used by the checks);
 *   - REVIDR_EL1: the snapshot's value XOR one of 4 revisions (x bits 8-9),
 *     or, when distinct_revidr, XOR (k << 8): every host its own;
 *   - ID_AA64ISAR0_EL1.RNDR = 0 on one host in 16 (x bits 16-19 == 0);
 *   - MIDR/REVIDR/AIDR writable (Linux 6.15+ with
 *     KVM_CAP_ARM_WRITABLE_IMP_ID_REGS) on one host in 4 (x bits 24-25 == 0).
 * Not timed.
 */
static armcpu_host **gen_fleet(size_t n, bool distinct_revidr, const char *kernel)
{
    armcpu_error err = {0};
    struct fleet_template t[2];
    const armcpu_field *rndr = armcpu_field_lookup("ID_AA64ISAR0_EL1.RNDR", &err);
    if (!rndr)
        die("ID_AA64ISAR0_EL1.RNDR", &err);
    uint64_t id_all[3];
    for (size_t i = 0; i < 3; i++) {
        const armcpu_reg *r = armcpu_reg_by_name(id_regs[i], &err);
        if (!r)
            die(id_regs[i], &err);
        id_all[i] = reg_fields_mask(r);
    }
    for (size_t b = 0; b < 2; b++) {
        armcpu_host *h = armcpu_host_open(fleet_bases[b], &err);
        if (!h)
            die(fleet_bases[b], &err);
        char *text = armcpu_host_to_json(h);
        if (!text)
            die("armcpu_host_to_json", NULL);
        t[b].root = json_tokener_parse(text);
        if (!t[b].root)
            die("json_tokener_parse of armcpu_host_to_json output", NULL);
        free(text);
        armcpu_host_free(h);
        t[b].revidr = json_reg_get(t[b].root, "REVIDR_EL1", "value");
        t[b].isar0 = json_reg_get(t[b].root, "ID_AA64ISAR0_EL1", "value");
        for (size_t i = 0; i < 3; i++)
            t[b].id_mask[i] = json_reg_get(t[b].root, id_regs[i], "writable");
    }

    armcpu_host **hosts = xmalloc(n * sizeof *hosts);
    for (size_t k = 0; k < n; k++) {
        uint64_t x = splitmix64(k);
        size_t b = k % 3 == 2;
        struct json_object *root = t[b].root;
        char name[64];
        snprintf(name, sizeof name, "%s-%06zu", fleet_bases[b], k);
        json_object_object_add(root, "name", json_object_new_string(name));
        json_object_object_add(root, "kernel",
                               json_object_new_string(fleet_kernels[x % 3]));
        uint64_t rev = distinct_revidr ? (uint64_t)k << 8 : ((x >> 8) & 3);
        json_reg_set(root, "REVIDR_EL1", "value", t[b].revidr ^ rev);
        uint64_t isar0 = t[b].isar0;
        if (((x >> 16) & 15) == 0 && armcpu_field_set(rndr, &isar0, 0, &err))
            die("ID_AA64ISAR0_EL1.RNDR", &err);
        json_reg_set(root, "ID_AA64ISAR0_EL1", "value", isar0);
        bool id_writable = ((x >> 24) & 3) == 0;
        for (size_t i = 0; i < 3; i++)
            json_reg_set(root, id_regs[i], "writable",
                         id_writable ? id_all[i] : t[b].id_mask[i]);
        size_t len;
        const char *text = json_object_to_json_string_length(
            root, JSON_C_TO_STRING_PLAIN, &len);
        hosts[k] = armcpu_host_load_json(text, len, name, &err);
        if (!hosts[k] || (kernel && armcpu_host_apply_kernel(hosts[k], kernel, &err)))
            die(name, &err);
    }
    for (size_t b = 0; b < 2; b++)
        json_object_put(t[b].root);
    return hosts;
}

static void hosts_fixture_init(bool stress)
{
    armcpu_error err = {0};
    hx.ctx = armcpu_ctx_new(&err);
    if (!hx.ctx)
        die("armcpu_ctx_new", &err);
    size_t nm = armcpu_model_count(hx.ctx);
    hx.cpus = xmalloc(nm * sizeof *hx.cpus);
    for (size_t i = 0; i < nm; i++) {
        const armcpu_model *m = armcpu_model_at(hx.ctx, i);
        if (!armcpu_model_realizable(m))
            continue;
        hx.cpus[hx.ncpus] = armcpu_realize(hx.ctx, armcpu_model_name(m), false,
                                           &err);
        if (!hx.cpus[hx.ncpus])
            die(armcpu_model_name(m), &err);
        hx.ncpus++;
    }
    hx.nsnaps = armcpu_host_embedded_count();
    hx.snaps = xmalloc(hx.nsnaps * sizeof *hx.snaps);
    for (size_t i = 0; i < hx.nsnaps; i++) {
        hx.snaps[i] = armcpu_host_open(armcpu_host_embedded_name(i), &err);
        if (!hx.snaps[i])
            die(armcpu_host_embedded_name(i), &err);
    }
    if (!hx.ncpus || !hx.nsnaps)
        die("no realizable model or no embedded snapshot", NULL);
    for (size_t c = 0; c < hx.ncpus; c++)
        for (size_t h = 0; h < hx.nsnaps; h++) {
            size_t b = armcpu_check(hx.cpus[c], hx.snaps[h], NULL, NULL);
            hx.blockers += b;
            hx.blocked_pairs += b != 0;
        }
    hx.nfleet = fleet_sizes[FLEET_SIZES - 1];
    hx.fleet = gen_fleet(hx.nfleet, false, NULL);
    /* the same hosts as if they ran Linux 6.19, whose masks make a
     * Graviton3 + Graviton4 baseline possible */
    hx.possible = gen_fleet(hx.nfleet, false, POSSIBLE_KERNEL);
    if (stress) {
        hx.nstress = fleet_sizes[FLEET_SIZES - 1];
        hx.stress = gen_fleet(hx.nstress, true, NULL);
    }
}

static void hosts_fixture_free(void)
{
    for (size_t i = 0; i < hx.ncpus; i++)
        armcpu_cpu_free(hx.cpus[i]);
    for (size_t i = 0; i < hx.nsnaps; i++)
        armcpu_host_free(hx.snaps[i]);
    for (size_t i = 0; i < hx.nfleet; i++) {
        armcpu_host_free(hx.fleet[i]);
        armcpu_host_free(hx.possible[i]);
    }
    free(hx.possible);
    for (size_t i = 0; i < hx.nstress; i++)
        armcpu_host_free(hx.stress[i]);
    free(hx.cpus);
    free(hx.snaps);
    free(hx.fleet);
    free(hx.stress);
    armcpu_ctx_free(hx.ctx);
}

size_t op_check_all(size_t reps);
size_t op_baseline(size_t reps);

size_t op_check_all(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        size_t n = 0;
        for (size_t c = 0; c < hx.ncpus; c++)
            for (size_t h = 0; h < hx.nsnaps; h++)
                n += armcpu_check(hx.cpus[c], hx.snaps[h], NULL, NULL);
        sink += n;
    }
    return reps * hx.ncpus * hx.nsnaps;
}

static armcpu_baseline *baseline_of(armcpu_host **hosts, size_t n,
                                    const char *base)
{
    armcpu_error err = {0};
    armcpu_baseline *b = armcpu_baseline_new(
        hx.ctx, (const armcpu_host *const *)hosts, n, base, &err);
    if (!b)
        die("armcpu_baseline_new", &err);
    return b;
}

size_t op_baseline(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        armcpu_baseline *b = baseline_of(hx.bl_hosts, hx.bl_n, hx.bl_base);
        sink += armcpu_baseline_override_count(b);
        armcpu_baseline_free(b);
    }
    return reps;
}

size_t op_hx_ctx_new(size_t reps);
size_t op_hx_realize(size_t reps);
size_t op_models_info(size_t reps);

size_t op_hx_ctx_new(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        armcpu_error err = {0};
        armcpu_ctx *c = armcpu_ctx_new(&err);
        if (!c)
            die("armcpu_ctx_new", &err);
        sink += armcpu_model_count(c);
        armcpu_ctx_free(c);
    }
    return reps;
}

size_t op_hx_realize(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        armcpu_error err = {0};
        armcpu_cpu *c = armcpu_realize(hx.ctx, "neoverse-v1-v1,hw_prop_TGRAN4_2=off,sve=off,"
                                               "feat_AES=aes", false, &err);
        if (!c)
            die("armcpu_realize", &err);
        sink += armcpu_cpu_has_aarch32(c);
        armcpu_cpu_free(c);
    }
    return reps;
}

/* What a VMM answering query-cpu-definitions in process does: the models
 * on the host (context and host reused) and their JSON text. */
size_t op_models_info(size_t reps)
{
    for (size_t i = 0; i < reps; i++) {
        armcpu_error err = {0};
        armcpu_models_info *m = armcpu_models_info_new(hx.ctx, hx.query_host, &err);
        if (!m)
            die("armcpu_models_info_new", &err);
        char *json = armcpu_models_info_to_json(m);
        sink += json ? strlen(json) : 0;
        armcpu_free(json);
        armcpu_models_info_free(m);
    }
    return reps;
}

/* callgrind (bench --hosts --once): one full check sweep, one baseline of
 * 1 000 and one of 100 000 hosts, all models. */
void cg_check_all(void);
void cg_baseline_1000(void);
void cg_baseline_100000(void);
void cg_check_all(void) { op_check_all(1); }
void cg_baseline_1000(void)
{
    armcpu_baseline_free(baseline_of(hx.fleet, 1000, NULL));
}
void cg_baseline_100000(void)
{
    armcpu_baseline_free(baseline_of(hx.fleet, 100000, NULL));
}

/* ---- spawned commands */

struct spawn_result {
    double secs;   /* spawn to exit, output read to EOF */
    int status;    /* waitpid status */
    size_t out_len;
    bool found;    /* `expect` seen in stdout */
};

/*
 * Runs argv (PATH searched) with stdin from `input` (NULL: /dev/null),
 * stdout read to EOF through a pipe (and searched for `expect`), stderr to
 * /dev/null. Returns -1 when it cannot be started.
 */
static int spawn_timed(char *const argv[], const char *input,
                       const char *expect, struct spawn_result *res)
{
    int out[2], in[2] = {-1, -1};
    if (pipe(out))
        return -1;
    if (input && pipe(in)) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (input) {
        posix_spawn_file_actions_adddup2(&fa, in[0], 0);
        posix_spawn_file_actions_addclose(&fa, in[0]);
        posix_spawn_file_actions_addclose(&fa, in[1]);
    } else {
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

    pid_t pid;
    double t0 = now_s();
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (input)
        close(in[0]);
    if (rc) {
        close(out[0]);
        if (input)
            close(in[1]);
        return -1;
    }
    if (input) {
        /* far below the pipe's capacity: never blocks */
        size_t len = strlen(input);
        if (write(in[1], input, len) != (ssize_t)len)
            perror("bench: write to child");
        close(in[1]);
    }
    /* Read all of it (a few kB here) and look for `expect` at the end. */
    size_t cap = 1 << 16, len = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                die("out of memory", NULL);
            buf = nb;
        }
        ssize_t n = read(out[0], buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = 0;
    res->out_len = len;
    res->found = !expect || strstr(buf, expect);
    free(buf);
    close(out[0]);
    while (waitpid(pid, &res->status, 0) < 0)
        if (errno != EINTR)
            return -1;
    res->secs = now_s() - t0;
    return 0;
}

/* ---- a running QEMU: QMP round trips over its stdio */

struct qmp {
    pid_t pid;
    int to, from; /* QEMU's stdin, stdout */
    char *buf;
    size_t cap, len;
};

/* Reads until a whole line that contains `want` has arrived; that line's
 * length in *n. Earlier lines (greeting, events) are dropped. */
static int qmp_read(struct qmp *q, const char *want, size_t *n)
{
    for (;;) {
        char *nl;
        while ((nl = memchr(q->buf, '\n', q->len))) {
            size_t ll = (size_t)(nl - q->buf) + 1;
            char save = q->buf[ll - 1];
            q->buf[ll - 1] = 0;
            bool hit = strstr(q->buf, want) != NULL;
            q->buf[ll - 1] = save;
            memmove(q->buf, q->buf + ll, q->len - ll);
            q->len -= ll;
            if (hit) {
                if (n)
                    *n = ll;
                return 0;
            }
        }
        if (q->len + 4096 > q->cap) {
            char *nb = realloc(q->buf, q->cap = q->cap * 2 + 8192);
            if (!nb)
                die("out of memory", NULL);
            q->buf = nb;
        }
        ssize_t r = read(q->from, q->buf + q->len, q->cap - q->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        q->len += (size_t)r;
    }
}

static int qmp_send(struct qmp *q, const char *cmd)
{
    size_t len = strlen(cmd);
    return write(q->to, cmd, len) == (ssize_t)len ? 0 : -1;
}

static int qmp_start(const char *qemu, struct qmp *q)
{
    int in[2], out[2];
    memset(q, 0, sizeof *q);
    if (pipe(in))
        return -1;
    if (pipe(out)) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {(char *)qemu, "-machine", "none", "-cpu", "max", "-display", "none",
                    "-qmp", "stdio", NULL};
    int rc = posix_spawnp(&q->pid, qemu, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    q->to = in[1];
    q->from = out[0];
    q->cap = 1 << 16;
    q->buf = xmalloc(q->cap);
    if (rc || qmp_read(q, "\"QMP\"", NULL) ||
        qmp_send(q, "{\"execute\":\"qmp_capabilities\"}\n") || qmp_read(q, "\"return\"", NULL))
        return -1;
    return 0;
}

static void qmp_stop(struct qmp *q)
{
    if (q->pid > 0) {
        qmp_send(q, "{\"execute\":\"quit\"}\n");
        close(q->to);
        close(q->from);
        int st;
        while (waitpid(q->pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
    free(q->buf);
}

struct qmp_stats {
    double med, min, max;
    size_t bytes;
};

/* Median of `runs` query-cpu-definitions round trips (after 5 warm-ups). */
static int qmp_roundtrips(const char *qemu, int runs, struct qmp_stats *out)
{
    struct qmp q;
    double t[1024];
    if (runs > 1024)
        runs = 1024;
    if (qmp_start(qemu, &q)) {
        qmp_stop(&q);
        return -1;
    }
    for (int r = -5; r < runs; r++) {
        double t0 = now_s();
        if (qmp_send(&q, "{\"execute\":\"query-cpu-definitions\"}\n") ||
            qmp_read(&q, "\"return\"", &out->bytes)) {
            qmp_stop(&q);
            return -1;
        }
        if (r >= 0)
            t[r] = now_s() - t0;
    }
    qmp_stop(&q);
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    out->med = t[runs / 2];
    out->min = t[0];
    out->max = t[runs - 1];
    return 0;
}

struct cmd_stats {
    bool ok;
    int runs;
    double med, min, max; /* seconds per run */
    size_t out_len;
    char why[256]; /* when !ok */
};

/* One uncounted warm-up run, then `runs` timed ones; every run must exit 0
 * and print `expect`. */
static void time_command_rc(char *const argv[], const char *input, const char *expect,
                            int runs, unsigned ok_codes, struct cmd_stats *cs);

static void time_command(char *const argv[], const char *input,
                         const char *expect, int runs, struct cmd_stats *cs)
{
    time_command_rc(argv, input, expect, runs, 1u, cs);
}

/* ok_codes: bit n set when exit status n counts as success. */
static void time_command_rc(char *const argv[], const char *input, const char *expect,
                            int runs, unsigned ok_codes, struct cmd_stats *cs)
{
    double t[MAX_RUNS];
    memset(cs, 0, sizeof *cs);
    for (int r = -1; r < runs; r++) {
        struct spawn_result res;
        if (spawn_timed(argv, input, expect, &res)) {
            snprintf(cs->why, sizeof cs->why, "cannot run %s: %s", argv[0],
                     strerror(errno));
            return;
        }
        if (!WIFEXITED(res.status) || !((ok_codes >> WEXITSTATUS(res.status)) & 1) ||
            !res.found) {
            snprintf(cs->why, sizeof cs->why,
                     "%s: exit status %d, %zu bytes of output%s%s", argv[0],
                     WIFEXITED(res.status) ? WEXITSTATUS(res.status) : -1,
                     res.out_len, res.found ? "" : ", expected output missing",
                     res.out_len ? "" : " (is it installed?)");
            return;
        }
        if (r >= 0)
            t[r] = res.secs;
        cs->out_len = res.out_len;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    cs->ok = true;
    cs->runs = runs;
    cs->med = t[runs / 2];
    cs->min = t[0];
    cs->max = t[runs - 1];
}

/* ---- the table */

static void fmt_ns(double s, char *buf, size_t size)
{
    snprintf(buf, size, "%.1f ns", s * 1e9);
}

static void row(const char *what, const char *op, const char *n,
                const char *med, const char *range, const char *rate,
                const char *target, const char *result)
{
    printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", what, op, n, med,
           range, rate, target, result);
    fflush(stdout);
}

/* med: 32 bytes, range: 96 */
static void stats_cols(const struct stats *st, char med[32], char range[96],
                       bool ns)
{
    char a[32], b[32];
    if (ns) {
        fmt_ns(st->med, med, 32);
        fmt_ns(st->min, a, sizeof a);
        fmt_ns(st->max, b, sizeof b);
    } else {
        fmt_time(st->med, med, 32);
        fmt_time(st->min, a, sizeof a);
        fmt_time(st->max, b, sizeof b);
    }
    snprintf(range, 96, "%s – %s", a, b);
}

static void cmd_row(const char *what, const char *op,
                    const struct cmd_stats *cs)
{
    char n[32], med[32], range[96], a[32], b[32], rate[32];
    if (!cs->ok) {
        row(what, op, "–", "n/a", "n/a", "n/a", "reference", cs->why);
        return;
    }
    snprintf(n, sizeof n, "%d runs", cs->runs);
    fmt_time(cs->med, med, sizeof med);
    fmt_time(cs->min, a, sizeof a);
    fmt_time(cs->max, b, sizeof b);
    snprintf(range, sizeof range, "%s – %s", a, b);
    fmt_rate(1.0 / cs->med, rate, sizeof rate);
    char out[64];
    snprintf(out, sizeof out, "%zu bytes of output", cs->out_len);
    row(what, op, n, med, range, rate, "–", out);
}

struct hosts_opts {
    double min_time;
    int runs;
    const char *armcpu;
    const char *qemu; /* "none": skip */
    int cli_runs, qemu_runs;
    const char *base;
    const char *host; /* for `armcpu models --host` */
    bool stress;
    size_t million;   /* hosts in the JSON Lines file */
    int file_runs;    /* runs of the file rows */
    int qemu_rt_runs; /* QMP round trips to a running QEMU */
};

static void baseline_row(armcpu_host **hosts, size_t n, const char *base,
                         const char *label, const struct hosts_opts *o,
                         double target_s, char notes[][512], size_t *nnotes)
{
    hx.bl_hosts = hosts;
    hx.bl_n = n;
    hx.bl_base = base;
    struct stats st;
    measure(op_baseline, o->min_time, o->runs, &st);
    char what[160], ops[32], med[32], range[96], rate[32], target[32] = "–",
        result[64] = "–";
    snprintf(what, sizeof what, "armcpu_baseline_new, %zu %s hosts, %s", n,
             label, base ? base : "all models");
    if (base)
        snprintf(what, sizeof what, "armcpu_baseline_new, %zu %s hosts, "
                 "--base %s", n, label, base);
    snprintf(ops, sizeof ops, "%zu", st.ops);
    stats_cols(&st, med, range, false);
    fmt_rate(1.0 / st.med, rate, sizeof rate);
    if (target_s > 0) {
        snprintf(target, sizeof target, "< %.0f s", target_s);
        if (st.med < target_s)
            snprintf(result, sizeof result, "met (%.0fx margin)", target_s / st.med);
        else
            snprintf(result, sizeof result, "MISSED (%.1fx too slow)",
                     st.med / target_s);
    }
    row(what, "+ free", ops, med, range, rate, target, result);

    /* what it found, to show the variants matter */
    armcpu_baseline *b = baseline_of(hosts, n, base);
    snprintf(notes[(*nnotes)++], 512,
             "baseline of %zu %s hosts (%s): %s, %s, %zu overrides, %zu "
             "conflicts, %zu identity differences, %zu unchecked fields",
             n, label, base ? base : "all models",
             armcpu_model_name(armcpu_baseline_model(b)),
             armcpu_baseline_possible(b) ? "possible" : "not possible",
             armcpu_baseline_override_count(b),
             armcpu_baseline_conflict_count(b),
             armcpu_baseline_identity_count(b), armcpu_baseline_unknown_count(b));
    armcpu_baseline_free(b);
}

/*
 * A JSON Lines file of n hosts: the possible fleet's first 1000 hosts as
 * templates (every variant of the generator), each line one snapshot with
 * its own name. Returns the path (caller frees and removes), bytes in
 * *bytes. Not timed.
 */
static char *write_fleet_file(size_t n, size_t *bytes)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *path = xmalloc(strlen(dir) + 64);
    sprintf(path, "%s/armcpu-bench-fleet-%ld.jsonl", dir, (long)getpid());
    FILE *fp = fopen(path, "w");
    if (!fp)
        die(path, NULL);
    size_t nt = hx.nfleet < 1000 ? hx.nfleet : 1000;
    char **pre = xmalloc(nt * sizeof *pre), **post = xmalloc(nt * sizeof *post);
    for (size_t t = 0; t < nt; t++) {
        char *text = armcpu_host_to_json(hx.possible[t]);
        struct json_object *root = text ? json_tokener_parse(text) : NULL;
        armcpu_free(text);
        if (!root)
            die("armcpu_host_to_json", NULL);
        json_object_object_add(root, "name", json_object_new_string("@NAME@"));
        json_object_object_add(root, "source", json_object_new_string("bench fleet"));
        const char *line = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
        const char *at = strstr(line, "@NAME@");
        pre[t] = strndup(line, (size_t)(at - line));
        post[t] = strdup(at + 6);
        json_object_put(root);
    }
    *bytes = 0;
    for (size_t k = 0; k < n; k++) {
        int w = fprintf(fp, "%sh%07zu%s\n", pre[k % nt], k, post[k % nt]);
        if (w < 0)
            die(path, NULL);
        *bytes += (size_t)w;
    }
    if (fclose(fp))
        die(path, NULL);
    for (size_t t = 0; t < nt; t++) {
        free(pre[t]);
        free(post[t]);
    }
    free(pre);
    free(post);
    return path;
}

/* A library row with an upper bound per operation (seconds). */
static void lib_row(const char *what, const char *op, body_fn fn,
                    const struct hosts_opts *o, double bound_s,
                    const char *bound_text, struct stats *st)
{
    measure(fn, o->min_time, o->runs, st);
    char ops[32], med[32], range[96], rate[32], result[64];
    snprintf(ops, sizeof ops, "%zu", st->ops);
    stats_cols(st, med, range, st->med < 1e-5);
    fmt_rate(1.0 / st->med, rate, sizeof rate);
    if (st->med <= bound_s)
        snprintf(result, sizeof result, "met (%.1fx margin)", bound_s / st->med);
    else
        snprintf(result, sizeof result, "MISSED (%.1fx too slow)", st->med / bound_s);
    row(what, op, ops, med, range, rate, bound_text, result);
}

/* A ratio row: how many times faster `fast` is than `slow`, against a
 * target factor. */
static void ratio_row(const char *what, double fast, double slow, double target)
{
    char r[64], t[32], result[64];
    snprintf(r, sizeof r, "%.1fx faster", slow / fast);
    snprintf(t, sizeof t, ">= %.0fx", target);
    if (slow / fast >= target)
        snprintf(result, sizeof result, "met (%.2fx margin)", slow / fast / target);
    else
        snprintf(result, sizeof result, "MISSED (%.2fx short)", target / (slow / fast));
    row(what, "median : median", "–", r, "–", "–", t, result);
}

static int run_hosts(const struct hosts_opts *o, bool once)
{
    double g0 = now_s();
    hosts_fixture_init(o->stress);
    double gen_s = now_s() - g0;
    /* the name as a user gives it: "graviton3" is its newest view */
    armcpu_error herr = {0};
    armcpu_host *named = armcpu_host_open(o->host, &herr);
    for (size_t i = 0; named && i < hx.nsnaps; i++)
        if (!strcmp(armcpu_host_name(hx.snaps[i]), armcpu_host_name(named)))
            hx.query_host = hx.snaps[i];
    armcpu_host_free(named);
    if (!hx.query_host) {
        fprintf(stderr, "bench: --host %s: no embedded snapshot of that name\n", o->host);
        hosts_fixture_free();
        return 1;
    }
    if (once) {
        op_check_all(1);
        cg_check_all();
        cg_baseline_1000();
        cg_baseline_100000();
        printf("once: %zu models x %zu snapshots, baselines of 1000 and "
               "100000 hosts\n", hx.ncpus, hx.nsnaps);
        hosts_fixture_free();
        return 0;
    }

    printf("%zu realizable models x %zu embedded snapshots; %zu generated "
           "hosts (%s; loaded in %.1f s, not timed); library rows: median of "
           "%d runs, each >= %.2f s; commands: median of N runs after one "
           "warm-up; CLOCK_MONOTONIC\n\n",
           hx.ncpus, hx.nsnaps, hx.nfleet + hx.nstress,
           o->stress ? "similar + distinct-REVIDR stress fleet"
                     : "similar fleet",
           gen_s, o->runs, o->min_time);
    printf("| measurement | one operation | ops in a run | median | range | "
           "per second | target | result |\n");
    printf("|---|---|--:|--:|--:|--:|--:|---|\n");
    fflush(stdout);

    char notes[16][512];
    size_t nnotes = 0;

    /* 1. checks */
    struct stats st;
    measure(op_check_all, o->min_time, o->runs, &st);
    {
        char what[160], ops[32], med[32], range[96], rate[32], result[64];
        snprintf(what, sizeof what,
                 "armcpu_check, %zu models x %zu snapshots", hx.ncpus,
                 hx.nsnaps);
        snprintf(ops, sizeof ops, "%zu", st.ops);
        stats_cols(&st, med, range, true);
        fmt_rate(1.0 / st.med, rate, sizeof rate);
        if (1.0 / st.med >= 5e6)
            snprintf(result, sizeof result, "met (%.1fx margin)",
                     1.0 / st.med / 5e6);
        else
            snprintf(result, sizeof result, "MISSED (%.1fx too slow)",
                     st.med * 5e6);
        row(what, "1 check, fn NULL, 1 core", ops, med, range, rate,
            ">= 5 M/s per core", result);
        snprintf(notes[nnotes++], 512,
                 "checks: %zu of %zu (model, snapshot) pairs have blockers, "
                 "%zu blocking fields in all",
                 hx.blocked_pairs, hx.ncpus * hx.nsnaps, hx.blockers);
    }

    /* 2. context and realization */
    lib_row("armcpu_ctx_new", "+ free; properties + built-in models", op_hx_ctx_new, o,
            50e-6, "<= 50 µs", &st);
    lib_row("armcpu_realize neoverse-v1-v1,hw_prop_TGRAN4_2=off,sve=off,feat_AES=aes",
            "+ free", op_hx_realize, o, 20e-6, "<= 20 µs", &st);

    /* 3. baselines: the similar fleet (Linux 6.1/6.12/6.16 masks: blocked
     * by TGRAN*_2) and the same hosts under 6.19 (possible) */
    for (size_t i = 0; i < FLEET_SIZES; i++)
        baseline_row(hx.fleet, fleet_sizes[i], NULL, "similar", o,
                     fleet_sizes[i] == 100000 ? 1.0 : 0, notes, &nnotes);
    baseline_row(hx.fleet, hx.nfleet, o->base, "similar", o, 1.0, notes, &nnotes);
    for (size_t i = 0; i < FLEET_SIZES; i++)
        baseline_row(hx.possible, fleet_sizes[i], NULL, "similar, Linux " POSSIBLE_KERNEL, o,
                     1.0, notes, &nnotes);
    if (o->stress) {
        baseline_row(hx.stress, hx.nstress, NULL, "distinct-REVIDR", o, 0,
                     notes, &nnotes);
        baseline_row(hx.stress, hx.nstress, o->base, "distinct-REVIDR", o, 0,
                     notes, &nnotes);
    }

    /* 4. 1 000 000 hosts read from a JSON Lines file: library and CLI */
    size_t file_bytes = 0;
    char *file = write_fleet_file(o->million, &file_bytes);
    {
        double t[MAX_RUNS];
        int runs = o->file_runs;
        size_t classes = 0, nhosts = 0;
        bool possible = false;
        for (int r = 0; r < runs; r++) {
            armcpu_error err = {0};
            double t0 = now_s();
            armcpu_fleet *f = armcpu_fleet_new();
            if (!f || armcpu_fleet_add_path(f, file, &err))
                die(file, &err);
            armcpu_baseline *b = armcpu_fleet_baseline(hx.ctx, f, NULL, &err);
            if (!b)
                die("armcpu_fleet_baseline", &err);
            t[r] = now_s() - t0;
            classes = armcpu_fleet_class_count(f);
            nhosts = armcpu_fleet_host_count(f);
            possible = armcpu_baseline_possible(b);
            armcpu_baseline_free(b);
            armcpu_fleet_free(f);
        }
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        char what[160], n[32], med[32], range[96], a[32], b2[32], result[96];
        snprintf(what, sizeof what, "armcpu_fleet_add_path + armcpu_fleet_baseline, "
                 "%zu hosts, JSON Lines file (%.0f MB)", nhosts, file_bytes / 1e6);
        snprintf(n, sizeof n, "%d runs", runs);
        fmt_time(t[runs / 2], med, sizeof med);
        fmt_time(t[0], a, sizeof a);
        fmt_time(t[runs - 1], b2, sizeof b2);
        snprintf(range, sizeof range, "%s – %s", a, b2);
        snprintf(result, sizeof result, "%zu host classes; baseline %s", classes,
                 possible ? "possible" : "not possible");
        row(what, "read + fold + meet + verify + free", n, med, range, "–", "–", result);

        struct cmd_stats cs;
        char *argv_bl[] = {(char *)o->armcpu, "baseline", "--hosts-from", file, NULL};
        /* exit 0 (possible) or 4 (possible, some fields unknown) */
        time_command_rc(argv_bl, NULL, "hosts", o->file_runs > 1 ? o->file_runs - 1 : 1,
                        (1u << 0) | (1u << 4), &cs);
        snprintf(what, sizeof what, "`armcpu baseline --hosts-from FILE`, %zu hosts", nhosts);
        cmd_row(what, "spawn + exit", &cs);
    }
    remove(file);
    free(file);

    /* 5. the host query: in process, spawned, and QEMU's */
    struct stats inproc;
    measure(op_models_info, o->min_time, o->runs, &inproc);
    {
        char what[160], ops[32], med[32], range[96], rate[32];
        snprintf(what, sizeof what, "armcpu_models_info_new + _to_json, host %s, "
                 "context reused", o->host);
        snprintf(ops, sizeof ops, "%zu", inproc.ops);
        stats_cols(&inproc, med, range, false);
        fmt_rate(1.0 / inproc.med, rate, sizeof rate);
        row(what, "in process", ops, med, range, rate, "–", "–");
    }
    struct qmp_stats qrt = {0};
    bool have_qmp = strcmp(o->qemu, "none") && !qmp_roundtrips(o->qemu, o->qemu_rt_runs, &qrt);
    if (have_qmp) {
        char n[32], med[32], range[96], a[32], b2[32], rate[32], out[64];
        snprintf(n, sizeof n, "%d round trips", o->qemu_rt_runs);
        fmt_time(qrt.med, med, sizeof med);
        fmt_time(qrt.min, a, sizeof a);
        fmt_time(qrt.max, b2, sizeof b2);
        snprintf(range, sizeof range, "%s – %s", a, b2);
        fmt_rate(1.0 / qrt.med, rate, sizeof rate);
        snprintf(out, sizeof out, "%zu bytes of reply", qrt.bytes);
        row("QEMU running, `query-cpu-definitions` over QMP (stdio)", "send + whole reply",
            n, med, range, rate, "–", out);
        ratio_row("ratio in-process query : QMP round trip", inproc.med, qrt.med, 10);
    } else {
        row("QEMU running, `query-cpu-definitions` over QMP (stdio)", "send + whole reply",
            "–", "n/a", "n/a", "n/a", "reference",
            strcmp(o->qemu, "none") ? "QEMU did not answer QMP" : "skipped (--qemu none)");
    }

    struct cmd_stats cli, cli_json, qemu;
    char *argv_cli[] = {(char *)o->armcpu, "models", "--host", (char *)o->host,
                        NULL};
    char *argv_json[] = {(char *)o->armcpu, "models", "--host",
                         (char *)o->host, "--json", NULL};
    /* `models --host` exits 0, or 4 when some answer rests on unknown fields */
    time_command_rc(argv_cli, NULL, "models on", o->cli_runs, (1u << 0) | (1u << 4), &cli);
    time_command_rc(argv_json, NULL, "\"name\"", o->cli_runs, (1u << 0) | (1u << 4),
                    &cli_json);
    char what[160];
    snprintf(what, sizeof what, "`armcpu models --host %s`", o->host);
    cmd_row(what, "spawn + exit", &cli);
    snprintf(what, sizeof what, "`armcpu models --host %s --json`", o->host);
    cmd_row(what, "spawn + exit", &cli_json);

    if (strcmp(o->qemu, "none")) {
        char *argv_q[] = {(char *)o->qemu, "-machine", "none", "-cpu", "max",
                          "-display", "none", "-qmp", "stdio", NULL};
        time_command(argv_q,
                     "{\"execute\":\"qmp_capabilities\"}\n"
                     "{\"execute\":\"query-cpu-definitions\"}\n"
                     "{\"execute\":\"quit\"}\n",
                     "\"typename\"", o->qemu_runs, &qemu);
    } else {
        memset(&qemu, 0, sizeof qemu);
        snprintf(qemu.why, sizeof qemu.why, "skipped (--qemu none)");
    }
    cmd_row("QEMU `-machine none -cpu max -qmp stdio`: query-cpu-definitions",
            "spawn + 3 QMP commands + exit", &qemu);
    if (cli.ok && qemu.ok)
        ratio_row("ratio `armcpu models --host` : QEMU spawn + query-cpu-definitions",
                  cli.med, qemu.med, 12);
    else
        row("ratio `armcpu models --host` : QEMU spawn + query-cpu-definitions",
            "median : median", "–", "n/a", "–", "–", ">= 12x", "n/a");

    printf("\n");
    for (size_t i = 0; i < nnotes; i++)
        printf("- %s\n", notes[i]);
    hosts_fixture_free();
    return (cli.ok && cli_json.ok) ? 0 : 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: bench [--min-time SEC] [--runs N] [--filter SUBSTRING]\n"
            "       bench --once      (one call of each, for callgrind)\n"
            "       bench --hosts [--min-time SEC] [--runs N] [--armcpu PATH]\n"
            "             [--qemu PATH|none] [--cli-runs N] [--qemu-runs N]\n"
            "             [--base MODEL] [--host SNAPSHOT] [--stress] [--file-hosts N]\n"
            "             [--once]\n"
            "             (checks, baselines, CLI and QEMU: tools/bench/README.md)\n");
}

int main(int argc, char **argv)
{
    double min_time = 0.5;
    int runs = 5;
    bool once = false;
    const char *filter = NULL;
    bool hosts = false;
    struct hosts_opts ho = {
        .armcpu = NULL, .qemu = "qemu-system-aarch64", .cli_runs = 50,
        .qemu_runs = 10, .base = "graviton3-v1", .host = "graviton3",
        .million = MILLION, .file_runs = 3, .qemu_rt_runs = 200,
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--once")) {
            once = true;
        } else if (!strcmp(a, "--hosts")) {
            hosts = true;
        } else if (!strcmp(a, "--stress")) {
            ho.stress = true;
        } else if (!strcmp(a, "--file-hosts") && i + 1 < argc) {
            char *end;
            long long n = strtoll(argv[++i], &end, 10);
            if (*end || n < 1 || n > 100000000) {
                fprintf(stderr, "bench: --file-hosts: expected 1..100000000, got '%s'\n",
                        argv[i]);
                return 1;
            }
            ho.million = (size_t)n;
        } else if (!strcmp(a, "--armcpu") && i + 1 < argc) {
            ho.armcpu = argv[++i];
        } else if (!strcmp(a, "--qemu") && i + 1 < argc) {
            ho.qemu = argv[++i];
        } else if (!strcmp(a, "--base") && i + 1 < argc) {
            ho.base = argv[++i];
        } else if (!strcmp(a, "--host") && i + 1 < argc) {
            ho.host = argv[++i];
        } else if ((!strcmp(a, "--cli-runs") || !strcmp(a, "--qemu-runs")) &&
                   i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > MAX_RUNS) {
                fprintf(stderr, "bench: %s: expected 1..%d, got '%s'\n", a,
                        MAX_RUNS, argv[i]);
                return 1;
            }
            *(a[2] == 'c' ? &ho.cli_runs : &ho.qemu_runs) = (int)n;
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

    if (hosts) {
        /* default CLI: the armcpu next to this binary (both in build/) */
        char self_dir[4096];
        if (!ho.armcpu) {
            const char *slash = strrchr(argv[0], '/');
            if (slash)
                snprintf(self_dir, sizeof self_dir, "%.*s/armcpu",
                         (int)(slash - argv[0]), argv[0]);
            else
                snprintf(self_dir, sizeof self_dir, "armcpu");
            ho.armcpu = self_dir;
        }
        ho.min_time = min_time;
        ho.runs = runs;
        return run_hosts(&ho, once);
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
