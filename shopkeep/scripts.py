"""Call scripts: one per reason a customer stopped buying, in English, Russian and Polish.

The shipped defaults live here in code; an owner's edit is stored in `call_scripts` and wins
over the default until it is reset. A script has lines to read aloud (the opening, what to ask, what
to say, the offers) and tips for the caller that are shown apart and never read out.

Placeholders such as {greeting} or {balance} are filled from the customer's facts in one pass, in the
script's language (`spoken_values`): a value is never read as a template, so a name holding braces or
markup cannot inject anything. A question, talking point, offer, tip or sentence of the opening that
needs a value the customer (or the shop's settings) does not have is left out, so nothing is said
about a threshold nobody set or a promise not on record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field, ValidationError

from shopkeep import money
from shopkeep import script_words as words
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.reasons import KEYS
from shopkeep.store import Store
from shopkeep.store import calls as sql

REASONS = KEYS  # the churn reasons (shopkeep.reasons): each has a default script in every language below
LANGUAGES = ("en", "ru", "pl")
# What a script may say, each filled in the script's language; the editor lists them in this order.
PLACEHOLDERS = (
    "greeting",  # hello, who calls and from which shop: "Hello Anna, this is Tom from Tea & Co."
    "name",  # how to address the person: the first name; in Polish "Pani Wiśniewska" when it can tell
    "shop",
    "caller",
    "last_product",
    "last_order_ago",  # "2 months ago", "2 месяца назад"
    "days_since",  # the number of days since the last order
    "balance",  # the points balance with its noun: "340 points", "340 баллов"; nothing when 0
    "points",  # the number alone
    "tier",
    "expiring",  # points expiring soon, with the noun
    "points_expiring",  # the number alone
    "referral_code",
    "owed",  # what was promised and is late: "a refund of £12.50", "zwrot 25 zł"
    "owed_due",  # when it was due: "12 November", "12 ноября"
    "free_delivery_from",  # the order value from which delivery is free (setting free_delivery_from)
    "pan",  # Polish polite "you": Pan or Pani (both written when the name does not tell)
    "panu",  # ... and "to you": Panu or Pani
)
# Settings the scripts read: the shop's name, who calls, and the free-delivery threshold (minor units).
SHOP_NAME_SETTING = "shop_name"
CALLER_SETTING = "caller_name"
FREE_DELIVERY_SETTING = "free_delivery_from"

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MISSING = "—"


class Headings(NamedTuple):
    ask: str
    say: str
    offer: str
    choose: str  # how to choose an offer
    tips: str


# The script's headings in its own language.
HEADINGS = {
    "en": Headings("Ask", "Say", "Offer", "o: choose", "Tips for you — not to read out"),
    "ru": Headings("Спросите", "Скажите", "Предложите", "o — выбрать", "Подсказки для вас — не зачитывать"),
    "pl": Headings("Zapytaj", "Powiedz", "Zaproponuj", "o — wybierz", "Wskazówki dla Ciebie — nie do czytania"),
}


class Script(BaseModel):
    title: str
    opening: str
    questions: list[str]
    talking_points: list[str]
    offers: list[str]
    notes: list[str] = Field(default_factory=list)  # tips for the caller: shown apart, never read aloud
    language: Literal["en", "ru", "pl"] = "en"  # the row's key, not stored in the body


def _s(
    title: str,
    opening: str,
    questions: list[str],
    talking_points: list[str],
    offers: list[str],
    notes: list[str] | None = None,
) -> Script:
    return Script(
        title=title,
        opening=opening,
        questions=questions,
        talking_points=talking_points,
        offers=offers,
        notes=notes or [],
    )


# Source: what shop owners report works in win-back calls (written down here, nowhere else): find the real
# reason, soften it, make an offer that fits it, show that it matters to you whether they stay.
# Russian addresses the customer as lower-case "вы", as one speaks; Polish as Pan/Pani throughout, with
# sentences whose verbs do not change with the person's gender; the tips speak to the caller.
_DEFAULTS: dict[tuple[str, str], Script] = {
    ("forgot", "en"): _s(
        "Forgot about us",
        "{greeting} Your last order with us was {last_order_ago}, so I wanted to check everything is all right.",
        ["How are you getting on with {last_product}?", "Is there anything you need at the moment?"],
        [
            "You have {balance} with us, at the {tier} level.",
            "Some of them expire soon: {expiring}. It would be a pity to lose them.",
        ],
        ["Bonus points on your next order", "Free delivery on your next order"],
        ["Remind them we exist, and give them something worth coming back for."],
    ),
    ("forgot", "ru"): _s(
        "Давно не заказывали",
        "{greeting} Последний раз вы заказывали у нас {last_order_ago}, и мы решили узнать, всё ли у вас в порядке.",
        ["Как вам {last_product}?", "Может быть, вам сейчас что-нибудь нужно?"],
        ["У вас на счету {balance}, ваш уровень — {tier}.", "Скоро сгорает {expiring} — успейте потратить."],
        ["Бонусные баллы за следующий заказ", "Бесплатная доставка следующего заказа"],
        ["Напомните о магазине и дайте повод вернуться."],
    ),
    ("forgot", "pl"): _s(
        "Dawno bez zamówienia",
        "{greeting} Ostatnie zamówienie u nas było {last_order_ago}, więc dzwonię, żeby zapytać, czy wszystko "
        "w porządku.",
        ["Jak sprawdza się {last_product}?", "Czy potrzebuje {pan} teraz czegoś z naszej oferty?"],
        [
            "Ma {pan} u nas {balance}, poziom {tier}.",
            "Część z nich wkrótce wygaśnie: {expiring}. Szkoda byłoby je stracić.",
        ],
        ["Punkty bonusowe za następne zamówienie", "Darmowa dostawa następnego zamówienia"],
        ["Przypomnij o sklepie i daj powód, żeby wrócić."],
    ),
    ("delivery", "en"): _s(
        "Delivery too expensive",
        "{greeting} I noticed delivery made up a big part of what you paid, and I wanted to do something about it.",
        ["Was the delivery cost what put you off?", "Which delivery option would suit you best?"],
        ["Orders from {free_delivery_from} now ship free."],
        ["Free delivery on your next order", "A delivery pass: several deliveries at a saving"],
        ["If delivery is what stops them, one free delivery often brings the next order."],
    ),
    ("delivery", "ru"): _s(
        "Дорогая доставка",
        "{greeting} Мы видим, что доставка обходилась вам недёшево, и хотим это исправить.",
        ["Вас остановила стоимость доставки?", "Какой способ доставки вам удобнее всего?"],
        ["При заказе от {free_delivery_from} доставка бесплатная."],
        ["Бесплатная доставка следующего заказа", "Абонемент на доставку: несколько доставок со скидкой"],
        ["Если дело в доставке, одна бесплатная доставка часто приводит к следующему заказу."],
    ),
    ("delivery", "pl"): _s(
        "Za droga dostawa",
        "{greeting} Widzę, że dostawa sporo podnosiła koszt zamówień, i chcielibyśmy to zmienić.",
        ["Czy to koszt dostawy zniechęcał do kolejnych zamówień?", "Jaka forma dostawy byłaby najwygodniejsza?"],
        ["Przy zamówieniu od {free_delivery_from} dostawa jest darmowa."],
        ["Darmowa dostawa następnego zamówienia", "Karnet na dostawy: kilka dostaw taniej"],
        ["Jeśli problemem jest dostawa, jedna darmowa dostawa często wystarczy do kolejnego zamówienia."],
    ),
    ("prices", "en"): _s(
        "Prices too high / found cheaper",
        "{greeting} You used to buy {last_product} from us, and I wanted to tell you about our current offers.",
        ["Did you find it cheaper somewhere else?", "Which products do you buy most often?"],
        ["You have {balance} in our loyalty programme."],
        ["A discount code for your next order", "Bonus points on your next order"],
        ["Mention the current promotions and discounts, and what the loyalty programme gives them."],
    ),
    ("prices", "ru"): _s(
        "Дорого / нашли дешевле",
        "{greeting} Вы покупали у нас {last_product}, и мы хотим рассказать о наших текущих предложениях.",
        ["Вы нашли где-то дешевле?", "Какие товары вы покупаете чаще всего?"],
        ["В нашей программе лояльности у вас {balance}."],
        ["Промокод со скидкой на следующий заказ", "Бонусные баллы за следующий заказ"],
        ["Расскажите о текущих акциях и скидках и о том, что даёт программа лояльности."],
    ),
    ("prices", "pl"): _s(
        "Za drogo / taniej gdzie indziej",
        "{greeting} Dzwonię, żeby opowiedzieć o naszych aktualnych ofertach i rabatach.",
        ["Czy gdzieś indziej jest taniej?", "Jakie produkty kupuje {pan} najczęściej?"],
        ["W naszym programie lojalnościowym ma {pan} {balance}."],
        ["Kod rabatowy na następne zamówienie", "Punkty bonusowe za następne zamówienie"],
        ["Opowiedz o aktualnych promocjach i rabatach oraz o tym, co daje program lojalnościowy."],
    ),
    ("moved", "en"): _s(
        "Moved where we do not deliver",
        "{greeting} It looks like your address has changed, and I wanted to check whether we can still deliver to you.",
        ["Where should we deliver now?", "Would a pickup point near you work?"],
        [],
        ["Free delivery to the new address", "Bonus points for staying with us"],
        [
            "Tell them which delivery or pickup options exist now.",
            "If nothing fits yet, keep them for later: note where they moved.",
        ],
    ),
    ("moved", "ru"): _s(
        "Переехали туда, куда мы не доставляем",
        "{greeting} Похоже, у вас сменился адрес, и мы хотим узнать, сможем ли мы и дальше доставлять вам заказы.",
        ["Куда теперь доставлять ваши заказы?", "Вам подойдёт пункт выдачи рядом с домом?"],
        [],
        ["Бесплатная доставка на новый адрес", "Бонусные баллы за то, что остаётесь с нами"],
        [
            "Расскажите, какие способы доставки и самовывоза есть сейчас.",
            "Если пока ничего не подходит, не теряйте контакт: запишите, куда переехал клиент.",
        ],
    ),
    ("moved", "pl"): _s(
        "Przeprowadzka poza zasięg dostaw",
        "{greeting} Wygląda na to, że zmienił się adres dostawy, więc chcę sprawdzić, czy nadal możemy dostarczać "
        "zamówienia.",
        ["Dokąd teraz dostarczać zamówienia?", "Czy pasowałby punkt odbioru w pobliżu?"],
        [],
        ["Darmowa dostawa pod nowy adres", "Punkty bonusowe za to, że zostaje {pan} z nami"],
        [
            "Powiedz, jakie formy dostawy i odbioru są teraz dostępne.",
            "Jeśli nic nie pasuje, zapisz nowy adres i wróć do tematu później.",
        ],
    ),
    ("let_down", "en"): _s(
        "Let down by quality, courier or support",
        "{greeting} I am calling about your order of {last_product}. I am sorry it did not go as it should.",
        ["Did you get your money back?", "What exactly went wrong?", "What would make it right for you?"],
        [],
        ["Bonus points as an apology", "A similar product from another brand", "Free delivery on your next order"],
        [
            "Go through what happened and what has changed since.",
            "Suggest a similar product, or the same one from another brand.",
        ],
    ),
    ("let_down", "ru"): _s(
        "Подвели качество, курьер или поддержка",
        "{greeting} Звоню по поводу вашего заказа: {last_product}. Простите, что всё получилось не так, "
        "как должно было.",
        ["Деньги вам вернули?", "Что именно пошло не так?", "Как мы можем это исправить?"],
        [],
        ["Бонусные баллы в качестве извинения", "Похожий товар другой марки", "Бесплатная доставка следующего заказа"],
        [
            "Разберитесь, что случилось, и расскажите, что мы с тех пор изменили.",
            "Предложите похожий товар или такой же другой марки.",
        ],
    ),
    ("let_down", "pl"): _s(
        "Rozczarowanie: jakość, kurier lub obsługa",
        "{greeting} Dzwonię w sprawie zamówienia: {last_product}. Bardzo przepraszam, że coś poszło nie tak.",
        ["Czy pieniądze zostały już zwrócone?", "Co dokładnie było nie tak?", "Co możemy zrobić, żeby to naprawić?"],
        [],
        ["Punkty bonusowe w ramach przeprosin", "Podobny produkt innej marki", "Darmowa dostawa następnego zamówienia"],
        [
            "Omów, co się stało i co od tego czasu zmieniliśmy.",
            "Zaproponuj podobny produkt albo ten sam innej marki.",
        ],
    ),
    ("compensation", "en"): _s(
        "Refund or compensation late or missing",
        "{greeting} We promised you {owed} by {owed_due}, and we have not kept that promise. I am sorry — I am "
        "calling to put it right today.",
        ["Has anything reached you yet?", "How would you prefer to receive it?"],
        [],
        ["Bonus points as an apology", "A discount code for your next order", "Free delivery on your next order"],
        ["An honest apology matters, even without anything else.", "Say exactly when it will arrive, and keep to it."],
    ),
    ("compensation", "ru"): _s(
        "Компенсация задерживается",
        "{greeting} Мы обещали вам {owed} до {owed_due} и не сдержали слово. Простите нас — звоню, чтобы всё "
        "исправить сегодня.",
        ["Вы уже что-нибудь получили?", "Как вам удобнее это получить?"],
        [],
        ["Бонусные баллы в качестве извинения", "Промокод на следующий заказ", "Бесплатная доставка следующего заказа"],
        ["Честное извинение важно само по себе.", "Назовите точный срок и уложитесь в него."],
    ),
    ("compensation", "pl"): _s(
        "Spóźniona rekompensata",
        "{greeting} Obiecaliśmy {panu} {owed} do {owed_due} i nie dotrzymaliśmy terminu. Bardzo przepraszam — "
        "dzwonię, żeby to dziś naprawić.",
        ["Czy coś już dotarło?", "W jakiej formie woli {pan} to otrzymać?"],
        [],
        [
            "Punkty bonusowe w ramach przeprosin",
            "Kod rabatowy na następne zamówienie",
            "Darmowa dostawa następnego zamówienia",
        ],
        ["Szczere przeprosiny mają znaczenie same w sobie.", "Podaj dokładny termin i dotrzymaj go."],
    ),
    ("first_purchase", "en"): _s(
        "Welcome after the first order",
        "{greeting} Thank you for your first order! I am calling to ask how {last_product} arrived.",
        ["Did everything arrive as expected?", "Is there anything we could do better?"],
        [
            "You already have {balance} in our loyalty programme.",
            "If you bring a friend with the code {referral_code}, you both get a gift.",
        ],
        ["Bonus points on your second order", "Free delivery on your second order"],
        ["The first impression decides the relationship: listen, and fix what they tell you."],
    ),
    ("first_purchase", "ru"): _s(
        "После первого заказа",
        "{greeting} Спасибо за ваш первый заказ! Звоню узнать, всё ли дошло в порядке.",
        ["Как вам {last_product}?", "Что нам стоит сделать лучше?"],
        [
            "В нашей программе лояльности у вас уже {balance}.",
            "Приведите друга с кодом {referral_code} — подарок получите вы оба.",
        ],
        ["Бонусные баллы за второй заказ", "Бесплатная доставка второго заказа"],
        ["Первое впечатление решает всё: выслушайте и исправьте то, что не понравилось."],
    ),
    ("first_purchase", "pl"): _s(
        "Po pierwszym zamówieniu",
        "{greeting} Dziękujemy za pierwsze zamówienie! Dzwonię, żeby zapytać, czy wszystko dotarło w porządku.",
        ["Jak sprawdza się {last_product}?", "Co możemy zrobić lepiej?"],
        [
            "W naszym programie lojalnościowym ma {pan} już {balance}.",
            "Z kodem {referral_code} może {pan} polecić nas znajomym — prezent dostaną obie osoby.",
        ],
        ["Punkty bonusowe za drugie zamówienie", "Darmowa dostawa drugiego zamówienia"],
        ["Pierwsze wrażenie decyduje o wszystkim: wysłuchaj i popraw to, co się nie podobało."],
    ),
    ("other", "en"): _s(
        "Other",
        "{greeting} You bought {last_product} from us — do you have a minute?",
        ["How are you getting on with {last_product}?", "Is there anything we could do for you?"],
        ["You have {balance} waiting."],
        ["Bonus points on your next order"],
    ),
    ("other", "ru"): _s(
        "Другое",
        "{greeting} Вы покупали у нас {last_product}. Вам удобно сейчас говорить?",
        ["Как вам {last_product}?", "Можем ли мы вам чем-нибудь помочь?"],
        ["У вас на счету {balance}."],
        ["Бонусные баллы за следующий заказ"],
    ),
    ("other", "pl"): _s(
        "Inne",
        "{greeting} Dzwonię w sprawie zakupów w naszym sklepie — czy ma {pan} chwilę?",
        ["Jak sprawdza się {last_product}?", "Czy możemy w czymś pomóc?"],
        ["Ma {pan} u nas {balance}."],
        ["Punkty bonusowe za następne zamówienie"],
    ),
}


def _check(reason: str, language: str) -> None:
    if reason not in REASONS:
        raise ShopkeepError(
            _("unknown reason {reason!r}; use one of: {names}").format(reason=reason, names=", ".join(REASONS))
        )
    if language not in LANGUAGES:
        raise ShopkeepError(
            _("unknown script language {language!r}; use one of: {names}").format(
                language=language, names=", ".join(LANGUAGES)
            )
        )


def default_script(reason: str, language: str) -> Script:
    _check(reason, language)
    return _DEFAULTS[(reason, language)].model_copy(deep=True, update={"language": language})


def load_script(store: Store, reason: str, language: str) -> Script:
    """The owner's edit of the script if there is one, else the shipped default."""
    _check(reason, language)
    row = sql.script_row(store, reason, language)
    if row is None:
        return default_script(reason, language)
    try:
        return Script.model_validate({**json.loads(row["body"]), "title": row["title"], "language": language})
    except (ValueError, TypeError, ValidationError):
        raise ShopkeepError(
            _("the stored {language} script for {reason!r} is damaged; reset it").format(
                language=language, reason=reason
            )
        ) from None


