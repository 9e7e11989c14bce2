"""Word lists for tools/make_coach_corpus.py: the things, people and problems of many
industries that the corpus templates fill their slots from.

A slot is written ``$NAME`` in a template; ``{a|b}`` is a choice made in place.
"""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    # people on the customer's side
    "PERSON": [
        "the buyer", "the plant manager", "the shift lead", "the CFO", "the head of IT",
        "the clinic manager", "the store owner", "the fleet manager", "the lab lead",
        "the procurement team", "the operators", "Maria", "Tom", "the farm manager",
        "the head nurse", "the maintenance lead", "the warehouse supervisor", "Priya",
        "the practice owner", "the site engineer", "the controller", "Jonas", "the dispatcher",
        "the quality manager", "the hotel's GM", "the school's bursar", "the pharmacist",
        "the planner", "their IT lead", "the COO", "Ahmed", "the production director",
    ],
    "SUBJ": [
        "The buyer", "The plant manager", "The shift lead", "She", "He", "They", "The CFO",
        "The head of IT", "Maria", "Tom", "The clinic manager", "The store owner", "Priya",
        "The operators", "The fleet manager", "Their planner", "The lab lead", "Jonas",
        "The maintenance lead", "The customer", "Our contact", "The procurement lead",
        "Ahmed", "The dispatcher", "One of the nurses", "The practice owner", "Their COO",
    ],
    "THEM": ["them", "the buyer", "the team", "her", "him", "the plant manager", "the CFO",
             "the operators", "Maria", "the group", "the shift leads", "the customer"],
    # things of ours, named with and without "our"
    "OURS": [
        "our new dashboard", "our scheduling module", "our sensors", "the new dashboard",
        "the scheduling module", "the mobile app", "the Salesforce export", "the v3 release",
        "the premium tier", "the cloud portal", "our label printers", "the new API",
        "AutoSync", "the analytics add-on", "our tracking screen", "the inspection app",
        "the route planner", "our billing module", "the barcode scanners", "FlowPlan",
        "the pump controller", "our booking portal", "the reporting suite", "LabLink",
        "the fleet tracker", "the e-prescribing feature", "our POS terminals", "TrackPro",
        "the yield forecast", "the audit workflow", "the pro plan", "our next release",
        "the offline mode", "the SAP connector", "the smart alerts", "our service contract",
    ],
    "OURNEW": [
        "our new dashboard", "the new AutoSync feature", "our latest release", "the v3 release",
        "our new scheduling module", "the upcoming offline mode", "our new premium tier",
        "the new route planner", "our new smart alerts", "the beta of the inspection app",
    ],
    "OURPAGE": [
        "the pricing page", "our roadmap", "the feature list", "the demo account",
        "the release notes for v3", "our product deck", "the new onboarding flow",
        "the admin console", "the trial workspace", "the ROI calculator", "our case studies",
        "the integration catalogue", "the upgrade options", "the new reporting screens",
    ],
    "CLAIM": [
        "outlast the Bosch ones", "handles that out of the box", "would fix their export problem",
        "is twice as fast as Siemens", "is cheaper than Acme", "saves about an hour a shift",
        "already integrates with SAP", "cuts changeover time in half", "never needs calibrating",
        "beats anything Zebra sells", "removes the double entry", "pays for itself in a year",
        "would solve the audit headache", "is the most reliable on the market",
        "does everything their spreadsheet does and more", "can replace the paper log",
    ],
    "FEATURE": [
        "a Salesforce export", "offline sync", "a Spanish interface", "SSO", "the SAP connector",
        "batch printing", "a mobile app", "automatic reorders", "the audit trail",
        "a custom report", "dark mode", "an API for their ERP", "multi-site dashboards",
        "barcode support", "the HL7 interface", "a shift handover screen",
    ],
    "DATE": [
        "by spring", "by the end of Q2", "in the next release", "before their audit",
        "by March", "next quarter", "within six weeks", "in Q3", "by the summer",
        "before the peak season", "by Christmas", "in two sprints", "early next year",
    ],
    "DISCOUNT": [
        "a 10% discount", "15% off the first year", "a free pilot", "three months free",
        "free training for the operators", "early access to the beta", "a price freeze",
        "free installation", "a volume discount", "20% off list", "a loyalty rebate",
        "a free upgrade to the pro plan", "a waived setup fee", "a special launch price",
    ],
    "CONDITION": [
        "if they sign this quarter", "for a two-year deal", "if they switch from Bosch",
        "if they order before June", "for all three sites", "", "", "",
    ],
    # the customer's own world
    "THEIRS": [
        "their line", "their morning meeting", "the whiteboard", "their spreadsheets",
        "the control room", "their approval process", "the packing area", "their ERP screens",
        "the dispatch board", "their audit binder", "the stock room", "their weekly plan",
        "the night shift handover", "their returns process", "the intake desk",
        "the quality log", "their ordering process", "the lab bench",
    ],
    "PROBLEM": [
        "the manual entry is too slow", "the changeovers take too long",
        "the old system is a pain", "the audits eat up a week", "paper logs are error-prone",
        "their current supplier is unreliable", "the downtime is costing them a lot",
        "double entry is the main problem", "the reports are useless",
        "the scanners are out of date", "the scheduling is chaotic",
        "Bosch is too expensive", "the night shift makes most of the mistakes",
        "the waiting list is their biggest issue", "their ERP is holding them back",
    ],
    "PAIN": [
        "the manual entry", "the weekly audit", "the paper log", "the changeover",
        "double entry", "the month-end close", "the stock count", "the shift handover",
        "rescheduling", "the re-keying of orders", "the label reprints", "the intake forms",
        "chasing approvals", "the calibration checks", "the returns backlog",
    ],
    "IDEA": [
        "automating the audit", "a shared dashboard", "an automatic reorder",
        "a mobile checklist", "moving to the cloud", "a single supplier",
        "real-time alerts", "an integrated scheduler", "barcode scanning at intake",
        "a self-service portal", "predictive maintenance", "our offline mode",
    ],
    "COMPETITOR": ["Bosch", "Siemens", "Acme", "SAP", "Oracle", "Zebra", "Honeywell", "Epic",
                   "Shopify", "Trimble", "ABB", "Workday", "Sage", "Medtronic"],
    "OBS": [
        "Line 3 stops twice per shift", "The planner keeps three spreadsheets",
        "Operators enter scrap counts by hand", "The whiteboard shows the weekly plan",
        "Orders pile up at the dock on Fridays", "Nurses chart on paper first, then type it up",
        "The stock room has no scanner", "Maintenance is called by radio",
        "Two people re-key every order into the ERP", "The lab runs samples in batches of 40",
        "Returns wait a week before anyone looks at them", "The dispatcher works from a wall map",
        "Half the trucks leave late on Mondays", "The front desk books rooms on a paper grid",
        "Every invoice is approved by the owner herself", "The farm logs yields in a notebook",
    ],
    "ACTIVITY": [
        "plan the week", "handle returns", "decide on a new supplier", "schedule maintenance",
        "track scrap", "approve purchases", "onboard new staff", "prepare for an audit",
        "book appointments", "price a new job", "count stock", "hand over between shifts",
        "choose which orders go first", "report to head office", "deal with a breakdown",
    ],
    "EVENT": [
        "a changeover went wrong", "an order shipped late", "you switched suppliers",
        "an audit found a problem", "a machine broke down", "a big customer complained",
        "you hired a new planner", "the system went down", "you ran out of stock",
        "a delivery arrived damaged", "you changed your prices", "a project ran over budget",
    ],
    "THING": [
        "the scheduling", "your stock counts", "the maintenance plan", "returns",
        "the audit preparation", "supplier choice", "the shift handover", "invoicing",
        "the intake forms", "your weekly report", "the label printing", "purchase approvals",
        "the quality checks", "your pricing", "the delivery routes", "new staff training",
    ],
    "TOPIC": [
        "the price", "the delivery times", "the support team", "the training",
        "the reporting", "the installation", "the contract terms", "the mobile app",
        "the invoices", "the onboarding", "the spare parts", "the user interface",
    ],
    "VERB2": [
        "plan and track", "order and store", "schedule and staff", "test and release",
        "approve and pay", "price and quote", "record and report", "hire and train",
        "pick and pack", "measure and adjust", "collect and analyse", "buy and install",
    ],
}
