"""The header's menus. Each app registers its own entries from AppConfig.ready()
(``main_menu.register(MenuEntry(...))``); base.html reads them through the
``navigation`` context processor, so no app needs to know another's links."""

from netvaerk.extensions import Menu

main_menu = Menu("main", "Links in the header's main navigation.")
member_menu = Menu("member", "Links in the signed-in member's own menu.")
