# SPDX-License-Identifier: LGPL-2.1-or-later
# Thin wrapper over meson for the README's two commands (and a few helpers).
.PHONY: all deps build demo check check-gcc check-clang check-asan check-kvm-or-skip libvirt-schemas regen golden masks clean

PACKAGES := meson ninja-build gcc clang pkg-config libjson-c-dev libcmocka-dev \
  libclang-rt-14-dev valgrind libvirt-clients libxml2-utils
REF ?= ../shared/reference
# oldest first: the last is the layout, older ones keep the names it dropped
SYSREG ?= $(REF)/linux-sysreg.txt $(REF)/linux-sysreg-newest-idregs.txt
POLICY ?= $(REF)/ftr-bits.tsv
# later kernels' cpufeature.c (tools/gen-ftrbits): policies of fields the base lacks
POLICY_AT ?= 7.3 tools/gen-idregs/ftr-bits-7.3.tsv
FEATS ?= $(REF)/aarchmrs-feat-idfields.tsv
DEPS ?= $(REF)/aarchmrs-feat-deps.tsv
BUILD := build

# Optional fragments (e.g. mk/kvm.mk: the real-KVM rig).
-include mk/*.mk

all: build

# Installs missing Debian packages when root; otherwise prints the exact line.
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing || \
	      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; } || exit 2; \
	  else \
	    echo "missing packages; run as root:"; \
	    echo "  apt-get install -y$$missing"; exit 2; \
	  fi; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The main job on the embedded host snapshots: which models each host can run
# and why not, what fixes it, and what a fleet can share.
# Answers exit 3 (no) or 4 (yes, some fields unknown): the demo shows them
# and goes on; any other failure stops it.
DEMO_SAY = case $$rc in 0) ;; 3) echo "(exit 3: the answer is no)";; \
  4) echo "(exit 4: usable, some fields unknown)";; *) exit $$rc;; esac
DEMO_RC = rc=$$?; $(DEMO_SAY)

demo: build
	@echo '$$ armcpu plan graviton3 graviton4      # which kernel makes this fleet migratable?'
	@$(BUILD)/armcpu plan graviton3 graviton4 > $(BUILD)/demo.out; rc=$$?; cut -c1-200 $(BUILD)/demo.out; $(DEMO_SAY)
	@echo
	@echo '$$ armcpu plan graviton3-linux-6.12 --from 6.12 --to 7.3      # a rolling kernel upgrade: NV'
	@$(BUILD)/armcpu plan graviton3-linux-6.12 --from 6.12 --to 7.3 > $(BUILD)/demo.out; rc=$$?; cut -c1-200 $(BUILD)/demo.out; $(DEMO_SAY)
	@echo
	@echo '$$ armcpu plan qemu-neoverse-n1-linux-6.12 tests/data/n1-tgran.json   # differs only in TGRAN4_2'
	@$(BUILD)/armcpu plan qemu-neoverse-n1-linux-6.12 tests/data/n1-tgran.json > $(BUILD)/demo.out; rc=$$?; cut -c1-200 $(BUILD)/demo.out; $(DEMO_SAY)
	@echo
	@for k in 6.12 7.3; do \
	  echo "$$ armcpu models --namesakes --kernel $$k      # each model on the machines it is named after"; \
	  $(BUILD)/armcpu models --namesakes --kernel $$k; $(DEMO_RC); echo; done
	@echo '$$ armcpu hosts | cut -f1,2'
	@$(BUILD)/armcpu hosts | cut -f1,2
	@for h in graviton3 graviton4 qemu-neoverse-n1-linux-6.12; do \
	  echo; echo "$$ armcpu models --host $$h | cut -c1-150"; \
	  $(BUILD)/armcpu models --host $$h > $(BUILD)/demo.out; rc=$$?; cut -c1-150 $(BUILD)/demo.out; $(DEMO_SAY); done
	@echo
	@echo '$$ armcpu fix neoverse-n1-v1 --host qemu-neoverse-n1-linux-6.12'
	@$(BUILD)/armcpu fix neoverse-n1-v1 --host qemu-neoverse-n1-linux-6.12; $(DEMO_RC)
	@echo
	@echo '$$ armcpu baseline qemu-neoverse-n1-linux-6.12 qemu-neoverse-n1-linux-6.19'
	@$(BUILD)/armcpu baseline qemu-neoverse-n1-linux-6.12 qemu-neoverse-n1-linux-6.19; $(DEMO_RC)
	@echo
	@echo '$$ armcpu baseline qemu10-neoverse-v1-linux-7.3 qemu10-neoverse-n2-linux-7.3 | cut -c1-200   # SVE 128+256 and 128: sve128=on'
	@$(BUILD)/armcpu baseline qemu10-neoverse-v1-linux-7.3 qemu10-neoverse-n2-linux-7.3 > $(BUILD)/demo.out; rc=$$?; cut -c1-200 $(BUILD)/demo.out; $(DEMO_SAY)
	@echo
	@echo '$$ armcpu diff graviton4-linux-6.1 graviton4-linux-6.18 | grep -E "psci|smccc"   # the firmware registers a kernel upgrade changes'
	@$(BUILD)/armcpu diff graviton4-linux-6.1 graviton4-linux-6.18 | grep -E "psci|smccc"
	@echo
	@echo '$$ armcpu lint graviton3-v1'
	@$(BUILD)/armcpu lint graviton3-v1
	@rm -f $(BUILD)/demo.out

# Upstream libvirt's RelaxNG schemas (trixie's libvirt-common, downloaded, not
# installed) for validating <blockers>, which Debian 12's libvirt 9.0 predates.
libvirt-schemas:
	@tests/cli/libvirt-schemas.sh build-libvirt

check-gcc: build libvirt-schemas
	meson test -C $(BUILD) --print-errorlogs

# clang 14 writes DWARF 5 by default, which the valgrind of Debian 12 cannot read.
check-clang: deps libvirt-schemas
	[ -f build-clang/build.ninja ] || CC=clang meson setup build-clang -Dc_args=-gdwarf-4
	ninja -C build-clang
	meson test -C build-clang --print-errorlogs

# One full run of the suite under AddressSanitizer + UndefinedBehaviorSanitizer.
check-asan: deps libvirt-schemas
	[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined \
	  -Db_lundef=false -Dc_args=-fno-sanitize-recover=all
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  meson test -C build-asan --print-errorlogs

# The real-KVM rig (mk/kvm.mk, tests/kvm): exit 77 means the kernels could not
# be downloaded (no network); that is reported as skipped, anything else fails.
check-kvm-or-skip:
	@mkdir -p $(KVM_DIR); rm -f $(KVM_DIR)/.skipped; \
	$(KVM_ENV) tests/kvm/check.sh; rc=$$?; \
	if [ $$rc = 77 ]; then echo "check-kvm: SKIPPED (kernels not downloadable here)"; \
	  touch $(KVM_DIR)/.skipped; \
	elif [ $$rc != 0 ]; then exit $$rc; fi

# The last line says whether the real-KVM rig ran: a skip never passes silently.
check: check-gcc check-clang check-asan check-fuzz check-kvm-or-skip
	@if [ -e $(KVM_DIR)/.skipped ]; then \
	  echo "make check: all suites passed (gcc, clang, ASan+UBSan, valgrind, fuzzing); real KVM SKIPPED (see above)"; \
	else \
	  echo "make check: all suites passed (gcc, clang, ASan+UBSan, valgrind, fuzzing, real KVM)"; fi

# Regenerates the committed field table: make regen SYSREG=path POLICY=path
regen: build
	$(BUILD)/gen-idregs $(foreach f,$(SYSREG),--sysreg $(f)) --policy $(POLICY) --policy-at $(POLICY_AT) \
	  --extra tools/gen-idregs/extra-idregs.txt --feats $(FEATS) --deps $(DEPS) -o src/regs/idregs.gen.c

clean:
	rm -rf $(BUILD) build-clang build-asan

# Shipped writable-mask tables (kernels/) from the rig's measurements: run
# `make check-kvm KVM_UPDATE_EXPECTED=1` first to re-measure.
masks:
	bash tools/gen-masks/gen-masks.sh .

# Writes tests/golden/<model>.json for models that have none yet (never
# rewrites an existing one: released models do not change).
golden: build
	tests/golden/check_golden.sh $(BUILD)/armcpu . --update
