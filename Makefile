# vaksam — the README's two commands are `make serve` and `make check`
# (through ./setup, which first installs make itself on a bare machine).
# meson + ninja do the building; this file only names the jobs.

BUILD ?= build
ASAN ?= build-asan

.PHONY: all deps deps-test build release serve demo demo-hunt check test asan \
	fuzz format format-check bench clean

all: build

deps:
	sh scripts/deps.sh build

deps-test:
	sh scripts/deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The optimised build in build-release/: -O3, LTO and profile-guided
# optimisation from a training sweep (scripts/release.sh).
release:
	sh scripts/release.sh build-release

# The main job: the portal on the embedded store with a fictional
# municipality (prints the URL and the demo accounts; Ctrl-C stops it).
serve: deps build
	$(BUILD)/vaksam serve --demo --data $(BUILD)/demo-data

# A demo hunt over sample data.
demo demo-hunt: deps build
	sh scripts/demo.sh $(BUILD)/vaksam

# Every test: normal build, sanitizer build, fuzz corpora, format, docs;
# ends with "N passed, N failed".
check: deps-test
	sh scripts/check.sh

test: build
	meson test -C $(BUILD) --print-errorlogs

fuzz:
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C build-fuzz

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

bench:
	sh scripts/deps.sh bench
	sh bench/hunt/run.sh

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz build-release
