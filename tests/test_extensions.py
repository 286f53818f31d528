"""The generic sockets in netvaerk.extensions."""

from types import SimpleNamespace

import pytest

from netvaerk.extensions import Check, Gate, Hook, Menu, MenuEntry, Panel, PanelSocket


def test_items_come_in_order_and_the_same_name_replaces():
    hook = Hook("test")
    calls = []
    hook.connect("b", lambda **kw: calls.append("b"), order=20)
    hook.connect("a", lambda **kw: calls.append("a"), order=10)
    hook.connect("b", lambda **kw: calls.append("b2"), order=20)  # ready() ran twice
    hook.call()
    assert calls == ["a", "b2"]
    hook.unregister("a")
    hook.unregister("missing")  # nothing to remove is fine
    assert hook.names() == ["b"]


def test_a_gate_answers_with_the_first_objection():
    gate = Gate("test")
    assert gate.ask(text="x") is None
    gate.register(Check("quiet", lambda **kw: None, order=1))
    gate.register(Check("long", lambda text: "too long" if len(text) > 3 else None, order=2))
    gate.register(Check("always", lambda **kw: "always", order=3))
    assert gate.ask(text="abcd") == "too long"
    assert gate.ask(text="ab") == "always"


def test_menus_show_only_what_the_user_may_see():
    menu = Menu("test")
    menu.register(MenuEntry("open", "Open", "home"))
    menu.register(MenuEntry("staff", "Staff", "home", visible=lambda user: user.is_staff))
    assert [e.name for e in menu.for_user(SimpleNamespace(is_staff=False))] == ["open"]
    assert [e.name for e in menu.for_user(SimpleNamespace(is_staff=True))] == ["open", "staff"]


@pytest.mark.django_db
def test_panels_render_only_when_they_have_something_to_show(rf):
    socket = PanelSocket("test")
    socket.register(Panel("hidden", "components/messages.html", lambda **kw: None))
    socket.register(
        Panel(
            "shown", "notifications/_message_line.txt", lambda request, note: {"notification": note}
        )
    )
    rendered = socket.render(rf.get("/"), note=SimpleNamespace(text="Hej"))
    assert [(p.name, str(p)) for p in rendered] == [("shown", "Hej")]
