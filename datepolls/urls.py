from django.urls import path

from datepolls import views

app_name = "datepolls"

# Included under "moeder/" next to moeder.urls: /moeder/<meetup_pk>/afstemning/…
urlpatterns = [
    path("<int:meetup_pk>/afstemning/", views.poll_detail, name="poll_detail"),
    path("<int:meetup_pk>/afstemning/muligheder/", views.poll_options, name="poll_options"),
    path(
        "<int:meetup_pk>/afstemning/muligheder/<int:option_pk>/fjern/",
        views.poll_option_remove,
        name="poll_option_remove",
    ),
    path("<int:meetup_pk>/afstemning/inviter/", views.poll_open, name="poll_open"),
    path("<int:meetup_pk>/afstemning/luk/", views.poll_close, name="poll_close"),
    path("<int:meetup_pk>/afstemning/vaelg/", views.poll_decide, name="poll_decide"),
]
