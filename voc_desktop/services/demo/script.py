"""The script of the sample workspace: who was met at which account, and what was said.

Only the data and the small types it is written in live here; `demo` plays the script
through the services. Days are counted back from the day the demo is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from voc_desktop.domain.accounts import Consent, LifecycleStage, Role
from voc_desktop.domain.visit import EntryKind, SummaryStatus, Team

# --- the shape of the script -------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    account: str  # handle of the account in ACCOUNTS
    name: str
    title: str
    roles: tuple[Role, ...]
    consent: Consent


@dataclass(frozen=True)
class Note:
    """Something captured beside an answer: a quote, an observation or a photo."""

    kind: EntryKind
    text: str
    speaker: str = ""  # handle of the person whose words a quote holds
    scene: str = ""  # name of the sample picture an attachment shows
    tags: str = ""
    why: tuple[str, ...] = ()  # a ladder of "why?" probes under this note
    learn: bool = False


def said(speaker: str, text: str, *, why: tuple[str, ...] = (), tags: str = "",
         learn: bool = False) -> Note:
    return Note(EntryKind.QUOTE, text, speaker=speaker, why=why, tags=tags, learn=learn)


def saw(text: str, *, tags: str = "", learn: bool = False) -> Note:
    return Note(EntryKind.OBSERVATION, text, tags=tags, learn=learn)


def photo(scene: str, caption: str, *, tags: str = "") -> Note:
    return Note(EntryKind.ATTACHMENT, caption, scene=scene, tags=tags)


@dataclass(frozen=True)
class Ask:
    """One guide question as it went: the answer, its ladder and what came with it."""

    key: str
    answer: str
    why: tuple[str, ...] = ()  # each probe nests under the one before it
    notes: tuple[Note, ...] = ()
    tags: str = ""
    learn: str = ""  # "answer" or "why" (the deepest probe) becomes a key learning
    by: str = ""  # handle of who gave the answer and its whys; none: the room


OK = (SummaryStatus.CONFIRMED, "")
NO = (SummaryStatus.REJECTED, "")


def fixed(correction: str) -> tuple[SummaryStatus, str]:
    return (SummaryStatus.CORRECTED, correction)


@dataclass(frozen=True)
class Script:
    account: str
    days_ago: int
    start: time  # UTC
    minutes: int
    stage: LifecycleStage
    objective: str
    place: str
    interviewers: tuple[str, ...]
    attendees: tuple[tuple[str, tuple[Role, ...]], ...]
    arrival: tuple[Note, ...]  # noted on the way in, not tied to any question
    asks: tuple[Ask, ...]
    skipped: tuple[str, ...]
    learnings: tuple[str, ...]  # written directly at the end of the interview
    verdicts: tuple[tuple[SummaryStatus, str], ...]  # one per learning, in order
    actions: tuple[tuple[Team, str, int, bool, str], ...]  # team, text, due days, done, owner
    next_contact_days: int


@dataclass(frozen=True)
class Plan:
    """A visit planned but not yet started, for trying the interview screen."""

    account: str
    days_ahead: int
    stage: LifecycleStage
    objective: str
    place: str
    interviewers: tuple[str, ...]
    attendees: tuple[tuple[str, tuple[Role, ...]], ...]


# --- the sample ---------------------------------------------------------------------------
# The supplier in this story sells coding and labelling printers and the TraceLine
# software that feeds them; its staff are the interviewers.

EB, DM, INF = Role.ECONOMIC_BUYER, Role.DECISION_MAKER, Role.INFLUENCER
USER, GK, TE = Role.USER, Role.GATEKEEPER, Role.TECHNICAL_EVALUATOR

ACCOUNTS: dict[str, dict[str, Any]] = {
    "halvorsen": dict(
        name="Halvorsen Food Packaging", vertical="Food manufacturing", segment="Mid-market",
        stage=LifecycleStage.ACTIVE, in_icp=True,
        icp_note="Multi-line plant with short, label-heavy runs: the customer we serve best."),
    "brightway": dict(
        name="Brightway Regional Logistics", vertical="Logistics and warehousing",
        segment="Small business", stage=LifecycleStage.AT_RISK, in_icp=False,
        icp_note="Under 50 staff and no IT department of its own; below the size we serve well. "
                 "Kept while we decide what to offer docks like this."),
}

CONTACTS: dict[str, Person] = {
    "lena": Person("halvorsen", "Lena Brandt", "Plant manager", (DM, INF), Consent(
        True, True, "written", scope="Notes and quotes may be used inside the supplier.")),
    "piotr": Person("halvorsen", "Piotr Nowak", "Maintenance lead", (TE, USER), Consent(
        True, False, "verbal", scope="Happy to be quoted as maintenance, never by name.")),
    "sofia": Person("halvorsen", "Sofia Marchetti", "Line operator, shift B", (USER,), Consent(
        True, True, "verbal", scope="For improving the product.")),
    "henrik": Person("halvorsen", "Henrik Dahl", "Finance and purchasing manager", (EB, GK),
                     Consent(True, True, "e-mail", scope="Internal use by the supplier.")),
    "grace": Person("brightway", "Grace Adeyemi", "Managing director", (EB, DM), Consent(
        True, True, "e-mail", scope="Notes may be shared inside the supplier.")),
    "tomasz": Person("brightway", "Tomasz Wójcik", "Warehouse supervisor, day shift",
                     (USER, INF), Consent(True, True, "verbal", scope="Internal use.")),
    "ruth": Person("brightway", "Ruth Okoro", "IT and office coordinator", (TE, GK), Consent(
        True, False, "written", scope="Quotes by role only; no names in any report.")),
    "kwame": Person("brightway", "Kwame Mensah", "Night shift team lead", (USER,), Consent()),
}

VISITS: tuple[Script, ...] = (
    Script(
        account="halvorsen", days_ago=47, start=time(8, 40), minutes=84,
        stage=LifecycleStage.ACTIVE,
        objective="Understand why changeovers on the pouch lines overrun, and what the "
                  "overrun costs the plant.",
        place="Halvorsen plant, Vejle: pouch lines 2 and 3 and the planning office",
        interviewers=("Maria Jensen", "David Osei"),
        attendees=(("lena", (DM,)), ("piotr", (TE, USER)), ("sofia", (USER,))),
        arrival=(
            saw("The floor is loud near the fillers, so most of the talk happened in the "
                "planning office with the door open, where line 3 stays in view."),
            saw("Two coders on line 2 carry handwritten settings taped to the housing.",
                tags="workaround"),
        ),
        asks=(
            Ask("open-roles", "The plant manager runs the plant and decides on equipment up "
                "to EUR 50k. Maintenance owns the printers and the changeover kits. Sofia runs "
                "line 3 on the B shift."),
            Ask("open-expectations", "They want us to see a real changeover on line 3 rather "
                "than hear about one in a meeting room."),
            Ask("ops-day", "Shift B starts at 14:00 with a handover at the line board. Line 3 "
                "sees four to six product changes a shift, each a new pouch size, print layout "
                "and date code.", tags="changeover"),
            Ask("ops-process", "Retailer orders arrive through a portal by 06:00; planning "
                "fixes the sequence by 10:00. Anything later waits a day unless overtime is "
                "approved."),
            Ask("ops-environment", "A planning whiteboard, an ERP that prints job sheets, a "
                "TraceLine terminal per line, and a spreadsheet of printer settings that "
                "maintenance keeps because the terminal's recipes are hard to find.",
                tags="workaround"),
            Ask("ops-pressures", "Retailers want smaller batches in more variants, so "
                "changeovers have doubled in two years while staffing stayed flat.",
                why=("Each changeover takes 25 to 40 minutes against a plan of 15, and most of "
                     "the gap is setting up the coder.",
                     "Layout, date format and lot code are typed in again for every variant, "
                     "and one wrong code puts the whole batch on hold.",
                     "A held batch last spring cost them a week of credits with their largest "
                     "retailer.",
                     "That retailer scores suppliers on label accuracy, and the score decides "
                     "who is invited to the next private-label tender."),
                tags="changeover, label accuracy", learn="why"),
            Ask("buy-decision", "Equipment under EUR 50k is the plant manager's call once "
                "maintenance has tested it; above that it goes to the group's capital board "
                "twice a year."),
            Ask("buy-influence", "Maintenance has a real veto: a unit they cannot service "
                "in-house is not bought. Quality signs off any change to what a code contains."),
            Ask("buy-sign-pay", "The plant manager signs; printers come out of the plant's "
                "maintenance budget, software out of group IT, which is where renewals stall.",
                why=("Group IT sees TraceLine as a plant tool and leaves it to the plants.",
                     "Nobody from IT was in the room when the software was first bought.")),
            Ask("buy-why-us", "They first bought from us because our engineer was on site "
                "within a day when their old coder failed in 2019.",
                why=("A stopped line loses about 9,000 pouches an hour and the filler can only "
                     "buffer ten minutes.",
                     "They fill fresh sauces with a short shelf life, so they cannot build "
                     "stock ahead of a breakdown.",
                     "Retailers order daily, expect delivery next morning and charge "
                     "penalties for short shipments.",
                     "The retailers promise shelves that are never empty and pass that risk on "
                     "to their suppliers.",
                     "It is how the retailers compete with discounters that carry fewer "
                     "products."),
                notes=(said("lena", "Your printer is fine. Your engineer is the reason we "
                            "stayed."),),
                tags="service, why us", learn="answer"),
            Ask("buy-worth", "They watch unplanned downtime minutes per month and held "
                "batches. Nobody measures what slow changeovers cost yet."),
            Ask("use-how", "Operators pick a job on the terminal, scan the job sheet, then "
                "check the first printed pouch against the sheet by eye.",
                notes=(photo("packaging-line", "Line 3 during a changeover: filler on the "
                             "left, coder above the belt, cartons of the last run stacked on "
                             "the right.", tags="line 3"),
                       saw("The terminal sits behind the filler guard, so operators walk round "
                           "the machine twice for every change.", tags="ergonomics"))),
            Ask("use-value", "Date codes come straight from the job, and the plant has not "
                "printed a wrong best-before date in eighteen months.",
                notes=(said("sofia", "I trust the date. I don't trust the lot code, because "
                            "I typed it."),)),
            Ask("use-miss", "They would go back to hand-set stamps and a second person "
                "checking every run; maintenance reckons that costs one operator per shift."),
            Ask("use-friction", "Recipes are still named by old product codes, and search "
                "only matches the start of a name, so finding a layout takes several tries.",
                by="sofia",
                notes=(said("piotr", "I keep my own spreadsheet because I can't find anything "
                            "in your recipe list.", tags="recipes"),
                       saw("I asked: wouldn't you agree our new recipe manager would fix "
                           "this? The room went quiet and the talk moved back to the "
                           "spreadsheet.")),
                tags="usability, recipes"),
            Ask("use-unmet", "They want the lot code taken from the ERP order instead of "
                "typed, and a warning when a layout does not fit the pouch size.",
                tags="integration", learn="answer"),
            Ask("comp-alternatives", "They trialled a rival thermal-transfer coder on line 1 "
                "last year. It printed well, but spare parts took two weeks to arrive."),
            Ask("comp-compare", "Our service is faster and our codes more reliable; the "
                "rival's screen is easier and its recipes can be copied between lines."),
            Ask("comp-switch", "A second batch held for a typed lot code would reopen the "
                "tender. Lot codes from the ERP would bring lines 1 and 4 over to us.",
                learn="answer"),
            Ask("ind-trends", "In two years: more private-label variants and stricter rules "
                "on recycled film. In five: retailers expect every pack to be traceable to "
                "the batch of raw material.", tags="trends, traceability"),
            Ask("end-who", "Three national supermarket chains buy their private-label "
                "sauces, and a meal-kit company that is growing fast."),
            Ask("end-needs", "The supermarkets want fewer empty shelves and less waste; the "
                "meal-kit company wants small lots delivered within 36 hours."),
        ),
        skipped=("ind-share",),
        learnings=("Changeover overruns come mostly from typing label data again, not from "
                   "the mechanical set-up.",),
        verdicts=(OK, fixed("They bought for the fast service, and they stay because the date "
                            "codes have been right ever since."),
                  OK, NO, OK),
        actions=(
            (Team.CUSTOMER_SERVICE, "Send maintenance a clean export of the line 2 and 3 "
             "recipes so the private spreadsheet can go.", 7, True, "Aisha Rahman (service)"),
            (Team.PRODUCT, "Look at recipe search that matches anywhere in a name, and at "
             "naming recipes by the current product code.", 21, True, "Jonas Berg (product)"),
            (Team.SALES, "Prepare an offer for lot codes from the ERP on lines 1 and 4; check "
             "the budget route with purchasing first.", 30, False, "David Osei (sales)"),
            (Team.MARKETING, "Ask whether the 2019 breakdown story may become a reference "
             "case.", 45, False, ""),
        ),
        next_contact_days=43,
    ),
    Script(
        account="brightway", days_ago=19, start=time(13, 15), minutes=71,
        stage=LifecycleStage.AT_RISK,
        objective="Find out why Brightway's label volume with us fell by a third since spring, "
                  "and what would win it back.",
        place="Brightway cross-dock, Kolding: doors 4 to 9 and the transport office",
        interviewers=("David Osei", "Aisha Rahman"),
        attendees=(("grace", (EB, DM)), ("tomasz", (USER, INF)), ("ruth", (TE,))),
        arrival=(
            saw("A handwritten sign on door 7 says the printer jams and to use door 6.",
                tags="reliability"),
        ),
        asks=(
            Ask("open-roles", "Grace owns the company and signs every contract. Tomasz runs "
                "the day shift on the dock. The IT coordinator looks after printers, scanners "
                "and the carrier's transport system."),
            Ask("open-expectations", "Grace wants an honest talk about cost; Tomasz wants the "
                "printers on doors 6 and 7 to stop jamming."),
            Ask("ops-day", "Trucks arrive from 05:00. Pallets are broken down, relabelled for "
                "the last mile and reloaded within four hours; from 07:00 to 09:00 twelve "
                "trucks share six doors.",
                why=("The shops they deliver to accept goods only before 11:00.",
                     "The shops sit in town centres where the council sets delivery windows.",
                     "The councils are cutting lorry traffic in town centres to meet clean-air "
                     "targets."),
                tags="delivery windows, regulation"),
            Ask("ops-process", "Inbound pallets are scanned, split by route, labelled with the "
                "carrier's route label and staged at the outbound door."),
            Ask("ops-environment", "An unheated dock at 2 degrees in winter, handheld scanners, "
                "two of our desktop label printers and the carrier's cloud transport system.",
                notes=(photo("loading-dock", "Door 6 at the end of the morning peak: staged "
                             "pallets with route labels and the scanner post.", tags="dock"),
                       saw("The printer on door 7 stands on a pallet wrapped in cling film to "
                           "keep the dust out.", tags="workaround"))),
            Ask("ops-pressures", "Their largest carrier now sends ready-made labels through its "
                "own portal, which cut Brightway's own labelling by a third this spring.",
                why=("The carrier wants one label format across all its subcontractors.",
                     "Mixed formats caused misrouted parcels at the carrier's hub.",
                     "The hub's sorters read only one barcode layout at full speed."),
                tags="volume drop, carrier", learn="answer"),
            Ask("buy-decision", "Grace decides anything over EUR 2,000 herself, usually at the "
                "end of the month once she knows the cash position."),
            Ask("buy-influence", "Tomasz's view of what works on the dock counts most; the IT "
                "coordinator checks that anything new talks to the carrier's system."),
            Ask("buy-sign-pay", "Grace signs and pays from the operating budget; there is no "
                "separate IT budget."),
            Ask("buy-why-us", "Ours were the only printers a local dealer had in stock when "
                "they opened the dock in 2021.", by="grace",
                why=("They had three weeks from signing with the carrier to the first truck.",
                     "The carrier handed over the contract at short notice after another "
                     "subcontractor failed."),
                notes=(said("grace", "We didn't choose you, to be honest. You were there when "
                            "we needed you.", learn=True),),
                tags="why us"),
            Ask("buy-worth", "By whether the dock meets its morning cut-off; a printer is "
                "judged by how often someone has to shout for help."),
            Ask("use-how", "Labels print in batches per route from the transport system; at "
                "peak one person stands at each printer handing labels to the pickers."),
            Ask("use-value", "Speed at peak: each desktop printer keeps up with two doors."),
            Ask("use-miss", "Not much any more: the carrier's portal can print to any cheap "
                "printer.",
                notes=(said("tomasz", "If door 7 jams once more, I'll buy a printer at the "
                            "supermarket."),),
                learn="answer"),
            Ask("use-friction", "Jams in the cold, and after a power cut the printers lose "
                "their network settings, which have to be restored by hand.", by="tomasz",
                notes=(said("ruth", "Every power cut is my morning gone. I reset six printers "
                            "one by one.",
                            why=("The dock's power trips when the heaters and the door motors "
                                 "start together.",
                                 "The supply was sized for a storage shed, not a heated dock.")),),
                tags="reliability, cold"),
            Ask("comp-alternatives", "The carrier's portal with cheap office label printers; "
                "door 9 already runs that way as a trial."),
            Ask("comp-compare", "Ours are tougher and faster. The cheap ones cost a tenth, and "
                "nobody minds throwing one away."),
            Ask("comp-switch", "Printers that survive the cold and come back by themselves "
                "after a power cut would keep the other doors with us; a price gap of more "
                "than three times would not.", tags="reliability"),
            Ask("ind-competitors", "Two larger cross-docks nearby compete on price; Brightway "
                "wins by taking late trucks."),
            Ask("ind-differentiators", "They accept trucks until 04:30, which the big docks "
                "refuse, and they know the town-centre drivers personally."),
            Ask("ind-trends", "In two years the carrier expects electric vans on the town "
                "runs. In five, Grace thinks the carrier will run its own small hubs and may "
                "not need docks like hers.", tags="trends"),
            Ask("end-who", "Independent shops and small chains in six town centres, served "
                "through the carrier."),
        ),
        skipped=("ind-share", "end-roadmap"),
        learnings=(
            "Surviving the cold and recovering after power cuts matter more to them than "
            "print speed.",
            "Brightway may not need label printing at all within five years if the carrier "
            "builds its own hubs.",
        ),
        verdicts=(OK, OK, fixed("We would miss the speed at peak, but not enough to pay three "
                                "times the price."), OK, NO),
        actions=(
            (Team.CUSTOMER_SERVICE, "Send a technician to the door 6 and 7 printers and set "
             "them to keep their network settings after a power loss.", 3, True,
             "Aisha Rahman (service)"),
            (Team.PRODUCT, "Investigate jams below 5 degrees and settings lost after power "
             "cuts; both now come from two accounts.", 30, False, "Jonas Berg (product)"),
            (Team.SALES, "Prepare a simple offer: refurbished printers with a service plan, "
             "priced against office printers.", 14, False, "David Osei (sales)"),
            (Team.EXECUTIVE, "Decide whether cross-docks under 50 staff belong in our customer "
             "profile now that carriers send their own labels.", 60, False,
             "Maria Jensen (executive)"),
        ),
        next_contact_days=28,
    ),
    Script(
        account="halvorsen", days_ago=4, start=time(10, 0), minutes=62,
        stage=LifecycleStage.RENEWAL,
        objective="Learn how the next equipment budget for the Vejle plant will be decided, "
                  "and who must be convinced.",
        place="Halvorsen head office, Vejle: meeting room, then line 3",
        interviewers=("Maria Jensen", "David Osei"),
        attendees=(("lena", (DM,)), ("henrik", (EB, GK)), ("piotr", (TE,))),
        arrival=(
            photo("whiteboard", "Line 3 planning board: this week's changeovers in colour, "
                  "with times written in by the operators.", tags="changeover"),
            saw("Since our first visit the operators write changeover minutes on the board "
                "themselves, per shift.", tags="changeover"),
        ),
        asks=(
            Ask("open-roles", "Henrik joined for the first time. He runs finance and "
                "purchasing for both Halvorsen plants and chairs the first review of the "
                "capital board."),
            Ask("open-expectations", "Henrik wants to understand what the software renewal "
                "pays for; Lena wants lot codes from the ERP on the board's list."),
            Ask("ops-pressures", "Energy and film prices are up, and the group has asked "
                "every plant to cut costs other than wages by 6% next year.",
                tags="cost pressure"),
            Ask("buy-decision", "Requests go to the capital board in March and September, and "
                "each needs a payback under two years worked out by the plant.",
                why=("The group was burned in 2020 by a packing robot that never paid back.",
                     "It was bought on the supplier's promise, with no trial on their own "
                     "line.",
                     "Nobody from the plant was asked to test it first.",
                     "At the time the board did not trust plants to judge investments; the "
                     "payback rule is how they learned to."),
                tags="capital board, payback", learn="why"),
            Ask("buy-influence", "Maintenance's trial report carries the most weight with the "
                "board; quality must approve any change to what a label says."),
            Ask("buy-sign-pay", "Henrik signs everything over EUR 10k. From next year the "
                "TraceLine renewal is paid from the plant budget, not group IT.",
                notes=(said("henrik", "If it saves a shift an hour a day, I can sell that to "
                            "the board. If it is better data, I can't.", learn=True),)),
            Ask("buy-why-us", "Henrik's view: they stay because changing printers would mean "
                "validating every label again with three retailers.", tags="why us",
                by="henrik"),
            Ask("buy-worth", "Henrik wants changeover minutes per shift measured before and "
                "after, by the plant and not by us.", learn="answer"),
            Ask("use-friction", "The recipe export we sent helped: the spreadsheet is gone on "
                "line 3 but still in use on line 2.",
                notes=(said("piotr", "Line 3 is clean now. Line 2 still has my sticky "
                            "notes."),)),
            Ask("use-unmet", "A report of changeover times per line, straight from the "
                "terminals, so the plant can build its own payback case.",
                tags="reporting"),
            Ask("comp-alternatives", "The rival from last year's trial has offered a free "
                "unit for line 1 with ERP integration included.", tags="competitor"),
            Ask("comp-switch", "If the rival's integration works in that trial and ours is not "
                "on the table by March, lines 1 and 4 go to them.", learn="answer"),
            Ask("ind-competitors", "Two other co-packers bid for the same private-label "
                "tenders: one is cheaper, the other has a recyclable pouch."),
            Ask("ind-share", "New retailer tenders ask for proof of traceability on every "
                "pack, which they cannot show yet.", tags="traceability"),
            Ask("end-direction", "Retailers are moving to fewer, larger suppliers who can "
                "prove sustainability and traceability on every pack.", tags="trends"),
            Ask("end-roadmap", "Their plan has traceability in 2026, but on two of the four "
                "lines only; Lena worries that is too slow for the retailers.",
                why=("The board funded the lines with the most private-label volume first.",
                     "Private label is where the retailers audit hardest.")),
        ),
        skipped=("use-how", "end-who"),
        learnings=("The TraceLine renewal moves from group IT to the plant budget next year, "
                   "so Henrik, not IT, will judge it.",),
        verdicts=(OK, OK, OK, fixed("Line 1 goes to the rival only if their unit also passes "
                                    "maintenance's service test; line 4 is not in play."), OK),
        actions=(
            (Team.SALES, "Write the lot-code proposal with a payback case the plant can check, "
             "and send it before the March board.", 28, False, "David Osei (sales)"),
            (Team.PRODUCT, "Add a changeover-time report per line to TraceLine; two accounts "
             "now ask for it.", 45, False, "Jonas Berg (product)"),
            (Team.EXECUTIVE, "Decide whether to fund a free integration pilot on line 1 to "
             "answer the rival's trial offer.", 14, False, "Maria Jensen (executive)"),
            (Team.MARKETING, "Turn the retailers' traceability demands into a short guide for "
             "food co-packers.", 60, False, ""),
            (Team.CUSTOMER_SERVICE, "Clean up the line 2 recipes the same way as line 3.",
             10, False, "Aisha Rahman (service)"),
        ),
        next_contact_days=35,
    ),
)

PLANNED = Plan(
    account="brightway", days_ahead=9, stage=LifecycleStage.AT_RISK,
    objective="Watch the night shift unload and relabel under time pressure, and hear how the "
              "door 6 and 7 printers behave since the fix.",
    place="Brightway cross-dock, Kolding: night shift, doors 4 to 9",
    interviewers=("Aisha Rahman",),
    attendees=(("tomasz", (USER, INF)), ("kwame", (USER,))),
)
