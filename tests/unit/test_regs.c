/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of layer 1: the ID-register field table, lookups, field access,
 * the safe-value rule and KVM ONE_REG ids.
 *
 * Facts are checked against the reference data in ../shared/reference, not
 * against the table's own output:
 *  - SYSREG_ROWS below is transcribed mechanically (a script independent of
 *    tools/gen-idregs) from linux-sysreg-newest-idregs.txt (a post-6.18
 *    arch/arm64/tools/sysreg) plus the fields of linux-sysreg.txt (Linux
 *    6.12.117) the newer file dropped: encoding, Res0/Res1 bits and
 *    the fields (name, msb, lsb, ":s" for SignedEnum) of every register of the
 *    feature ID space (Raz counts as Res0, Unkn as neither).
 *  - FTR_ROWS is transcribed mechanically from ftr-bits.tsv (Linux 6.12.117
 *    cpufeature.c ftr_* tables), minus CTR_EL0's RES1_bit31 row (a reserved
 *    bit, not a field), the ftr_raz marker of ID_AA64DFR1_EL1 and CNTFRQ_EL0
 *    (not in the ID space).
 *  - KVM's rule is arch/arm64/kvm/sys_regs.c arm64_check_features over
 *    cpufeature.c arm64_ftr_safe_value (see kvm-writable-idregs.md).
 *  - Register values are from measured-hosts/graviton3-kvm-6.1.txt.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "armcpu/armcpu.h"

/* An assertion with context (register, field, value) in the failure text. */
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            print_error("%s:%d: check failed: %s\n    ", __FILE__, __LINE__,   \
                        #cond);                                                \
            print_error(__VA_ARGS__);                                          \
            print_error("\n");                                                 \
            fail();                                                            \
        }                                                                      \
    } while (0)

#define U64(x) ((unsigned long long)(x))

static uint64_t wmask(unsigned width)
{
    return width >= 64 ? UINT64_MAX : (1ULL << width) - 1;
}

/* Case-insensitive substring test. */
static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (!strncasecmp(p, needle, n))
            return true;
    return n == 0;
}

static const armcpu_reg *R(const char *name)
{
    armcpu_error err = {0};
    const armcpu_reg *r = armcpu_reg_by_name(name, &err);
    CHECK(r != NULL, "register %s: %s", name, err.message);
    return r;
}

static const armcpu_field *F(const char *name)
{
    armcpu_error err = {0};
    const armcpu_field *f = armcpu_field_lookup(name, &err);
    CHECK(f != NULL, "field %s: %s", name, err.message);
    return f;
}

static const char *fname(const armcpu_field *f, char *buf, size_t size)
{
    snprintf(buf, size, "%s.%s", armcpu_reg_name(armcpu_field_reg(f)),
             armcpu_field_name(f));
    return buf;
}

static unsigned enc_key(const armcpu_reg *r)
{
    unsigned op0, op1, crn, crm, op2;
    armcpu_reg_encoding(r, &op0, &op1, &crn, &crm, &op2);
    return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
}

/* The KVM uapi layout (Documentation/virt/kvm/api.rst, "ARM64 system
 * registers have the following id bit patterns: 0x6030 0000 0013 <op0:2>
 * <op1:3> <crn:4> <crm:4> <op2:3>"), computed independently of the library. */
static uint64_t expected_kvm_id(unsigned op0, unsigned op1, unsigned crn,
                                unsigned crm, unsigned op2, unsigned size)
{
    return 0x6000000000000000ULL |
           (size == 128 ? 0x0040000000000000ULL : 0x0030000000000000ULL) |
           0x0000000000130000ULL | (uint64_t)op0 << 14 | (uint64_t)op1 << 11 |
           (uint64_t)crn << 7 | (uint64_t)crm << 3 | op2;
}

/* is_safe, plus the contract on the reason: a non-empty single line. */
static bool safe(const armcpu_field *f, uint64_t value, uint64_t host)
{
    char reason[256], n[96];
    memset(reason, 'X', sizeof reason);
    bool ok = armcpu_field_is_safe(f, value, host, reason, sizeof reason);
    CHECK(ok == armcpu_field_is_safe(f, value, host, NULL, 0),
          "%s: answer depends on the reason buffer", fname(f, n, sizeof n));
    if (!ok) {
        CHECK(memchr(reason, 0, sizeof reason) != NULL,
              "%s value 0x%llx host 0x%llx: reason not terminated",
              fname(f, n, sizeof n), U64(value), U64(host));
        CHECK(reason[0] != 0, "%s value 0x%llx host 0x%llx: empty reason",
              fname(f, n, sizeof n), U64(value), U64(host));
        CHECK(strchr(reason, '\n') == NULL,
              "%s value 0x%llx host 0x%llx: reason not one line: %s",
              fname(f, n, sizeof n), U64(value), U64(host), reason);
    }
    return ok;
}

static const char *reason_of(const armcpu_field *f, uint64_t value,
                             uint64_t host, char *buf, size_t size)
{
    buf[0] = 0;
    armcpu_field_is_safe(f, value, host, buf, size);
    return buf;
}

/* ------------------------------------------------ reference transcriptions */

struct sysreg_row {
    const char *name;
    unsigned enc[5];
    uint64_t res0, res1;
    const char *fields; /* "NAME:msb:lsb[:s] ...", most significant first */
};

/* From linux-sysreg-newest-idregs.txt (a post-6.18 tree) with the fields
 * linux-sysreg.txt (6.12.117) has and the newer file dropped (TME): every
 * Sysreg block of the feature ID space (op0=3, op1 in {0,1,3}, CRn=0), 49
 * of them, in table order. */
static const struct sysreg_row SYSREG_ROWS[] = {
    {"ID_PFR0_EL1", {3, 0, 0, 1, 0}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "RAS:31:28 DIT:27:24 AMU:23:20 CSV2:19:16 State3:15:12 State2:11:8 State1:7:4 State0:3:0"},
    {"ID_PFR1_EL1", {3, 0, 0, 1, 1}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "GIC:31:28 Virt_frac:27:24 Sec_frac:23:20 GenTimer:19:16 Virtualization:15:12 MProgMod:11:8 Security:7:4 ProgMod:3:0"},
    {"ID_DFR0_EL1", {3, 0, 0, 1, 2}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "TraceFilt:31:28 PerfMon:27:24 MProfDbg:23:20 MMapTrc:19:16 CopTrc:15:12 MMapDbg:11:8 CopSDbg:7:4 CopDbg:3:0"},
    {"ID_AFR0_EL1", {3, 0, 0, 1, 3}, 0xffffffffffff0000ULL, 0x0000000000000000ULL,
     "IMPDEF3:15:12 IMPDEF2:11:8 IMPDEF1:7:4 IMPDEF0:3:0"},
    {"ID_MMFR0_EL1", {3, 0, 0, 1, 4}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "InnerShr:31:28 FCSE:27:24 AuxReg:23:20 TCM:19:16 ShareLvl:15:12 OuterShr:11:8 PMSA:7:4 VMSA:3:0"},
    {"ID_MMFR1_EL1", {3, 0, 0, 1, 5}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "BPred:31:28 L1TstCln:27:24 L1Uni:23:20 L1Hvd:19:16 L1UniSW:15:12 L1HvdSW:11:8 L1UniVA:7:4 L1HvdVA:3:0"},
    {"ID_MMFR2_EL1", {3, 0, 0, 1, 6}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "HWAccFlg:31:28 WFIStall:27:24 MemBarr:23:20 UniTLB:19:16 HvdTLB:15:12 L1HvdRng:11:8 L1HvdBG:7:4 L1HvdFG:3:0"},
    {"ID_MMFR3_EL1", {3, 0, 0, 1, 7}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "Supersec:31:28 CMemSz:27:24 CohWalk:23:20 PAN:19:16 MaintBcst:15:12 BPMaint:11:8 CMaintSW:7:4 CMaintVA:3:0"},
    {"ID_ISAR0_EL1", {3, 0, 0, 2, 0}, 0xfffffffff0000000ULL, 0x0000000000000000ULL,
     "Divide:27:24 Debug:23:20 Coproc:19:16 CmpBranch:15:12 BitField:11:8 BitCount:7:4 Swap:3:0"},
    {"ID_ISAR1_EL1", {3, 0, 0, 2, 1}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "Jazelle:31:28 Interwork:27:24 Immediate:23:20 IfThen:19:16 Extend:15:12 Except_AR:11:8 Except:7:4 Endian:3:0"},
    {"ID_ISAR2_EL1", {3, 0, 0, 2, 2}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "Reversal:31:28 PSR_AR:27:24 MultU:23:20 MultS:19:16 Mult:15:12 MultiAccessInt:11:8 MemHint:7:4 LoadStore:3:0"},
    {"ID_ISAR3_EL1", {3, 0, 0, 2, 3}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "T32EE:31:28 TrueNOP:27:24 T32Copy:23:20 TabBranch:19:16 SynchPrim:15:12 SVC:11:8 SIMD:7:4 Saturate:3:0"},
    {"ID_ISAR4_EL1", {3, 0, 0, 2, 4}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "SWP_frac:31:28 PSR_M:27:24 SynchPrim_frac:23:20 Barrier:19:16 SMC:15:12 Writeback:11:8 WithShifts:7:4 Unpriv:3:0"},
    {"ID_ISAR5_EL1", {3, 0, 0, 2, 5}, 0xffffffff00f00000ULL, 0x0000000000000000ULL,
     "VCMA:31:28 RDM:27:24 CRC32:19:16 SHA2:15:12 SHA1:11:8 AES:7:4 SEVL:3:0"},
    {"ID_MMFR4_EL1", {3, 0, 0, 2, 6}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "EVT:31:28 CCIDX:27:24 LSM:23:20 HPDS:19:16 CnP:15:12 XNX:11:8 AC2:7:4 SpecSEI:3:0"},
    {"ID_ISAR6_EL1", {3, 0, 0, 2, 7}, 0xfffffffff0000000ULL, 0x0000000000000000ULL,
     "I8MM:27:24 BF16:23:20 SPECRES:19:16 SB:15:12 FHM:11:8 DP:7:4 JSCVT:3:0"},
    {"MVFR0_EL1", {3, 0, 0, 3, 0}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "FPRound:31:28 FPShVec:27:24 FPSqrt:23:20 FPDivide:19:16 FPTrap:15:12 FPDP:11:8 FPSP:7:4 SIMDReg:3:0"},
    {"MVFR1_EL1", {3, 0, 0, 3, 1}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "SIMDFMAC:31:28 FPHP:27:24 SIMDHP:23:20 SIMDSP:19:16 SIMDInt:15:12 SIMDLS:11:8 FPDNaN:7:4 FPFtZ:3:0"},
    {"MVFR2_EL1", {3, 0, 0, 3, 2}, 0xffffffffffffff00ULL, 0x0000000000000000ULL,
     "FPMisc:7:4 SIMDMisc:3:0"},
    {"ID_PFR2_EL1", {3, 0, 0, 3, 4}, 0xfffffffffffff000ULL, 0x0000000000000000ULL,
     "RAS_frac:11:8 SSBS:7:4 CSV3:3:0"},
    {"ID_DFR1_EL1", {3, 0, 0, 3, 5}, 0xffffffffffffff00ULL, 0x0000000000000000ULL,
     "HPMN0:7:4 MTPMU:3:0"},
    {"ID_MMFR5_EL1", {3, 0, 0, 3, 6}, 0xffffffffffffff00ULL, 0x0000000000000000ULL,
     "nTLBPA:7:4 ETS:3:0"},
    {"ID_AA64PFR0_EL1", {3, 0, 0, 4, 0}, 0x0000000000000000ULL, 0x0000000000000000ULL,
     "CSV3:63:60 CSV2:59:56 RME:55:52 DIT:51:48 AMU:47:44 MPAM:43:40 SEL2:39:36 SVE:35:32 RAS:31:28 GIC:27:24 AdvSIMD:23:20:s FP:19:16:s EL3:15:12 EL2:11:8 EL1:7:4 EL0:3:0"},
    {"ID_AA64PFR1_EL1", {3, 0, 0, 4, 1}, 0x0000000000f00000ULL, 0x0000000000000000ULL,
     "PFAR:63:60 DF2:59:56 MTEX:55:52 THE:51:48 GCS:47:44 MTE_frac:43:40 NMI:39:36 CSV2_frac:35:32 RNDR_trap:31:28 SME:27:24 MPAM_frac:19:16 RAS_frac:15:12 MTE:11:8 SSBS:7:4 BT:3:0"},
    {"ID_AA64PFR2_EL1", {3, 0, 0, 4, 2}, 0xfffffff0fff00000ULL, 0x0000000000000000ULL,
     "FPMR:35:32 UINJ:19:16 GCIE:15:12 MTEFAR:11:8 MTESTOREONLY:7:4 MTEPERM:3:0"},
    {"ID_AA64ZFR0_EL1", {3, 0, 0, 4, 4}, 0xf00000f0f0000f00ULL, 0x0000000000000000ULL,
     "F64MM:59:56 F32MM:55:52 F16MM:51:48 I8MM:47:44 SM4:43:40 SHA3:35:32 B16B16:27:24 BF16:23:20 BitPerm:19:16 EltPerm:15:12 AES:7:4 SVEver:3:0"},
    {"ID_AA64SMFR0_EL1", {3, 0, 0, 4, 5}, 0x400e00008c7efffeULL, 0x0000000000000000ULL,
     "FA64:63:63 LUT6:61:61 LUTv2:60:60 SMEver:59:56 I16I64:55:52 F64F64:48:48 I16I32:47:44 B16B16:43:43 F16F16:42:42 F8F16:41:41 F8F32:40:40 I8I32:39:36 F16F32:35:35 B16F32:34:34 BI32I32:33:33 F32F32:32:32 SF8FMA:30:30 SF8DP4:29:29 SF8DP2:28:28 SBitPerm:25:25 AES:24:24 SFEXPA:23:23 STMOP:16:16 SMOP4:0:0"},
    {"ID_AA64FPFR0_EL1", {3, 0, 0, 4, 7}, 0xffffffff03ff7ffcULL, 0x0000000000000000ULL,
     "F8CVT:31:31 F8FMA:30:30 F8DP4:29:29 F8DP2:28:28 F8MM8:27:27 F8MM4:26:26 F16MM2:15:15 F8E4M3:1:1 F8E5M2:0:0"},
    {"ID_AA64DFR0_EL1", {3, 0, 0, 5, 0}, 0x0000000000000000ULL, 0x0000000000000000ULL,
     "HPMN0:63:60 ExtTrcBuff:59:56 BRBE:55:52 MTPMU:51:48:s TraceBuffer:47:44 TraceFilt:43:40 DoubleLock:39:36:s PMSVer:35:32 CTX_CMPs:31:28 SEBEP:27:24 WRPs:23:20 PMSS:19:16 BRPs:15:12 PMUVer:11:8 TraceVer:7:4 DebugVer:3:0"},
    {"ID_AA64DFR1_EL1", {3, 0, 0, 5, 1}, 0x0000000000000000ULL, 0x0000000000000000ULL,
     "ABL_CMPs:63:56 DPFZS:55:52 EBEP:51:48 ITE:47:44 ABLE:43:40 PMICNTR:39:36 SPMU:35:32 CTX_CMPs:31:24 WRPs:23:16 BRPs:15:8 SYSPMUID:7:0"},
    {"ID_AA64DFR2_EL1", {3, 0, 0, 5, 2}, 0xfffffffff000ff00ULL, 0x0000000000000000ULL,
     "TRBE_EXC:27:24 SPE_nVM:23:20 SPE_EXC:19:16 BWE:7:4 STEP:3:0"},
    {"ID_AA64AFR0_EL1", {3, 0, 0, 5, 4}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "IMPDEF7:31:28 IMPDEF6:27:24 IMPDEF5:23:20 IMPDEF4:19:16 IMPDEF3:15:12 IMPDEF2:11:8 IMPDEF1:7:4 IMPDEF0:3:0"},
    {"ID_AA64AFR1_EL1", {3, 0, 0, 5, 5}, 0xffffffffffffffffULL, 0x0000000000000000ULL,
     ""},
    {"ID_AA64ISAR0_EL1", {3, 0, 0, 6, 0}, 0x000000000000000fULL, 0x0000000000000000ULL,
     "RNDR:63:60 TLB:59:56 TS:55:52 FHM:51:48 DP:47:44 SM4:43:40 SM3:39:36 SHA3:35:32 RDM:31:28 TME:27:24 ATOMIC:23:20 CRC32:19:16 SHA2:15:12 SHA1:11:8 AES:7:4"},
    {"ID_AA64ISAR1_EL1", {3, 0, 0, 6, 1}, 0x0000000000000000ULL, 0x0000000000000000ULL,
     "LS64:63:60 XS:59:56 I8MM:55:52 DGH:51:48 BF16:47:44 SPECRES:43:40 SB:39:36 FRINTTS:35:32 GPI:31:28 GPA:27:24 LRCPC:23:20 FCMA:19:16 JSCVT:15:12 API:11:8 APA:7:4 DPB:3:0"},
    {"ID_AA64ISAR2_EL1", {3, 0, 0, 6, 2}, 0x0000000000000000ULL, 0x0000000000000000ULL,
     "ATS1A:63:60 LUT:59:56 CSSC:55:52 RPRFM:51:48 PCDPHINT:47:44 PRFMSLC:43:40 SYSINSTR_128:39:36 SYSREG_128:35:32 CLRBHB:31:28 PAC_frac:27:24 BC:23:20 MOPS:19:16 APA3:15:12 GPA3:11:8 RPRES:7:4 WFxT:3:0"},
    {"ID_AA64ISAR3_EL1", {3, 0, 0, 6, 3}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "FPRCVT:31:28 LSUI:27:24 OCCMO:23:20 LSFE:19:16 PACM:15:12 TLBIW:11:8 FAMINMAX:7:4 CPA:3:0"},
    {"ID_AA64MMFR0_EL1", {3, 0, 0, 7, 0}, 0x00ff000000000000ULL, 0x0000000000000000ULL,
     "ECV:63:60 FGT:59:56 EXS:47:44 TGRAN4_2:43:40 TGRAN64_2:39:36 TGRAN16_2:35:32 TGRAN4:31:28:s TGRAN64:27:24:s TGRAN16:23:20 BIGENDEL0:19:16 SNSMEM:15:12 BIGEND:11:8 ASIDBITS:7:4 PARANGE:3:0"},
    {"ID_AA64MMFR1_EL1", {3, 0, 0, 7, 1}, 0x0000000000000000ULL, 0x0000000000000000ULL,
     "ECBHB:63:60 CMOW:59:56 TIDCP1:55:52 nTLBPA:51:48 AFP:47:44 HCX:43:40 ETS:39:36 TWED:35:32 XNX:31:28 SpecSEI:27:24 PAN:23:20 LO:19:16 HPDS:15:12 VH:11:8 VMIDBits:7:4 HAFDBS:3:0"},
    {"ID_AA64MMFR2_EL1", {3, 0, 0, 7, 2}, 0x0000f00000000000ULL, 0x0000000000000000ULL,
     "E0PD:63:60 EVT:59:56 BBM:55:52 TTL:51:48 FWB:43:40 IDS:39:36 AT:35:32 ST:31:28 NV:27:24 CCIDX:23:20 VARange:19:16 IESB:15:12 LSM:11:8 UAO:7:4 CnP:3:0"},
    {"ID_AA64MMFR3_EL1", {3, 0, 0, 7, 3}, 0x000f000000000000ULL, 0x0000000000000000ULL,
     "Spec_FPACC:63:60 ADERR:59:56 SDERR:55:52 ANERR:47:44 SNERR:43:40 D128_2:39:36 D128:35:32 MEC:31:28 AIE:27:24 S2POE:23:20 S1POE:19:16 S2PIE:15:12 S1PIE:11:8 SCTLRX:7:4 TCRX:3:0"},
    {"ID_AA64MMFR4_EL1", {3, 0, 0, 7, 4}, 0x0000000000000000ULL, 0x0000000000000000ULL,
     "MTEFGT:63:60 SCRX:59:56 TEV:55:52 TPS:51:48 SRMASK:47:44 TLBID:43:40 E3DSE:39:36 EAESR:35:32 RMEGDI:31:28 E2H0:27:24:s NV_frac:23:20 FGWTE3:19:16 HACDBS:15:12 ASID2:11:8 EIESB:7:4 PoPS:3:0"},
    {"CCSIDR_EL1", {3, 1, 0, 0, 0}, 0xffffffff00000000ULL, 0x0000000000000000ULL,
     "NumSets:27:13 Associativity:12:3 LineSize:2:0"},
    {"CLIDR_EL1", {3, 1, 0, 0, 1}, 0xffff800000000000ULL, 0x0000000000000000ULL,
     "Ttypen:46:33 ICB:32:30 LoUU:29:27 LoC:26:24 LoUIS:23:21 Ctype7:20:18 Ctype6:17:15 Ctype5:14:12 Ctype4:11:9 Ctype3:8:6 Ctype2:5:3 Ctype1:2:0"},
    {"CCSIDR2_EL1", {3, 1, 0, 0, 2}, 0xffffffffff000000ULL, 0x0000000000000000ULL,
     "NumSets:23:0"},
    {"GMID_EL1", {3, 1, 0, 0, 4}, 0xfffffffffffffff0ULL, 0x0000000000000000ULL,
     "BS:3:0"},
    {"SMIDR_EL1", {3, 1, 0, 0, 6}, 0xf000000000001000ULL, 0x0000000000000000ULL,
     "NSMC:59:56 HIP:55:52 AFFINITY2:51:32 IMPLEMENTER:31:24 REVISION:23:16 SMPS:15:15 SH:14:13 AFFINITY:11:0"},
    {"CTR_EL0", {3, 3, 0, 0, 1}, 0xffffffc040003ff0ULL, 0x0000000080000000ULL,
     "TminLine:37:32 DIC:29:29 IDC:28:28 CWG:27:24 ERG:23:20 DminLine:19:16 L1Ip:15:14 IminLine:3:0"},
    {"DCZID_EL0", {3, 3, 0, 0, 7}, 0xffffffffffffffe0ULL, 0x0000000000000000ULL,
     "DZP:4:4 BS:3:0"},
};

