// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * armcpu KVM probe: a static arm64 program run as /init of an initramfs in an
 * (emulated, EL2-capable) arm64 machine.  It creates a KVM VM with an
 * in-kernel vGICv3 and one vCPU, then prints what KVM shows:
 *
 *   ARMCPU-PROBE-BEGIN
 *   UNAME <release>
 *   CAP <number> <KVM_CHECK_EXTENSION value>          (a few capabilities)
 *   VCPU target=<n> features=<list>
 *   REG (op0,op1,crn,crm,op2) 0x<value> | ENOENT | ERR <errno>
 *   MASK (op0,op1,crn,crm,op2) 0x<writable mask>     (when KVM has them)
 *   MASKS unsupported                                 (otherwise)
 *   CONFIG <item> <value>                             (vCPU configuration, below)
 *   GUEST (op0,op1,crn,crm,op2) 0x<value>             (what the vCPU's mrs reads)
 *   ARMCPU-PROBE-END <ok|error>
 *
 * and powers the machine off.  REG covers the whole feature ID space
 * (op0=3, op1 in {0,1,3}, CRn=0, CRm 0..7, op2 0..7: 192 encodings), which
 * includes MIDR/REVIDR/AIDR/CTR/DCZID/CLIDR.  Names are the library's job.
 * GUEST lines come last, from running the vCPU (so after every ONE_REG read
 * and the masks): CTR_EL0, which KVM does not always trap (then the guest
 * reads the CPU's value, not KVM's copy), and CNTFRQ_EL0, which is no
 * ONE_REG at all.
 *
 * CONFIG lines (after the MASK lines, before the GUEST ones) give the vCPU
 * configuration items of include/armcpu/config.h, per vCPU created (one),
 * as `armcpu hosts import` records them under "vcpu_config":
 *   CONFIG sve_vls 0x<word 0 of KVM_REG_ARM64_SVE_VLS>   (bit vq-1: vector
 *          length vq*128 bits; read with the 64-byte U512 buffer before
 *          KVM_ARM_VCPU_FINALIZE; only when the vCPU has SVE)
 *   CONFIG pmu_counters <PMCR_EL0.N>                  (decimal; PMCR_EL0 by
 *          ONE_REG 0x603000000013dce0, only when the vCPU has PMU_V3)
 *   CONFIG ipa_bits <KVM_CAP_ARM_VM_IPA_SIZE>         (decimal; the largest
 *          IPA size a VM may ask for, when the capability is > 0)
 *   CONFIG <name> 0x<value>                           (each firmware register
 *          KVM_GET_ONE_REG returns: psci_version, smccc_wa1..3 = ...140000-3,
 *          fw_std_bmap, fw_std_hyp_bmap, fw_vendor_hyp_bmap,
 *          fw_vendor_hyp_bmap_2 = ...160000-3; ENOENT or another error: no line)
 *
 * Build: aarch64-linux-gnu-gcc -static -O2 -std=c11 -Wall -Wextra -Werror
 * The arm64 cross headers of Debian 12 are Linux 6.1; what is newer is
 * defined below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/kvm.h>

/* ---- constants newer than (or missing from) the 6.1 uapi headers ---- */
#ifndef KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES 230 /* Linux 6.7 */
#endif
#ifndef KVM_CAP_ARM_WRITABLE_IMP_ID_REGS
#define KVM_CAP_ARM_WRITABLE_IMP_ID_REGS 239 /* Linux 6.15 */
#endif
#ifndef KVM_ARM_FEATURE_ID_RANGE
/* Linux 6.7 uapi (arch/arm64/include/uapi/asm/kvm.h, api.rst 4.139) */
#define KVM_ARM_FEATURE_ID_RANGE 0
#define KVM_ARM_FEATURE_ID_RANGE_SIZE (3 * 8 * 8)
struct reg_mask_range {
	__u64 addr;  /* pointer to the mask array */
	__u32 range; /* requested range */
	__u32 reserved[13];
};
#endif
#ifndef KVM_ARM_GET_REG_WRITABLE_MASKS
/* Linux 6.7 include/uapi/linux/kvm.h: a VM ioctl.  (_IOR, as upstream defines it.) */
#define KVM_ARM_GET_REG_WRITABLE_MASKS _IOR(KVMIO, 0xb6, struct reg_mask_range)
#endif

#define SYSREG_ID(op0, op1, crn, crm, op2)                                     \
	(0x6030000000130000ULL | ((uint64_t)(op0) << 14) |                     \
	 ((uint64_t)(op1) << 11) | ((uint64_t)(crn) << 7) |                    \
	 ((uint64_t)(crm) << 3) | (uint64_t)(op2))

/* the vCPU configuration registers (CONFIG lines) */
#define SVE_VLS_ID 0x606000000015ffffULL  /* KVM_REG_ARM64_SVE_VLS, U512 */
#define PMCR_EL0_ID 0x603000000013dce0ULL /* PMCR_EL0 (3,3,9,12,0) */
static const struct {
	uint64_t id;
	const char *name;
} fw_regs[] = {
	{0x6030000000140000ULL, "psci_version"},         /* KVM_REG_ARM_PSCI_VERSION */
	{0x6030000000140001ULL, "smccc_wa1"},            /* ..._SMCCC_ARCH_WORKAROUND_1 */
	{0x6030000000140002ULL, "smccc_wa2"},
	{0x6030000000140003ULL, "smccc_wa3"},
	{0x6030000000160000ULL, "fw_std_bmap"},          /* KVM_REG_ARM_STD_BMAP */
	{0x6030000000160001ULL, "fw_std_hyp_bmap"},      /* KVM_REG_ARM_STD_HYP_BMAP */
	{0x6030000000160002ULL, "fw_vendor_hyp_bmap"},   /* KVM_REG_ARM_VENDOR_HYP_BMAP */
	{0x6030000000160003ULL, "fw_vendor_hyp_bmap_2"}, /* ..._VENDOR_HYP_BMAP_2 (6.15) */
};

/* index into the KVM_ARM_FEATURE_ID_RANGE mask array (op1 0,1,3 -> 0,1,2) */
static unsigned feat_idx(unsigned op1, unsigned crm, unsigned op2)
{
	unsigned o = op1 & 3;
	o -= (o == 3);
	return o << 6 | (crm & 7) << 3 | op2;
}

static const unsigned op1s[3] = {0, 1, 3};
static int failed;
static int is_init;

static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void fail(const char *what)
{
	out("ERROR %s: %s\n", what, strerror(errno));
	failed = 1;
}

static void finish(void)
{
	out("ARMCPU-PROBE-END %s\n", failed ? "error" : "ok");
	sync();
	if (is_init) {
		reboot(RB_POWER_OFF);
		/* not reached; if it were, exiting PID 1 panics (panic=-1 + -no-reboot ends QEMU) */
	}
	exit(failed ? 1 : 0);
}

/* ---- the guest: mrs of registers KVM_GET_ONE_REG cannot show as the vCPU reads them ---- */
#define GUEST_RAM 0x40000000ULL
#define GUEST_RAM_SIZE 0x10000ULL
#define GUEST_DATA 0x20000000ULL /* unbacked: every store is an MMIO exit */
#define GUEST_DONE 0x20010000ULL
#define CORE_REG(field)                                                        \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                 \
	 (offsetof(struct kvm_regs, field) / sizeof(__u32)))

