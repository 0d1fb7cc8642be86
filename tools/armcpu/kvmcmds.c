/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Commands on the real KVM (include/armcpu/kvm.h): hosts probe,
 * realize SPEC --kvm, migrate save / load.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "armcpu/kvm.h"
#include "cli.h"

/* Takes our own switches out of argv before parse_flags sees it. */
static int take_switch(int *argc, char **argv, const char *name)
{
    int found = 0, out = 0;
    for (int i = 0; i < *argc; i++) {
        if (i > 0 && !strcmp(argv[i], name)) {
            found = 1;
            continue;
        }
        argv[out++] = argv[i];
    }
    *argc = out;
    return found;
}

static const char *take_value(const char *cmd, int *argc, char **argv, const char *name,
                              int *rc)
{
    const char *v = NULL;
    int out = 0;
    *rc = EXIT_OK;
    for (int i = 0; i < *argc; i++) {
        if (i > 0 && !strcmp(argv[i], name)) {
            if (i + 1 >= *argc) {
                *rc = usage_error(cmd, "option %s needs a value", name);
                return NULL;
            }
            v = argv[++i];
            continue;
        }
        argv[out++] = argv[i];
    }
    *argc = out;
    return v;
}

/* ---------------------------------------------------------------- hosts probe */

int cmd_hosts_probe(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("hosts", argc, argv, "o name", &fl, pos, &npos, 0);
    if (rc)
        return rc;
    armcpu_error err = {0};
    armcpu_host *h = armcpu_kvm_probe(&err);
    if (!h)
        return fail("hosts", &err);
    if (fl.name && armcpu_host_set_info(h, fl.name, NULL, NULL, &err)) {
        armcpu_host_free(h);
        return fail("hosts", &err);
    }
    if (fl.output) {
        rc = armcpu_host_save(h, fl.output, &err) ? fail("hosts", &err) : EXIT_OK;
        if (!rc)
            fprintf(stderr, "armcpu hosts probe: wrote %s (kernel %s)\n", fl.output,
                    armcpu_host_kernel(h));
    } else {
        char *json = armcpu_host_to_json(h);
        fputs(json ? json : "", stdout);
        armcpu_free(json);
    }
    armcpu_host_free(h);
    return rc;
}

/* ---------------------------------------------------------------- shared */

struct session {
    armcpu_ctx *ctx;
    armcpu_kvm_vcpu *v;
    armcpu_host *snap; /* the scratch vCPU before any write */
    armcpu_cpu *cpu;
    armcpu_kvm_report *rep;
};

static void session_end(struct session *s)
{
    armcpu_kvm_report_free(s->rep);
    armcpu_cpu_free(s->cpu);
    armcpu_host_free(s->snap);
    armcpu_kvm_vcpu_free(s->v);
    armcpu_ctx_free(s->ctx);
}

/* Scratch vCPU + its snapshot + SPEC realized ("host" = the vCPU's own);
 * sve_vls (8 words, or NULL): the SVE vector lengths to create it with. */
static int session_start_vls(const char *cmd, const char *spec, const uint64_t *sve_vls,
                             struct session *s);

static int session_start(const char *cmd, const char *spec, struct session *s)
{
    return session_start_vls(cmd, spec, NULL, s);
}