struct ftr_row {
    const char *reg, *field;
    unsigned shift, width;
    bool is_signed;
    armcpu_policy policy;
    uint64_t safe_value;
};

/* From ftr-bits.tsv (cpufeature.c, 6.12.117). */
static const struct ftr_row FTR_ROWS[] = {
    {"ID_PFR0_EL1", "DIT", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR0_EL1", "CSV2", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR0_EL1", "State3", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR0_EL1", "State2", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR0_EL1", "State1", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR0_EL1", "State0", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "GIC", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "Virt_frac", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "Sec_frac", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "GenTimer", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "Virtualization", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "MProgMod", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "Security", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR1_EL1", "ProgMod", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_DFR0_EL1", "PerfMon", 24, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_DFR0_EL1", "MProfDbg", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_DFR0_EL1", "MMapTrc", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_DFR0_EL1", "CopTrc", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_DFR0_EL1", "MMapDbg", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_DFR0_EL1", "CopSDbg", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_DFR0_EL1", "CopDbg", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR0_EL1", "InnerShr", 28, 4, true, ARMCPU_POLICY_LOWER, 15},
    {"ID_MMFR0_EL1", "FCSE", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR0_EL1", "AuxReg", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR0_EL1", "TCM", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR0_EL1", "ShareLvl", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR0_EL1", "OuterShr", 8, 4, true, ARMCPU_POLICY_LOWER, 15},
    {"ID_MMFR0_EL1", "PMSA", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR0_EL1", "VMSA", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "BPred", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "L1TstCln", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "L1Uni", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "L1Hvd", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "L1UniSW", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "L1HvdSW", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "L1UniVA", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR1_EL1", "L1HvdVA", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "HWAccFlg", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "WFIStall", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "MemBarr", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "UniTLB", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "HvdTLB", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "L1HvdRng", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "L1HvdBG", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR2_EL1", "L1HvdFG", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "Supersec", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "CMemSz", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "CohWalk", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "PAN", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "MaintBcst", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "BPMaint", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "CMaintSW", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR3_EL1", "CMaintVA", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR0_EL1", "Divide", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR0_EL1", "Debug", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR0_EL1", "Coproc", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR0_EL1", "CmpBranch", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR0_EL1", "BitField", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR0_EL1", "BitCount", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR0_EL1", "Swap", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "Jazelle", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "Interwork", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "Immediate", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "IfThen", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "Extend", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "Except_AR", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "Except", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR1_EL1", "Endian", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "Reversal", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "PSR_AR", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "MultU", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "MultS", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "Mult", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "MultiAccessInt", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "MemHint", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR2_EL1", "LoadStore", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "T32EE", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "TrueNOP", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "T32Copy", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "TabBranch", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "SynchPrim", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "SVC", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "SIMD", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR3_EL1", "Saturate", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "SWP_frac", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "PSR_M", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "SynchPrim_frac", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "Barrier", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "SMC", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "Writeback", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "WithShifts", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR4_EL1", "Unpriv", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR5_EL1", "RDM", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR5_EL1", "CRC32", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR5_EL1", "SHA2", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR5_EL1", "SHA1", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR5_EL1", "AES", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR5_EL1", "SEVL", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "EVT", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "CCIDX", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "LSM", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "HPDS", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "CnP", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "XNX", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "AC2", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR4_EL1", "SpecSEI", 0, 4, false, ARMCPU_POLICY_HIGHER, 0},
    {"ID_ISAR6_EL1", "I8MM", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR6_EL1", "BF16", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR6_EL1", "SPECRES", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR6_EL1", "SB", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR6_EL1", "FHM", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR6_EL1", "DP", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_ISAR6_EL1", "JSCVT", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "FPRound", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "FPShVec", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "FPSqrt", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "FPDivide", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "FPTrap", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "FPDP", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "FPSP", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR0_EL1", "SIMDReg", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "SIMDFMAC", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "FPHP", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "SIMDHP", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "SIMDSP", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "SIMDInt", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "SIMDLS", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "FPDNaN", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR1_EL1", "FPFtZ", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR2_EL1", "FPMisc", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"MVFR2_EL1", "SIMDMisc", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR2_EL1", "SSBS", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_PFR2_EL1", "CSV3", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_DFR1_EL1", "MTPMU", 0, 4, true, ARMCPU_POLICY_LOWER, 0},
    {"ID_MMFR5_EL1", "ETS", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "CSV3", 60, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "CSV2", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "DIT", 48, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "AMU", 44, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "MPAM", 40, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "SEL2", 36, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "SVE", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "RAS", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "GIC", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "AdvSIMD", 20, 4, true, ARMCPU_POLICY_LOWER, 15},
    {"ID_AA64PFR0_EL1", "FP", 16, 4, true, ARMCPU_POLICY_LOWER, 15},
    {"ID_AA64PFR0_EL1", "EL3", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "EL2", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR0_EL1", "EL1", 4, 4, false, ARMCPU_POLICY_LOWER, 1},
    {"ID_AA64PFR0_EL1", "EL0", 0, 4, false, ARMCPU_POLICY_LOWER, 1},
    {"ID_AA64PFR1_EL1", "SME", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR1_EL1", "MPAM_frac", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR1_EL1", "RAS_frac", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR1_EL1", "MTE", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR1_EL1", "SSBS", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR1_EL1", "BT", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR2_EL1", "FPMR", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "F64MM", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "F32MM", 52, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "I8MM", 44, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "SM4", 40, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "SHA3", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "B16B16", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "BF16", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "BitPerm", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "AES", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "SVEver", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64SMFR0_EL1", "FA64", 63, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "LUTv2", 60, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "SMEver", 56, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "I16I64", 52, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "F64F64", 48, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "I16I32", 44, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "B16B16", 43, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "F16F16", 42, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "F8F16", 41, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "F8F32", 40, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "I8I32", 36, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "F16F32", 35, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "B16F32", 34, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "BI32I32", 33, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "F32F32", 32, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "SF8FMA", 30, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "SF8DP4", 29, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "SF8DP2", 28, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8CVT", 31, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8FMA", 30, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8DP4", 29, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8DP2", 28, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8E4M3", 1, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8E5M2", 0, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64DFR0_EL1", "DoubleLock", 36, 4, true, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64DFR0_EL1", "PMSVer", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64DFR0_EL1", "CTX_CMPs", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64DFR0_EL1", "WRPs", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64DFR0_EL1", "BRPs", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64DFR0_EL1", "PMUVer", 8, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64DFR0_EL1", "DebugVer", 0, 4, false, ARMCPU_POLICY_EXACT, 6},
    {"ID_AA64ISAR0_EL1", "RNDR", 60, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "TLB", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "TS", 52, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "FHM", 48, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "DP", 44, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "SM4", 40, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "SM3", 36, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "SHA3", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "RDM", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "ATOMIC", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "CRC32", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "SHA2", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "SHA1", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR0_EL1", "AES", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "XS", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "I8MM", 52, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "DGH", 48, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "BF16", 44, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "SPECRES", 40, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "SB", 36, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "FRINTTS", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "GPI", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "GPA", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "LRCPC", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "FCMA", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "JSCVT", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR1_EL1", "API", 8, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64ISAR1_EL1", "APA", 4, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64ISAR1_EL1", "DPB", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "LUT", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "CSSC", 52, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "RPRFM", 48, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "CLRBHB", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "BC", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "MOPS", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "APA3", 12, 4, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64ISAR2_EL1", "GPA3", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "RPRES", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "WFxT", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR3_EL1", "FAMINMAX", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "ECV", 60, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "FGT", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "EXS", 44, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "TGRAN4_2", 40, 4, false, ARMCPU_POLICY_EXACT, 1},
    {"ID_AA64MMFR0_EL1", "TGRAN64_2", 36, 4, false, ARMCPU_POLICY_EXACT, 1},
    {"ID_AA64MMFR0_EL1", "TGRAN16_2", 32, 4, false, ARMCPU_POLICY_EXACT, 1},
    {"ID_AA64MMFR0_EL1", "TGRAN4", 28, 4, true, ARMCPU_POLICY_LOWER, 15},
    {"ID_AA64MMFR0_EL1", "TGRAN64", 24, 4, true, ARMCPU_POLICY_LOWER, 15},
    {"ID_AA64MMFR0_EL1", "TGRAN16", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "BIGENDEL0", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "SNSMEM", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "BIGEND", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "ASIDBITS", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR0_EL1", "PARANGE", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "ECBHB", 60, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "TIDCP1", 52, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "AFP", 44, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "HCX", 40, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "ETS", 36, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "TWED", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "XNX", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "SpecSEI", 24, 4, false, ARMCPU_POLICY_HIGHER, 0},
    {"ID_AA64MMFR1_EL1", "PAN", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "LO", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "HPDS", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "VH", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "VMIDBits", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR1_EL1", "HAFDBS", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "E0PD", 60, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "EVT", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "BBM", 52, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "TTL", 48, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "FWB", 40, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "IDS", 36, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "AT", 32, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "ST", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "NV", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "CCIDX", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "VARange", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "IESB", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "LSM", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "UAO", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR2_EL1", "CnP", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR3_EL1", "S1POE", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR3_EL1", "S1PIE", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR3_EL1", "TCRX", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR4_EL1", "E2H0", 24, 4, true, ARMCPU_POLICY_LOWER, 0},
    {"GMID_EL1", "BS", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"CTR_EL0", "DIC", 29, 1, false, ARMCPU_POLICY_LOWER, 1},
    {"CTR_EL0", "IDC", 28, 1, false, ARMCPU_POLICY_LOWER, 1},
    {"CTR_EL0", "CWG", 24, 4, false, ARMCPU_POLICY_HIGHER_OR_ZERO, 0},
    {"CTR_EL0", "ERG", 20, 4, false, ARMCPU_POLICY_HIGHER_OR_ZERO, 0},
    {"CTR_EL0", "DminLine", 16, 4, false, ARMCPU_POLICY_LOWER, 1},
    {"CTR_EL0", "L1Ip", 14, 2, false, ARMCPU_POLICY_EXACT, 2},
    {"CTR_EL0", "IminLine", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"DCZID_EL0", "DZP", 4, 1, false, ARMCPU_POLICY_EXACT, 1},
    {"DCZID_EL0", "BS", 0, 4, false, ARMCPU_POLICY_LOWER, 0},
};

/* From tools/gen-idregs/ftr-bits-7.3.tsv (cpufeature.c, 7.3.4): the rows of
 * fields 6.12 does not describe (MPAMIDR_EL1, outside the ID space, left out):
 * their policy is 7.3's from 7.3 on and HOST_ONLY before. */
static const struct ftr_row LATER_FTR_ROWS[] = {
    {"ID_AA64PFR1_EL1", "DF2", 56, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR1_EL1", "GCS", 44, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR1_EL1", "MTE_frac", 40, 4, true, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR2_EL1", "GCIE", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR2_EL1", "MTEFAR", 8, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64PFR2_EL1", "MTESTOREONLY", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "F16MM", 48, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ZFR0_EL1", "EltPerm", 12, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64SMFR0_EL1", "LUT6", 61, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "SBitPerm", 25, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "AES", 24, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "SFEXPA", 23, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "STMOP", 16, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64SMFR0_EL1", "SMOP4", 0, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8MM8", 27, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F8MM4", 26, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64FPFR0_EL1", "F16MM2", 15, 1, false, ARMCPU_POLICY_EXACT, 0},
    {"ID_AA64ISAR1_EL1", "LS64", 60, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR2_EL1", "ATS1A", 60, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR3_EL1", "FPRCVT", 28, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR3_EL1", "LSUI", 24, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64ISAR3_EL1", "LSFE", 16, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR3_EL1", "SCTLRX", 4, 4, false, ARMCPU_POLICY_LOWER, 0},
    {"ID_AA64MMFR4_EL1", "NV_frac", 20, 4, false, ARMCPU_POLICY_LOWER, 0},
};

#define N_SYSREG_ROWS (sizeof SYSREG_ROWS / sizeof SYSREG_ROWS[0])
#define N_FTR_ROWS (sizeof FTR_ROWS / sizeof FTR_ROWS[0])
#define N_LATER_FTR_ROWS (sizeof LATER_FTR_ROWS / sizeof LATER_FTR_ROWS[0])

/* The row of f in one of the transcriptions, or NULL. */
static const struct ftr_row *row_in(const struct ftr_row *rows, size_t n, const armcpu_field *f)
{
    const char *reg = armcpu_reg_name(armcpu_field_reg(f));
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].reg, reg) && !strcmp(rows[i].field, armcpu_field_name(f)))
            return &rows[i];
    return NULL;
}

static const struct ftr_row *later_row_of(const armcpu_field *f)
{
    return row_in(LATER_FTR_ROWS, N_LATER_FTR_ROWS, f);
}

static const struct ftr_row *ftr_row_of(const armcpu_field *f)
{
    return row_in(FTR_ROWS, N_FTR_ROWS, f);
}

/* -------------------------------------------------------- table sanity */

static void test_table_registers(void **state)
{
    (void)state;
    size_t n = armcpu_reg_count();
    /* the feature-ID-space registers of the sysreg files + MIDR, REVIDR,
     * AIDR from the Arm ARM. */
    CHECK(n == N_SYSREG_ROWS + 3, "count %zu, sysreg rows %zu", n,
          (size_t)N_SYSREG_ROWS);
    CHECK(armcpu_reg_at(n) == NULL, "reg_at(count) must be NULL");
    CHECK(armcpu_reg_at((size_t)-1) == NULL, "reg_at(SIZE_MAX) must be NULL");
    unsigned prev = 0;
    for (size_t i = 0; i < n; i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        CHECK(r != NULL, "reg_at(%zu) is NULL", i);
        const char *name = armcpu_reg_name(r);
        CHECK(name && *name, "register %zu has no name", i);
        CHECK(armcpu_reg_index(r) == i, "%s index %zu != %zu", name,
              armcpu_reg_index(r), i);
        unsigned op0, op1, crn, crm, op2;
        armcpu_reg_encoding(r, &op0, &op1, &crn, &crm, &op2);
        CHECK(op0 == 3, "%s op0 %u", name, op0);
        CHECK(op1 == 0 || op1 == 1 || op1 == 3, "%s op1 %u", name, op1);
        CHECK(crn == 0, "%s crn %u", name, crn);
        CHECK(crm <= 7, "%s crm %u", name, crm);
        CHECK(op2 <= 7, "%s op2 %u", name, op2);
        unsigned key = enc_key(r);
        CHECK(i == 0 || key > prev,
              "%s (key 0x%x) not strictly after the previous register (0x%x)",
              name, key, prev);
        prev = key;
        for (size_t j = 0; j < i; j++)
            CHECK(strcasecmp(armcpu_reg_name(armcpu_reg_at(j)), name) != 0,
                  "duplicate register name %s", name);
    }
}

static void test_table_field_layout(void **state)
{
    (void)state;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        const char *rn = armcpu_reg_name(r);
        uint64_t res0 = armcpu_reg_res0_mask(r), res1 = armcpu_reg_res1_mask(r);
        CHECK((res0 & res1) == 0, "%s: res0 0x%llx and res1 0x%llx overlap",
              rn, U64(res0), U64(res1));
        uint64_t used = res0 | res1;
        size_t nf = armcpu_reg_field_count(r);
        CHECK(armcpu_reg_field_at(r, nf) == NULL, "%s: field_at(count)", rn);
        for (size_t j = 0; j < nf; j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            CHECK(f != NULL, "%s field %zu NULL", rn, j);
            const char *fnm = armcpu_field_name(f);
            unsigned lsb = armcpu_field_lsb(f), w = armcpu_field_width(f);
            CHECK(fnm && *fnm, "%s field %zu has no name", rn, j);
            CHECK(armcpu_field_reg(f) == r, "%s.%s: wrong owner", rn, fnm);
            CHECK(w >= 1 && w <= 64 && lsb < 64 && lsb + w <= 64,
                  "%s.%s: lsb %u width %u", rn, fnm, lsb, w);
            uint64_t m = wmask(w) << lsb;
            CHECK(armcpu_field_mask(f) == m, "%s.%s: mask 0x%llx want 0x%llx",
                  rn, fnm, U64(armcpu_field_mask(f)), U64(m));
            CHECK((used & m) == 0,
                  "%s.%s [%u:%u] overlaps another field or res0/res1 (0x%llx)",
                  rn, fnm, lsb + w - 1, lsb, U64(used & m));
            used |= m;
            if (j) {
                const armcpu_field *p = armcpu_reg_field_at(r, j - 1);
                CHECK(armcpu_field_lsb(p) > lsb,
                      "%s: fields not most significant first (%s before %s)",
                      rn, armcpu_field_name(p), fnm);
            }
            for (size_t k = 0; k < j; k++)
                CHECK(strcasecmp(armcpu_field_name(armcpu_reg_field_at(r, k)),
                                 fnm) != 0,
                      "%s: duplicate field %s", rn, fnm);
        }
        /* The sysreg file describes every bit; the one exception is
         * CCSIDR_EL1's "Unkn 31:28" which is neither a field nor Res0/1. */
        uint64_t unk = !strcmp(rn, "CCSIDR_EL1") ? 0xf0000000ULL : 0;
        CHECK((used | unk) == UINT64_MAX && (used & unk) == 0,
              "%s: bits 0x%llx not described", rn, U64(~used));
    }
}

