from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.permissions import require
from velkomst import services
from velkomst.permissions import can_see_welcome


@login_required
def welcome(request):
    """The newcomer's three steps with their progress, and their greeter."""
    require(can_see_welcome(request.user))
    welcome = services.start_path(member=request.user)
    steps = services.steps(request.user)
    done = sum(step.done for step in steps)
    return render(
        request,
        "velkomst/welcome.html",
        {
            "steps": steps,
            "done": done,
            "total": len(steps),
            "percent": round(100 * done / len(steps)),
            "greeter": welcome.greeter,
        },
    )
