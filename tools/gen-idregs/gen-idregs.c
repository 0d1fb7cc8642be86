/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gen-idregs: writes armcpu's ID-register field table as C source.
 *
 * Inputs:
 *   --sysreg F  the Linux kernel's arch/arm64/tools/sysreg (field layout, enums)
 *   --policy F  safe-value policies derived from cpufeature.c (ftr-bits.tsv)
 *   --extra F   supplementary registers in sysreg syntax (MIDR_EL1, REVIDR_EL1,
 *               AIDR_EL1, from the Arm ARM) plus `Default REG FIELD VALUE`
 *               exceptions to the NI-or-zero default rule
 *   --feats F   optional: Arm AARCHMRS FEAT_ -> ID field conditions (tsv)
 *   --deps F    optional: Arm AARCHMRS FEAT_ optional-from / mandatory-if /
 *               requires expressions (tsv), copied into the table verbatim
 *               for `armcpu lint`
 *   -o F        output C file
 *
 * Only registers in the feature ID space are kept: op0=3, op1 in {0,1,3},
 * CRn=0, CRm=0..7, op2=0..7. Any inconsistency between the inputs is an
 * error: a table that silently drifted from the kernel would be worse than
 * none.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_REGS 128
#define MAX_FIELDS 40
#define MAX_VALUES 24

enum policy { P_LOWER, P_HIGHER, P_HIGHER_OR_ZERO, P_EXACT, P_HOST_ONLY };
static const char *const policy_enum[] = {
    "ARMCPU_POLICY_LOWER", "ARMCPU_POLICY_HIGHER",
    "ARMCPU_POLICY_HIGHER_OR_ZERO", "ARMCPU_POLICY_EXACT",
    "ARMCPU_POLICY_HOST_ONLY"};

struct value {
    uint64_t v;
    char name[48];
    char feat[48];
    bool feat_sint; /* Arm's condition reads the field signed: SInt(F) >= N */
    char guard[96];  /* Arm's guard of the mapping, e.g. (FEAT_AA64EL1 && FEAT_MTE2) */
};

/* Field groups (extra file `Group`): bit i = groups[i]. */
static const char *const group_names[] = {"sve", "pauth", "pmu", "aarch32"};
#define N_GROUPS 4

/* Values KVM refuses in any write of the register (extra file `WriteRule`). */
static const char *const rule_names[] = {"none", "below-armv8", "pmuv3-or-none",
                                         "impdef-dropped", "zero-needs-host-bit"};
static const char *const rule_enum[] = {
    "ARMCPU_KVM_RULE_NONE", "ARMCPU_KVM_RULE_BELOW_ARMV8", "ARMCPU_KVM_RULE_PMUV3_OR_NONE",
    "ARMCPU_KVM_RULE_IMPDEF_DROPPED", "ARMCPU_KVM_RULE_ZERO_NEEDS_HOST_BIT"};
#define N_RULES 5
#define RULE_ZERO_NEEDS_HOST_BIT 4

/* Register attributes (extra file `Register`). */
enum { A_IDENTITY = 1, A_GEOMETRY = 2, A_ANY_VALUE = 4, A_CORE = 8, A_AARCH32 = 16 };
static const char *const attr_names[] = {"identity", "geometry", "any-value", "core"};

struct field {
    char name[48];
    unsigned groups;
    bool kvm_policy_set; /* extra file `KvmPolicy` */
    int kvm_policy;      /* enum policy */
    int kvm_policy_since;
    int rule;            /* index in rule_names */
    int rule_since;
    char rule_handler[40]; /* KVM's set handler that applies it */
    char rule_host[64];    /* zero-needs-host-bit: HOSTREG.FIELD */
    char rule_partner[48]; /* zero-needs-host-bit: the field that must be 0 too */
    int lsb, width;
    bool sysreg_signed; /* SignedEnum in the sysreg file */
    bool later_policy;  /* kvm_policy is a later kernel's cpufeature.c row */
    bool untrapped;     /* extra file `Untrapped`: the guest reads the hardware's
                           value unless KVM traps the register (rule_host: the
                           host field that decides it) */
    bool is_signed;
    bool has_policy;
    enum policy policy;
    uint64_t safe;
    uint64_t def;
    bool def_overridden;
    struct value values[MAX_VALUES];
    int n_values;
};

struct reg {
    char name[48];
    int op0, op1, crn, crm, op2;
    struct field fields[MAX_FIELDS];
    int n_fields;
    uint64_t res0, res1, unkn;
    unsigned attrs;     /* A_* */
    const char *origin; /* input file it came from */
};

/* The table being built, and a scratch table for an older sysreg file
 * (--sysreg given more than once): `regs` points at the one being loaded. */
static struct reg main_regs[MAX_REGS], older_regs[MAX_REGS];
static struct reg *regs = main_regs;
static int n_regs, n_older;

static _Noreturn void die(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "gen-idregs: %s", file);
    if (line > 0)
        fprintf(stderr, ":%d", line);
    fputs(": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static int split(char *line, char **tok, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t && n < max;
         t = strtok_r(NULL, " \t\r\n", &save))
        tok[n++] = t;
    return n;
}

static bool parse_int(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}

/* "6.7" -> 6007: the kernel version key of the generated table. */
static int parse_version(const char *file, int ln, const char *s)
{
    char *end;
    long major = strtol(s, &end, 10), minor;
    if (end == s || *end != '.' || major < 1 || major > 99)
        die(file, ln, "bad kernel version '%s' (expected MAJOR.MINOR, e.g. 6.7)", s);
    const char *m = end + 1;
    minor = strtol(m, &end, 10);
    if (end == m || *end || minor < 0 || minor > 999)
        die(file, ln, "bad kernel version '%s' (expected MAJOR.MINOR, e.g. 6.7)", s);
    return (int)(major * 1000 + minor);
}

