# SwiftKeras: the two commands a newcomer needs are `make demo` and `make test`.
# Both first install what is missing of libopenblas-dev, zlib1g-dev, libhdf5-dev, libpng-dev,
# libturbojpeg0-dev, Open MPI and dataset-fashion-mnist through apt-get (see Scripts/install-deps.sh).

SWIFT ?= swift
# The suites are XCTest. Swift Testing's runner would print a closing "0 tests" line
# after XCTest's summary, so it is turned off. Tests run serially: on 2 cores --parallel
# saved about 2 s of a 25 s fresh `make test` (the time is in the build), and it drops
# XCTest's "Executed N tests, with N failures" summary that CI reads. Override with
# `make test TEST_FLAGS="--disable-swift-testing --parallel"`.
TEST_FLAGS ?= --disable-swift-testing

.PHONY: all deps demo test bench build format help fuzz

all: test

help:
	@echo "make demo    install deps, then run the demo (release build)"
	@echo "make test    install deps, then run the whole test suite"
	@echo "make bench   install deps, then run the core benchmarks (release build)"
	@echo "make fuzz    fuzz every file reader with libFuzzer + ASan (FUZZ_SECONDS each, default 600)"
	@echo "make build   install deps, then build everything (debug)"
	@echo "make deps    install libopenblas-dev, zlib1g-dev, libhdf5-dev, libpng-dev, libturbojpeg0-dev, dataset-fashion-mnist, Open MPI if missing"
	@echo "make format  run swift-format over Sources and Tests"

deps:
	@bash Scripts/install-deps.sh

demo: deps
	$(SWIFT) run -c release swiftkeras-demo

test: deps
	$(SWIFT) test $(TEST_FLAGS)

# Each reader under libFuzzer and AddressSanitizer for FUZZ_SECONDS, starting from its
# committed corpus; inputs that reach new code are kept in Fuzz/findings/<reader>, crashes
# are written there as crash-*, with the fuzzer's whole log (stacks included) in fuzz.log.
# `make test` replays Fuzz/corpus through the same readers.
FUZZ_SECONDS ?= 600
# LeakSanitizer on by default (FUZZ_LEAKS=0 turns it off). A failed huge malloc returns
# NULL as glibc's does (libhdf5 asks for terabytes when a corrupt file says so, then fails
# cleanly); the RSS limit still catches real growth.
FUZZ_LEAKS ?= 1
FUZZ_READERS = keras weights json skw idx
fuzz: deps
	# SwiftPM's --sanitize=fuzzer instruments only the executables' own code: the coverage
	# flags below instrument SwiftKeras itself (about 49,000 edges instead of 4,300).
	# From scratch: SwiftPM does not rebuild when only these flags change.
	rm -rf Fuzz/.build
	cd Fuzz && $(SWIFT) build -c release --sanitize=fuzzer --sanitize=address \
	  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
	@for reader in $(FUZZ_READERS); do \
	  mkdir -p Fuzz/findings/$$reader; \
	  echo "== fuzz-$$reader for $(FUZZ_SECONDS) s"; \
	  LSAN_OPTIONS=suppressions=Fuzz/lsan-suppressions.txt ASAN_OPTIONS=allocator_may_return_null=1 \
	  Fuzz/.build/release/fuzz-$$reader -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 \
	    -detect_leaks=$(FUZZ_LEAKS) -malloc_limit_mb=100000000 \
	    -artifact_prefix=Fuzz/findings/$$reader/ Fuzz/findings/$$reader Fuzz/corpus/$$reader \
	    2>&1 | tee Fuzz/findings/$$reader/fuzz.log | grep -E "DONE|ERROR|SUMMARY|^Done" || exit 1; \
	done

bench: deps
	$(SWIFT) run -c release swiftkeras-bench core

build: deps
	$(SWIFT) build

format:
	$(SWIFT) format format --in-place --recursive Sources Tests
