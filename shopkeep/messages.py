"""Messages for customers without a phone: one short, honest email or SMS per reason, in English, Russian
and Polish. The owner copies one into their mail tool or exports them all (`shopkeep calls --no-phone`);
logging it as sent is a contact like a call (outcome `message_sent`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.scripts import LANGUAGES, REASONS
from shopkeep.store import Store
from shopkeep.store import customers as customers_sql

if TYPE_CHECKING:
    from shopkeep.calls import CallItem

CHANNELS = ("email", "sms")

# language -> reason -> (subject, email body, sms). {greeting} is the language's "Hello NAME" line,
# {shop} the shop's name (English only: Russian and Polish would inflect it), {caller} who signs.
_TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "en": {
        "forgot": (
            "We miss you at {shop}",
            "It has been a while since your last order, and we wondered how you are.\n"
            "If there is anything we can help with, just reply to this email.",
            "It has been a while since your last order. Anything we can help with? Just reply.",
        ),
        "delivery": (
            "About delivery costs at {shop}",
            "We noticed delivery made up a big part of your orders. We would like to make it cheaper for you:\n"
            "reply and tell us which delivery option would suit you.",
            "Delivery costs put you off? Reply and tell us which option would suit you.",
        ),
        "prices": (
            "A question about our prices",
            "We would like to know whether our prices kept you from ordering again.\n"
            "Your answer helps us, and we will see what we can do for you.",
            "Did our prices keep you from ordering again? Your answer helps us.",
        ),
        "moved": (
            "Have you moved?",
            "If you have moved, we still deliver to you: reply with your new address and we will update it.",
            "Moved? We still deliver: reply with your new address.",
        ),
        "let_down": (
            "We are sorry",
            "We think we let you down last time, and we are sorry.\n"
            "Please tell us what went wrong: we read every reply and want to put it right.",
            "We are sorry we let you down. Tell us what went wrong and we will put it right.",
        ),
        "compensation": (
            "What we owe you",
            "We promised you something and have not delivered it yet. We are sorry for the wait;\n"
            "reply to this email if you would like to know where it stands.",
            "We still owe you what we promised. Sorry for the wait; reply for an update.",
        ),
        "first_purchase": (
            "Thank you for your first order",
            "Thank you for your first order at {shop}. Did everything arrive as expected?\n"
            "If anything was not right, reply and we will sort it out.",
            "Thank you for your first order! Did everything arrive as expected?",
        ),
        "other": (
            "A note from {shop}",
            "We wanted to check in and ask how you are getting on with your orders from us.\n"
            "Reply any time if there is something we can do.",
            "Checking in: anything we can do for you? Just reply.",
        ),
    },
    "ru": {
        "forgot": (
            "Мы скучаем по вам",
            "Вы давно у нас ничего не заказывали, и нам интересно, как у вас дела.\n"
            "Если мы можем чем-то помочь, просто ответьте на это письмо.",
            "Вы давно у нас не заказывали. Можем чем-то помочь? Просто ответьте.",
        ),
        "delivery": (
            "О стоимости доставки",
            "Мы заметили, что доставка заметно увеличивала сумму ваших заказов. Хотим сделать её дешевле:\n"
            "ответьте и напишите, какой способ доставки вам удобен.",
            "Дорогая доставка? Ответьте, какой способ вам удобен.",
        ),
        "prices": (
            "Вопрос о наших ценах",
            "Хотим понять, не помешали ли наши цены вам заказать снова.\n"
            "Ваш ответ нам поможет, и мы посмотрим, что можем для вас сделать.",
            "Наши цены помешали заказать снова? Ваш ответ нам поможет.",
        ),
        "moved": (
            "Вы переехали?",
            "Если вы переехали, мы всё равно доставим: пришлите новый адрес, и мы его обновим.",
            "Переехали? Мы доставим: пришлите новый адрес.",
        ),
        "let_down": (
            "Простите нас",
            "Похоже, в прошлый раз мы вас подвели, и нам жаль.\n"
            "Напишите, что пошло не так: мы читаем каждый ответ и хотим всё исправить.",
            "Простите, что подвели. Напишите, что пошло не так, и мы исправим.",
        ),
        "compensation": (
            "Что мы вам должны",
            "Мы вам кое-что обещали и ещё не выполнили. Простите за ожидание;\n"
            "ответьте на письмо, если хотите узнать, как обстоят дела.",
            "Мы всё ещё должны вам обещанное. Простите за ожидание; ответьте, и мы расскажем.",
        ),
        "first_purchase": (
            "Спасибо за первый заказ",
            "Спасибо за ваш первый заказ у нас. Всё ли пришло как надо?\n"
            "Если что-то не так, ответьте, и мы всё уладим.",
            "Спасибо за первый заказ! Всё ли пришло как надо?",
        ),
        "other": (
            "Как у вас дела?",
            "Хотели узнать, как вам наши товары и всё ли в порядке.\n"
            "Пишите в любое время, если мы можем чем-то помочь.",
            "Как дела? Можем чем-то помочь? Просто ответьте.",
        ),
    },
    "pl": {
        "forgot": (
            "Tęsknimy za Tobą",
            "Dawno nic u nas nie zamawiałeś/aś i chcieliśmy zapytać, co słychać.\n"
            "Jeśli możemy w czymś pomóc, po prostu odpowiedz na tę wiadomość.",
            "Dawno nie zamawiałeś/aś. Możemy w czymś pomóc? Po prostu odpisz.",
        ),
        "delivery": (
            "O kosztach dostawy",
            "Zauważyliśmy, że dostawa stanowiła dużą część Twoich zamówień. Chcemy, by była tańsza:\n"
            "odpisz, która forma dostawy byłaby dla Ciebie wygodna.",
            "Dostawa za droga? Odpisz, która forma byłaby wygodna.",
        ),
        "prices": (
            "Pytanie o nasze ceny",
            "Chcemy wiedzieć, czy to nasze ceny zniechęciły Cię do kolejnego zamówienia.\n"
            "Twoja odpowiedź nam pomoże, a my zobaczymy, co możemy zrobić.",
            "Czy nasze ceny zniechęciły Cię do zamówienia? Twoja odpowiedź pomoże.",
        ),
        "moved": (
            "Przeprowadzka?",
            "Jeśli się przeprowadziłeś/aś, nadal dostarczamy: odpisz z nowym adresem, a go zaktualizujemy.",
            "Nowy adres? Nadal dostarczamy: odpisz z adresem.",
        ),
        "let_down": (
            "Przepraszamy",
            "Wygląda na to, że ostatnio Cię zawiedliśmy — przepraszamy.\n"
            "Napisz, co poszło nie tak: czytamy każdą odpowiedź i chcemy to naprawić.",
            "Przepraszamy, że zawiedliśmy. Napisz, co poszło nie tak, naprawimy to.",
        ),
        "compensation": (
            "To, co jesteśmy Ci winni",
            "Obiecaliśmy Ci coś i jeszcze tego nie zrobiliśmy. Przepraszamy za czekanie;\n"
            "odpisz, jeśli chcesz wiedzieć, na jakim etapie to jest.",
            "Wciąż jesteśmy Ci winni obiecane. Przepraszamy za czekanie; odpisz po szczegóły.",
        ),
        "first_purchase": (
            "Dziękujemy za pierwsze zamówienie",
            "Dziękujemy za pierwsze zamówienie u nas. Czy wszystko dotarło tak, jak trzeba?\n"
            "Jeśli coś było nie tak, odpisz, a to załatwimy.",
            "Dziękujemy za pierwsze zamówienie! Czy wszystko dotarło w porządku?",
        ),
        "other": (
            "Co słychać?",
            "Chcieliśmy zapytać, jak sprawdzają się zamówienia od nas.\n"
            "Odpisz w każdej chwili, jeśli możemy coś dla Ciebie zrobić.",
            "Co słychać? Możemy w czymś pomóc? Po prostu odpisz.",
        ),
    },
}
_GREETING = {
    "en": ("Hello {name},", "Hello,"),
    "ru": ("Здравствуйте, {name}!", "Здравствуйте!"),
    "pl": ("Dzień dobry, {name}!", "Dzień dobry!"),
}
_SIGN = {"en": "Best wishes,", "ru": "С уважением,", "pl": "Pozdrawiamy,"}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str  # the email, greeting and signature included
    sms: str  # one short line, greeting included


def message_for(
    reason: str, language: str, *, first_name: str | None, shop_name: str | None, caller: str | None = None
) -> Message:
    """The message for a customer on the no-phone list. A missing name greets without one; a missing shop
    name says "our shop" (never a placeholder left in the text)."""
    if reason not in REASONS:
        raise ShopkeepError(
            _("unknown reason {reason!r}; use one of: {names}").format(reason=reason, names=", ".join(REASONS))
        )
    if language not in LANGUAGES:
        raise ShopkeepError(
            _("unknown language {language!r}; use one of: {names}").format(
                language=language, names=", ".join(LANGUAGES)
            )
        )
    subject, body, sms = _TEXTS[language][reason]
    shop = shop_name or "our shop"  # only the English texts name the shop (Russian and Polish would inflect it)
    named, unnamed = _GREETING[language]
    greeting = named.format(name=first_name.strip()) if first_name and first_name.strip() else unnamed
    signature = "\n".join(x for x in (_SIGN[language], caller, shop_name) if x)
    return Message(
        subject=subject.format(shop=shop),
        body=f"{greeting}\n\n{body.format(shop=shop)}\n\n{signature}",
        sms=f"{greeting[:-1] + '!' if greeting.endswith(',') else greeting} {sms.format(shop=shop)}"
        + (f" — {shop_name}" if shop_name else ""),
    )


@dataclass(frozen=True)
class Outreach:
    """One customer of the no-phone list with where to write and what."""

    customer_id: int
    ref: str
    name: str | None
    email: str | None
    reason: str
    why: str
    message: Message


def first_name_of(first_name: str | None, name: str | None) -> str | None:
    """The stored first name, else the first word of the full name."""
    if first_name and first_name.strip():
        return first_name.strip()
    words = (name or "").split()
    return words[0] if words else None


def outreach(store: Store, items: Sequence[CallItem], language: str | None = None) -> list[Outreach]:
    """The messages for the no-phone list (`calls.CallList.no_phone`), in the script language unless given."""
    from shopkeep import calls, shop

    language = language or calls.load_settings(store).language
    settings = shop.load_settings(store)
    found = customers_sql.contacts(store, [i.customer_id for i in items], forgotten=True)
    out = []
    for item in items:
        contact = found.get(item.customer_id)
        first, email = (contact.first_name, contact.email) if contact else (None, None)
        message = message_for(
            item.reason,
            language,
            first_name=first_name_of(first, item.name),
            shop_name=settings.shop_name,
            caller=settings.caller_name,
        )
        out.append(Outreach(item.customer_id, item.ref, item.name, email, item.reason, item.why, message))
    return out
