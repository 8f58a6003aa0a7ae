# Thin wrapper over CMake with the project's fixed targets:
#   make          build everything into build/
#   make run      build pymm quietly (errors only) and run the guided tour
#                 (examples/py/tour.py) under it
#   make test     install what is missing, build (gcc), run every test, then the
#                 same suite under ASan+UBSan built with clang (build-asan/)
#   make bench    every benchmark suite that exists (a missing one is reported
#                 and skipped); make bench-<suite> one suite (fails if missing)
#   make install  header, libraries, pymm.pc into PREFIX (default /usr/local),
#                 whatever prefix build/ was first configured with
BUILD      ?= build
ASAN_BUILD ?= build-asan
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_GEN   = cmake -S . -B
CONFIGURE   = $(CMAKE_GEN) $(BUILD) -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all build run test test-fast test-asan deps install bench clean check-dis \
        bench-alloc bench-objects bench-gc bench-buffer bench-interp bench-cpython

all: build

$(BUILD)/CMakeCache.txt:
	$(CONFIGURE)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The tour is the first thing a newcomer sees: configure and build pymm
# with the output kept in a log (shown, errors first, only if the build
# fails), then run the seven tours under it.  (The C embedding example,
# pymm-demo, is built with everything and run by ctest: example_demo.)
run:
	@bash scripts/install-deps.sh
	@mkdir -p $(BUILD); log=$(BUILD)/make-run.log; \
	 if { [ -f $(BUILD)/CMakeCache.txt ] || $(CONFIGURE); } >$$log 2>&1 && \
	    cmake --build $(BUILD) -j $(JOBS) --target pymm >>$$log 2>&1; then :; else \
	   grep -E -A4 'error|Error|ERROR' $$log || cat $$log; \
	   echo "make run: the build failed (full log: $$log)" >&2; exit 1; fi
	@./$(BUILD)/pymm examples/py/tour.py

deps:
	@bash scripts/install-deps.sh

test: deps
	$(MAKE) test-fast
	$(MAKE) test-asan

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE gc_torture

$(ASAN_BUILD)/CMakeCache.txt:
	$(CMAKE_GEN) $(ASAN_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DPYMM_SANITIZE=ON -DPYMM_BUILD_TOOLS=OFF

test-asan: $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -LE slow

# The prefix is given at install time (not fixed when build/ was configured),
# and pymm.pc, generated at configure time, is pointed at it.
install: build
	cmake --install $(BUILD) --prefix "$(abspath $(PREFIX))"
	@pc=$$(ls "$(abspath $(PREFIX))"/lib*/pkgconfig/pymm.pc "$(abspath $(PREFIX))"/lib/*/pkgconfig/pymm.pc 2>/dev/null | head -1); \
	 [ -n "$$pc" ] || { echo "make install: no pymm.pc under $(PREFIX)" >&2; exit 1; }; \
	 sed -i 's|^prefix=.*|prefix=$(abspath $(PREFIX))|' "$$pc"

# `make bench`: every suite with a bench/run-<suite>.sh, in order; a suite not
# written yet is skipped with a line saying so; any suite failing fails the
# whole (after the others have run).
BENCH_SUITES = bench-alloc bench-objects bench-gc bench-buffer bench-interp bench-cpython
bench: deps build
	@failed=""; for t in $(BENCH_SUITES); do s=$${t#bench-}; \
	   if [ -f bench/run-$$s.sh ]; then echo "== $$t"; bash bench/run-$$s.sh $(BUILD) || failed="$$failed $$t"; \
	   else echo "== $$t: skipped, no such suite yet (bench/run-$$s.sh)"; fi; done; \
	 if [ -n "$$failed" ]; then echo "make bench: FAILED:$$failed" >&2; exit 1; fi

$(BENCH_SUITES): deps build
	@s=$(@:bench-%=%); if [ -f bench/run-$$s.sh ]; then bash bench/run-$$s.sh $(BUILD); \
	 else echo "$@: no such suite yet (bench/run-$$s.sh)" >&2; exit 1; fi

# The front end against python3 over its whole standard library (Lib/, tests
# included; files python3 itself rejects are skipped and counted):
#   dis via pyc   python3's code objects through pymm's marshal + dis
#   dis via py    pymm compiles the source: `pymm --dis` == `python3 -m dis`
#   strict        every code attribute of `pymm --compile`'s .pyc
# Failures are listed in $(BUILD)/check-dis-*.txt.  Fails below 95% (dis via py).
STDLIB ?= $(shell python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
check-dis: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target pymm
	@python3 tests/dis/compare.py dis $(BUILD)/pymm --via pyc --quiet --floor 0 --jobs $(JOBS) \
	  --list $(BUILD)/check-dis-pyc.txt $(STDLIB)
	@python3 tests/dis/compare.py strict $(BUILD)/pymm --via compile --quiet --floor 0 --jobs $(JOBS) \
	  --list $(BUILD)/check-dis-strict.txt $(STDLIB)
	@python3 tests/dis/compare.py dis $(BUILD)/pymm --via py --quiet --floor 95 --jobs $(JOBS) \
	  --list $(BUILD)/check-dis-py.txt $(STDLIB)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
