"""A lively Danish forum for the demo network (used by `manage.py seed_demo`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from forum import services
from forum.models import Category, CategoryMailing, Post, Thread

Q, D = "question", "discussion"
QA = "spoergsmaal-og-svar"
KNOW = "viden-og-erfaringer"
NEWS = "annoncer-og-nyheder"
LOCAL = "lokalt"
SOCIAL = "socialt"
STAFF = "netvaerksansvarlige"

# (category, kind, author, title, body, tags, [(replier, text)], accepted reply index or None)
THREADS = [
    (QA, Q, "louise", "Moms ved salg til private kunder i andre EU-lande?",
     "Min webshop sælger efterhånden en del til Sverige og Tyskland. Hvornår skal jeg "
     "begynde at opkræve moms i kundens land, og hvordan gør I det i praksis?",
     ["moms", "EU", "webshop"],
     [("maja", "Grænsen er 10.000 euro samlet om året til private i andre EU-lande. Over den "
       "skal du opkræve køberlandets moms. Den nemmeste vej er at tilmelde dig **OSS-ordningen** "
       "(One Stop Shop) hos Skattestyrelsen, så indberetter du det hele ét sted."),
      ("mette", "Tilføjelse: husk at din webshop skal kunne vise priser med den rigtige moms "
       "pr. land. Shopify kan det, men det skal slås til."),
      ("louise", "Tak begge to – OSS var lige det, jeg manglede!")], 0),
    (QA, Q, "jonas", "ApS eller enkeltmandsvirksomhed, når man starter op?",
     "Jeg er ved at gå fra freelance ved siden af til fuld tid. Giver det mening at stifte et "
     "ApS med det samme, eller skal jeg blive i enkeltmandsvirksomheden et år mere?",
     ["ApS", "virksomhedsform", "opstart"],
     [("peter", "Det afhænger mest af risiko og overskud. Et ApS begrænser din hæftelse, men "
       "koster 40.000 kr. i kapital og mere administration (årsrapport, revision kan fravælges). "
       "Har du kunder, der kan kræve erstatning, er ApS ofte pengene værd."),
      ("emil", "Kig også på virksomhedsskatteordningen (VSO) – den giver mange af skattefordelene "
       "uden at du behøver et selskab."),
      ("maja", "Enig med Emil. Mange starter i enkeltmand med VSO og omdanner skattefrit senere.")],
     1),
    (QA, Q, "camilla", "Første medarbejder – hvad skal man huske?",
     "Jeg skal ansætte min første fysioterapeut i klinikken. Hvad har I glemt, da I ansatte "
     "jeres første?", ["ansættelse", "personale"],
     [("karen", "Arbejdsskadeforsikring er lovpligtig fra dag ét. Og husk ansættelsesbevis "
       "senest ved start."),
      ("peter", "Få styr på feriepengene: med samtidighedsferie skal du registrere ferie "
       "løbende.")],
     0),
    (QA, Q, "oliver", "Hvilket regnskabsprogram bruger I?",
     "Jeg kører stadig regnskab i et regneark og det holder ikke længere. Dinero, e-conomic, "
     "Billy – hvad vælger man som lille butik med værksted?", ["bogføring", "regnskabsprogram"],
     [("mette", "Til en lille butik er Dinero eller Billy fint. Husk at den nye bogføringslov "
       "kræver et registreret digitalt bogføringssystem."),
      ("kasper", "Vi bruger e-conomic, fordi det integrerer med alt. Dyrere, men sparer tid.")],
     None),
    (QA, Q, "nadia", "Findes der tilskud til at komme i gang med workshops?",
     "Jeg vil gerne udvikle et workshopforløb om stress for mindre virksomheder. Kender nogen "
     "puljer eller tilskud, man kan søge?", ["tilskud", "finansiering"],
     [("emil", "Kig på Erhvervshusets tilbud – de har gratis vejledning og kender de regionale "
       "puljer. Markedsmodningsfonden er for større projekter.")], None),
    (QA, Q, "thomas", "Fødevaregodkendelse til et mikrobryggeri",
     "Vi flytter bryggeriet til nye lokaler. Skal vi have en ny registrering hos "
     "Fødevarestyrelsen, eller følger den med?", ["fødevarer", "godkendelse"], [], None),
    (QA, Q, "ahmed", "Leasing eller køb af varebil?",
     "Vi skal bruge to varebiler mere. Hvad er jeres erfaringer med leasing kontra køb for en "
     "lille transportvirksomhed?", ["leasing", "økonomi"],
     [("rasmus", "Vi leaser, fordi likviditeten er vigtigere for os end den samlede pris.")],
     0),
    (QA, Q, "ida", "Hvordan sætter I timepris som oversætter/konsulent?",
     "Jeg har haft samme timepris i fire år. Hvordan hæver man prisen uden at miste kunder?",
     ["prissætning", "salg"],
     [("jonas", "Varsl det tre måneder før og begrund det med værdi, ikke omkostninger."),
      ("emil", "Start med nye kunder på den nye pris – så ved du hurtigt, om markedet tager den.")],
     None),
    (QA, Q, "henrik", "Skal jeg have en bogholder eller en revisor?",
     "Jeg er elektriker og hader papirarbejde. Hvad er forskellen, og hvad har en lille "
     "virksomhed brug for?", ["bogføring", "revisor"], [], None),
    (QA, Q, "julie", "Erfaringer med at sælge på Etsy fra Danmark?",
     "Mine tekstiler sælger godt lokalt. Er Etsy besværet værd med fragt og moms?",
     ["Etsy", "webshop", "fragt"],
     [("louise", "Ja, men regn fragten ind fra start – danske fragtpriser er høje.")], None),
    (QA, Q, "birgitte", "Hvordan får man flere kunder i butikken op til jul?",
     "Vi er en lille blomsterbutik. Har I gode idéer til julehandlen, der ikke koster en formue?",
     ["markedsføring", "jul"],
     [("jonas", "Lav en lille event – gløgg og kransebinding – og del den på Facebook-grupper i "
       "byen. Lokale grupper virker bedre end annoncer."),
      ("anne", "Vi samarbejder med nabobutikkerne om en fælles julestue. Det trækker folk.")], 1),
    (QA, Q, "sara", "Booking-system til yogahold",
     "Hvilket bookingsystem bruger I til hold og klippekort? Det skal kunne MobilePay.",
     ["booking", "MobilePay"], [], None),
    (QA, Q, "mikkel", "Hvordan skriver man en god kontrakt til fotoopgaver?",
     "Jeg får flere erhvervsopgaver og vil gerne have styr på rettigheder til billederne.",
     ["kontrakter", "ophavsret"],
     [("peter", "Skriv tydeligt, hvilken brugsret kunden får (medier, periode, geografi), og at "
       "ophavsretten bliver hos dig. Jeg har en skabelon, du kan få.")], 0),
    (QA, Q, "soeren", "Lærling i en lille tømrervirksomhed – hvordan kommer man i gang?",
     "Jeg vil gerne tage en lærling ind. Hvad kræver det af godkendelser?",
     ["lærlinge", "uddannelse"],
     [("henrik", "Du skal godkendes som praktiksted af det faglige udvalg. Det går hurtigt.")],
     None),
    (QA, Q, "karen", "Vagtplaner uden at drukne i SMS'er",
     "Hvordan styrer I vagtplaner for deltidsansatte? Vi er ti personer.", ["vagtplaner"],
     [], None),
    (QA, Q, "rasmus", "Køb af en konkurrent – hvor starter man?",
     "En ældre kollega vil sælge sin forretning. Hvordan værdisætter man sådan en virksomhed?",
     ["virksomhedsoverdragelse", "finansiering"],
     [("emil", "Start med de sidste tre års regnskaber og en realistisk vurdering af, hvilke "
       "kunder der bliver. Få en uvildig rådgiver med.")], None),
    (QA, Q, "kasper", "GDPR for en lille app-udvikler",
     "Vi gemmer e-mails og brugsdata i en app. Hvad er minimum, vi skal have på plads?",
     ["GDPR", "apps"],
     [("peter", "Privatlivspolitik, databehandleraftaler med jeres leverandører og en "
       "fortegnelse over behandlinger. Datatilsynet har gode skabeloner.")], 0),
    (QA, Q, "fatima", "Hvordan får man betaling til tiden?",
     "To kunder betaler altid 30 dage for sent. Hvad gør I?", ["fakturering", "betaling"],
     [("maja", "Kortere betalingsfrist, rykkergebyr i handelsbetingelserne og automatisk "
       "rykker fra regnskabsprogrammet."),
      ("lars", "Og ring! Et venligt opkald virker bedre end tre rykkere.")], None),
    (QA, Q, "anne", "Kassesystem til café – erfaringer?",
     "Vores gamle kassesystem dør snart. Hvad bruger I?", ["kassesystem", "café"], [], None),
    (QA, Q, "lars", "Backup for små virksomheder – hvad er nok?",
     "Jeg bliver tit spurgt af kunder. Hvad anbefaler I andre som minimum?",
     ["IT-sikkerhed", "backup"],
     [("kasper", "3-2-1: tre kopier, to slags medier, én uden for huset. Og test gendannelse.")],
     0),
    (KNOW, D, "mette", "Mine fem bedste råd om bogføring i det første år",
     "1. Bogfør hver uge, ikke hver måned.\n2. Hold privat og forretning adskilt.\n"
     "3. Gem bilag digitalt med det samme.\n4. Afsæt penge til skat på en separat konto.\n"
     "5. Spørg hellere én gang for meget.", ["bogføring", "opstart"],
     [("oliver", "Nummer 4 ville have sparet mig for meget bøvl!"),
      ("camilla", "Tak, Mette. Deler den med min nye kollega.")], None),
    (KNOW, D, "jonas", "Sådan fik jeg mine første 10 kunder via LinkedIn",
     "Jeg skrev ét opslag om ugen om konkrete problemer, mine kunder har. Efter tre måneder "
     "kom henvendelserne af sig selv.", ["LinkedIn", "markedsføring", "salg"],
     [("ida", "Hvor lange er dine opslag typisk?"), ("jonas", "Korte: 5–8 linjer og ét billede.")],
     None),
    (KNOW, D, "nadia", "Stress som selvstændig – det taler vi for lidt om",
     "Mange af os arbejder alene og tager det hele med hjem. Hvad gør I for at holde fri?",
     ["trivsel", "stress"],
     [("sara", "Jeg har faste fridage i kalenderen, som jeg behandler som kundeaftaler."),
      ("henrik", "Telefonen på lydløs efter kl. 18. Det var svært i starten.")], None),
    (KNOW, D, "kasper", "Værktøjer jeg ikke kan undvære som enkeltmandsvirksomhed",
     "Kalender med booking, et regnskabsprogram med bankintegration og en adgangskodemanager.",
     ["værktøjer", "IT"], [("lars", "+1 for adgangskodemanageren.")], None),
    (KNOW, D, "peter", "Handelsbetingelser – de fem punkter alle glemmer",
     "Betalingsfrist, ejendomsforbehold, ansvarsbegrænsning, værneting og hvordan aftalen "
     "opsiges.", ["kontrakter", "handelsbetingelser"], [], None),
    (NEWS, D, "mette", "Velkommen til Netværk – sådan kommer du i gang",
     "Udfyld din profil med det, du kan hjælpe med, stil dit første spørgsmål, og kig forbi et "
     "netværksmøde. Læs også retningslinjerne.", ["velkommen"],
     [("jonas", "Tak for et godt initiativ!")], None),
    (NEWS, D, "lars", "Nyt i forummet: marker det svar, der hjalp dig",
     "Når du har fået svar på et spørgsmål, så marker det svar, der løste det. Så kan andre "
     "finde det senere.", ["forum"], [], None),
    (LOCAL, D, "soeren", "Håndværkere i Nordjylland – skal vi mødes?",
     "Jeg vil gerne samle håndværkere i Aalborg-området til en uformel morgenkaffe.",
     ["Nordjylland", "håndværk"],
     [("henrik", "Jeg er med!"), ("birgitte", "Ikke håndværker, men må jeg komme alligevel?"),
      ("soeren", "Selvfølgelig, alle er velkomne.")], None),
    (LOCAL, Q, "anne", "Lokaler til netværksmøder i Roskilde?",
     "Vi mangler et sted til 20 personer en aften om måneden. Forslag?",
     ["Sjælland", "lokaler"], [("sara", "Mit yogastudie kan lånes mandag aften.")], 0),
    (LOCAL, Q, "thomas", "Fødevare-iværksættere i Aarhus?",
     "Er der andre fødevareproducenter i Aarhus-området, der vil dele erfaringer om "
     "distribution?", ["Aarhus", "fødevarer"], [], None),
    (SOCIAL, D, "anne", "Julefrokost 2026 – idéer til sted?",
     "Sidste år var hyggeligt. Skal vi prøve et nyt sted i år?", ["julefrokost"],
     [("mikkel", "Jeg tager gerne billeder igen!"), ("julie", "Gerne et sted med dans.")], None),
    (SOCIAL, D, "sara", "Morgenløb for selvstændige?",
     "Er der nogen, der kunne tænke sig en fast løbetur onsdag morgen i København?",
     ["motion"], [("emil", "Jeg er frisk.")], None),
    (SOCIAL, D, "oliver", "Hvad lytter I til i bilen/værkstedet?",
     "Jeg mangler gode podcasts om at drive virksomhed.", ["podcasts"],
     [("jonas", "Prøv 'Iværksætterpodcasten' – korte afsnit.")], None),
    (STAFF, D, "mette", "Plan for moderering i december",
     "Vi er færre på vagt i julen. Hvem kan tage weekenderne?", ["moderering"],
     [("lars", "Jeg tager 12.–13. december."), ("fatima", "Jeg tager 19.–20.")], None),
    (QA, Q, "emil", "Hvordan laver man et budget, banken tager seriøst?",
     "Jeg skal søge et lån til udvidelse. Hvad kigger banken efter i budgettet?",
     ["budget", "finansiering", "bank"],
     [("maja", "Realistiske forudsætninger, likviditetsbudget pr. måned og en plan B.")], 0),
    (QA, Q, "julie", "Messer – er de pengene værd for en lille producent?",
     "Jeg overvejer en stand på en stor designmesse. Det koster 15.000 kr. Har I erfaringer?",
     ["messer", "markedsføring"], [], None),
    (QA, Q, "mikkel", "Skal jeg momsregistrere mig under 50.000 kr.?",
     "Jeg fotograferer ved siden af mit job og omsætter for ca. 30.000 kr. om året.",
     ["moms", "bibeskæftigelse"],
     [("mette", "Nej, du skal først registreres, når omsætningen overstiger 50.000 kr. over 12 "
       "måneder. Men du kan frivilligt registrere dig, hvis du har store indkøb.")], 0),
    (QA, Q, "ahmed", "CVR-nummer til en forening – hvordan?",
     "Vi vil lave en brancheforening for små vognmænd. Skal den have CVR-nummer?",
     ["CVR", "forening"], [], None),
    (QA, Q, "birgitte", "Instagram eller Facebook for en lokal butik?",
     "Jeg har kun tid til ét medie. Hvilket giver flest kunder i butikken?",
     ["sociale medier", "markedsføring"],
     [("jonas", "Facebook for lokale begivenheder, Instagram for at vise varerne. Start dér, "
       "hvor dine kunder allerede er – spørg dem!")], None),
    (QA, Q, "camilla", "Ydernummer eller privat klinik?",
     "Jeg overvejer at søge ydernummer. Er der nogen, der har erfaringer?",
     ["sundhed", "klinikdrift"], [], None),
]  # fmt: skip


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


@transaction.atomic
def seed() -> bool:
    """Create the demo threads once. Returns whether anything was new."""
    if Thread.objects.exists():
        return False
    categories = {c.slug: c for c in Category.objects.all()}
    now = timezone.now()
    total = len(THREADS)
    for index, (slug, kind, author, title, body, tags, replies, accepted) in enumerate(THREADS):
        # Spread the threads over the last few weeks, oldest first.
        started = now - timedelta(days=(total - index) * 0.8, hours=index % 7)
        thread = services.start_thread(
            category=categories[slug],
            author=_user(author),
            title=title,
            kind=kind,
            body=body,
            tags=tags,
        )
        Thread.objects.filter(pk=thread.pk).update(
            created_at=started, last_posted_at=started, view_count=5 + (index * 7) % 60
        )
        Post.objects.filter(thread=thread).update(created_at=started)
        for offset, (replier, text) in enumerate(replies, start=1):
            post = services.post_reply(thread=thread, author=_user(replier), body=text)
            when = started + timedelta(hours=2 * offset + index % 5)
            Post.objects.filter(pk=post.pk).update(created_at=when)
            fields = {"last_posted_at": when}
            if offset == 1:
                fields["first_reply_at"] = when
            Thread.objects.filter(pk=thread.pk).update(**fields)
            if accepted is not None and offset - 1 == accepted:
                services.accept_answer(thread=thread, post=post)
                # A few thanks for the answers that helped.
                for thanker in ("mette", "jonas", "anne")[: 1 + index % 3]:
                    if thanker != replier:
                        services.toggle_reaction(post=post, user=_user(thanker))
    # Mailing-list mode: Camilla follows one category by mail (forum/mailingliste/).
    first_category = Category.objects.order_by("position", "pk").first()
    if first_category is not None:
        CategoryMailing.objects.get_or_create(user=_user("camilla"), category=first_category)
    return True
