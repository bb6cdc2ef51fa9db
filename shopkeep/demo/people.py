"""The demo's customers: names in three scripts (and a few that break markup), where they live, how they
reach the shop, their phone numbers and e-mail addresses, and the archetype that sets their rhythm."""

from __future__ import annotations

import hashlib
import random

import phonenumbers

from shopkeep.demo.catalogue import CATALOGUE
from shopkeep.demo.plan import Person
from shopkeep.referrals import CODE_ALPHABET, code_prefix, to_ascii

# fmt: off
EN_FIRST_F = ("Emma", "Olivia", "Amelia", "Sophie", "Charlotte", "Grace", "Lucy", "Hannah", "Chloe", "Ella",
              "Jessica", "Emily", "Isabel", "Holly", "Megan", "Ruth", "Claire", "Anna", "Fiona", "Harriet")
EN_FIRST_M = ("Oliver", "James", "Harry", "Jack", "George", "Thomas", "William", "Daniel", "Samuel", "Joseph",
              "Henry", "Alfie", "Edward", "Luke", "Owen", "Callum", "Rory", "Peter", "Adam", "Ben")
EN_LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright",
           "Robinson", "Thompson", "Evans", "Walker", "Hughes", "Green", "Hall", "Wood", "Clarke", "Turner",
           "Hill", "Cooper", "Ward", "Morris", "Baker", "Harris", "Fletcher", "Barker", "Hodgson", "Ellis")
RU_FIRST_F = ("Анна", "Мария", "Екатерина", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Елена",
              "Дарья", "Юлия", "Ксения", "Полина", "Вера", "Алёна")
RU_FIRST_M = ("Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Михаил", "Иван", "Николай", "Павел",
              "Артём", "Егор", "Константин", "Виктор", "Фёдор", "Илья")
RU_LAST = (("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"), ("Попов", "Попова"),
           ("Соколов", "Соколова"), ("Лебедев", "Лебедева"), ("Новиков", "Новикова"), ("Морозов", "Морозова"),
           ("Волков", "Волкова"), ("Соловьёв", "Соловьёва"), ("Васильев", "Васильева"), ("Зайцев", "Зайцева"),
           ("Орлов", "Орлова"), ("Белов", "Белова"), ("Ершов", "Ершова"), ("Федоров", "Федорова"))
PL_FIRST_F = ("Małgorzata", "Agnieszka", "Katarzyna", "Zofia", "Joanna", "Łucja", "Magdalena", "Ewa",
              "Barbara", "Justyna", "Grażyna", "Aleksandra", "Weronika", "Dorota", "Marta")
PL_FIRST_M = ("Łukasz", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Wojciech", "Jakub", "Kamil",
              "Marek", "Grzegorz", "Mateusz", "Bartłomiej", "Jędrzej", "Szymon")
PL_LAST = (("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
           ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"),
           ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski",
           "Kozłowska"), ("Mazur", "Mazur"), ("Krawczyk", "Krawczyk"), ("Żak", "Żak"), ("Gołębiowski",
           "Gołębiowska"), ("Szczęsny", "Szczęsna"))
# fmt: on
# Names that break UIs which treat text as markup: the app must show them literally.
HOSTILE_NAMES = (("Alice", "[/]"), ("Smith", "[VIP]"), ("[@click=app.quit]Pay[/]", ""))

CITIES = {
    "GB": ("London", "London", "London", "Manchester", "Leeds", "Bristol", "Brighton", "Oxford", "York", "Bath"),
    "RU": ("Москва", "Москва", "Санкт-Петербург", "Казань", "Екатеринбург", "Новосибирск"),
    "PL": ("Warszawa", "Kraków", "Kraków", "Wrocław", "Gdańsk", "Łódź", "Poznań"),
}
COUNTER_CITY = "London"
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "inbox.example")


def ascii_name(text: str) -> str:
    """Latin letters only, for e-mail addresses: 'Łucja' -> 'lucja', 'Алёна' -> 'alena'."""
    return "".join(ch for ch in to_ascii(text) if "a" <= ch <= "z")


def referral_code_for(seed: int, first_name: str, person: int) -> str:
    """A referrer's own code in the shop's style, e.g. `ANNA-7K2Q`, fixed by the seed and the person."""
    digest = hashlib.sha256(f"{seed}:{person}".encode()).digest()
    return f"{code_prefix(first_name)}-{''.join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:4])}"