static void test_table_values_and_defaults(void **state)
{
    (void)state;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        const char *rn = armcpu_reg_name(r);
        uint64_t def = armcpu_reg_res1_mask(r);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            const char *fnm = armcpu_field_name(f);
            uint64_t m = wmask(armcpu_field_width(f));
            CHECK(armcpu_field_default(f) <= m, "%s.%s default 0x%llx too wide",
                  rn, fnm, U64(armcpu_field_default(f)));
            CHECK(armcpu_field_safe_value(f) <= m,
                  "%s.%s safe value 0x%llx too wide", rn, fnm,
                  U64(armcpu_field_safe_value(f)));
            def |= armcpu_field_default(f) << armcpu_field_lsb(f);
            size_t nv = armcpu_field_value_count(f);
            CHECK(nv <= m || m == UINT64_MAX || nv == m + 1,
                  "%s.%s: %zu values", rn, fnm, nv);
            CHECK(!armcpu_field_value_at(f, nv, NULL, NULL, NULL),
                  "%s.%s: value_at(count) succeeded", rn, fnm);
            bool has_ni = false;
            uint64_t ni = 0;
            for (size_t k = 0; k < nv; k++) {
                uint64_t v = UINT64_MAX;
                const char *vn = NULL, *feat = "unset";
                CHECK(armcpu_field_value_at(f, k, &v, &vn, &feat),
                      "%s.%s value %zu", rn, fnm, k);
                CHECK(v <= m, "%s.%s value %s = 0x%llx does not fit %u bits",
                      rn, fnm, vn ? vn : "?", U64(v), armcpu_field_width(f));
                CHECK(vn && *vn, "%s.%s value 0x%llx has no name", rn, fnm,
                      U64(v));
                CHECK(feat == NULL || !strncmp(feat, "FEAT_", 5),
                      "%s.%s value %s: feature '%s'", rn, fnm, vn, feat);
                CHECK(armcpu_field_value_name(f, v) == vn ||
                          !strcmp(armcpu_field_value_name(f, v), vn),
                      "%s.%s value_name(0x%llx) != %s", rn, fnm, U64(v), vn);
                for (size_t l = 0; l < k; l++) {
                    uint64_t pv;
                    armcpu_field_value_at(f, l, &pv, NULL, NULL);
                    CHECK(pv != v, "%s.%s: value 0x%llx named twice", rn, fnm,
                          U64(v));
                }
                if (!strcmp(vn, "NI") && !has_ni) {
                    has_ni = true;
                    ni = v;
                }
            }
            /* README: default = the sysreg file's NI where it names one, else
             * 0, with three documented exceptions. */
            uint64_t want = has_ni ? ni : 0;
            if (!strcmp(rn, "MIDR_EL1") && !strcmp(fnm, "Architecture"))
                want = 0xf;
            if (!strcmp(rn, "ID_AA64DFR0_EL1") && !strcmp(fnm, "DebugVer"))
                want = 6;
            if (!strcmp(rn, "CTR_EL0") && !strcmp(fnm, "L1Ip"))
                want = 2;
            CHECK(armcpu_field_default(f) == want, "%s.%s default 0x%llx want 0x%llx",
                  rn, fnm, U64(armcpu_field_default(f)), U64(want));
            if (armcpu_field_policy(f) == ARMCPU_POLICY_HOST_ONLY)
                CHECK(armcpu_field_safe_value(f) == armcpu_field_default(f),
                      "%s.%s HOST_ONLY safe value is documented as the default",
                      rn, fnm);
            CHECK(armcpu_field_policy(f) <= ARMCPU_POLICY_HOST_ONLY,
                  "%s.%s policy %d", rn, fnm, (int)armcpu_field_policy(f));
        }
        CHECK(armcpu_reg_default_value(r) == def,
              "%s default 0x%llx, fields+res1 give 0x%llx", rn,
              U64(armcpu_reg_default_value(r)), U64(def));
        CHECK((def & armcpu_reg_res0_mask(r)) == 0, "%s default sets res0", rn);
    }
    CHECK(armcpu_field_value_name(F("ID_AA64ISAR0_EL1.AES"), 3) == NULL,
          "AES 3 has no name");
}

/* The table against linux-sysreg.txt: encodings, Res0/Res1, field layout,
 * and signedness (cpufeature.c's where it has a row, else SignedEnum). */
static void test_table_matches_sysreg(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_SYSREG_ROWS; i++) {
        const struct sysreg_row *row = &SYSREG_ROWS[i];
        const armcpu_reg *r = R(row->name);
        CHECK(!strcmp(armcpu_reg_name(r), row->name), "%s found as %s",
              row->name, armcpu_reg_name(r));
        unsigned e[5];
        armcpu_reg_encoding(r, &e[0], &e[1], &e[2], &e[3], &e[4]);
        CHECK(!memcmp(e, row->enc, sizeof e), "%s encoding %u %u %u %u %u",
              row->name, e[0], e[1], e[2], e[3], e[4]);
        CHECK(armcpu_reg_res0_mask(r) == row->res0, "%s res0 0x%llx want 0x%llx",
              row->name, U64(armcpu_reg_res0_mask(r)), U64(row->res0));
        CHECK(armcpu_reg_res1_mask(r) == row->res1, "%s res1 0x%llx want 0x%llx",
              row->name, U64(armcpu_reg_res1_mask(r)), U64(row->res1));
        const char *p = row->fields;
        size_t j = 0;
        while (*p) {
            char name[64];
            unsigned msb, lsb;
            int used = 0;
            CHECK(sscanf(p, "%63[^:]:%u:%u%n", name, &msb, &lsb, &used) == 3,
                  "bad row text %s", p);
            p += used;
            bool sysreg_signed = !strncmp(p, ":s", 2);
            if (sysreg_signed)
                p += 2;
            while (*p == ' ')
                p++;
            const armcpu_field *f = armcpu_reg_field_at(r, j++);
            CHECK(f != NULL, "%s: missing field %s", row->name, name);
            CHECK(!strcmp(armcpu_field_name(f), name), "%s field %zu is %s, want %s",
                  row->name, j - 1, armcpu_field_name(f), name);
            CHECK(armcpu_field_lsb(f) == lsb && armcpu_field_width(f) == msb - lsb + 1,
                  "%s.%s [%u:%u], want [%u:%u]", row->name, name,
                  armcpu_field_lsb(f) + armcpu_field_width(f) - 1,
                  armcpu_field_lsb(f), msb, lsb);
            const struct ftr_row *fr = ftr_row_of(f), *lr = later_row_of(f);
            bool want_signed = fr ? fr->is_signed : lr ? lr->is_signed : sysreg_signed;
            CHECK(armcpu_field_is_signed(f) == want_signed, "%s.%s signed %d",
                  row->name, name, (int)armcpu_field_is_signed(f));
        }
        CHECK(armcpu_reg_field_count(r) == j, "%s has %zu fields, sysreg %zu",
              row->name, armcpu_reg_field_count(r), j);
    }
}

/* The table against ftr-bits.tsv: every kernel row describes a table field
 * with the same position, signedness, policy and safe value; every field the
 * kernel does not describe is HOST_ONLY. */
static void test_table_matches_cpufeature(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FTR_ROWS; i++) {
        const struct ftr_row *row = &FTR_ROWS[i];
        char name[128];
        snprintf(name, sizeof name, "%s.%s", row->reg, row->field);
        const armcpu_field *f = F(name);
        CHECK(armcpu_field_lsb(f) == row->shift, "%s lsb %u want %u", name,
              armcpu_field_lsb(f), row->shift);
        CHECK(armcpu_field_width(f) == row->width, "%s width %u want %u", name,
              armcpu_field_width(f), row->width);
        CHECK(armcpu_field_is_signed(f) == row->is_signed, "%s signedness", name);
        CHECK(armcpu_field_policy(f) == row->policy, "%s policy %s want %s",
              name, armcpu_policy_name(armcpu_field_policy(f)),
              armcpu_policy_name(row->policy));
        CHECK(armcpu_field_safe_value(f) == row->safe_value,
              "%s safe 0x%llx want 0x%llx", name,
              U64(armcpu_field_safe_value(f)), U64(row->safe_value));
    }
    size_t host_only = 0;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            char n[96];
            if (!ftr_row_of(f)) {
                host_only++;
                CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_HOST_ONLY,
                      "%s has no cpufeature row but policy %s",
                      fname(f, n, sizeof n),
                      armcpu_policy_name(armcpu_field_policy(f)));
            } else {
                CHECK(armcpu_field_policy(f) != ARMCPU_POLICY_HOST_ONLY,
                      "%s has a cpufeature row", fname(f, n, sizeof n));
            }
        }
    }
    CHECK(host_only > 0, "some fields must be HOST_ONLY");
    CHECK(!strcmp(armcpu_policy_name(ARMCPU_POLICY_LOWER), "LOWER") &&
              !strcmp(armcpu_policy_name(ARMCPU_POLICY_HIGHER), "HIGHER") &&
              !strcmp(armcpu_policy_name(ARMCPU_POLICY_HIGHER_OR_ZERO),
                      "HIGHER_OR_ZERO") &&
              !strcmp(armcpu_policy_name(ARMCPU_POLICY_EXACT), "EXACT") &&
              !strcmp(armcpu_policy_name(ARMCPU_POLICY_HOST_ONLY), "HOST_ONLY"),
          "policy names");
}

/* Every register and field is found by each of its names, its encoding and
 * its KVM ids. */
static void test_lookup_every_register(void **state)
{
    (void)state;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        const char *rn = armcpu_reg_name(r);
        armcpu_error err = {0};
        char lower[64], bare[64], buf[160];
        size_t len = strlen(rn);
        CHECK(len < sizeof lower, "%s too long", rn);
        for (size_t k = 0; k <= len; k++)
            lower[k] = (char)((rn[k] >= 'A' && rn[k] <= 'Z') ? rn[k] + 32 : rn[k]);
        snprintf(bare, sizeof bare, "%s", rn);
        char *us = strrchr(bare, '_');
        CHECK(us && (!strcmp(us, "_EL1") || !strcmp(us, "_EL0")), "%s suffix", rn);
        *us = 0;
        CHECK(armcpu_reg_by_name(rn, &err) == r, "by_name(%s)", rn);
        CHECK(armcpu_reg_by_name(lower, &err) == r, "by_name(%s)", lower);
        CHECK(armcpu_reg_by_name(bare, &err) == r, "by_name(%s): %s", bare,
              err.message);
        unsigned op0, op1, crn, crm, op2;
        armcpu_reg_encoding(r, &op0, &op1, &crn, &crm, &op2);
        CHECK(armcpu_reg_by_encoding(op0, op1, crn, crm, op2, &err) == r,
              "by_encoding(%s)", rn);
        uint64_t id = armcpu_reg_kvm_id(r);
        CHECK(id == expected_kvm_id(op0, op1, crn, crm, op2, 64),
              "%s kvm id 0x%016llx", rn, U64(id));
        CHECK(armcpu_reg_by_kvm_id(id, &err) == r, "by_kvm_id(%s)", rn);
        CHECK(armcpu_reg_by_kvm_id(expected_kvm_id(op0, op1, crn, crm, op2, 128),
                                   &err) == r,
              "by_kvm_id(U128 %s)", rn);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            const char *fnm = armcpu_field_name(f);
            snprintf(buf, sizeof buf, "%s.%s", rn, fnm);
            CHECK(armcpu_field_lookup(buf, &err) == f, "lookup(%s): %s", buf,
                  err.message);
            snprintf(buf, sizeof buf, "%s.%s", lower, fnm);
            CHECK(armcpu_field_lookup(buf, &err) == f, "lookup(%s)", buf);
            snprintf(buf, sizeof buf, "%s.%s", bare, fnm);
            CHECK(armcpu_field_lookup(buf, &err) == f, "lookup(%s)", buf);
            char lf[64];
            snprintf(lf, sizeof lf, "%s", fnm);
            for (char *c = lf; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c + 32);
            CHECK(armcpu_reg_field_by_name(r, lf, &err) == f,
                  "reg_field_by_name(%s, %s)", rn, lf);
            /* A bare field name works exactly when one register has it;
             * otherwise the message lists the owners. */
            size_t owners = 0;
            for (size_t a = 0; a < armcpu_reg_count(); a++) {
                const armcpu_reg *o = armcpu_reg_at(a);
                for (size_t b = 0; b < armcpu_reg_field_count(o); b++)
                    owners += !strcasecmp(
                        armcpu_field_name(armcpu_reg_field_at(o, b)), fnm);
            }
            memset(&err, 0, sizeof err);
            const armcpu_field *g = armcpu_field_lookup(fnm, &err);
            if (owners == 1) {
                CHECK(g == f, "bare lookup(%s): %s", fnm, err.message);
            } else {
                CHECK(g == NULL && err.code == ARMCPU_ERR_INVALID,
                      "bare %s has %zu owners but lookup succeeded", fnm, owners);
                snprintf(buf, sizeof buf, "%s.%s", rn, fnm);
                CHECK(owners > 4 || contains(err.message, buf),
                      "ambiguity message for %s does not name %s: %s", fnm, buf,
                      err.message);
            }
        }
    }
}

