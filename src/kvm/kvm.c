/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The KVM ioctls of include/armcpu/kvm.h: probe, scratch VM, the ID-register
 * guest, raw ONE_REG access, and the real register backend of apply.c.
 *
 * The uapi constants and structures are defined here (x86 headers lack the
 * arm64 ones; Debian 12's arm64 headers are Linux 6.1 and lack the 6.7+
 * ones). The ioctl encoding is the generic one, the same on x86 and arm64,
 * so the code compiles everywhere; only on arm64 Linux does it open
 * /dev/kvm (ARMCPU_KVM_NATIVE). An arm64 build with the kernel headers
 * checks every constant against them.
 */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "kvm_internal.h"
#include "../core/ctx.h"
#include "../util/util.h"

#if defined(__aarch64__) && defined(__linux__)
#define ARMCPU_KVM_NATIVE 1
#else
#define ARMCPU_KVM_NATIVE 0
#endif

/* ---- uapi: include/uapi/linux/kvm.h, arch/arm64/include/uapi/asm/kvm.h ---- */
#define AKVMIO 0xAE
struct akvm_one_reg {
    uint64_t id;
    uint64_t addr;
};
struct akvm_vcpu_init {
    uint32_t target;
    uint32_t features[7];
};
struct akvm_create_device {
    uint32_t type;
    uint32_t fd;
    uint32_t flags;
};
struct akvm_device_attr {
    uint32_t flags;
    uint32_t group;
    uint64_t attr;
    uint64_t addr;
};
struct akvm_userspace_memory_region {
    uint32_t slot;
    uint32_t flags;
    uint64_t guest_phys_addr;
    uint64_t memory_size;
    uint64_t userspace_addr;
};
struct akvm_reg_list {
    uint64_t n;
    uint64_t reg[];
};
struct akvm_enable_cap {
    uint32_t cap;
    uint32_t flags;
    uint64_t args[4];
    uint8_t pad[64];
};
struct akvm_reg_mask_range { /* Linux 6.7 */
    uint64_t addr;
    uint32_t range;
    uint32_t reserved[13];
};
/* struct kvm_run: the fields the ID-register guest needs */
struct akvm_run_head {
    uint8_t request_interrupt_window, immediate_exit, padding1[6];
    uint32_t exit_reason;
    uint8_t ready_for_interrupt_injection, if_flag;
    uint16_t flags;
    uint64_t cr8, apic_base;
    struct {
        uint64_t phys_addr;
        uint8_t data[8];
        uint32_t len;
        uint8_t is_write;
    } mmio; /* offset 32: the exit union */
};

#define AKVM_GET_API_VERSION _IO(AKVMIO, 0x00)
#define AKVM_CREATE_VM _IO(AKVMIO, 0x01)
#define AKVM_CHECK_EXTENSION _IO(AKVMIO, 0x03)
#define AKVM_GET_VCPU_MMAP_SIZE _IO(AKVMIO, 0x04)
#define AKVM_CREATE_VCPU _IO(AKVMIO, 0x41)
#define AKVM_SET_USER_MEMORY_REGION _IOW(AKVMIO, 0x46, struct akvm_userspace_memory_region)
#define AKVM_RUN _IO(AKVMIO, 0x80)
#define AKVM_ENABLE_CAP _IOW(AKVMIO, 0xa3, struct akvm_enable_cap)
#define AKVM_GET_ONE_REG _IOW(AKVMIO, 0xab, struct akvm_one_reg)
#define AKVM_SET_ONE_REG _IOW(AKVMIO, 0xac, struct akvm_one_reg)
#define AKVM_ARM_VCPU_INIT _IOW(AKVMIO, 0xae, struct akvm_vcpu_init)
#define AKVM_ARM_PREFERRED_TARGET _IOR(AKVMIO, 0xaf, struct akvm_vcpu_init)
#define AKVM_GET_REG_LIST _IOWR(AKVMIO, 0xb0, struct akvm_reg_list)
#define AKVM_ARM_GET_REG_WRITABLE_MASKS _IOR(AKVMIO, 0xb6, struct akvm_reg_mask_range)
#define AKVM_ARM_VCPU_FINALIZE _IOW(AKVMIO, 0xc2, int)
#define AKVM_CREATE_DEVICE _IOWR(AKVMIO, 0xe0, struct akvm_create_device)
#define AKVM_SET_DEVICE_ATTR _IOW(AKVMIO, 0xe1, struct akvm_device_attr)

#define AKVM_CAP_ARM_PSCI_0_2 102
#define AKVM_CAP_ARM_PMU_V3 126
#define AKVM_CAP_ARM_SVE 170
#define AKVM_CAP_ARM_PTRAUTH_ADDRESS 171
#define AKVM_CAP_ARM_PTRAUTH_GENERIC 172
#define AKVM_CAP_ARM_VM_IPA_SIZE 165
#define AKVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES 230 /* Linux 6.7 */
#define AKVM_CAP_ARM_WRITABLE_IMP_ID_REGS 239      /* Linux 6.15 */
#define AKVM_ARM_FEATURE_ID_RANGE 0

#define AKVM_ARM_VCPU_PSCI_0_2 2
#define AKVM_ARM_VCPU_PMU_V3 3
#define AKVM_ARM_VCPU_SVE 4
#define AKVM_ARM_VCPU_PTRAUTH_ADDRESS 5
#define AKVM_ARM_VCPU_PTRAUTH_GENERIC 6