static int session_start_vls(const char *cmd, const char *spec, const uint64_t *sve_vls,
                             struct session *s)
{
    int rc = EXIT_OK;
    armcpu_error err = {0};
    memset(s, 0, sizeof *s);
    if (!(s->ctx = open_ctx(cmd, &rc)))
        return rc;
    if (!(s->v = armcpu_kvm_vcpu_new(&err)) || !(s->snap = armcpu_kvm_vcpu_snapshot(s->v, &err)))
        return fail(cmd, &err);
    if (!(s->cpu = armcpu_realize_on_host(s->ctx, spec, s->snap, false, &err)))
        return fail(cmd, &err);
    /* The vCPU the spec needs: without the features it lacks (KVM lets no
     * SVE, PMU or pointer-auth field be written to 0), with the SVE vector
     * lengths (the saved state's, else the spec's sve_vls: KVM takes them
     * only before KVM_ARM_VCPU_FINALIZE) and on a VM of the spec's IPA size
     * (ipa_bits: the KVM_CREATE_VM type); realized again on that vCPU's own
     * snapshot. */
    unsigned need = armcpu_cpu_vcpu_features(s->cpu), all = ARMCPU_VCPU_SVE | ARMCPU_VCPU_PMU |
                                                          ARMCPU_VCPU_PTRAUTH;
    uint64_t spec_vls[8] = {0}, hv = 0;
    if (!sve_vls && armcpu_cpu_config(s->cpu, ARMCPU_CONFIG_SVE_VLS, &spec_vls[0]))
        sve_vls = spec_vls;
    if (sve_vls && armcpu_host_config(s->snap, ARMCPU_CONFIG_SVE_VLS, &hv)) {
        /* judged before KVM sees them: a set this host cannot give is
         * refused before any write */
        char reason[320] = "", sv[96], hs[96];
        armcpu_verdict vd = armcpu_config_judge(ARMCPU_CONFIG_SVE_VLS, sve_vls[0], true, hv, 0,
                                                reason, sizeof reason);
        armcpu_config_format(ARMCPU_CONFIG_SVE_VLS, sve_vls[0], sv, sizeof sv);
        armcpu_config_format(ARMCPU_CONFIG_SVE_VLS, hv, hs, sizeof hs);
        if (armcpu_verdict_blocks(vd)) {
            printf("%s %s: vCPU configuration\n  blocked    sve_vls (KVM_REG_ARM64_SVE_VLS): "
                   "wanted %s, this host's vCPU has %s (%s): %s\n  result: REFUSED BEFORE ANY "
                   "WRITE: the vector lengths are set when the vCPU is created\n",
                   cmd, spec, sv, hs, armcpu_verdict_name(vd), reason);
            return EXIT_INPUT;
        }
        if (sve_vls[0] == hv)
            sve_vls = NULL; /* KVM's default */
    }
    unsigned long vm_type = armcpu_cpu_kvm_vm_type(s->cpu);
    if ((need & all) != all || sve_vls || vm_type) {
        armcpu_cpu_free(s->cpu);
        armcpu_host_free(s->snap);
        armcpu_kvm_vcpu_free(s->v);
        s->cpu = NULL;
        s->snap = NULL;
        if (!(s->v = armcpu_kvm_vcpu_new_vm(need, sve_vls, vm_type, &err)) ||
            !(s->snap = armcpu_kvm_vcpu_snapshot(s->v, &err)))
            return fail(cmd, &err);
        if (!(s->cpu = armcpu_realize_on_host(s->ctx, spec, s->snap, false, &err)))
            return fail(cmd, &err);
    }
    print_warnings(s->cpu);
    if (!(s->rep = armcpu_kvm_report_new())) {
        fprintf(stderr, "armcpu %s: out of memory\n", cmd);
        return EXIT_ENV;
    }
    return EXIT_OK;
}

static void print_report(const armcpu_kvm_report *r, const char *indent)
{
    for (size_t i = 0; i < armcpu_kvm_report_count(r); i++) {
        const armcpu_kvm_finding *f = armcpu_kvm_report_at(r, i);
        printf("%s%-10s %s\n", indent, armcpu_kvm_finding_kind_name(f->kind), f->message);
    }
}

static size_t count_kind(const armcpu_kvm_report *r, armcpu_kvm_finding_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < armcpu_kvm_report_count(r); i++)
        n += armcpu_kvm_report_at(r, i)->kind == k;
    return n;
}

/* Applies s->cpu; prints the report and the ioctl counts. */
static int session_apply(struct session *s, unsigned flags, const char *what)
{
    armcpu_error err = {0};
    int rc = armcpu_kvm_vcpu_apply(s->v, s->cpu, flags, s->rep, &err);
    size_t get, set, other, restores;
    armcpu_kvm_report_ioctls(s->rep, &get, &set, &other);
    armcpu_kvm_rollback rb = armcpu_kvm_report_rollback(s->rep, &restores);
    printf("%s %s on Linux %s (vCPU features %s)%s\n", what, armcpu_cpu_name(s->cpu),
           armcpu_host_kernel(s->snap), armcpu_kvm_vcpu_features(s->v),
           flags & ARMCPU_KVM_APPLY_FORCE ? " [--force: no refusal before writing]" : "");
    print_report(s->rep, "  ");
    /* the vCPU configuration as KVM reports it after the apply */
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        uint64_t before, after, want;
        if (!armcpu_kvm_report_config(s->rep, (armcpu_config)c, &before, &after))
            continue;
        char bt[96], at[96], wt[96] = "";
        armcpu_config_format((armcpu_config)c, before, bt, sizeof bt);
        armcpu_config_format((armcpu_config)c, after, at, sizeof at);
        if (armcpu_cpu_config(s->cpu, (armcpu_config)c, &want))
            armcpu_config_format((armcpu_config)c, want, wt, sizeof wt);
        printf("  config     %s: %s (before %s; %s%s)\n", armcpu_config_name((armcpu_config)c), at,
               bt, wt[0] ? "spec " : "the host's, the spec does not set it", wt);
    }
    size_t differing = count_kind(s->rep, ARMCPU_KVM_WRITTEN) +
                       count_kind(s->rep, ARMCPU_KVM_REFUSED) + count_kind(s->rep, ARMCPU_KVM_BUSY);
    char more[64] = "";
    if (restores)
        snprintf(more, sizeof more, " (and %zu to roll back)", restores);
    printf("  KVM ioctls: %zu KVM_SET_ONE_REG for %zu differing register%s%s, %zu KVM_GET_ONE_REG, "
           "%zu other\n",
           set - restores, differing, differing == 1 ? "" : "s", more, get, other);
    if (rb == ARMCPU_KVM_ROLLBACK_PARTIAL) {
        printf("  result: FAILED, vCPU LEFT PARTIAL: %s\n", err.message);
        return EXIT_ENV;
    }
    if (rb == ARMCPU_KVM_ROLLBACK_DONE) {
        printf("  result: FAILED, ROLLED BACK (nothing was left changed): %s\n", err.message);
        return EXIT_INPUT;
    }
    if (rc == ARMCPU_ERR_CONFLICT) {
        /* blocked fields, or no write at all (the vCPU's features) */
        bool blocked = count_kind(s->rep, ARMCPU_KVM_BLOCKED) > 0 || set == 0;
        printf("  result: %s: %s\n", blocked ? "REFUSED BEFORE ANY WRITE" : "FAILED", err.message);
        return EXIT_INPUT;
    }
    if (rc)
        return fail("realize", &err);
    printf("  result: applied; every field the model sets reads back as the model's\n");
    return EXIT_OK;
}