/* ------------------------------------------------------ specific facts */

static void check_named_value(const armcpu_field *f, size_t i, uint64_t v,
                         const char *name, const char *feat)
{
    uint64_t gv;
    const char *gn, *gf;
    char n[96];
    CHECK(armcpu_field_value_at(f, i, &gv, &gn, &gf), "%s value %zu",
          fname(f, n, sizeof n), i);
    CHECK(gv == v && !strcmp(gn, name), "%s value %zu is %llu=%s, want %llu=%s",
          fname(f, n, sizeof n), i, U64(gv), gn, U64(v), name);
    CHECK(feat ? (gf && !strcmp(gf, feat)) : gf == NULL, "%s %s: feat %s want %s",
          fname(f, n, sizeof n), name, gf ? gf : "NULL", feat ? feat : "NULL");
}

static void test_fact_isar0_aes(void **state)
{
    (void)state;
    const armcpu_field *f = F("ID_AA64ISAR0_EL1.AES");
    CHECK(armcpu_field_reg(f) == R("ID_AA64ISAR0_EL1"), "owner");
    CHECK(armcpu_field_lsb(f) == 4 && armcpu_field_width(f) == 4, "AES [7:4]");
    CHECK(armcpu_field_mask(f) == 0xf0, "AES mask");
    CHECK(!armcpu_field_is_signed(f), "AES unsigned");
    CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_LOWER, "AES LOWER");
    CHECK(armcpu_field_kvm_policy(f) == ARMCPU_POLICY_LOWER, "AES LOWER (kvm)");
    CHECK(armcpu_field_safe_value(f) == 0 && armcpu_field_default(f) == 0,
          "AES safe/default 0 (NI)");
    CHECK(armcpu_field_value_count(f) == 3, "AES has 3 values");
    check_named_value(f, 0, 0, "NI", NULL);
    check_named_value(f, 1, 1, "AES", "FEAT_AES");
    check_named_value(f, 2, 2, "PMULL", "FEAT_PMULL");
    CHECK(!strcmp(armcpu_field_value_name(f, 2), "PMULL"), "value_name 2");
    /* SHA2: 1 SHA256, 2 SHA512 (FEAT_SHA256/FEAT_SHA512 in AARCHMRS) */
    const armcpu_field *sha2 = F("ID_AA64ISAR0_EL1.SHA2");
    CHECK(armcpu_field_lsb(sha2) == 12 && armcpu_field_width(sha2) == 4, "SHA2");
    check_named_value(sha2, 1, 1, "SHA256", "FEAT_SHA256");
    check_named_value(sha2, 2, 2, "SHA512", "FEAT_SHA512");
    /* ISAR0 bits [3:0] are Res0. */
    CHECK(armcpu_reg_res0_mask(R("ID_AA64ISAR0_EL1")) == 0xf, "ISAR0 res0");
    CHECK(armcpu_reg_kvm_id(R("ID_AA64ISAR0_EL1")) == 0x603000000013c030ULL,
          "ISAR0 kvm id");
}

static void test_fact_mmfr0_tgran(void **state)
{
    (void)state;
    const armcpu_field *t4 = F("ID_AA64MMFR0_EL1.TGRAN4");
    CHECK(armcpu_field_lsb(t4) == 28 && armcpu_field_width(t4) == 4, "TGRAN4 pos");
    CHECK(armcpu_field_is_signed(t4), "TGRAN4 signed");
    CHECK(armcpu_field_policy(t4) == ARMCPU_POLICY_LOWER, "TGRAN4 LOWER");
    CHECK(armcpu_field_safe_value(t4) == 0xf, "TGRAN4 safe 0xf");
    CHECK(armcpu_field_default(t4) == 0xf, "TGRAN4 default 0xf");
    CHECK(!strcmp(armcpu_field_value_name(t4, 0xf), "NI"), "TGRAN4 0xf = NI");
    CHECK(!strcmp(armcpu_field_value_name(t4, 0), "IMP"), "TGRAN4 0 = IMP");
    CHECK(armcpu_field_get_signed(t4, 0xfULL << 28) == -1, "TGRAN4 -1");
    const armcpu_field *t64 = F("ID_AA64MMFR0_EL1.TGRAN64");
    CHECK(armcpu_field_is_signed(t64) && armcpu_field_safe_value(t64) == 0xf,
          "TGRAN64 signed, safe 0xf");
    const armcpu_field *t16 = F("ID_AA64MMFR0_EL1.TGRAN16");
    CHECK(!armcpu_field_is_signed(t16) && armcpu_field_default(t16) == 0,
          "TGRAN16 unsigned, NI=0");
    const armcpu_field *t42 = F("ID_AA64MMFR0_EL1.TGRAN4_2");
    CHECK(armcpu_field_lsb(t42) == 40 && armcpu_field_width(t42) == 4, "TGRAN4_2");
    CHECK(!armcpu_field_is_signed(t42), "TGRAN4_2 unsigned");
    CHECK(armcpu_field_policy(t42) == ARMCPU_POLICY_EXACT, "TGRAN4_2 EXACT");
    CHECK(armcpu_field_kvm_policy(t42) == ARMCPU_POLICY_EXACT, "TGRAN4_2 EXACT");
    CHECK(armcpu_field_safe_value(t42) == 1 && armcpu_field_default(t42) == 1,
          "TGRAN4_2 safe/default 1");
    CHECK(!strcmp(armcpu_field_value_name(t42, 1), "NI"), "TGRAN4_2 1 = NI");
    CHECK(!strcmp(armcpu_field_value_name(t42, 0), "TGRAN4"), "TGRAN4_2 0");
    /* Clean slate: TGRAN4/64 = 0xf, TGRAN*_2 = 1, everything else 0; bits
     * 55:48 are Res0. */
    CHECK(armcpu_reg_default_value(R("ID_AA64MMFR0_EL1")) == 0x00000111ff000000ULL,
          "MMFR0 default 0x%016llx",
          U64(armcpu_reg_default_value(R("ID_AA64MMFR0_EL1"))));
}

static void test_fact_ctr_el0(void **state)
{
    (void)state;
    const armcpu_reg *ctr = R("CTR_EL0");
    for (int i = 0; i < 2; i++) {
        const armcpu_field *f = F(i ? "CTR_EL0.ERG" : "CTR_EL0.CWG");
        CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_HIGHER_OR_ZERO, "CWG/ERG");
        CHECK(armcpu_field_lsb(f) == (i ? 20u : 24u) && armcpu_field_width(f) == 4,
              "CWG/ERG position");
        CHECK(armcpu_field_safe_value(f) == 0, "CWG/ERG safe 0");
    }
    CHECK(armcpu_reg_res1_mask(ctr) == 1ULL << 31, "CTR_EL0 RES1 is bit 31");
    CHECK(armcpu_reg_default_value(ctr) & 1ULL << 31, "default has bit 31");
    for (size_t j = 0; j < armcpu_reg_field_count(ctr); j++) {
        const armcpu_field *f = armcpu_reg_field_at(ctr, j);
        CHECK(!(armcpu_field_mask(f) & 1ULL << 31), "bit 31 is no field (%s)",
              armcpu_field_name(f));
    }
    const armcpu_field *l1ip = F("CTR_EL0.L1Ip");
    CHECK(armcpu_field_policy(l1ip) == ARMCPU_POLICY_EXACT &&
              armcpu_field_safe_value(l1ip) == 2 && armcpu_field_default(l1ip) == 2,
          "L1Ip EXACT, safe VIPT");
    CHECK(!strcmp(armcpu_field_value_name(l1ip, 2), "VIPT"), "L1Ip 2 = VIPT");
    CHECK(armcpu_field_policy(F("CTR_EL0.DminLine")) == ARMCPU_POLICY_LOWER &&
              armcpu_field_safe_value(F("CTR_EL0.DminLine")) == 1,
          "DminLine LOWER safe 1");
    CHECK(armcpu_field_policy(F("CTR_EL0.TminLine")) == ARMCPU_POLICY_HOST_ONLY,
          "TminLine has no cpufeature row");
    /* bit 31 (RES1) + L1Ip = VIPT (2 << 14) */
    CHECK(armcpu_reg_default_value(ctr) == 0x80008000ULL, "CTR default 0x%llx",
          U64(armcpu_reg_default_value(ctr)));
    CHECK(armcpu_reg_kvm_id(ctr) == 0x603000000013d801ULL, "CTR_EL0 kvm id");
}

static void test_fact_pfr0_fp(void **state)
{
    (void)state;
    const char *names[2] = {"ID_AA64PFR0_EL1.FP", "ID_AA64PFR0_EL1.AdvSIMD"};
    for (int i = 0; i < 2; i++) {
        const armcpu_field *f = F(names[i]);
        CHECK(armcpu_field_is_signed(f), "%s signed", names[i]);
        CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_LOWER, "%s LOWER", names[i]);
        CHECK(armcpu_field_safe_value(f) == 0xf && armcpu_field_default(f) == 0xf,
              "%s safe/default NI (0xf)", names[i]);
        CHECK(armcpu_field_lsb(f) == (i ? 20u : 16u), "%s lsb", names[i]);
        CHECK(!strcmp(armcpu_field_value_name(f, 1), "FP16"), "%s 1 = FP16",
              names[i]);
    }
    /* EL0/EL1: no NI value, default 0, safe IMP (1). */
    CHECK(armcpu_field_safe_value(F("ID_AA64PFR0_EL1.EL0")) == 1, "EL0 safe 1");
}

static void test_fact_host_only(void **state)
{
    (void)state;
    /* Not in ftr-bits.tsv (cpufeature.c ftr_id_aa64isar0 has no TME row;
     * MIDR_EL1 has no ftr table at all). */
    const char *names[] = {"ID_AA64ISAR0_EL1.TME", "MIDR_EL1.PartNum",
                           "MIDR_EL1.Implementer", "REVIDR_EL1.IMPLEMENTATION_DEFINED",
                           "ID_AA64DFR0_EL1.BRBE", "ID_AA64DFR1_EL1.BRPs"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const armcpu_field *f = F(names[i]);
        CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_HOST_ONLY, "%s HOST_ONLY",
              names[i]);
        CHECK(armcpu_field_kvm_policy(f) == ARMCPU_POLICY_HOST_ONLY,
              "%s kvm HOST_ONLY", names[i]);
    }
}

static void test_fact_midr_revidr_aidr(void **state)
{
    (void)state;
    /* Arm ARM D23.2 MIDR_EL1. */
    static const struct {
        const char *name;
        unsigned msb, lsb;
    } midr[] = {{"Implementer", 31, 24}, {"Variant", 23, 20},
                {"Architecture", 19, 16}, {"PartNum", 15, 4}, {"Revision", 3, 0}};
    const armcpu_reg *r = R("MIDR_EL1");
    unsigned e[5];
    armcpu_reg_encoding(r, &e[0], &e[1], &e[2], &e[3], &e[4]);
    CHECK(e[0] == 3 && e[1] == 0 && e[2] == 0 && e[3] == 0 && e[4] == 0,
          "MIDR encoding");
    CHECK(armcpu_reg_field_count(r) == 5, "MIDR has 5 fields");
    for (size_t i = 0; i < 5; i++) {
        const armcpu_field *f = armcpu_reg_field_at(r, i);
        CHECK(!strcmp(armcpu_field_name(f), midr[i].name) &&
                  armcpu_field_lsb(f) == midr[i].lsb &&
                  armcpu_field_width(f) == midr[i].msb - midr[i].lsb + 1,
              "MIDR field %zu: %s", i, armcpu_field_name(f));
    }
    CHECK(armcpu_reg_res0_mask(r) == 0xffffffff00000000ULL, "MIDR res0 63:32");
    CHECK(armcpu_reg_default_value(r) == 0xf0000, "MIDR default Architecture 0xf");
    static const struct {
        const char *name;
        unsigned op1, op2;
    } whole[] = {{"REVIDR_EL1", 0, 6}, {"AIDR_EL1", 1, 7}};
    for (size_t i = 0; i < 2; i++) {
        r = R(whole[i].name);
        armcpu_reg_encoding(r, &e[0], &e[1], &e[2], &e[3], &e[4]);
        CHECK(e[0] == 3 && e[1] == whole[i].op1 && e[2] == 0 && e[3] == 0 &&
                  e[4] == whole[i].op2,
              "%s encoding", whole[i].name);
        CHECK(armcpu_reg_field_count(r) == 1, "%s one field", whole[i].name);
        const armcpu_field *f = armcpu_reg_field_at(r, 0);
        CHECK(armcpu_field_lsb(f) == 0 && armcpu_field_width(f) == 64 &&
                  armcpu_field_mask(f) == UINT64_MAX,
              "%s one 64-bit field", whole[i].name);
        CHECK(armcpu_reg_res0_mask(r) == 0 && armcpu_reg_res1_mask(r) == 0,
              "%s no reserved bits", whole[i].name);
    }
    CHECK(armcpu_reg_kvm_id(R("AIDR_EL1")) == 0x603000000013c807ULL, "AIDR id");
    CHECK(armcpu_reg_kvm_id(R("MIDR_EL1")) == 0x603000000013c000ULL, "MIDR id");
}

/* ------------------------------------------------------------ safe rule */

static void test_safe_lower_unsigned(void **state)
{
    (void)state;
    const armcpu_field *aes = F("ID_AA64ISAR0_EL1.AES");
    CHECK(safe(aes, 0, 2) && safe(aes, 1, 2) && safe(aes, 2, 2), "<= host ok");
    CHECK(!safe(aes, 3, 2) && !safe(aes, 0xf, 2), "> host unsafe");
    CHECK(safe(aes, 0, 1) && !safe(aes, 2, 1), "PMULL on an AES-only host");
    CHECK(safe(aes, 0, 0) && !safe(aes, 1, 0), "NI host");
    /* unsigned: 0xf is the biggest, not -1 */
    CHECK(safe(aes, 2, 0xf) && !safe(aes, 0xf, 0), "unsigned compare");
    char why[256];
    CHECK(contains(reason_of(aes, 3, 2, why, sizeof why), "LOWER"),
          "reason names the policy: %s", why);
    CHECK(contains(why, "unsigned"), "reason says unsigned: %s", why);
}

static void test_safe_lower_signed(void **state)
{
    (void)state;
    const armcpu_field *fp = F("ID_AA64PFR0_EL1.FP");
    /* FP: 0xf = -1 = NI, 0 = IMP, 1 = FP16; signed compare. */
    CHECK(safe(fp, 0xf, 0), "host IMP: NI (-1) is lower, safe");
    CHECK(!safe(fp, 1, 0xf), "host NI: FP16 is higher, unsafe");
    CHECK(!safe(fp, 0, 0xf), "host NI: IMP is higher, unsafe");
    CHECK(safe(fp, 0, 1) && safe(fp, 0xf, 1) && !safe(fp, 2, 1), "host FP16");
    CHECK(!safe(fp, 1, 0), "host IMP: FP16 unsafe");
    CHECK(safe(fp, 0x8, 0), "-8 < 0");
    CHECK(!safe(fp, 0x7, 0x8), "7 > -8");
    const armcpu_field *simd = F("ID_AA64PFR0_EL1.AdvSIMD");
    CHECK(safe(simd, 0xf, 1) && !safe(simd, 1, 0xf), "AdvSIMD signed");
    const armcpu_field *t4 = F("ID_AA64MMFR0_EL1.TGRAN4");
    CHECK(safe(t4, 0xf, 0), "host 4K: hiding 4K (NI) is safe");
    CHECK(safe(t4, 0, 1) && safe(t4, 0xf, 1), "host 52-bit 4K");
    CHECK(!safe(t4, 0, 0xf) && !safe(t4, 1, 0xf), "host without 4K");
    CHECK(!safe(t4, 1, 0), "host 4K: 52-bit is higher");
    const armcpu_field *dl = F("ID_AA64DFR0_EL1.DoubleLock");
    CHECK(safe(dl, 0xf, 0) && !safe(dl, 0, 0xf), "DoubleLock signed");
    char why[256];
    CHECK(contains(reason_of(fp, 1, 0xf, why, sizeof why), "signed") &&
              !contains(why, "unsigned"),
          "reason says signed: %s", why);
}

static void test_safe_higher(void **state)
{
    (void)state;
    /* cpufeature.c: ID_AA64MMFR1_EL1.SpecSEI and ID_MMFR4_EL1.SpecSEI are
     * FTR_HIGHER_SAFE. */
    const armcpu_field *f = F("ID_AA64MMFR1_EL1.SpecSEI");
    CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_HIGHER, "SpecSEI HIGHER");
    CHECK(safe(f, 1, 1) && safe(f, 2, 1) && safe(f, 0xf, 1), ">= host ok");
    CHECK(!safe(f, 0, 1), "< host unsafe");
    for (uint64_t v = 0; v <= 0xf; v++)
        CHECK(safe(f, v, 0), "host 0: everything is >= 0 (0x%llx)", U64(v));
    CHECK(!safe(f, 4, 5) && safe(f, 6, 5), "host 5");
    f = F("ID_MMFR4_EL1.SpecSEI");
    CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_HIGHER && !safe(f, 0, 1),
          "ID_MMFR4 SpecSEI HIGHER");
}