static uint32_t a64_mrs(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
			unsigned op2, unsigned rt)
{
	return 0xD5300000u | (op0 - 2) << 19 | op1 << 16 | crn << 12 |
	       crm << 8 | op2 << 5 | rt;
}

/* str xt, [xn, #imm] (unsigned offset, scaled by 8): a store with ISV */
static uint32_t a64_str(unsigned rt, unsigned rn, unsigned imm)
{
	return 0xF9000000u | (imm / 8) << 10 | rn << 5 | rt;
}

static int set_core(int vcpu, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)&v};
	return ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static void guest_reads(int kvm, int vm, int vcpu, int pmu)
{
	static const unsigned enc[][5] = {
		{3, 3, 0, 0, 1},  /* CTR_EL0 */
		{3, 3, 14, 0, 0}, /* CNTFRQ_EL0 */
	};
	enum { N = sizeof enc / sizeof enc[0] };
	int sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		fail("KVM_GET_VCPU_MMAP_SIZE");
		return;
	}
	struct kvm_run *run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	uint32_t *code = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (run == MAP_FAILED || code == MAP_FAILED) {
		fail("mmap for the guest");
		return;
	}
	struct kvm_userspace_memory_region m = {
		.slot = 0, .guest_phys_addr = GUEST_RAM, .memory_size = GUEST_RAM_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)code};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &m) < 0) {
		fail("KVM_SET_USER_MEMORY_REGION");
		return;
	}
	unsigned pc = 0;
	for (unsigned i = 0; i < N; i++) {
		code[pc++] = a64_mrs(enc[i][0], enc[i][1], enc[i][2], enc[i][3], enc[i][4], 0);
		code[pc++] = a64_str(0, 1, i * 8);
	}
	code[pc++] = a64_str(31, 2, 0); /* done */
	code[pc++] = 0x14000000u;       /* b . */
	if (set_core(vcpu, CORE_REG(regs.pc), GUEST_RAM) < 0 ||
	    set_core(vcpu, CORE_REG(regs.regs[1]), GUEST_DATA) < 0 ||
	    set_core(vcpu, CORE_REG(regs.regs[2]), GUEST_DONE) < 0) {
		fail("KVM_SET_ONE_REG of the guest's core registers");
		return;
	}
	/* With an in-kernel vGIC, KVM_RUN needs the PMU's interrupt and init
	 * (EINVAL otherwise); done here, after the reads, so that they stay
	 * those of a vCPU as the ID registers' users configure it. */
	if (pmu) {
		int irq = 23; /* a PPI, as QEMU's virt board */
		struct kvm_device_attr a = {.group = KVM_ARM_VCPU_PMU_V3_CTRL,
					    .attr = KVM_ARM_VCPU_PMU_V3_IRQ,
					    .addr = (uint64_t)(uintptr_t)&irq};
		if (ioctl(vcpu, KVM_SET_DEVICE_ATTR, &a) < 0) {
			fail("PMU interrupt for the guest");
			return;
		}
		a.attr = KVM_ARM_VCPU_PMU_V3_INIT;
		a.addr = 0;
		if (ioctl(vcpu, KVM_SET_DEVICE_ATTR, &a) < 0) {
			fail("PMU init for the guest");
			return;
		}
	}
	uint64_t got[N] = {0};
	int have[N] = {0};
	for (unsigned exits = 0; exits < 4 * N + 4; exits++) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			fail("KVM_RUN of the guest");
			return;
		}
		if (run->exit_reason != KVM_EXIT_MMIO) {
			out("ERROR guest: KVM exit reason %u, expected MMIO\n", run->exit_reason);
			failed = 1;
			return;
		}
		uint64_t a = run->mmio.phys_addr, d = 0;
		memcpy(&d, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
		if (a == GUEST_DONE)
			break;
		if (a >= GUEST_DATA && a < GUEST_DATA + 8 * N && a % 8 == 0) {
			got[(a - GUEST_DATA) / 8] = d;
			have[(a - GUEST_DATA) / 8] = 1;
		}
	}
	for (unsigned i = 0; i < N; i++) {
		if (have[i])
			out("GUEST (%u,%u,%u,%u,%u) 0x%016" PRIx64 "\n", enc[i][0], enc[i][1],
			    enc[i][2], enc[i][3], enc[i][4], got[i]);
		else {
			out("ERROR guest: no read of (%u,%u,%u,%u,%u)\n", enc[i][0], enc[i][1],
			    enc[i][2], enc[i][3], enc[i][4]);
			failed = 1;
		}
	}
}

