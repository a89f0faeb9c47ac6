# dltdump — the two commands of the quick start, and a few more.
#   make run    install what is missing, build, decode the bundled samples
#   make test   build with -Werror and run every test, then again under ASan+UBSan, and the
#               parallel decoder, the packet ring and replay under ThreadSanitizer; last, the
#               end-to-end fuzz target fuzz_cli for FUZZ_CI_SECONDS under ASan+UBSan
#   make bench  end-to-end comparisons: decoding vs dlt-convert and cat (bench/compare.sh),
#               reading captures vs tshark and capinfos (bench/compare_capture.sh), filters
#               (compare_filter.sh), writing DLT files vs cp and dlt-convert (compare_output.sh),
#               live UDP recording vs dlt-receive -u (compare_live.sh, as root), JSON/CSV
#               records and --stats vs text and --none, JSON vs tshark -T ek (compare_records.sh)
#   make fuzz   build the libFuzzer targets (FUZZ_SECONDS=N runs each for N seconds)
#   make format format every C++ file as .clang-format says (make test checks it, and runs
#               clang-tidy on the files changed since TIDY_BASE, default HEAD~1)
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 60

.PHONY: run test build compile deps bench fuzz samples clean format lint lint-only

deps:
	@scripts/install-deps.sh

build: deps compile

# The build alone, without looking for packages.
compile:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDLTDUMP_WERROR=ON
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@echo "== examples/sample.dlt (DLT file with storage headers), first lines, with --position"
	@TZ=UTC $(BUILD)/src/dltdump --position examples/sample.dlt | head -n 8
	@echo "== examples/sample-net.bin (--format=net)"
	@TZ=UTC $(BUILD)/src/dltdump --format=net examples/sample-net.bin | head -n 5
	@echo "== examples/sample-serial.bin (--format=ser)"
	@TZ=UTC $(BUILD)/src/dltdump --format=ser examples/sample-serial.bin | head -n 5
	@echo "== examples/sample-corrupt.dlt (garbage and a truncated end: SKIP lines, decoding resumes)"
	@TZ=UTC $(BUILD)/src/dltdump examples/sample-corrupt.dlt | grep -B1 -A1 SKIP | head -n 12

# Each phase of `make test` is timed into $(BUILD)/phases.txt (scripts/phase.sh), printed
# at the end or at the first failure.
PHASE = scripts/phase.sh $(BUILD)/phases.txt
# The suites of the threaded code, in the files of concurrency_test_sources (tests/CMakeLists.txt).
TSAN_TESTS = ShrinkGuard.*:SortedRun.*:ParallelDecode.*:ParallelStreamDecode.*:CutPoints.*:Ring.*:Replay.*:ParallelCapture.*:ChunkedCapture.*:LiveUdp.*:FdWriter.*:DltSink.*:CompressedOutput.*:FrameCompressor.*:DecompressingSource.*:ArchiveReader.*

test:
	@mkdir -p $(BUILD) && rm -f $(BUILD)/phases.txt
	@$(PHASE) packages scripts/install-deps.sh
	@$(PHASE) build $(MAKE) --no-print-directory compile
	@$(PHASE) lint $(MAKE) --no-print-directory lint-only
	@$(PHASE) tests sh -c 'cd $(BUILD) && ctest --output-on-failure -j $(JOBS)'
	@$(PHASE) tsan-build sh -c 'cmake -S . -B $(BUILD)-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDLTDUMP_WERROR=ON -DDLTDUMP_TSAN=ON -DDLTDUMP_BENCH=OFF && cmake --build $(BUILD)-tsan -j $(JOBS) --target unit_tests'
	@$(PHASE) tsan-tests sh -c "cd $(BUILD)-tsan && TZ=UTC ./tests/unit_tests --gtest_brief=1 --gtest_filter='$(TSAN_TESTS)'"
	@$(PHASE) asan-build sh -c 'cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDLTDUMP_WERROR=ON -DDLTDUMP_SANITIZE=ON && cmake --build $(BUILD)-asan -j $(JOBS)'
	@$(PHASE) asan-tests sh -c 'cd $(BUILD)-asan && ctest --output-on-failure -j $(JOBS)'
	@$(PHASE) fuzz_cli fuzz/ci.sh $(BUILD)-fuzz $(FUZZ_CI_SECONDS)
	@$(PHASE) total true

lint: build lint-only

lint-only:
	scripts/check-format.sh
	scripts/check-layers.sh
	scripts/check-tidy.sh $(BUILD)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i --style=file

bench: build
	bench/compare.sh $(BUILD)
	bench/compare_capture.sh $(BUILD)
	bench/compare_dlt_capture.sh $(BUILD)
	bench/compare_filter.sh $(BUILD)
	bench/compare_output.sh $(BUILD)
	bench/compare_fibex.sh $(BUILD)
	bench/compare_records.sh $(BUILD)
	bench/compare_live.sh $(BUILD)

fuzz: deps
	CXX=clang++ cmake -S . -B $(BUILD)-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DDLTDUMP_FUZZ=ON -DDLTDUMP_SANITIZE=ON -DBUILD_TESTING=OFF
	cmake --build $(BUILD)-fuzz -j $(JOBS)
	fuzz/run.sh $(BUILD)-fuzz $(FUZZ_SECONDS)

# Rebuilds the bundled samples from the generator (they are small and committed).
samples: build
	$(BUILD)/tools/dltgen --format file --count 60 --seed 2024 -o examples/sample.dlt
	$(BUILD)/tools/dltgen --format net --count 20 --seed 2025 -o examples/sample-net.bin
	$(BUILD)/tools/dltgen --format ser --count 20 --seed 2026 -o examples/sample-serial.bin
	$(BUILD)/tools/dltgen --format file --count 20 --seed 2027 --corrupt 20 --truncate -o examples/sample-corrupt.dlt

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-tsan $(BUILD)-fuzz