/* ---------------------------------------------------------------- realize --kvm */

/* The guest's view against the model, field by field; returns mismatches. */
static size_t compare_guest(const struct session *s, const uint64_t *gv,
                            const armcpu_kvm_guest_status *gs, size_t *identity)
{
    size_t mismatches = 0, read = 0, undef = 0, given = 0;
    *identity = 0;
    printf("guest view (mrs at EL1, one KVM_EXIT_MMIO per register) against %s:\n",
           armcpu_cpu_name(s->cpu));
    printf("  %-18s %-18s %-18s %s\n", "register", "guest", "model", "result");
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *reg = armcpu_reg_at(i);
        uint64_t mv = armcpu_cpu_reg_value(s->cpu, reg), before, after;
        bool present = armcpu_kvm_report_reg(s->rep, reg, &before, &after);
        if (gs[i] == ARMCPU_KVM_GUEST_SKIPPED) {
            if (present)
                printf("  %-18s %-18s 0x%016" PRIx64 " MISMATCH: not read\n", armcpu_reg_name(reg),
                       "-", mv), mismatches++;
            continue;
        }
        if (gs[i] == ARMCPU_KVM_GUEST_UNDEF) {
            undef++;
            bool ok = after == 0;
            printf("  %-18s %-18s 0x%016" PRIx64 " %s (mrs trapped, ESR 0x%" PRIx64
                   "; KVM reports 0x%" PRIx64 ")\n",
                   armcpu_reg_name(reg), "UNDEFINED", mv, ok ? "ok" : "MISMATCH", gv[i], after);
            mismatches += !ok;
            continue;
        }
        read++;
        char detail[1024] = "";
        size_t dl = 0, bad = 0, ident = 0, hostgiven = 0;
        uint64_t covered = 0;
        for (size_t j = 0; j < armcpu_reg_field_count(reg); j++) {
            const armcpu_field *f = armcpu_reg_field_at(reg, j);
            covered |= armcpu_field_mask(f);
            uint64_t g = armcpu_field_get(f, gv[i]), m = armcpu_field_get(f, mv),
                     k = armcpu_field_get(f, after);
            armcpu_verdict vd = armcpu_kvm_report_verdict(s->rep, f);
            bool host_side = vd == ARMCPU_VERDICT_IDENTITY || vd == ARMCPU_VERDICT_HOST_GIVEN ||
                             vd == ARMCPU_VERDICT_UNCHECKED ||
                             (armcpu_reg_is_identity(reg) && g != m && g == k);
            if (g == m)
                continue;
            /* a host-given field an untrapped guest reads from the CPU:
             * neither the spec nor KVM's copy says what it reads */
            bool from_cpu = vd == ARMCPU_VERDICT_HOST_GIVEN && armcpu_field_untrapped(f);
            if (host_side && (g == k || from_cpu)) {
                if (armcpu_reg_is_identity(reg))
                    ident++;
                else
                    hostgiven++;
                if (dl < sizeof detail)
                    dl += (size_t)snprintf(detail + dl, sizeof detail - dl,
                                           " %s=0x%" PRIx64 "(model 0x%" PRIx64 ")",
                                           armcpu_field_name(f), g, m);
                continue;
            }
            bad++;
            if (dl < sizeof detail)
                dl += (size_t)snprintf(detail + dl, sizeof detail - dl,
                                       " %s: guest 0x%" PRIx64 " model 0x%" PRIx64 ";",
                                       armcpu_field_name(f), g, m);
        }
        uint64_t outside = (gv[i] ^ mv) & ~covered;
        if (outside && !hostgiven && !ident) {
            bad++;
            if (dl < sizeof detail)
                snprintf(detail + dl, sizeof detail - dl, " bits 0x%" PRIx64 " outside fields;",
                         outside);
        }
        const char *res = bad ? "MISMATCH:" : ident ? "identity: the guest sees the host's" :
                          hostgiven ? "host-given:" : "ok";
        printf("  %-18s 0x%016" PRIx64 " 0x%016" PRIx64 " %s%s\n", armcpu_reg_name(reg), gv[i],
               mv, res, detail);
        mismatches += bad;
        *identity += ident > 0;
        given += hostgiven > 0;
    }
    printf("guest: %zu registers read, %zu trapped, %zu identity, %zu host-given, "
           "%zu mismatching fields\n",
           read, undef, *identity, given, mismatches);
    return mismatches;
}

