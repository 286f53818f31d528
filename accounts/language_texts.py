"""Pages whose text network leaders write once per language (the community
guidelines, the privacy policy): showing the text in the reader's language with
the Danish text as fallback, and the one editing page both use."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language


def edit_language_text(
    request,
    *,
    model,
    form_class,
    save,
    title: str,
    save_label: str,
    saved_message: str,
    done_url: str,
    revisions=None,
):
    """GET shows the form with the text in the current language; a valid POST saves
    it through `save(language=, body=, updated_by=)` and returns to `done_url`. An
    invalid POST shows the form again with what was typed. `revisions(current)`
    lists earlier versions where the text keeps them."""
    language = get_language()
    current = model.objects.for_language(language)
    form = form_class(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST" and form.is_valid():
        save(language=language, body=form.cleaned_data["body"], updated_by=request.user)
        messages.success(request, saved_message)
        return redirect(done_url)
    return render(
        request,
        "accounts/language_text_form.html",
        {
            "form": form,
            "title": title,
            "save_label": save_label,
            "cancel_url": done_url,
            "language_name": dict(settings.LANGUAGES)[language],
            "revisions": revisions(current) if revisions and current is not None else [],
        },
    )
