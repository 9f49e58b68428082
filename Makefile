# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup samples bench clean browser ocrlibs fuzz
FUZZ_EXAMPLES ?= 1500
FUZZ_SEED ?= 1

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,ocr,cluster]'
	touch $(STAMP)

setup: $(STAMP)

# the ocr extra's opencv (pulled in by rapidocr-onnxruntime) loads libGL and glib at import;
# installed when missing and root, otherwise OCR reports E106 with this advice
ocrlibs:
	@libs=$$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null); \
	  { echo "$$libs" | grep -q 'libGL\.so\.1' && echo "$$libs" | grep -q 'libgthread-2\.0\.so\.0'; } || \
	  { [ "$$(id -u)" -eq 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgl1 libglib2.0-0 >/dev/null; } || \
	  echo "未安装 libgl1/libglib2.0-0（需要 root），扫描件 OCR 不可用"

run: $(STAMP) ocrlibs
	@# exit 1 means findings were written, which is the job done
	$(BIN)/extractor batch samples/batch -o output/ || [ $$? -eq 1 ]

# headless Chromium for tests/test_report_browser.py: installed when missing and root (CI);
# otherwise those tests say they are skipped and why
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list | grep -qi "Noto Sans CJK" || \
	  { [ "$$(id -u)" -eq 0 ] && apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-noto-cjk; } || \
	  echo "未安装 chromium/chromium-driver/fonts-noto-cjk（需要 root），浏览器测试将跳过"

test: $(STAMP) ocrlibs browser
	$(BIN)/python -m pytest

# mutated sample files through `extractor check`: counts of exit codes, kills, tracebacks, E110
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz_run.py $(FUZZ_EXAMPLES) $(FUZZ_SEED)

samples: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,ocr,samples]'
	$(BIN)/python samples/generate.py

bench: $(STAMP)
	$(BIN)/python bench/pdf_reader.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/ocr_speed.py

clean:
	rm -rf $(VENV) output/*.json output/*.csv output/*.xlsx output/*.html
