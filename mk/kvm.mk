# SPDX-License-Identifier: LGPL-2.1-or-later
# Real-KVM test rig (tests/kvm/): arm64 Debian kernels booted under
# qemu-system-aarch64 TCG with EL2, a static probe as /init reporting what
# KVM shows (ID registers, writable masks).
#
#   make kvm-fetch                 host packages + kernels into $(KVM_DIR)
#   make check-kvm                 boot + assert (exit 77 = skipped, no network):
#                                  6.1, 6.12, 6.18 (KVM_KERNELS), the pinned 6.19.14
#                                  and the newest trixie-backports kernel
#   make check-kvm-all             the same with KVM_KERNELS=all: every series
#                                  of the trixie-backports index (6.16 ... newest),
#                                  each compared with tests/kvm/expected/
#   make kvm-run KVM_KERNEL=trixie KVM_CPU=neoverse-n1   one boot, probe block
#   make kvm-probe                 just build the static arm64 probe
#   make kvm-armcpu                armcpu static for arm64 + the rig's /init
#   make kvm-run ... KVM_RIG_DIR=D boot with D (rig.cmds + files) appended:
#                                  /init runs the probe, then D/rig.cmds
#   make snapshots                 regenerate hosts/qemu-<cpu>-linux-<major.minor>.json
#                                  from fresh probes (tests/kvm/snapshots.sh)
#   make kvm-upgrade               only the rolling-kernel-upgrade rehearsal
#                                  (tests/kvm/upgrade.sh; check-kvm runs it too):
#                                  KVM_UPGRADE_CPUS (CPU[@qemu10] ...), KVM_UPGRADE_FROM,
#                                  KVM_UPGRADE_TO (6.12 -> newest)
#   make check-kvm-migrate-sve     the migration rehearsal between hosts whose
#                                  SVE vector lengths differ (QEMU 10 neoverse-v1
#                                  -> neoverse-n2 under 7.3); the record of its last
#                                  run: tests/kvm/results/migrate-sve.txt
#   make kvm-clean                 remove $(KVM_DIR)
#
# This fragment is included before the top Makefile's first rule: keep its
# default goal.
_kvm_saved_goal := $(.DEFAULT_GOAL)

KVM_DIR ?= $(CURDIR)/build-kvm
KVM_REF ?= $(if $(REF),$(REF),../shared/reference)
KVM_CPUS ?= neoverse-n1 cortex-a72 max,pauth-impdef=on
# trixie-backports major.minor series booted besides 6.1, 6.12, the pinned
# 6.19.14 and the newest ("all": every series of the index)
KVM_KERNELS ?= 6.18
KVM_KERNEL ?= trixie
KVM_CPU ?= neoverse-n1
KVM_CROSS_CC ?= aarch64-linux-gnu-gcc
# the rolling-kernel-upgrade rehearsal: hosts (CPU[@qemu10]; empty: none) and
# kernels A -> B (a major.minor series, a fetched version, a suite or "newest")
KVM_UPGRADE_CPUS ?= neoverse-n1 neoverse-v1,pauth-qarma5=on@qemu10
KVM_UPGRADE_FROM ?= 6.12
KVM_UPGRADE_TO ?= newest
KVM_ENV = KVM_DIR="$(KVM_DIR)" KVM_REF="$(abspath $(KVM_REF))" KVM_CPUS="$(KVM_CPUS)" CROSS_CC="$(KVM_CROSS_CC)" \
  KVM_KERNELS="$(KVM_KERNELS)" KVM_UPGRADE_CPUS="$(KVM_UPGRADE_CPUS)" KVM_UPGRADE_FROM="$(KVM_UPGRADE_FROM)" \
  KVM_UPGRADE_TO="$(KVM_UPGRADE_TO)"

.PHONY: kvm-fetch check-kvm check-kvm-all check-kvm-migrate-sve kvm-run kvm-probe kvm-armcpu kvm-upgrade kvm-clean snapshots

kvm-fetch:
	$(KVM_ENV) tests/kvm/fetch.sh

check-kvm:
	$(KVM_ENV) tests/kvm/check.sh

check-kvm-all:
	$(KVM_ENV) KVM_KERNELS=all tests/kvm/check.sh

KVM_SVE_PAIR ?= neoverse-v1,pauth-qarma5=on@qemu10 neoverse-n2,pauth-qarma5=on@qemu10
check-kvm-migrate-sve:
	@mkdir -p tests/kvm/results
	$(KVM_ENV) KVM_RIG_CPUS="$(KVM_SVE_PAIR)" KVM_RIG_KERNELS=7.3 \
	  KVM_MIGRATE_PAIR="$(KVM_SVE_PAIR)" KVM_UPGRADE_CPUS= tests/kvm/check.sh \
	  > tests/kvm/results/migrate-sve.txt 2>&1; rc=$$?; cat tests/kvm/results/migrate-sve.txt; exit $$rc

kvm-run:
	$(KVM_ENV) $(if $(KVM_RIG_DIR),KVM_RIG_DIR="$(abspath $(KVM_RIG_DIR))") tests/kvm/run.sh "$(KVM_KERNEL)" "$(KVM_CPU)"

snapshots: build
	$(KVM_ENV) ARMCPU="$(CURDIR)/$(BUILD)/armcpu" tests/kvm/snapshots.sh

kvm-armcpu:
	$(KVM_ENV) tests/kvm/build-armcpu.sh

kvm-upgrade: build
	$(KVM_ENV) ARMCPU="$(CURDIR)/$(BUILD)/armcpu" tests/kvm/upgrade.sh

kvm-probe: $(KVM_DIR)/probe

$(KVM_DIR)/probe: tests/kvm/probe.c
	@mkdir -p $(KVM_DIR)
	$(KVM_CROSS_CC) -static -O2 -std=c11 -Wall -Wextra -Werror -o $@ $<

kvm-clean:
	rm -rf $(KVM_DIR)

.DEFAULT_GOAL := $(_kvm_saved_goal)
