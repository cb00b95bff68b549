"""Goods released, the one record of it (issue #17 items 2 and 7, issue #19 item 6).

A release is recorded under its transaction number by the border (a border services officer or the
release system's service account: RELEASE_GOODS), with the importer's RM account, the business whose
account security number starts the number (the importer, or the broker that asked for the release),
the day, office, mode and estimated value for duty; a paid cash CAD's release is one too, linked to
its CAD. Until a CAD is submitted under that number the release is "awaiting accounting", with the
deadline of ledger.billing_cycle.accounting_deadline: the importer's dashboard and the broker's
worklist show them, overdue ones first. Nothing is stored when a CAD comes in: the submitted CAD
clears it by its number.
"""
