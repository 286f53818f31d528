"""The forum's views, one module per area; urls.py names them from here."""

from forum.views.admin import (
    category_edit,
    category_list,
    failed_search_dismiss,
    failed_search_list,
    synonym_delete,
    synonym_list,
)
from forum.views.following import (
    draft_delete,
    draft_list,
    follow_category,
    follow_tag,
    follow_thread,
    mailing_list_settings,
    mailing_list_unsubscribe,
)
from forum.views.lists import category_detail, index, latest, tag_detail, unanswered, unsolved
from forum.views.posts import (
    accept_answer,
    bookmark_list,
    outcome_edit,
    post_edit,
    post_history,
    revision_restore,
    toggle_bookmark,
    toggle_reaction,
)
from forum.views.search import search
from forum.views.threads import (
    post_permalink,
    reply_create,
    similar,
    thread_create,
    thread_detail,
    thread_unread,
)

__all__ = [
    "accept_answer",
    "bookmark_list",
    "category_detail",
    "category_edit",
    "category_list",
    "draft_delete",
    "draft_list",
    "failed_search_dismiss",
    "failed_search_list",
    "follow_category",
    "follow_tag",
    "follow_thread",
    "index",
    "latest",
    "mailing_list_settings",
    "mailing_list_unsubscribe",
    "outcome_edit",
    "post_edit",
    "post_history",
    "post_permalink",
    "reply_create",
    "revision_restore",
    "search",
    "similar",
    "synonym_delete",
    "synonym_list",
    "tag_detail",
    "thread_create",
    "thread_detail",
    "thread_unread",
    "toggle_bookmark",
    "toggle_reaction",
    "unanswered",
    "unsolved",
]