int cmd_realize(int argc, char **argv)
{
    int rc;
    bool kvm = take_switch(&argc, argv, "--kvm");
    bool force = take_switch(&argc, argv, "--force");
    const char *after = take_value("realize", &argc, argv, "--after-run", &rc);
    if (rc)
        return rc;
    struct flags fl;
    char *pos[1];
    int npos;
    if ((rc = parse_flags("realize", argc, argv, "", &fl, pos, &npos, 1)))
        return rc;
    if (npos != 1)
        return usage_error("realize", "expected one model spec%s", "");
    if (!kvm)
        return usage_error("realize", "realize needs --kvm (`armcpu expand SPEC` realizes "
                                      "without a host)%s", "");
    struct session s;
    if ((rc = session_start("realize", pos[0], &s))) {
        session_end(&s);
        return rc;
    }
    rc = session_apply(&s, force ? ARMCPU_KVM_APPLY_FORCE : 0, "apply");
    if (rc) {
        session_end(&s);
        return rc;
    }
    size_t nr = armcpu_reg_count();
    uint64_t *gv = calloc(nr, sizeof *gv);
    armcpu_kvm_guest_status *gs = calloc(nr, sizeof *gs);
    armcpu_error err = {0};
    if (!gv || !gs || armcpu_kvm_guest_read_idregs(s.v, gv, gs, &err)) {
        rc = gv && gs ? fail("realize", &err) : EXIT_ENV;
    } else {
        size_t identity;
        size_t bad = compare_guest(&s, gv, gs, &identity);
        printf("result: %s\n", bad ? "FAIL: the guest does not read the model's values"
                                   : "PASS: the guest reads the model's values field by field");
        rc = bad ? EXIT_INPUT : EXIT_OK;
        if (after) {
            /* KVM freezes ID registers at the first KVM_RUN: show it. */
            armcpu_cpu *c2 = armcpu_realize_on_host(s.ctx, after, s.snap, false, &err);
            if (!c2) {
                rc = fail("realize", &err);
            } else {
                armcpu_cpu_free(s.cpu);
                s.cpu = c2;
                session_apply(&s, 0, "after KVM_RUN, apply");
            }
        }
    }
    free(gv);
    free(gs);
    session_end(&s);
    return rc;
}

/* ---------------------------------------------------------------- migrate */

#define STATE_FORMAT "armcpu-migration-state"

static void hex_bytes(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
    out[2 * n] = 0;
}

static bool parse_bytes(const char *s, uint8_t *b, size_t n)
{
    if (strlen(s) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return false;
        b[i] = (uint8_t)v;
    }
    return true;
}

static int migrate_save(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("migrate", argc, argv, "o", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1 || !fl.output)
        return usage_error("migrate", "migrate save needs SPEC and -o FILE%s", "");
    struct session s;
    if ((rc = session_start("migrate", pos[0], &s)) ||
        (rc = session_apply(&s, 0, "migrate save: apply"))) {
        session_end(&s);
        return rc;
    }
    size_t nr = armcpu_reg_count();
    uint64_t *gv = calloc(nr, sizeof *gv);
    armcpu_kvm_guest_status *gs = calloc(nr, sizeof *gs);
    armcpu_error err = {0};
    uint64_t *ids = NULL;
    size_t n = 0;
    if (!gv || !gs || armcpu_kvm_guest_read_idregs(s.v, gv, gs, &err) ||
        armcpu_kvm_reg_list(armcpu_kvm_vcpu_fd(s.v), &ids, &n, &err)) {
        rc = fail("migrate", &err);
        goto out;
    }
    struct json_object *root = json_object_new_object(), *regs = json_object_new_array();
    json_object_object_add(root, "format", json_object_new_string(STATE_FORMAT));
    json_object_object_add(root, "version", json_object_new_int(1));
    json_object_object_add(root, "spec", json_object_new_string(pos[0]));
    json_object_object_add(root, "kernel", json_object_new_string(armcpu_host_kernel(s.snap)));
    json_object_object_add(root, "vcpu_features",
                           json_object_new_string(armcpu_kvm_vcpu_features(s.v)));
    size_t saved = 0, idregs = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t sz = armcpu_kvm_reg_size(ids[i]);
        uint8_t buf[256] = {0};
        char name[96], hex[2 * sizeof buf + 1];
        armcpu_kvm_reg_describe(ids[i], name, sizeof name);
        struct json_object *o = json_object_new_object();
        snprintf(hex, sizeof hex, "0x%016" PRIx64, ids[i]);
        json_object_object_add(o, "id", json_object_new_string(hex));
        json_object_object_add(o, "name", json_object_new_string(name));
        int e = sz <= sizeof buf ? armcpu_kvm_get_reg(armcpu_kvm_vcpu_fd(s.v), ids[i], buf) : E2BIG;
        if (e) {
            json_object_object_add(o, "error", json_object_new_string(strerror(e)));
            failed++;
        } else if (sz <= 8) {
            uint64_t v = 0;
            memcpy(&v, buf, sz);
            snprintf(hex, sizeof hex, "0x%016" PRIx64, v);
            json_object_object_add(o, "value", json_object_new_string(hex));
            saved++;
        } else {
            hex_bytes(buf, sz, hex);
            json_object_object_add(o, "bytes", json_object_new_string(hex));
            saved++;
        }
        idregs += armcpu_reg_by_kvm_id(ids[i], NULL) != NULL;
        json_object_array_add(regs, o);
    }
    json_object_object_add(root, "registers", regs);
    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                                JSON_C_TO_STRING_SPACED |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = malloc(strlen(text) + 2);
    if (copy) {
        sprintf(copy, "%s\n", text);
        if (armcpu_write_text_file(fl.output, copy, &err))
            rc = fail("migrate", &err);
    }
    free(copy);
    json_object_put(root);
    if (!rc)
        printf("migrate save: %zu registers from KVM_GET_REG_LIST (%zu ID registers) saved to %s "
               "after the guest ran%s\n",
               saved, idregs, fl.output, failed ? "; some could not be read" : "");