static void setup_init(void)
{
	is_init = getpid() == 1;
	if (!is_init)
		return;
	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	/* No /dev/console in the archive: the kernel then starts us without
	 * fds 0-2.  Attach them to the console from devtmpfs. */
	if (fcntl(1, F_GETFD) < 0) {
		int fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
}

int main(void)
{
	struct utsname u;
	int kvm, vm, vcpu, gic = -1, mask_cap;
	struct kvm_vcpu_init init;
	char feats[128] = "";

	setup_init();
	setvbuf(stdout, NULL, _IOLBF, 0);
	out("\nARMCPU-PROBE-BEGIN\n");
	if (uname(&u) == 0)
		out("UNAME %s\n", u.release);

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fail("open /dev/kvm");
		finish();
	}
	out("KVM_API_VERSION %d\n", ioctl(kvm, KVM_GET_API_VERSION, 0));

	vm = ioctl(kvm, KVM_CREATE_VM, 0UL); /* IPA size type 0 (default 40 bits) */
	if (vm < 0) {
		fail("KVM_CREATE_VM");
		finish();
	}

	static const struct {
		int cap;
		const char *name;
	} caps[] = {
		{KVM_CAP_ARM_PSCI_0_2, "PSCI_0_2"},
		{KVM_CAP_ARM_PMU_V3, "PMU_V3"},
		{KVM_CAP_ARM_SVE, "SVE"},
		{KVM_CAP_ARM_PTRAUTH_ADDRESS, "PTRAUTH_ADDRESS"},
		{KVM_CAP_ARM_PTRAUTH_GENERIC, "PTRAUTH_GENERIC"},
		{KVM_CAP_ARM_VM_IPA_SIZE, "VM_IPA_SIZE"},
		{KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES, "SUPPORTED_REG_MASK_RANGES"},
		{KVM_CAP_ARM_WRITABLE_IMP_ID_REGS, "WRITABLE_IMP_ID_REGS"},
	};
	int capval[sizeof caps / sizeof caps[0]];
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		capval[i] = ioctl(vm, KVM_CHECK_EXTENSION, caps[i].cap);
		out("CAP %d %d %s\n", caps[i].cap, capval[i], caps[i].name);
	}
	int has_psci = capval[0] > 0, has_pmu = capval[1] > 0, has_sve = capval[2] > 0;
	int has_pauth = capval[3] > 0 && capval[4] > 0;
	mask_cap = capval[6];

	/* In-kernel vGICv3 (created before the vCPU; 6.1 derives the GIC field
	 * of ID_AA64PFR0_EL1 from the VM's vGIC model). */
	struct kvm_create_device cd = {.type = KVM_DEV_TYPE_ARM_VGIC_V3};
	if (ioctl(vm, KVM_CREATE_DEVICE, &cd) < 0) {
		fail("KVM_CREATE_DEVICE vgic-v3");
	} else {
		uint64_t dist = 0x08000000, redist = 0x080a0000;
		struct kvm_device_attr a = {.group = KVM_DEV_ARM_VGIC_GRP_ADDR,
					    .attr = KVM_VGIC_V3_ADDR_TYPE_DIST,
					    .addr = (uint64_t)(uintptr_t)&dist};
		gic = cd.fd;
		if (ioctl(gic, KVM_SET_DEVICE_ATTR, &a) < 0)
			fail("vgic dist address");
		a.attr = KVM_VGIC_V3_ADDR_TYPE_REDIST;
		a.addr = (uint64_t)(uintptr_t)&redist;
		if (ioctl(gic, KVM_SET_DEVICE_ATTR, &a) < 0)
			fail("vgic redist address");
	}

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0UL);
	if (vcpu < 0) {
		fail("KVM_CREATE_VCPU");
		finish();
	}
	memset(&init, 0, sizeof init);
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		fail("KVM_ARM_PREFERRED_TARGET");
		finish();
	}
	memset(init.features, 0, sizeof init.features);
