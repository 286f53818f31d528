"""What the moderation pages share: the confirmation page, pagination."""

from django.contrib import messages
from django.shortcuts import redirect, render

from moderation import services


def _confirm(
    request,
    *,
    form,
    perform,
    back: str,
    title: str,
    question: str,
    button: str,
    success: str,
    danger: bool = False,
    context: dict | None = None,
):
    """GET: the confirmation page. POST: validate, act, go back with a message.
    A stale page (someone acted first) shows the message and keeps the form."""
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form)
        except services.ModerationError as refused:
            error = str(refused)
        else:
            messages.success(request, success)
            return redirect(result if isinstance(result, str) else back)
    return render(
        request,
        "moderation/confirm.html",
        {
            "form": form,
            "title": title,
            "question": question,
            "button": button,
            "back": back,
            "danger": danger,
            "error": error,
            **(context or {}),
        },
        status=409 if error else 200,
    )
