# SPDX-License-Identifier: LGPL-2.1-or-later
# Benchmarks (tools/bench/README.md).
#
#   make bench          checks/s, fleet baselines of 10 / 1 000 / 100 000 hosts,
#                       `armcpu models --host` wall time, and QEMU's
#                       query-cpu-definitions for reference: one markdown table
#                       (about 2 minutes: generating 100 000 hosts takes ~12 s)
#   make bench-lib      the library's hot entry points (ctx_new, realize, lookups)
#   make bench BENCH_ARGS="--runs 3 --stress"   extra options for build/bench --hosts
#
# QEMU (qemu-system-arm from bookworm) is installed when missing and run as
# root; otherwise, or without a network, its row prints n/a.
#
# This fragment is included before the top Makefile's first rule: keep its
# default goal.
_bench_saved_goal := $(.DEFAULT_GOAL)

BENCH_BUILD ?= $(if $(BUILD),$(BUILD),build)
BENCH_QEMU ?= qemu-system-aarch64
BENCH_ARGS ?=

.PHONY: bench bench-lib bench-qemu

bench-qemu:
	@if ! command -v $(BENCH_QEMU) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing qemu-system-arm (for the QEMU reference row)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-system-arm || \
	      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
	        --no-install-recommends qemu-system-arm; } || \
	      echo "bench: qemu-system-arm not installable here; the QEMU row will read n/a"; \
	  else \
	    echo "bench: $(BENCH_QEMU) missing (as root: apt-get install -y qemu-system-arm); the QEMU row will read n/a"; \
	  fi; \
	fi

bench: build bench-qemu
	$(BENCH_BUILD)/bench --hosts --armcpu $(BENCH_BUILD)/armcpu --qemu $(BENCH_QEMU) $(BENCH_ARGS)

bench-lib: build
	$(BENCH_BUILD)/bench

.DEFAULT_GOAL := $(_bench_saved_goal)
