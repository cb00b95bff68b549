"""What rulings add to other apps' checks, registered by RulingsConfig.ready():

- tariff.search evidence: services.evidence_for;
- CAD warnings: a line that cites a ruling (`"ruling": "ARC-2026-000001"` on the line) or names
  goods a ruling of the importer covers (its trade names in the line's description), and declares
  another classification, is flagged. An advance ruling binds on the goods it covers (Customs Act
  s.43.1(2)); an importer with reason to believe a declaration is incorrect must correct it (s.32.2)."""

from django.utils.translation import gettext_lazy as _

from declarations.validation import Error
from tariff.codes import dotted

from .services import rulings_held


def cad_warnings(checked, payload, lookups) -> list[Error]:
    release = checked.header.get("release_date")
    if release is None:
        return []
    key = ("rulings.held", checked.account.pk, release)  # read once per account and day a batch
    held = lookups.kept(key, lambda: list(rulings_held(checked.account, release)))
    sent = payload.get("lines") or []
    warnings = []
    for index, line in enumerate(checked.lines):
        cited = str((sent[index] if index < len(sent) and isinstance(sent[index], dict) else {}).get("ruling") or "")
        if not held and not cited.strip():  # most importers hold none: nothing to compare the line with
            continue
        pointer = f"/lines/{index}/classification"
        if cited.strip():
            ruling = next((r for r in held if r.case_number == cited.strip().upper()), None)
            if ruling is None:
                warnings.append(
                    Error(
                        "unknown_ruling",
                        f"/lines/{index}/ruling",
                        _("%(number)s is not a ruling in force that the importer holds.") % {"number": cited},
                    )
                )
                continue
            covering = [ruling]
        else:
            narrative = line["narrative"].lower()
            covering = [
                r for r in held if any(n.strip() and n.strip().lower() in narrative for n in r.trade_names.split(","))
            ]
        for ruling in covering:
            if ruling.ruling_classification != line["classification"]:
                warnings.append(
                    Error(
                        "contradicts_ruling",
                        pointer,
                        _("Ruling %(number)s classifies these goods under %(ruled)s, not %(declared)s.")
                        % {
                            "number": ruling.case_number,
                            "ruled": dotted(ruling.ruling_classification),
                            "declared": dotted(line["classification"]),
                        },
                    )
                )
    return warnings