#define FEAT(bit, name)                                                        \
	do {                                                                   \
		init.features[(bit) / 32] |= 1u << ((bit) % 32);               \
		strcat(feats, feats[0] ? "," name : name);                     \
	} while (0)
	if (has_psci)
		FEAT(KVM_ARM_VCPU_PSCI_0_2, "psci-0.2");
	if (has_pmu)
		FEAT(KVM_ARM_VCPU_PMU_V3, "pmu-v3");
	if (has_pauth) {
		FEAT(KVM_ARM_VCPU_PTRAUTH_ADDRESS, "ptrauth-address");
		FEAT(KVM_ARM_VCPU_PTRAUTH_GENERIC, "ptrauth-generic");
	}
	if (has_sve)
		FEAT(KVM_ARM_VCPU_SVE, "sve");
#undef FEAT
	out("VCPU target=%u features=%s\n", init.target, feats[0] ? feats : "none");
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0) {
		fail("KVM_ARM_VCPU_INIT");
		finish();
	}
	/* KVM_REG_ARM64_SVE_VLS: 8 x u64, readable before the finalization */
	uint64_t vls[8] = {0};
	int have_vls = 0;
	if (has_sve) {
		struct kvm_one_reg r = {.id = SVE_VLS_ID, .addr = (uint64_t)(uintptr_t)vls};
		have_vls = ioctl(vcpu, KVM_GET_ONE_REG, &r) == 0;
	}
	if (has_sve) {
		int what = KVM_ARM_VCPU_SVE;
		if (ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what) < 0)
			fail("KVM_ARM_VCPU_FINALIZE(SVE)");
	}
	if (gic >= 0) {
		struct kvm_device_attr a = {.group = KVM_DEV_ARM_VGIC_GRP_CTRL,
					    .attr = KVM_DEV_ARM_VGIC_CTRL_INIT};
		if (ioctl(gic, KVM_SET_DEVICE_ATTR, &a) < 0)
			fail("vgic CTRL_INIT");
		else
			out("VGIC v3 ok\n");
	}

	/* Every encoding of the feature ID space. */
	for (unsigned i = 0; i < 3; i++)
		for (unsigned crm = 0; crm < 8; crm++)
			for (unsigned op2 = 0; op2 < 8; op2++) {
				uint64_t val = 0;
				struct kvm_one_reg r = {
					.id = SYSREG_ID(3, op1s[i], 0, crm, op2),
					.addr = (uint64_t)(uintptr_t)&val};
				if (ioctl(vcpu, KVM_GET_ONE_REG, &r) == 0)
					out("REG (3,%u,0,%u,%u) 0x%016" PRIx64 "\n", op1s[i], crm, op2, val);
				else if (errno == ENOENT)
					out("REG (3,%u,0,%u,%u) ENOENT\n", op1s[i], crm, op2);
				else
					out("REG (3,%u,0,%u,%u) ERR %s\n", op1s[i], crm, op2,
					    strerrorname_np(errno) ? strerrorname_np(errno) : "?");
			}

	/* Writable masks (Linux 6.7+). */
	if (mask_cap > 0 && (mask_cap & (1 << KVM_ARM_FEATURE_ID_RANGE))) {
		static uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
		struct reg_mask_range rm;
		memset(&rm, 0, sizeof rm);
		rm.addr = (uint64_t)(uintptr_t)masks;
		rm.range = KVM_ARM_FEATURE_ID_RANGE;
		if (ioctl(vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &rm) < 0) {
			fail("KVM_ARM_GET_REG_WRITABLE_MASKS");
		} else {
			for (unsigned i = 0; i < 3; i++)
				for (unsigned crm = 0; crm < 8; crm++)
					for (unsigned op2 = 0; op2 < 8; op2++)
						out("MASK (3,%u,0,%u,%u) 0x%016" PRIx64 "\n", op1s[i], crm,
						    op2, masks[feat_idx(op1s[i], crm, op2)]);
		}
	} else {
		out("MASKS unsupported\n");
	}
	/* The vCPU configuration items (CONFIG lines). */
	if (have_vls)
		out("CONFIG sve_vls 0x%" PRIx64 "\n", vls[0]);
	if (has_pmu) {
		uint64_t pmcr = 0;
		struct kvm_one_reg r = {.id = PMCR_EL0_ID, .addr = (uint64_t)(uintptr_t)&pmcr};
		if (ioctl(vcpu, KVM_GET_ONE_REG, &r) == 0)
			out("CONFIG pmu_counters %u\n", (unsigned)(pmcr >> 11 & 0x1f));
	}
	if (capval[5] > 0)
		out("CONFIG ipa_bits %d\n", capval[5]);
	for (size_t i = 0; i < sizeof fw_regs / sizeof fw_regs[0]; i++) {
		uint64_t v = 0;
		struct kvm_one_reg r = {.id = fw_regs[i].id, .addr = (uint64_t)(uintptr_t)&v};
		if (ioctl(vcpu, KVM_GET_ONE_REG, &r) == 0)
			out("CONFIG %s 0x%" PRIx64 "\n", fw_regs[i].name, v);
	}
	guest_reads(kvm, vm, vcpu, has_pmu);
	finish();
	return 0;
}