static int policy_index(const char *name)
{
    static const char *const names[] = {"LOWER", "HIGHER", "HIGHER_OR_ZERO", "EXACT"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

static void parse_bits(const char *file, int ln, const char *s, int *msb,
                       int *lsb)
{
    long a, b;
    char buf[32];
    snprintf(buf, sizeof buf, "%s", s);
    char *colon = strchr(buf, ':');
    if (colon) {
        *colon = 0;
        if (!parse_int(buf, &a) || !parse_int(colon + 1, &b))
            die(file, ln, "bad bit range '%s'", s);
    } else {
        if (!parse_int(buf, &a))
            die(file, ln, "bad bit range '%s'", s);
        b = a;
    }
    if (a < b || a > 63 || b < 0)
        die(file, ln, "bit range '%s' out of 63:0", s);
    *msb = (int)a;
    *lsb = (int)b;
}

static uint64_t bits_mask(int msb, int lsb)
{
    int w = msb - lsb + 1;
    uint64_t m = w == 64 ? ~0ULL : ((1ULL << w) - 1);
    return m << lsb;
}

static bool in_id_space(int op0, int op1, int crn, int crm, int op2)
{
    return op0 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) && crn == 0 &&
           crm >= 0 && crm <= 7 && op2 >= 0 && op2 <= 7;
}

static struct reg *find_reg(const char *name)
{
    for (int i = 0; i < n_regs; i++)
        if (!strcmp(regs[i].name, name))
            return &regs[i];
    return NULL;
}

static struct field *find_field(struct reg *r, const char *name)
{
    for (int i = 0; i < r->n_fields; i++)
        if (!strcasecmp(r->fields[i].name, name))
            return &r->fields[i];
    return NULL;
}

/* Parses sysreg-format text; keeps ID-space blocks. `Default` lines are
 * accepted only when allow_defaults (the supplementary file). */
static void load_sysreg(const char *file, bool allow_defaults)
{
    FILE *fp = fopen(file, "r");
    if (!fp)
        die(file, 0, "cannot open: %s", strerror(errno));
    char line[512];
    int ln = 0;
    struct reg *cur = NULL;  /* kept block being read */
    bool skipping = false;   /* inside a block outside the ID space */
    struct field *en = NULL; /* enum being read */
    bool in_enum = false;
    uint64_t covered = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *tok[8];
        int n = split(line, tok, 8);
        if (n == 0)
            continue;
        if (in_enum) {
            if (!strcmp(tok[0], "EndEnum")) {
                in_enum = false;
                en = NULL;
                continue;
            }
            if (n != 2)
                die(file, ln, "enum value line needs '<0bvalue> <name>'");
            if (!en)
                continue; /* enum of a skipped block */
            if (strncmp(tok[0], "0b", 2))
                die(file, ln, "enum value '%s' is not 0b binary", tok[0]);
            char *end;
            uint64_t v = strtoull(tok[0] + 2, &end, 2);
            if (*end)
                die(file, ln, "bad binary value '%s'", tok[0]);
            if (en->width < 64 && v >> en->width)
                die(file, ln, "value %s does not fit %d-bit field %s", tok[0],
                    en->width, en->name);
            if (en->n_values == MAX_VALUES)
                die(file, ln, "too many values for %s", en->name);
            bool dup = false;
            for (int i = 0; i < en->n_values; i++)
                dup |= en->values[i].v == v;
            if (dup) {
                /* A known slip in 6.12 (ID_PFR1_EL1.Security NSACR_RFR);
                 * keep the first name, the extra file may correct it. */
                fprintf(stderr,
                        "gen-idregs: %s:%d: note: value %s listed twice in %s;"
                        " keeping the first name\n",
                        file, ln, tok[0], en->name);
                continue;
            }
            struct value *val = &en->values[en->n_values++];
            val->v = v;
            snprintf(val->name, sizeof val->name, "%s", tok[1]);
            if (!strcmp(tok[1], "NI"))
                en->def = v;
            continue;
        }
        if (!strcmp(tok[0], "Sysreg")) {
            if (cur || skipping)
                die(file, ln, "Sysreg inside a block");
            long e[5];
            if (n != 7)
                die(file, ln, "Sysreg needs name op0 op1 crn crm op2");
            for (int i = 0; i < 5; i++)
                if (!parse_int(tok[2 + i], &e[i]))
                    die(file, ln, "bad encoding '%s'", tok[2 + i]);
            if (!in_id_space((int)e[0], (int)e[1], (int)e[2], (int)e[3],
                             (int)e[4])) {
                skipping = true;
                continue;
            }
            if (find_reg(tok[1]))
                die(file, ln, "register %s defined twice", tok[1]);
            if (n_regs == MAX_REGS)
                die(file, ln, "too many registers");
            cur = &regs[n_regs++];
            memset(cur, 0, sizeof *cur);
            snprintf(cur->name, sizeof cur->name, "%s", tok[1]);
            cur->op0 = (int)e[0];
            cur->op1 = (int)e[1];
            cur->crn = (int)e[2];
            cur->crm = (int)e[3];
            cur->op2 = (int)e[4];
            cur->origin = file;
            covered = 0;
            continue;
        }
        if (!strcmp(tok[0], "SysregFields")) {
            skipping = true; /* shared layouts are not used by ID registers */
            continue;
        }
        if (!strcmp(tok[0], "EndSysreg") || !strcmp(tok[0], "EndSysregFields")) {
            if (cur && covered != ~0ULL)
                die(file, ln, "%s does not describe every bit (covered %#llx)",
                    cur->name, (unsigned long long)covered);
            cur = NULL;
            skipping = false;
            continue;
        }
        if (!strcmp(tok[0], "Default")) {
            if (!allow_defaults)
                die(file, ln, "'Default' is only allowed in the extra file");
            if (n != 4)
                die(file, ln, "Default needs REG FIELD VALUE");
            struct reg *r = find_reg(tok[1]);
            struct field *f = r ? find_field(r, tok[2]) : NULL;
            long v;
            if (!f)
                die(file, ln, "Default for unknown field %s.%s", tok[1], tok[2]);
            if (!parse_int(tok[3], &v) || v < 0 ||
                (f->width < 64 && (uint64_t)v >> f->width))
                die(file, ln, "Default value '%s' does not fit %s.%s", tok[3],
                    tok[1], tok[2]);
            f->def = (uint64_t)v;
            f->def_overridden = true;
            continue;
        }
        if (!strcmp(tok[0], "Value")) {
            if (!allow_defaults)
                die(file, ln, "'Value' is only allowed in the extra file");
            if (n != 5 || strncmp(tok[3], "0b", 2))
                die(file, ln, "Value needs REG FIELD 0bVALUE NAME");
            struct reg *r = find_reg(tok[1]);
            struct field *f = r ? find_field(r, tok[2]) : NULL;
            if (!f)
                die(file, ln, "Value for unknown field %s.%s", tok[1], tok[2]);
            char *end;
            uint64_t v = strtoull(tok[3] + 2, &end, 2);
            if (*end || (f->width < 64 && v >> f->width))
                die(file, ln, "Value '%s' does not fit %s.%s", tok[3], tok[1],
                    tok[2]);
            struct value *val = NULL;
            for (int i = 0; i < f->n_values; i++)
                if (f->values[i].v == v || !strcmp(f->values[i].name, tok[4]))
                    die(file, ln, "Value %s %s already named in %s", tok[3],
                        tok[4], tok[2]);
            if (f->n_values == MAX_VALUES)
                die(file, ln, "too many values for %s", f->name);
            val = &f->values[f->n_values++];
            val->v = v;
            snprintf(val->name, sizeof val->name, "%s", tok[4]);
            continue;
        }
        if (!strcmp(tok[0], "Register")) {
            if (!allow_defaults)
                die(file, ln, "'Register' is only allowed in the extra file");
            if (n < 3)
                die(file, ln, "Register needs REG ATTR...");
            struct reg *r = find_reg(tok[1]);
            if (!r)
                die(file, ln, "Register for unknown register %s", tok[1]);
            for (int i = 2; i < n; i++) {
                int a = -1;
                for (int k = 0; k < 4; k++)
                    if (!strcmp(tok[i], attr_names[k]))
                        a = k;
                if (a < 0)
                    die(file, ln, "unknown attribute '%s' (identity, geometry, any-value, core)",
                        tok[i]);
                if (r->attrs & (1u << a))
                    die(file, ln, "%s: attribute %s given twice", tok[1], tok[i]);
                r->attrs |= 1u << a;
            }
            if ((r->attrs & A_IDENTITY) && (r->attrs & A_GEOMETRY))
                die(file, ln, "%s cannot be both identity and geometry", tok[1]);
            if ((r->attrs & A_ANY_VALUE) && !(r->attrs & A_GEOMETRY))
                die(file, ln, "%s: any-value is a geometry rule (set_clidr)", tok[1]);
            continue;
        }
        if (!strcmp(tok[0], "KvmPolicy") || !strcmp(tok[0], "WriteRule")) {
            bool pol = tok[0][0] == 'K';
            if (!allow_defaults)
                die(file, ln, "'%s' is only allowed in the extra file", tok[0]);
            if (pol ? n != 5 : (n < 6 || n > 8))
                die(file, ln, "%s needs REG FIELD %s", tok[0],
                    pol ? "POLICY SINCE" : "RULE SINCE HANDLER [HOSTREG.FIELD [PARTNER]]");
            struct reg *r = find_reg(tok[1]);
            struct field *f = r ? find_field(r, tok[2]) : NULL;
            if (!f)
                die(file, ln, "%s for unknown field %s.%s", tok[0], tok[1], tok[2]);
            int since = parse_version(file, ln, tok[4]);
            if (pol) {
                int p = policy_index(tok[3]);
                if (p < 0)
                    die(file, ln, "unknown policy '%s' (LOWER, HIGHER, HIGHER_OR_ZERO, EXACT)",
                        tok[3]);
                if (f->kvm_policy_set)
                    die(file, ln, "%s.%s has two KvmPolicy rows", tok[1], tok[2]);
                f->kvm_policy_set = true;
                f->kvm_policy = p;
                f->kvm_policy_since = since;
            } else {
                int k = -1;
                for (int i = 1; i < N_RULES; i++)
                    if (!strcmp(tok[3], rule_names[i]))
                        k = i;
                if (k < 0)
                    die(file, ln, "unknown write rule '%s' (below-armv8, pmuv3-or-none)", tok[3]);
                if (f->rule)
                    die(file, ln, "%s.%s has two WriteRule rows", tok[1], tok[2]);
                if (f->width != 4 && k != RULE_ZERO_NEEDS_HOST_BIT)
                    die(file, ln, "WriteRule %s: %s is about 4-bit fields", tok[2], tok[3]);
                f->rule = k;
                f->rule_since = since;
                if (strlen(tok[5]) >= sizeof f->rule_handler ||
                    strspn(tok[5], "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(tok[5]))
                    die(file, ln, "bad handler name '%s'", tok[5]);
                snprintf(f->rule_handler, sizeof f->rule_handler, "%s", tok[5]);
                if ((k == RULE_ZERO_NEEDS_HOST_BIT) != (n >= 7))
                    die(file, ln, "only zero-needs-host-bit takes HOSTREG.FIELD [PARTNER]");
                if (n >= 7)
                    snprintf(f->rule_host, sizeof f->rule_host, "%s", tok[6]);
                if (n == 8) {
                    if (!find_field(r, tok[7]))
                        die(file, ln, "%s has no partner field %s", tok[1], tok[7]);
                    snprintf(f->rule_partner, sizeof f->rule_partner, "%s", tok[7]);
                }
            }
            continue;
        }
        if (!strcmp(tok[0], "Untrapped")) {
            if (!allow_defaults)
                die(file, ln, "'Untrapped' is only allowed in the extra file");
            if (n != 4 || !strchr(tok[3], '.'))
                die(file, ln, "Untrapped needs REG FIELD HOSTREG.FIELD");
            struct reg *r = find_reg(tok[1]);
            struct field *f = r ? find_field(r, tok[2]) : NULL;
            if (!f)
                die(file, ln, "Untrapped for unknown field %s.%s", tok[1], tok[2]);
            if (f->rule || f->untrapped)
                die(file, ln, "%s.%s has a write rule or a second Untrapped row", tok[1], tok[2]);
            f->untrapped = true;
            snprintf(f->rule_host, sizeof f->rule_host, "%s", tok[3]);
            continue;
        }
        if (!strcmp(tok[0], "Group")) {
            if (!allow_defaults)
                die(file, ln, "'Group' is only allowed in the extra file");
            if (n != 3)
                die(file, ln, "Group needs NAME REG[.FIELD]");
            int g = -1;
            for (int i = 0; i < N_GROUPS; i++)
                if (!strcmp(tok[1], group_names[i]))
                    g = i;
            if (g < 0)
                die(file, ln, "unknown group '%s' (sve, pauth, pmu, aarch32)", tok[1]);
            char *dot = strchr(tok[2], '.');
            if (dot)
                *dot = 0;
            struct reg *r = find_reg(tok[2]);
            if (!r)
                die(file, ln, "Group for unknown register %s", tok[2]);
            bool any = false;
            /* the whole-register rows of group aarch32 are the AArch32 ID
             * registers (UNKNOWN to a guest without AArch32) */
            if (!dot && g == 3)
                r->attrs |= A_AARCH32;
            for (int i = 0; i < r->n_fields; i++)
                if (!dot || !strcasecmp(r->fields[i].name, dot + 1)) {
                    r->fields[i].groups |= 1u << g;
                    any = true;
                }
            if (!any)
                die(file, ln, "register %s has no field %s", tok[2], dot ? dot + 1 : "");
            continue;
        }
        if (skipping)
            continue;
        if (!cur) {
            /* Keywords outside blocks belong to blocks we do not keep. */
            if (!strcmp(tok[0], "Enum") || !strcmp(tok[0], "UnsignedEnum") ||
                !strcmp(tok[0], "SignedEnum"))
                in_enum = true;
            continue;
        }
        int msb, lsb;
        /* Raz (reads as zero; newer sysreg files) is kept as RES0 */
        if (!strcmp(tok[0], "Res0") || !strcmp(tok[0], "Res1") ||
            !strcmp(tok[0], "Unkn") || !strcmp(tok[0], "Raz")) {
            if (n != 2)
                die(file, ln, "%s needs a bit range", tok[0]);
            parse_bits(file, ln, tok[1], &msb, &lsb);
            uint64_t m = bits_mask(msb, lsb);
            if (covered & m)
                die(file, ln, "%s overlaps an earlier field", tok[1]);
            covered |= m;
            if (!strcmp(tok[0], "Res0") || !strcmp(tok[0], "Raz"))
                cur->res0 |= m;
            else if (tok[0][3] == '1')
                cur->res1 |= m;
            else
                cur->unkn |= m;
            continue;
        }
        bool is_enum = !strcmp(tok[0], "Enum") ||
                       !strcmp(tok[0], "UnsignedEnum") ||
                       !strcmp(tok[0], "SignedEnum");
        if (is_enum || !strcmp(tok[0], "Field")) {
            if (n != 3)
                die(file, ln, "%s needs a bit range and a name", tok[0]);
            parse_bits(file, ln, tok[1], &msb, &lsb);
            uint64_t m = bits_mask(msb, lsb);
            if (covered & m)
                die(file, ln, "field %s overlaps an earlier field", tok[2]);
            covered |= m;
            if (cur->n_fields == MAX_FIELDS)
                die(file, ln, "too many fields in %s", cur->name);
            if (find_field(cur, tok[2]))
                die(file, ln, "field %s defined twice in %s", tok[2], cur->name);
            struct field *f = &cur->fields[cur->n_fields++];
            memset(f, 0, sizeof *f);
            snprintf(f->name, sizeof f->name, "%s", tok[2]);
            f->lsb = lsb;
            f->width = msb - lsb + 1;
            f->sysreg_signed = !strcmp(tok[0], "SignedEnum");
            if (is_enum) {
                in_enum = true;
                en = f;
            }
            continue;
        }
        die(file, ln, "unknown keyword '%s' in %s", tok[0], cur->name);
    }
    if (cur || in_enum)
        die(file, ln, "unterminated block at end of file");
    fclose(fp);
}

/* Adds what an older sysreg file (now in older_regs) knows and the newer
 * layout dropped, so that names stay stable across kernels: a field the
 * newer file turned into RES0 (ID_AA64ISAR0_EL1.TME), value names the newer
 * enum lacks, and registers it no longer describes. A field that moved or
 * overlaps a newer one is an error: that needs a person, not a merge. */
static void merge_older(const char *file)
{
    for (int i = 0; i < n_older; i++) {
        struct reg *o = &older_regs[i], *r = NULL;
        for (int k = 0; k < n_regs; k++)
            if (!strcmp(main_regs[k].name, o->name))
                r = &main_regs[k];
        if (!r) {
            for (int k = 0; k < n_regs; k++)
                if (main_regs[k].op0 == o->op0 && main_regs[k].op1 == o->op1 &&
                    main_regs[k].crn == o->crn && main_regs[k].crm == o->crm &&
                    main_regs[k].op2 == o->op2)
                    die(file, 0, "%s has the encoding of the newer file's %s", o->name,
                        main_regs[k].name);
            if (n_regs == MAX_REGS)
                die(file, 0, "too many registers");
            main_regs[n_regs++] = *o;
            continue;
        }
        if (r->op0 != o->op0 || r->op1 != o->op1 || r->crn != o->crn || r->crm != o->crm ||
            r->op2 != o->op2)
            die(file, 0, "%s has another encoding in the newer file", o->name);
        for (int j = 0; j < o->n_fields; j++) {
            struct field *of = &o->fields[j], *f = NULL;
            uint64_t m = bits_mask(of->lsb + of->width - 1, of->lsb);
            for (int k = 0; k < r->n_fields; k++)
                if (!strcasecmp(r->fields[k].name, of->name))
                    f = &r->fields[k];
            if (!f) {
                if ((r->res0 & m) != m)
                    die(file, 0, "%s.%s (bits %d:%d) overlaps a field of the newer file",
                        o->name, of->name, of->lsb + of->width - 1, of->lsb);
                if (r->n_fields == MAX_FIELDS)
                    die(file, 0, "too many fields in %s", r->name);
                r->res0 &= ~m;
                r->fields[r->n_fields++] = *of;
                continue;
            }
            if (f->lsb != of->lsb || f->width != of->width)
                die(file, 0, "%s.%s moved between the sysreg files (%d+%d, newer %d+%d)",
                    o->name, of->name, of->lsb, of->width, f->lsb, f->width);
            for (int k = 0; k < of->n_values; k++) {
                bool known = false;
                for (int l = 0; l < f->n_values; l++)
                    known |= f->values[l].v == of->values[k].v;
                if (known)
                    continue; /* the newer name wins (ID_AA64MMFR2_EL1.IDS) */
                if (f->n_values == MAX_VALUES)
                    die(file, 0, "too many values for %s", f->name);
                f->values[f->n_values++] = of->values[k];
            }
        }
    }
}

/* A later kernel's cpufeature.c rows (--policy-at VERSION FILE): a field
 * the base kernel did not describe (HOST_ONLY there) takes the later policy
 * from VERSION on, in the column KVM's own policies use. A row that differs
 * from the base for a field the base describes stops the generator: that
 * would need a second per-version column, and no kernel up to 7.3 has one. */
static void apply_later_policy(const char *file, int ln, struct field *f, const char *fname,
                               int version, int p, bool is_signed, uint64_t safe)
{
    if (f->has_policy) {
        if ((int)f->policy != p || f->is_signed != is_signed || f->safe != safe)
            die(file, ln, "%s changed policy, signedness or safe value between kernels", fname);
        return;
    }
    if (f->kvm_policy_set)
        die(file, ln, "%s has a KvmPolicy row and a later cpufeature.c row", fname);
    /* the one safe value of the row stays the default; only a LOWER rule
     * (min, where the safe value is never used) may bring another */
    if (safe != f->def && p != P_LOWER)
        die(file, ln, "%s: safe value %llu is not the table default %llu", fname,
            (unsigned long long)safe, (unsigned long long)f->def);
    f->kvm_policy_set = true;
    f->kvm_policy = p;
    f->kvm_policy_since = version;
    f->is_signed = is_signed; /* cpufeature.c's (ID_AA64PFR1_EL1.MTE_frac is signed) */
    f->later_policy = true;
}

static void load_policy(const char *file, int version)
{
    FILE *fp = fopen(file, "r");
    if (!fp)
        die(file, 0, "cannot open: %s", strerror(errno));
    char line[1024];
    int ln = 0;
    bool header = false;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\r\n")] = 0;
        char *cols[16];
        int n = 0;
        for (char *p = line; n < 16;) {
            cols[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        if (!header) {
            if (n < 7 || strcmp(cols[0], "register"))
                die(file, ln, "expected the column header line");
            header = true;
            continue;
        }
        if (n < 7)
            die(file, ln, "expected at least 7 columns, got %d", n);
        struct reg *r = find_reg(cols[0]);
        if (!r)
            continue; /* outside the ID space, e.g. CNTFRQ_EL0 */
        if (cols[1][0] == '(')
            continue; /* "(all RAZ ...)": no fields in the kernel table */
        long shift, width, safe;
        if (!parse_int(cols[2], &shift) || !parse_int(cols[3], &width) ||
            !parse_int(cols[6], &safe))
            die(file, ln, "bad number in %s.%s", cols[0], cols[1]);
        struct field *f = find_field(r, cols[1]);
        if (!f) {
            /* Pseudo-fields such as RES1_bit31 name reserved bits. */
            uint64_t m = bits_mask((int)(shift + width - 1), (int)shift);
            if (!strncasecmp(cols[1], "RES", 3) &&
                (m & (r->res0 | r->res1)) == m)
                continue;
            die(file, ln, "%s has no field %s in the sysreg input", cols[0],
                cols[1]);
        }
        if (f->lsb != shift || f->width != width)
            die(file, ln, "%s.%s is at %d+%d in sysreg but %ld+%ld here",
                cols[0], cols[1], f->lsb, f->width, shift, width);
        bool is_signed = !strcmp(cols[4], "yes");
        if (!is_signed && strcmp(cols[4], "no"))
            die(file, ln, "signed must be yes or no, got '%s'", cols[4]);
        if (version) {
            int lp = policy_index(cols[5]);
            char fname[128];
            snprintf(fname, sizeof fname, "%s.%s", cols[0], cols[1]);
            if (lp < 0)
                die(file, ln, "unknown policy '%s'", cols[5]);
            if (safe < 0 || (width < 64 && (uint64_t)safe >> width))
                die(file, ln, "safe value %ld does not fit %s", safe, fname);
            apply_later_policy(file, ln, f, fname, version, lp, is_signed, (uint64_t)safe);
            continue;
        }
        if (f->has_policy)
            die(file, ln, "%s.%s has two policy rows", cols[0], cols[1]);
        f->has_policy = true;
        f->is_signed = is_signed;
        static const char *const names[] = {"LOWER", "HIGHER",
                                            "HIGHER_OR_ZERO", "EXACT"};
        int p = -1;
        for (int i = 0; i < 4; i++)
            if (!strcmp(cols[5], names[i]))
                p = i;
        if (p < 0)
            die(file, ln, "unknown policy '%s'", cols[5]);
        f->policy = (enum policy)p;
        if (safe < 0 || (width < 64 && (uint64_t)safe >> width))
            die(file, ln, "safe value %ld does not fit %s.%s", safe, cols[0],
                cols[1]);
        f->safe = (uint64_t)safe;
    }
    fclose(fp);
}

/* Attaches FEAT_ names: a row `FEAT_X ... iff (UInt(REG.FIELD) >= N)` (or
 * the PMU form `>= N && < 15`) names value N of REG.FIELD. */
static void load_feats(const char *file)
{
    FILE *fp = fopen(file, "r");
    if (!fp)
        die(file, 0, "cannot open: %s", strerror(errno));
    regex_t re1, re2;
    if (regcomp(&re1,
                "^\\([US]Int\\(([A-Za-z0-9_]+)\\.([A-Za-z0-9_]+)\\) >= "
                "([0-9]+)\\)$",
                REG_EXTENDED) ||
        regcomp(&re2,
                "^\\(\\(UInt\\(([A-Za-z0-9_]+)\\.([A-Za-z0-9_]+)\\) >= "
                "([0-9]+)\\) && \\(UInt\\(([A-Za-z0-9_]+)\\.([A-Za-z0-9_]+)"
                "\\) < 15\\)\\)$",
                REG_EXTENDED))
        die(file, 0, "regex");
    char line[2048];
    int ln = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        if (line[0] == '#')
            continue;
        char *cols[5] = {0};
        int n = 0;
        char *p = line;
        for (; n < 5; n++) {
            cols[n] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        if (n < 3)
            continue;
        if (strcmp(cols[2], "iff") || strncmp(cols[0], "FEAT_", 5))
            continue;
        regmatch_t m[6];
        char reg[64], fld[64], num[16];
        bool ok = false;
        if (!regexec(&re1, cols[3], 4, m, 0))
            ok = true;
        else if (!regexec(&re2, cols[3], 6, m, 0)) {
            ok = m[1].rm_eo - m[1].rm_so == m[4].rm_eo - m[4].rm_so &&
                 !strncmp(cols[3] + m[1].rm_so, cols[3] + m[4].rm_so,
                          (size_t)(m[1].rm_eo - m[1].rm_so));
        }
        if (!ok)
            continue;
        snprintf(reg, sizeof reg, "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
                 cols[3] + m[1].rm_so);
        snprintf(fld, sizeof fld, "%.*s", (int)(m[2].rm_eo - m[2].rm_so),
                 cols[3] + m[2].rm_so);
        snprintf(num, sizeof num, "%.*s", (int)(m[3].rm_eo - m[3].rm_so),
                 cols[3] + m[3].rm_so);
        struct reg *r = find_reg(reg);
        struct field *f = r ? find_field(r, fld) : NULL;
        if (!f)
            continue; /* AArch32-view names (ID_PFR0) or newer fields */
        uint64_t v = strtoull(num, NULL, 10);
        for (int i = 0; i < f->n_values; i++) {
            struct value *val = &f->values[i];
            if (val->v != v)
                continue;
            /* Prefer the feature named like the enum value; else first. */
            char want[64];
            snprintf(want, sizeof want, "FEAT_%s", val->name);
            if (!val->feat[0] || !strcasecmp(want, cols[0])) {
                snprintf(val->feat, sizeof val->feat, "%s", cols[0]);
                val->feat_sint = cols[3][1] == 'S';
                if (strlen(cols[1]) >= sizeof val->guard || strchr(cols[1], '"'))
                    die(file, ln, "guard of %s too long or quoted", cols[0]);
                snprintf(val->guard, sizeof val->guard, "%s", cols[1]);
            }
        }
    }
    regfree(&re1);
    regfree(&re2);
    fclose(fp);
}

/* Copies the dependency rows (name, kind, optional_from, mandatory_if,
 * requires) as C strings; the expressions are evaluated at run time. */
static void emit_deps(FILE *fp, const char *file)
{
    FILE *in = fopen(file, "r");
    if (!in)
        die(file, 0, "cannot open: %s", strerror(errno));
    char line[4096];
    int ln = 0, n = 0;
    bool header = false;
    fprintf(fp, "\nconst struct armcpu_feat_dep armcpu_feat_deps[] = {\n");
    while (fgets(line, sizeof line, in)) {
        ln++;
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = 0;
        char *cols[6] = {0};
        int nc = 0;
        for (char *p = line; nc < 6;) {
            cols[nc++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        if (!header) {
            if (nc < 5 || strcmp(cols[0], "name"))
                die(file, ln, "expected the column header line");
            header = true;
            continue;
        }
        if (nc < 5)
            die(file, ln, "expected at least 5 columns");
        for (int i = 0; i < 5; i++)
            for (const char *c = cols[i]; *c; c++)
                if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
                    die(file, ln, "unexpected character in column %d", i + 1);
        fprintf(fp, "    {\"%s\", %s, \"%s\", \"%s\", \"%s\"},\n", cols[0],
                strcmp(cols[1], "arch") ? "false" : "true", cols[2], cols[3], cols[4]);
        n++;
    }
    fclose(in);
    fprintf(fp, "};\nconst size_t armcpu_feat_deps_count = %d;\n", n);
}

static int cmp_reg(const void *a, const void *b)
{
    const struct reg *x = a, *y = b;
    int kx = (x->op0 << 14) | (x->op1 << 11) | (x->crn << 7) | (x->crm << 3) |
             x->op2;
    int ky = (y->op0 << 14) | (y->op1 << 11) | (y->crn << 7) | (y->crm << 3) |
             y->op2;
    return kx - ky;
}

static int cmp_field(const void *a, const void *b)
{
    const struct field *x = a, *y = b;
    return y->lsb - x->lsb; /* most significant first */
}

static void c_ident(char *out, size_t size, const char *in)
{
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++)
        out[i] = isalnum((unsigned char)in[i]) ? in[i] : '_';
    out[i] = 0;
}

/* A path's file name: the output must not depend on where the inputs are. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void emit(const char *out, const char *const *sysregs, int n_sysregs,
                 const char *policy /* its base name (and the later ones') */,
                 const char *extra, const char *feats, const char *deps)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        die(tmp, 0, "cannot create: %s", strerror(errno));
    char bs[512] = "";
    for (int i = 0; i < n_sysregs; i++) {
        size_t len = strlen(bs);
        snprintf(bs + len, sizeof bs - len, "%s%s", i ? ", " : "", base_name(sysregs[i]));
    }
    fprintf(fp,
            "/* SPDX-License-Identifier: LGPL-2.1-or-later */\n"
            "/* GENERATED by tools/gen-idregs from %s, %s, %s, %s and %s.\n"
            " * Do not edit: run `make regen`. */\n"
            "#include \"idregs.h\"\n\n",
            bs, policy, base_name(extra), feats ? base_name(feats) : "-",
            deps ? base_name(deps) : "-");
    for (int i = 0; i < n_regs; i++) {
        struct reg *r = &regs[i];
        for (int j = 0; j < r->n_fields; j++) {
            struct field *f = &r->fields[j];
            if (!f->n_values)
                continue;
            char id[128];
            c_ident(id, sizeof id, f->name);
            fprintf(fp, "static const struct armcpu_value_name v_%s_%s[] = {\n",
                    r->name, id);
            for (int k = 0; k < f->n_values; k++) {
                struct value *v = &f->values[k];
                fprintf(fp, "    {0x%llx, \"%s\", ", (unsigned long long)v->v,
                        v->name);
                if (v->feat[0])
                    fprintf(fp, "\"%s\", %s, \"%s\"},\n", v->feat,
                            v->feat_sint ? "true" : "false", v->guard);
                else
                    fprintf(fp, "NULL, false, NULL},\n");
            }
            fprintf(fp, "};\n");
        }
    }
    /* Every field in one array (register by register), so that other
     * generated tables can point at a field with an address constant. */
    int field_off[MAX_REGS], n_all = 0;
    fprintf(fp, "\nconst struct armcpu_field armcpu_idregs_fields[] = {\n");
    for (int i = 0; i < n_regs; i++) {
        struct reg *r = &regs[i];
        field_off[i] = n_all;
        n_all += r->n_fields;
        if (r->n_fields)
            fprintf(fp, "    /* %s */\n", r->name);
        for (int j = 0; j < r->n_fields; j++) {
            struct field *f = &r->fields[j];
            char id[128];
            c_ident(id, sizeof id, f->name);
            /* KVM's own policy and write rule: extra file KvmPolicy / WriteRule */
            int partner = 0xff, host_field = 0xff;
            if (f->rule_partner[0])
                for (int k = 0; k < r->n_fields; k++)
                    if (!strcasecmp(r->fields[k].name, f->rule_partner))
                        partner = k;
            if (f->rule_host[0]) {
                char hr[64];
                snprintf(hr, sizeof hr, "%s", f->rule_host);
                char *dot = strchr(hr, '.');
                struct reg *h = dot ? (*dot = 0, find_reg(hr)) : NULL;
                for (int k = 0; h && k < h->n_fields; k++)
                    if (!strcasecmp(h->fields[k].name, dot + 1))
                        host_field = k;
                if (host_field == 0xff)
                    die(extra, 0, "WriteRule %s.%s: no field %s", r->name, f->name, f->rule_host);
            }
            fprintf(fp,
                    "    {\"%s\", %d, %d, %d, %s, %s, %s, %d, %s, %d, %s%s%s, 0x%x, 0x%x, 0x%llx, 0x%llx, 0x%x, ",
                    f->name, i, f->lsb, f->width, f->is_signed ? "true" : "false",
                    policy_enum[f->policy],
                    policy_enum[f->kvm_policy_set ? f->kvm_policy : (int)f->policy],
                    f->kvm_policy_set ? f->kvm_policy_since : 0, rule_enum[f->rule],
                    f->rule ? f->rule_since : 0, f->rule ? "\"" : "",
                    f->rule ? f->rule_handler : "NULL", f->rule ? "\"" : "", partner,
                    host_field, (unsigned long long)f->safe,
                    (unsigned long long)f->def, f->groups);
            if (f->n_values)
                fprintf(fp, "v_%s_%s, %d, %s},\n", r->name, id, f->n_values,
                        f->untrapped ? "true" : "false");
            else
                fprintf(fp, "NULL, 0, %s},\n", f->untrapped ? "true" : "false");
        }
    }
    fprintf(fp, "};\n\nconst size_t armcpu_idregs_fields_count = %d;\n\n", n_all);
    fprintf(fp, "const struct armcpu_reg armcpu_idregs[] = {\n");
    for (int i = 0; i < n_regs; i++) {
        struct reg *r = &regs[i];
        /* Masks for the checks' fast path: all field bits, each group's
         * bits, and the 4-bit nibble-aligned fields of feature registers
         * without a KVM-specific rule, by policy, which the checks compare
         * nibble-parallel (the EXACT ones with their safe values). */
        uint64_t fields = 0, gm[N_GROUPS] = {0}, lower = 0, slower = 0, hostonly = 0,
                 exact = 0, exact_safe = 0;
        /* the nibble-parallel checks cover fields judged by the plain rule
         * on every kernel: not in identity or geometry registers, no KVM
         * policy of its own, no write rule (all from the extra file) */
        bool plain = !(r->attrs & (A_IDENTITY | A_GEOMETRY));
        unsigned flags = 0;
        for (int j = 0; j < r->n_fields; j++) {
            struct field *f = &r->fields[j];
            uint64_t m = bits_mask(f->lsb + f->width - 1, f->lsb);
            fields |= m;
            for (int g = 0; g < N_GROUPS; g++)
                if (f->groups & (1u << g))
                    gm[g] |= m;
            if (f->rule)
                flags |= 1u; /* ARMCPU_REGF_WRITE_RULE */
            if (f->untrapped)
                flags |= 16u; /* ARMCPU_REGF_UNTRAPPED */
            if (f->width != 4 || f->lsb % 4 || f->kvm_policy_set || f->rule || !plain)
                continue;
            if (f->policy == P_LOWER)
                *(f->is_signed ? &slower : &lower) |= m;
            else if (f->policy == P_HOST_ONLY)
                hostonly |= m;
            else if (f->policy == P_EXACT) {
                exact |= m;
                exact_safe |= f->safe << f->lsb;
            }
        }
        /* the clean slate, each bit's field index (0xff: none), and the
         * bits of each combination of groups (the vCPU features a host was
         * measured without), for the checks' count-only loop */
        uint64_t def = r->res1;
        unsigned char bit_field[64];
        memset(bit_field, 0xff, sizeof bit_field);
        for (int j = 0; j < r->n_fields; j++) {
            def |= r->fields[j].def << r->fields[j].lsb;
            for (int b = r->fields[j].lsb; b < r->fields[j].lsb + r->fields[j].width; b++)
                bit_field[b] = (unsigned char)j;
        }
        uint64_t rule_fields = 0; /* bit j: field j has a write rule */
        for (int j = 0; j < r->n_fields; j++)
            if (r->fields[j].rule)
                rule_fields |= 1ULL << j;
        int rule_host_reg = 0xffff;
        for (int j = 0; j < r->n_fields; j++) {
            char hr[64];
            snprintf(hr, sizeof hr, "%s", r->fields[j].rule_host);
            char *dot = strchr(hr, '.');
            if (!dot)
                continue;
            *dot = 0;
            struct reg *h = find_reg(hr);
            if (!h)
                die(extra, 0, "WriteRule %s.%s: no register %s", r->name, r->fields[j].name, hr);
            int idx = (int)(h - regs);
            if (rule_host_reg != 0xffff && rule_host_reg != idx)
                die(extra, 0, "the write rules of %s read two host registers", r->name);
            rule_host_reg = idx;
        }
        if (r->attrs & A_ANY_VALUE)
            flags |= 2u; /* ARMCPU_REGF_ANY_VALUE */
        if (r->attrs & A_CORE)
            flags |= 4u; /* ARMCPU_REGF_CORE */
        if (r->attrs & A_AARCH32)
            flags |= 8u; /* ARMCPU_REGF_AARCH32 */
        char offs[16] = "";
        if (r->n_fields)
            snprintf(offs, sizeof offs, "%d", field_off[i]);
        const char *kind = r->attrs & A_IDENTITY   ? "ARMCPU_REG_KIND_IDENTITY"
                           : r->attrs & A_GEOMETRY ? "ARMCPU_REG_KIND_GEOMETRY"
                                                   : "ARMCPU_REG_KIND_FEATURE";
        fprintf(fp,
                "    {\"%s\", %d, %d, %d, %d, %d, %s%s, %d, 0x%llxULL, "
                "0x%llxULL, 0x%llxULL, {0x%llxULL, 0x%llxULL, 0x%llxULL, 0x%llxULL}, "
                "0x%llxULL, 0x%llxULL, 0x%llxULL, 0x%llxULL, 0x%llxULL, %s, 0x%x, 0x%x, 0x%llxULL, "
                "0x%llxULL, {",
                r->name, r->op0, r->op1, r->crn, r->crm, r->op2,
                r->n_fields ? "armcpu_idregs_fields + " : "NULL", offs,
                r->n_fields, (unsigned long long)r->res0,
                (unsigned long long)r->res1, (unsigned long long)fields,
                (unsigned long long)gm[0], (unsigned long long)gm[1],
                (unsigned long long)gm[2], (unsigned long long)gm[3],
                (unsigned long long)lower, (unsigned long long)slower,
                (unsigned long long)hostonly, (unsigned long long)exact,
                (unsigned long long)exact_safe, kind, flags, rule_host_reg,
                (unsigned long long)rule_fields, (unsigned long long)def);
        for (int b = 0; b < 64; b++)
            fprintf(fp, "%s%u", b ? "," : "", bit_field[b]);
        fprintf(fp, "}, {");
        for (unsigned combo = 0; combo < 8; combo++) {
            uint64_t m = 0;
            for (int g = 0; g < 3; g++)
                if (combo & (1u << g))
                    m |= gm[g];
            fprintf(fp, "%s0x%llxULL", combo ? ", " : "", (unsigned long long)m);
        }
        fprintf(fp, "}},\n");
    }
    fprintf(fp, "};\n\nconst size_t armcpu_idregs_count = %d;\n", n_regs);
    if (deps)
        emit_deps(fp, deps);
    else
        fprintf(fp, "\nconst struct armcpu_feat_dep armcpu_feat_deps[] = "
                    "{{NULL, false, NULL, NULL, NULL}};\n"
                    "const size_t armcpu_feat_deps_count = 0;\n");
    if (fclose(fp))
        die(tmp, 0, "write failed: %s", strerror(errno));
    if (rename(tmp, out))
        die(out, 0, "cannot rename into place: %s", strerror(errno));
}

int main(int argc, char **argv)
{
    const char *sysregs[8], *later_files[8];
    int n_sysregs = 0, n_later = 0, later_versions[8];
    const char *sysreg = NULL, *policy = NULL, *extra = NULL, *feats = NULL,
               *deps = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char **slot = NULL;
        if (!strcmp(argv[i], "--sysreg")) {
            if (n_sysregs == 8 || i + 1 >= argc) {
                fprintf(stderr, "gen-idregs: at most 8 --sysreg files\n");
                return 1;
            }
            sysregs[n_sysregs++] = sysreg = argv[++i];
            continue;
        }
        if (!strcmp(argv[i], "--policy-at")) {
            if (n_later == 8 || i + 2 >= argc) {
                fprintf(stderr, "gen-idregs: --policy-at VERSION FILE (at most 8)\n");
                return 1;
            }
            later_versions[n_later] = parse_version("--policy-at", 0, argv[i + 1]);
            later_files[n_later++] = argv[i + 2];
            i += 2;
            continue;
        }
        else if (!strcmp(argv[i], "--policy"))
            slot = &policy;
        else if (!strcmp(argv[i], "--extra"))
            slot = &extra;
        else if (!strcmp(argv[i], "--feats"))
            slot = &feats;
        else if (!strcmp(argv[i], "--deps"))
            slot = &deps;
        else if (!strcmp(argv[i], "-o"))
            slot = &out;
        if (!slot || i + 1 >= argc) {
            fprintf(stderr,
                    "usage: gen-idregs --sysreg FILE [--sysreg NEWER...] --policy FILE [--policy-at VERSION FILE...] --extra FILE "
                    "[--feats FILE] [--deps FILE] -o OUT.c\n");
            return 1;
        }
        *slot = argv[++i];
    }
    if (!sysreg || !policy || !extra || !out) {
        fprintf(stderr, "gen-idregs: --sysreg, --policy, --extra and -o are "
                        "required\n");
        return 1;
    }
    /* The last --sysreg is the layout; earlier (older) ones add what it dropped. */
    load_sysreg(sysreg, false);
    for (int i = n_sysregs - 2; i >= 0; i--) {
        int keep = n_regs;
        regs = older_regs;
        n_regs = 0;
        load_sysreg(sysregs[i], false);
        n_older = n_regs;
        regs = main_regs;
        n_regs = keep;
        merge_older(sysregs[i]);
    }
    load_sysreg(extra, true);
    load_policy(policy, 0);
    for (int i = 0; i < n_later; i++)
        load_policy(later_files[i], later_versions[i]);
    if (feats)
        load_feats(feats);
    for (int i = 0; i < n_regs; i++) {
        struct reg *r = &regs[i];
        for (int j = 0; j < r->n_fields; j++) {
            struct field *f = &r->fields[j];
            if (!f->has_policy) {
                /* Not in cpufeature.c: KVM accepts only the host value. */
                f->policy = P_HOST_ONLY;
                if (!f->later_policy)
                    f->is_signed = f->sysreg_signed;
            }
            if (f->policy == P_HOST_ONLY)
                f->safe = f->def;
        }
        qsort(r->fields, (size_t)r->n_fields, sizeof r->fields[0], cmp_field);
    }
    qsort(regs, (size_t)n_regs, sizeof regs[0], cmp_reg);
    char policies[1024];
    snprintf(policies, sizeof policies, "%s", base_name(policy));
    for (int i = 0; i < n_later; i++) {
        size_t len = strlen(policies);
        snprintf(policies + len, sizeof policies - len, " (+ %s from %d.%d)", base_name(later_files[i]),
                 later_versions[i] / 1000, later_versions[i] % 1000);
    }
    emit(out, sysregs, n_sysregs, policies, extra, feats, deps);
    return 0;
}