static void test_safe_higher_or_zero(void **state)
{
    (void)state;
    const char *names[2] = {"CTR_EL0.CWG", "CTR_EL0.ERG"};
    for (int i = 0; i < 2; i++) {
        const armcpu_field *f = F(names[i]);
        for (uint64_t h = 0; h <= 0xf; h++)
            CHECK(safe(f, 0, h), "%s: 0 is always safe (host 0x%llx)", names[i],
                  U64(h));
        CHECK(safe(f, 0, 0), "host 0: 0");
        for (uint64_t v = 1; v <= 0xf; v++)
            CHECK(!safe(f, v, 0), "%s host 0: only 0, not 0x%llx", names[i],
                  U64(v));
        CHECK(safe(f, 4, 4) && safe(f, 5, 4) && safe(f, 0xf, 4), "host 4: >= 4");
        CHECK(!safe(f, 3, 4) && !safe(f, 1, 4), "host 4: 1..3 unsafe");
    }
}

static void test_safe_exact(void **state)
{
    (void)state;
    const armcpu_field *f = F("ID_AA64MMFR0_EL1.TGRAN4_2");
    for (uint64_t h = 0; h <= 0xf; h++)
        for (uint64_t v = 0; v <= 0xf; v++)
            CHECK(safe(f, v, h) == (v == h || v == 1),
                  "TGRAN4_2 value 0x%llx host 0x%llx: only host or 1", U64(v),
                  U64(h));
    const armcpu_field *l1ip = F("CTR_EL0.L1Ip");
    CHECK(safe(l1ip, 3, 3) && safe(l1ip, 2, 3) && !safe(l1ip, 1, 3) &&
              !safe(l1ip, 0, 3),
          "L1Ip host PIPT: PIPT or VIPT");
    /* FPFR0 F8* bits: EXACT with safe value 0 */
    const armcpu_field *f8 = F("ID_AA64FPFR0_EL1.F8CVT");
    CHECK(safe(f8, 0, 1) && safe(f8, 1, 1) && !safe(f8, 1, 0), "F8CVT");
    char why[256];
    CHECK(contains(reason_of(f, 2, 0, why, sizeof why), "EXACT"), "reason: %s",
          why);
}

static void test_safe_host_only(void **state)
{
    (void)state;
    const armcpu_field *tme = F("ID_AA64ISAR0_EL1.TME");
    CHECK(safe(tme, 1, 1) && !safe(tme, 0, 1) && !safe(tme, 1, 0), "TME");
    const armcpu_field *pn = F("MIDR_EL1.PartNum");
    CHECK(safe(pn, 0xd40, 0xd40), "same part");
    CHECK(!safe(pn, 0xd4f, 0xd40) && !safe(pn, 0, 0xd40) &&
              !safe(pn, 0xd0c, 0xd40),
          "other parts");
    const armcpu_field *aidr = F("AIDR_EL1.IMPLEMENTATION_DEFINED");
    CHECK(safe(aidr, UINT64_MAX, UINT64_MAX) && !safe(aidr, 0, UINT64_MAX) &&
              !safe(aidr, UINT64_MAX - 1, UINT64_MAX),
          "64-bit host only");
    char why[256];
    CHECK(contains(reason_of(tme, 0, 1, why, sizeof why), "HOST_ONLY"),
          "reason: %s", why);
}

static void test_safe_kvm_overrides(void **state)
{
    (void)state;
    static const char *const names[3] = {"ID_AA64DFR0_EL1.PMUVer",
                                         "ID_AA64DFR0_EL1.DebugVer",
                                         "ID_DFR0_EL1.PerfMon"};
    for (int i = 0; i < 3; i++) {
        const armcpu_field *f = F(names[i]);
        CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_EXACT,
              "%s is EXACT in cpufeature.c", names[i]);
        CHECK(armcpu_field_kvm_policy(f) == ARMCPU_POLICY_LOWER,
              "%s is LOWER for KVM", names[i]);
    }
    const armcpu_field *dv = F("ID_AA64DFR0_EL1.DebugVer");
    /* Host v8.2 (8): 7 (v8.1) is neither the host nor the safe value 6, so
     * EXACT would refuse it; KVM's LOWER accepts it. */
    CHECK(safe(dv, 7, 8) && safe(dv, 6, 8) && !safe(dv, 9, 8), "DebugVer LOWER");
    const armcpu_field *pmu = F("ID_AA64DFR0_EL1.PMUVer");
    CHECK(safe(pmu, 4, 5) && safe(pmu, 1, 5) && safe(pmu, 0, 5) &&
              !safe(pmu, 6, 5),
          "PMUVer LOWER");
    const armcpu_field *pm = F("ID_DFR0_EL1.PerfMon");
    CHECK(safe(pm, 3, 4) && !safe(pm, 5, 4), "PerfMon LOWER");
    /* Every later row names a table field (the loop below checks them). */
    CHECK(N_LATER_FTR_ROWS == 24, "%zu later rows", (size_t)N_LATER_FTR_ROWS);
    for (size_t i = 0; i < N_LATER_FTR_ROWS; i++) {
        char n[128];
        snprintf(n, sizeof n, "%s.%s", LATER_FTR_ROWS[i].reg, LATER_FTR_ROWS[i].field);
        CHECK(later_row_of(F(n)) == &LATER_FTR_ROWS[i], "%s", n);
    }
    /* No other field is overridden. */
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            char n[96];
            fname(f, n, sizeof n);
            bool special = !strcmp(n, names[0]) || !strcmp(n, names[1]) ||
                           !strcmp(n, names[2]);
            const struct ftr_row *lr = later_row_of(f);
            if (lr) {
                /* a field 6.12's cpufeature.c lacks: 7.3's policy from 7.3 on
                 * (first release not pinned: HOST_ONLY, never more lenient,
                 * before it) and for an unknown kernel */
                CHECK(armcpu_field_policy(f) == ARMCPU_POLICY_HOST_ONLY, "%s base policy", n);
                CHECK(armcpu_field_policy_for(f, armcpu_kernel_key("6.12")) ==
                          ARMCPU_POLICY_HOST_ONLY,
                      "%s under 6.12", n);
                CHECK(armcpu_field_policy_for(f, armcpu_kernel_key("7.2")) ==
                          ARMCPU_POLICY_HOST_ONLY,
                      "%s under 7.2", n);
                CHECK(armcpu_field_policy_for(f, armcpu_kernel_key("7.3")) == lr->policy,
                      "%s under 7.3: %s", n,
                      armcpu_policy_name(armcpu_field_policy_for(f, armcpu_kernel_key("7.3"))));
                CHECK(armcpu_field_kvm_policy(f) == lr->policy, "%s newest", n);
                CHECK(armcpu_field_lsb(f) == lr->shift && armcpu_field_width(f) == lr->width,
                      "%s position", n);
            } else if (!special)
                CHECK(armcpu_field_kvm_policy(f) == armcpu_field_policy(f),
                      "%s overridden", n);
        }
    }
}

/* Properties that hold for every field. */
static void test_safe_every_field(void **state)
{
    (void)state;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            char n[96], why[256];
            fname(f, n, sizeof n);
            unsigned w = armcpu_field_width(f);
            uint64_t m = wmask(w);
            uint64_t hosts[] = {0, 1, m, m >> 1, armcpu_field_default(f),
                                armcpu_field_safe_value(f)};
            for (size_t k = 0; k < sizeof hosts / sizeof hosts[0]; k++)
                CHECK(safe(f, hosts[k], hosts[k]),
                      "%s: the host value 0x%llx itself must be safe", n,
                      U64(hosts[k]));
            if (w < 64) {
                uint64_t wide[] = {m + 1, 1ULL << 63, UINT64_MAX};
                for (size_t k = 0; k < 3; k++) {
                    CHECK(!safe(f, wide[k], 0) && !safe(f, wide[k], wide[k] & m),
                          "%s: 0x%llx wider than %u bits is safe", n,
                          U64(wide[k]), w);
                    reason_of(f, wide[k], 0, why, sizeof why);
                    CHECK(contains(why, "fit") || contains(why, "bit"),
                          "%s: reason for a too-wide value: %s", n, why);
                }
            }
            /* A tiny reason buffer is truncated, never overrun (ASan). */
            char tiny[4] = {'a', 'b', 'c', 'd'};
            bool ok = armcpu_field_is_safe(f, m == 1 ? 0 : 2, 1, tiny, 3);
            CHECK(tiny[3] == 'd', "%s: reason buffer overrun", n);
            if (!ok)
                CHECK(memchr(tiny, 0, 3) != NULL, "%s: not terminated", n);
            tiny[0] = 'a';
            (void)armcpu_field_is_safe(f, m + (m != UINT64_MAX), 0, tiny, 0);
            CHECK(tiny[0] == 'a', "%s: wrote into a size-0 reason buffer", n);
        }
    }
}

/* armcpu_field_safe_values lists exactly the values is_safe accepts. */
static void test_safe_values_match_rule(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            char n[96];
            fname(f, n, sizeof n);
            unsigned w = armcpu_field_width(f);
            uint64_t values[16];
            size_t nv = 99;
            if (w > 4) {
                armcpu_field_safe_values(f, 0, values, &nv);
                CHECK(nv == 0, "%s (%u bits): values only for <= 4 bits", n, w);
                continue;
            }
            uint64_t m = wmask(w);
            for (uint64_t h = 0; h <= m; h++) {
                nv = 99;
                armcpu_field_safe_values(f, h, values, &nv);
                CHECK(nv >= 1 && nv <= m + 1, "%s host 0x%llx: %zu values", n,
                      U64(h), nv);
                bool listed[16] = {false};
                for (size_t k = 0; k < nv; k++) {
                    CHECK(values[k] <= m, "%s: listed 0x%llx too wide", n,
                          U64(values[k]));
                    CHECK(!listed[values[k]], "%s: 0x%llx listed twice", n,
                          U64(values[k]));
                    listed[values[k]] = true;
                }
                for (uint64_t v = 0; v <= m; v++)
                    CHECK(listed[v] == safe(f, v, h),
                          "%s host 0x%llx value 0x%llx: listed %d, is_safe %d",
                          n, U64(h), U64(v), (int)listed[v],
                          (int)safe(f, v, h));
                checked++;
            }
        }
    }
    CHECK(checked > 1000, "only %zu cases", checked);
}

static bool in_ranges(const uint64_t *rg, size_t n, uint64_t v)
{
    for (size_t k = 0; k < n; k++)
        if (v >= rg[2 * k] && v <= rg[2 * k + 1])
            return true;
    return false;
}

static void check_ranges(const armcpu_field *f, uint64_t host)
{
    char n[96];
    fname(f, n, sizeof n);
    unsigned w = armcpu_field_width(f);
    uint64_t m = wmask(w), rg[4];
    size_t nr = 99;
    armcpu_field_safe_ranges(f, host, rg, &nr);
    CHECK(nr >= 1 && nr <= 2, "%s host 0x%llx: %zu ranges", n, U64(host), nr);
    CHECK(in_ranges(rg, nr, host), "%s: host 0x%llx not in its ranges", n,
          U64(host));
    for (size_t k = 0; k < nr; k++) {
        uint64_t lo = rg[2 * k], hi = rg[2 * k + 1];
        CHECK(lo <= hi && hi <= m, "%s host 0x%llx: range [0x%llx,0x%llx]", n,
              U64(host), U64(lo), U64(hi));
        CHECK(safe(f, lo, host) && safe(f, hi, host),
              "%s host 0x%llx: bound of [0x%llx,0x%llx] unsafe", n, U64(host),
              U64(lo), U64(hi));
        if (lo > 0 && !in_ranges(rg, nr, lo - 1))
            CHECK(!safe(f, lo - 1, host), "%s host 0x%llx: 0x%llx below range safe",
                  n, U64(host), U64(lo - 1));
        if (hi < m && !in_ranges(rg, nr, hi + 1))
            CHECK(!safe(f, hi + 1, host), "%s host 0x%llx: 0x%llx above range safe",
                  n, U64(host), U64(hi + 1));
        if (k)
            CHECK(hi < rg[0] || lo > rg[1], "%s: ranges overlap", n);
    }
    if (w <= 12)
        for (uint64_t v = 0; v <= m; v++)
            CHECK(in_ranges(rg, nr, v) == safe(f, v, host),
                  "%s host 0x%llx value 0x%llx: in range %d, is_safe %d", n,
                  U64(host), U64(v), (int)in_ranges(rg, nr, v),
                  (int)safe(f, v, host));
}

/* armcpu_field_safe_ranges agrees with is_safe (exhaustively up to 12 bits,
 * at and just outside the bounds for wider fields). */
static void test_safe_ranges(void **state)
{
    (void)state;
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            unsigned w = armcpu_field_width(f);
            uint64_t m = wmask(w);
            if (w <= 4) {
                for (uint64_t h = 0; h <= m; h++)
                    check_ranges(f, h);
                continue;
            }
            uint64_t hosts[] = {0, 1, 2, m >> 1, (m >> 1) + 1, m - 1, m,
                                0x123456789abcdef0ULL & m,
                                armcpu_field_default(f)};
            for (size_t k = 0; k < sizeof hosts / sizeof hosts[0]; k++)
                check_ranges(f, hosts[k]);
        }
    }
    /* The wide fields named in the brief: all HOST_ONLY, one-value range. */
    const char *wide[] = {"CTR_EL0.TminLine", "MIDR_EL1.PartNum",
                          "REVIDR_EL1.IMPLEMENTATION_DEFINED"};
    uint64_t hosts[] = {0x12, 0xd40, 0xfedcba9876543210ULL};
    for (int i = 0; i < 3; i++) {
        uint64_t rg[4];
        size_t nr = 0;
        armcpu_field_safe_ranges(F(wide[i]), hosts[i], rg, &nr);
        CHECK(nr == 1 && rg[0] == hosts[i] && rg[1] == hosts[i],
              "%s host 0x%llx: %zu ranges [0x%llx,0x%llx]", wide[i],
              U64(hosts[i]), nr, U64(rg[0]), U64(rg[1]));
    }
    /* Signed LOWER: FP host IMP (0): -8..-1 and 0. */
    uint64_t rg[4];
    size_t nr = 0;
    armcpu_field_safe_ranges(F("ID_AA64PFR0_EL1.FP"), 0, rg, &nr);
    CHECK(nr == 2 && in_ranges(rg, nr, 0xf) && in_ranges(rg, nr, 0x8) &&
              in_ranges(rg, nr, 0) && !in_ranges(rg, nr, 1) &&
              !in_ranges(rg, nr, 7),
          "FP host 0 ranges");
    /* HIGHER_OR_ZERO: CWG host 4: {0} and 4..15. */
    armcpu_field_safe_ranges(F("CTR_EL0.CWG"), 4, rg, &nr);
    CHECK(nr == 2 && in_ranges(rg, nr, 0) && !in_ranges(rg, nr, 3) &&
              in_ranges(rg, nr, 4) && in_ranges(rg, nr, 0xf),
          "CWG host 4 ranges");
}

/* ------------------------------------------------------- field access */

static void test_field_get_set(void **state)
{
    (void)state;
    const armcpu_field *aes = F("ID_AA64ISAR0_EL1.AES");
    armcpu_error err = {0};
    uint64_t v = UINT64_MAX;
    CHECK(armcpu_field_set(aes, &v, 2, &err) == ARMCPU_OK, "set AES 2");
    CHECK(v == (UINT64_MAX & ~0xf0ULL) + 0x20, "other bits untouched: 0x%llx",
          U64(v));
    CHECK(armcpu_field_get(aes, v) == 2, "get AES");
    uint64_t before = v;
    CHECK(armcpu_field_set(aes, &v, 0x10, &err) == ARMCPU_ERR_INVALID,
          "0x10 does not fit 4 bits");
    CHECK(err.code == ARMCPU_ERR_INVALID, "err.code");
    CHECK(contains(err.message, "ID_AA64ISAR0_EL1.AES"), "message names the field: %s",
          err.message);
    CHECK(v == before, "failed set leaves the value");
    CHECK(armcpu_field_set(aes, &v, 0x10, NULL) == ARMCPU_ERR_INVALID,
          "set without an error record");

    const armcpu_field *t4 = F("ID_AA64MMFR0_EL1.TGRAN4");
    v = 0;
    CHECK(armcpu_field_set(t4, &v, 0xf, &err) == ARMCPU_OK, "TGRAN4 0xf");
    CHECK(v == 0xf0000000ULL, "TGRAN4 bits");
    CHECK(armcpu_field_get(t4, v) == 0xf && armcpu_field_get_signed(t4, v) == -1,
          "0xf reads -1 signed");
    CHECK(armcpu_field_get_signed(t4, 0x80000000ULL) == -8, "0x8 = -8");
    CHECK(armcpu_field_get_signed(t4, 0x70000000ULL) == 7, "0x7 = 7");
    CHECK(armcpu_field_get_signed(aes, 0xf0) == 15, "unsigned 0xf = 15");

    /* Every field: round trip at 0, 1 and all-ones on three backgrounds. */
    const uint64_t bases[] = {0, UINT64_MAX, 0x5555555555555555ULL};
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++) {
            const armcpu_field *f = armcpu_reg_field_at(r, j);
            char n[96];
            fname(f, n, sizeof n);
            unsigned w = armcpu_field_width(f);
            uint64_t m = wmask(w), fm = armcpu_field_mask(f);
            const uint64_t vals[] = {0, 1, m, m >> 1};
            for (size_t b = 0; b < 3; b++)
                for (size_t k = 0; k < 4; k++) {
                    uint64_t x = bases[b];
                    CHECK(armcpu_field_set(f, &x, vals[k], &err) == ARMCPU_OK,
                          "%s set 0x%llx: %s", n, U64(vals[k]), err.message);
                    CHECK(armcpu_field_get(f, x) == vals[k], "%s round trip", n);
                    CHECK((x & ~fm) == (bases[b] & ~fm), "%s touched other bits", n);
                    int64_t sv = armcpu_field_get_signed(f, x);
                    if (!armcpu_field_is_signed(f) || w == 64)
                        CHECK((uint64_t)sv == vals[k], "%s get_signed", n);
                    else if (vals[k] == m)
                        CHECK(sv == -1, "%s all ones = -1", n);
                    else if (vals[k] == m >> 1)
                        CHECK(sv == (int64_t)(m >> 1), "%s max positive", n);
                }
            if (w < 64) {
                uint64_t x = bases[2];
                memset(&err, 0, sizeof err);
                CHECK(armcpu_field_set(f, &x, m + 1, &err) == ARMCPU_ERR_INVALID &&
                          x == bases[2],
                      "%s accepted 0x%llx", n, U64(m + 1));
                CHECK(contains(err.message, n), "%s: message %s", n, err.message);
            }
        }
    }
}

