"""`CallQueue`: the list as the calling session (`shopkeep.call_session`) walks it: the current customer,
pick another, try a no-answer again once at the end, put back a call that was not saved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from shopkeep.calls.list_builder import CallItem


class CallQueue:
    """The list as a screen walks it: the customers still to call and which one is current."""

    def __init__(self, items: Iterable[CallItem]):
        self._items = list(items)
        self._pos = 0
        self._retried: set[int] = set()

    @property
    def items(self) -> tuple[CallItem, ...]:
        """Still to call, in calling order."""
        return tuple(self._items)

    @property
    def position(self) -> int:
        return self._pos

    @property
    def current(self) -> CallItem | None:
        return self._items[self._pos] if self._pos < len(self._items) else None

    @property
    def remaining(self) -> int:
        """Customers still to call, the current one included."""
        return len(self._items)

    def select(self, customer_id: int) -> CallItem | None:
        """Make this customer the current one (the owner picked them out of order)."""
        for pos, item in enumerate(self._items):
            if item.customer_id == customer_id:
                self._pos = pos
        return self.current

    def advance(self) -> CallItem | None:
        """Done with the current customer; returns the next (None when nobody is left)."""
        if self.current is not None:
            del self._items[self._pos]
        if self._pos >= len(self._items):
            self._pos = 0
        return self.current

    def remove(self, customer_id: int) -> bool:
        """Take a customer off the list (their call was logged elsewhere). The current customer stays
        current; when it is the one taken off, the next one is."""
        for pos, item in enumerate(self._items):
            if item.customer_id == customer_id:
                del self._items[pos]
                if pos < self._pos:
                    self._pos -= 1
                elif self._pos >= len(self._items):
                    self._pos = 0
                return True
        return False

    def put_back(self, item: CallItem) -> None:
        """A call that was not saved: the customer is back on the list, next after the current one (the
        owner may be in the middle of another call by the time the write fails)."""
        if any(i.customer_id == item.customer_id for i in self._items):
            return
        self._items.insert(self._pos + 1 if self.current is not None else len(self._items), item)

    def later(self) -> CallItem | None:
        """Try the current customer again after everyone else (a no-answer), once; returns the next."""
        item = self.current
        if item is None or item.customer_id in self._retried:
            return self.advance()
        self._retried.add(item.customer_id)
        self.advance()
        self._items.append(item)
        return self.current
