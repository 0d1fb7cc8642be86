# SPDX-License-Identifier: LGPL-2.1-or-later
# libFuzzer targets for the parsers (tests/fuzz/, tests/fuzz/README.md).
#
#   make fuzz-build                 build $(FUZZ_DIR)/fuzz-{realize,model_file,parse,host,check}
#   make fuzz FUZZ_SECONDS=N        replay regressions, then fuzz each target N s
#   make check-fuzz                 the same, FUZZ_CHECK_SECONDS (30) s per target;
#                                   fails on any crash, leak, timeout or sanitizer report
#   make fuzz-one FUZZ_TARGET=realize FUZZ_SECONDS=N   one target
#   make fuzz-long FUZZ_TARGET=realize [FUZZ_RUNS=10000000]
#                                   one long run (tests/fuzz/long.sh): a copy of
#                                   the binary on a copy of the corpus under
#                                   $(FUZZ_DIR)/long/<target>/, nice 5, one process
#   make fuzz-merge                 fold inputs with new coverage from
#                                   $(FUZZ_DIR)/corpus into tests/fuzz/corpus
#   make fuzz-clean                 remove $(FUZZ_DIR)
#
# The targets are built with clang -fsanitize=fuzzer,address,undefined
# straight from the library sources that meson.build lists (lib_sources, read
# from meson.build so the two never drift) plus the models.gen.c that the
# meson build in $(BUILD) generates (every custom_target output '*.gen.c',
# e.g. models.gen.c): the library is instrumented for coverage,
# which the ASan meson build (build-asan) is not. The "did you mean" edit
# distance is left out of the comparison tracing (tests/fuzz/coverage-ignore.txt):
# it compares every rejected name with ~1000 names, which is no coverage signal.
#
# This fragment is included before the top Makefile's first rule: keep its
# default goal.
_fuzz_saved_goal := $(.DEFAULT_GOAL)

FUZZ_DIR ?= build-fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 30
FUZZ_TARGETS := realize model_file parse host check fleet
FUZZ_TARGET ?= realize
FUZZ_BUILD ?= $(if $(BUILD),$(BUILD),build)
FUZZ_LIB_SRCS := $(shell sed -n "/^lib_sources = files(/,/)/p" meson.build | grep -o "'src/[^']*'" | tr -d "'")
FUZZ_GEN_SRCS := $(shell sed -n "s/^ *output : '\([A-Za-z0-9_.-]*\.gen\.c\)'.*/\1/p" meson.build)
FUZZ_LIB_OBJS := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIB_SRCS)) \
  $(patsubst %.c,$(FUZZ_DIR)/obj/gen/%.o,$(FUZZ_GEN_SRCS))
FUZZ_CFLAGS ?= -g -O1 -std=c11 -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_COV_IGNORE := -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
FUZZ_SAN := address,undefined
FUZZ_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc $(shell pkg-config --cflags json-c 2>/dev/null)
FUZZ_LIBS := $(shell pkg-config --libs json-c 2>/dev/null)
FUZZ_HDRS := $(wildcard include/armcpu/*.h src/*/*.h)
FUZZ_BINS := $(addprefix $(FUZZ_DIR)/fuzz-,$(FUZZ_TARGETS))
FUZZ_ENV = FUZZ_DIR="$(FUZZ_DIR)" ARMCPU="$(FUZZ_BUILD)/armcpu"

.PHONY: fuzz-build fuzz-bins fuzz check-fuzz fuzz-one fuzz-long fuzz-merge fuzz-clean
# Keep the instrumented library objects between builds.
.SECONDARY: $(FUZZ_LIB_OBJS)

# The meson build first (it generates models.gen.c and the CLI used for the
# dictionaries), then the instrumented binaries.
fuzz-build: build
	@$(MAKE) --no-print-directory fuzz-bins

fuzz-bins: $(FUZZ_BINS)

$(FUZZ_DIR)/obj/%.o: src/%.c $(FUZZ_HDRS) tests/fuzz/coverage-ignore.txt
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) $(FUZZ_COV_IGNORE) $(FUZZ_CPPFLAGS) -c -o $@ $<

$(FUZZ_DIR)/obj/gen/%.o: $(FUZZ_BUILD)/%.c $(FUZZ_HDRS) tests/fuzz/coverage-ignore.txt
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) $(FUZZ_COV_IGNORE) $(FUZZ_CPPFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -Werror -fsanitize=fuzzer,$(FUZZ_SAN) $(FUZZ_CPPFLAGS) \
	  -o $@ $< $(FUZZ_LIB_OBJS) $(FUZZ_LIBS)

fuzz: fuzz-build
	$(FUZZ_ENV) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

check-fuzz: fuzz-build
	$(FUZZ_ENV) tests/fuzz/run.sh $(FUZZ_CHECK_SECONDS) $(FUZZ_TARGETS)

fuzz-one: fuzz-build
	$(FUZZ_ENV) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGET)

FUZZ_RUNS ?= 10000000
fuzz-long: fuzz-build
	@[ -s $(FUZZ_DIR)/$(FUZZ_TARGET).dict ] || $(FUZZ_ENV) tests/fuzz/run.sh 1 $(FUZZ_TARGET) >/dev/null
	$(FUZZ_ENV) tests/fuzz/long.sh $(FUZZ_TARGET) $(FUZZ_RUNS)

fuzz-merge: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t; \
	  $(FUZZ_DIR)/fuzz-$$t -merge=1 tests/fuzz/corpus/$$t $(FUZZ_DIR)/corpus/$$t 2>&1 | grep -E '^MERGE-OUTER: [0-9]+ new files' || exit 1; \
	done

fuzz-clean:
	rm -rf $(FUZZ_DIR)

.DEFAULT_GOAL := $(_fuzz_saved_goal)