/* -------------------------------------------------------------- KVM ids */

static void test_kvm_id_roundtrip(void **state)
{
    (void)state;
    /* Every encoding the id can carry, both sizes. */
    for (unsigned op0 = 0; op0 < 4; op0++)
        for (unsigned op1 = 0; op1 < 8; op1++)
            for (unsigned crn = 0; crn < 16; crn++)
                for (unsigned crm = 0; crm < 16; crm++)
                    for (unsigned op2 = 0; op2 < 8; op2++)
                        for (unsigned size = 64; size <= 128; size += 64) {
                            uint64_t id = 0;
                            armcpu_error err = {0};
                            CHECK(armcpu_kvm_id_encode(op0, op1, crn, crm, op2,
                                                       size, &id, &err) == 0,
                                  "encode %u %u %u %u %u: %s", op0, op1, crn,
                                  crm, op2, err.message);
                            CHECK(id == expected_kvm_id(op0, op1, crn, crm, op2,
                                                        size),
                                  "encode %u %u %u %u %u/%u = 0x%016llx", op0,
                                  op1, crn, crm, op2, size, U64(id));
                            unsigned d[6] = {9, 9, 99, 99, 9, 0};
                            CHECK(armcpu_kvm_id_decode(id, &d[0], &d[1], &d[2],
                                                       &d[3], &d[4], &d[5],
                                                       &err) == 0,
                                  "decode 0x%016llx: %s", U64(id), err.message);
                            CHECK(d[0] == op0 && d[1] == op1 && d[2] == crn &&
                                      d[3] == crm && d[4] == op2 && d[5] == size,
                                  "decode 0x%016llx", U64(id));
                        }
    /* Every register, through the register API. */
    for (size_t i = 0; i < armcpu_reg_count(); i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        unsigned e[5], d[5], size = 0;
        armcpu_reg_encoding(r, &e[0], &e[1], &e[2], &e[3], &e[4]);
        uint64_t id128;
        CHECK(armcpu_kvm_id_encode(e[0], e[1], e[2], e[3], e[4], 128, &id128,
                                   NULL) == 0,
              "U128 %s", armcpu_reg_name(r));
        CHECK((id128 >> 48) == 0x6040, "U128 id of %s is 0x%016llx",
              armcpu_reg_name(r), U64(id128));
        CHECK((armcpu_reg_kvm_id(r) >> 48) == 0x6030, "U64 id of %s",
              armcpu_reg_name(r));
        CHECK(armcpu_kvm_id_decode(id128, &d[0], &d[1], &d[2], &d[3], &d[4],
                                   &size, NULL) == 0 &&
                  size == 128 && !memcmp(d, e, sizeof d),
              "U128 decode %s", armcpu_reg_name(r));
        CHECK(armcpu_kvm_id_decode(armcpu_reg_kvm_id(r), &d[0], &d[1], &d[2],
                                   &d[3], &d[4], NULL, NULL) == 0 &&
                  !memcmp(d, e, sizeof d),
              "decode with size_bits NULL %s", armcpu_reg_name(r));
    }
}

static void test_kvm_id_known(void **state)
{
    (void)state;
    uint64_t id = 0;
    CHECK(armcpu_kvm_id_encode(3, 0, 0, 6, 0, 64, &id, NULL) == 0 &&
              id == 0x603000000013c030ULL,
          "ID_AA64ISAR0_EL1 = 0x603000000013c030, got 0x%016llx", U64(id));
    CHECK(armcpu_kvm_id_encode(3, 0, 0, 6, 0, 128, &id, NULL) == 0 &&
              id == 0x604000000013c030ULL,
          "U128 0x604000000013c030");
    CHECK(armcpu_reg_by_kvm_id(0x603000000013c030ULL, NULL) ==
              R("ID_AA64ISAR0_EL1"),
          "by id");
    CHECK(armcpu_reg_by_kvm_id(0x604000000013c030ULL, NULL) ==
              R("ID_AA64ISAR0_EL1"),
          "by U128 id");
    CHECK(armcpu_reg_kvm_id(R("DCZID_EL0")) == 0x603000000013d807ULL, "DCZID id");
    /* A valid system-register id that is not an ID register (SCTLR_EL1,
     * op0:3 op1:0 crn:1 crm:0 op2:0) and MPIDR_EL1 (op2:5, not in the
     * table). */
    armcpu_error err = {0};
    CHECK(armcpu_reg_by_kvm_id(0x603000000013c080ULL, &err) == NULL &&
              err.code == ARMCPU_ERR_NOT_FOUND,
          "SCTLR_EL1 is no ID register");
    CHECK(contains(err.message, "op0:3 op1:0 crn:1 crm:0 op2:0"),
          "message names the encoding: %s", err.message);
    memset(&err, 0, sizeof err);
    CHECK(armcpu_reg_by_encoding(3, 0, 0, 0, 5, &err) == NULL &&
              err.code == ARMCPU_ERR_NOT_FOUND && err.message[0],
          "MPIDR_EL1 is not in the table");
    memset(&err, 0, sizeof err);
    CHECK(armcpu_reg_by_kvm_id(0x703000000013c030ULL, &err) == NULL &&
              err.code == ARMCPU_ERR_INVALID,
          "by_kvm_id passes decode errors on");
}

static void test_kvm_id_encode_rejects(void **state)
{
    (void)state;
    static const unsigned bad[][6] = {
        {4, 0, 0, 0, 0, 64},  {3, 8, 0, 0, 0, 64},  {3, 0, 16, 0, 0, 64},
        {3, 0, 0, 16, 0, 64}, {3, 0, 0, 0, 8, 64},  {3, 0, 0, 6, 0, 32},
        {3, 0, 0, 6, 0, 0},   {3, 0, 0, 6, 0, 256}, {3, 0, 0, 6, 0, 65},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        armcpu_error err = {0};
        uint64_t id = 0x1234;
        int rc = armcpu_kvm_id_encode(bad[i][0], bad[i][1], bad[i][2], bad[i][3],
                                      bad[i][4], bad[i][5], &id, &err);
        CHECK(rc == ARMCPU_ERR_INVALID && err.code == ARMCPU_ERR_INVALID &&
                  err.message[0],
              "encode %u %u %u %u %u size %u accepted", bad[i][0], bad[i][1],
              bad[i][2], bad[i][3], bad[i][4], bad[i][5]);
        CHECK(id == 0x1234, "output written on failure");
    }
    armcpu_error err = {0};
    uint64_t id;
    armcpu_kvm_id_encode(3, 0, 0, 6, 0, 32, &id, &err);
    CHECK(contains(err.message, "32"), "size message: %s", err.message);
    armcpu_kvm_id_encode(3, 0, 16, 6, 0, 64, &id, &err);
    CHECK(contains(err.message, "crn:16"), "range message: %s", err.message);
}

static void test_kvm_id_decode_rejects(void **state)
{
    (void)state;
    static const uint64_t bad[] = {
        0x703000000013c030ULL, /* top byte: not KVM_REG_ARM64 */
        0x403000000013c030ULL, /* KVM_REG_ARM (32-bit arm) */
        0x003000000013c030ULL,
        0x602000000013c030ULL, /* size U32 */
        0x605000000013c030ULL, /* size U256 */
        0x601000000013c030ULL, /* size U16 */
        0x6030000000100000ULL, /* core register coprocessor 0x0010 */
        0x603000000014c030ULL, /* firmware coprocessor 0x0014 */
        0x603000000012c030ULL, /* coprocessor 0x0012 */
        0x603000001013c030ULL, /* stray bit 28 */
        0x603000100013c030ULL, /* stray bit 40 */
        0x6038000000130000ULL, /* stray bit 51 */
        0,
        UINT64_MAX,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        armcpu_error err = {0};
        unsigned d[6] = {77, 77, 77, 77, 77, 77};
        int rc = armcpu_kvm_id_decode(bad[i], &d[0], &d[1], &d[2], &d[3], &d[4],
                                      &d[5], &err);
        CHECK(rc == ARMCPU_ERR_INVALID && err.code == ARMCPU_ERR_INVALID,
              "decode 0x%016llx accepted", U64(bad[i]));
        char hex[32];
        snprintf(hex, sizeof hex, "0x%016llx", U64(bad[i]));
        CHECK(contains(err.message, hex), "message names %s: %s", hex,
              err.message);
        CHECK(armcpu_reg_by_kvm_id(bad[i], NULL) == NULL, "by_kvm_id 0x%llx",
              U64(bad[i]));
    }
}

/* ------------------------------------------------------ encoding text */

static void test_encoding_text(void **state)
{
    (void)state;
    unsigned e[5] = {9, 9, 9, 9, 9};
    armcpu_error err = {0};
    CHECK(armcpu_encoding_parse("op0:3 op1:0 crn:0 crm:7 op2:4", &e[0], &e[1],
                                &e[2], &e[3], &e[4], &err) == 0,
          "parse: %s", err.message);
    CHECK(e[0] == 3 && e[1] == 0 && e[2] == 0 && e[3] == 7 && e[4] == 4, "values");
    CHECK(armcpu_reg_by_encoding(e[0], e[1], e[2], e[3], e[4], NULL) ==
              R("ID_AA64MMFR4_EL1"),
          "op0:3 op1:0 crn:0 crm:7 op2:4 is ID_AA64MMFR4_EL1");
    char buf[64];
    armcpu_encoding_format(3, 0, 0, 7, 4, buf, sizeof buf);
    CHECK(!strcmp(buf, "op0:3 op1:0 crn:0 crm:7 op2:4"), "format: %s", buf);
    armcpu_encoding_format(3, 3, 0, 0, 1, buf, sizeof buf);
    CHECK(!strcmp(buf, "op0:3 op1:3 crn:0 crm:0 op2:1"), "format CTR: %s", buf);
    /* truncation stays inside the buffer */
    char small[8] = "zzzzzzz";
    armcpu_encoding_format(3, 0, 0, 7, 4, small, 6);
    CHECK(!strcmp(small, "op0:3") && small[6] == 'z', "truncated: %s", small);
    /* every encoding: format, then parse back */
    for (unsigned op0 = 0; op0 < 4; op0++)
        for (unsigned op1 = 0; op1 < 8; op1++)
            for (unsigned crn = 0; crn < 16; crn++)
                for (unsigned crm = 0; crm < 16; crm++)
                    for (unsigned op2 = 0; op2 < 8; op2++) {
                        armcpu_encoding_format(op0, op1, crn, crm, op2, buf,
                                               sizeof buf);
                        CHECK(armcpu_encoding_parse(buf, &e[0], &e[1], &e[2],
                                                    &e[3], &e[4], &err) == 0 &&
                                  e[0] == op0 && e[1] == op1 && e[2] == crn &&
                                  e[3] == crm && e[4] == op2,
                              "round trip %s: %s", buf, err.message);
                    }
}

static void test_encoding_text_rejects(void **state)
{
    (void)state;
    static const struct {
        const char *text, *mention;
    } bad[] = {
        {"", "op0"},
        {"   ", "op0"},
        {"op0:3 op1:0 crn:0 crm:7", "op2"},             /* missing key */
        {"op0:3 op1:0 crm:7 op2:4", "crn"},             /* missing key */
        {"op1:0 op0:3 crn:0 crm:7 op2:4", "op0"},       /* wrong order */
        {"op0:4 op1:0 crn:0 crm:0 op2:0", "op0"},       /* out of range */
        {"op0:3 op1:8 crn:0 crm:0 op2:0", "op1"},
        {"op0:3 op1:0 crn:16 crm:0 op2:0", "crn"},
        {"op0:3 op1:0 crn:0 crm:16 op2:0", "crm"},
        {"op0:3 op1:0 crn:0 crm:0 op2:8", "op2"},
        {"op0:3 op1:0 crn:0 crm:0 op2:99999999999999999999999", "op2"},
        {"op0:3 op1:0 crn:0 crm:7 op2:4 x", "x"},       /* trailing junk */
        {"op0:3 op1:0 crn:0 crm:7 op2:4x", "x"},
        {"op0:3 op1:0 crn:0 crm:7 op2:4 op2:5", "op2:5"},
        {"op0:x op1:0 crn:0 crm:7 op2:4", "op0"},       /* not a number */
        {"op0:-1 op1:0 crn:0 crm:7 op2:4", "op0"},
        {"op0: 3 op1:0 crn:0 crm:7 op2:4", "op0"},
        {"op0 3 op1 0 crn 0 crm 7 op2 4", "op0"},
        {"ID_AA64ISAR0_EL1", "op0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        armcpu_error err = {0};
        unsigned e[5];
        int rc = armcpu_encoding_parse(bad[i].text, &e[0], &e[1], &e[2], &e[3],
                                       &e[4], &err);
        CHECK(rc == ARMCPU_ERR_INVALID && err.code == ARMCPU_ERR_INVALID,
              "'%s' accepted", bad[i].text);
        CHECK(contains(err.message, bad[i].mention),
              "message for '%s' does not mention %s: %s", bad[i].text,
              bad[i].mention, err.message);
    }
    armcpu_error err = {0};
    unsigned e[5];
    CHECK(armcpu_encoding_parse(NULL, &e[0], &e[1], &e[2], &e[3], &e[4], &err) ==
              ARMCPU_ERR_INVALID,
          "NULL text");
}

/* ----------------------------------------------------------- parse_u64 */

static void test_parse_u64(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t value;
    } good[] = {
        {"0", 0},
        {"42", 42},
        {"007", 7},
        {"0x2a", 0x2a},
        {"0X2A", 0x2a},
        {"0xDeadBeef", 0xdeadbeef},
        {"0b101010", 42},
        {"0B1", 1},
        {"18446744073709551615", UINT64_MAX},
        {"0xffffffffffffffff", UINT64_MAX},
        {"0x0000000000000000000001", 1},
        {"0b1111111111111111111111111111111111111111111111111111111111111111",
         UINT64_MAX},
        {"0x1011111110212120", 0x1011111110212120ULL},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        armcpu_error err = {0};
        uint64_t v = 12345;
        CHECK(armcpu_parse_u64(good[i].text, "VALUE", &v, &err) == ARMCPU_OK,
              "'%s' rejected: %s", good[i].text, err.message);
        CHECK(v == good[i].value, "'%s' = 0x%llx", good[i].text, U64(v));
    }
    static const char *const bad[] = {
        "",
        "-1",
        "+1",
        "0x",
        "0b",
        "0b2",
        "0x1g",
        "12a",
        "abc",
        " 1",
        "1 ",
        "1.0",
        "1e3",
        "18446744073709551616",
        "99999999999999999999999",
        "0x10000000000000000",
        "0x1ffffffffffffffff",
        "0b11111111111111111111111111111111111111111111111111111111111111111",
        "0x0x1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        armcpu_error err = {0};
        uint64_t v = 12345;
        CHECK(armcpu_parse_u64(bad[i], "HOST_VALUE", &v, &err) ==
                  ARMCPU_ERR_INVALID,
              "'%s' accepted as 0x%llx", bad[i], U64(v));
        CHECK(err.code == ARMCPU_ERR_INVALID && contains(err.message, "HOST_VALUE"),
              "'%s': message does not name the input: %s", bad[i], err.message);
        if (*bad[i])
            CHECK(contains(err.message, bad[i]), "'%s': message: %s", bad[i],
                  err.message);
    }
    uint64_t v;
    CHECK(armcpu_parse_u64(NULL, "x", &v, NULL) == ARMCPU_ERR_INVALID, "NULL");
}

/* ------------------------------------------------------------- lookups */

