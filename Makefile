# make run  — install, migrate and serve on http://127.0.0.1:5000 (SQLite in instance/; PORT= another port)
# make test — install what the tests need and run every test, on SQLite and PostgreSQL
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
STAMP  := $(VENV)/.installed
PORT   ?= 5000

.PHONY: run test install system-deps system-test-deps translations migrate demo messages bench

run: install translations instance/settings.py migrate
ifdef DEMO
	$(FLASK) demo-data --base-url http://127.0.0.1:$(PORT)
endif
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Three test workers on the machine's two cores, each with a database of its own: the tests wait on
# PostgreSQL, the browser and the servers they start often enough that a third keeps both cores busy.
TEST_WORKERS ?= 3

test: install system-test-deps translations
	REQUIRE_POSTGRES=1 REQUIRE_REDIS=1 scripts/with-postgres.sh $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

install: system-deps $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# WeasyPrint draws with Pango and subsets the fonts it embeds (DejaVu) with HarfBuzz. DejaVu Sans has
# the Latin, Cyrillic and Arabic letters, so the printed sheet needs no other font in uk and ar.
system-deps:
	@scripts/apt-ensure.sh libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

# A PostgreSQL server to test against, Redis for the shared rate-limit counts, and the browser
# the respondent tests drive.
system-test-deps: system-deps
	@scripts/apt-ensure.sh postgresql chromium redis-server

translations: $(STAMP)
	@$(VENV)/bin/pybabel -q compile -d translations

# The sealing key of respondents' links (LINK_KEYS) is generated like SECRET_KEY, and added to an
# older settings.py that has none.
LINK_KEY_LINE := $(PY) -c "from cryptography.fernet import Fernet; print(f'LINK_KEYS = [{Fernet.generate_key().decode()!r}]')"

instance/settings.py: $(STAMP)
	mkdir -p instance
	test -f $@ || $(PY) -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@
	grep -q '^SESSION_COOKIE_SECURE' $@ || echo "SESSION_COOKIE_SECURE = False  # http://127.0.0.1 in development" >> $@
	grep -q '^REMEMBER_COOKIE_SECURE' $@ || echo "REMEMBER_COOKIE_SECURE = False" >> $@
	grep -q '^LINK_KEYS' $@ || $(LINK_KEY_LINE) >> $@
	touch $@

migrate: $(STAMP) instance/settings.py
	$(FLASK) db upgrade

demo: install translations instance/settings.py migrate
	$(FLASK) demo-data --base-url http://127.0.0.1:$(PORT)

# Extract the Danish source texts and merge them into every catalogue.
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k _plural:1,2 -o translations/messages.pot --no-location --omit-header .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --width 0

bench: install translations
	$(PY) bench/page_weight.py
	$(PY) bench/case_report.py
	$(PY) bench/staff_pages.py
	$(PY) bench/calls.py
	$(PY) bench/figures.py
