/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * KVM ONE_REG ids of system registers (Documentation/virt/kvm/api.rst,
 * arch/arm64/include/uapi/asm/kvm.h): KVM_REG_ARM64 | size |
 * KVM_REG_ARM64_SYSREG | op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2.
 * FEAT_SYSREG128 registers use the same encoding with KVM_REG_SIZE_U128.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/util.h"

#define ARCH_MASK 0xff00000000000000ULL
#define COPROC_MASK 0x000000000fff0000ULL
#define ENC_MASK 0x000000000000ffffULL

int armcpu_kvm_id_encode(unsigned op0, unsigned op1, unsigned crn,
                         unsigned crm, unsigned op2, unsigned size_bits,
                         uint64_t *id, armcpu_error *err)
{
    if (op0 > 3 || op1 > 7 || crn > 15 || crm > 15 || op2 > 7)
        return armcpu_set_error(
            err, ARMCPU_ERR_INVALID,
            "encoding op0:%u op1:%u crn:%u crm:%u op2:%u out of range "
            "(op0 0..3, op1 0..7, crn 0..15, crm 0..15, op2 0..7)",
            op0, op1, crn, crm, op2);
    uint64_t size;
    if (size_bits == 64)
        size = ARMCPU_KVM_REG_SIZE_U64;
    else if (size_bits == 128)
        size = ARMCPU_KVM_REG_SIZE_U128;
    else
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "register size %u bits not supported (64 or "
                                "128)",
                                size_bits);
    *id = ARMCPU_KVM_REG_ARM64 | size | ARMCPU_KVM_REG_ARM64_SYSREG |
          ((uint64_t)op0 << 14) | ((uint64_t)op1 << 11) |
          ((uint64_t)crn << 7) | ((uint64_t)crm << 3) | op2;
    return ARMCPU_OK;
}

int armcpu_kvm_id_decode(uint64_t id, unsigned *op0, unsigned *op1,
                         unsigned *crn, unsigned *crm, unsigned *op2,
                         unsigned *size_bits, armcpu_error *err)
{
    if ((id & ARCH_MASK) != ARMCPU_KVM_REG_ARM64)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "0x%016llx is not an arm64 KVM register id "
                                "(top byte must be 0x60)",
                                (unsigned long long)id);
    uint64_t size = id & ARMCPU_KVM_REG_SIZE_MASK;
    if (size != ARMCPU_KVM_REG_SIZE_U64 && size != ARMCPU_KVM_REG_SIZE_U128)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "0x%016llx has size code 0x%llx; system "
                                "registers are U64 (0x3) or U128 (0x4)",
                                (unsigned long long)id,
                                (unsigned long long)(size >> 52));
    if ((id & COPROC_MASK) != ARMCPU_KVM_REG_ARM64_SYSREG)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "0x%016llx is not a system register id "
                                "(coprocessor 0x%llx, expected 0x13)",
                                (unsigned long long)id,
                                (unsigned long long)((id & COPROC_MASK) >> 16));
    if (id & ~(ARCH_MASK | ARMCPU_KVM_REG_SIZE_MASK | COPROC_MASK | ENC_MASK))
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "0x%016llx has bits set outside the "
                                "system-register id layout",
                                (unsigned long long)id);
    *op0 = (unsigned)(id >> 14) & 3;
    *op1 = (unsigned)(id >> 11) & 7;
    *crn = (unsigned)(id >> 7) & 15;
    *crm = (unsigned)(id >> 3) & 15;
    *op2 = (unsigned)id & 7;
    if (size_bits)
        *size_bits = size == ARMCPU_KVM_REG_SIZE_U64 ? 64 : 128;
    return ARMCPU_OK;
}

void armcpu_encoding_format(unsigned op0, unsigned op1, unsigned crn,
                            unsigned crm, unsigned op2, char *buf, size_t size)
{
    snprintf(buf, size, "op0:%u op1:%u crn:%u crm:%u op2:%u", op0, op1, crn,
             crm, op2);
}

int armcpu_encoding_parse(const char *text, unsigned *op0, unsigned *op1,
                          unsigned *crn, unsigned *crm, unsigned *op2,
                          armcpu_error *err)
{
    static const char *const keys[5] = {"op0", "op1", "crn", "crm", "op2"};
    static const unsigned max[5] = {3, 7, 15, 15, 7};
    unsigned *out[5] = {op0, op1, crn, crm, op2};
    const char *p = text ? text : "";
    for (int i = 0; i < 5; i++) {
        while (isspace((unsigned char)*p) || (i && *p == ','))
            p++;
        size_t kl = strlen(keys[i]);
        if (strncasecmp(p, keys[i], kl) || p[kl] != ':')
            return armcpu_set_error(
                err, ARMCPU_ERR_INVALID,
                "encoding '%s': expected '%s:' at offset %d (format: 'op0:3 "
                "op1:0 crn:0 crm:7 op2:4')",
                text ? text : "", keys[i], (int)(p - (text ? text : "")));
        p += kl + 1;
        if (!isdigit((unsigned char)*p))
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "encoding '%s': %s needs a decimal number "
                                    "at offset %d",
                                    text, keys[i], (int)(p - text));
        char *end;
        unsigned long v = strtoul(p, &end, 10);
        if (v > max[i])
            return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                    "encoding '%s': %s:%lu out of range "
                                    "(0..%u)",
                                    text, keys[i], v, max[i]);
        *out[i] = (unsigned)v;
        p = end;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return armcpu_set_error(err, ARMCPU_ERR_INVALID,
                                "encoding '%s': unexpected '%s' after op2",
                                text, p);
    return ARMCPU_OK;
}