#define AKVM_DEV_TYPE_ARM_VGIC_V3 7
#define AKVM_DEV_ARM_VGIC_GRP_ADDR 0
#define AKVM_DEV_ARM_VGIC_GRP_CTRL 4
#define AKVM_DEV_ARM_VGIC_CTRL_INIT 0
#define AKVM_VGIC_V3_ADDR_TYPE_DIST 2
#define AKVM_VGIC_V3_ADDR_TYPE_REDIST 3
#define AKVM_ARM_VCPU_PMU_V3_CTRL 0
#define AKVM_ARM_VCPU_PMU_V3_IRQ 0
#define AKVM_ARM_VCPU_PMU_V3_INIT 1

#define AKVM_EXIT_MMIO 6
#define AKVM_EXIT_FAIL_ENTRY 9
#define AKVM_EXIT_INTERNAL_ERROR 17
#define AKVM_EXIT_SYSTEM_EVENT 24

#define AKVM_REG_ARM_COPROC_MASK 0x000000000FFF0000ULL
#define AKVM_REG_ARM_CORE (0x0010ULL << 16)
#define AKVM_REG_ARM_DEMUX (0x0011ULL << 16)
#define AKVM_REG_ARM64_SYSREG (0x0013ULL << 16)
#define AKVM_REG_ARM_FW (0x0014ULL << 16)
#define AKVM_REG_ARM64_SVE (0x0015ULL << 16)
#define AKVM_REG_ARM_FW_FEAT_BMAP (0x0016ULL << 16)
/* core registers: offset in struct kvm_regs / 4 */
#define CORE_X(n) (ARMCPU_KVM_REG_ARM64 | ARMCPU_KVM_REG_SIZE_U64 | AKVM_REG_ARM_CORE | (uint64_t)(2 * (n)))
#define CORE_PC CORE_X(32)

#if ARMCPU_KVM_NATIVE && defined(__has_include)
#if __has_include(<linux/kvm.h>)
#include <linux/kvm.h>
/* Checks the definitions above against the build's kernel headers. */
_Static_assert(AKVM_GET_ONE_REG == KVM_GET_ONE_REG, "KVM_GET_ONE_REG");
_Static_assert(AKVM_SET_ONE_REG == KVM_SET_ONE_REG, "KVM_SET_ONE_REG");
_Static_assert(AKVM_ARM_VCPU_INIT == KVM_ARM_VCPU_INIT, "KVM_ARM_VCPU_INIT");
_Static_assert(AKVM_ARM_PREFERRED_TARGET == KVM_ARM_PREFERRED_TARGET, "PREFERRED_TARGET");
_Static_assert(AKVM_GET_REG_LIST == KVM_GET_REG_LIST, "KVM_GET_REG_LIST");
_Static_assert(AKVM_ARM_VCPU_FINALIZE == KVM_ARM_VCPU_FINALIZE, "KVM_ARM_VCPU_FINALIZE");
_Static_assert(AKVM_CREATE_DEVICE == KVM_CREATE_DEVICE, "KVM_CREATE_DEVICE");
_Static_assert(AKVM_SET_DEVICE_ATTR == KVM_SET_DEVICE_ATTR, "KVM_SET_DEVICE_ATTR");
_Static_assert(AKVM_SET_USER_MEMORY_REGION == KVM_SET_USER_MEMORY_REGION, "MEMORY_REGION");
_Static_assert(AKVM_ENABLE_CAP == KVM_ENABLE_CAP, "KVM_ENABLE_CAP");
_Static_assert(AKVM_RUN == KVM_RUN, "KVM_RUN");
_Static_assert(AKVM_CREATE_VCPU == KVM_CREATE_VCPU, "KVM_CREATE_VCPU");
_Static_assert(AKVM_CAP_ARM_SVE == KVM_CAP_ARM_SVE, "KVM_CAP_ARM_SVE");
_Static_assert(AKVM_CAP_ARM_PMU_V3 == KVM_CAP_ARM_PMU_V3, "KVM_CAP_ARM_PMU_V3");
_Static_assert(AKVM_CAP_ARM_VM_IPA_SIZE == KVM_CAP_ARM_VM_IPA_SIZE, "KVM_CAP_ARM_VM_IPA_SIZE");
_Static_assert(ARMCPU_KVM_REG_SVE_VLS == KVM_REG_ARM64_SVE_VLS, "KVM_REG_ARM64_SVE_VLS");
_Static_assert(AKVM_CAP_ARM_PTRAUTH_GENERIC == KVM_CAP_ARM_PTRAUTH_GENERIC, "PTRAUTH");
_Static_assert(AKVM_ARM_VCPU_SVE == KVM_ARM_VCPU_SVE, "KVM_ARM_VCPU_SVE");
_Static_assert(AKVM_ARM_VCPU_PTRAUTH_GENERIC == KVM_ARM_VCPU_PTRAUTH_GENERIC, "PTRAUTH");
_Static_assert(AKVM_DEV_TYPE_ARM_VGIC_V3 == KVM_DEV_TYPE_ARM_VGIC_V3, "VGIC_V3");
_Static_assert(AKVM_VGIC_V3_ADDR_TYPE_REDIST == KVM_VGIC_V3_ADDR_TYPE_REDIST, "REDIST");
_Static_assert(AKVM_DEV_ARM_VGIC_GRP_CTRL == KVM_DEV_ARM_VGIC_GRP_CTRL, "GRP_CTRL");
_Static_assert(AKVM_ARM_VCPU_PMU_V3_INIT == KVM_ARM_VCPU_PMU_V3_INIT, "PMU_V3_INIT");
_Static_assert(AKVM_EXIT_MMIO == KVM_EXIT_MMIO, "KVM_EXIT_MMIO");
_Static_assert(AKVM_REG_ARM_CORE == KVM_REG_ARM_CORE, "KVM_REG_ARM_CORE");
_Static_assert(CORE_PC == (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
                           KVM_REG_ARM_CORE_REG(regs.pc)), "core pc");
