# Two commands set everything up on a fresh machine:
#   make run    create .venv if needed, install safehome, open the app
#   make test   the same, then the gates (ruff, mypy --strict, import contracts) and the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test gates bench soak clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# the compiled French catalogue of this checkout (the package build makes its own for a wheel);
# safehome reads the .po itself when it is newer, only more slowly
MO := safehome/i18n/locale/fr_CA/LC_MESSAGES/safehome.mo
$(MO): safehome/i18n/locale/fr_CA/LC_MESSAGES/safehome.po | $(STAMP)
	$(BIN)/pybabel compile -d safehome/i18n/locale -D safehome -l fr_CA

run: $(STAMP) $(MO)
	$(BIN)/safehome $(ARGS)

gates: $(STAMP) $(MO)
	$(BIN)/ruff check safehome tests bench
	$(BIN)/ruff format --check safehome tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: gates
	$(BIN)/python -m pytest -q -n 2

# the fault corpus at full size (kills, full disk, removed journals, deletion while open, parallel imports),
# and the clinic sync's (100 kills inside a sync, 20 laptops x 200 visits at once; needs PostgreSQL)
soak: $(STAMP)
	SAFEHOME_SOAK=1 $(BIN)/python -m pytest -q -n 2 tests/test_faults.py tests/test_bad_input.py tests/test_bad_input_more.py \
	  tests/test_clinic.py tests/test_fhir_v2.py

bench: $(STAMP)
	$(BIN)/python -m bench

# after changing a sentence in safehome/i18n/catalogue.py: refresh the template and the French catalogue
# (new or changed sentences come out untranslated or fuzzy, and tests/test_french.py says which)
POT := safehome/i18n/locale/safehome.pot
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --project safehome --copyright-holder "safehome team" \
	  --msgid-bugs-address "" --omit-header -o $(POT) .
	$(BIN)/pybabel update -i $(POT) -d safehome/i18n/locale -D safehome -l fr_CA --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d safehome/i18n/locale -D safehome -l fr_CA


clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
