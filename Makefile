# The two quick-start commands of the README.
.PHONY: run test setup bench

run:            ## install everything, then the editor on the sample (its PDF without a display)
	sh tools/setup.sh
	.venv/bin/python main.py sample

test:           ## install the test dependencies, then the whole test suite
	sh tools/setup.sh --test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest

bench:          ## benchmark figures (not tests)
	.venv/bin/python bench/bench_layout.py
