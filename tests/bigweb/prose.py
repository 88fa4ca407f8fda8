"""German press-release prose from templates, so every site carries believable, distinct text.

Real municipal press offices write about roads, schools, events, the council and — the reason
ki-monitor exists — the Kommunales Integrationszentrum. Each generated release gets a unique
marker sentence in the middle of its body (never in the teaser, which sidebars repeat), so a
test can tell the release's own text from a neighbouring article's.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

PLACES = ["Altstadt", "Nordviertel", "Südstadt", "Oberdorf", "Kirchheide", "Mühlenbach", "Bürgerfeld",
          "Großenbaum", "Lindenhöhe", "Schönebeck", "Weißenfels", "Hüttenrode", "Ölbergviertel"]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Mühlenweg", "Königsallee", "Schützenstraße",
           "Lindenstraße", "Gartenstraße", "Brückenstraße", "Schloßstraße", "Kölner Straße",
           "Münsterstraße", "Jägerstraße"]
SCHOOLS = ["Gesamtschule Nord", "Geschwister-Scholl-Gymnasium", "Grundschule am Mühlenbach",
           "Erich-Kästner-Realschule", "Berufskolleg Süd", "Förderschule Lindenhöhe"]
PEOPLE = ["Bürgermeisterin Anke Müller", "Landrat Jürgen Schäfer", "Dezernentin Dr. Sabine Köhler",
          "Schuldezernent Martin Weiß", "Ordnungsamtsleiter Björn Krüger",
          "Leiterin des Integrationszentrums Aylin Demir", "Sozialdezernent Frank Hößler"]
EVENTS = ["Stadtfest", "Weihnachtsmarkt", "Tag der offenen Tür", "Kulturnacht", "Frühjahrsputz",
          "Interkulturelle Woche", "Ferienspaß", "Bürgerdialog"]


@dataclass(frozen=True)
class Topic:
    name: str
    titles: tuple[str, ...]
    paragraphs: tuple[str, ...]


TOPICS = (
    Topic("strassen", (
        "Sanierung der {street} beginnt am {weekday}",
        "Vollsperrung der {street} im Bereich {place}",
        "Neue Radwege für {place}: Arbeiten an der {street} starten",
        "Baustelle {street}: Umleitung über den {street2} ausgeschildert",
    ), (
        "Ab {weekday} wird die {street} zwischen {place} und der {street2} grundhaft erneuert. Die Arbeiten dauern voraussichtlich {weeks} Wochen.",
        "Der Verkehr wird in dieser Zeit über die {street2} umgeleitet; Anliegerinnen und Anlieger erreichen ihre Grundstücke weiterhin.",
        "Die Kosten von rund {amount} Euro trägt überwiegend das Land, der Eigenanteil liegt bei {share} Prozent.",
        "„Wir bitten alle Verkehrsteilnehmenden um Verständnis“, sagt {person}.",
        "Die Buslinien {bus} und {bus2} fahren während der Bauzeit eine geänderte Strecke.",
    )),
    Topic("schule", (
        "{school} erhält neue Räume für den Ganztag",
        "Anmeldung an den weiterführenden Schulen für das Schuljahr {year}",
        "Digitalpakt: Tablets für die {school}",
        "Schulhof der {school} wird grüner",
    ), (
        "Die {school} in {place} bekommt zusätzliche Räume für die Betreuung am Nachmittag.",
        "Insgesamt investiert die Verwaltung {amount} Euro; die Arbeiten sollen bis zu den Herbstferien abgeschlossen sein.",
        "{person} besuchte die Schule am {weekday} und sprach mit Schülerinnen, Schülern und Lehrkräften.",
        "Eltern können sich bei Fragen an das Schulamt wenden, das montags bis donnerstags erreichbar ist.",
        "Rund {count} Kinder profitieren von dem Ausbau, der im Schulausschuss einstimmig beschlossen wurde.",
    )),
    Topic("veranstaltung", (
        "{event} in {place} lockt tausende Besucherinnen und Besucher",
        "Programm für den {event} {year} steht fest",
        "Einladung zum {event} am {weekday}",
        "{event}: Anmeldungen für Stände ab sofort möglich",
    ), (
        "Der {event} findet in diesem Jahr rund um die {street} in {place} statt.",
        "Auf drei Bühnen treten Musikgruppen, Chöre und Tanzgruppen aus der Region auf.",
        "„Das Fest zeigt, wie lebendig unsere Nachbarschaften sind“, sagt {person}.",
        "Der Eintritt ist frei; für Familien gibt es ein Kinderprogramm mit Hüpfburg und Bastelständen.",
        "Wegen des Aufbaus ist die {street2} von Freitagmittag bis Montagfrüh gesperrt.",
    )),
    Topic("integration", (
        "Kommunales Integrationszentrum lädt zur Interkulturellen Woche ein",
        "Neues Sprachcafé des Integrationszentrums in {place}",
        "Integrationszentrum startet Elternprogramm „Rucksack“ an der {school}",
        "Kommunales Integrationszentrum fördert {count} Projekte von Migrantenorganisationen",
        "Beratung für Neuzugewanderte: Kommunales Integrationszentrum erweitert Sprechzeiten",
    ), (
        "Das Kommunale Integrationszentrum (KI) bietet ab {weekday} im Begegnungszentrum {place} ein neues Angebot an.",
        "Das Programm richtet sich an neu zugewanderte Familien und wird vom Land Nordrhein-Westfalen mit {amount} Euro gefördert.",
        "„Sprache ist der Schlüssel für Teilhabe“, sagt {person}.",
        "Ehrenamtliche Sprachpatinnen und -paten unterstützen die Teilnehmenden; weitere Helferinnen und Helfer sind willkommen.",
        "Die Beratung ist kostenlos und wird auf Deutsch, Arabisch, Türkisch und Ukrainisch angeboten.",
        "Im vergangenen Jahr nahmen rund {count} Menschen an den Kursen des Integrationszentrums teil.",
    )),
    Topic("rat", (
        "Rat beschließt Haushalt für {year}",
        "Sitzung des Ausschusses für Stadtentwicklung am {weekday}",
        "Bürgerbeteiligung zum Radverkehrskonzept startet",
        "Neue Öffnungszeiten im Bürgerbüro {place}",
    ), (
        "Der Rat hat in seiner Sitzung am {weekday} den Haushalt mit einem Volumen von {amount} Euro verabschiedet.",
        "Schwerpunkte sind Investitionen in Schulen, Kitas und den Klimaschutz.",
        "{person} betonte, dass die Verwaltung weiter sparsam wirtschaften müsse.",
        "Die Unterlagen der Sitzung sind im Ratsinformationssystem öffentlich einsehbar.",
        "Bürgerinnen und Bürger können ihre Anregungen bis Ende des Monats schriftlich einreichen.",
    )),
    Topic("umwelt", (
        "Baumpflanzaktion im {place}: {count} neue Bäume",
        "Grünschnittannahme ab {weekday} mit verlängerten Öffnungszeiten",
        "Klimaschutzpreis {year} ausgeschrieben",
        "Gewässerschau am Mühlenbach: Ergebnisse liegen vor",
    ), (
        "Im Stadtteil {place} wurden in dieser Woche {count} junge Bäume gepflanzt.",
        "Ausgewählt wurden hitzeresistente Arten wie Feldahorn, Hainbuche und Silberlinde.",
        "„Jeder Baum verbessert das Klima in unseren Straßen“, sagt {person}.",
        "Die Pflege übernimmt in den ersten drei Jahren ein Fachbetrieb im Auftrag der Grünflächenabteilung.",
        "Wer eine Baumpatenschaft übernehmen möchte, meldet sich beim Umweltamt.",
    )),
    Topic("soziales", (
        "Förderung für Quartiersarbeit in {place} verlängert",
        "Seniorenbeirat lädt zur Sprechstunde ein",
        "Neue Kita an der {street} eröffnet",
        "Ehrenamtspreis {year}: Vorschläge bis Ende des Monats",
    ), (
        "Die Quartiersarbeit in {place} wird für weitere drei Jahre mit {amount} Euro gefördert.",
        "Das Quartiersbüro an der {street} bleibt Anlaufstelle für Nachbarschaftshilfe, Beratung und Freizeitangebote.",
        "{person} dankte den Ehrenamtlichen für ihr Engagement.",
        "Das Büro ist dienstags und donnerstags von 10 bis 16 Uhr geöffnet.",
        "Im vergangenen Jahr nutzten mehr als {count} Menschen die Angebote.",
    )),
)

WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]


@dataclass(frozen=True)
class Prose:
    title: str
    topic: str
    paragraphs: tuple[str, ...]  # the marker sentence is part of one middle paragraph
    marker: str
    tags: tuple[str, ...]

    @property
    def teaser(self) -> str:
        return self.paragraphs[0]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def marker_sentence(site_code: str, number: int) -> str:
    """The one sentence that appears in this release and nowhere else on the web."""
    return f"Die Pressestelle führt diese Mitteilung unter der Vorgangsnummer K-{site_code}-{number:04d}."


def write_release(rng: random.Random, site_code: str, number: int, year: int) -> Prose:
    topic = rng.choice(TOPICS)
    streets = rng.sample(STREETS, 2)
    slots = {
        "street": streets[0], "street2": streets[1], "place": rng.choice(PLACES),
        "school": rng.choice(SCHOOLS), "person": rng.choice(PEOPLE), "event": rng.choice(EVENTS),
        "weekday": rng.choice(WEEKDAYS[:5]), "year": str(year + rng.choice((0, 1))),
        "weeks": str(rng.randint(3, 30)), "amount": f"{rng.randint(12, 990) * 1000:,}".replace(",", "."),
        "share": str(rng.randint(10, 40)), "count": str(rng.randint(12, 480)),
        "bus": str(rng.randint(1, 40)), "bus2": str(rng.randint(41, 90)),
    }
    title = rng.choice(topic.titles).format(**slots)
    count = rng.randint(3, min(5, len(topic.paragraphs)))
    paragraphs = [p.format(**slots) for p in rng.sample(topic.paragraphs, count)]
    marker = marker_sentence(site_code, number)
    middle = 1 + rng.randrange(len(paragraphs) - 1)
    paragraphs[middle] = f"{paragraphs[middle]} {marker}"
    tags = tuple(sorted({topic.name, rng.choice(("stadtteile", "familie", "verkehr", "kultur"))}))
    return Prose(title=title, topic=topic.name, paragraphs=tuple(paragraphs), marker=marker, tags=tags)


def slug_of(title: str, max_len: int = 70) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
    slug = re.sub(r"[^a-z0-9]+", "-", title.translate(table).lower()).strip("-")
    return slug[:max_len].rstrip("-")


def date_in_words(day) -> str:
    """``Dienstag, 2. Oktober 2018`` — how many city sites print a date."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"
