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
 *   ARMCPU-PROBE-END <ok|error>
 *
 * and powers the machine off.  REG covers the whole feature ID space
 * (op0=3, op1 in {0,1,3}, CRn=0, CRm 0..7, op2 0..7: 192 encodings), which
 * includes MIDR/REVIDR/AIDR/CTR/DCZID/CLIDR.  Names are the library's job.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
	finish();
	return 0;
}
