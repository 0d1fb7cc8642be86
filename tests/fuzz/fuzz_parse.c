/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: register value and name parsing.
 * The input (cut at the first NUL) goes to armcpu_parse_u64,
 * armcpu_encoding_parse, armcpu_field_lookup and armcpu_reg_by_name; its
 * first 8 bytes (little-endian, zero-padded) to armcpu_kvm_id_decode.
 * Invariants: a parsed number prints and parses back to itself and agrees
 * with strtoull; a parsed encoding formats and parses back, encodes to a KVM
 * id that decodes to it; a found field or register is found again by its
 * canonical name; a decoded KVM id encodes back to the same id.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <strings.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_u64(const char *s)
{
    armcpu_error err = {0};
    uint64_t v = 0;
    int rc = armcpu_parse_u64(s, "input", &v, &err);
    if (rc) {
        fuzz_check_error(&err, rc);
        return;
    }
    /* Reference: strtoull on the digits after an optional 0x/0b prefix. */
    int base = 10;
    const char *d = s;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, d = s + 2;
    else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, d = s + 2;
    FUZZ_CHECK(*d && (isdigit((unsigned char)*d) || isxdigit((unsigned char)*d)),
               "'%s' accepted without digits", s);
    for (const char *p = d; *p; p++)
        FUZZ_CHECK(isxdigit((unsigned char)*p), "'%s' accepted with junk", s);
    errno = 0;
    char *end;
    unsigned long long ref = strtoull(d, &end, base);
    FUZZ_CHECK(!*end && errno == 0 && ref == v, "'%s' -> 0x%" PRIx64 ", strtoull 0x%llx",
               s, v, ref);
    char buf[32];
    uint64_t back;
    snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    FUZZ_CHECK(!armcpu_parse_u64(buf, "x", &back, NULL) && back == v, "hex round trip %s", s);
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    FUZZ_CHECK(!armcpu_parse_u64(buf, "x", &back, NULL) && back == v, "dec round trip %s", s);
}

static void fuzz_encoding(const char *s)
{
    armcpu_error err = {0};
    unsigned e[5], b[5], sz;
    int rc = armcpu_encoding_parse(s, &e[0], &e[1], &e[2], &e[3], &e[4], &err);
    if (rc) {
        fuzz_check_error(&err, rc);
        return;
    }
    char buf[128];
    armcpu_encoding_format(e[0], e[1], e[2], e[3], e[4], buf, sizeof buf);
    FUZZ_CHECK(!armcpu_encoding_parse(buf, &b[0], &b[1], &b[2], &b[3], &b[4], NULL) &&
                   !memcmp(e, b, sizeof e),
               "'%s' -> '%s' does not parse back", s, buf);
    for (unsigned bits = 64; bits <= 128; bits += 64) {
        uint64_t id;
        FUZZ_CHECK(!armcpu_kvm_id_encode(e[0], e[1], e[2], e[3], e[4], bits, &id, &err),
                   "'%s' parsed but does not encode: %s", s, err.message);
        FUZZ_CHECK(!armcpu_kvm_id_decode(id, &b[0], &b[1], &b[2], &b[3], &b[4], &sz, NULL) &&
                       !memcmp(e, b, sizeof e) && sz == bits,
                   "'%s': id 0x%016" PRIx64 " does not decode back", s, id);
    }
    const armcpu_reg *r = armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], &err);
    if (r) {
        armcpu_reg_encoding(r, &b[0], &b[1], &b[2], &b[3], &b[4]);
        FUZZ_CHECK(!memcmp(e, b, sizeof e), "reg_by_encoding('%s') -> %s", s,
                   armcpu_reg_name(r));
    } else {
        fuzz_check_error(&err, err.code);
    }
}

static void fuzz_names(const char *s)
{
    armcpu_error err = {0};
    const armcpu_reg *r = armcpu_reg_by_name(s, &err);
    if (r) {
        FUZZ_CHECK(armcpu_reg_by_name(armcpu_reg_name(r), NULL) == r, "reg '%s'", s);
        FUZZ_CHECK(armcpu_reg_by_kvm_id(armcpu_reg_kvm_id(r), NULL) == r, "kvm id of '%s'", s);
        FUZZ_CHECK(armcpu_reg_at(armcpu_reg_index(r)) == r, "index of '%s'", s);
    } else {
        fuzz_check_error(&err, err.code);
    }
    armcpu_error ferr = {0};
    const armcpu_field *f = armcpu_field_lookup(s, &ferr);
    if (f) {
        char full[160];
        snprintf(full, sizeof full, "%s.%s", armcpu_reg_name(armcpu_field_reg(f)),
                 armcpu_field_name(f));
        FUZZ_CHECK(armcpu_field_lookup(full, NULL) == f, "field '%s' -> '%s'", s, full);
        FUZZ_CHECK(armcpu_reg_field_by_name(armcpu_field_reg(f), armcpu_field_name(f), NULL) == f,
                   "field '%s' by name", s);
        FUZZ_CHECK(armcpu_field_lsb(f) + armcpu_field_width(f) <= 64 &&
                       armcpu_field_width(f) > 0,
                   "field '%s' geometry", s);
        const char *dot = strchr(s, '.');
        FUZZ_CHECK(!strcasecmp(dot ? dot + 1 : s, armcpu_field_name(f)),
                   "'%s' found field %s", s, armcpu_field_name(f));
    } else {
        fuzz_check_error(&ferr, ferr.code);
    }
}

static void fuzz_kvm_id(const uint8_t *data, size_t size)
{
    uint64_t id = 0;
    for (size_t i = 0; i < 8 && i < size; i++)
        id |= (uint64_t)data[i] << (8 * i);
    /* Bias half the inputs towards the arm64 sysreg id space. */
    if (size > 8 && (data[8] & 1))
        id = (id & 0x00f000000000ffffULL) | ARMCPU_KVM_REG_ARM64 | ARMCPU_KVM_REG_ARM64_SYSREG;
    armcpu_error err = {0};
    unsigned e[5], sz;
    int rc = armcpu_kvm_id_decode(id, &e[0], &e[1], &e[2], &e[3], &e[4], &sz, &err);
    if (rc) {
        fuzz_check_error(&err, rc);
        FUZZ_CHECK(armcpu_reg_by_kvm_id(id, NULL) == NULL, "reg for a bad id");
        return;
    }
    uint64_t back;
    FUZZ_CHECK(!armcpu_kvm_id_encode(e[0], e[1], e[2], e[3], e[4], sz, &back, &err) &&
                   back == id,
               "0x%016" PRIx64 " decodes but encodes to 0x%016" PRIx64, id, back);
    const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
    FUZZ_CHECK(r == armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], NULL),
               "0x%016" PRIx64 " by id and by encoding differ", id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    fuzz_u64(s);
    fuzz_encoding(s);
    fuzz_names(s);
    fuzz_kvm_id(data, size);
    free(s);
    return 0;
}