static void test_lookup_names(void **state)
{
    (void)state;
    const armcpu_reg *isar0 = R("ID_AA64ISAR0_EL1");
    const char *same[] = {"id_aa64isar0_el1", "Id_Aa64Isar0_El1", "ID_AA64ISAR0",
                          "id_aa64isar0"};
    for (size_t i = 0; i < 4; i++)
        CHECK(armcpu_reg_by_name(same[i], NULL) == isar0, "%s", same[i]);
    CHECK(R("ctr") == R("CTR_EL0") && R("dczid") == R("DCZID_EL0") &&
              R("midr") == R("MIDR_EL1"),
          "suffix optional for _EL0 and _EL1");
    CHECK(!strcmp(armcpu_reg_name(R("ctr")), "CTR_EL0"), "canonical name");

    armcpu_error err = {0};
    CHECK(armcpu_reg_by_name("ID_AA64ISAR0_EL2", &err) == NULL &&
              err.code == ARMCPU_ERR_NOT_FOUND,
          "wrong suffix");
    CHECK(contains(err.message, "ID_AA64ISAR0_EL2") &&
              contains(err.message, "did you mean") &&
              contains(err.message, "ID_AA64ISAR0_EL1"),
          "suggestion: %s", err.message);
    /* a substring of a register name is a strong hint */
    memset(&err, 0, sizeof err);
    CHECK(armcpu_reg_by_name("AA64ISAR0", &err) == NULL &&
              contains(err.message, "did you mean") &&
              contains(err.message, "ID_AA64ISAR0_EL1"),
          "substring suggestion: %s", err.message);
    memset(&err, 0, sizeof err);
    CHECK(armcpu_reg_by_name("ID_AA64ISR0", &err) == NULL, "typo");
    CHECK(contains(err.message, "did you mean") &&
              contains(err.message, "ID_AA64ISAR0_EL1"),
          "typo suggestion: %s", err.message);
    const char *unknown[] = {"", "ID_AA64ISAR0_", "ID_AA64ISAR0_EL", "_EL1",
                             "ID_AA64ISAR0_EL1_EL1", "ID_AA64ISAR0_EL1.AES"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        memset(&err, 0, sizeof err);
        CHECK(armcpu_reg_by_name(unknown[i], &err) == NULL &&
                  err.code == ARMCPU_ERR_NOT_FOUND && err.message[0],
              "'%s' found", unknown[i]);
    }
    CHECK(armcpu_reg_by_name(NULL, NULL) == NULL, "NULL name");

    /* fields */
    const armcpu_field *aes = F("ID_AA64ISAR0_EL1.AES");
    CHECK(F("id_aa64isar0.aes") == aes && F("ID_AA64ISAR0.AES") == aes &&
              F("ID_AA64ISAR0_EL1.aes") == aes,
          "REG.FIELD forms");
    CHECK(armcpu_reg_field_by_name(isar0, "Aes", NULL) == aes, "reg_field_by_name");
    CHECK(F("TGRAN4_2") == F("ID_AA64MMFR0_EL1.TGRAN4_2"), "unique bare name");
    CHECK(F("tgran4_2") == F("ID_AA64MMFR0_EL1.TGRAN4_2"), "bare, any case");

    memset(&err, 0, sizeof err);
    CHECK(armcpu_field_lookup("AES", &err) == NULL &&
              err.code == ARMCPU_ERR_INVALID,
          "AES is ambiguous");
    CHECK(contains(err.message, "ambiguous") &&
              contains(err.message, "ID_AA64ISAR0_EL1.AES") &&
              contains(err.message, "ID_ISAR5_EL1.AES") &&
              contains(err.message, "ID_AA64ZFR0_EL1.AES"),
          "owners listed: %s", err.message);

    memset(&err, 0, sizeof err);
    CHECK(armcpu_field_lookup("ID_AA64ISAR0_EL1.AESX", &err) == NULL &&
              err.code == ARMCPU_ERR_NOT_FOUND,
          "unknown field");
    CHECK(contains(err.message, "AESX") && contains(err.message, "did you mean") &&
              contains(err.message, "AES"),
          "field suggestion: %s", err.message);
    memset(&err, 0, sizeof err);
    CHECK(armcpu_field_lookup("TGRAN4_3", &err) == NULL &&
              err.code == ARMCPU_ERR_NOT_FOUND,
          "unknown bare field");
    CHECK(contains(err.message, "TGRAN4_3") && contains(err.message, "did you mean") &&
              contains(err.message, "TGRAN4"),
          "bare suggestion: %s", err.message);
    memset(&err, 0, sizeof err);
    CHECK(armcpu_field_lookup("NOSUCHREG.AES", &err) == NULL &&
              err.code == ARMCPU_ERR_NOT_FOUND &&
              contains(err.message, "NOSUCHREG"),
          "unknown register in REG.FIELD: %s", err.message);
    memset(&err, 0, sizeof err);
    CHECK(armcpu_field_lookup("ID_AA64ISAR0_EL1.", &err) == NULL && err.message[0],
          "empty field part");
    memset(&err, 0, sizeof err);
    CHECK(armcpu_field_lookup("", &err) == NULL && err.code == ARMCPU_ERR_INVALID &&
              err.message[0],
          "empty name");
    CHECK(armcpu_field_lookup(NULL, NULL) == NULL, "NULL name");
    CHECK(armcpu_field_lookup("ID_AA64ISAR0_EL1", NULL) == NULL,
          "a register name is not a field");
    CHECK(armcpu_field_lookup("ID_AA64ISAR0_EL1.AES.X", NULL) == NULL,
          "junk after the field");
    memset(&err, 0, sizeof err);
    CHECK(armcpu_reg_field_by_name(isar0, "SHA9", &err) == NULL &&
              err.code == ARMCPU_ERR_NOT_FOUND &&
              contains(err.message, "ID_AA64ISAR0_EL1") &&
              contains(err.message, "SHA9"),
          "reg_field_by_name message: %s", err.message);
}

/* ---------------------------------------- decoding real register values */

struct expect_field {
    const char *field;
    uint64_t value;
    const char *value_name; /* NULL: the value has no name */
};

static void check_decode(const char *reg, uint64_t value,
                         const struct expect_field *want, size_t n)
{
    const armcpu_reg *r = R(reg);
    CHECK(armcpu_reg_field_count(r) == n, "%s: %zu fields, expected %zu", reg,
          armcpu_reg_field_count(r), n);
    uint64_t rebuilt = 0;
    armcpu_error err = {0};
    for (size_t i = 0; i < n; i++) {
        const armcpu_field *f = armcpu_reg_field_by_name(r, want[i].field, &err);
        CHECK(f != NULL, "%s.%s: %s", reg, want[i].field, err.message);
        uint64_t v = armcpu_field_get(f, value);
        CHECK(v == want[i].value, "%s.%s = 0x%llx, want 0x%llx", reg,
              want[i].field, U64(v), U64(want[i].value));
        const char *vn = armcpu_field_value_name(f, v);
        CHECK(want[i].value_name ? (vn && !strcmp(vn, want[i].value_name))
                                 : vn == NULL,
              "%s.%s value name %s, want %s", reg, want[i].field,
              vn ? vn : "NULL", want[i].value_name ? want[i].value_name : "NULL");
        CHECK(armcpu_field_set(f, &rebuilt, v, &err) == 0, "rebuild");
    }
    rebuilt |= armcpu_reg_res1_mask(r);
    CHECK(rebuilt == value, "%s: fields + res1 give 0x%016llx, value 0x%016llx",
          reg, U64(rebuilt), U64(value));
}

/* AWS Graviton3 (Neoverse V1) guest view, measured-hosts/graviton3-kvm-6.1.txt.
 * Expected values worked out nibble by nibble from the sysreg layout. */
static void test_decode_graviton3(void **state)
{
    (void)state;
    /* 0x1011111110212120: nibbles 63..0 = 1 0 1 1 1 1 1 1 1 0 2 1 2 1 2 0 */
    static const struct expect_field isar0[] = {
        {"RNDR", 1, "IMP"},   {"TLB", 0, "NI"},    {"TS", 1, "FLAGM"},
        {"FHM", 1, "IMP"},    {"DP", 1, "IMP"},    {"SM4", 1, "IMP"},
        {"SM3", 1, "IMP"},    {"SHA3", 1, "IMP"},  {"RDM", 1, "IMP"},
        {"TME", 0, "NI"},     {"ATOMIC", 2, "IMP"}, {"CRC32", 1, "IMP"},
        {"SHA2", 2, "SHA512"}, {"SHA1", 1, "IMP"}, {"AES", 2, "PMULL"},
    };
    check_decode("ID_AA64ISAR0_EL1", 0x1011111110212120ULL, isar0,
                 sizeof isar0 / sizeof isar0[0]);
    /* 0x0000000000101125: PARange 5 (48 bits), ASIDBits 2 (16), BigEnd 1,
     * SNSMem 1, TGran16 1, TGran64/TGran4 0 (implemented), TGRAN*_2 0. */
    static const struct expect_field mmfr0[] = {
        {"ECV", 0, "NI"},       {"FGT", 0, "NI"},        {"EXS", 0, "NI"},
        {"TGRAN4_2", 0, "TGRAN4"}, {"TGRAN64_2", 0, "TGRAN64"},
        {"TGRAN16_2", 0, "TGRAN16"}, {"TGRAN4", 0, "IMP"}, {"TGRAN64", 0, "IMP"},
        {"TGRAN16", 1, "IMP"},  {"BIGENDEL0", 0, "NI"}, {"SNSMEM", 1, "IMP"},
        {"BIGEND", 1, "IMP"},   {"ASIDBITS", 2, "16"},  {"PARANGE", 5, "48"},
    };
    check_decode("ID_AA64MMFR0_EL1", 0x0000000000101125ULL, mmfr0,
                 sizeof mmfr0 / sizeof mmfr0[0]);
    /* 0xb444c004: RES1 bit 31, DIC 1, IDC 1, CWG 4, ERG 4, DminLine 4,
     * L1Ip 3 (PIPT), IminLine 4. */
    static const struct expect_field ctr[] = {
        {"TminLine", 0, NULL}, {"DIC", 1, NULL},      {"IDC", 1, NULL},
        {"CWG", 4, NULL},      {"ERG", 4, NULL},      {"DminLine", 4, NULL},
        {"L1Ip", 3, "PIPT"},   {"IminLine", 4, NULL},
    };
    check_decode("CTR_EL0", 0xb444c004ULL, ctr, sizeof ctr / sizeof ctr[0]);
    /* 0x411fd401: Arm (0x41), r1p1, Neoverse V1 (0xd40). */
    static const struct expect_field midr[] = {
        {"Implementer", 0x41, NULL}, {"Variant", 1, NULL},
        {"Architecture", 0xf, NULL}, {"PartNum", 0xd40, NULL},
        {"Revision", 1, NULL},
    };
    check_decode("MIDR_EL1", 0x411fd401ULL, midr, sizeof midr / sizeof midr[0]);
    /* 0x1101010021111112 */
    const armcpu_reg *pfr0 = R("ID_AA64PFR0_EL1");
    uint64_t v = 0x1101010021111112ULL;
    (void)pfr0;
    CHECK(armcpu_field_get_signed(F("ID_AA64PFR0_EL1.FP"), v) == 1 &&
              armcpu_field_get_signed(F("ID_AA64PFR0_EL1.AdvSIMD"), v) == 1,
          "FP16");
    CHECK(armcpu_field_get(F("ID_AA64PFR0_EL1.EL0"), v) == 2 &&
              armcpu_field_get(F("ID_AA64PFR0_EL1.SVE"), v) == 0 &&
              armcpu_field_get(F("ID_AA64PFR0_EL1.RAS"), v) == 2 &&
              armcpu_field_get(F("ID_AA64PFR0_EL1.CSV3"), v) == 1,
          "PFR0 fields");
    /* 0x000000f010305006: DoubleLock 0xf (-1, NI), CTX_CMPs 1, WRPs 3,
     * BRPs 5, PMUVer 0 (no PMU in the guest), DebugVer 6 (IMP). */
    v = 0x000000f010305006ULL;
    const armcpu_field *dl = F("ID_AA64DFR0_EL1.DoubleLock");
    CHECK(armcpu_field_get_signed(dl, v) == -1 &&
              !strcmp(armcpu_field_value_name(dl, armcpu_field_get(dl, v)), "NI"),
          "DoubleLock NI");
    CHECK(armcpu_field_get(F("ID_AA64DFR0_EL1.WRPs"), v) == 3 &&
              armcpu_field_get(F("ID_AA64DFR0_EL1.BRPs"), v) == 5 &&
              armcpu_field_get(F("ID_AA64DFR0_EL1.CTX_CMPs"), v) == 1 &&
              armcpu_field_get(F("ID_AA64DFR0_EL1.DebugVer"), v) == 6,
          "DFR0 fields");
    /* Safe-rule questions on this host: hiding PMULL keeps AES; SHA512 may
     * drop to SHA256; a 52-bit PA range is more than the host has. */
    CHECK(safe(F("ID_AA64ISAR0_EL1.AES"), 1, 2) &&
              safe(F("ID_AA64ISAR0_EL1.SHA2"), 1, 2) &&
              !safe(F("ID_AA64MMFR0_EL1.PARANGE"), 6, 5),
          "Graviton3 questions");
}

/* A host value wider than the field is bad input, never "safe". */
static void test_safe_host_too_wide(void **state)
{
    (void)state;
    const armcpu_field *aes = armcpu_field_lookup("ID_AA64ISAR0_EL1.AES", NULL);
    char reason[128];
    assert_non_null(aes);
    assert_false(armcpu_field_is_safe(aes, 0, 0x10, reason, sizeof reason));
    assert_non_null(strstr(reason, "host value 0x10 does not fit"));
    assert_true(armcpu_field_is_safe(aes, 0, 0x1, reason, sizeof reason));
}

/* ------------------------------------------------------- the judgement */

static armcpu_reg_view present(uint64_t value, uint64_t writable, unsigned kernel)
{
    armcpu_reg_view v = {ARMCPU_REG_PRESENT, value, writable, 0, kernel,
                         ARMCPU_REG_UNKNOWN, 0, 0};
    return v;
}

static void test_kernel_key(void **state)
{
    (void)state;
    assert_int_equal(armcpu_kernel_key("6.12.117+deb13-arm64"), 6012);
    assert_int_equal(armcpu_kernel_key("6.1.0-50-arm64"), 6001);
    assert_int_equal(armcpu_kernel_key("7.3"), 7003);
    assert_int_equal(armcpu_kernel_key("6.1.172-216.329.amzn2023.aarch64"), 6001);
    assert_int_equal(armcpu_kernel_key("unknown"), 0);
    assert_int_equal(armcpu_kernel_key("0-unknown"), 0);
    assert_int_equal(armcpu_kernel_key("6"), 0);
    assert_int_equal(armcpu_kernel_key("6.1234"), 0);
    assert_int_equal(armcpu_kernel_key(NULL), 0);
}

/* Bits a derived view cannot know: every field touching them is unknown,
 * even where the spec equals the placeholder value; others are judged. */
static void test_judge_unknown_bits(void **state)
{
    (void)state;
    char why[320];
    const armcpu_field *aes = F("ID_AA64ISAR0_EL1.AES"), *sha1 = F("ID_AA64ISAR0_EL1.SHA1");
    armcpu_reg_view v = present(0x100, ~0ULL, 6012);
    v.unknown = armcpu_field_mask(aes);
    assert_int_equal(armcpu_judge(aes, 0x100, 0, &v, why, sizeof why), ARMCPU_VERDICT_UNKNOWN);
    CHECK(contains(why, "cannot be known"), "reason: %s", why);
    assert_int_equal(armcpu_judge(aes, 0x120, 0, &v, why, sizeof why), ARMCPU_VERDICT_UNKNOWN);
    assert_int_equal(armcpu_judge(sha1, 0x100, 0, &v, why, sizeof why), ARMCPU_VERDICT_SAME);
    assert_int_equal(armcpu_judge(sha1, 0x000, 0, &v, why, sizeof why), ARMCPU_VERDICT_SETTABLE);
    CHECK(!armcpu_view_knows(&v, aes) && armcpu_view_knows(&v, sha1), "view_knows");
    /* one unknown bit is enough */
    v.unknown = 1ULL << 5;
    assert_int_equal(armcpu_judge(aes, 0x100, 0, &v, NULL, 0), ARMCPU_VERDICT_UNKNOWN);
    v.unknown = 0;
    CHECK(armcpu_view_knows(&v, aes), "no unknown bits");
}

/* CTR_EL0.TminLine (extra file `Untrapped`): a guest reads the CPU's own
 * where KVM does not trap CTR_EL0 - never before 6.3, always in 6.3-6.4,
 * from 6.5 on only without FEAT_EVT (ID_AA64MMFR2_EL1.EVT) or, from 6.11,
 * when the VM's CTR_EL0 differs from the host's. */
