# The two quick-start commands of the README.
.PHONY: run test lint setup bench

run:            ## install everything, then the editor on the sample (its PDF without a display)
	sh tools/setup.sh
	.venv/bin/python main.py sample

test:           ## install the test dependencies, then lint (ruff, import layers) and the whole test suite
	sh tools/setup.sh --test
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	BANMIAN_REQUIRE_PG=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest

lint:           ## ruff and the import layers (pyproject.toml) only
	.venv/bin/ruff check .
	.venv/bin/lint-imports

bench:          ## benchmark figures (not tests)
	.venv/bin/python bench/bench_layout.py
