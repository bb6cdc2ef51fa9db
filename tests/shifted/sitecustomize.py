"""Moves the real date for a Python process the tests start (a CLI run, an app beside them), when
SHOPKEEP_TEST_SHIFT_DAYS is set: `make test` runs the whole suite with the date a year ahead and a
year back. time-machine moves the wall clock (date.today, datetime.now, time.time), not the monotonic
clock, so timeouts, threads and the event loop behave as usual."""

from shopkeep_test_shift import start

start()
