"""Call scripts: one per reason a customer stopped buying, in English, Russian and Polish.

The shipped defaults live here in code; an owner's edit is stored in `call_scripts` and wins
over the default until it is reset. Placeholders such as {name} or {points} are filled from
the customer's data in one pass: a value is never read as a template, so a name holding
braces or markup cannot inject anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from pydantic import BaseModel, ValidationError

from shopkeep.errors import ShopkeepError
from shopkeep.store import Store
from shopkeep.store import calls as sql

REASONS = ("forgot", "delivery", "prices", "moved", "let_down", "compensation", "first_purchase", "other")
LANGUAGES = ("en", "ru", "pl")
PLACEHOLDERS = ("name", "last_product", "days_since", "points", "tier", "points_expiring", "referral_code")

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MISSING = "—"


class Script(BaseModel):
    title: str
    opening: str
    questions: list[str]
    talking_points: list[str]
    offers: list[str]


def _s(title: str, opening: str, questions: list[str], talking_points: list[str], offers: list[str]) -> Script:
    return Script(title=title, opening=opening, questions=questions, talking_points=talking_points, offers=offers)


# Source: what shop owners report works (see the retention practice notes in the docs): find the real
# reason, soften it, make an offer that fits it, show that it matters to you whether they stay.
_DEFAULTS: dict[tuple[str, str], Script] = {
    ("forgot", "en"): _s(
        "Forgot about us",
        "Hello {name}, this is the shop you bought {last_product} from. We have not seen you for {days_since} days "
        "and wanted to check everything is all right.",
        ["How did you like {last_product}?", "Is there anything you need at the moment?"],
        ["You still have {points} points ({tier}).", "{points_expiring} points expire soon — it would be a pity."],
        ["Bonus points on your next order", "Free delivery on your next order"],
    ),
    ("forgot", "ru"): _s(
        "Забыли о нас",
        "Здравствуйте, {name}! Это магазин, где вы покупали {last_product}. Вас не было {days_since} дней, "
        "хотели узнать, всё ли в порядке.",
        ["Как вам {last_product}?", "Может быть, вам сейчас что-то нужно?"],
        ["У вас {points} бонусных баллов (уровень {tier}).", "{points_expiring} баллов скоро сгорят — жалко терять."],
        ["Бонусные баллы за следующий заказ", "Бесплатная доставка следующего заказа"],
    ),
    ("forgot", "pl"): _s(
        "Zapomniał o nas",
        "Dzień dobry, {name}! Tu sklep, w którym kupił(a) Pan/Pani {last_product}. Nie widzieliśmy się od "
        "{days_since} dni i chcieliśmy zapytać, czy wszystko w porządku.",
        ["Jak sprawdza się {last_product}?", "Czy czegoś Pan/Pani teraz potrzebuje?"],
        ["Ma Pan/Pani {points} punktów (poziom {tier}).", "{points_expiring} punktów wkrótce wygaśnie — szkoda."],
        ["Punkty bonusowe za następne zamówienie", "Darmowa dostawa następnego zamówienia"],
    ),
    ("delivery", "en"): _s(
        "Delivery too expensive",
        "Hello {name}, we noticed delivery made up a big part of your orders and wanted to do something about it.",
        ["Was the delivery price what stopped you?", "Which delivery option would suit you best?"],
        ["We now have a delivery pass: several deliveries at a saving.", "Orders above a threshold ship free."],
        ["Free delivery on your next order", "A delivery pass"],
    ),
    ("delivery", "ru"): _s(
        "Дорогая доставка",
        "Здравствуйте, {name}! Мы заметили, что доставка заметно удорожала ваши заказы, и хотим это исправить.",
        ["Вас остановила стоимость доставки?", "Какой способ доставки вам удобнее всего?"],
        [
            "У нас появился абонемент на доставку: несколько доставок дешевле.",
            "От определённой суммы доставка бесплатна.",
        ],
        ["Бесплатная доставка следующего заказа", "Абонемент на доставку"],
    ),
    ("delivery", "pl"): _s(
        "Za droga dostawa",
        "Dzień dobry, {name}! Zauważyliśmy, że dostawa była dużą częścią kosztu zamówień, i chcemy to poprawić.",
        ["Czy to koszt dostawy Pana/Panią zatrzymał?", "Jaka forma dostawy byłaby najwygodniejsza?"],
        ["Mamy teraz karnet na dostawy: kilka dostaw taniej.", "Powyżej pewnej kwoty dostawa jest darmowa."],
        ["Darmowa dostawa następnego zamówienia", "Karnet na dostawy"],
    ),
    ("prices", "en"): _s(
        "Prices too high / found cheaper",
        "Hello {name}, you used to buy {last_product} from us; we wanted to tell you about our current offers.",
        ["Did you find it cheaper somewhere else?", "Which products do you buy most often?"],
        ["Our loyalty programme: you have {points} points.", "Current promotions and discounts for regulars."],
        ["A discount code for your next order", "Bonus points on your next order"],
    ),
    ("prices", "ru"): _s(
        "Дорого / нашли дешевле",
        "Здравствуйте, {name}! Вы покупали у нас {last_product}; хотим рассказать о текущих предложениях.",
        ["Вы нашли дешевле в другом месте?", "Какие товары вы покупаете чаще всего?"],
        ["Наша программа лояльности: у вас {points} баллов.", "Текущие акции и скидки для постоянных покупателей."],
        ["Промокод на скидку для следующего заказа", "Бонусные баллы за следующий заказ"],
    ),
    ("prices", "pl"): _s(
        "Za drogo / taniej gdzie indziej",
        "Dzień dobry, {name}! Kupował(a) Pan/Pani u nas {last_product}; chcemy opowiedzieć o obecnych ofertach.",
        ["Czy znalazł(a) Pan/Pani taniej gdzie indziej?", "Jakie produkty kupuje Pan/Pani najczęściej?"],
        ["Nasz program lojalnościowy: ma Pan/Pani {points} punktów.", "Aktualne promocje dla stałych klientów."],
        ["Kod rabatowy na następne zamówienie", "Punkty bonusowe za następne zamówienie"],
    ),
    ("moved", "en"): _s(
        "Moved where we do not deliver",
        "Hello {name}, it looks like your address changed; we wanted to check whether we can still reach you.",
        ["Where should we deliver now?", "Would a pickup point near you work?"],
        ["Tell them which delivery or pickup options exist now.", "Keep them for later if nothing fits yet."],
        ["Free delivery to the new address", "Bonus points for staying with us"],
    ),
    ("moved", "ru"): _s(
        "Переехали туда, куда мы не возим",
        "Здравствуйте, {name}! Похоже, ваш адрес изменился; хотим узнать, сможем ли мы и дальше вас обслуживать.",
        ["Куда теперь доставлять?", "Подойдёт ли пункт выдачи рядом с вами?"],
        [
            "Расскажите, какие способы доставки и самовывоза есть сейчас.",
            "Если пока ничего не подходит — оставьте на потом.",
        ],
        ["Бесплатная доставка на новый адрес", "Бонусные баллы за то, что остаётесь с нами"],
    ),
    ("moved", "pl"): _s(
        "Przeprowadzka poza zasięg dostaw",
        "Dzień dobry, {name}! Wygląda na to, że zmienił się adres; chcemy sprawdzić, czy nadal możemy dostarczać.",
        ["Dokąd teraz dostarczać?", "Czy pasowałby punkt odbioru w pobliżu?"],
        ["Powiedz, jakie formy dostawy i odbioru są dostępne teraz.", "Jeśli nic nie pasuje — zostaw na później."],
        ["Darmowa dostawa pod nowy adres", "Punkty bonusowe za to, że zostaje Pan/Pani z nami"],
    ),
    ("let_down", "en"): _s(
        "Let down by quality, courier or support",
        "Hello {name}, I am calling about your order of {last_product}. I am sorry it did not go as it should.",
        ["Was the money refunded?", "What exactly went wrong?", "What would make it right for you?"],
        [
            "Go through what happened and what we changed since.",
            "Suggest a similar product, or the same of another brand.",
        ],
        ["An apology bonus of points", "A similar product of another brand", "Free delivery on your next order"],
    ),
    ("let_down", "ru"): _s(
        "Разочарованы качеством, курьером или поддержкой",
        "Здравствуйте, {name}! Звоню по вашему заказу {last_product}. Простите, что всё вышло не так, как должно.",
        ["Деньги вам вернули?", "Что именно было не так?", "Что поможет это исправить?"],
        [
            "Разберите, что случилось и что мы с тех пор изменили.",
            "Предложите похожий товар или тот же другого бренда.",
        ],
        ["Извинительные бонусные баллы", "Похожий товар другого бренда", "Бесплатная доставка следующего заказа"],
    ),
    ("let_down", "pl"): _s(
        "Zawiedziony jakością, kurierem lub obsługą",
        "Dzień dobry, {name}! Dzwonię w sprawie zamówienia {last_product}. Przepraszam, że nie poszło jak należy.",
        ["Czy pieniądze zostały zwrócone?", "Co dokładnie było nie tak?", "Co pomogłoby to naprawić?"],
        ["Omów, co się stało i co od tego czasu zmieniliśmy.", "Zaproponuj podobny produkt lub ten sam innej marki."],
        ["Punkty bonusowe na przeprosiny", "Podobny produkt innej marki", "Darmowa dostawa następnego zamówienia"],
    ),
    ("compensation", "en"): _s(
        "Refund or compensation late or missing",
        "Hello {name}, we owe you something and it is late. I am sorry — I am calling to put it right today.",
        ["Has anything reached you yet?", "How would you prefer to receive it?"],
        ["An honest apology matters, even without anything else.", "Say exactly when it will arrive."],
        ["An apology bonus of points", "A discount code for your next order", "Free delivery on your next order"],
    ),
    ("compensation", "ru"): _s(
        "Компенсация задержана или не получена",
        "Здравствуйте, {name}! Мы задержали то, что вам обещали. Простите — звоню, чтобы исправить это сегодня.",
        ["Вы уже что-нибудь получили?", "Как вам удобнее это получить?"],
        ["Честное извинение важно само по себе.", "Назовите точный срок."],
        ["Извинительные бонусные баллы", "Промокод на следующий заказ", "Бесплатная доставка следующего заказа"],
    ),
    ("compensation", "pl"): _s(
        "Zwrot lub rekompensata spóźniona",
        "Dzień dobry, {name}! Jesteśmy coś Panu/Pani winni i to się spóźnia. Przepraszam — dzwonię, żeby to dziś "
        "naprawić.",
        ["Czy coś już dotarło?", "Jak woli Pan/Pani to otrzymać?"],
        ["Szczere przeprosiny mają znaczenie same w sobie.", "Podaj dokładny termin."],
        [
            "Punkty bonusowe na przeprosiny",
            "Kod rabatowy na następne zamówienie",
            "Darmowa dostawa następnego zamówienia",
        ],
    ),
    ("first_purchase", "en"): _s(
        "Welcome after the first order",
        "Hello {name}, thank you for your first order! I am calling to ask how {last_product} arrived.",
        ["Did everything arrive as expected?", "Is there anything we could do better?"],
        [
            "Our loyalty programme: you already have {points} points.",
            "Bring a friend with code {referral_code}: a gift for both of you.",
        ],
        ["Bonus points on your second order", "Free delivery on your second order"],
    ),
    ("first_purchase", "ru"): _s(
        "Приветствие после первого заказа",
        "Здравствуйте, {name}! Спасибо за первый заказ! Звоню узнать, как доехал {last_product}.",
        ["Всё пришло как ожидали?", "Что мы можем сделать лучше?"],
        [
            "Наша программа лояльности: у вас уже {points} баллов.",
            "Приведите друга по коду {referral_code} — подарок обоим.",
        ],
        ["Бонусные баллы за второй заказ", "Бесплатная доставка второго заказа"],
    ),
    ("first_purchase", "pl"): _s(
        "Powitanie po pierwszym zamówieniu",
        "Dzień dobry, {name}! Dziękujemy za pierwsze zamówienie! Dzwonię zapytać, jak dotarł {last_product}.",
        ["Czy wszystko dotarło zgodnie z oczekiwaniami?", "Co możemy poprawić?"],
        [
            "Nasz program lojalnościowy: ma Pan/Pani już {points} punktów.",
            "Poleć nas znajomym z kodem {referral_code}: prezent dla obu stron.",
        ],
        ["Punkty bonusowe za drugie zamówienie", "Darmowa dostawa drugiego zamówienia"],
    ),
    ("other", "en"): _s(
        "Other",
        "Hello {name}, this is the shop you bought {last_product} from. Do you have a minute?",
        ["How are you getting on with {last_product}?", "Is there anything we could do for you?"],
        ["You have {points} points waiting."],
        ["Bonus points on your next order"],
    ),
    ("other", "ru"): _s(
        "Другое",
        "Здравствуйте, {name}! Это магазин, где вы покупали {last_product}. Удобно говорить?",
        ["Как вам {last_product}?", "Можем ли мы чем-то помочь?"],
        ["У вас {points} бонусных баллов."],
        ["Бонусные баллы за следующий заказ"],
    ),
    ("other", "pl"): _s(
        "Inne",
        "Dzień dobry, {name}! Tu sklep, w którym kupił(a) Pan/Pani {last_product}. Czy ma Pan/Pani chwilę?",
        ["Jak sprawdza się {last_product}?", "Czy możemy w czymś pomóc?"],
        ["Ma Pan/Pani {points} punktów."],
        ["Punkty bonusowe za następne zamówienie"],
    ),
}


def _check(reason: str, language: str) -> None:
    if reason not in REASONS:
        raise ShopkeepError(f"unknown reason {reason!r}; use one of: {', '.join(REASONS)}")
    if language not in LANGUAGES:
        raise ShopkeepError(f"unknown script language {language!r}; use one of: {', '.join(LANGUAGES)}")


def default_script(reason: str, language: str) -> Script:
    _check(reason, language)
    return _DEFAULTS[(reason, language)].model_copy(deep=True)


def load_script(store: Store, reason: str, language: str) -> Script:
    """The owner's edit of the script if there is one, else the shipped default."""
    _check(reason, language)
    row = sql.script_row(store, reason, language)
    if row is None:
        return default_script(reason, language)
    try:
        return Script.model_validate({**json.loads(row["body"]), "title": row["title"]})
    except (ValueError, TypeError, ValidationError):
        raise ShopkeepError(f"the stored {language} script for {reason!r} is damaged; reset it") from None


