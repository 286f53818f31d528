from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from kaffe import services
from kaffe.forms import JoinForm
from kaffe.models import ONLINE, CoffeeMatch, CoffeePair, CoffeeSignup
from kaffe.permissions import can_join, can_mark_met, can_see_counts
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes


@login_required
def index(request):
    """Sign up or leave with one click; my pairs with "Vi mødtes"."""
    require(can_join(request.user))
    signup = CoffeeSignup.objects.filter(member=request.user).first()
    initial = {"place": signup.place if signup else (request.user.region or ONLINE)}
    pairs = page_of(request, CoffeePair.objects.for_member(request.user))
    for pair in pairs:
        pair.mine = next(m for m in pair.match_list if m.member_id == request.user.pk)
        pair.others = [m.member for m in pair.match_list if m.member_id != request.user.pk]
    return render(
        request,
        "kaffe/index.html",
        {
            "signup": signup,
            "form": JoinForm(initial=initial),
            "page_obj": pairs,
            "can_see_counts": can_see_counts(request.user),
        },
    )


@login_required
@limit_writes("kaffe")
@require_POST
def join(request):
    require(can_join(request.user))
    form = JoinForm(request.POST)
    if form.is_valid():
        services.join(member=request.user, place=form.cleaned_data["place"])
        messages.success(request, _("You are signed up for coffee. We pair you next month."))
    else:
        messages.error(request, _("Choose a region or online."))
    return redirect("kaffe:index")


@login_required
@limit_writes("kaffe")
@require_POST
def leave(request):
    require(can_join(request.user))
    services.leave(member=request.user)
    messages.success(request, _("You are no longer signed up for coffee."))
    return redirect("kaffe:index")


@login_required
@limit_writes("kaffe")
@require_POST
def met(request, pk):
    # Another member's match is none of their business: 404, not 403.
    match = get_object_or_404(CoffeeMatch.objects.filter(member=request.user), pk=pk)
    require(can_mark_met(request.user, match))
    if services.mark_met(match=match):
        messages.success(request, _("Lovely that you met!"))
    return redirect("kaffe:index")


@login_required
def counts(request):
    """For leaders: only counts, never who was paired with whom."""
    require(can_see_counts(request.user))
    context = {"rounds": services.counts(), "signed_up_now": services.signed_up_now()}
    return render(request, "kaffe/counts.html", context)