static void test_judge_untrapped(void **state)
{
    (void)state;
    const armcpu_field *tmin = F("CTR_EL0.TminLine"), *dic = F("CTR_EL0.DIC");
    const armcpu_field *evt = F("ID_AA64MMFR2_EL1.EVT");
    uint64_t ctr = 0x8444c004ULL, mmfr2 = 0;
    assert_int_equal(armcpu_field_set(evt, &mmfr2, 2, NULL), 0);
    armcpu_reg_view v = present(ctr, armcpu_field_mask(dic), 6012);
    v.rule_host_state = ARMCPU_REG_PRESENT;
    v.rule_host_value = mmfr2;
    char why[320];
    assert_int_equal(armcpu_judge(tmin, ctr, 0, &v, why, sizeof why), ARMCPU_VERDICT_HOST_GIVEN);
    CHECK(contains(why, "does not trap"), "reason: %s", why);
    /* the spec changes a writable bit: KVM 6.11+ traps, the guest reads it */
    uint64_t other = ctr;
    assert_int_equal(armcpu_field_set(dic, &other, 1, NULL), 0);
    assert_int_equal(armcpu_judge(tmin, other, 0, &v, NULL, 0), ARMCPU_VERDICT_SAME);
    v.kernel = 6010; /* 6.5-6.10: FEAT_EVT alone decides */
    assert_int_equal(armcpu_judge(tmin, other, 0, &v, NULL, 0), ARMCPU_VERDICT_HOST_GIVEN);
    v.kernel = 6004; /* always trapped */
    assert_int_equal(armcpu_judge(tmin, ctr, 0, &v, NULL, 0), ARMCPU_VERDICT_SAME);
    v.kernel = 6002; /* never trapped */
    assert_int_equal(armcpu_judge(tmin, ctr, 0, &v, NULL, 0), ARMCPU_VERDICT_HOST_GIVEN);
    v.kernel = 6012; /* no FEAT_EVT: trapped */
    v.rule_host_value = 0;
    assert_int_equal(armcpu_judge(tmin, ctr, 0, &v, NULL, 0), ARMCPU_VERDICT_SAME);
    v.rule_host_state = ARMCPU_REG_UNKNOWN; /* may not trap */
    assert_int_equal(armcpu_judge(tmin, ctr, 0, &v, NULL, 0), ARMCPU_VERDICT_HOST_GIVEN);
    /* only TminLine reads the CPU: the other fields are judged as always */
    v.rule_host_state = ARMCPU_REG_PRESENT;
    v.rule_host_value = mmfr2;
    assert_int_equal(armcpu_judge(dic, ctr, 0, &v, NULL, 0), ARMCPU_VERDICT_SAME);
}

/* Every verdict from armcpu_judge, each from the rule the table declares. */
static void test_judge_verdicts(void **state)
{
    (void)state;
    char why[320];
    const armcpu_field *aes = F("ID_AA64ISAR0_EL1.AES");
    uint64_t m = armcpu_field_mask(aes);
    /* same, settable (lower, writable), over-promise (higher, writable),
     * not-writable (differs, mask 0) */
    armcpu_reg_view v = present(0x10, m, 6012);
    assert_int_equal(armcpu_judge(aes, 0x10, 0, &v, why, sizeof why), ARMCPU_VERDICT_SAME);
    assert_int_equal(armcpu_judge(aes, 0x00, 0, &v, why, sizeof why), ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(armcpu_judge(aes, 0x20, 0, &v, why, sizeof why),
                     ARMCPU_VERDICT_OVERPROMISE);
    assert_non_null(strstr(why, "above the host's"));
    v.writable = 0;
    assert_int_equal(armcpu_judge(aes, 0x00, 0, &v, why, sizeof why),
                     ARMCPU_VERDICT_NOT_WRITABLE);
    /* unknown: no value, or KVM does not expose the register and the spec
     * gives the field a value */
    v.state = ARMCPU_REG_UNKNOWN;
    assert_int_equal(armcpu_judge(aes, 0x00, 0, &v, why, sizeof why), ARMCPU_VERDICT_UNKNOWN);
    const armcpu_field *bs = F("DCZID_EL0.BS");
    armcpu_reg_view absent = {ARMCPU_REG_ABSENT, 0, 0, 0, 6012, ARMCPU_REG_UNKNOWN, 0, 0};
    assert_int_equal(armcpu_judge(bs, 0x4, 0, &absent, why, sizeof why), ARMCPU_VERDICT_UNKNOWN);
    assert_int_equal(armcpu_judge(bs, 0x0, 0, &absent, why, sizeof why), ARMCPU_VERDICT_SAME);
    /* unchecked: the vCPU feature was off in the measurement */
    const armcpu_field *sve = F("ID_AA64PFR0_EL1.SVE");
    armcpu_reg_view pv = present(0, ~0ULL, 6012);
    pv.features_off = ARMCPU_VCPU_SVE;
    assert_int_equal(armcpu_judge(sve, 1ULL << 32, 0, &pv, why, sizeof why),
                     ARMCPU_VERDICT_UNCHECKED);
    pv.features_off = ARMCPU_VCPU_PMU;
    assert_int_equal(armcpu_judge(sve, 1ULL << 32, 0, &pv, why, sizeof why),
                     ARMCPU_VERDICT_OVERPROMISE);
    /* identity: settable where writable, else the host's */
    const armcpu_field *pn = F("MIDR_EL1.PartNum");
    armcpu_reg_view mv = present(0x410fd0c0, 0, 6012);
    assert_int_equal(armcpu_judge(pn, 0x410fd400, 0, &mv, why, sizeof why),
                     ARMCPU_VERDICT_IDENTITY);
    mv.writable = 0xffffffff;
    assert_int_equal(armcpu_judge(pn, 0x410fd400, 0, &mv, why, sizeof why),
                     ARMCPU_VERDICT_SETTABLE);
    /* host-given: AArch32 registers of a spec without AArch32; geometry the
     * spec does not set */
    const armcpu_field *div = F("ID_ISAR0_EL1.Divide");
    armcpu_reg_view av = present(0x01000000, 0, 6012);
    assert_int_equal(armcpu_judge(div, 0x02000000, 0, &av, why, sizeof why),
                     ARMCPU_VERDICT_HOST_GIVEN);
    assert_int_equal(armcpu_judge(div, 0x02000000, ARMCPU_JUDGE_AARCH32, &av, why, sizeof why),
                     ARMCPU_VERDICT_NOT_WRITABLE);
    const armcpu_field *ctype1 = F("CLIDR_EL1.Ctype1");
    armcpu_reg_view cv = present(0x1, 0, 6012);
    assert_int_equal(armcpu_judge(ctype1, 0x3, 0, &cv, why, sizeof why),
                     ARMCPU_VERDICT_HOST_GIVEN);
    assert_int_equal(armcpu_judge(ctype1, 0x3, ARMCPU_JUDGE_SETS, &cv, why, sizeof why),
                     ARMCPU_VERDICT_NOT_WRITABLE);
}

/* A field cpufeature.c does not describe (HOST_ONLY) never takes another
 * value, lower or higher, mask or not: arm64_check_features compares every
 * bit outside its tables with the limit. */
static void test_judge_host_only(void **state)
{
    (void)state;
    char why[320];
    const armcpu_field *f = NULL;
    for (size_t r = 0; r < armcpu_reg_count() && !f; r++) {
        const armcpu_reg *reg = armcpu_reg_at(r);
        for (size_t i = 0; i < armcpu_reg_field_count(reg) && !f; i++) {
            const armcpu_field *c = armcpu_reg_field_at(reg, i);
            if (armcpu_field_policy(c) == ARMCPU_POLICY_HOST_ONLY &&
                !armcpu_reg_is_identity(reg) && !armcpu_reg_is_aarch32(reg) &&
                armcpu_field_width(c) == 4 && reg != armcpu_reg_by_name("CLIDR_EL1", NULL))
                f = c;
        }
    }
    assert_non_null(f);
    uint64_t m = armcpu_field_mask(f), one = 1ULL << armcpu_field_lsb(f);
    armcpu_reg_view v = present(2 * one, m, 6012);
    unsigned flags = ARMCPU_JUDGE_SETS | ARMCPU_JUDGE_AARCH32;
    assert_int_equal(armcpu_judge(f, one, flags, &v, why, sizeof why),
                     ARMCPU_VERDICT_NOT_WRITABLE);
    assert_non_null(strstr(why, "cpufeature.c has no rule"));
    assert_int_equal(armcpu_judge(f, 3 * one, flags, &v, why, sizeof why),
                     ARMCPU_VERDICT_NOT_WRITABLE);
    assert_int_equal(armcpu_judge(f, 2 * one, flags, &v, why, sizeof why), ARMCPU_VERDICT_SAME);
}

/* The table's KVM columns: policies per kernel, write rules, any-value. */
static void test_judge_kvm_columns(void **state)
{
    (void)state;
    char why[320];
    /* PMUVer: EXACT in cpufeature.c, LOWER for KVM from 6.7 */
    const armcpu_field *pmu = F("ID_AA64DFR0_EL1.PMUVer");
    uint64_t dfr0 = 0x0000000000000006 | (0x6ULL << 8); /* DebugVer 6, PMUVer 6 */
    armcpu_reg_view v = present(dfr0, ~0ULL, 6012);
    uint64_t lower = (dfr0 & ~(0xfULL << 8)) | (0x4ULL << 8);
    assert_int_equal(armcpu_field_policy_for(pmu, 6012), ARMCPU_POLICY_LOWER);
    assert_int_equal(armcpu_field_policy_for(pmu, 6001), ARMCPU_POLICY_EXACT);
    assert_int_equal(armcpu_field_policy_for(pmu, 0), ARMCPU_POLICY_LOWER);
    assert_int_equal(armcpu_judge(pmu, lower, 0, &v, why, sizeof why), ARMCPU_VERDICT_SETTABLE);
    v.kernel = 6006; /* a kernel before the override (had it a mask) */
    assert_int_equal(armcpu_judge(pmu, lower, 0, &v, why, sizeof why),
                     ARMCPU_VERDICT_OVERPROMISE);
    /* PMUVer 0xf (IMPDEF) is rewritten to 0 by set_id_aa64dfr0_el1 */
    v.kernel = 6012;
    uint64_t impdef = (dfr0 & ~(0xfULL << 8)) | (0xfULL << 8);
    v.value = impdef;
    assert_int_equal(armcpu_judge(pmu, impdef | (1ULL << 12), 0, &v, why, sizeof why),
                     ARMCPU_VERDICT_REFUSED);
    assert_non_null(strstr(why, "rewrites PMUVer 0xf"));
    /* DebugVer below Armv8: refused in any write, even when it equals the
     * host's and another field is what changes */
    const armcpu_field *dv = F("ID_AA64DFR0_EL1.DebugVer");
    v.value = 0x5 | (0x6ULL << 8);
    assert_int_equal(armcpu_judge(dv, 0x5 | (0x4ULL << 8), 0, &v, why, sizeof why),
                     ARMCPU_VERDICT_REFUSED);
    assert_non_null(strstr(why, "set_id_aa64dfr0_el1"));
    assert_int_equal(armcpu_judge(dv, 0x5 | (0x6ULL << 8), 0, &v, why, sizeof why),
                     ARMCPU_VERDICT_SAME); /* nothing written */
    /* PerfMon: 1..2 refused, 0xf rewritten; 0 and PMUv3 accepted */
    const armcpu_field *pm = F("ID_DFR0_EL1.PerfMon");
    uint64_t pl = armcpu_field_lsb(pm);
    armcpu_reg_view d = present(0x6 | (0x4ULL << pl), 0xffffffff, 6012);
    unsigned a32 = ARMCPU_JUDGE_AARCH32;
    assert_int_equal(armcpu_judge(pm, 0x6 | (0x1ULL << pl), a32, &d, why, sizeof why),
                     ARMCPU_VERDICT_REFUSED);
    assert_int_equal(armcpu_judge(pm, 0x6 | (0xfULL << pl), a32, &d, why, sizeof why),
                     ARMCPU_VERDICT_REFUSED);
    assert_int_equal(armcpu_judge(pm, 0x6 | (0x3ULL << pl), a32, &d, why, sizeof why),
                     ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(armcpu_judge(pm, 0x6, a32, &d, why, sizeof why), ARMCPU_VERDICT_SETTABLE);
    /* CLIDR_EL1: any value where writable (set_clidr), except LoC 0, or
     * LoUIS and LoUU 0, where the host's CTR_EL0.IDC is 0 */
    const armcpu_field *loc = F("CLIDR_EL1.LoC"), *louu = F("CLIDR_EL1.LoUU");
    assert_ptr_equal(armcpu_reg_rule_host(armcpu_reg_by_name("CLIDR_EL1", NULL)),
                     armcpu_reg_by_name("CTR_EL0", NULL));
    uint64_t clidr = 0x0000000009200003ULL; /* a72: LoUU 1, LoC 2, LoUIS 1 */
    armcpu_reg_view c = present(clidr, 0x00007fffffffffffULL, 6012);
    c.rule_host_state = ARMCPU_REG_PRESENT;
    c.rule_host_value = 0x8444c004; /* IDC 0 */
    unsigned sets = ARMCPU_JUDGE_SETS;
    uint64_t loc0 = clidr & ~(7ULL << 24);
    assert_int_equal(armcpu_judge(loc, loc0, sets, &c, why, sizeof why), ARMCPU_VERDICT_REFUSED);
    assert_non_null(strstr(why, "CTR_EL0.IDC is 0"));
    uint64_t lou0 = clidr & ~(7ULL << 27) & ~(7ULL << 21);
    assert_int_equal(armcpu_judge(louu, lou0, sets, &c, why, sizeof why),
                     ARMCPU_VERDICT_REFUSED);
    uint64_t louu0 = clidr & ~(7ULL << 27); /* LoUIS still 1 */
    assert_int_equal(armcpu_judge(louu, louu0, sets, &c, why, sizeof why),
                     ARMCPU_VERDICT_SETTABLE);
    assert_int_equal(armcpu_judge(F("CLIDR_EL1.Ctype3"), clidr | (4ULL << 6), sets, &c, why,
                                  sizeof why),
                     ARMCPU_VERDICT_SETTABLE); /* any value: no safe rule */
    c.rule_host_value = 0x9444c004; /* IDC 1 */
    assert_int_equal(armcpu_judge(loc, loc0, sets, &c, why, sizeof why), ARMCPU_VERDICT_SETTABLE);
    c.rule_host_state = ARMCPU_REG_UNKNOWN;
    assert_int_equal(armcpu_judge(loc, loc0, sets, &c, why, sizeof why), ARMCPU_VERDICT_UNKNOWN);
    /* verdict classes */
    assert_true(armcpu_verdict_blocks(ARMCPU_VERDICT_REFUSED));
    assert_false(armcpu_verdict_blocks(ARMCPU_VERDICT_UNKNOWN));
    assert_true(armcpu_verdict_unknown(ARMCPU_VERDICT_UNKNOWN));
    assert_true(armcpu_verdict_unknown(ARMCPU_VERDICT_UNCHECKED));
    assert_false(armcpu_verdict_unknown(ARMCPU_VERDICT_IDENTITY));
    assert_string_equal(armcpu_verdict_name(ARMCPU_VERDICT_UNKNOWN), "unknown");
}

/* Bits outside every field must equal the host's. */
static void test_judge_outside(void **state)
{
    (void)state;
    char why[320];
    const armcpu_reg *r = armcpu_reg_by_name("ID_AA64ISAR0_EL1", NULL);
    uint64_t outside = ~armcpu_reg_res1_mask(r);
    for (size_t i = 0; i < armcpu_reg_field_count(r); i++)
        outside &= ~armcpu_field_mask(armcpu_reg_field_at(r, i));
    assert_true(outside != 0);
    uint64_t bit = outside & -outside;
    armcpu_reg_view v = present(bit, ~0ULL, 6012);
    assert_int_equal(armcpu_judge_outside(r, 0, 0, &v, why, sizeof why),
                     ARMCPU_VERDICT_NOT_WRITABLE);
    assert_int_equal(armcpu_judge_outside(r, bit, 0, &v, why, sizeof why), ARMCPU_VERDICT_SAME);
    v.state = ARMCPU_REG_UNKNOWN;
    assert_int_equal(armcpu_judge_outside(r, 0, 0, &v, why, sizeof why), ARMCPU_VERDICT_SAME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_registers),
        cmocka_unit_test(test_table_field_layout),
        cmocka_unit_test(test_table_values_and_defaults),
        cmocka_unit_test(test_table_matches_sysreg),
        cmocka_unit_test(test_table_matches_cpufeature),
        cmocka_unit_test(test_lookup_every_register),
        cmocka_unit_test(test_fact_isar0_aes),
        cmocka_unit_test(test_fact_mmfr0_tgran),
        cmocka_unit_test(test_fact_ctr_el0),
        cmocka_unit_test(test_fact_pfr0_fp),
        cmocka_unit_test(test_fact_host_only),
        cmocka_unit_test(test_fact_midr_revidr_aidr),
        cmocka_unit_test(test_safe_lower_unsigned),
        cmocka_unit_test(test_safe_lower_signed),
        cmocka_unit_test(test_safe_higher),
        cmocka_unit_test(test_safe_higher_or_zero),
        cmocka_unit_test(test_safe_exact),
        cmocka_unit_test(test_safe_host_only),
        cmocka_unit_test(test_safe_kvm_overrides),
        cmocka_unit_test(test_safe_every_field),
        cmocka_unit_test(test_safe_values_match_rule),
        cmocka_unit_test(test_safe_ranges),
        cmocka_unit_test(test_field_get_set),
        cmocka_unit_test(test_kvm_id_roundtrip),
        cmocka_unit_test(test_kvm_id_known),
        cmocka_unit_test(test_kvm_id_encode_rejects),
        cmocka_unit_test(test_kvm_id_decode_rejects),
        cmocka_unit_test(test_encoding_text),
        cmocka_unit_test(test_encoding_text_rejects),
        cmocka_unit_test(test_parse_u64),
        cmocka_unit_test(test_lookup_names),
        cmocka_unit_test(test_decode_graviton3),
        cmocka_unit_test(test_safe_host_too_wide),
        cmocka_unit_test(test_kernel_key),
        cmocka_unit_test(test_judge_verdicts),
        cmocka_unit_test(test_judge_host_only),
        cmocka_unit_test(test_judge_kvm_columns),
        cmocka_unit_test(test_judge_outside),
        cmocka_unit_test(test_judge_unknown_bits),
        cmocka_unit_test(test_judge_untrapped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
