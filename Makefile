# PrivacyDesk: `make run` starts the app, `make test` runs every test. Both install what is
# missing first (scripts/install-deps.sh). The cargo build cache lives in CARGO_TARGET_DIR
# (CI keeps it under /var/tmp so repeated runs are incremental).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TARGET_DIR ?= $(CURDIR)/target
export TOOLS_ROOT ?= $(CARGO_TARGET_DIR)/tools
APP_BIN := $(CARGO_TARGET_DIR)/debug/privacydesk-app
# A test run writes screenshots and logs here (not into the user's data).
TEST_OUTPUT ?= $(CURDIR)/test-output

.PHONY: run test deps test-deps ui app lint-fast test-rust test-ui bindings bundle bench bench-window soak lint fmt clean

run: deps ui app
	$(APP_BIN)

deps:
	@scripts/install-deps.sh run

test-deps:
	@scripts/install-deps.sh test

ui:
	cd ui && npm run build

# `generate_context!` embeds ui/dist at compile time: build the UI first.
app: ui
	cargo build --workspace

# One `cargo build --workspace` and one `cargo test --workspace`: the same package selection,
# so features unify identically and nothing is compiled twice.
test: test-deps lint-fast test-ui ui
	cargo build --workspace --all-targets
	cargo clippy --workspace --all-targets -- -D warnings
	$(MAKE) --no-print-directory test-rust
	@echo "make test: every suite passed"

lint-fast:
	cargo fmt --all -- --check

test-ui:
	cd ui && npm run check && npm test

# Every Rust test: core, shell, the real OS keyring and the end-to-end suite through the window.
# The keyring is a private D-Bus session with its own gnome-keyring, never the user's; the
# window runs under Xvfb. Ignored tests (the keyring one) are included here.
test-rust:
	mkdir -p $(TEST_OUTPUT)
	@export XDG_DATA_HOME=$$(mktemp -d) XDG_RUNTIME_DIR=$$(mktemp -d); chmod 700 "$$XDG_RUNTIME_DIR"; \
	export PRIVACYDESK_APP_BINARY=$(APP_BIN) PRIVACYDESK_CLI_BINARY=$(CARGO_TARGET_DIR)/debug/privacydesk TAURI_DRIVER=$(TOOLS_ROOT)/bin/tauri-driver E2E_OUTPUT=$(TEST_OUTPUT) NO_AT_BRIDGE=1; \
	timeout -k 10 1800 dbus-run-session -- bash -c ' \
	  printf %s "test-only" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; \
	  for i in $$(seq 100); do dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break; sleep 0.05; done; \
	  xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace -- --include-ignored'

# Rewrites ui/src/lib/bindings from the Rust types (commit the result).
bindings:
	mkdir -p ui/dist && [ -f ui/dist/index.html ] || echo '<!doctype html>' > ui/dist/index.html
	UPDATE_BINDINGS=1 cargo test --workspace typescript_bindings_are_fresh

# A .deb of the release build, in $(CARGO_TARGET_DIR)/release/bundle/deb/.
bundle: deps ui
	cd ui && TAURI_APP_PATH=../src-tauri TAURI_FRONTEND_PATH=. npx tauri build --bundles deb

# Figures for the notes (release build): every clock of 1,000,000 cases for the dashboard; the
# queue's first page, search and intake on a large encrypted case file (BENCH_QUEUE_CASES);
# one letter, a batch of 1,000 and the memory of a batch of 10,000; the purge of 10,000
# answered cases' verification data.
bench:
	cargo bench -p privacydesk --bench clocks
	cargo bench -p privacydesk --bench queue
	cargo bench -p privacydesk --bench letters
	cargo bench -p privacydesk --bench verification
	cargo bench -p privacydesk --bench records
	cargo bench -p privacydesk --bench retention

# Crash safety (outside `make test`, which runs 10 of these): 100 runs that kill -9 the CLI at
# a random moment of intake, an import, a letters batch, a retention run, a backup and a key
# rotation, and the app during its daily backup, each checked after (opens, integrity_check,
# audit chain, nothing half-done); then the full-disk run and 20,000 random inputs per parser.
# Prints the figures. CRASH_SEED replays a run.
soak: test-deps app
	@export XDG_RUNTIME_DIR=$$(mktemp -d); chmod 700 "$$XDG_RUNTIME_DIR"; \
	CRASH_RUNS=$${CRASH_RUNS:-100} PRIVACYDESK_APP_BINARY=$(APP_BIN) NO_AT_BRIDGE=1 \
	  xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p privacydesk --test integration crash:: -- --nocapture --test-threads 1
	PROPTEST_CASES=$${PROPTEST_CASES:-20000} cargo test -p privacydesk --test integration never_panics -- --nocapture

# The queue through the real window on a large case file made by `privacydesk demo`:
# BENCH_WINDOW_DB=/path/privacydesk.db (key beside it as privacydesk.key). Debug app build.
bench-window: test-deps app
	xvfb-run -a -s "-screen 0 1280x800x24" env PRIVACYDESK_APP_BINARY=$(APP_BIN) \
	  TAURI_DRIVER=$(TOOLS_ROOT)/bin/tauri-driver NO_AT_BRIDGE=1 \
	  cargo bench -p privacydesk-e2e --bench window

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check

fmt:
	cargo fmt --all

clean:
	rm -rf ui/dist $(TEST_OUTPUT)
	cargo clean