_Static_assert(offsetof(struct kvm_run, mmio) == offsetof(struct akvm_run_head, mmio), "run");
#ifdef KVM_ARM_GET_REG_WRITABLE_MASKS
_Static_assert(AKVM_ARM_GET_REG_WRITABLE_MASKS == KVM_ARM_GET_REG_WRITABLE_MASKS, "MASKS");
#endif
#endif
#endif

static int kvm_unavailable(armcpu_error *err)
{
#if ARMCPU_KVM_NATIVE
    return armcpu_set_error(err, ARMCPU_ERR_ENV, "cannot open /dev/kvm: %s", strerror(errno));
#else
    return armcpu_set_error(err, ARMCPU_ERR_ENV,
                            "KVM for arm64 guests needs an arm64 Linux host with /dev/kvm; "
                            "this build runs on another architecture");
#endif
}

static int open_kvm(armcpu_error *err)
{
#if ARMCPU_KVM_NATIVE
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        kvm_unavailable(err);
        return -1;
    }
    int v = ioctl(fd, AKVM_GET_API_VERSION, 0);
    if (v != 12) {
        close(fd);
        armcpu_set_error(err, ARMCPU_ERR_ENV, "/dev/kvm: KVM API version %d, expected 12", v);
        return -1;
    }
    return fd;
#else
    kvm_unavailable(err);
    return -1;
#endif
}