def unknown_placeholders(script: Script) -> list[str]:
    """Placeholders in the script that no customer can fill, e.g. a typo such as {nmae}, in order."""
    texts = [script.title, script.opening, *script.questions, *script.talking_points, *script.offers, *script.notes]
    found = [key for text in texts for key in _PLACEHOLDER.findall(text) if key not in PLACEHOLDERS]
    return list(dict.fromkeys(found))


def save_script(store: Store, reason: str, language: str, script: Script) -> None:
    """Store the owner's edit; a script with a placeholder that does not exist is refused."""
    _check(reason, language)
    unknown = unknown_placeholders(script)
    if unknown:
        names = ", ".join("{" + key + "}" for key in unknown)
        known = ", ".join("{" + k + "}" for k in PLACEHOLDERS)
        raise ShopkeepError(_("unknown placeholder {names}; use: {known}").format(names=names, known=known))
    body = script.model_dump_json(exclude={"title", "language"})
    with store.write() as conn:
        sql.upsert_script(conn, reason, language, script.title, body, store.clock.now_iso())


def reset_script(store: Store, reason: str, language: str) -> None:
    """Forget the owner's edit: the shipped default applies again."""
    _check(reason, language)
    with store.write() as conn:
        sql.delete_script(conn, reason, language)


def fill(text: str, values: Mapping[str, object]) -> str:
    """Replace {placeholder}s in one pass; unknown or broken braces stay as typed."""

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in PLACEHOLDERS:
            return match.group(0)
        value = values.get(key)
        return MISSING if value is None or value == "" else str(value)

    return _PLACEHOLDER.sub(one, text)


