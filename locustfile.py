"""Load test: logged-in demo members on a seeded forum (`make loadtest`).

    locust -f locustfile.py --headless -u 64 -r 8 -t 60s --host http://127.0.0.1:8000

The mix follows a busy Monday morning: reading threads 60 %, lists 15 %,
search 10 %, replying 5 %, answering a meetup 5 %, notifications 5 %. Any
answer other than 2xx/3xx counts as a failure, a failed login too. The server
must run with NETVAERK_RATE_LIMIT_SCALE high enough that 19 demo members can
stand in for 64 people (see README, "Load").
"""

import itertools
import random
import re
from collections import defaultdict

from gevent.lock import Semaphore
from locust import HttpUser, between, task

PASSWORD = "netvaerk-demo"
MEMBERS = [
    "jonas", "camilla", "ahmed", "louise", "peter", "karen", "mikkel", "ida", "henrik",
    "nadia", "thomas", "julie", "rasmus", "maja", "kasper", "birgitte", "emil", "sara", "oliver",
]  # fmt: skip
WORDS = ["moms", "regnskab", "faktura", "ApS", "business", "startup", "ansat", "skat", "marketing"]
THREAD_LINK = re.compile(r'href="(/forum/t/\d+/[^/"]+/)"')
MEETUP_LINK = re.compile(r'href="/moeder/(\d+)-[^/"]+/"')
LISTS = ["/forum/", "/forum/seneste/", "/forum/ubesvarede/", "/forum/uloeste/", "/moeder/"]
_members = itertools.cycle(MEMBERS)
# One sign-in per member, shared by the users that stand for that member (a
# Monday morning's members are mostly signed in already; 64 password hashes at
# once would measure nothing but PBKDF2).
_sessions: dict[str, list] = {}
_locks = defaultdict(Semaphore)


class Member(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.email = f"{next(_members)}@netvaerk.example"
        with _locks[self.email]:
            if self.email not in _sessions:
                self._login()
                _sessions[self.email] = list(self.client.cookies)
        for cookie in _sessions[self.email]:
            self.client.cookies.set_cookie(cookie)
        page = self.client.get("/forum/seneste/", name="lists").text
        self.threads = THREAD_LINK.findall(page) or ["/forum/"]
        page = self.client.get("/moeder/", name="lists").text
        self.meetups = MEETUP_LINK.findall(page)

    def _login(self):
        self.client.get("/konto/login/", name="login page")
        with self.client.post(
            "/konto/login/",
            {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()},
            name="login",
            catch_response=True,
        ) as response:
            if "/konto/login/" in response.url or "sessionid" not in self.client.cookies:
                response.failure(f"login failed for {self.email}")

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(60)
    def read_thread(self):
        self.client.get(random.choice(self.threads), name="thread")

    @task(15)
    def read_list(self):
        self.client.get(random.choice(LISTS), name="lists")

    @task(10)
    def search(self):
        self.client.get("/forum/soeg/", params={"q": random.choice(WORDS)}, name="search")

    @task(5)
    def reply(self):
        path = random.choice(self.threads)
        pk = path.split("/")[3]
        self.client.post(
            f"/forum/svar/{pk}/",
            {
                "body": f"Tak for input – {random.randint(1, 10**6)}.",
                "csrfmiddlewaretoken": self._csrf(),
            },
            name="reply",
        )

    @task(5)
    def answer_meetup(self):
        if not self.meetups:
            return
        pk = random.choice(self.meetups)
        self.client.post(
            f"/moeder/{pk}/svar/",
            {
                "answer": random.choice(["yes", "maybe", "no"]),
                "guests": 0,
                "csrfmiddlewaretoken": self._csrf(),
            },
            name="meetup answer",
        )

    @task(5)
    def notifications(self):
        self.client.get("/varsler/", name="notifications")