ARCHETYPES = (
    # name, share of customers
    ("one_timer", 0.32),
    ("occasional", 0.16),
    ("monthly", 0.10),
    ("weekly", 0.03),
    ("loyal", 0.06),
    ("slipping", 0.11),
    ("lapsed", 0.04),
    ("gift", 0.07),
    ("hunter", 0.06),
    ("big", 0.03),
    ("new", 0.02),
)


def _phone(rng: random.Random, country: str, used: set[str]) -> tuple[str, str]:
    """A valid mobile number of `country`, written as people write it there, and its E.164 form."""
    while True:
        if country == "GB":
            digits = f"07{rng.choice('4589')}{rng.randint(0, 99_999_999):08d}"
            text, region = f"{digits[:5]} {digits[5:]}", "GB"
        elif country == "RU":
            d = f"9{rng.randint(0, 99):02d}{rng.randint(0, 9_999_999):07d}"
            # "8 (916) ..." would need RU as the file's default region; the shop's is GB.
            text, region = f"+7 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}", "RU"
        else:
            d = f"{rng.choice('5678')}{rng.randint(0, 99_999_999):08d}"
            text, region = f"{rng.choice(('+48', '0048'))} {d[:3]} {d[3:6]} {d[6:]}", "PL"
        parsed = phonenumbers.parse(text, region)
        if not phonenumbers.is_valid_number(parsed):
            continue
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in used:
            used.add(e164)
            return text, e164


def make_people(rng: random.Random, count: int) -> list[Person]:
    archetypes: list[str] = []
    for name, share in ARCHETYPES:
        archetypes += [name] * round(share * count)
    while len(archetypes) < count:
        archetypes.append("one_timer")
    archetypes = archetypes[:count]
    rng.shuffle(archetypes)
    # The hostile names go where the app shows them most: the call list, the regulars, the newcomers.
    archetypes[: len(HOSTILE_NAMES)] = ["slipping", "loyal", "new"]
    weights = [p.weight for p in CATALOGUE]
    used_phones: set[str] = set()
    used_emails: set[str] = set()
    people = []
    for idx, archetype in enumerate(archetypes):
        script = rng.choices(("en", "ru", "pl"), weights=(55, 25, 20))[0]
        female = rng.random() < 0.6
        if idx < len(HOSTILE_NAMES):
            script, (first, last) = "en", HOSTILE_NAMES[idx]
        elif script == "en":
            first, last = rng.choice(EN_FIRST_F if female else EN_FIRST_M), rng.choice(EN_LAST)
        elif script == "ru":
            first, last = rng.choice(RU_FIRST_F if female else RU_FIRST_M), rng.choice(RU_LAST)[female]
        else:
            first, last = rng.choice(PL_FIRST_F if female else PL_FIRST_M), rng.choice(PL_LAST)[female]
        # Most customers live near the shop; some order online from their home country.
        abroad = script != "en" and archetype != "weekly" and rng.random() < 0.35
        country = {"ru": "RU", "pl": "PL"}[script] if abroad else "GB"
        if abroad:
            channel = "online"
        elif archetype == "weekly":
            channel = "counter"
        else:
            channel = rng.choices(("online", "counter", "both"), (70, 15, 15))[0]
        stem = f"{ascii_name(first) or 'guest'}.{ascii_name(last) or 'shop'}"
        email = f"{stem}@{rng.choice(EMAIL_DOMAINS)}"
        n = 2
        while email in used_emails:
            email = f"{stem}{n}@{email.split('@')[1]}"
            n += 1
        used_emails.add(email)
        phone, e164 = _phone(rng, country, used_phones)
        if channel == "online" and rng.random() < 0.08:
            phone = e164 = None  # e-mail only
        elif channel == "counter" and rng.random() < 0.4:
            email = None  # the till only asked for a phone number
        people.append(
            Person(
                idx=idx,
                script=script,
                first=first,
                last=last,
                country=country,
                city=rng.choice(CITIES[country]),
                email=email,
                phone=phone,
                phone_e164=e164,
                archetype=archetype,
                channel=channel,
                counter_id=f"{idx + 1:06d}",
                favourites=rng.choices(CATALOGUE, weights=weights, k=rng.randint(2, 4)),
            )
        )
    return people