out:
    armcpu_free(ids);
    free(gv);
    free(gs);
    session_end(&s);
    return rc;
}

static char *slurp_file(const char *path, armcpu_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err->code = ARMCPU_ERR_IO;
        snprintf(err->message, sizeof err->message, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *nb = cap < (64u << 20) ? realloc(buf, cap * 2 + 1) : NULL;
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(fp);
    if (!buf) {
        err->code = ARMCPU_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "%s: too large or out of memory", path);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

/* A migrate save file: its root (json_object_put it) and registers array;
 * NULL after saying why. */
static struct json_object *load_state(const char *path, struct json_object **jregs, int *rc)
{
    armcpu_error err = {0};
    char *text = slurp_file(path, &err);
    if (!text) {
        *rc = fail("migrate", &err);
        return NULL;
    }
    struct json_object *root = json_tokener_parse(text), *jf;
    free(text);
    if (!root || !json_object_object_get_ex(root, "format", &jf) ||
        strcmp(json_object_get_string(jf), STATE_FORMAT) ||
        !json_object_object_get_ex(root, "registers", jregs) ||
        !json_object_is_type(*jregs, json_type_array)) {
        json_object_put(root);
        fprintf(stderr, "armcpu migrate: %s: not an %s file\n", path, STATE_FORMAT);
        *rc = EXIT_INPUT;
        return NULL;
    }
    return root;
}

static int migrate_load(int argc, char **argv)
{
    struct flags fl;
    char *pos[2];
    int npos, rc = parse_flags("migrate", argc, argv, "", &fl, pos, &npos, 2);
    if (rc)
        return rc;
    if (npos != 2)
        return usage_error("migrate", "migrate load needs SPEC and a state file%s", "");
    armcpu_error err = {0};
    struct json_object *jregs, *root = load_state(pos[1], &jregs, &rc);
    if (!root)
        return rc;
    struct json_object *jk = NULL, *js = NULL;
    json_object_object_get_ex(root, "kernel", &jk);
    json_object_object_get_ex(root, "spec", &js);
    /* KVM's order: the SVE vector lengths before the vCPU is finalized,
     * i.e. when it is created, then everything else */
    uint64_t vls[8] = {0};
    bool have_vls = false;
    for (size_t i = 0; i < json_object_array_length(jregs); i++) {
        struct json_object *o = json_object_array_get_idx(jregs, i), *jid, *jv;
        uint64_t id;
        if (json_object_object_get_ex(o, "id", &jid) &&
            !armcpu_parse_u64(json_object_get_string(jid), "register id", &id, &err) &&
            id == ARMCPU_KVM_REG_SVE_VLS && json_object_object_get_ex(o, "bytes", &jv) &&
            parse_bytes(json_object_get_string(jv), (uint8_t *)vls, sizeof vls))
            have_vls = true;
    }
    memset(&err, 0, sizeof err);
    struct session s;
    if ((rc = session_start_vls("migrate", pos[0], have_vls ? vls : NULL, &s)) ||
        (rc = session_apply(&s, 0, "migrate load: apply"))) {
        session_end(&s);
        json_object_put(root);
        return rc;
    }
    printf("migrate load: state of '%s' saved on Linux %s -> this vCPU (Linux %s)\n",
           js ? json_object_get_string(js) : "?", jk ? json_object_get_string(jk) : "?",
           armcpu_host_kernel(s.snap));
    int vfd = armcpu_kvm_vcpu_fd(s.v);
    size_t n = json_object_array_length(jregs), restored = 0, feature = 0, identity = 0,
           geometry = 0, other = 0, unused32 = 0;
    bool aarch32 = armcpu_cpu_has_aarch32(s.cpu);
    for (size_t i = 0; i < n; i++) {
        struct json_object *o = json_object_array_get_idx(jregs, i), *jid, *jv;
        uint64_t id;
        if (!json_object_object_get_ex(o, "id", &jid) ||
            armcpu_parse_u64(json_object_get_string(jid), "register id", &id, &err))
            continue;
        size_t sz = armcpu_kvm_reg_size(id);
        uint8_t buf[256] = {0}, cur[256] = {0};
        char name[96];
        armcpu_kvm_reg_describe(id, name, sizeof name);
        if (sz > sizeof buf)
            continue;
        if (json_object_object_get_ex(o, "value", &jv)) {
            uint64_t v;
            if (armcpu_parse_u64(json_object_get_string(jv), "value", &v, &err))
                continue;
            memcpy(buf, &v, sz <= 8 ? sz : 8);
        } else if (!json_object_object_get_ex(o, "bytes", &jv) ||
                   !parse_bytes(json_object_get_string(jv), buf, sz)) {
            continue; /* not readable on the source */
        }
        if (id == ARMCPU_KVM_REG_SVE_VLS && have_vls) {
            /* written when the vCPU was created: read back */
            if (!armcpu_kvm_get_reg(vfd, id, cur) && !memcmp(cur, buf, sz)) {
                restored++;
                continue;
            }
        }
        int e = armcpu_kvm_set_reg(vfd, id, buf);
        int ge = armcpu_kvm_get_reg(vfd, id, cur);
        /* KVM may take an ID register write and keep another value (Linux
         * 7.3 takes ID_AA64MMFR2_EL1.NV 2 and reads 0): for the ID registers
         * only what reads back counts (others, such as counters, move on
         * their own) */
        const armcpu_reg *idreg = armcpu_reg_by_kvm_id(id, NULL);
        if (!e && (!idreg || (!ge && !memcmp(cur, buf, sz)))) {
            restored++;
            continue;
        }
        char how[96];
        if (e)
            snprintf(how, sizeof how, "refused with %s", strerror(e));
        else
            snprintf(how, sizeof how, "was taken but reads back another value");
        const armcpu_reg *reg = idreg;
        uint64_t want = 0, have = 0;
        memcpy(&want, buf, sz <= 8 ? sz : 8);
        memcpy(&have, cur, sz <= 8 ? sz : 8);
        if (reg && armcpu_reg_is_identity(reg)) {
            identity++;
            const char *sn = armcpu_reg_name(reg);
            printf("  identity   the guest would see a different %.*s (saved 0x%016" PRIx64
                   ", this vCPU 0x%016" PRIx64 "): KVM_SET_ONE_REG %s; needs Linux "
                   "6.15+ and KVM_CAP_ARM_WRITABLE_IMP_ID_REGS\n",
                   (int)(strchr(sn, '_') ? strchr(sn, '_') - sn : (long)strlen(sn)), sn, want, have,
                   how);
        } else if (reg && !aarch32 && armcpu_reg_is_aarch32(reg)) {
            /* e.g. from a host without AArch32 (RAZ) to one with it, where KVM
             * refuses ID_DFR0_EL1.CopDbg 0: the spec leaves these to the host */
            unused32++;
            printf("  aarch32    %s: saved 0x%016" PRIx64 ", this vCPU 0x%016" PRIx64
                   " (KVM_SET_ONE_REG %s); the spec has no AArch32, the register "
                   "is UNKNOWN to its guest: not a failure\n",
                   armcpu_reg_name(reg), want, have, how);
        } else if (reg) {
            bool geo = armcpu_reg_is_geometry(reg);
            geo ? geometry++ : feature++;
            size_t named = 0;
            /* the judgement of the saved value against this vCPU says why */
            armcpu_reg_view view;
            armcpu_host_reg_view(s.snap, reg, &view);
            unsigned jf = armcpu_cpu_judge_flags(s.cpu, reg) | ARMCPU_JUDGE_SETS;
            for (size_t j = 0; j < armcpu_reg_field_count(reg); j++) {
                const armcpu_field *f = armcpu_reg_field_at(reg, j);
                uint64_t w = armcpu_field_get(f, want), h = armcpu_field_get(f, have);
                if (w == h)
                    continue;
                char reason[320], why[400];
                armcpu_verdict vd = armcpu_judge(f, want, jf, &view, reason, sizeof reason);
                if (armcpu_verdict_blocks(vd))
                    snprintf(why, sizeof why, "%s: %s", armcpu_verdict_name(vd), reason);
                else
                    snprintf(why, sizeof why, "%s by the checks: KVM disagrees with armcpu here",
                             armcpu_verdict_name(vd));
                printf("  %-10s %s.%s: saved 0x%" PRIx64 ", this vCPU 0x%" PRIx64
                       " (KVM_SET_ONE_REG %s; %s)\n",
                       geo ? "geometry" : "feature", armcpu_reg_name(reg), armcpu_field_name(f), w,
                       h, how, why);
                named++;
            }
            if (!named)
                printf("  %-10s %s: saved 0x%016" PRIx64 ", this vCPU 0x%016" PRIx64
                       " (KVM_SET_ONE_REG %s)\n",
                       geo ? "geometry" : "feature", armcpu_reg_name(reg), want, have, how);
        } else {
            other++;
            printf("  other      %s (id 0x%016" PRIx64 "): KVM_SET_ONE_REG %s%s\n",
                   name, id, how, ge == ENOENT ? " (this vCPU has no such register)" : "");
        }
    }
    json_object_put(root);
    printf("migrate load: %zu of %zu saved registers restored; refused: %zu feature ID "
           "register%s, %zu identity (MIDR/REVIDR/AIDR), %zu cache geometry, %zu other%s\n",
           restored, n, feature, feature == 1 ? "" : "s", identity, geometry, other,
           unused32 ? " (and AArch32 registers the spec leaves to the host)" : "");
    bool pass = !feature && !geometry && !other;
    printf("result: %s\n", pass ? (identity ? "PASS: every feature register restored; the "
                                              "identity finding above is not a feature failure"
                                            : "PASS: every register restored")
                                : "FAIL: the destination refused saved registers");
    session_end(&s);
    return pass ? EXIT_OK : EXIT_INPUT;
}

/* migrate check STATE --host H: without KVM, the saved ID registers judged
 * as a spec on H (what migrate load would write) by armcpu check's
 * judgement: which fields KVM would refuse, which are unknown. */
struct mc_out {
    size_t blocking, unknown, identity;
};

static void mc_field(const armcpu_field_check *c, void *opaque)
{
    struct mc_out *o = opaque;
    const char *v = armcpu_verdict_name(c->verdict);
    char what[160], saved[96], hostv[96];
    if (c->is_config) {
        snprintf(what, sizeof what, "%s (%s)", armcpu_config_name(c->config),
                 armcpu_config_kvm_name(c->config));
        armcpu_config_format(c->config, c->model_value, saved, sizeof saved);
        armcpu_config_format(c->config, c->host_value, hostv, sizeof hostv);
    } else {
        snprintf(what, sizeof what, "%s.%s", armcpu_reg_name(c->reg),
                 c->field ? armcpu_field_name(c->field) : "(bits outside fields)");
        snprintf(saved, sizeof saved, "0x%" PRIx64, c->model_value);
        snprintf(hostv, sizeof hostv, "0x%" PRIx64, c->host_value);
    }
    if (armcpu_verdict_blocks(c->verdict)) {
        o->blocking++;
        printf("  refused    %s: saved %s, the host has %s (%s: %s)\n", what, saved, hostv, v,
               c->reason);
    } else if (armcpu_verdict_unknown(c->verdict)) {
        o->unknown++;
        printf("  unknown    %s: saved %s (%s: %s)\n", what, saved, v, c->reason);
    } else if (c->verdict == ARMCPU_VERDICT_IDENTITY) {
        o->identity++;
        printf("  identity   %s: saved %s, the host's %s (%s)\n", what, saved, hostv, c->reason);
    }
}

static int migrate_check(int argc, char **argv)
{
    struct flags fl;
    char *pos[1];
    int npos, rc = parse_flags("migrate", argc, argv, "host kernel", &fl, pos, &npos, 1);
    if (rc)
        return rc;
    if (npos != 1 || !fl.host)
        return usage_error("migrate", "migrate check needs a state file and --host H%s", "");
    armcpu_error err = {0};
    struct json_object *jregs, *jk = NULL, *jfe = NULL, *root = load_state(pos[0], &jregs, &rc);
    if (!root)
        return rc;
    json_object_object_get_ex(root, "kernel", &jk);
    json_object_object_get_ex(root, "vcpu_features", &jfe);
    /* the saved ID registers as a listing, imported as the source vCPU */
    size_t cap = 64 * (json_object_array_length(jregs) + 1), used = 0;
    char *l = malloc(cap);
    size_t ids = 0, sve_vls = 0;
    if (!l) {
        json_object_put(root);
        fprintf(stderr, "armcpu migrate: out of memory\n");
        return EXIT_ENV;
    }
    l[0] = 0;
    /* the saved registers that carry vCPU configuration items (by their KVM
     * id): judged as the spec's items, as migrate load writes them */
    bool cfg_saved[ARMCPU_CONFIG_COUNT] = {false};
    uint64_t cfg_val[ARMCPU_CONFIG_COUNT] = {0};
    for (size_t i = 0; i < json_object_array_length(jregs); i++) {
        struct json_object *o = json_object_array_get_idx(jregs, i), *jid, *jv;
        uint64_t id, v;
        if (!json_object_object_get_ex(o, "id", &jid) ||
            armcpu_parse_u64(json_object_get_string(jid), "register id", &id, &err))
            continue;
        for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
            if (!armcpu_config_kvm_id((armcpu_config)c) || armcpu_config_kvm_id((armcpu_config)c) != id)
                continue;
            uint64_t words[8];
            if (id == ARMCPU_KVM_REG_SVE_VLS) {
                if (json_object_object_get_ex(o, "bytes", &jv) &&
                    parse_bytes(json_object_get_string(jv), (uint8_t *)words, sizeof words) &&
                    words[0] && !(words[0] >> 16)) {
                    cfg_saved[c] = true;
                    cfg_val[c] = words[0];
                }
                sve_vls += !cfg_saved[c];
            } else if (json_object_object_get_ex(o, "value", &jv) &&
                       !armcpu_parse_u64(json_object_get_string(jv), "value", &v, &err)) {
                cfg_saved[c] = true;
                /* PMCR_EL0: N (bits 15:11); the rest is the guest's */
                cfg_val[c] = c == ARMCPU_CONFIG_PMU_COUNTERS ? (v >> 11 & 0x1f) : v;
            }
        }
        const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
        if (!r || !json_object_object_get_ex(o, "value", &jv) ||
            armcpu_parse_u64(json_object_get_string(jv), "value", &v, &err))
            continue;
        used += (size_t)snprintf(l + used, cap - used, "%s 0x%016" PRIx64 "\n",
                                 armcpu_reg_name(r), v);
        ids++;
    }
    memset(&err, 0, sizeof err);
    const char *feats = jfe ? json_object_get_string(jfe) : "";
    char list[32];
    unsigned on = armcpu_vcpu_features_of_list(feats);
    snprintf(list, sizeof list, "%s%s%s", on & ARMCPU_VCPU_SVE ? "sve," : "",
             on & ARMCPU_VCPU_PMU ? "pmu," : "", on & ARMCPU_VCPU_PTRAUTH ? "ptrauth," : "");
    if (*list)
        list[strlen(list) - 1] = 0;
    armcpu_host *saved = ids ? armcpu_host_import(l, used, NULL, 0, pos[0], &err) : NULL;
    free(l);
    if (!saved || armcpu_host_set_info(saved, "saved-state", jk ? json_object_get_string(jk) : "unknown",
                                       NULL, &err) ||
        armcpu_host_set_vcpu_features(saved, *list ? list : "none", &err)) {
        armcpu_host_free(saved);
        json_object_put(root);
        if (!err.code)
            fprintf(stderr, "armcpu migrate: %s: no ID register in the state\n", pos[0]);
        return err.code ? fail("migrate", &err) : EXIT_INPUT;
    }
    armcpu_host *h = open_host_kernel("migrate", fl.host, fl.kernel, &rc);
    armcpu_ctx *ctx = h ? open_ctx("migrate", &rc) : NULL;
    /* "host" with every saved item set: the spec migrate load writes */
    char spec[1024] = "host";
    for (unsigned c = 0; c < ARMCPU_CONFIG_COUNT; c++) {
        size_t used = strlen(spec);
        if (cfg_saved[c] && used + 2 < sizeof spec) {
            spec[used++] = ',';
            armcpu_config_spec_text((armcpu_config)c, cfg_val[c], spec + used, sizeof spec - used);
        }
    }
    armcpu_cpu *cpu = ctx ? armcpu_realize_on_host(ctx, spec, saved, false, &err) : NULL;
    if (ctx && !cpu)
        rc = fail("migrate", &err);
    if (cpu) {
        printf("migrate check: %zu saved ID registers (Linux %s, vCPU %s) -> %s (Linux %s)\n", ids,
               armcpu_host_kernel(saved), *list ? list : "no sve/pmu/ptrauth", armcpu_host_name(h),
               armcpu_host_kernel(h));
        struct mc_out o = {0, 0, 0};
        armcpu_check(cpu, h, mc_field, &o);
        if (sve_vls)
            printf("  unknown    KVM_REG_ARM64_SVE_VLS: the saved vector lengths cannot be read "
                   "from the state\n");
        o.unknown += sve_vls;
        armcpu_answer a = armcpu_answer_of(o.blocking, o.unknown);
        printf("result: %s\n", a == ARMCPU_ANSWER_NO      ? "REFUSED: the host's KVM would refuse saved "
                                                              "registers (above)"
                               : a == ARMCPU_ANSWER_UNKNOWN ? "LOADABLE AS FAR AS KNOWN: some fields "
                                                              "cannot be judged from the snapshot"
                                                            : "LOADABLE: every saved ID register");
        rc = exit_of(a);
        armcpu_cpu_free(cpu);
    }
    armcpu_ctx_free(ctx);
    armcpu_host_free(h);
    armcpu_host_free(saved);
    json_object_put(root);
    return rc;
}

int cmd_migrate(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "check"))
        return migrate_check(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "save"))
        return migrate_save(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "load"))
        return migrate_load(argc - 1, argv + 1);
    return usage_error("migrate",
                       "expected 'save SPEC -o FILE', 'load SPEC FILE' or 'check FILE --host H'%s",
                       "");
}
