"""A believable Danish network for `make run` (see `manage.py seed_demo`)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import Region, Role, User

DEMO_PASSWORD = "netvaerk-demo"
DEMO_DOMAIN = "netvaerk.example"

# (local part, name, company, industry, region, skills, looking for, roles)
PEOPLE = [
    ("mette", "Mette Kjær", "Kjær Regnskab ApS", "Bogføring og regnskab", Region.MIDTJYLLAND,
     ["bogføring", "moms", "årsregnskab"], "Flere tovholdere til møderne i Aarhus.",
     [Role.NETWORK_LEADER]),
    ("lars", "Lars Holm Nielsen", "Holm IT", "IT-support", Region.HOVEDSTADEN,
     ["IT-sikkerhed", "Microsoft 365", "backup"], "Sparring om prissætning af serviceaftaler.",
     [Role.MODERATOR]),
    ("fatima", "Fatima Rahimi", "Rahimi Design", "Grafisk design", Region.SYDDANMARK,
     ["logo", "branding", "Canva"], "Kunder i fødevarebranchen.", [Role.MODERATOR]),
    ("soeren", "Søren Bech", "Bech Tømrer & Snedker", "Håndværk", Region.NORDJYLLAND,
     ["tilbudsgivning", "lærlinge"], "Et netværk af håndværkere i Nordjylland.",
     [Role.ORGANISER]),
    ("anne", "Anne Sofie Lund", "Lund Kaffebar", "Café", Region.SJAELLAND,
     ["kassesystem", "personalevagtplaner", "events"], "Lokaler til netværksmøder.",
     [Role.ORGANISER]),
    ("jonas", "Jonas Mortensen", "Mortensen Marketing", "Markedsføring", Region.HOVEDSTADEN,
     ["SEO", "Google Ads", "nyhedsbreve"], "En revisor, der forstår små virksomheder.", []),
    ("camilla", "Camilla Friis", "Friis Fysioterapi", "Sundhed", Region.MIDTJYLLAND,
     ["booking", "klinikdrift"], "Erfaringer med at ansætte den første medarbejder.", []),
    ("ahmed", "Ahmed Hassan", "Hassan Transport ApS", "Transport og logistik", Region.SYDDANMARK,
     ["ruteplanlægning", "leasing"], "Samarbejdspartnere til pakkelevering.", []),
    ("louise", "Louise Dahl", "Dahl Webshop", "E-handel", Region.NORDJYLLAND,
     ["Shopify", "webshop", "fragt"], "Hjælp til EU-moms ved salg til udlandet.", []),
    ("peter", "Peter Vestergaard", "Vestergaard Advokat", "Jura", Region.HOVEDSTADEN,
     ["kontrakter", "handelsbetingelser", "GDPR"], "Flere kunder blandt iværksættere.", []),
    ("karen", "Karen Thomsen", "Thomsens Rengøring", "Rengøring", Region.SJAELLAND,
     ["rekruttering", "vagtplaner"], "Sparring om vækst uden at miste overblikket.", []),
    ("mikkel", "Mikkel Skov", "Skov Foto", "Fotografi", Region.MIDTJYLLAND,
     ["produktfoto", "portrætter", "Lightroom"], "Samarbejde med webbureauer.", []),
    ("ida", "Ida Brandt", "Brandt Oversættelse", "Oversættelse", Region.HOVEDSTADEN,
     ["tysk", "engelsk", "korrektur"], "Andre enkeltmandsvirksomheder at dele kontor med.", []),
    ("henrik", "Henrik Juul", "Juul Elektro", "El-installation", Region.NORDJYLLAND,
     ["solceller", "tilbudsgivning"], "En god bogholder.", []),
    ("nadia", "Nadia Østergaard", "Østergaard Coaching", "Coaching", Region.SYDDANMARK,
     ["stresshåndtering", "ledelse", "foredrag"], "Flere steder at holde workshops.", []),
    ("thomas", "Thomas Krogh", "Krogh Bryghus", "Fødevarer og drikke", Region.MIDTJYLLAND,
     ["fødevaregodkendelse", "etiketter", "distribution"], "Sparring om eksport.", []),
    ("julie", "Julie Winther", "Winther Tekstil", "Design og tekstil", Region.SJAELLAND,
     ["produktion", "Etsy", "messer"], "Leverandører af økologisk stof.", []),
    ("rasmus", "Rasmus Kristensen", "Kristensen Byg ApS", "Byggeri", Region.SYDDANMARK,
     ["projektledelse", "entrepriseret"], "Erfaringer med at købe et andet firma.", []),
    ("maja", "Maja Poulsen", "Poulsen Revision", "Revision", Region.HOVEDSTADEN,
     ["revision", "skat", "moms"], "Flere kunder i Nordsjælland.", []),
    ("kasper", "Kasper Lindberg", "Lindberg Apps", "Softwareudvikling", Region.MIDTJYLLAND,
     ["apps", "Python", "Django"], "En medstifter med forretningssans.", []),
    ("birgitte", "Birgitte Hansen", "Hansens Blomster", "Detailhandel", Region.NORDJYLLAND,
     ["butiksindretning", "sociale medier"], "Idéer til julehandlen.", []),
    ("emil", "Emil Sørensen", "Sørensen Consulting", "Rådgivning", Region.HOVEDSTADEN,
     ["forretningsplan", "finansiering", "investorer"], "Iværksættere, der vil i gang.", []),
    ("sara", "Sara Nørgaard", "Nørgaard Yoga", "Sundhed og træning", Region.SJAELLAND,
     ["hold", "booking", "Instagram"], "Lokaler i Roskilde.", []),
    ("oliver", "Oliver Bak", "Bak Cykler", "Detailhandel", Region.SYDDANMARK,
     ["værksted", "lagerstyring"], "Hjælp til regnskabsprogrammer.", []),
    # Just joined: his first post waits in the approval queue (moderation demo).
    ("viktor", "Viktor Holst", "Holst Låse", "Låsesmed", Region.HOVEDSTADEN,
     ["låse", "sikring"], "Gode råd om at starte for mig selv.", []),
]  # fmt: skip

BIO = (
    "Jeg driver {company} og har været selvstændig i nogle år. "
    "Spørg mig gerne om {skill} – jeg hjælper gerne."
)


def joined_ago(index: int) -> timedelta:
    """How long ago the index-th demo member joined: spread over the past year."""
    if index >= len(PEOPLE) - 2:
        return timedelta(days=len(PEOPLE) - index)
    return timedelta(days=365 - index * 300 // len(PEOPLE))


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


@transaction.atomic
def seed() -> tuple[list[tuple[str, str, str]], bool]:
    """Create the demo network once. Returns the logins and whether anything was new."""
    created_any = False
    logins = []
    password_hash = None  # hashed once: the password hasher is slow on purpose
    now = timezone.now()
    for index, (local, name, company, industry, region, skills, looking_for, roles) in enumerate(
        PEOPLE
    ):
        email = demo_email(local)
        user = User.objects.filter(email=email).first()
        if user is None:
            created_any = True
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create_user(email=email, display_name=name)
            user.password = password_hash
            user.save(update_fields=["password"])
            services.register_member(user=user, display_name=name)
            services.update_profile(
                member=user,
                skills=skills,
                company=company,
                industry=industry,
                region=region,
                looking_for=looking_for,
                bio=BIO.format(company=company, skill=skills[0]),
                website="",
                # In-app notifications only: no flood of demo mail in the terminal.
                notification_email="daily",
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            for role in roles:
                services.grant_role(user=user, role=role, granted_by=None)
            # The network has grown over the past year; the last two are new this week.
            User.objects.filter(pk=user.pk).update(date_joined=now - joined_ago(index))
        if roles or not any(not login_roles for *_, login_roles in logins):
            logins.append((email, name, roles))
    logins = [
        (email, name, ", ".join(str(Role(r).label) for r in roles) or str(_("Member")))
        for email, name, roles in logins
    ]
    return logins, created_any


def seed_pictures() -> bool:
    """A few demo members with a picture (a generated gradient), the others
    show their initials. Idempotent: members who have one keep it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from accounts import services
    from netvaerk.uploads import make_avatar

    created = False
    members = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk")[:4]
    for index, member in enumerate(members):
        if member.avatar_key:
            continue
        image = Image.linear_gradient("L").resize((200, 200)).convert("RGB")
        tint = Image.new(
            "RGB", image.size, [(29, 78, 216), (4, 120, 87), (185, 28, 28), (126, 34, 206)][index]
        )
        buffer = io.BytesIO()
        Image.blend(image, tint, 0.6).save(buffer, "PNG")
        services.set_avatar(
            member=member, sizes=make_avatar(SimpleUploadedFile("demo.png", buffer.getvalue()))
        )
        created = True
    return created
