"""What it costs to recover a forgotten phone from a shopkeep database, and what the check costs an import.

    .venv/bin/python benchmarks/forget_hash_cost.py              # Poland (9-digit national numbers)
    .venv/bin/python benchmarks/forget_hash_cost.py --country GB

A forgotten identity key is stored as a slow hash (scrypt, shopkeep.privacy) plus a short tag of TAG_BITS
bits (see the module's docstring). An attacker holding the database knows the privacy salt and the tag, so
to recover a phone they compute, for every candidate number: one HMAC and the tag (cheap), and for the
1 / 2^TAG_BITS of candidates whose tag matches, one scrypt. This measures both steps on this machine and
prints the cost of trying the country's whole national range, with the tag and (for comparison) without
one, and what an import pays per new identity for a given number of forgotten people.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import time

import phonenumbers

from shopkeep import privacy

TRIES = 7


def _seconds(fn, repeat: int) -> tuple[float, float]:
    """(fastest, median) of `repeat` runs: the fastest is what an attacker with an idle machine pays."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:,.1f} {unit}"
    return f"{seconds:,.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="PL", help="ISO country code (default PL)")
    args = parser.parse_args()
    country = args.country.upper()
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    national = phonenumbers.national_significant_number(example)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    lengths = metadata.mobile.possible_length or metadata.general_desc.possible_length  # customers give mobiles
    candidates = sum(10**n for n in lengths)
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)

    salt = secrets.token_bytes(16)
    inner = privacy.inner_digest(salt, "phone", e164)
    entry_salt = secrets.token_bytes(16)
    scrypt, scrypt_median = _seconds(lambda: privacy.slow_hash(inner, entry_salt), TRIES)
    batch = 20_000

    def cheap() -> None:
        for n in range(batch):
            privacy.tag_of(privacy.inner_digest(salt, "phone", f"+{example.country_code}{n:0{len(national)}d}"))

    per_cheap = _seconds(cheap, 3)[0] / batch
    bits = privacy.TAG_BITS
    memory = 128 * privacy.SCRYPT_R * (1 << privacy.SCRYPT_LOG2_N) // (1024 * 1024)

    print(f"slow hash: scrypt N=2^{privacy.SCRYPT_LOG2_N}, r={privacy.SCRYPT_R}, p={privacy.SCRYPT_P} ({memory} MB)")
    print(
        f"  one candidate: {scrypt * 1000:.1f} ms at the fastest of {TRIES} tries"
        f" (median {scrypt_median * 1000:.1f} ms); required >= 50 ms"
    )
    print(f"  HMAC + tag of one candidate: {per_cheap * 1e6:.2f} µs; tag: {bits} bits (1 in {1 << bits} candidates)")
    print()
    print(f"attack: {country} national range, {'/'.join(map(str, lengths))}-digit numbers: {candidates:,} candidates")
    with_tag = candidates * per_cheap + candidates / (1 << bits) * scrypt
    print(f"  with the stored tag (what the database allows): {_duration(with_tag)} on one core")
    for cores in (8, 64):
        print(f"    on {cores} cores: {_duration(with_tag / cores)}")
    print(f"  without a tag (slow hash of every candidate): {_duration(candidates * scrypt)} on one core")
    known = 1_230_000
    print(
        f"  issue 14's case, {known:,} candidates (a known prefix): "
        f"{_duration(known * per_cheap + known / (1 << bits) * scrypt)} (before: 2.8 s)"
    )
    print("  the same range with other tag sizes (one core):")
    for other in (8, 10, 12, 16):
        cost = candidates * per_cheap + candidates / (1 << other) * scrypt
        print(f"    {other:2d} bits: {_duration(cost)}")
    print()
    print("import: an order already stored costs nothing (re-imports); a new order's new identity (one no")
    print("customer has) costs one HMAC + tag, and a slow hash per tag match")
    for forgotten in (1, 10, 100):
        per_key = per_cheap + forgotten / (1 << bits) * scrypt
        keys = 300_000  # benchmarks/import_speed.py: 100,000 new customers x (platform id, email, phone)
        print(
            f"  {forgotten:3d} forgotten people: {per_key * 1e6:,.0f} µs per new identity;"
            f" a first import of 100,000 customers (300,000 keys): +{_duration(keys * per_key)}"
        )
    if scrypt < 0.050:
        raise SystemExit(f"the slow hash takes {scrypt * 1000:.1f} ms here: under the 50 ms required")


if __name__ == "__main__":
    main()
