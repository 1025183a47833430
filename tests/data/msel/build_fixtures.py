"""Write the workbook, T3SF and OpenAEV fixtures the MSEL tests read (run again after editing: python build_fixtures.py)."""

from __future__ import annotations

import datetime
import json
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent


def harbor_workbook() -> None:
    """A functional exercise's MSEL as planners keep it: a cover sheet, the MSEL sheet, a sheet of lists."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Harbor Chemical Release Functional Exercise"
    cover["A3"] = "Exercise date"
    cover["B3"] = datetime.date(2025, 5, 14)
    cover["A4"] = "Sponsor"
    cover["B4"] = "Port Authority Emergency Management"
    ws = wb.create_sheet("MSEL")
    ws["A1"] = "Harbor Chemical Release FE - Master Scenario Events List"
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["Event #", "Scenario Time", "Delivery Method", "From (SimCell)", "To", "Inject", "Expected Player Action",
               "Obj.", "Contingency"])
    rows = [
        (1, datetime.time(8, 0), "Phone", "Terminal 4 Operator",
         "Port Control", "Chlorine odour reported at Terminal 4.\nTwo workers complain of burning eyes.",
         "Dispatch HazMat and open an incident.", "O1", None),
        (2, datetime.time(8, 10), "Radio", "Harbor Patrol", "Port Control",
         "Vapour cloud visible drifting north-east over Berth 12.", "Order shelter in place for Berths 10-14.", "O1, O2", None),
        (3, datetime.time(8, 25), "Email", "Regional Poison Center", "PR/Comm; Legal & Policy",
         "Media are calling about a \"toxic cloud\".\nPrepare a holding statement.", "Draft and approve a statement.", "O3", None),
        (4, datetime.time(8, 25), "Email", "Regional Poison Center", None,
         "Ten people at the ferry terminal report coughing.", "Coordinate with EMS triage.", "O2", None),
        (5, datetime.time(8, 40), "Face to face", "Exercise Control", "Incident Commander",
         "=HYPERLINK(\"http://example.invalid\",\"Wind shift\")\nWind shifts to the west: the cloud heads for the city.",
         "Re-evaluate the protective actions.", "O1", None),
        (6, None, "Phone", "Mayor's Office", "Incident Commander",
         "The mayor asks whether to evacuate downtown.", "Give a recommendation within 10 minutes.", "O3", "X"),
    ]
    for r in rows:
        ws.append(list(r))
    ws.merge_cells("E6:E7")  # one recipient for events 3 and 4, as planners merge it
    ws["F8"].data_type = "s"  # typed text that only looks like a formula
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws["B"][3:]:
        cell.number_format = "hh:mm"
    lists = wb.create_sheet("Lists")
    lists.append(["Methods"])
    for m in ("Phone", "Radio", "Email", "Face to face"):
        lists.append([m])
    wb.save(HERE / "harbor_chemical_fe.xlsx")


def headerless_workbook() -> None:
    """A sheet of data from its first row, as OpenBAS's test workbooks are."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Injects"
    ws.append([1, "T+0", "SOC", "Phishing wave", "Forty users report the same invoice e-mail with a macro attachment."])
    ws.append([2, "T+15", "SOC", "Credential use", "A reported user's account logs in from an unknown country."])
    ws.append([3, "T+45", "CISO", "Ransom note", "File servers show a ransom note; backups are the next target."])
    ws.append([4, "T+60", "Communications", "Press enquiry", "A journalist asks whether customer data was taken."])
    wb.save(HERE / "headerless_openbas_style.xlsx")


