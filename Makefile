# The two commands of the README: `make demo` and `make test`. Both set everything up first
# (missing Debian packages, CMake configure + Release build into build/) and are idempotent.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: all deps configure build demo test bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/Makefile: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: deps $(BUILD)/Makefile

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/wst demo

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/wst-bench --benchmark_counters_tabular=true

clean:
	rm -rf $(BUILD)