bool armcpu_kvm_available(armcpu_error *err)
{
    int fd = open_kvm(err);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static const char *errname(int e)
{
    const char *n = strerrorname_np(e);
    return n ? n : "?";
}

static int ioctl_error(armcpu_error *err, const char *what)
{
    int e = errno;
    return armcpu_set_error(err, ARMCPU_ERR_ENV, "%s failed: %s (%s)", what, strerror(e),
                            errname(e));
}

/* ------------------------------------------------------------ raw ONE_REG */

size_t armcpu_kvm_reg_size(uint64_t id)
{
    return (size_t)1 << ((id & ARMCPU_KVM_REG_SIZE_MASK) >> 52);
}

int armcpu_kvm_get_reg(int vcpu_fd, uint64_t id, void *buf)
{
    struct akvm_one_reg r = {id, (uint64_t)(uintptr_t)buf};
    return ioctl(vcpu_fd, AKVM_GET_ONE_REG, &r) ? errno : 0;
}

int armcpu_kvm_set_reg(int vcpu_fd, uint64_t id, const void *buf)
{
    struct akvm_one_reg r = {id, (uint64_t)(uintptr_t)buf};
    return ioctl(vcpu_fd, AKVM_SET_ONE_REG, &r) ? errno : 0;
}

int armcpu_kvm_reg_list(int vcpu_fd, uint64_t **ids, size_t *n, armcpu_error *err)
{
    struct akvm_reg_list probe = {0};
    *ids = NULL;
    *n = 0;
    if (ioctl(vcpu_fd, AKVM_GET_REG_LIST, &probe) == 0 || errno != E2BIG)
        return ioctl_error(err, "KVM_GET_REG_LIST");
    struct akvm_reg_list *l = malloc(sizeof *l + probe.n * sizeof(uint64_t));
    if (!l)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    l->n = probe.n;
    if (ioctl(vcpu_fd, AKVM_GET_REG_LIST, l)) {
        free(l);
        return ioctl_error(err, "KVM_GET_REG_LIST");
    }
    uint64_t *out = malloc((l->n ? l->n : 1) * sizeof *out);
    if (!out) {
        free(l);
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    }
    memcpy(out, l->reg, l->n * sizeof *out);
    *ids = out;
    *n = l->n;
    free(l);
    return ARMCPU_OK;
}

void armcpu_kvm_reg_describe(uint64_t id, char *buf, size_t size)
{
    uint64_t coproc = id & AKVM_REG_ARM_COPROC_MASK;
    if (coproc == AKVM_REG_ARM64_SYSREG) {
        const armcpu_reg *r = armcpu_reg_by_kvm_id(id, NULL);
        unsigned op0 = (id >> 14) & 3, op1 = (id >> 11) & 7, crn = (id >> 7) & 15,
                 crm = (id >> 3) & 15, op2 = id & 7;
        char enc[64];
        armcpu_encoding_format(op0, op1, crn, crm, op2, enc, sizeof enc);
        if (r)
            snprintf(buf, size, "%s", armcpu_reg_name(r));
        else
            snprintf(buf, size, "sysreg %s", enc);
    } else if (coproc == AKVM_REG_ARM_CORE) {
        unsigned off = (unsigned)(id & 0xffff);
        if (off < 62 && !(off & 1))
            snprintf(buf, size, "core x%u", off / 2);
        else if (off == 62)
            snprintf(buf, size, "core sp");
        else if (off == 64)
            snprintf(buf, size, "core pc");
        else if (off == 66)
            snprintf(buf, size, "core pstate");
        else
            snprintf(buf, size, "core +0x%x", off * 4);
    } else if (coproc == AKVM_REG_ARM_FW || coproc == AKVM_REG_ARM_FW_FEAT_BMAP) {
        snprintf(buf, size, "firmware 0x%04x%s", (unsigned)(id & 0xffff),
                 coproc == AKVM_REG_ARM_FW_FEAT_BMAP ? " (feature bitmap)" : "");
    } else if (coproc == AKVM_REG_ARM_DEMUX) {
        snprintf(buf, size, "demux CCSIDR %u", (unsigned)(id & 0xff));
    } else if (coproc == AKVM_REG_ARM64_SVE) {
        snprintf(buf, size, "sve 0x%04x", (unsigned)(id & 0xffff));
    } else {
        snprintf(buf, size, "reg 0x%016" PRIx64, id);
    }
}

/* ------------------------------------------------------------ scratch VM */

#define GUEST_RAM 0x40000000ULL
#define GUEST_RAM_SIZE 0x10000ULL
#define GUEST_VECTORS 0x800 /* offset in RAM, 2 KiB aligned */
#define GUEST_DATA 0x20000000ULL
#define GUEST_DONE 0x20010000ULL
#define GUEST_EXC 0x20020000ULL

struct armcpu_kvm_vcpu {
    int kvm, vm, vcpu, gic;
    bool has_masks, imp_id;
    unsigned ipa_bits; /* the VM's IPA size (its KVM_CREATE_VM type) */
    char features[128];
    char snap_features[64];
    char source[512];
    char kernel[128];
    void *ram;
    struct akvm_run_head *run;
    size_t run_size;
};

int armcpu_kvm_vcpu_vm_fd(const armcpu_kvm_vcpu *v) { return v ? v->vm : -1; }
int armcpu_kvm_vcpu_fd(const armcpu_kvm_vcpu *v) { return v ? v->vcpu : -1; }
const char *armcpu_kvm_vcpu_features(const armcpu_kvm_vcpu *v) { return v ? v->features : ""; }

void armcpu_kvm_vcpu_free(armcpu_kvm_vcpu *v)
{
    if (!v)
        return;
    if (v->run)
        munmap(v->run, v->run_size);
    if (v->ram)
        munmap(v->ram, GUEST_RAM_SIZE);
    if (v->gic >= 0)
        close(v->gic);
    if (v->vcpu >= 0)
        close(v->vcpu);
    if (v->vm >= 0)
        close(v->vm);
    if (v->kvm >= 0)
        close(v->kvm);
    free(v);
}

static void feat_add(char *list, size_t size, const char *name)
{
    size_t n = strlen(list);
    snprintf(list + n, size - n, "%s%s", n ? "," : "", name);
}

static int set_attr(int fd, uint32_t group, uint64_t attr, void *addr)
{
    struct akvm_device_attr a = {0, group, attr, (uint64_t)(uintptr_t)addr};
    return ioctl(fd, AKVM_SET_DEVICE_ATTR, &a);
}

armcpu_kvm_vcpu *armcpu_kvm_vcpu_new(armcpu_error *err)
{
    return armcpu_kvm_vcpu_new_with(ARMCPU_VCPU_SVE | ARMCPU_VCPU_PMU | ARMCPU_VCPU_PTRAUTH, err);
}

armcpu_kvm_vcpu *armcpu_kvm_vcpu_new_with(unsigned features, armcpu_error *err)
{
    return armcpu_kvm_vcpu_new_sve(features, NULL, err);
}

armcpu_kvm_vcpu *armcpu_kvm_vcpu_new_sve(unsigned features, const uint64_t *sve_vls,
                                         armcpu_error *err)
{
    return armcpu_kvm_vcpu_new_vm(features, sve_vls, 0, err);
}

armcpu_kvm_vcpu *armcpu_kvm_vcpu_new_vm(unsigned features, const uint64_t *sve_vls,
                                        unsigned long vm_type, armcpu_error *err)
{
    armcpu_kvm_vcpu *v = calloc(1, sizeof *v);
    if (!v) {
        armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        return NULL;
    }
    v->kvm = v->vm = v->vcpu = v->gic = -1;
    if ((v->kvm = open_kvm(err)) < 0)
        goto fail;
    /* the VM type: KVM_VM_TYPE_ARM_IPA_SIZE(n), 0 KVM's default 40 bits
     * (arch/arm64/kvm/mmu.c kvm_init_ipa_range: EINVAL above
     * KVM_CAP_ARM_VM_IPA_SIZE or below 32) */
    if ((v->vm = ioctl(v->kvm, AKVM_CREATE_VM, vm_type)) < 0) {
        if (vm_type) {
            int e = errno, lim = ioctl(v->kvm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_VM_IPA_SIZE);
            armcpu_set_error(err, e == EINVAL ? ARMCPU_ERR_CONFLICT : ARMCPU_ERR_ENV,
                             "KVM_CREATE_VM with KVM_VM_TYPE_ARM_IPA_SIZE(%lu) failed: %s (this "
                             "host's KVM_CAP_ARM_VM_IPA_SIZE is %d)",
                             vm_type & 0xff, strerror(e), lim);
        } else {
            ioctl_error(err, "KVM_CREATE_VM");
        }
        goto fail;
    }
    v->ipa_bits = vm_type & 0xff ? (unsigned)(vm_type & 0xff) : 40;
    int psci = ioctl(v->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_PSCI_0_2) > 0;
    /* the features asked for, where KVM offers them */
    int pmu = (features & ARMCPU_VCPU_PMU) &&
              ioctl(v->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_PMU_V3) > 0;
    int sve = (features & ARMCPU_VCPU_SVE) && ioctl(v->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_SVE) > 0;
    int pauth = (features & ARMCPU_VCPU_PTRAUTH) &&
                ioctl(v->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
                ioctl(v->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_PTRAUTH_GENERIC) > 0;
    int masks = ioctl(v->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES);
    v->has_masks = masks > 0 && (masks & (1 << AKVM_ARM_FEATURE_ID_RANGE));
    /* Linux 6.15+: MIDR/REVIDR/AIDR become writable, before any vCPU exists. */
    if (ioctl(v->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_WRITABLE_IMP_ID_REGS) > 0) {
        struct akvm_enable_cap c = {.cap = AKVM_CAP_ARM_WRITABLE_IMP_ID_REGS};
        v->imp_id = ioctl(v->vm, AKVM_ENABLE_CAP, &c) == 0;
    }

    /* In-kernel vGICv3 before the vCPU (6.1 derives ID_AA64PFR0_EL1.GIC from it). */
    struct akvm_create_device cd = {.type = AKVM_DEV_TYPE_ARM_VGIC_V3};
    if (ioctl(v->vm, AKVM_CREATE_DEVICE, &cd) < 0) {
        ioctl_error(err, "KVM_CREATE_DEVICE (vGICv3)");
        goto fail;
    }
    v->gic = (int)cd.fd;
    uint64_t dist = 0x08000000, redist = 0x080a0000;
    if (set_attr(v->gic, AKVM_DEV_ARM_VGIC_GRP_ADDR, AKVM_VGIC_V3_ADDR_TYPE_DIST, &dist) ||
        set_attr(v->gic, AKVM_DEV_ARM_VGIC_GRP_ADDR, AKVM_VGIC_V3_ADDR_TYPE_REDIST, &redist)) {
        ioctl_error(err, "vGICv3 addresses (KVM_SET_DEVICE_ATTR)");
        goto fail;
    }

    if ((v->vcpu = ioctl(v->vm, AKVM_CREATE_VCPU, 0UL)) < 0) {
        ioctl_error(err, "KVM_CREATE_VCPU");
        goto fail;
    }
    struct akvm_vcpu_init init;
    memset(&init, 0, sizeof init);
    if (ioctl(v->vm, AKVM_ARM_PREFERRED_TARGET, &init) < 0) {
        ioctl_error(err, "KVM_ARM_PREFERRED_TARGET");
        goto fail;
    }
    memset(init.features, 0, sizeof init.features);
#define FEAT(bit, name)                                                                  \
    do {                                                                                 \
        init.features[(bit) / 32] |= 1u << ((bit) % 32);                                 \
        feat_add(v->features, sizeof v->features, name);                                 \
    } while (0)
    if (psci)
        FEAT(AKVM_ARM_VCPU_PSCI_0_2, "psci-0.2");
    if (pmu)
        FEAT(AKVM_ARM_VCPU_PMU_V3, "pmu-v3");
    if (pauth) {
        FEAT(AKVM_ARM_VCPU_PTRAUTH_ADDRESS, "ptrauth-address");
        FEAT(AKVM_ARM_VCPU_PTRAUTH_GENERIC, "ptrauth-generic");
    }
    if (sve)
        FEAT(AKVM_ARM_VCPU_SVE, "sve");
#undef FEAT
    if (ioctl(v->vcpu, AKVM_ARM_VCPU_INIT, &init) < 0) {
        ioctl_error(err, "KVM_ARM_VCPU_INIT");
        goto fail;
    }
    /* KVM takes the vector-length set only between KVM_ARM_VCPU_INIT and
     * the SVE finalization (api.rst, KVM_REG_ARM64_SVE_VLS: EPERM after) */
    if (sve && sve_vls) {
        uint64_t vls[8];
        memcpy(vls, sve_vls, sizeof vls);
        int e = armcpu_kvm_set_reg(v->vcpu, ARMCPU_KVM_REG_SVE_VLS, vls);
        if (e) {
            armcpu_set_error(err, e == EINVAL ? ARMCPU_ERR_CONFLICT : ARMCPU_ERR_ENV,
                             "KVM_SET_ONE_REG of KVM_REG_ARM64_SVE_VLS (vector lengths "
                             "0x%016" PRIx64 "%016" PRIx64 "...) failed: %s%s",
                             vls[1], vls[0], strerror(e),
                             e == EINVAL ? ": this host's SVE does not have exactly those vector "
                                           "lengths (they differ between hosts: Graviton3 256-bit, "
                                           "Graviton4 128-bit)"
                                         : "");
            goto fail;
        }
    }
    if (sve) {
        int what = AKVM_ARM_VCPU_SVE;
        if (ioctl(v->vcpu, AKVM_ARM_VCPU_FINALIZE, &what) < 0) {
            ioctl_error(err, "KVM_ARM_VCPU_FINALIZE (SVE)");
            goto fail;
        }
    }
    /* A vCPU feature KVM does not offer leaves no field unknown: the
     * snapshot lists it as measured (as the rig's probe import does); one
     * left off on purpose is off in the snapshot too (KVM hid its fields). */
    if (features & ARMCPU_VCPU_SVE)
        feat_add(v->snap_features, sizeof v->snap_features, "sve");
    if (features & ARMCPU_VCPU_PMU)
        feat_add(v->snap_features, sizeof v->snap_features, "pmu");
    if (features & ARMCPU_VCPU_PTRAUTH)
        feat_add(v->snap_features, sizeof v->snap_features, "ptrauth");
    int pmu_irq = 23; /* PPI, as QEMU's virt board */
    if (pmu && set_attr(v->vcpu, AKVM_ARM_VCPU_PMU_V3_CTRL, AKVM_ARM_VCPU_PMU_V3_IRQ, &pmu_irq)) {
        ioctl_error(err, "PMU interrupt (KVM_SET_DEVICE_ATTR)");
        goto fail;
    }
    if (set_attr(v->gic, AKVM_DEV_ARM_VGIC_GRP_CTRL, AKVM_DEV_ARM_VGIC_CTRL_INIT, NULL)) {
        ioctl_error(err, "vGICv3 init (KVM_DEV_ARM_VGIC_CTRL_INIT)");
        goto fail;
    }
    if (pmu && set_attr(v->vcpu, AKVM_ARM_VCPU_PMU_V3_CTRL, AKVM_ARM_VCPU_PMU_V3_INIT, NULL)) {
        ioctl_error(err, "PMU init (KVM_SET_DEVICE_ATTR)");
        goto fail;
    }

    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(v->kernel, sizeof v->kernel, "%s", u.release);
    } else {
        snprintf(v->kernel, sizeof v->kernel, "0-unknown");
        snprintf(u.nodename, sizeof u.nodename, "?");
    }
    char day[16] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
    snprintf(v->source, sizeof v->source,
             "armcpu_kvm_probe (libarmcpu %s) on %s, %s; vCPU features %s; "
             "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS %s",
             ARMCPU_VERSION, u.nodename, day, v->features[0] ? v->features : "none",
             v->imp_id ? "enabled" : "not offered");
    return v;
fail:
    armcpu_kvm_vcpu_free(v);
    return NULL;
}

/* ------------------------------------------------------------ backend */

struct fd_backend {
    int vm, vcpu;
    bool has_masks;
};

static int fdb_get(void *o, uint64_t id, uint64_t *value)
{
    struct fd_backend *b = o;
    return armcpu_kvm_get_reg(b->vcpu, id, value);
}

static int fdb_set(void *o, uint64_t id, uint64_t value)
{
    struct fd_backend *b = o;
    return armcpu_kvm_set_reg(b->vcpu, id, &value);
}

/* KVM_REG_ARM64_SVE_VLS through the raw ONE_REG helpers migrate uses */
static int fdb_get_vls(void *o, uint64_t words[8])
{
    struct fd_backend *b = o;
    return armcpu_kvm_get_reg(b->vcpu, ARMCPU_KVM_REG_SVE_VLS, words);
}

static int fdb_set_vls(void *o, const uint64_t words[8])
{
    struct fd_backend *b = o;
    return armcpu_kvm_set_reg(b->vcpu, ARMCPU_KVM_REG_SVE_VLS, words);
}

static int fdb_ipa_limit(void *o, unsigned *bits)
{
    struct fd_backend *b = o;
    int n = ioctl(b->vm, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_VM_IPA_SIZE);
    if (n < 0)
        return errno;
    *bits = (unsigned)n;
    return 0;
}

static int fdb_masks(void *o, uint64_t masks[ARMCPU_KVM_MASK_COUNT])
{
    struct fd_backend *b = o;
    if (!b->has_masks)
        return ENOTSUP;
    struct akvm_reg_mask_range rm;
    memset(&rm, 0, sizeof rm);
    rm.addr = (uint64_t)(uintptr_t)masks;
    rm.range = AKVM_ARM_FEATURE_ID_RANGE;
    return ioctl(b->vm, AKVM_ARM_GET_REG_WRITABLE_MASKS, &rm) ? errno : 0;
}

armcpu_host *armcpu_kvm_vcpu_snapshot(armcpu_kvm_vcpu *v, armcpu_error *err)
{
    struct fd_backend fb = {v->vm, v->vcpu, v->has_masks};
    struct armcpu_kvm_backend b = {&fb,          fdb_get,        fdb_set,      fdb_masks,
                                   v->kernel,    v->snap_features, v->source,  fdb_get_vls,
                                   fdb_set_vls,  fdb_ipa_limit,  v->ipa_bits};
    return armcpu_kvm_host_from_backend(&b, err);
}

/* What a guest reads where KVM may not trap (registers with an untrapped
 * field: CTR_EL0), by running the scratch vCPU after the snapshot, as the
 * rig's probe does; and CNTFRQ_EL0, which no ONE_REG gives and which EL0
 * reads as a guest does (the hardware's; KVM does not virtualize it). */
static int probe_guest_reads(armcpu_kvm_vcpu *v, armcpu_host *h, armcpu_error *err)
{
    size_t n = armcpu_reg_count();
    uint64_t *vals = calloc(n, sizeof *vals);
    armcpu_kvm_guest_status *st = calloc(n, sizeof *st);
    int rc = ARMCPU_OK;
    if (!vals || !st) {
        rc = armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = armcpu_kvm_guest_read_idregs(v, vals, st, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        const armcpu_reg *r = armcpu_reg_at(i);
        bool untrapped = false;
        for (size_t j = 0; j < armcpu_reg_field_count(r); j++)
            untrapped |= armcpu_field_untrapped(armcpu_reg_field_at(r, j));
        if (untrapped && st[i] == ARMCPU_KVM_GUEST_READ &&
            (rc = armcpu_host_set_guest_read(h, r, vals[i], err)))
            goto out;
    }
#if defined(__aarch64__)
    uint64_t frq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
    armcpu_host_set_cntfrq(h, frq & 0xffffffffu);
#endif
out:
    free(vals);
    free(st);
    return rc;
}

armcpu_host *armcpu_kvm_probe(armcpu_error *err)
{
    armcpu_kvm_vcpu *v = armcpu_kvm_vcpu_new(err);
    if (!v)
        return NULL;
    armcpu_host *h = armcpu_kvm_vcpu_snapshot(v, err);
    if (h && probe_guest_reads(v, h, err)) {
        armcpu_host_free(h);
        h = NULL;
    }
    armcpu_kvm_vcpu_free(v);
    return h;
}

int armcpu_kvm_apply_ex(int vm_fd, int vcpu_fd, const armcpu_cpu *cpu, unsigned flags,
                        armcpu_kvm_report *report, armcpu_error *err)
{
#if !ARMCPU_KVM_NATIVE
    (void)vm_fd;
    (void)vcpu_fd;
    (void)cpu;
    (void)flags;
    (void)report;
    return kvm_unavailable(err);
#else
    int masks = ioctl(vm_fd, AKVM_CHECK_EXTENSION, AKVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES);
    if (masks < 0)
        return ioctl_error(err, "KVM_CHECK_EXTENSION on the VM fd");
    struct fd_backend fb = {vm_fd, vcpu_fd,
                            masks > 0 && (masks & (1 << AKVM_ARM_FEATURE_ID_RANGE))};
    /* a caller's VM: its IPA size (KVM_CREATE_VM's type) cannot be read */
    struct armcpu_kvm_backend b = {&fb,  fdb_get,     fdb_set,     fdb_masks,     NULL, NULL,
                                   NULL, fdb_get_vls, fdb_set_vls, fdb_ipa_limit, 0};
    int rc = armcpu_kvm_apply_backend(&b, cpu, flags, report, err);
    return rc;
#endif
}

int armcpu_kvm_vcpu_apply(armcpu_kvm_vcpu *v, const armcpu_cpu *cpu, unsigned flags,
                          armcpu_kvm_report *report, armcpu_error *err)
{
#if !ARMCPU_KVM_NATIVE
    (void)v;
    (void)cpu;
    (void)flags;
    (void)report;
    return kvm_unavailable(err);
#else
    struct fd_backend fb = {v->vm, v->vcpu, v->has_masks};
    struct armcpu_kvm_backend b = {&fb,          fdb_get,        fdb_set,      fdb_masks,
                                   v->kernel,    v->snap_features, v->source,  fdb_get_vls,
                                   fdb_set_vls,  fdb_ipa_limit,  v->ipa_bits};
    return armcpu_kvm_apply_backend(&b, cpu, flags, report, err);
#endif
}

int armcpu_kvm_apply(int vm_fd, int vcpu_fd, const armcpu_cpu *cpu,
                     armcpu_kvm_report *report, armcpu_error *err)
{
    return armcpu_kvm_apply_ex(vm_fd, vcpu_fd, cpu, 0, report, err);
}

/* ------------------------------------------------------------ the guest */

static uint32_t a64_mrs(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                        unsigned rt)
{
    return 0xD5300000u | (op0 - 2) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
}

static uint32_t a64_msr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                        unsigned rt)
{
    return 0xD5100000u | (op0 - 2) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
}

/* str xt, [xn, #imm] (unsigned offset, scaled by 8): a valid-ISV store */
static uint32_t a64_str(unsigned rt, unsigned rn, unsigned imm)
{
    return 0xF9000000u | (imm / 8) << 10 | rn << 5 | rt;
}

int armcpu_kvm_guest_read_idregs(armcpu_kvm_vcpu *v, uint64_t *values,
                                 armcpu_kvm_guest_status *status, armcpu_error *err)
{
    size_t nr = armcpu_reg_count();
    for (size_t i = 0; i < nr; i++) {
        values[i] = 0;
        status[i] = ARMCPU_KVM_GUEST_SKIPPED;
    }
    if (!v->run) {
        int sz = ioctl(v->kvm, AKVM_GET_VCPU_MMAP_SIZE, 0);
        if (sz <= 0)
            return ioctl_error(err, "KVM_GET_VCPU_MMAP_SIZE");
        void *p = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
        if (p == MAP_FAILED)
            return ioctl_error(err, "mmap of the vCPU's kvm_run");
        v->run = p;
        v->run_size = (size_t)sz;
    }
    if (!v->ram) {
        void *p = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return ioctl_error(err, "mmap of guest memory");
        v->ram = p;
        struct akvm_userspace_memory_region m = {0, 0, GUEST_RAM, GUEST_RAM_SIZE,
                                                 (uint64_t)(uintptr_t)p};
        if (ioctl(v->vm, AKVM_SET_USER_MEMORY_REGION, &m))
            return ioctl_error(err, "KVM_SET_USER_MEMORY_REGION");
    }
    uint32_t *code = v->ram;
    size_t pc = 0;
    /* Which registers the guest reads: those the vCPU exposes to userspace. */
    size_t *slot_reg = calloc(nr, sizeof *slot_reg);
    if (!slot_reg)
        return armcpu_set_error(err, ARMCPU_ERR_NOMEM, "out of memory");
    size_t slots = 0;
    for (size_t i = 0; i < nr; i++) {
        const armcpu_reg *reg = armcpu_reg_at(i);
        uint64_t val;
        if (armcpu_kvm_get_reg(v->vcpu, armcpu_reg_kvm_id(reg), &val))
            continue;
        unsigned op0, op1, crn, crm, op2;
        armcpu_reg_encoding(reg, &op0, &op1, &crn, &crm, &op2);
        code[pc++] = a64_mrs(op0, op1, crn, crm, op2, 0);
        code[pc++] = a64_str(0, 1, (unsigned)(slots * 8)); /* str x0, [x1, #8*slot] */
        slot_reg[slots++] = i;
    }
    code[pc++] = a64_str(31, 2, 0); /* str xzr, [x2]: done */
    code[pc++] = 0x14000000u;       /* b . */
    /* Exception vectors: every entry reports ESR_EL1 and skips the mrs. */
    for (unsigned e = 0; e < 16; e++) {
        uint32_t *vec = code + (GUEST_VECTORS + e * 0x80) / 4;
        vec[0] = a64_mrs(3, 0, 5, 2, 0, 0);  /* mrs x0, esr_el1 */
        vec[1] = a64_str(0, 3, 0);           /* str x0, [x3] */
        vec[2] = a64_mrs(3, 0, 4, 0, 1, 9);  /* mrs x9, elr_el1 */
        vec[3] = 0x91001129u;                /* add x9, x9, #4 */
        vec[4] = a64_msr(3, 0, 4, 0, 1, 9);  /* msr elr_el1, x9 */
        vec[5] = 0xD69F03E0u;                /* eret */
    }
    uint64_t x = GUEST_RAM + GUEST_VECTORS;
    int e;
    uint64_t vbar_id = ARMCPU_KVM_REG_ARM64 | ARMCPU_KVM_REG_SIZE_U64 | AKVM_REG_ARM64_SYSREG |
                       (3ULL << 14) | (0ULL << 11) | (12ULL << 7) | (0ULL << 3) | 0ULL;
    if ((e = armcpu_kvm_set_reg(v->vcpu, vbar_id, &x)))
        goto reg_fail;
    x = GUEST_RAM;
    if ((e = armcpu_kvm_set_reg(v->vcpu, CORE_PC, &x)))
        goto reg_fail;
    x = GUEST_DATA;
    if ((e = armcpu_kvm_set_reg(v->vcpu, CORE_X(1), &x)))
        goto reg_fail;
    x = GUEST_DONE;
    if ((e = armcpu_kvm_set_reg(v->vcpu, CORE_X(2), &x)))
        goto reg_fail;
    x = GUEST_EXC;
    if ((e = armcpu_kvm_set_reg(v->vcpu, CORE_X(3), &x)))
        goto reg_fail;

    bool pending_undef = false;
    uint64_t esr = 0;
    for (size_t exits = 0; exits < 4 * slots + 16; exits++) {
        if (ioctl(v->vcpu, AKVM_RUN, 0) < 0) {
            if (errno == EINTR)
                continue;
            free(slot_reg);
            return ioctl_error(err, "KVM_RUN");
        }
        struct akvm_run_head *run = v->run;
        if (run->exit_reason != AKVM_EXIT_MMIO) {
            free(slot_reg);
            return armcpu_set_error(err, ARMCPU_ERR_ENV,
                                    "the ID-register guest stopped with KVM exit reason %u "
                                    "(expected MMIO exits)",
                                    run->exit_reason);
        }
        uint64_t addr = run->mmio.phys_addr, data = 0;
        memcpy(&data, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
        if (addr == GUEST_DONE) {
            free(slot_reg);
            return ARMCPU_OK;
        }
        if (addr == GUEST_EXC) {
            pending_undef = true;
            esr = data;
            continue;
        }
        if (addr >= GUEST_DATA && addr < GUEST_DATA + 8 * slots && !(addr & 7)) {
            size_t ri = slot_reg[(addr - GUEST_DATA) / 8];
            status[ri] = pending_undef ? ARMCPU_KVM_GUEST_UNDEF : ARMCPU_KVM_GUEST_READ;
            values[ri] = pending_undef ? esr : data;
            pending_undef = false;
            continue;
        }
        free(slot_reg);
        return armcpu_set_error(err, ARMCPU_ERR_ENV,
                                "the ID-register guest wrote to unexpected address 0x%" PRIx64,
                                addr);
    }
    free(slot_reg);
    return armcpu_set_error(err, ARMCPU_ERR_ENV, "the ID-register guest did not finish");
reg_fail:
    free(slot_reg);
    return armcpu_set_error(err, ARMCPU_ERR_ENV,
                            "setting up the ID-register guest: KVM_SET_ONE_REG failed: %s",
                            strerror(e));
}
