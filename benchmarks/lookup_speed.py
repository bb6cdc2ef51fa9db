"""How fast `CustomerIndex.search` answers a keystroke on a big shop, against naive rapidfuzz.

Builds (deterministically, in memory) N customers with Russian (Cyrillic), Polish (diacritics) and
English names, emails and E.164 phones, plus a few "probe" customers with near-miss decoys. Then it
simulates typing: for each query of a fixed set, every prefix of length >= 2 is one keystroke. Each
keystroke is timed for the index and for the naive baseline, `rapidfuzz.process.extract` with WRatio
over one "name email phone" string per customer, in the same run. Prints p50/p95 for both, the ratio,
and for every full query the top result of each (agreement, and whether the intended customer came first).
Target: index p95 <= 20 ms per keystroke at 100k customers.

Run: .venv/bin/python benchmarks/lookup_speed.py [--customers N] [--index-only]
(--index-only skips the naive baseline, which takes most of the run's time.)
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time

from rapidfuzz import fuzz, process, utils

from shopkeep.lookup import CustomerIndex
from shopkeep.translit import fold

FIRST = {
    "ru": [
        "Александр",
        "Алексей",
        "Андрей",
        "Дмитрий",
        "Сергей",
        "Михаил",
        "Николай",
        "Павел",
        "Владимир",
        "Фёдор",
        "Артём",
        "Юрий",
        "Ольга",
        "Елена",
        "Татьяна",
        "Наталья",
        "Мария",
        "Светлана",
        "Юлия",
        "Екатерина",
        "Ирина",
        "Людмила",
        "Анастасия",
        "Ксения",
        "Галина",
        "Анна",
    ],
    "pl": [
        "Katarzyna",
        "Małgorzata",
        "Agnieszka",
        "Krzysztof",
        "Tomasz",
        "Paweł",
        "Michał",
        "Łukasz",
        "Wojciech",
        "Józef",
        "Jerzy",
        "Barbara",
        "Ewa",
        "Elżbieta",
        "Magdalena",
        "Joanna",
        "Piotr",
        "Marek",
        "Grzegorz",
        "Zofia",
    ],
    "en": [
        "James",
        "Oliver",
        "Emma",
        "Olivia",
        "Harry",
        "George",
        "Amelia",
        "Jack",
        "Charlotte",
        "Sophie",
        "William",
        "Thomas",
        "Emily",
        "Jessica",
        "Daniel",
        "Lucy",
        "Grace",
        "Henry",
        "Isla",
        "Noah",
    ],
}
LAST = {
    "ru": [
        "Кузнецов",
        "Попов",
        "Васильев",
        "Соколов",
        "Михайлов",
        "Новиков",
        "Фёдоров",
        "Морозов",
        "Волков",
        "Алексеев",
        "Лебедев",
        "Семёнов",
        "Егоров",
        "Павлов",
        "Козлов",
        "Степанов",
        "Николаев",
        "Орлов",
        "Андреев",
        "Макаров",
        "Никитин",
        "Захаров",
        "Зайцев",
        "Соловьёв",
        "Борисов",
        "Яковлев",
        "Григорьев",
        "Романов",
        "Воробьёв",
        "Сергеев",
    ],
    "pl": [
        "Nowak",
        "Kowalski",
        "Wójcik",
        "Kowalczyk",
        "Kamiński",
        "Lewandowski",
        "Zieliński",
        "Szymański",
        "Woźniak",
        "Dąbrowski",
        "Kozłowski",
        "Jankowski",
        "Mazur",
        "Krawczyk",
        "Piotrowski",
        "Grabowski",
        "Pawłowski",
        "Michalski",
        "Król",
        "Wieczorek",
    ],
    "en": [
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Williams",
        "Wilson",
        "Johnson",
        "Davies",
        "Robinson",
        "Wright",
        "Thompson",
        "Evans",
        "Walker",
        "White",
        "Roberts",
        "Green",
        "Hall",
        "Wood",
        "Jackson",
        "Clarke",
    ],
}
DOMAINS = {
    "ru": ["mail.ru", "yandex.ru", "gmail.com", "bk.ru"],
    "pl": ["wp.pl", "onet.pl", "gmail.com", "o2.pl"],
    "en": ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com"],
}
# Probe customers: the intended answers of the query set, with decoys that look alike.
PROBES = [
    ("Анна Иванова", "anna.ivanova.shop@mail.ru", "+79161234567", None),
    ("Иван Иванов", "ivanov.ivan@mail.ru", "+79167654321", None),
    ("Анна Ивановская", None, "+79161234576", None),
    ("Пётр Смирнов", "p.smirnov@yandex.ru", "+79031112233", None),
    ("Петра Смирнова", None, "+79031112234", None),
    ("Zofia Wiśniewska", "zofia.w@wp.pl", "+48600123456", None),
    ("Zofia Wiśniewski", None, "+48600123465", None),
    ("Oliver Pemberton", "oliver.pemberton@outlook.com", "+447700900123", None),
    ("Olivia Pembleton", None, "+447700900321", None),
    ("Ирина Кудрявцева", "irina.kudr@mail.ru", "+79265550011", "SK-77881"),
    ("Lucy Fletcher", "lucy.f@gmail.com", "+447543187851", None),
    ("Lucy Fletchley", None, "+447543187815", None),
]
# (query, index of the intended probe or None when only speed is of interest)
QUERIES = [
    ("ivnaova", 0),
    ("ivanova", 0),
    ("anna ivanova", 0),
    ("petr smirnov", 3),
    ("wisniewska", 5),
    ("zofia wisniewska", 5),
    ("8 916 123-45-67", 0),
    ("123-45-67", 0),
    ("07700 900123", 7),
    ("+44 7700 900123", 7),
    ("oliver pemberton", 7),
    ("pembreton", 7),
    ("irina.kudr", 9),
    ("kudryavtseva", 9),
    ("SK-77881", 9),
    ("+44 (0)7543-187851", 10),  # the "(0)" trunk notation
    ("люси флетчер", 10),  # another script: by how it sounds
    ("Lucy Флетчер", 10),
    ("sofi smyth", None),  # Sophie Smith, as it sounds (many in this shop)
    ("Иванова", None),
    ("ekaterina sokolova", None),
    ("katarzyna nowak", None),
    ("james smith", None),
    ("gmail.com", None),
]


def make_rows(n: int, seed: int = 11) -> tuple[list[dict], list[int]]:
    rng = random.Random(seed)
    rows: list[dict] = []
    for i in range(1, n - len(PROBES) + 1):
        lang = rng.choices(["ru", "pl", "en"], [5, 3, 2])[0]
        first, last = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
        if lang == "ru" and first.endswith(("а", "я")):
            last += "а"
        elif lang == "pl" and first.endswith("a") and last.endswith("ski"):
            last = last[:-1] + "a"
        email = None
        if rng.random() < 0.9:
            suffix = rng.choice(["", str(rng.randrange(1, 100)), str(rng.randrange(1960, 2006))])
            local = f"{fold(first)}.{fold(last)}{suffix}"
            email = f"{local}@{rng.choice(DOMAINS[lang])}"
        phone = None
        if rng.random() < 0.8:
            phone = {
                "ru": f"+79{rng.randrange(10**9):09d}",
                "pl": f"+48{rng.choice('567')}{rng.randrange(10**8):08d}",
                "en": f"+447{rng.randrange(10**9):09d}",
            }[lang]
        rows.append({"id": i, "name": f"{first} {last}", "email": email, "phone": phone, "external_id": f"{i:07d}"})
    probe_ids = []
    for name, email, phone, external_id in PROBES:
        probe_ids.append(len(rows) + 1)
        rows.append({"id": len(rows) + 1, "name": name, "email": email, "phone": phone, "external_id": external_id})
    return rows, probe_ids


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(fn, *args, **kwargs):
    """fn's result, wall milliseconds and this thread's CPU milliseconds."""
    w0, c0 = time.perf_counter(), time.thread_time()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - w0) * 1000, (time.thread_time() - c0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--index-only", action="store_true", help="skip the naive baseline")
    args = parser.parse_args()

    rows, probe_ids = make_rows(args.customers)
    started = time.perf_counter()
    index = CustomerIndex.from_rows(rows)
    build_s = time.perf_counter() - started
    choices = [" ".join(part or "" for part in (r["name"], r["email"], r["phone"])) for r in rows]
    by_position = [r["id"] for r in rows]
    names = {r["id"]: r["name"] for r in rows}
    print(f"{len(rows):,} customers; index built in {build_s:.2f} s")

    gc.collect()  # start from a settled heap; collections during the run are counted
    wall: dict[str, list[float]] = {"index": [], "naive": []}
    cpu: dict[str, list[float]] = {"index": [], "naive": []}
    report = []
    for query, probe in QUERIES:
        for end in range(2, len(query) + 1):
            typed = query[:end]
            ours, w, c = timed(index.search, typed, limit=20)
            wall["index"].append(w)
            cpu["index"].append(c)
            if args.index_only:
                continue
            theirs, w, c = timed(
                process.extract, typed, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=20
            )
            wall["naive"].append(w)
            cpu["naive"].append(c)
        ours_top = ours[0].customer_id if ours else None
        naive_top = None if args.index_only or not theirs else by_position[theirs[0][2]]
        report.append((query, probe_ids[probe] if probe is not None else None, ours_top, naive_top))

    print(f"\n{len(wall['index'])} keystrokes over {len(QUERIES)} queries (ms per keystroke)")
    for clock, series in (("wall", wall), ("cpu", cpu)):
        for who in ("index",) if args.index_only else ("index", "naive"):
            values = series[who]
            print(
                f"{who} {clock:<4}: p50 {statistics.median(values):8.2f}   p95 {percentile(values, 95):8.2f}"
                f"   max {max(values):8.2f}"
            )
        if args.index_only:
            continue
        p50_ratio = statistics.median(series["naive"]) / statistics.median(series["index"])
        p95_ratio = percentile(series["naive"], 95) / percentile(series["index"], 95)
        print(f"ratio naive/index ({clock}): p50 {p50_ratio:.0f}x   p95 {p95_ratio:.0f}x")
    p95 = percentile(wall["index"], 95)
    print(f"target index p95 (wall) <= 20 ms: {'met' if p95 <= 20 else 'NOT met'} ({p95:.2f} ms)")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times include waiting for a CPU)")

    if args.index_only:
        print("\nfull query          | index top              | intended first")
        for query, intended, ours_top, _ in report:
            mark = "-" if intended is None else ("yes" if ours_top == intended else "NO")
            print(f"{query:<20}| {names.get(ours_top) or '-':<23}| {mark}")
        right = sum(ours_top == intended for _, intended, ours_top, _ in report if intended is not None)
        print(f"\nintended customer first: {right}/{sum(intended is not None for _, intended, _, _ in report)}")
        return
    print(
        "\nfull query          | index top              | naive top              | same | intended first (index/naive)"
    )
    same = right_i = right_n = probes = 0
    for query, intended, ours_top, naive_top in report:
        agree = ours_top == naive_top
        same += agree
        mark = "-"
        if intended is not None:
            probes += 1
            right_i += ours_top == intended
            right_n += naive_top == intended
            mark = f"{'yes' if ours_top == intended else 'NO'}/{'yes' if naive_top == intended else 'no'}"
        print(
            f"{query:<20}| {names.get(ours_top) or '-':<23}| {names.get(naive_top) or '-':<23}| "
            f"{'yes' if agree else 'no':<5}| {mark}"
        )
    print(f"\nsame top result: {same}/{len(report)} queries")
    print(f"intended customer first: index {right_i}/{probes}, naive {right_n}/{probes}")


if __name__ == "__main__":
    main()
