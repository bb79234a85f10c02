"""A child process for the store's crash and concurrency tests.

Usage: python -m tests.store_child DB ASSESSMENT_ID PREFIX COUNT
Saves COUNT answers (item ids PREFIX0, PREFIX1, ...) one by one, printing each id only
after save_answer returned, i.e. after the commit.
"""

import sys

from safehome.storage.store import Store

db, aid, prefix, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
store = Store(db)
for n in range(count):
    item = f"{prefix}{n}"
    store.save_answer(aid, item, "yes" if n % 2 else "no", note=f"note {item} ✓")
    print(item, flush=True)
print("done", flush=True)