def t3sf_json() -> None:
    """A T3SF MSEL with two polls, written in T3SF's keys."""
    injects = [
        {"#": 1, "Real Time": "09:00 AM", "Date": "Tuesday 02:10 AM", "Subject": "EDR alert on build server",
         "From": "SOC Tier 1", "Player": "Information Security",
         "Script": "EDR quarantined a binary on build-07.\nHash matches a known loader.", "Photo": "",
         "Picture Name": "", "Profile": "", "Poll": ""},
        {"#": 2, "Real Time": "09:05 AM", "Date": "Tuesday 02:40 AM", "Subject": "Isolate the build farm?",
         "From": "SOC Tier 2", "Player": "Information Security",
         "Script": "The loader beacons to 198.51.100.23.\nDo we isolate the whole build farm now?",
         "Photo": "https://example.invalid/edr.png", "Picture Name": "edr.png", "Profile": "",
         "Poll": "Isolate now | Monitor for an hour"},
        {"#": 3, "Real Time": "09:12 AM", "Date": "Tuesday 06:00 AM", "Subject": "Customers ask about a breach",
         "From": "Support Desk", "Player": "PR/Comm",
         "Script": "Three enterprise customers ask whether signed releases are affected.", "Photo": "",
         "Picture Name": "", "Profile": "", "Poll": ""},
        {"#": 4, "Real Time": "09:20 AM", "Date": "Tuesday 08:30 AM", "Subject": "Regulator deadline",
         "From": "Legal Counsel", "Player": "Legal & Policy",
         "Script": "The 72-hour notification clock may have started.\nShould we notify the regulator today?",
         "Photo": "", "Picture Name": "", "Profile": "", "Poll": "Notify today | Wait for forensics | Ask outside counsel"},
    ]
    (HERE / "t3sf_supply_chain.json").write_text(json.dumps(injects, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def openaev_zip() -> None:
    """An OpenAEV scenario export (export_version 1): the JSON entry marked 'Scenario', and a document entry."""
    teams = [
        {"team_id": "6b0e-team-soc", "team_name": "SOC", "team_description": "Security operations", "team_users": [],
         "team_tags": [], "team_contextual": False},
        {"team_id": "6b0e-team-crisis", "team_name": "Crisis Cell", "team_description": "", "team_users": [],
         "team_tags": [], "team_contextual": False},
        {"team_id": "6b0e-team-legal", "team_name": "Legal, Risk & Compliance", "team_description": "",
         "team_users": [], "team_tags": [], "team_contextual": False},
    ]
    def inject(iid: str, title: str, seconds: int, teams: list[str], content: dict, depends: list[dict], **extra: object) -> dict:
        return {"inject_id": iid, "inject_title": title, "inject_description": extra.pop("description", ""),
                "inject_country": None, "inject_city": None, "inject_enabled": extra.pop("enabled", True),
                "inject_injector_contract": {"injector_contract_id": "138ad8f8-32f8-4a22-8114-aaa12322bd09",
                                             "injector_contract_labels": {"en": "Send individual mails"}},
                "inject_content": content, "inject_depends_duration": seconds, "inject_all_teams": False,
                "inject_teams": teams, "inject_depends_on": depends, "inject_tags": [], "inject_documents": [], **extra}
    injects = [
        inject("c3-02", "Encrypted shares", 1800, ["6b0e-team-soc", "6b0e-team-crisis"],
               {"subject": "Shares unreadable", "body": "<p>Finance shares show <b>.locked</b> files.</p><p>Ransom note attached.</p>",
                "expectations": [{"expectation_type": "MANUAL", "expectation_name": "Isolate file servers",
                                  "expectation_description": "<p>Within 15 minutes</p>", "expectation_score": 100}]},
               [{"dependency_relationship": {"inject_parent_id": "c3-01", "inject_children_id": "c3-02"},
                 "dependency_condition": {"mode": "and", "conditions": [{"key": "Execution", "operator": "eq", "value": True}]}}],
               description="Second wave"),
        inject("c3-01", "Phishing campaign detected", 0, ["6b0e-team-soc"],
               {"subject": "Suspicious invoices", "body": "<p>Forty users received an invoice with a macro.</p>"}, [],
               description="The mail gateway flags a campaign."),
        inject("c3-03", "Notify the data protection authority?", 5400, ["6b0e-team-legal"],
               {"subject": "Personal data may be exposed", "body": "<p>HR files were on the encrypted share.</p>"}, [],
               description=""),
        inject("c3-04", "Backup restore fails", 3600, [], {"subject": "Restore failed", "body": "<p>The last backup is corrupt.</p>"},
               [], description="", enabled=False),
    ]
    export = {
        "export_version": 1,
        "scenario_information": {"scenario_id": "9d1c", "scenario_name": "Ransomware at the port authority",
                                 "scenario_description": "<p>A ransomware tabletop for the crisis cell.</p>",
                                 "scenario_subtitle": "", "scenario_category": "tabletop", "scenario_main_focus": "incident-response",
                                 "scenario_severity": "high", "scenario_message_header": "EXERCISE", "scenario_message_footer": "EXERCISE",
                                 "scenario_mail_from": "exercise@example.invalid", "scenario_tags": []},
        "scenario_tags": [], "scenario_teams": teams,
        "scenario_objectives": [{"objective_id": "o1", "objective_title": "Contain the ransomware",
                                 "objective_description": "Isolate affected systems within 30 minutes", "objective_priority": 1},
                                {"objective_id": "o2", "objective_title": "Meet notification duties", "objective_description": "",
                                 "objective_priority": 2}],
        "scenario_users": [], "scenario_organizations": [], "scenario_documents": [], "scenario_channels": [],
        "scenario_articles": [], "scenario_challenges": [], "scenario_lessons_categories": [], "scenario_lessons_questions": [],
        "scenario_injects": injects, "scenario_variables": [],
    }
    with zipfile.ZipFile(HERE / "openaev_ransomware_export.zip", "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("Ransomware at the port authority.json", date_time=(2025, 5, 1, 9, 0, 0))
        info.comment = b"Scenario"
        z.writestr(info, json.dumps(export, indent=2))
        doc = zipfile.ZipInfo("ransom_note.txt", date_time=(2025, 5, 1, 9, 0, 0))
        doc.comment = b"Attachment"
        z.writestr(doc, "Your files are encrypted.")


if __name__ == "__main__":
    harbor_workbook()
    headerless_workbook()
    t3sf_json()
    openaev_zip()