def _known(text: str, values: Mapping[str, object]) -> bool:
    """Every placeholder in `text` has a value (a talking point about nothing is left out)."""
    keys = [k for k in _PLACEHOLDER.findall(text) if k in PLACEHOLDERS]
    return all(values.get(k) not in (None, "") for k in keys)


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def spoken_values(facts: Mapping[str, object], language: str) -> dict[str, object]:
    """Every placeholder's value in `language`, from the customer's facts (`shopkeep.calls.placeholders`):
    name, first_name, last_name, shop, caller, last_product, days_since, points, tier, points_expiring,
    referral_code, currency, free_delivery_from (minor units), and what is owed (owed_kind, owed_amount in
    minor units, owed_points, owed_description, owed_due). A fact that is missing leaves its placeholders
    empty."""
    person = words.person_name(_text(facts.get("name")), _text(facts.get("first_name")), _text(facts.get("last_name")))
    gender = words.polish_gender(person) if language == "pl" else None
    name = words.polish_address(person, gender) if language == "pl" else person.first
    pan, panu = words.polish_pronouns(gender)
    shop, caller = _text(facts.get("shop")), _text(facts.get("caller"))
    days, points, expiring = (facts.get(k) for k in ("days_since", "points", "points_expiring"))
    kind, due = _text(facts.get("owed_kind")), facts.get("owed_due")
    currency = _text(facts.get("currency"))

    def amount(key: str) -> str | None:
        """Money facts are minor units of `currency`, said as the language writes them ('12,50 zł')."""
        minor = facts.get(key)
        if not isinstance(minor, int) or minor <= 0 or currency is None:
            return None
        return money.format(minor, currency, locale=language, compact=True)

    owed = None
    if kind:
        owed_points = facts.get("owed_points")
        owed = words.owed(
            kind,
            amount("owed_amount"),
            owed_points if isinstance(owed_points, int) else None,
            _text(facts.get("owed_description")),
            language,
        )
    return {
        "greeting": words.greeting(language, name, shop, caller),
        "name": name,
        "shop": shop,
        "caller": caller,
        "last_product": _text(facts.get("last_product")),
        "last_order_ago": words.time_ago(days, language) if isinstance(days, int) else None,
        "days_since": days,
        "balance": words.counted(points, "point", language) if isinstance(points, int) and points > 0 else None,
        "points": points,
        "tier": _text(facts.get("tier")),
        "expiring": words.counted(expiring, "point", language) if isinstance(expiring, int) and expiring > 0 else None,
        "points_expiring": expiring,
        "referral_code": _text(facts.get("referral_code")),
        "owed": owed,
        "owed_due": words.day_said(due, language) if isinstance(due, dt.date) else None,
        "free_delivery_from": amount("free_delivery_from"),
        "pan": pan,
        "panu": panu,
    }


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=\{greeting\})\s+")  # the greeting is sentences of its own


def _opening(text: str, values: Mapping[str, object]) -> str:
    """The opening without its sentences that need a value the customer does not have ("We promised you
    ... by ..." when nothing is on record); if none is left, all of it with a dash for each gap."""
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    kept = [s for s in sentences if _known(s, values)]
    return fill(" ".join(kept) if kept else text, values)


def render_script(script: Script, facts: Mapping[str, object]) -> Script:
    """The script with every placeholder filled, in the script's language, from the customer's facts.
    A question, talking point, offer or tip that needs a value the customer does not have is left out,
    and so is such a sentence of the opening."""
    values = spoken_values(facts, script.language)

    def lines(texts: list[str]) -> list[str]:
        return [fill(text, values) for text in texts if _known(text, values)]

    return Script(
        title=script.title,
        opening=_opening(script.opening, values),
        questions=lines(script.questions),
        talking_points=lines(script.talking_points),
        offers=lines(script.offers),
        notes=lines(script.notes),
        language=script.language,
    )