def unknown_placeholders(script: Script) -> list[str]:
    """Placeholders in the script that no customer can fill, e.g. a typo such as {nmae}, in order."""
    texts = [script.title, script.opening, *script.questions, *script.talking_points, *script.offers]
    found = [key for text in texts for key in _PLACEHOLDER.findall(text) if key not in PLACEHOLDERS]
    return list(dict.fromkeys(found))


def save_script(store: Store, reason: str, language: str, script: Script) -> None:
    """Store the owner's edit; a script with a placeholder that does not exist is refused."""
    _check(reason, language)
    unknown = unknown_placeholders(script)
    if unknown:
        names = ", ".join("{" + key + "}" for key in unknown)
        raise ShopkeepError(f"unknown placeholder {names}; use: {', '.join('{' + k + '}' for k in PLACEHOLDERS)}")
    body = script.model_dump_json(exclude={"title"})
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


def render_script(script: Script, values: Mapping[str, object]) -> Script:
    """The script with every placeholder filled from `values`. A question or talking point that needs a
    value the customer does not have is left out; elsewhere a missing value shows as a dash."""
    return Script(
        title=script.title,
        opening=fill(script.opening, values),
        questions=[fill(q, values) for q in script.questions if _known(q, values)],
        talking_points=[fill(t, values) for t in script.talking_points if _known(t, values)],
        offers=[fill(o, values) for o in script.offers],
    )
